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
