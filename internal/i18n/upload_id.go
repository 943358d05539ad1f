package i18n

// uploadID is the Indonesian catalogue of uploads: limits, quota, images.
var uploadID = map[string]string{
	"error.page.upload_busy.title":  "Server sedang sibuk menerima berkas",
	"error.page.upload_busy.text":   "Banyak berkas sedang diunggah bersamaan, jadi berkas Anda belum kami terima. Tidak ada yang tersimpan.",
	"error.page.upload_busy.detail": "Kembali ke halaman sebelumnya dan unggah lagi dalam %d detik.",
}
