package planner_test

import (
	"cmp"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"pasokan/internal/planner"
)

// groupOf is the group the options put a candidate in.
func groupOf(o planner.Options, c planner.Candidate) planner.Group {
	return planner.Group{
		Micro:       o.FavourMicro && c.SizeClass == "mikro",
		OutsideJava: o.FavourOutsideJava && !planner.IsJava(c.ProvinceCode),
	}
}

// exactUnread bounds the candidates left out by the most free capacity of
// each site's class and group among them: the tightest bound there is.
// slack adds to every bound that is not 0, to show that a looser bound is
// as safe.
func exactUnread(in planner.Input, left []planner.Candidate, slack int) planner.Unread {
	return func(site, class int, g planner.Group) int {
		u := 0
		for _, c := range left {
			if planner.DistanceOf(c, in.Sites[site]) == class && groupOf(in.Options, c) == g {
				u = max(u, freeOf(in, c))
			}
		}
		if u > 0 {
			u += slack
		}
		return u
	}
}

// split is in with only the candidates read, and the ones left out.
func split(in planner.Input, read func(i int) bool) (planner.Input, []planner.Candidate) {
	sub := in
	sub.Candidates = nil
	var left []planner.Candidate
	for i, c := range in.Candidates {
		if read(i) {
			sub.Candidates = append(sub.Candidates, c)
		} else {
			left = append(left, c)
		}
	}
	return sub, left
}

// TestMakeFromReadsEnough reads candidates as the order package does: for
// each site and distance class, the most capable first, a few at a time,
// more of a class each time MakeFrom names it a gap. When MakeFrom names
// none, its plan must be Make's plan over every candidate, though some were
// never read.
func TestMakeFromReadsEnough(t *testing.T) {
	t.Parallel()
	partial := 0
	for seed := range uint64(400) {
		r := rand.New(rand.NewPCG(seed, 4242))
		in := randomInput(r)
		full := planner.Make(in)
		// byClass[s][d] are the candidates of class d to site s, most
		// free capacity first; taken[s][d] how many of them are read.
		byClass := make([][4][]int, len(in.Sites))
		taken := make([][4]int, len(in.Sites))
		for s, site := range in.Sites {
			for i, c := range in.Candidates {
				d := planner.DistanceOf(c, site)
				byClass[s][d] = append(byClass[s][d], i)
			}
			for d := range byClass[s] {
				slices.SortFunc(byClass[s][d], func(a, b int) int {
					return cmp.Compare(freeOf(in, in.Candidates[b]), freeOf(in, in.Candidates[a]))
				})
				taken[s][d] = min(2, len(byClass[s][d]))
			}
		}
		for round := 0; ; round++ {
			read := map[int]bool{}
			for s := range byClass {
				for d := range byClass[s] {
					for _, i := range byClass[s][d][:taken[s][d]] {
						read[i] = true
					}
				}
			}
			sub, left := split(in, func(i int) bool { return read[i] })
			p, gaps := planner.MakeFrom(sub, exactUnread(in, left, 0))
			if len(gaps) == 0 {
				if !reflect.DeepEqual(p, full) {
					t.Fatalf("seed %d: no gaps with %d of %d candidates read, yet the plan differs\n got %+v\nwant %+v",
						seed, len(sub.Candidates), len(in.Candidates), p, full)
				}
				if len(left) > 0 {
					partial++
				}
				break
			}
			grew := false
			for _, g := range gaps {
				n := len(byClass[g.Site][g.Class])
				if taken[g.Site][g.Class] < n {
					taken[g.Site][g.Class] = min(n, 2*taken[g.Site][g.Class]+1)
					grew = true
				}
			}
			if !grew {
				t.Fatalf("seed %d: gaps %v in classes read whole", seed, gaps)
			}
		}
	}
	// The proof must let plans stop early, or the test shows nothing.
	if partial < 100 {
		t.Errorf("only %d of 400 plans were proven whole before every candidate was read", partial)
	}
}

// TestMakeFromNamesEveryGap leaves out candidates at random: whenever the
// plan from the rest differs from the plan from all, MakeFrom must name a
// gap, with the tightest bound or a looser one.
func TestMakeFromNamesEveryGap(t *testing.T) {
	t.Parallel()
	differed, proven := 0, 0
	for seed := range uint64(600) {
		r := rand.New(rand.NewPCG(seed, 99))
		in := randomInput(r)
		full := planner.Make(in)
		keep := []int{1, 2, 4, 8}[r.IntN(4)]
		sub, left := split(in, func(int) bool { return r.IntN(10) < keep })
		slack := []int{0, 0, 1, 1000}[r.IntN(4)]
		p, gaps := planner.MakeFrom(sub, exactUnread(in, left, slack))
		if same := reflect.DeepEqual(p, planner.Make(sub)); !same {
			t.Fatalf("seed %d: MakeFrom's plan is not Make's on the same candidates", seed)
		}
		if !reflect.DeepEqual(p, full) {
			differed++
			if len(gaps) == 0 {
				t.Fatalf("seed %d: %d candidates left out change the plan, and MakeFrom names no gap", seed, len(left))
			}
		} else if len(gaps) == 0 && len(left) > 0 {
			proven++
		}
	}
	if differed < 100 || proven < 30 {
		t.Errorf("too few telling cases: %d plans changed by what was left out, %d proven whole without it", differed, proven)
	}
}

// TestMakeFromWithNothingLeftOut: with every candidate read (every bound
// 0) there is no gap, and the plan is Make's.
func TestMakeFromWithNothingLeftOut(t *testing.T) {
	t.Parallel()
	for seed := range uint64(200) {
		in := randomInput(rand.New(rand.NewPCG(seed, 5)))
		p, gaps := planner.MakeFrom(in, func(int, int, planner.Group) int { return 0 })
		if len(gaps) > 0 || !reflect.DeepEqual(p, planner.Make(in)) {
			t.Fatalf("seed %d: gaps %v with nothing left out", seed, gaps)
		}
	}
}

// TestMakeFromTie: a producer left out with as much free capacity as the
// one read, and a smaller id, comes first: that is a gap.
func TestMakeFromTie(t *testing.T) {
	t.Parallel()
	a := planner.Candidate{SupplierID: 1, ProvinceCode: "32", RegencyCode: "32.73", MonthlyCapacity: 3000}
	b := a
	b.SupplierID = 2
	in := planner.Input{Today: today, Deadline: inDays(60),
		Sites: []planner.Site{{ProvinceCode: "32", RegencyCode: "32.73", Quantity: 6000}}, Candidates: []planner.Candidate{a, b}}
	full := planner.Make(in)
	if len(full.Lines) != 1 || full.Lines[0].SupplierID != 1 {
		t.Fatalf("the tie goes to the smaller id: %+v", full.Lines)
	}
	sub, left := split(in, func(i int) bool { return i == 1 })
	if _, gaps := planner.MakeFrom(sub, exactUnread(in, left, 0)); len(gaps) != 1 || gaps[0] != (planner.Gap{Site: 0, Class: planner.SameRegency}) {
		t.Errorf("gaps %v, want the site's own regency", gaps)
	}
}
