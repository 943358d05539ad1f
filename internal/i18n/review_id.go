package i18n

// reviewID is the Indonesian catalogue of the curator's review page
// (GET /curation/applications/{id}) laid out for a laptop: the jump to the
// checklist, the "minta perbaikan" toggles, errors naming their item, the
// confirmation after a decision and the signals written as sentences.
var reviewID = map[string]string{
	"review.jump":                 "Ke daftar periksa dan keputusan",
	"review.checklist":            "Daftar periksa",
	"review.checklist_hint":       "Jawab setiap butir. Tab pindah ke butir berikutnya, Spasi memilih.",
	"review.general":              "Daftar periksa umum",
	"review.item_number":          "Butir %d",
	"review.revise_toggle":        "Minta perbaikan",
	"review.revise_label":         "Apa yang perlu diperbaiki pada %s?",
	"review.revise_hint":          "Pemohon membaca catatan ini di samping bagian tersebut.",
	"review.reason_hint":          "Wajib bila menolak. Pemohon membaca alasan ini.",
	"review.decision_hint":        "Untuk \"minta perbaikan\", buka \"Minta perbaikan\" di samping bagian yang perlu diperbaiki.",
	"review.no_document":          "Belum diunggah.",
	"review.pdf_view":             "Lihat %s di halaman ini",
	"review.pdf_title":            "Pratinjau %s",
	"review.pdf_open":             "Buka di tab baru",
	"review.error.item":           "%s, butir %d: %s",
	"review.error.revise":         "Perbaikan %s: %s",
	"review.error.field":          "%s: %s",
	"review.error.check_required": "pilih hasil",
	"review.error.check_gate_na":  "butir wajib tidak bisa \"tidak berlaku\"; pilih lulus atau tidak lulus",
	"review.error.choose_option":  "pilih salah satu hasil yang ada",
	"review.error.flags":          "Minta perbaikan: buka \"Minta perbaikan\" di samping setidaknya satu bagian dan tulis apa yang perlu diperbaiki.",
	"review.error.decision":       "Keputusan: pilih lolos, minta perbaikan atau tolak.",

	"review.decided.curated":                 "Keputusan untuk %s tersimpan: lolos kurasi. Sertifikat diterbitkan dan pemohon diberi tahu.",
	"review.decided.revision_requested":      "Keputusan untuk %s tersimpan: pemohon diminta memperbaiki.",
	"review.decided.rejected":                "Keputusan untuk %s tersimpan: pengajuan ditolak.",
	"review.decided.curated.last":            "Keputusan untuk %s tersimpan: lolos kurasi. Sertifikat diterbitkan dan pemohon diberi tahu. Tidak ada lagi pengajuan yang menunggu Anda.",
	"review.decided.revision_requested.last": "Keputusan untuk %s tersimpan: pemohon diminta memperbaiki. Tidak ada lagi pengajuan yang menunggu Anda.",
	"review.decided.rejected.last":           "Keputusan untuk %s tersimpan: pengajuan ditolak. Tidak ada lagi pengajuan yang menunggu Anda.",

	"review.signal.nib":                    "NIB yang sama juga dipakai oleh %s.",
	"review.signal.nib.other":              "NIB yang sama juga dipakai oleh pemohon lain.",
	"review.signal.npwp":                   "NPWP yang sama juga dipakai oleh %s.",
	"review.signal.npwp.other":             "NPWP yang sama juga dipakai oleh pemohon lain.",
	"review.signal.phone":                  "Nomor telepon yang sama juga dipakai oleh %s.",
	"review.signal.phone.other":            "Nomor telepon yang sama juga dipakai oleh pemohon lain.",
	"review.signal.document":               "Berkas yang persis sama juga diunggah oleh %s.",
	"review.signal.document.other":         "Berkas yang persis sama juga diunggah oleh pemohon lain.",
	"review.signal.receipt_rejected":       "%s menolak sebagian barang pemasok ini saat penerimaan (BAST).",
	"review.signal.receipt_rejected.other": "Seorang pembeli menolak sebagian barang pemasok ini saat penerimaan (BAST).",
	"review.signal.unknown":                "Ada data yang sama dengan pemohon lain; periksa dengan teliti.",
}
