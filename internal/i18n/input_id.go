package i18n

// inputID is the Indonesian catalogue of input checks (bad bytes, control characters, references).
var inputID = map[string]string{
	"error.text_encoding":          "Isian ini berisi karakter yang tidak dapat dibaca. Hapus isinya lalu ketik ulang.",
	"error.text_control":           "Tulis dalam satu baris saja, tanpa ganti baris, tab, atau karakter kontrol lain.",
	"error.text_control_multiline": "Isian ini berisi karakter kontrol yang tidak terlihat. Hapus isinya lalu ketik ulang.",
	"error.npwp_placeholder":       "NPWP 00.000.000.0-000.000 hanya pengganti bagi yang belum punya NPWP. Isi NPWP usaha Anda yang sebenarnya.",
	"error.page.input.title":       "Isian tidak dapat dibaca",
	"error.page.input.text":        "Ada isian yang berisi karakter yang tidak dapat dibaca. Tidak ada yang disimpan. Kembali, ketik ulang isiannya, lalu kirim lagi.",
	"error.page.bad_address.title": "Alamat tidak dapat dibaca",
	"error.page.bad_address.text":  "Alamat halaman ini berisi karakter yang tidak dapat dibaca. Periksa tautannya, atau buka halaman dari menu.",
	"error.page.422.title":         "Isian tidak dapat disimpan",
	"error.page.422.text":          "Ada isian yang merujuk ke data yang tidak ada atau berada di luar batas. Tidak ada yang disimpan. Kembali, periksa pilihan Anda, lalu coba lagi.",
}
