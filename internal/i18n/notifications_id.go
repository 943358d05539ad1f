package i18n

// notificationsID is the Indonesian catalogue of the notifications page
// (GET /notifications), the navigation's count, and the sample request
// that tells a supplier what to send, where and by when.
var notificationsID = map[string]string{
	"nav.notifications":        "Notifikasi",
	"nav.notifications_unread": "Notifikasi (%s)",

	"notifications.title":         "Notifikasi",
	"notifications.lead":          "Kabar untuk Anda dan organisasi Anda, yang terbaru di atas. Notifikasi yang belum dibaca diberi tanda “Belum dibaca”; setelah halaman ini dibuka, notifikasi yang tampil dianggap sudah dibaca.",
	"notifications.empty":         "Belum ada notifikasi. Kabar tentang pengajuan, kurasi, dan pesanan akan muncul di sini.",
	"notifications.empty_older":   "Tidak ada notifikasi yang lebih lama.",
	"notifications.list":          "Daftar notifikasi",
	"notifications.unread":        "Belum dibaca",
	"notifications.new_count":     "Baru sejak Anda terakhir membuka halaman ini: %s.",
	"notifications.unread_left":   "Masih ada notifikasi yang belum dibaca (%s) di halaman lain.",
	"notifications.mark_all_read": "Tandai semua sudah dibaca",
	"notifications.newest":        "Ke notifikasi terbaru",
	"flash.notifications_read":    "Ditandai sudah dibaca: %d notifikasi.",

	// The sample request: the form on the review page, what the review
	// page shows of each sample, and what the supplier is told. The
	// notification's arguments are what to send in Indonesian and in
	// English, the address, and the last day in Indonesian and in English
	// (curation.RequestSample): each language picks its own.
	"field.send_to":            "Kirim ke",
	"hint.send_to":             "Nama penerima, alamat lengkap, dan nomor telepon yang bisa dihubungi kurir.",
	"field.due_on":             "Paling lambat tiba",
	"curation.sample_send_to":  "kirim ke %s",
	"curation.sample_due":      "paling lambat %s",
	"error.sample_send_to":     "Tulis alamat tujuan sampel: nama penerima, alamat lengkap, dan nomor telepon (10 sampai 500 karakter). Tidak ada yang disimpan.",
	"error.sample_due_invalid": "Pilih tanggal paling lambat sampel harus tiba. Tidak ada yang disimpan.",
	"error.sample_due_past":    "Batas waktu sampel paling cepat besok. Tidak ada yang disimpan.",
	"error.sample_due_far":     "Batas waktu sampel paling lama 90 hari dari hari ini. Tidak ada yang disimpan.",

	"notification.sample_requested":  "Kurator meminta sampel fisik: %[1]s. Kirim ke %[3]s, paling lambat tiba %[4]s.",
	"email.sample_requested.subject": "Kurator meminta sampel fisik dari usaha Anda",
	"email.sample_requested.body":    "Halo %[1]s,\n\nKurator yang memeriksa pengajuan Anda meminta sampel fisik.\n\nYang dikirim: %[3]s\nKirim ke: %[5]s\nPaling lambat tiba: %[6]s\n\nSampel yang terlambat atau tidak dikirim dapat membuat produk tersebut tidak lolos kurasi. Rincian ada di pengajuan Anda:\n%[2]s\n\nSalam,\nPasokan",
}
