package demo

import (
	"math/rand/v2"
	"slices"
	"time"

	"pasokan/internal/region"
	"pasokan/internal/supplier"
)

// DefaultSuppliers is the size of the 2020 story: 330 UKM from 16
// provinces volunteered in April 2020.
const DefaultSuppliers = 330

// statusShares are the applications per status out of 330; drafts are the
// rest. The demo supplier (umkm@pasokan.test) is one more submitted one.
var statusShares = []struct {
	status supplier.Status
	of330  int
}{
	{supplier.StatusCurated, 80},
	{supplier.StatusSuspended, 3},
	{supplier.StatusRejected, 22},
	{supplier.StatusRevisionRequested, 30},
	{supplier.StatusInReview, 45},
	{supplier.StatusSubmitted, 60},
}

// provinceShare is a province's part of the story out of 330, with the
// towns its garment, batik and weaving workshops are known for (by their
// names in the regions table), which get most of its suppliers.
type provinceShare struct {
	code   string
	of330  int
	places []string
}

// provinces are the story's 16 provinces, Java first and largest.
var provinces = []provinceShare{
	{"32", 60, []string{"Kota Bandung", "Kabupaten Bandung", "Kota Cimahi", "Kabupaten Bogor", "Kota Bekasi",
		"Kabupaten Garut", "Kota Tasikmalaya", "Kabupaten Cirebon", "Kota Depok", "Kabupaten Bandung Barat"}},
	{"33", 55, []string{"Kota Pekalongan", "Kabupaten Pekalongan", "Kota Surakarta", "Kabupaten Sukoharjo",
		"Kabupaten Klaten", "Kabupaten Jepara", "Kota Semarang", "Kabupaten Sragen", "Kabupaten Kudus", "Kabupaten Pemalang"}},
	{"35", 50, []string{"Kota Surabaya", "Kabupaten Sidoarjo", "Kota Malang", "Kabupaten Malang", "Kabupaten Gresik",
		"Kabupaten Tulungagung", "Kabupaten Pasuruan", "Kota Kediri", "Kabupaten Pamekasan", "Kabupaten Lamongan"}},
	{"31", 30, []string{"Kota Administrasi Jakarta Timur", "Kota Administrasi Jakarta Barat", "Kota Administrasi Jakarta Selatan",
		"Kota Administrasi Jakarta Utara", "Kota Administrasi Jakarta Pusat"}},
	{"36", 20, []string{"Kota Tangerang", "Kabupaten Tangerang", "Kota Tangerang Selatan", "Kabupaten Serang", "Kota Serang"}},
	{"34", 20, []string{"Kota Yogyakarta", "Kabupaten Sleman", "Kabupaten Bantul", "Kabupaten Kulon Progo", "Kabupaten Gunungkidul"}},
	{"12", 14, []string{"Kota Medan", "Kabupaten Deli Serdang", "Kabupaten Toba", "Kota Pematangsiantar", "Kabupaten Samosir"}},
	{"51", 12, []string{"Kota Denpasar", "Kabupaten Gianyar", "Kabupaten Badung", "Kabupaten Klungkung", "Kabupaten Tabanan"}},
	{"13", 12, []string{"Kota Padang", "Kota Bukittinggi", "Kabupaten Tanah Datar", "Kabupaten Agam", "Kota Payakumbuh"}},
	{"73", 12, []string{"Kota Makassar", "Kabupaten Wajo", "Kabupaten Gowa", "Kabupaten Bone", "Kota Parepare"}},
	{"16", 9, []string{"Kota Palembang", "Kabupaten Ogan Ilir", "Kabupaten Banyuasin"}},
	{"18", 9, []string{"Kota Bandar Lampung", "Kabupaten Pringsewu", "Kabupaten Lampung Selatan", "Kota Metro"}},
	{"52", 8, []string{"Kota Mataram", "Kabupaten Lombok Tengah", "Kabupaten Lombok Barat", "Kabupaten Lombok Timur"}},
	{"14", 7, []string{"Kota Pekanbaru", "Kabupaten Kampar", "Kabupaten Siak", "Kota Dumai"}},
	{"64", 6, []string{"Kota Samarinda", "Kota Balikpapan", "Kabupaten Kutai Kartanegara"}},
	{"11", 6, []string{"Kota Banda Aceh", "Kabupaten Aceh Besar", "Kota Lhokseumawe", "Kabupaten Pidie"}},
}

// pairKinds are what the deliberate duplicates share, in turn: the same
// NIB (one business registered twice), the same phone (a family running
// two workshops), the same photo (one taken from the other).
var pairKinds = []string{"nib", "phone", "document", "phone"}

// pair is two suppliers sharing an identifier or a photo; b copies a.
type pair struct {
	a, b int
	kind string
}

// plan is who is where in the story: a status and a province per
// supplier (index 0 is the demo supplier), and the duplicate pairs.
type plan struct {
	n        int
	status   []supplier.Status
	province []string
	pairs    []pair
	// copies maps the second of a pair to its pair.
	copies map[int]pair
	// sources marks the first of each pair.
	sources map[int]bool
}

// share is n's part of a story of 330 told as of330.
func share(n, of330 int) int { return n * of330 / DefaultSuppliers }

// apportion splits n in proportion to weights by largest remainder, so
// that n = 330 gives the weights themselves.
func apportion(n int, weights []int) []int {
	total := 0
	for _, w := range weights {
		total += w
	}
	out := make([]int, len(weights))
	rem := make([]int, len(weights))
	given := 0
	for i, w := range weights {
		out[i] = n * w / total
		rem[i] = n * w % total
		given += out[i]
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return rem[b] - rem[a] })
	for i := 0; given < n; i++ {
		out[order[i%len(order)]]++
		given++
	}
	return out
}

// newPlan lays out a story of n suppliers. It is deterministic: the same n
// gives the same story.
func newPlan(n int) plan {
	r := rand.New(rand.NewPCG(2020, 1))
	p := plan{n: n, status: make([]supplier.Status, n), province: make([]string, n),
		copies: map[int]pair{}, sources: map[int]bool{}}

	// Statuses: index 0 is the demo supplier's submitted application; the
	// others are shuffled so that every status is spread over provinces.
	var statuses []supplier.Status
	for _, s := range statusShares {
		for range min(share(n, s.of330), n-1-len(statuses)) {
			statuses = append(statuses, s.status)
		}
	}
	for len(statuses) < n-1 {
		statuses = append(statuses, supplier.StatusDraft)
	}
	r.Shuffle(len(statuses), func(i, j int) { statuses[i], statuses[j] = statuses[j], statuses[i] })
	p.status[0] = supplier.StatusSubmitted
	copy(p.status[1:], statuses)

	weights := make([]int, len(provinces))
	for i, pr := range provinces {
		weights[i] = pr.of330
	}
	var provs []string
	for i, c := range apportion(n, weights) {
		if provinces[i].code == "32" {
			c-- // the demo supplier in Kota Bandung
		}
		for range max(0, c) {
			provs = append(provs, provinces[i].code)
		}
	}
	r.Shuffle(len(provs), func(i, j int) { provs[i], provs[j] = provs[j], provs[i] })
	p.province[0] = "32"
	copy(p.province[1:], provs)

	// Duplicate pairs among applications that curators see: submitted and
	// beyond, not rejected (signals go on active applications).
	var seen []int
	for i := 1; i < n; i++ {
		if s := p.status[i]; s != supplier.StatusDraft && s != supplier.StatusRejected {
			seen = append(seen, i)
		}
	}
	pairs := share(n, 4)
	if pairs > 0 && len(seen) >= 2*pairs {
		gap := len(seen) / pairs
		for k := range pairs {
			a, b := seen[k*gap], seen[k*gap+gap/2]
			pr := pair{a: a, b: b, kind: pairKinds[k%len(pairKinds)]}
			p.pairs = append(p.pairs, pr)
			p.copies[b] = pr
			p.sources[a] = true
		}
	}
	return p
}

// regencyPicker chooses a regency in a province: mostly one of its known
// towns, sometimes any.
type regencyPicker struct {
	places map[string][]region.Regency // by province, the known towns first
	all    map[string][]region.Regency
}

func newRegencyPicker(c *region.Catalog) *regencyPicker {
	rp := &regencyPicker{places: map[string][]region.Regency{}, all: map[string][]region.Regency{}}
	for _, pr := range provinces {
		regs := c.Regencies(pr.code)
		rp.all[pr.code] = regs
		for _, name := range pr.places {
			for _, rg := range regs {
				if rg.Name == name {
					rp.places[pr.code] = append(rp.places[pr.code], rg)
				}
			}
		}
	}
	return rp
}

func (rp *regencyPicker) pick(r *rand.Rand, province string) region.Regency {
	places := rp.places[province]
	if len(places) > 0 && r.IntN(4) > 0 {
		// Earlier towns in the list weigh more.
		w := make([]int, len(places))
		for i := range places {
			w[i] = len(places) - i + 1
		}
		return places[weighted(r, w)]
	}
	return pick(r, rp.all[province])
}

// The story's calendar, in Western Indonesia Time.
var wib = time.FixedZone("WIB", 7*60*60)

func day(m time.Month, d int) time.Time { return time.Date(2020, m, d, 0, 0, 0, 0, wib) }

// storyEnd is the story's last moment: what would happen after it has
// not happened yet.
var storyEnd = day(time.May, 31).Add(20 * time.Hour)

// calendar moves the 2020 story into the present. The story is told on the
// days of 2020 (the constants of this package) and every moment of it
// written to the database moves by the same whole number of days, so that
// its last moment (storyEnd; historyEnd when the years after are told too)
// falls less than a day before the seed ran. Its shape stays: the same
// hours of the day, the same waits between steps, and every date the seed
// reasons with (a plan's today, an offer's response deadline, a step after
// the end that does not happen) is reckoned on the moved days, so the
// applications waiting at the end have waited days, not years, and no
// order is left in a state the portal's own jobs would change at once.
//
// The curators' checklists are the one exception: a review uses the
// checklist in force on the story's own day (the cloth masks of spring
// 2020 were curated on the WHO-based checklist that SNI 8914:2020 replaced
// that September), so that the ministry's re-curation list has the story's
// cloth-mask curations to show.
type calendar struct {
	// days is how far the story moves, in whole days.
	days int
}

// newCalendar places a story of n suppliers so that its last moment is the
// last time of that hour and minute at or before now.
func newCalendar(now time.Time, n int) calendar {
	last := storyEnd
	if n > DefaultSuppliers {
		last = historyEnd
	}
	if !now.After(last) {
		return calendar{}
	}
	return calendar{days: int(now.Sub(last) / (24 * time.Hour))}
}

// at is the story's moment t moved into the present. Dates (midnight UTC,
// as package order keeps them) move by the same days.
func (c calendar) at(t time.Time) time.Time { return t.AddDate(0, 0, c.days) }

// story is the day of 2020 that the moved moment t was in the story.
func (c calendar) story(t time.Time) time.Time { return t.AddDate(0, 0, -c.days) }

// end is the story's moved last moment.
func (c calendar) end() time.Time { return c.at(storyEnd) }

// window is when applications of a final status were started, moved.
func (c calendar) window(s supplier.Status) [2]time.Time {
	w := windows[s]
	return [2]time.Time{c.at(w[0]), c.at(w[1])}
}

// windows are when applications of each final status were started.
var windows = map[supplier.Status][2]time.Time{
	supplier.StatusCurated:           {day(time.April, 8), day(time.April, 19)},
	supplier.StatusSuspended:         {day(time.April, 8), day(time.April, 14)},
	supplier.StatusRejected:          {day(time.April, 9), day(time.May, 12)},
	supplier.StatusInReview:          {day(time.April, 22), day(time.May, 18)},
	supplier.StatusRevisionRequested: {day(time.April, 18), day(time.May, 18)},
	supplier.StatusSubmitted:         {day(time.May, 6), day(time.May, 24)},
	supplier.StatusDraft:             {day(time.April, 8), day(time.May, 29)},
}

// within returns a time in [from, to).
func within(r *rand.Rand, from, to time.Time) time.Time {
	return from.Add(time.Duration(r.Int64N(int64(to.Sub(from)))))
}

// later returns t plus between lo and hi hours, moved into the hours
// [open, shut) of a working day.
func later(r *rand.Rand, t time.Time, lo, hi float64, open, shut int) time.Time {
	t = t.Add(time.Duration((lo + r.Float64()*(hi-lo)) * float64(time.Hour)))
	switch h := t.Hour(); {
	case h < open:
		t = time.Date(t.Year(), t.Month(), t.Day(), open, r.IntN(60), r.IntN(60), 0, wib)
	case h >= shut:
		t = time.Date(t.Year(), t.Month(), t.Day()+1, open, r.IntN(60), r.IntN(60), 0, wib)
	}
	return t
}

// Working hours: UMKM owners early and late, curators office hours.
func byOwner(r *rand.Rand, t time.Time, lo, hi float64) time.Time { return later(r, t, lo, hi, 6, 22) }
func byCurator(r *rand.Rand, t time.Time, lo, hi float64) time.Time {
	return later(r, t, lo, hi, 8, 18)
}
