package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"pasokan/internal/supplier"
)

// kind is a kind of business that switched to protective equipment in
// 2020: what it made before (sector, KBLI codes, machines), what it is
// called, and what it offers now.
type kind struct {
	key    string
	weight int
	trades []trade
	// forms weighs the legal forms perorangan, cv, pt, koperasi.
	forms                                  [4]int
	soleNames, cvNames, ptNames, coopNames []string
	offers                                 []offer
	equipment                              func(r *rand.Rand, workforce int) string
}

// trade is an original line of business and its KBLI 2020 codes.
type trade struct {
	sector string
	kbli   []string
}

// offer is a product a kind of business makes with percent chance.
type offer struct {
	code   string
	chance int
}

var legalForms = [4]string{"perorangan", "cv", "pt", "koperasi"}

// kinds are the businesses of the story, by weight. Garment makers
// (konveksi) are most of them, as they were in 2020.
var kinds = []*kind{
	{
		key: "konveksi", weight: 50,
		trades: []trade{{"Konveksi pakaian jadi", []string{"14111"}}, {"Konveksi seragam sekolah dan kantor", []string{"14111", "14120"}},
			{"Konveksi kaos dan sablon", []string{"14111"}}, {"Busana muslim", []string{"14111"}},
			{"Penjahitan pakaian sesuai pesanan", []string{"14120"}}, {"Pakaian anak-anak", []string{"14111"}},
			{"Seragam kerja dan wearpack", []string{"14111", "14120"}}, {"Konveksi dan barang jadi tekstil", []string{"14111", "13929"}}},
		forms:     [4]int{50, 25, 7, 18},
		soleNames: []string{"Konveksi {2}", "Konveksi {A}", "Penjahit {O}", "Rumah Jahit {O}", "UD {2}", "{A} Collection", "{O} Tailor"},
		cvNames:   []string{"CV {A} Garmen", "CV {2} Konveksi", "CV {A} Busana", "CV {2}"},
		ptNames:   []string{"PT {2} Garmindo", "PT {A} Busana Nusantara", "PT {A} Garmen Indonesia"},
		coopNames: []string{"Koperasi Wanita {A}", "Koperasi Konveksi {2}", "Koperasi Serba Usaha {2}", "Koperasi Penjahit {P}", "Koperasi Wanita {A} {P}"},
		offers:    []offer{{"masker-kain", 95}, {"gaun-isolasi", 35}, {"apron", 12}, {"coverall", 12}, {"penutup-kepala", 20}},
		equipment: func(r *rand.Rand, w int) string {
			m := max(2, w*between(r, 6, 9)/10)
			return fmt.Sprintf("%d mesin jahit high speed, %d mesin obras, %d mesin potong kain, %d meja potong",
				m, max(1, m/5), max(1, m/12), max(1, m/8))
		},
	},
	{
		key: "tenun", weight: 9,
		trades: []trade{{"Tenun ikat", []string{"13122"}}, {"Pertenunan kain sarung", []string{"13121"}},
			{"Kain rajut", []string{"13911", "14111"}}, {"Kain tenun tradisional (songket)", []string{"13121"}},
			{"Tenun ATBM", []string{"13121", "13929"}}},
		forms:     [4]int{55, 20, 5, 20},
		soleNames: []string{"UD {A} Tenun", "Tenun Ikat {A}", "Tenun {2}", "Rajut {2}", "UD Mitra Tenun {B}"},
		cvNames:   []string{"CV {A} Tekstil", "CV Tenun {2}"},
		ptNames:   []string{"PT {2} Tekstil", "PT {A} Tekstil Indonesia"},
		coopNames: []string{"Koperasi Perajin Tenun {P}", "Koperasi Tenun {A} {P}"},
		offers:    []offer{{"masker-kain", 95}, {"penutup-kepala", 20}, {"apron", 8}},
		equipment: func(r *rand.Rand, w int) string {
			return fmt.Sprintf("%d ATBM (alat tenun bukan mesin), %d mesin jahit, 1 mesin obras",
				max(1, w*between(r, 4, 8)/10), max(1, w/3))
		},
	},
	{
		key: "batik", weight: 10,
		trades: []trade{{"Batik tulis dan cap", []string{"13134"}}, {"Batik cap", []string{"13134"}},
			{"Busana batik", []string{"13134", "14111"}}, {"Batik printing dan cap", []string{"13134", "13133"}}},
		forms:     [4]int{55, 15, 5, 25},
		soleNames: []string{"Batik {2}", "Batik {O}", "UD Batik {A}", "Griya Batik {A}", "Batik {A} {P}"},
		cvNames:   []string{"CV Batik {2}", "CV {A} Batik"},
		ptNames:   []string{"PT Batik {A} Indonesia"},
		coopNames: []string{"Koperasi Produsen Batik {P}", "Koperasi Batik {A} {P}", "Koperasi Perajin Batik {P}"},
		offers:    []offer{{"masker-kain", 100}, {"apron", 8}, {"penutup-kepala", 15}},
		equipment: func(r *rand.Rand, w int) string {
			return fmt.Sprintf("%d meja cap, %d kompor dan wajan malam, %d mesin jahit untuk masker",
				max(1, w/3), max(1, w/4), max(1, w*between(r, 3, 6)/10))
		},
	},
	{
		key: "sanitizer", weight: 14,
		trades: []trade{{"Kosmetik dan perawatan tubuh", []string{"20232"}}, {"Sabun cair dan pembersih rumah tangga", []string{"20231"}},
			{"Minyak atsiri", []string{"20294"}}, {"Sabun herbal", []string{"20231", "20232"}}, {"Parfum isi ulang", []string{"20232"}},
			{"Minyak atsiri dan aromaterapi", []string{"20294", "20232"}}},
		forms:     [4]int{35, 40, 15, 10},
		soleNames: []string{"Sabun {A}", "{A} Herbal", "UD {A} Kimia", "Atsiri {2}", "Griya Sabun {O}"},
		cvNames:   []string{"CV {A} Kimia", "CV {A} Kosmetika", "CV {2} Kimia", "CV {A} Herbal Indonesia"},
		ptNames:   []string{"PT {A} Kimia Nusantara", "PT {2} Kosmetika", "PT {A} Kimia Indonesia"},
		coopNames: []string{"Koperasi Pondok Pesantren {S}", "Koperasi {A} Herbal", "Koperasi Pondok Pesantren {S} {P}"},
		offers:    []offer{{"hand-sanitizer-gel", 70}, {"hand-sanitizer-cair", 60}},
		equipment: func(r *rand.Rand, w int) string {
			return fmt.Sprintf("Tangki pencampur stainless %d liter, mixer, mesin pengisi botol semi-otomatis, alkoholmeter",
				max(100, w*between(r, 2, 5)*10))
		},
	},
	{
		key: "nonwoven", weight: 1,
		trades: []trade{{"Tas spunbond (non-woven)", []string{"13929"}}, {"Produk non-woven sekali pakai", []string{"13929", "32502"}},
			{"Alat kesehatan sekali pakai", []string{"32502"}}},
		forms:     [4]int{0, 55, 45, 0},
		soleNames: []string{"{A} Nonwoven"},
		cvNames:   []string{"CV {A} Medika", "CV {A} Nonwoven", "CV {2} Medika"},
		ptNames:   []string{"PT {A} Medika Utama", "PT {A} Nonwoven Indonesia", "PT {2} Medika"},
		coopNames: []string{"Koperasi {A} Medika"},
		offers:    []offer{{"masker-bedah", 100}, {"penutup-kepala", 50}, {"gaun-isolasi", 35}, {"penutup-sepatu", 30}},
		equipment: func(r *rand.Rand, w int) string {
			return fmt.Sprintf("%d mesin masker otomatis ear-loop (80 lembar/menit), mesin ultrasonic sealing, ruang produksi bersih",
				max(1, w/between(r, 8, 15)))
		},
	},
	{
		key: "plastik", weight: 3,
		trades: []trade{{"Akrilik dan barang plastik", []string{"22299"}}, {"Percetakan dan sablon", []string{"18111", "22299"}},
			{"Kemasan plastik", []string{"22220"}}},
		forms:     [4]int{50, 40, 10, 0},
		soleNames: []string{"Akrilik {A}", "UD {A} Plastik", "Sablon {2}"},
		cvNames:   []string{"CV {A} Plastindo", "CV {2} Akrilik"},
		ptNames:   []string{"PT {A} Plastik Indonesia"},
		coopNames: []string{"Koperasi {A} Plastik"},
		offers:    []offer{{"face-shield", 100}, {"penutup-sepatu", 25}},
		equipment: func(r *rand.Rand, w int) string {
			return fmt.Sprintf("Mesin potong laser akrilik, mesin pres, %d meja perakitan", max(1, w/between(r, 2, 4)))
		},
	},
}

// sizeByForm weighs the size classes mikro, kecil, menengah per legal form.
var sizeByForm = map[string][3]int{
	"perorangan": {70, 28, 2},
	"cv":         {25, 55, 20},
	"pt":         {0, 40, 60},
	"koperasi":   {20, 55, 25},
}

// workforce is a head count believable for a size class.
func workforce(r *rand.Rand, size string) int {
	switch size {
	case "mikro":
		return between(r, 3, 9)
	case "kecil":
		return between(r, 10, 49)
	}
	u := r.Float64()
	return 50 + int(200*u*u)
}

// spec is what a product type looks like in a small workshop: output per
// worker and month, price range in Rupiah, lead time, and the permit some
// of its makers hold.
type spec struct {
	perWorker    [2]int
	price        [2]int64
	lead         [2]int
	permitChance int    // percent of makers holding a Kemenkes permit
	permitKind   string // AKD or PKD
	permitPrefix string // first five of its eleven digits
	materials    []string
	needs        []string
}

var specs = map[string]spec{
	"masker-kain": {perWorker: [2]int{1000, 3000}, price: [2]int64{2500, 6000}, lead: [2]int{3, 10},
		materials: []string{"Katun combed 30s, tiga lapis", "Katun dua lapis dengan lapisan tengah spunbond",
			"Kain batik katun primisima, dua lapis dengan kantong filter", "Katun toyobo tiga lapis, tali telinga elastis"},
		needs: []string{"Kain katun 300 meter per bulan", "Tali elastis dan kain spunbond untuk lapisan tengah",
			"Kain katun 1.000 meter per bulan", ""}},
	"masker-bedah": {perWorker: [2]int{10000, 30000}, price: [2]int64{1000, 2500}, lead: [2]int{5, 14},
		permitChance: 80, permitKind: "AKD", permitPrefix: "21603",
		materials: []string{"Spunbond 25 gsm, meltblown BFE 95%, tiga lapis, ear-loop", "Non-woven tiga lapis dengan kawat hidung"},
		needs:     []string{"Meltblown 500 kg per bulan (sulit didapat)", "Meltblown dan tali ear-loop"}},
	"coverall": {perWorker: [2]int{60, 150}, price: [2]int64{80000, 250000}, lead: [2]int{7, 21},
		permitChance: 15, permitKind: "AKD", permitPrefix: "21601",
		materials: []string{"Kain taslan waterproof dengan seam tape", "Polypropylene dilaminasi PE, jahitan dilapisi"},
		needs:     []string{"Kain waterproof 2.000 meter per bulan", "Seam tape dan ritsleting"}},
	"gaun-isolasi": {perWorker: [2]int{100, 300}, price: [2]int64{35000, 90000}, lead: [2]int{5, 14},
		permitChance: 15, permitKind: "AKD", permitPrefix: "21601",
		materials: []string{"Kain parasut polyester waterproof, manset rib", "Spunbond 75 gsm dilaminasi PE"},
		needs:     []string{"Kain parasut 1.000 meter per bulan", ""}},
	"apron": {perWorker: [2]int{300, 800}, price: [2]int64{8000, 30000}, lead: [2]int{3, 10},
		materials: []string{"Plastik PE tebal", "Kain waterproof dapat dicuci"}, needs: []string{""}},
	"face-shield": {perWorker: [2]int{800, 2500}, price: [2]int64{5000, 15000}, lead: [2]int{3, 7},
		materials: []string{"Mika PET 0,3 mm, busa, karet elastis"}, needs: []string{"Lembaran mika PET"}},
	"penutup-kepala": {perWorker: [2]int{1000, 3000}, price: [2]int64{1000, 4000}, lead: [2]int{3, 7},
		materials: []string{"Spunbond 30 gsm, karet elastis", "Kain katun dapat dicuci"}, needs: []string{""}},
	"penutup-sepatu": {perWorker: [2]int{800, 2000}, price: [2]int64{1500, 6000}, lead: [2]int{3, 7},
		materials: []string{"Spunbond 40 gsm, karet elastis", "Plastik PE"}, needs: []string{""}},
	"hand-sanitizer-gel": {perWorker: [2]int{200, 800}, price: [2]int64{40000, 90000}, lead: [2]int{3, 10},
		permitChance: 35, permitKind: "PKD", permitPrefix: "20303",
		materials: []string{"Etanol 70%, gliserin, carbomer, air murni", "Etanol 75%, aloe vera, gliserin"},
		needs:     []string{"Etanol 96% 1.000 liter per bulan", "Botol 100 ml dan 500 ml", ""}},
	"hand-sanitizer-cair": {perWorker: [2]int{250, 900}, price: [2]int64{40000, 90000}, lead: [2]int{3, 10},
		permitChance: 35, permitKind: "PKD", permitPrefix: "20304",
		materials: []string{"Formula WHO: etanol 80%, gliserol 1,45%, hidrogen peroksida 0,125%", "Isopropil alkohol 75%, gliserin"},
		needs:     []string{"Etanol 96% dan hidrogen peroksida", "Jeriken 5 liter dan botol semprot", ""}},
}

// productNames are the Indonesian names of the product types the story
// uses, as the catalogue has them, for the documents.
var productNames = map[string]string{
	"masker-kain": "Masker kain", "masker-bedah": "Masker bedah", "coverall": "Coverall medis (baju hazmat)",
	"gaun-isolasi": "Gaun isolasi", "apron": "Apron", "face-shield": "Pelindung wajah (face shield)",
	"penutup-kepala": "Penutup kepala", "penutup-sepatu": "Penutup sepatu",
	"hand-sanitizer-gel": "Hand sanitizer gel", "hand-sanitizer-cair": "Hand sanitizer cair",
}

// roundCount makes a figure look like one a person would type.
func roundCount(n int) int {
	step := 10
	switch {
	case n >= 100000:
		step = 1000
	case n >= 10000:
		step = 500
	case n >= 1000:
		step = 100
	}
	return max(step, (n+step/2)/step*step)
}

func roundPrice(n int64) int64 {
	step := int64(100)
	if n >= 20000 {
		step = 1000
	} else if n >= 10000 {
		step = 500
	}
	return max(step, (n+step/2)/step*step)
}

// product makes up a product of type code for a workshop of workforce
// people spending part of their time on it.
func product(r *rand.Rand, code string, workforce int, part float64) supplier.Product {
	s := specs[code]
	capacity := roundCount(int(float64(workforce*between(r, s.perWorker[0], s.perWorker[1])) * part))
	lo, hi := s.price[0], s.price[1]
	span := hi - lo
	pmin := roundPrice(lo + int64(r.Float64()*0.6*float64(span)))
	pmax := min(hi, roundPrice(pmin+int64((0.1+r.Float64()*0.4)*float64(span))))
	p := supplier.Product{
		Type: code, MonthlyCapacity: min(capacity, supplier.MaxMonthlyCapacity),
		LeadTimeDays: between(r, s.lead[0], s.lead[1]), PriceMin: pmin, PriceMax: max(pmin, pmax),
		Materials: pick(r, s.materials), MaterialNeeds: pick(r, s.needs),
	}
	if s.permitChance > 0 && r.IntN(100) < s.permitChance {
		p.PermitNumber = permit(r, s.permitKind, s.permitPrefix)
	}
	return p
}

// permit makes up a Kemenkes distribution permit number: "KEMENKES RI AKD "
// and eleven digits.
func permit(r *rand.Rand, kind, prefix string) string {
	return fmt.Sprintf("KEMENKES RI %s %s02%04d", kind, prefix, r.IntN(10000))
}

// identifiers hands out NIBs, NPWPs and phone numbers, never the same one
// twice (the deliberate duplicates are copied, not drawn).
type identifiers struct {
	nib, npwp, phone map[string]bool
}

func newIdentifiers() *identifiers {
	return &identifiers{nib: map[string]bool{}, npwp: map[string]bool{}, phone: map[string]bool{}}
}

func fresh(used map[string]bool, draw func() string) string {
	for {
		s := draw()
		if !used[s] {
			used[s] = true
			return s
		}
	}
}

// NIB: OSS issued 13-digit numbers from 2018; these look like them.
func (ids *identifiers) newNIB(r *rand.Rand) string {
	return fresh(ids.nib, func() string {
		return pick(r, []string{"8120", "9120"}) + fmt.Sprintf("%09d", r.IntN(1_000_000_000))
	})
}

// kppByProvince are the leading digits of tax offices (KPP) per province.
var kppByProvince = map[string]string{
	"11": "10", "12": "12", "13": "20", "14": "21", "16": "30", "18": "32", "31": "0", "32": "42",
	"33": "50", "34": "54", "35": "60", "36": "40", "51": "90", "52": "91", "64": "72", "73": "80",
}

// newNPWP makes a 15-digit taxpayer number: two digits of taxpayer kind
// (01-03 for companies and cooperatives, 07-09 for individuals), six of
// serial, the check digit (the first nine pass the Luhn check), three of
// tax office and 000 for a head office.
func (ids *identifiers) newNPWP(r *rand.Rand, form, province string) string {
	return fresh(ids.npwp, func() string {
		kindDigits := pick(r, []string{"01", "02", "03"})
		if form == "perorangan" {
			kindDigits = pick(r, []string{"07", "08", "09"})
		}
		return npwp(kindDigits+fmt.Sprintf("%06d", r.IntN(1_000_000)), kppByProvince[province], r)
	})
}

// npwp completes eight digits with their check digit, a tax office and 000.
func npwp(eight, kpp string, r *rand.Rand) string {
	for len(kpp) < 3 {
		kpp += strconv.Itoa(r.IntN(10))
	}
	for c := range 10 {
		d := eight + strconv.Itoa(c) + kpp + "000"
		if _, ok := supplier.NormalizeNPWP(d); ok {
			return d
		}
	}
	panic("demo: no Luhn check digit for " + eight) // unreachable: one of ten always fits
}

// mobile prefixes of Indonesian operators.
var mobile = []string{"811", "812", "813", "821", "822", "823", "852", "853", "814", "815", "816", "855", "856",
	"857", "858", "817", "818", "819", "859", "877", "878", "895", "896", "897", "898", "899", "881", "882", "838"}

func (ids *identifiers) newPhone(r *rand.Rand) string {
	return fresh(ids.phone, func() string {
		if r.IntN(2) == 0 {
			return "+62" + pick(r, mobile) + fmt.Sprintf("%07d", r.IntN(10_000_000))
		}
		return "+62" + pick(r, mobile) + fmt.Sprintf("%08d", r.IntN(100_000_000))
	})
}
