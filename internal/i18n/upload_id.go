package i18n

// uploadID is the Indonesian catalogue of uploads: limits, quota, images.
var uploadID = map[string]string{
	"error.upload_quota":   "Ruang penyimpanan dokumen usaha Anda penuh: berkas ini tidak muat. Hapus dokumen yang tidak dipakai lagi, lalu unggah kembali.",
	"error.image_pixels":   "Gambar terlalu besar: maksimal 16 megapiksel (mis. 4608×3456 piksel). Pilih ukuran foto yang lebih kecil di pengaturan kamera atau perkecil fotonya, lalu unggah lagi.",
	"error.pdf_incomplete": "PDF ini tidak utuh: bagian akhirnya hilang, mungkin karena penyimpanan atau unggahan terputus. Simpan ulang PDF-nya, lalu unggah lagi.",
	"hint.upload_quota":    "Ruang dokumen usaha Anda: maksimal %d MB, tersisa %s.",

	"error.page.upload_busy.title":  "Server sedang sibuk menerima berkas",
	"error.page.upload_busy.text":   "Banyak berkas sedang diunggah bersamaan, jadi berkas Anda belum kami terima. Tidak ada yang tersimpan.",
	"error.page.upload_busy.detail": "Kembali ke halaman sebelumnya dan unggah lagi dalam %d detik.",
}
