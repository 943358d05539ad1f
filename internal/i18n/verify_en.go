package i18n

// verifyEN is the English catalogue of the check of a curation certificate
// by its code (GET /verify), and of what the certificate says about who
// issued it and until when it holds.
var verifyEN = map[string]string{
	"certificate.verify.lead":         "Holding a Pasokan curation certificate, printed or as a PDF? Type its code to check that it is genuine and still in force.",
	"certificate.verify.submit":       "Check",
	"certificate.verify.again":        "Check the code again",
	"certificate.verify.unknown_help": "Compare each letter and digit with the printed ones. If the code is right and still not found, the certificate was not issued by Pasokan: ask whoever gave it to you.",
	"certificate.verify.try_as":       "Is the code printed on a purchase order (Surat Pesanan) or a goods received record (Berita Acara Serah Terima)? Check it as:",
	"certificate.verify.as_order":     "A purchase order",
	"certificate.verify.as_receipt":   "A goods received record",
	"field.verify_code":               "Certificate code",
	"hint.verify_code":                "Printed on the curation certificate, on the line “Certificate code” and at the end of the address beside the QR code. Twelve letters and digits in three groups; upper or lower case and the dashes make no difference.",
	"error.verify_code_required":      "Type the certificate code.",
	"error.verify_code_format":        "A certificate code has twelve letters and digits. Check the code you typed.",
	"layout.footer_nav":               "Links for everyone",
	"layout.footer_verify":            "Check a curation certificate",

	"certificate.issuer":         "Issued by",
	"certificate.issuer_value":   "Ministry of Cooperatives and SMEs, through the Pasokan portal",
	"certificate.issuer_line":    "Pasokan — Ministry of Cooperatives and SMEs",
	"certificate.validity":       "Validity",
	"certificate.validity_open":  "No expiry date: in force while the supplier stays curated and this certificate is not revoked or replaced. Check its current status at %s.",
	"certificate.validity_ended": "Not in force since %s.",
	"certificate.status":         "Status when printed",
	"certificate.printed":        "Printed from Pasokan on %s. Its status may change after that day: what counts is the check at the address above.",
}
