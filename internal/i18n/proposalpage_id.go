package i18n

// proposalPageID is the Indonesian catalogue of the proposals' pages: the
// supplier's form on its listing page and what waits there, the curators'
// list on the queue and the page where they decide.
var proposalPageID = map[string]string{
	// The supplier's listing page.
	"catalog.listing.propose.title":        "Tambah produk atau perbarui izin",
	"catalog.listing.propose.lead":         "Produk baru, atau izin edar dan sertifikat SNI baru untuk produk yang sudah tampil, diperiksa kurator lebih dulu. Yang menunggu hanya produk itu: produk Anda yang lain tetap tampil di katalog seperti biasa, dan produk yang menunggu izin baru tetap tampil dengan izin yang sekarang.",
	"catalog.listing.propose.direct":       "Kapasitas, waktu siap kirim, dan harga produk yang sudah tampil tidak perlu kurasi: ubah langsung di daftar produk di atas.",
	"catalog.listing.propose.product_hint": "Produk yang sudah tampil ditandai: pilih salah satunya untuk mengusulkan izin baru. Kapasitas dan harganya boleh dikosongkan; yang tampil sekarang tetap berlaku. Produk yang perlu izin edar Kemenkes juga ditandai; tanpa izin itu produk bisa tidak lolos kurasi.",
	"catalog.listing.propose.listed":       "sudah tampil, usulkan izin baru",
	"catalog.listing.propose.submit":       "Kirim ke kurator",
	"catalog.listing.waiting.title":        "Menunggu kurator",
	"catalog.listing.waiting.lead":         "Usulan ini sedang diperiksa kurator. Anda mendapat pemberitahuan setelah ada keputusan.",
	"catalog.listing.waiting.kind":         "Usulan",
	"catalog.listing.waiting.proposed":     "Diusulkan",
	"application.proposal_kind.product":    "Produk baru",
	"application.proposal_kind.permits":    "Izin baru",
	"flash.proposal_sent":                  "Usulan dikirim ke kurator. Produk Anda yang lain tetap tampil di katalog.",
	"flash.proposal_not_curated":           "Produk atau izin baru hanya dapat diusulkan oleh pemasok yang sudah lolos kurasi dan tampil di katalog.",

	// The curators' queue.
	"curation.proposals.title":    "Usulan pemasok terkurasi",
	"curation.proposals.lead":     "Pemasok yang sudah tampil di katalog mengusulkan produk baru atau izin baru. Hanya produk itu yang menunggu keputusan Anda; produk lainnya tetap tampil.",
	"curation.proposals.kind":     "Usulan",
	"curation.proposals.proposed": "Diusulkan",
	"curation.proposals.open":     "Periksa",

	// The page of a proposal.
	"curation.proposal.title_product":           "Usulan produk baru: %s",
	"curation.proposal.title_permits":           "Usulan izin baru: %s",
	"curation.proposal.proposed_on":             "diusulkan %s",
	"curation.proposal.see_application":         "Lihat seluruh pengajuan pemasok ini",
	"curation.proposal.lead_product":            "Pemasok ini sudah terkurasi dan tampil di katalog. Nilai produk baru ini dengan daftar periksanya: bila lolos, produk dikurasi, ditambahkan ke sertifikat, dan langsung tampil. Produk lainnya tetap tampil apa pun keputusan Anda.",
	"curation.proposal.lead_permits":            "Produk ini sudah terkurasi dan tetap tampil dengan izin yang sekarang sampai Anda memutuskan. Bila diterima, izin baru langsung tampil di katalog; bila ditolak, izin yang sekarang tetap berlaku.",
	"curation.proposal.declared":                "Produk seperti dinyatakan pemasok",
	"curation.proposal.permits":                 "Izin %s",
	"curation.proposal.current":                 "Sekarang",
	"curation.proposal.proposed":                "Diusulkan",
	"curation.proposal.decision.accept_product": "Nilai dengan daftar periksa: lolos berarti dikurasi dan tampil, tidak lolos berarti tidak dikurasi",
	"curation.proposal.decision.accept_permits": "Terima izin baru",
	"curation.proposal.decision.refuse_product": "Tolak usulan produk ini",
	"curation.proposal.decision.refuse_permits": "Tolak izin baru",
	"curation.proposal.reason_hint":             "Wajib bila menolak. Pemasok membacanya di riwayat pengajuannya.",
	"curation.proposal.waiting":                 "Usulan menunggu keputusan",
	"flash.proposal_curated":                    "Produk lolos kurasi: ditambahkan ke sertifikat dan kini tampil di katalog. Pemasok diberi tahu.",
	"flash.proposal_not_curated_product":        "Produk tidak lolos daftar periksa dan tidak dikurasi. Produk lain pemasok tetap tampil; pemasok diberi tahu.",
	"flash.proposal_permits_accepted":           "Izin baru diterima dan kini tampil di katalog. Pemasok diberi tahu.",
	"flash.proposal_refused":                    "Usulan ditolak. Pemasok diberi tahu beserta alasannya.",
}
