package i18n

// hardeningID is the Indonesian catalogue of throttling, sessions and outages.
var hardeningID = map[string]string{
	"error.page.busy.title":        "Server sedang sibuk",
	"error.page.busy.text":         "Banyak orang sedang masuk atau mendaftar pada saat yang sama. Tunggu beberapa detik, lalu kirim ulang. Isian Anda belum tersimpan.",
	"error.page.unavailable.title": "Layanan sedang dipulihkan",
	"error.page.unavailable.text":  "Basis data Pasokan sedang dimulai ulang atau tidak terjangkau. Tunggu beberapa detik, lalu muat ulang halaman ini. Bila Anda sedang mengirim isian, kirim ulang setelah halaman kembali normal.",
	"error.page.429.title":         "Terlalu banyak percobaan",
	"error.page.429.text":          "Demi keamanan, permintaan dari jaringan atau akun ini kami tahan sebentar.",
	"error.page.429.detail":        "Coba lagi dalam %d menit.",
	"error.page.done.title":        "Sudah tersimpan",
	"error.page.done.text":         "Permintaan Anda sudah kami proses dan simpan, tetapi halaman berikutnya belum bisa ditampilkan. Tidak perlu mengirim ulang.",
	"error.page.not_done.title":    "Belum diproses",
	"error.page.not_done.text":     "Permintaan Anda tidak kami proses. Alasannya:",
	"errorpage.continue":           "Lanjutkan",

	"register.throttled":              "Terlalu banyak percobaan pendaftaran dari jaringan Anda. Coba lagi dalam %d menit. Bila Anda sudah punya akun, masuk saja.",
	"flash.password_change_throttled": "Kata sandi saat ini salah terlalu sering. Demi keamanan, sesi ini kami akhiri. Masuk kembali untuk melanjutkan.",
	"error.claimed_by_other":          "Pengajuan ini sudah diklaim kurator lain, jadi hanya dia atau kurator utama yang dapat memutuskannya. Keputusan Anda tidak disimpan. Minta kurator utama bila pengajuan perlu dipindahkan.",
}
