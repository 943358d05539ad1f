package i18n

// proposalID is the Indonesian catalogue of what curated suppliers propose
// to their curators (a new product, new permits) and the curators'
// decisions on it.
var proposalID = map[string]string{
	"event.application.product_proposed":    "Produk baru diusulkan untuk dikurasi",
	"event.application.permits_proposed":    "Izin baru diusulkan untuk dikurasi",
	"event.application.product_curated":     "Produk tambahan lolos kurasi",
	"event.application.product_not_curated": "Produk tambahan tidak lolos kurasi",
	"event.application.permits_accepted":    "Izin baru diterima kurator",
	"event.application.proposal_refused":    "Usulan tidak diterima kurator",
	"notification.product_proposed":         "Pemasok terkurasi mengusulkan produk atau izin baru. Putuskan dari antrean kurasi.",
	"notification.product_curated":          "Produk tambahan Anda lolos kurasi dan kini tampil di katalog.",
	"notification.permits_accepted":         "Izin baru Anda diterima dan kini tampil di katalog.",
	"notification.proposal_refused":         "Usulan Anda tidak diterima kurator. Alasannya ada di riwayat pengajuan.",
	"email.product_curated.subject":         "Produk tambahan Anda lolos kurasi Pasokan",
	"email.product_curated.body":            "Halo %s,\n\nProduk tambahan Anda lolos kurasi dan kini tampil di katalog pembeli. Sertifikat kurasi diperbarui. Lihat daftar produk Anda di:\n%s\n\nSalam,\nPasokan",
	"email.permits_accepted.subject":        "Izin baru Anda diterima kurator Pasokan",
	"email.permits_accepted.body":           "Halo %s,\n\nIzin baru produk Anda diterima kurator dan kini tampil di katalog pembeli. Lihat daftar produk Anda di:\n%s\n\nSalam,\nPasokan",
	"email.proposal_refused.subject":        "Usulan Anda tidak diterima kurator Pasokan",
	"email.proposal_refused.body":           "Halo %s,\n\nUsulan produk atau izin Anda tidak diterima kurator. Produk lain Anda tetap tampil di katalog. Alasannya dan langkah berikutnya ada di:\n%s\n\nSalam,\nPasokan",
	"error.product_already_curated":         "Produk ini sudah terkurasi dengan izin yang sama. Kapasitas, waktu produksi, dan harga diubah langsung di daftar produk Anda, tanpa kurasi.",
}
