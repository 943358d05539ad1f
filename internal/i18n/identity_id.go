package i18n

// identityID is the Indonesian catalogue of identity changes of curated
// suppliers (legal name, NIB, NPWP): the supplier's page, the curators' list
// and page, and the events, notifications and e-mails of both sides.
var identityID = map[string]string{
	// Events, notifications and e-mails.
	"event.application.identity_proposed":    "Perubahan nama resmi, NIB, atau NPWP diusulkan ke kurator",
	"event.application.identity_changed":     "Nama resmi, NIB, dan NPWP di profil diperbarui",
	"event.application.identity_accepted":    "Perubahan identitas usaha disetujui kurator",
	"event.application.identity_refused":     "Perubahan identitas usaha tidak disetujui kurator",
	"event.application.certificate_reissued": "Sertifikat kurasi diterbitkan ulang",
	"notification.identity_proposed":         "Pemasok terkurasi mengusulkan perubahan nama resmi, NIB, atau NPWP. Putuskan dari antrean kurasi.",
	"notification.identity_accepted":         "Perubahan nama resmi, NIB, atau NPWP Anda disetujui. Sertifikat kurasi sudah diterbitkan ulang.",
	"notification.identity_refused":          "Perubahan nama resmi, NIB, atau NPWP Anda tidak disetujui kurator. Alasannya ada di halaman perubahan identitas.",
	"email.identity_accepted.subject":        "Perubahan identitas usaha Anda disetujui kurator Pasokan",
	"email.identity_accepted.body":           "Halo %s,\n\nKurator menyetujui perubahan nama resmi, NIB, atau NPWP usaha Anda. Profil sudah diperbarui dan sertifikat kurasi diterbitkan ulang dengan data baru. Sertifikat lama tidak berlaku lagi. Lihat di:\n%s\n\nSalam,\nPasokan",
	"email.identity_refused.subject":         "Perubahan identitas usaha Anda tidak disetujui kurator Pasokan",
	"email.identity_refused.body":            "Halo %s,\n\nKurator tidak menyetujui perubahan nama resmi, NIB, atau NPWP usaha Anda. Data lama tetap berlaku dan usaha Anda tetap tampil di katalog. Alasannya ada di:\n%s\n\nSalam,\nPasokan",
	"error.legal_name_required":              "Isi nama resmi usaha sesuai akta atau NIB (2 sampai 200 karakter).",
	"error.identity_unchanged":               "Data ini sama dengan yang berlaku sekarang. Ubah nama resmi, NIB, atau NPWP yang ingin diganti.",

	// The supplier's page.
	"supplier.identity.title":           "Ubah nama resmi, NIB, atau NPWP",
	"supplier.identity.lead":            "Nama resmi, NIB, dan NPWP usaha Anda sudah diperiksa kurator dan tercantum di sertifikat kurasi. Karena itu perubahannya perlu disetujui kurator. Selama menunggu, usaha Anda tetap tampil di katalog seperti biasa.",
	"supplier.identity.current":         "Yang berlaku sekarang",
	"supplier.identity.waiting":         "Menunggu persetujuan kurator",
	"supplier.identity.waiting_lead":    "Anda mengusulkan perubahan ini pada %s. Anda akan diberi tahu setelah kurator memutuskan. Bila Anda mengirim usulan baru, usulan ini diganti.",
	"supplier.identity.propose":         "Usulkan perubahan",
	"supplier.identity.propose_hint":    "Isi ketiganya sesuai dokumen terbaru: nama resmi dan NIB seperti di OSS, NPWP seperti di kartu NPWP. Kurator bisa meminta dokumennya.",
	"supplier.identity.submit":          "Kirim ke kurator",
	"supplier.identity.accepted":        "Perubahan terakhir disetujui kurator pada %s. Sertifikat sudah diterbitkan ulang.",
	"supplier.identity.refused":         "Usulan terakhir tidak disetujui kurator pada %s.",
	"supplier.identity.reason":          "Alasan kurator:",
	"supplier.identity.see_certificate": "Lihat sertifikat",
	"supplier.identity.not_curated":     "Usaha Anda belum lolos kurasi. Sebelum itu, nama resmi, NIB, dan NPWP diubah langsung di profil usaha selama pengajuan belum dikirim atau sedang diminta perbaikan.",
	"supplier.identity.to_profile":      "Ke profil usaha",
	"supplier.identity.to_listing":      "Kembali ke daftar produk",
	"supplier.identity.link":            "Ubah nama resmi, NIB, atau NPWP",
	"supplier.identity.link_hint":       "Nama resmi, NIB, dan NPWP diubah dengan persetujuan kurator; usaha Anda tetap tampil selama menunggu.",
	"supplier.identity.profile_note":    "Usaha Anda sudah lolos kurasi, jadi profil ini tidak lagi diubah di sini. Kontak untuk pembeli diubah di daftar produk; perubahan nama resmi, NIB, atau NPWP diusulkan ke kurator.",
	"flash.identity_sent":               "Usulan perubahan dikirim ke kurator. Usaha Anda tetap tampil di katalog selama menunggu.",
	"flash.identity_not_curated":        "Perubahan lewat kurator hanya untuk usaha yang sudah lolos kurasi. Ubah data di profil usaha.",

	// The curators' queue, review page and the change's page.
	"curation.identity.queue_title": "Usulan perubahan identitas",
	"curation.identity.queue_lead":  "Pemasok terkurasi meminta perubahan nama resmi, NIB, atau NPWP. Usahanya tetap tampil di katalog dengan data lama sampai Anda memutuskan.",
	"curation.identity.changes":     "Yang diubah",
	"curation.identity.waiting":     "Usulan perubahan identitas menunggu keputusan",
	"curation.identity.title":       "Usulan perubahan identitas: %s",
	"curation.identity.lead":        "Bila diterima, profil pemasok diperbarui, sertifikat kurasi diterbitkan ulang dengan nama resmi dan NIB baru (sertifikat lama dicabut karena diganti), dan katalog mengikuti. Bila ditolak, tidak ada yang berubah dan pemasok membaca alasan Anda.",
	"curation.identity.check_hint":  "Periksa NIB di OSS dan NPWP di dokumen pajak sebelum menerima. Minta dokumennya lewat pemasok bila perlu.",
	"curation.identity.certificate": "Sertifikat sekarang: %s",
	"curation.identity.unchanged":   "tidak berubah",
	"curation.identity.accept":      "Terima perubahan dan terbitkan ulang sertifikat",
	"curation.identity.refuse":      "Tolak perubahan",
	"curation.identity.reason_hint": "Wajib bila menolak. Pemasok membacanya di halaman perubahan identitas.",
	"flash.identity_accepted":       "Perubahan identitas diterima: profil diperbarui dan sertifikat diterbitkan ulang. Pemasok diberi tahu.",
	"flash.identity_refused":        "Usulan perubahan identitas ditolak. Pemasok diberi tahu beserta alasannya.",
}
