package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Made-up but believable names: what UMKM and cooperatives in Indonesia
// call themselves, and who owns them. Any likeness to a real business is
// chance; the identifiers beside them are generated and belong to nobody.

// goodWords are the hopeful words small businesses are named after.
var goodWords = []string{
	"Berkah", "Maju", "Sinar", "Mitra", "Sejahtera", "Makmur", "Mandiri", "Cahaya", "Karya", "Sumber",
	"Rezeki", "Lestari", "Harapan", "Bintang", "Mulia", "Indah", "Anugrah", "Kencana", "Surya", "Citra",
	"Prima", "Tunas", "Rahayu", "Gemilang", "Barokah", "Amanah", "Sakinah", "Melati", "Kenanga", "Cempaka",
	"Mawar", "Nusa", "Putri", "Sentosa", "Setia", "Bunga", "Delima", "Pelangi", "Fajar", "Abadi",
}

// secondWords end a two-word name.
var secondWords = []string{
	"Jaya", "Abadi", "Makmur", "Sentosa", "Mandiri", "Lestari", "Utama", "Sejahtera", "Bersama", "Perkasa",
	"Mulia", "Indah", "Agung", "Baru", "Sakti", "Rizki", "Gemilang", "Berseri",
}

// pesantren are names of Islamic boarding schools, whose cooperatives
// (kopontren) made sanitizer and masks in 2020.
var pesantren = []string{
	"Al-Hikmah", "Darul Ulum", "Nurul Huda", "Al-Ikhlas", "Miftahul Jannah", "Darussalam", "Al-Falah",
	"Nurul Iman", "Baitul Hikmah", "Al-Amin", "Raudhatul Ulum", "Al-Barokah",
}

// women and men are given names; families are family names. Regions with
// their own naming customs get their own lists (see ownerName).
var (
	women = []string{
		"Siti", "Dewi", "Sri", "Rina", "Yuli", "Nur", "Ratna", "Wati", "Endang", "Ani", "Fitri", "Indah",
		"Dian", "Eka", "Wulan", "Rahma", "Nining", "Tuti", "Yanti", "Ika", "Maya", "Ayu", "Lina", "Suharti",
		"Sumiati", "Aisyah", "Fatimah", "Nurul", "Umi", "Lilis", "Euis", "Neneng", "Kartika", "Retno",
	}
	men = []string{
		"Budi", "Agus", "Eko", "Ahmad", "Hendra", "Teguh", "Joko", "Bambang", "Dedi", "Asep", "Ujang", "Rudi",
		"Iwan", "Hadi", "Slamet", "Wahyu", "Arif", "Dodi", "Yusuf", "Rizky", "Fajar", "Heri", "Suryadi",
		"Irfan", "Rahmat", "Cecep", "Dadang", "Sugeng",
	}
	families = []string{
		"Santoso", "Setiawan", "Prasetyo", "Wibowo", "Rahmawati", "Lestari", "Wahyuni", "Kurniawan", "Susanti",
		"Hidayat", "Saputra", "Permana", "Nugroho", "Purnomo", "Hartono", "Gunawan", "Sulistyo", "Maulana",
		"Kusuma", "Handayani", "Suryani", "Fauzi", "Ramadhan", "Hasanah", "Sunarya", "Suhendar", "Kurnia",
		"Pratiwi", "Utami", "Wijaya",
	}
	batak          = []string{"Siregar", "Nasution", "Lubis", "Simanjuntak", "Sitompul", "Harahap", "Pane", "Sinaga", "Tambunan", "Hutapea"}
	bugis          = []string{"Andi Nurhaedah", "Andi Ridwan", "Hasnawati", "Syamsuddin", "Andi Fatmawati", "Muh. Arsyad", "Nurbaya", "Hj. Sitti Aminah"}
	balinese       = []string{"Suarta", "Sudiarta", "Artini", "Sukerti", "Wiranata", "Adnyana", "Widiastuti", "Mahendra", "Darmawan", "Astiti"}
	sasak          = []string{"Lalu Muhammad Zaini", "Baiq Nurul Aini", "Lalu Sudirman", "Baiq Rohani", "Lalu Ahmad Fauzan", "Baiq Sri Wahyuni"}
	acehnese       = []string{"Teuku Rizal", "Cut Nyak Fadhilah", "Teuku Safrizal", "Cut Rahmawati", "Nurul Fajri", "Zulkifli", "Rosmawati"}
	minang         = []string{"Yusrizal", "Nurhayati", "Erniwati", "Zulhendri", "Desmawati", "Afrizal", "Yenni Marlina", "Syafrudin"}
	balineseTitles = []string{"I Made", "I Wayan", "I Ketut", "Ni Made", "Ni Luh", "Ni Ketut", "I Nyoman", "Ni Komang"}
)

// streets are street names found in most Indonesian towns.
var streets = []string{
	"Merdeka", "Sudirman", "Diponegoro", "Ahmad Yani", "Pahlawan", "Gatot Subroto", "Kartini", "Pemuda",
	"Veteran", "Cempaka", "Mawar", "Melati", "Anggrek", "Kenanga", "Flamboyan", "Masjid", "Pasar Baru",
	"Industri", "Imam Bonjol", "Hasanuddin", "Sisingamangaraja", "Gajah Mada", "Hayam Wuruk", "Kampung Batik",
	"Raya Timur", "Nusantara", "Teuku Umar", "Dr. Sutomo", "K.H. Wahid Hasyim", "Cendrawasih",
}

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// weighted returns an index into weights, chosen in proportion to them.
func weighted(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

// between returns a whole number in [lo, hi].
func between(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }

// placeName is a regency's name as people say it: "Kabupaten Bandung" and
// "Kota Administrasi Jakarta Timur" become "Bandung" and "Jakarta Timur".
func placeName(regency string) string {
	for _, p := range []string{"Kota Administrasi ", "Kabupaten Administrasi ", "Kabupaten ", "Kota "} {
		if s, ok := strings.CutPrefix(regency, p); ok {
			return s
		}
	}
	return regency
}

// ownerName makes up the name of a business owner from province, with the
// naming customs of Bali, Batak, Bugis, Sasak, Aceh and Minang country.
func ownerName(r *rand.Rand, province string) string {
	// Women run most of the small garment workshops.
	given := func() string {
		if r.IntN(10) < 6 {
			return pick(r, women)
		}
		return pick(r, men)
	}
	switch {
	case province == "51":
		return pick(r, balineseTitles) + " " + pick(r, balinese)
	case province == "12" && r.IntN(3) > 0:
		return given() + " " + pick(r, batak)
	case province == "73" && r.IntN(2) == 0:
		return pick(r, bugis)
	case province == "52" && r.IntN(2) == 0:
		return pick(r, sasak)
	case province == "11" && r.IntN(2) == 0:
		return pick(r, acehnese)
	case province == "13" && r.IntN(2) == 0:
		return pick(r, minang)
	}
	return given() + " " + pick(r, families)
}

// address makes up a street address in regency.
func address(r *rand.Rand, regency string) string {
	return fmt.Sprintf("Jl. %s No. %d, RT %02d/RW %02d, %s", pick(r, streets), between(r, 1, 180),
		between(r, 1, 12), between(r, 1, 9), regency)
}

// titles are the words before a given name: Balinese birth-order names,
// Islamic, Bugis, Sasak and Acehnese honorifics.
var titles = map[string]bool{"I": true, "Ni": true, "Made": true, "Wayan": true, "Ketut": true, "Luh": true,
	"Nyoman": true, "Komang": true, "Hj.": true, "Muh.": true, "Andi": true, "Lalu": true, "Baiq": true,
	"Teuku": true, "Cut": true, "Nyak": true}

// callName is the name a business is named after: "Siti" of "Siti
// Rahmawati", "Suarta" of "I Made Suarta".
func callName(owner string) string {
	words := strings.Fields(owner)
	for _, w := range words {
		if !titles[w] {
			return w
		}
	}
	return words[len(words)-1]
}

// two is a two-word name, "Berkah Jaya".
func two(r *rand.Rand) string {
	first, second := pick(r, goodWords), pick(r, secondWords)
	for second == first {
		second = pick(r, secondWords)
	}
	return first + " " + second
}

// businessName names a business of kind k with legal form form in place
// (a regency's short name). It returns the name the organisation goes by
// and its legal name, which carries the CV/PT/UD prefix.
func businessName(r *rand.Rand, k *kind, form, place, owner string) (name, legal string) {
	first := callName(owner)
	var pats []string
	switch form {
	case "koperasi":
		pats = k.coopNames
	case "cv":
		pats = k.cvNames
	case "pt":
		pats = k.ptNames
	default:
		pats = k.soleNames
	}
	p := pick(r, pats)
	name = strings.NewReplacer(
		"{2}", two(r), "{A}", pick(r, goodWords), "{B}", pick(r, secondWords),
		"{P}", place, "{O}", first, "{S}", pick(r, pesantren),
	).Replace(p)
	legal = name
	if form == "perorangan" && !strings.HasPrefix(name, "UD ") && r.IntN(3) == 0 {
		// Many sole traders register as an Usaha Dagang and trade under
		// the shorter name.
		legal = "UD " + name
	}
	return name, legal
}
