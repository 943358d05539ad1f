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
// each site, distance class and group, the most capable first, a few at a
// time, more of a class's group each time MakeFrom names it in a gap (the
// group's candidates down to the gap's Below, or twice as many as read).
// When MakeFrom names none, its plan must be Make's plan over every
// candidate, though some were never read; and reading only the groups the
// gaps name must still get there.
func TestMakeFromReadsEnough(t *testing.T) {
	t.Parallel()
	partial, skipped := 0, 0
	for seed := range uint64(400) {
		r := rand.New(rand.NewPCG(seed, 4242))
		in := randomInput(r)
		full := planner.Make(in)
		toBelow := seed%2 == 0
		// byClass[s][d][g] are the candidates of class d to site s in
		// group g, most free capacity first; taken[s][d][g] how many of
		// them are read.
		type key struct {
			site, class int
			group       planner.Group
		}
		byClass := map[key][]int{}
		taken := map[key]int{}
		for s, site := range in.Sites {
			for i, c := range in.Candidates {
				k := key{s, planner.DistanceOf(c, site), groupOf(in.Options, c)}
				byClass[k] = append(byClass[k], i)
			}
		}
		for k := range byClass {
			slices.SortFunc(byClass[k], func(a, b int) int {
				return cmp.Compare(freeOf(in, in.Candidates[b]), freeOf(in, in.Candidates[a]))
			})
			taken[k] = min(2, len(byClass[k]))
		}
		for round := 0; ; round++ {
			read := map[int]bool{}
			for k, all := range byClass {
				for _, i := range all[:taken[k]] {
					read[i] = true
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
				// A group no gap named, with producers left out.
				for k, all := range byClass {
					if taken[k] < len(all) && freeOf(in, in.Candidates[all[taken[k]]]) > 0 {
						skipped++
						break
					}
				}
				break
			}
			grew := false
			for _, g := range gaps {
				k := key{g.Site, g.Class, g.Group}
				all, n := byClass[k], taken[k]
				if n == len(all) {
					continue
				}
				if toBelow {
					for n < len(all) && freeOf(in, in.Candidates[all[n]]) >= g.Below {
						n++
					}
				} else {
					n = min(len(all), 2*n+1)
				}
				if n > taken[k] {
					taken[k] = n
					grew = true
				}
			}
			if !grew {
				t.Fatalf("seed %d: gaps %v in groups read whole, or down to their Below", seed, gaps)
			}
		}
	}
	// The proof must let plans stop early, or the test shows nothing.
	if partial < 100 {
		t.Errorf("only %d of 400 plans were proven whole before every candidate was read", partial)
	}
	if skipped < 50 {
		t.Errorf("only %d of 400 plans left a group unread that no gap named", skipped)
	}
}

// TestMakeFromGapBelow: a gap's Below is the bound that closes it. With
// its group's bound at Below the gap stays; one less and it goes, and no
// other gap changes (the walk does not depend on the bounds).
func TestMakeFromGapBelow(t *testing.T) {
	t.Parallel()
	checked := 0
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 77))
		in := randomInput(r)
		sub, left := split(in, func(int) bool { return r.IntN(3) == 0 })
		unread := exactUnread(in, left, 0)
		_, gaps := planner.MakeFrom(sub, unread)
		for i, g := range gaps {
			if g.Below <= 0 || unread(g.Site, g.Class, g.Group) < g.Below {
				t.Fatalf("seed %d: gap %+v with the bound %d", seed, g, unread(g.Site, g.Class, g.Group))
			}
			with := func(bound int) planner.Unread {
				return func(site, class int, group planner.Group) int {
					if site == g.Site && class == g.Class && group == g.Group {
						return bound
					}
					return unread(site, class, group)
				}
			}
			_, at := planner.MakeFrom(sub, with(g.Below))
			if !reflect.DeepEqual(at, gaps) {
				t.Fatalf("seed %d: with the bound at Below the gaps are %v, want %v", seed, at, gaps)
			}
			_, under := planner.MakeFrom(sub, with(g.Below-1))
			want := slices.Delete(slices.Clone(gaps), i, i+1)
			if !reflect.DeepEqual(under, want) && !(len(under) == 0 && len(want) == 0) {
				t.Fatalf("seed %d: with the bound under Below the gaps are %v, want %v", seed, under, want)
			}
			checked++
		}
	}
	if checked < 200 {
		t.Errorf("only %d gaps checked", checked)
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
	if _, gaps := planner.MakeFrom(sub, exactUnread(in, left, 0)); len(gaps) != 1 || gaps[0] != (planner.Gap{Site: 0, Class: planner.SameRegency, Below: freeOf(in, b)}) {
		t.Errorf("gaps %v, want the site's own regency", gaps)
	}
}
