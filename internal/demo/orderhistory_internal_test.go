package demo

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestHistoryDemandsStayWithinTheSchema: however much a group of producers
// could make, a demand of the history asks for at most maxDemand, within
// the schema's 100,000,000 units. At 1,000,000 suppliers a group of large
// surgical-mask makers exceeded it and the seed failed on its last step.
func TestHistoryDemandsStayWithinTheSchema(t *testing.T) {
	var all []candidate
	for i := range 2000 {
		all = append(all, candidate{OrgID: int64(i + 1), Name: "Pabrik Masker", ProductType: "masker-bedah",
			SizeClass: "menengah", ProvinceCode: "31", RegencyCode: "31.71", MonthlyCapacity: 5_400_000,
			PriceMin: 500, PriceMax: 900, CuratedAt: time.Date(2020, time.May, 4, 9, 0, 0, 0, wib)})
	}
	r := rand.New(rand.NewPCG(1, 2))
	specs := historySpecs(r, all, 400, time.Date(2021, time.January, 4, 9, 0, 0, 0, wib))
	if len(specs) == 0 {
		t.Fatal("no demand laid out")
	}
	capped := 0
	for _, sp := range specs {
		total := 0
		for _, q := range sp.need {
			if q < 1 {
				t.Errorf("a site asks for %d", q)
			}
			total += q
		}
		if total > maxDemand {
			t.Errorf("a demand asks for %d, more than %d", total, maxDemand)
		}
		if total == maxDemand {
			capped++
		}
	}
	if capped == 0 {
		t.Error("no demand reached the bound: the test does not exercise it")
	}
}

// TestHistoryDemandsStayWithinTheHistory: the demands of a million
// suppliers' history (222,524 of them) are drafted in order, on working
// days, by day, and none after the last days of the history. With
// ten minutes between demands that would come at once, they ran into the
// following June and their offers stayed open, unanswered; and after the
// 200th they were laid out by those steps alone (an overflow), all in the
// history's second month at 10,000 suppliers.
func TestHistoryDemandsStayWithinTheHistory(t *testing.T) {
	start, end := historyStart.AddDate(5, 0, 0), historyEnd.AddDate(5, 0, 0)
	for _, n := range []int{9, 2_300, 222_524} {
		r := rand.New(rand.NewPCG(2020, 8))
		c := newDemandClock(start, end, n)
		var prev time.Time
		months := map[string]bool{}
		for i := range n {
			at := c.next(r, i)
			months[at.Format("2006-01")] = true
			if !at.After(prev) {
				t.Fatalf("%d demands: demand %d drafted at %v, not after the one before (%v)", n, i, at, prev)
			}
			prev = at
			if wd := at.Weekday(); wd == time.Saturday || wd == time.Sunday {
				t.Fatalf("%d demands: demand %d drafted on a %v", n, i, wd)
			}
			if h := at.In(wib).Hour(); h < 8 || h >= 22 {
				t.Fatalf("%d demands: demand %d drafted at %v, at night", n, i, at)
			}
			if at.Before(start) || at.After(end.AddDate(0, 0, -7)) {
				t.Fatalf("%d demands: demand %d drafted at %v, outside %v to a week before %v", n, i, at, start, end)
			}
		}
		// Every month of the history has its demands (June to December of
		// the next year: 19 months).
		if n > 1000 && len(months) != 19 {
			t.Errorf("%d demands drafted in %d months of the history's 19", n, len(months))
		}
	}
	if s := newDemandClock(start, end, 2_300).step; s != 600 {
		t.Errorf("at 10,000 suppliers demands follow each other by up to %d s, want the 600 s they always had", s)
	}
}
