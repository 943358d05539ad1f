package demo

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"
)

// What the orders' records say in words and codes: couriers and their
// receipt numbers, the parties' reasons, the JSON of the details, and the
// verification codes.

// couriers are how UMKM sent goods in 2020: the parcel services, a hired
// truck for large loads, or their own van.
var couriers = []struct {
	name, prefix string
	weight       int
}{
	{"JNE", "JNE", 25}, {"J&T Express", "JT", 20}, {"SiCepat", "SCP", 12}, {"Pos Indonesia", "P", 8},
	{"TIKI", "TK", 5}, {"Lion Parcel", "LP", 5}, {"Truk sewaan", "SJ", 15}, {"Armada sendiri", "SJ", 10},
}

var courierWeights = func() []int {
	w := make([]int, len(couriers))
	for i, c := range couriers {
		w[i] = c.weight
	}
	return w
}()

// courier draws a courier and its receipt number (nomor resi); a truck or
// the supplier's own van carries a delivery note (surat jalan) instead.
func courier(r *rand.Rand, on time.Time) (string, string) {
	c := couriers[weighted(r, courierWeights)]
	if c.prefix == "SJ" {
		return c.name, fmt.Sprintf("SJ/%s/%03d", on.Format("2006/01"), between(r, 1, 400))
	}
	return c.name, c.prefix + strconv.FormatInt(r.Int64N(9_000_000_000)+1_000_000_000, 10)
}

// Reasons of the story, as buyers and suppliers wrote them.
var (
	// declineReasons fit any producer; sewing ones a workshop that sews.
	declineReasons = []string{
		"Bahan baku sedang kosong di pemasok kami; kami baru sanggup menerima pesanan bulan depan.",
		"Harga yang ditawarkan di bawah biaya bahan kami saat ini.",
		"Lokasi gudang terlalu jauh; ongkos kirim tidak tertutup oleh harga.",
	}
	sewingDeclineReasons = []string{
		"Mesin jahit kami sedang dipakai untuk pesanan gaun isolasi rumah sakit daerah sampai akhir bulan.",
		"Penjahit kami banyak yang pulang kampung; kapasitas tidak cukup sampai batas waktu.",
	}
	// rejectReasons are what a warehouse found wrong, by product.
	rejectReasons = map[string][]string{
		"masker-kain": {
			"Jahitan lepas pada sebagian masker.",
			"Sebagian masker hanya dua lapis, tidak sesuai SNI 8914:2020 (tiga lapis).",
			"Tali telinga putus saat uji tarik sampel.",
			"Ukuran tidak seragam; sebagian terlalu kecil untuk dewasa.",
			"Kemasan basah saat tiba; sebagian masker bernoda.",
		},
		"masker-bedah":        {"Sebagian masker tanpa kawat hidung.", "Kotak kemasan basah dan rusak saat tiba."},
		"gaun-isolasi":        {"Jahitan lepas pada sebagian gaun.", "Manset tidak terpasang pada sebagian gaun."},
		"coverall":            {"Seam tape terkelupas pada sebagian coverall.", "Ritsleting rusak pada sebagian coverall."},
		"face-shield":         {"Mika tergores dan buram.", "Karet elastis putus saat dicoba."},
		"hand-sanitizer-gel":  {"Sebagian botol bocor saat tiba.", "Label tidak mencantumkan nomor izin edar."},
		"hand-sanitizer-cair": {"Sebagian jeriken bocor saat tiba.", "Kadar alkohol hasil uji di bawah 70%."},
		"":                    {"Sebagian barang rusak dalam pengiriman.", "Jumlah dalam kemasan kurang dari yang tertulis."},
	}
	cancelReasons = []string{
		"Anggaran tahap ini dipotong; sebagian pesanan kami batalkan.",
		"Kebutuhan gudang ini sudah terpenuhi dari pengadaan lain.",
		"Bahan baku tidak datang; kami tidak sanggup memproduksi pesanan ini.",
	}
	counterReasons = []string{
		"Kapasitas kami sampai batas waktu hanya sebanyak ini.",
		"Harga bahan baku naik; kami sanggup dengan harga ini.",
		"Kami sanggup seluruhnya bila batas waktu dimundurkan.",
	}
	refuseReasons = []string{
		"Harga tawaran balik di atas anggaran kami.",
		"Batas waktu tidak bisa dimundurkan.",
	}
)

// sewn are the products a garment workshop sews.
var sewn = map[string]bool{"masker-kain": true, "gaun-isolasi": true, "coverall": true, "apron": true,
	"penutup-kepala": true, "penutup-sepatu": true}

// declineReason is why a producer of product declined.
func declineReason(r *rand.Rand, product string) string {
	if sewn[product] && r.IntN(2) == 0 {
		return pick(r, sewingDeclineReasons)
	}
	return pick(r, declineReasons)
}

// rejectReason is why a warehouse rejected some of product.
func rejectReason(r *rand.Rand, product string) string {
	if list, ok := rejectReasons[product]; ok {
		return pick(r, list)
	}
	return pick(r, rejectReasons[""])
}

// jsonString is s as a JSON string, as package order's details are
// marshalled.
func jsonString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err) // a Go string always marshals
	}
	return string(b)
}

// orderCodes draws the verification codes of orders and goods-received
// records: curation's alphabet and form (XXXX-XXXX-XXXX), from one of the
// story's own seeded sources, never one drawn before in this story (taken:
// the certificates', and the history's source is given the 2020 demands'),
// so that a code verifies one document only.
type orderCodes struct {
	r     *rand.Rand
	taken map[string]bool
	seen  map[uint64]bool
}

// The sources of codes: the demands of 2020 draw from one, the history's
// from another, so that a seed resuming the history need not draw 2020's
// again (it could not tell 2020's demands again once the history's orders
// are in: their candidates count what is committed).
const (
	storyCodes   = 6
	historyCodes = 9
)

func newOrderCodes(taken map[string]bool, source uint64) *orderCodes {
	return &orderCodes{r: rand.New(rand.NewPCG(2020, source)), taken: taken, seen: map[uint64]bool{}}
}

// next returns a fresh code. It keeps the codes as numbers: a story of a
// million orders draws a few million codes.
func (c *orderCodes) next() string {
	b := make([]byte, 14)
	for {
		var v uint64
		for i := range b {
			if i == 4 || i == 9 {
				b[i] = '-'
				continue
			}
			k := c.r.IntN(len(codeAlphabet))
			v = v*uint64(len(codeAlphabet)) + uint64(k)
			b[i] = codeAlphabet[k]
		}
		if !c.seen[v] && !c.taken[string(b)] {
			c.seen[v] = true
			return string(b)
		}
	}
}
