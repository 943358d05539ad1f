package i18n

// listingID is the Indonesian catalogue of the reminders that keep a
// listing current.
var listingID = map[string]string{
	"notification.listing_confirm":  "Daftar produk Anda belum dikonfirmasi selama 60 hari. Periksa kapasitas, harga, dan kontak, lalu konfirmasi agar tetap tampil di katalog.",
	"notification.listing_lapsed":   "Daftar produk Anda tidak dikonfirmasi selama 90 hari dan sementara tidak tampil di katalog. Konfirmasi dengan satu klik untuk tampil lagi.",
	"email.listing_confirm.subject": "Apakah daftar produk Pasokan Anda masih benar?",
	"email.listing_confirm.body":    "Halo %s,\n\nDaftar produk Anda di katalog Pasokan belum dikonfirmasi selama 60 hari. Pembeli memesan berdasarkan kapasitas, harga, dan kontak yang Anda tulis. Periksa dan konfirmasi di:\n%s\n\nTanpa konfirmasi, setelah 90 hari daftar Anda sementara tidak tampil di katalog.\n\nSalam,\nPasokan",
	"email.listing_lapsed.subject":  "Daftar produk Pasokan Anda sementara tidak tampil",
	"email.listing_lapsed.body":     "Halo %s,\n\nDaftar produk Anda tidak dikonfirmasi selama 90 hari, jadi sementara tidak tampil di katalog dan direktori. Status kurasi Anda tidak berubah. Konfirmasi dengan satu klik untuk tampil lagi:\n%s\n\nSalam,\nPasokan",
}
