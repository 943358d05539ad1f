package i18n

// uploadID is the Indonesian catalogue of uploads: limits, quota, images.
var uploadID = map[string]string{
	"error.upload_quota": "Ruang penyimpanan dokumen usaha Anda penuh: berkas ini tidak muat. Hapus dokumen yang tidak dipakai lagi, lalu unggah kembali.",
	"hint.upload_quota":  "Ruang dokumen usaha Anda: maksimal %d MB, tersisa %s.",

	"error.page.upload_busy.title":  "Server sedang sibuk menerima berkas",
	"error.page.upload_busy.text":   "Banyak berkas sedang diunggah bersamaan, jadi berkas Anda belum kami terima. Tidak ada yang tersimpan.",
	"error.page.upload_busy.detail": "Kembali ke halaman sebelumnya dan unggah lagi dalam %d detik.",
}
