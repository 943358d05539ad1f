package order

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"pasokan/internal/planner"
)

// memoryCatalog answers a reading's asks from entries in memory, as
// sourcesSQL does from the catalogue: each source's rows after its last
// one, most capable first, none below its floor of capacity, up to its
// limit and the rest of the last one's capacity (WITH TIES). floored counts the asks that stopped at their floor (fewer rows
// than the limit while a floor was asked): there the reading learns a
// bound it did not read.
type memoryCatalog struct {
	entries []entryRow
	floored int
}

func (m *memoryCatalog) fetch(asks []sourceRead) ([]entryRow, error) {
	var out []entryRow
	for i, a := range asks {
		var got []entryRow
		for _, e := range m.entries {
			var code string
			switch a.kind {
			case "regency":
				code = e.RegencyCode
			case "province":
				code = e.ProvinceCode
			case "island":
				code = planner.Island(e.ProvinceCode)
			default:
				return nil, fmt.Errorf("source kind %q", a.kind)
			}
			if code != a.code || (e.SizeClass == "mikro") != a.micro || e.MonthlyCapacity < a.downTo {
				continue
			}
			if e.MonthlyCapacity > a.afterCap || (e.MonthlyCapacity == a.afterCap && e.ID <= a.afterID) {
				continue
			}
			got = append(got, e)
		}
		slices.SortFunc(got, func(x, y entryRow) int {
			return cmp.Or(cmp.Compare(y.MonthlyCapacity, x.MonthlyCapacity), cmp.Compare(x.ID, y.ID))
		})
		if len(got) > a.lim {
			// The limit, and the rest of the last row's capacity.
			n := a.lim
			for n < len(got) && got[n].MonthlyCapacity == got[a.lim-1].MonthlyCapacity {
				n++
			}
			got = got[:n]
		} else if len(got) < a.lim && a.downTo > 0 {
			m.floored++
		}
		for _, e := range got {
			e.Source = i + 1
			out = append(out, e)
		}
	}
	return out, nil
}

// randomCatalog is a product's listed producers in a few provinces (and
// some with codes the planner cannot place), with capacities that often
// tie (and some that do not), some busy, paused or slow.
func randomCatalog(r *rand.Rand, today time.Time) []entryRow {
	provinces := []string{"31", "32", "35", "12", "73", "64", "91", ""}
	n := r.IntN(300)
	out, orgs := make([]entryRow, n), r.Perm(n)
	for i := range out {
		p := provinces[r.IntN(len(provinces))]
		e := entryRow{ID: int64(1000 + i), OrgID: int64(5000 + orgs[i]), Name: fmt.Sprintf("UMKM %d", i),
			SizeClass: []string{"mikro", "mikro", "kecil", "menengah", ""}[r.IntN(5)], ProvinceCode: p,
			MonthlyCapacity: []int{0, 500, 1000, 2000}[r.IntN(4)] + 500*r.IntN(40), PriceMin: int64(1000 + r.IntN(3000))}
		if p != "" {
			e.RegencyCode = fmt.Sprintf("%s.7%d", p, r.IntN(2)+1)
		}
		if r.IntN(3) == 0 {
			e.MonthlyCapacity += r.IntN(500)
		}
		e.PriceMax = e.PriceMin + int64(r.IntN(2000))
		if r.IntN(3) == 0 {
			e.Committed = int64(r.IntN(2 * (e.MonthlyCapacity + 1)))
		}
		if r.IntN(4) == 0 {
			lead := r.IntN(20)
			e.LeadTimeDays = &lead
		}
		if r.IntN(8) == 0 {
			paused := today.AddDate(0, 0, r.IntN(30))
			e.PausedUntil = &paused
		}
		out[i] = e
	}
	return out
}

// TestReadingGivesThePlanOverAll: whatever the catalogue, the sites, the
// favours and the batch, the plan made from what the reading reads is
// the plan over every listed producer. The catalogue is in memory, so
// thousands of cases run; the database's reading is the same code
// (TestPlanReadsFewAndIsThePlanOverAll holds it to the database).
func TestReadingGivesThePlanOverAll(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	cat := &memoryCatalog{}
	read, all := 0, 0
	for seed := range uint64(3000) {
		r := rand.New(rand.NewPCG(seed, 31))
		cat.entries = randomCatalog(r, today)
		in := planner.Input{Today: today, Deadline: today.AddDate(0, 0, r.IntN(120)+3),
			Options: planner.Options{FavourMicro: r.IntN(2) == 0, FavourOutsideJava: r.IntN(2) == 0,
				MinLine: []int{0, 1, 500, 1000, 5000}[r.IntN(5)]}}
		for range r.IntN(3) + 1 {
			p := []string{"31", "32", "35", "12", "73", "64", "91"}[r.IntN(7)]
			in.Sites = append(in.Sites, planner.Site{ProvinceCode: p, RegencyCode: fmt.Sprintf("%s.7%d", p, r.IntN(3)+1),
				Quantity: []int{800, 5000, 40000, 300000, 2000000}[r.IntN(5)] + r.IntN(1000)})
		}
		got, readers, err := planWith(cat.fetch, in, r.IntN(4)+1)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		every := in
		for _, e := range cat.entries {
			every.Candidates = append(every.Candidates, e.candidate())
		}
		if want := planner.Make(every); !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: the plan from %d producers read differs from the plan over all %d\n got %+v\nwant %+v",
				seed, len(readers), len(cat.entries), got.Lines, want.Lines)
		}
		read, all = read+len(readers), all+len(cat.entries)
	}
	// The reading must stop short of the catalogue, and stop at floors
	// (where what it did not read is bounded without a row), or the test
	// shows little.
	if read*2 > all || cat.floored < 1000 {
		t.Errorf("%d of %d producers read, %d reads stopped at a floor", read, all, cat.floored)
	}
	t.Logf("%d of %d producers read, %d reads stopped at a floor", read, all, cat.floored)
}
