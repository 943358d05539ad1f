package planner_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"pasokan/internal/planner"
)

// benchInput is n random producers and three sites (Jakarta, Surabaya,
// Makassar) due in 90 days, with favours on so that the comparisons do
// all their work. demand is the share of the free capacity asked for:
// below 1 the sites fill in the near rounds; above 1 every round walks
// every producer, which is Make's worst case.
func benchInput(n int, demand float64) planner.Input {
	r := rand.New(rand.NewPCG(uint64(n), 90))
	in := planner.Input{
		Today:       today,
		Deadline:    today.AddDate(0, 0, 90),
		TargetPrice: 4_500,
		Options:     planner.Options{FavourMicro: true, FavourOutsideJava: true},
	}
	free := 0
	for i := range n {
		c := randomCandidate(r, int64(i+1))
		in.Candidates = append(in.Candidates, c)
		free += freeOf(in, c)
	}
	// Shuffled, as a query ordered by anything but the id would give them.
	r.Shuffle(n, func(i, j int) { in.Candidates[i], in.Candidates[j] = in.Candidates[j], in.Candidates[i] })
	q := int(float64(free) * demand)
	in.Sites = []planner.Site{
		{ProvinceCode: "31", RegencyCode: "31.71", Quantity: q / 2},
		{ProvinceCode: "35", RegencyCode: "35.78", Quantity: q * 3 / 10},
		{ProvinceCode: "73", RegencyCode: "73.71", Quantity: q / 5},
	}
	return in
}

// BenchmarkMake plans three sites from 1,000 and 100,000 producers, with
// demand a tenth of the supply and twice it.
// Run: go test -run '^$' -bench Make ./internal/planner/
func BenchmarkMake(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		for _, demand := range []float64{0.1, 2} {
			in := benchInput(n, demand)
			b.Run(fmt.Sprintf("candidates=%d/demand=%gx", n, demand), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					planner.Make(in)
				}
			})
		}
	}
}
