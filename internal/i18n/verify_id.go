package i18n

// verifyID is the Indonesian catalogue of the check of a curation
// certificate by its code (GET /verify), and of what the certificate says
// about who issued it and until when it holds.
var verifyID = map[string]string{
	"certificate.verify.lead":         "Pegang sertifikat kurasi Pasokan, cetak atau PDF? Ketik kodenya untuk memeriksa bahwa sertifikat itu asli dan masih berlaku.",
	"certificate.verify.submit":       "Periksa",
	"certificate.verify.again":        "Periksa kode lagi",
	"certificate.verify.unknown_help": "Bandingkan setiap huruf dan angka dengan yang tercetak. Bila kodenya sudah benar dan tetap tidak ditemukan, sertifikat itu tidak diterbitkan oleh Pasokan: tanyakan kepada pihak yang memberikannya.",
	"certificate.verify.try_as":       "Kode ini tercetak di Surat Pesanan atau Berita Acara Serah Terima? Periksa sebagai:",
	"certificate.verify.as_order":     "Surat Pesanan",
	"certificate.verify.as_receipt":   "Berita Acara Serah Terima",
	"field.verify_code":               "Kode sertifikat",
	"hint.verify_code":                "Tercetak di sertifikat kurasi, pada baris “Kode sertifikat” dan di akhir alamat di samping kode QR. Dua belas huruf dan angka dalam tiga kelompok; huruf besar atau kecil dan tanda hubung tidak berpengaruh.",
	"error.verify_code_required":      "Ketik kode sertifikat.",
	"error.verify_code_format":        "Kode sertifikat terdiri atas dua belas huruf dan angka. Periksa lagi kode yang Anda ketik.",
	"layout.footer_nav":               "Tautan untuk semua orang",
	"layout.footer_verify":            "Periksa sertifikat kurasi",

	"certificate.issuer":         "Diterbitkan oleh",
	"certificate.issuer_value":   "Kementerian Koperasi dan UKM, melalui portal Pasokan",
	"certificate.issuer_line":    "Pasokan — Kementerian Koperasi dan UKM",
	"certificate.validity":       "Masa berlaku",
	"certificate.validity_open":  "Tanpa tanggal kedaluwarsa: berlaku selama pemasok berstatus terkurasi dan sertifikat ini tidak dicabut atau diganti. Periksa status terkini di %s.",
	"certificate.validity_ended": "Tidak berlaku sejak %s.",
	"certificate.status":         "Status saat dicetak",
	"certificate.printed":        "Dicetak dari Pasokan pada %s. Statusnya dapat berubah sesudah tanggal itu: yang berlaku adalah hasil pemeriksaan di alamat di atas.",
}
