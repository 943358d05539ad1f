package i18n

// uploadID is the Indonesian catalogue of uploads: limits, quota, images.
var uploadID = map[string]string{
	"error.upload_quota":   "Ruang penyimpanan dokumen usaha Anda penuh: berkas ini tidak muat. Hapus dokumen yang tidak dipakai lagi, lalu unggah kembali.",
	"error.image_pixels":   "Gambar terlalu besar: maksimal 16 megapiksel (mis. 4608×3456 piksel). Pilih ukuran foto yang lebih kecil di pengaturan kamera atau perkecil fotonya, lalu unggah lagi.",
	"error.pdf_incomplete": "PDF ini tidak utuh: bagian akhirnya hilang, mungkin karena penyimpanan atau unggahan terputus. Simpan ulang PDF-nya, lalu unggah lagi.",

	"error.page.upload_busy.title":  "Server sedang sibuk menerima berkas",
	"error.page.upload_busy.text":   "Banyak berkas sedang diunggah bersamaan, jadi berkas Anda belum kami terima. Tidak ada yang tersimpan.",
	"error.page.upload_busy.detail": "Kembali ke halaman sebelumnya dan unggah lagi dalam %d detik.",

	// One file, several kinds; the limit beside the field; refusals that
	// keep the reader on the form.
	"upload.error.kind_required":         "Pilih jenis dokumen.",
	"upload.error.too_large":             "Berkas terlalu besar: %s berukuran %s, sedangkan batasnya %s per berkas. Perkecil berkasnya (misalnya scan ulang dengan resolusi lebih rendah atau pilih ukuran foto lebih kecil), lalu pilih lagi.",
	"upload.the_file":                    "berkas yang dipilih",
	"upload.hint.production_certificate": "Produk yang memerlukan izin edar (%s) juga memerlukan sertifikat produksi: CPAKB untuk alat kesehatan, CPPKRTB untuk PKRT. Unggah dengan jenis “Sertifikat produksi”.",
	"upload.hint.file":                   "PDF, JPG, PNG, atau WebP, paling besar %s per berkas.",
	"upload.hint.quota":                  "Ruang dokumen usaha Anda: maksimal %s, tersisa %s.",
	"upload.chosen_file":                 "Berkas yang dipilih: %s — pilih lagi berkas ini, karena browser tidak dapat mengisinya kembali.",
	"upload.kinds.legend":                "Berkas ini juga memuat (jika ada)",
	"upload.kinds.hint":                  "Satu scan sering berisi beberapa dokumen, misalnya NIB dan NPWP. Centang semua yang juga ada di berkas ini: tiap jenis tercatat sebagai dokumen sendiri.",
	"upload.flash.added_kinds":           "Berkas terunggah sebagai %d dokumen.",
	"upload.back_to_documents":           "Kembali ke dokumen",
}
