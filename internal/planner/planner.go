// Package planner splits a buyer's demand (say 1,000,000 cloth masks by a
// date, delivered to several sites) across many small curated producers.
//
// Make is a greedy allocation that prefers producers near each site: it
// fills every site from its own regency first, then its province, then its
// island, then anywhere, so that a producer in Bandung serves the Bandung
// site before a far one and the goods travel as little as they can. Within
// a distance class it favours, on request, micro businesses and producers
// outside Java, then the producers with the most free capacity, so that a
// site is served by few, large lines rather than many crumbs.
//
// The package is pure: it reads no database and no clock, so the same
// input always gives the same plan, and the caller decides what "today" is.
package planner

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"time"
)

// Distance classes of a producer to a delivery site, nearest first.
const (
	SameRegency  = 0
	SameProvince = 1
	SameIsland   = 2
	Elsewhere    = 3
)

// Reasons a line has its amount.
const (
	ReasonSiteRest = "site_rest" // the rest of what the site still needed
	ReasonAllFree  = "all_free"  // all the producer's free capacity left
)

// Candidate is a producer that may take part of the demand, with what the
// catalogue lists about it and what it has already promised.
type Candidate struct {
	SupplierID         int64  // the producer's organisation id
	Name               string // for the caller's display; the plan does not use it
	SizeClass          string // "mikro", "kecil", "menengah" or ""
	ProvinceCode       string // Kemendagri code, e.g. "32" (Jawa Barat)
	RegencyCode        string // e.g. "32.73" (Kota Bandung)
	MonthlyCapacity    int
	LeadTimeDays       int       // 0 when unknown
	AvailableFrom      time.Time // zero, or the first day it takes orders (after a pause)
	Committed          int       // units its accepted, unfinished orders already commit
	PriceMin, PriceMax int64     // rupiah per unit, as listed
}

// Site is a delivery site of the demand and how many units it needs.
type Site struct {
	ProvinceCode string
	RegencyCode  string
	Quantity     int
}

// Options are the buyer's preferences among producers equally near a site.
type Options struct {
	FavourMicro       bool // within a distance class, micro businesses first
	FavourOutsideJava bool // within a distance class, producers outside Java first
	MinLine           int  // no line below this, except one that completes a site; <= 0 means DefaultMinLine
}

// DefaultMinLine is the smallest line worth an order of its own when the
// buyer sets none: below it, the paperwork and the shipping of a line cost
// more than the units are worth.
const DefaultMinLine = 1000

// Input is everything a plan is made from.
type Input struct {
	Today       time.Time // the day the plan is made (date part matters)
	Deadline    time.Time // the day everything must be delivered
	TargetPrice int64     // the buyer's target unit price, rupiah; 0 for none
	Sites       []Site
	Candidates  []Candidate
	Options     Options
}

// Line is one producer's share of one site's quantity.
type Line struct {
	Site       int // index into Input.Sites
	SupplierID int64
	Quantity   int
	UnitPrice  int64  // UnitPrice(Input.TargetPrice, candidate)
	Distance   int    // distance class to the site
	Capacity   int    // what it can make in the window: CapacityIn
	Committed  int    // Candidate.Committed, a negative one read as 0
	Free       int    // Capacity - Committed, never below 0, before this plan
	Reason     string // ReasonSiteRest or ReasonAllFree
}

// SiteCover is how much of one site's quantity the plan covers.
type SiteCover struct {
	Quantity, Covered, Shortfall int
}

// Plan is the allocation Make returns.
type Plan struct {
	// Lines are sorted by Site, then Distance, then the order they were
	// allocated in, which within one site and distance class is the order
	// of preference (see Make).
	Lines     []Line
	Sites     []SiteCover // one per Input.Sites, same order
	Demand    int         // sum of the sites' quantities
	Covered   int
	Shortfall int // Demand - Covered
}

// Island returns the island group of a province code by its first digit:
// "1" and "2" Sumatera (21, Kepulauan Riau, lies off Sumatera and ships
// through it), "3" Jawa, "5" Bali dan Nusa Tenggara, "6" Kalimantan,
// "7" Sulawesi, "8" Maluku, "9" Papua; "" for an unknown code.
func Island(provinceCode string) string {
	if provinceCode == "" {
		return ""
	}
	switch provinceCode[0] {
	case '1', '2':
		return "Sumatera"
	case '3':
		return "Jawa"
	case '5':
		return "Bali dan Nusa Tenggara"
	case '6':
		return "Kalimantan"
	case '7':
		return "Sulawesi"
	case '8':
		return "Maluku"
	case '9':
		return "Papua"
	}
	return ""
}

// IsJava reports whether a province code is on Java.
func IsJava(provinceCode string) bool {
	return Island(provinceCode) == "Jawa"
}

// DistanceOf is the distance class of a producer to a site.
//
// An empty code matches nothing, so a producer or site with unknown codes
// is Elsewhere rather than "near" every other unknown one.
func DistanceOf(c Candidate, s Site) int {
	return distance(c.RegencyCode, c.ProvinceCode, Island(c.ProvinceCode),
		s.RegencyCode, s.ProvinceCode, Island(s.ProvinceCode))
}

// distance is DistanceOf on codes whose islands are already known, so that
// Make looks each island up once per producer rather than once per site.
func distance(cRegency, cProvince, cIsland, sRegency, sProvince, sIsland string) int {
	switch {
	case cRegency != "" && cRegency == sRegency:
		return SameRegency
	case cProvince != "" && cProvince == sProvince:
		return SameProvince
	case cIsland != "" && cIsland == sIsland:
		return SameIsland
	}
	return Elsewhere
}

// CapacityIn is what the candidate can make between max(Today, AvailableFrom) and
// Deadline, less its lead time: MonthlyCapacity * days / 30 (integer, floor), 0 when days <= 0.
//
// Days are whole calendar days between the dates in UTC, so the hour a
// time carries does not change the plan. A negative capacity or lead time
// is read as 0, and a product that would not fit an int saturates rather
// than wraps, so that absurd input cannot turn into a negative capacity.
func CapacityIn(c Candidate, today, deadline time.Time) int {
	return capacityIn(&c, dayNumber(today), dayNumber(deadline))
}

// capacityIn is CapacityIn on day numbers, so that Make converts today and
// the deadline once rather than once per candidate.
func capacityIn(c *Candidate, today, deadline int64) int {
	start := today
	if !c.AvailableFrom.IsZero() {
		start = max(start, dayNumber(c.AvailableFrom))
	}
	days := deadline - start - int64(max(c.LeadTimeDays, 0))
	if days <= 0 || c.MonthlyCapacity <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(c.MonthlyCapacity), uint64(days))
	if hi >= 30 {
		return math.MaxInt
	}
	q, _ := bits.Div64(hi, lo, 30)
	if q > math.MaxInt {
		return math.MaxInt
	}
	return int(q)
}

// dayNumber is the number of the UTC calendar day of t, counted from the
// Unix epoch. Unix time has exactly 86,400 seconds a day, so flooring it
// gives the UTC date; it works on seconds rather than time.Duration
// because a Duration saturates at about 292 years, which a zero Today
// would exceed.
func dayNumber(t time.Time) int64 {
	u := t.Unix()
	d := u / 86400
	if u%86400 < 0 {
		d--
	}
	return d
}

// UnitPrice is the line's price: the target price clamped into [PriceMin, PriceMax];
// with no target price, PriceMin.
//
// A negative target is read as none. A PriceMax below PriceMin (which the
// catalogue forbids) is read as PriceMin, so the price is never below what
// the producer asks.
func UnitPrice(target int64, c Candidate) int64 {
	if target <= 0 {
		return c.PriceMin
	}
	return min(max(target, c.PriceMin), max(c.PriceMax, c.PriceMin))
}

// producer is a candidate with free capacity and what Make derives from it
// once, rather than once per site or per comparison. It is kept small
// because a plan may weigh a hundred thousand of them.
type producer struct {
	idx         int // into Input.Candidates
	id          int64
	capacity    int
	committed   int
	free        int // before this plan
	left        int // free capacity this plan has not used yet
	price       int64
	micro       bool
	outsideJava bool
	shared      bool // another candidate has the same SupplierID
}

// allocation is a line as Make allocates it, kept small until the plan's
// lines are laid out by site at the end.
type allocation struct {
	producer int32
	site     int32
	distance int8
	amount   int
}

// Group is a producer's kind among those the buyer's options favour:
// Micro when Options.FavourMicro is set and the producer is a micro
// business, OutsideJava when Options.FavourOutsideJava is set and it lies
// outside Java. A favour not asked for leaves its field false for every
// producer, so without favours there is one group, the zero Group.
type Group struct{ Micro, OutsideJava bool }

// Groups are the groups the options tell apart, most favoured first.
func (o Options) Groups() []Group {
	micro := []bool{false}
	if o.FavourMicro {
		micro = []bool{true, false}
	}
	outside := []bool{false}
	if o.FavourOutsideJava {
		outside = []bool{true, false}
	}
	var out []Group
	for _, m := range micro {
		for _, j := range outside {
			out = append(out, Group{Micro: m, OutsideJava: j})
		}
	}
	return out
}

// rank is a group's place in the preference order, 0 the most favoured:
// micro before the rest when favoured, then outside Java before Java.
func (o Options) rank(micro, outsideJava bool) int {
	r := 0
	if o.FavourMicro && !micro {
		r |= 2
	}
	if o.FavourOutsideJava && !outsideJava {
		r |= 1
	}
	return r
}

// Unread bounds the producers a caller left out of Input.Candidates: for a
// site, a distance class to it and a group, the most free capacity
// (CapacityIn less what is committed) that any producer left out may have,
// or 0 when none is left out. A caller that reads producers in order of
// monthly capacity knows such a bound: CapacityIn of the last one it read.
type Unread func(site, class int, g Group) int

// Gap is a site's distance class and a group where a producer left out of
// the candidates could have taken a line: one of the group with Below or
// more free capacity. The caller reads more of that class and group (until
// what it has not read may have less than Below) and plans again.
type Gap struct {
	Site, Class int
	Group       Group
	Below       int
}

// MakeFrom is Make on the candidates a caller read out of many, with the
// proof that they were enough. It returns the plan and the gaps: when there
// are none, Make on every producer, those read and those left out, returns
// the same plan.
//
// The proof follows the rounds. A producer left out, with free capacity at
// most u, would come before a candidate c in a site's walk only if its
// group is favoured over c's, or is c's and u >= c's free capacity left.
// There it takes a line only if u reaches the minimum line or what the site
// still needs (otherwise it is passed over, and changes nothing). A walk
// where no such producer can come before any candidate it reaches, nor
// after its last one while the site still needs units, gives no producer
// left out a line; if no walk does, those producers keep all their free
// capacity, and every walk sees what it would have seen with them.
func MakeFrom(in Input, unread Unread) (Plan, []Gap) {
	return makePlan(in, unread)
}

// Make returns the plan. It is a pure function: no I/O, no clock, no randomness.
//
// The rules:
//
//   - A candidate's free capacity is max(0, CapacityIn - Committed); one
//     with none gets no line.
//   - Allocation goes in rounds by distance class, SameRegency first. In
//     each round the sites still short are taken in order of what they
//     still need (most first, ties by index), and for a site the
//     candidates of that class to it in order of preference: micro first
//     (if FavourMicro), outside Java first (if FavourOutsideJava), then
//     the most free capacity left, then SupplierID ascending; candidates
//     that still tie are ordered by their other fields, so the order is
//     total and the plan does not depend on the order of Input.Candidates.
//   - A candidate gives a site min(what the site still needs, its free
//     capacity left). An amount below the minimum line is given only when
//     it completes the site; otherwise the candidate is passed over for
//     that site. A line that completes its site has ReasonSiteRest, any
//     other ReasonAllFree.
//
// Each candidate falls into exactly one distance class of a site, so it is
// considered once per site and a (site, supplier) pair has at most one
// line. SupplierIDs are expected to be unique; should two candidates share
// one, the first in preference order takes the line at a site and the
// other is passed over there, so the pair still has one line.
//
// The preference order is computed when a site's turn in a round comes.
// While the site is served only the candidate being served loses free
// capacity, so the order computed once equals the order recomputed after
// every line: one sort per site and round suffices, and Make costs
// O(sites × candidates × log candidates).
//
// A negative site quantity is read as 0. Empty sites or candidates and a
// deadline before today give a plan with no lines.
func Make(in Input) Plan {
	p, _ := makePlan(in, nil)
	return p
}

// makePlan is Make, and with unread the gaps of MakeFrom.
func makePlan(in Input, unread Unread) (Plan, []Gap) {
	minLine := in.Options.MinLine
	if minLine <= 0 {
		minLine = DefaultMinLine
	}

	plan := Plan{Sites: make([]SiteCover, len(in.Sites))}
	need := make([]int, len(in.Sites))
	for i, s := range in.Sites {
		q := max(s.Quantity, 0)
		need[i] = q
		plan.Sites[i].Quantity = q
		plan.Demand += q
	}

	today, deadline := dayNumber(in.Today), dayNumber(in.Deadline)
	prods := make([]producer, 0, len(in.Candidates))
	for i := range in.Candidates {
		c := &in.Candidates[i]
		capacity := capacityIn(c, today, deadline)
		committed := max(c.Committed, 0)
		free := max(capacity-committed, 0)
		if free == 0 {
			continue
		}
		prods = append(prods, producer{
			idx:         i,
			id:          c.SupplierID,
			capacity:    capacity,
			committed:   committed,
			free:        free,
			left:        free,
			price:       UnitPrice(in.TargetPrice, *c),
			micro:       c.SizeClass == "mikro",
			outsideJava: !IsJava(c.ProvinceCode),
		})
	}
	markShared(prods)

	// Each producer goes into one class of each site, once: the rounds then
	// only sort and walk their own class. The classes share one array, cut
	// to size by a first pass that counts them.
	dist := make([]int8, len(in.Sites)*len(prods))
	counts := make([][Elsewhere + 1]int, len(in.Sites))
	sized := 0
	for s, site := range in.Sites {
		if need[s] == 0 {
			continue
		}
		island := Island(site.ProvinceCode)
		row := dist[s*len(prods) : (s+1)*len(prods)]
		for p := range prods {
			c := &in.Candidates[prods[p].idx]
			d := distance(c.RegencyCode, c.ProvinceCode, Island(c.ProvinceCode), site.RegencyCode, site.ProvinceCode, island)
			row[p] = int8(d)
			counts[s][d]++
		}
		sized += len(prods)
	}
	all := make([]int32, 0, sized)
	classes := make([][Elsewhere + 1][]int32, len(in.Sites))
	for s := range in.Sites {
		for d := range classes[s] {
			classes[s][d] = all[len(all) : len(all) : len(all)+counts[s][d]]
			all = all[:len(all)+counts[s][d]]
		}
	}
	for s := range in.Sites {
		if need[s] == 0 {
			continue
		}
		for p, d := range dist[s*len(prods) : (s+1)*len(prods)] {
			classes[s][d] = append(classes[s][d], int32(p))
		}
	}

	prefer := func(a, b int32) int {
		x, y := &prods[a], &prods[b]
		if in.Options.FavourMicro && x.micro != y.micro {
			if x.micro {
				return -1
			}
			return 1
		}
		if in.Options.FavourOutsideJava && x.outsideJava != y.outsideJava {
			if x.outsideJava {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(y.left, x.left); c != 0 {
			return c
		}
		if c := cmp.Compare(x.id, y.id); c != 0 {
			return c
		}
		return compareCandidates(&in.Candidates[x.idx], &in.Candidates[y.idx])
	}

	// bounds[r] is, during a site's walk, unread's bound for the group of
	// rank r (0 for groups the options do not tell apart), and below[r]
	// the least free capacity a producer left out of that group needs to
	// take a line in the walk so far.
	var bounds, below [4]int
	groups := in.Options.Groups()
	var byRank [4]Group
	for _, g := range groups {
		byRank[in.Options.rank(g.Micro, g.OutsideJava)] = g
	}
	var gaps []Gap
	// reached notes a candidate of rank r, with free capacity left, that
	// the walk reaches while the site still needs need. A producer left
	// out of a group favoured over r comes before it, and takes a line
	// there if it has the minimum line or what the site needs; one of
	// group r comes before it with as much free capacity as it has left
	// (ties go by id, which a bound does not know). rank len(below) is
	// the end of the walk, where every producer left out comes.
	reached := func(r, left, need int) {
		for g := range below {
			t := min(minLine, need)
			if g == r {
				t = max(t, left)
			} else if g > r {
				break
			}
			below[g] = min(below[g], t)
		}
	}

	var allocs []allocation
	perSite := make([]int, len(in.Sites))
	// served holds, for SupplierIDs that several candidates share, the
	// sites where one of them has a line, to keep one line per (site,
	// supplier) pair. Unique ids, the rule, need no look-up.
	var served map[[2]int64]bool
	order := make([]int, 0, len(in.Sites))
	for d := SameRegency; d <= Elsewhere; d++ {
		order = order[:0]
		for s := range need {
			if need[s] > 0 {
				order = append(order, s)
			}
		}
		slices.SortFunc(order, func(a, b int) int {
			if c := cmp.Compare(need[b], need[a]); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
		for _, s := range order {
			// Producers used up by nearer classes or other sites would
			// only be skipped: drop them before sorting.
			live := classes[s][d][:0]
			for _, p := range classes[s][d] {
				if prods[p].left > 0 {
					live = append(live, p)
				}
			}
			slices.SortFunc(live, prefer)
			check := unread != nil
			if check {
				bounds = [4]int{}
				below = [4]int{math.MaxInt, math.MaxInt, math.MaxInt, math.MaxInt}
				for _, g := range groups {
					bounds[in.Options.rank(g.Micro, g.OutsideJava)] = max(unread(s, d, g), 0)
				}
			}
			for _, p := range live {
				if need[s] == 0 {
					break
				}
				pr := &prods[p]
				if check {
					reached(in.Options.rank(pr.micro, pr.outsideJava), pr.left, need[s])
				}
				amount := min(need[s], pr.left)
				if amount < minLine && amount != need[s] {
					continue
				}
				if pr.shared {
					key := [2]int64{int64(s), pr.id}
					if served[key] {
						continue
					}
					if served == nil {
						served = make(map[[2]int64]bool)
					}
					served[key] = true
				}
				pr.left -= amount
				need[s] -= amount
				allocs = append(allocs, allocation{producer: p, site: int32(s), distance: int8(d), amount: amount})
				perSite[s]++
			}
			// The walk ran out of candidates while the site still needs
			// units: any producer left out comes after them all.
			if check && need[s] > 0 {
				reached(len(below), 0, need[s])
			}
			if check {
				for _, g := range groups {
					r := in.Options.rank(g.Micro, g.OutsideJava)
					if below[r] != math.MaxInt && bounds[r] >= below[r] {
						gaps = append(gaps, Gap{Site: s, Class: d, Group: byRank[r], Below: below[r]})
					}
				}
			}
		}
	}

	// The lines go by site in allocation order, which within a site is by
	// distance, then preference, because the rounds run nearest first; a
	// site's last line completes it when the site ends with no need left.
	plan.Lines = make([]Line, len(allocs))
	next := make([]int, len(in.Sites))
	for s := 1; s < len(in.Sites); s++ {
		next[s] = next[s-1] + perSite[s-1]
	}
	for _, a := range allocs {
		s := int(a.site)
		pr := &prods[a.producer]
		perSite[s]--
		reason := ReasonAllFree
		if perSite[s] == 0 && need[s] == 0 {
			reason = ReasonSiteRest
		}
		plan.Lines[next[s]] = Line{
			Site:       s,
			SupplierID: pr.id,
			Quantity:   a.amount,
			UnitPrice:  pr.price,
			Distance:   int(a.distance),
			Capacity:   pr.capacity,
			Committed:  pr.committed,
			Free:       pr.free,
			Reason:     reason,
		}
		next[s]++
	}
	for s := range in.Sites {
		covered := plan.Sites[s].Quantity - need[s]
		plan.Sites[s].Covered = covered
		plan.Sites[s].Shortfall = need[s]
		plan.Covered += covered
	}
	plan.Shortfall = plan.Demand - plan.Covered
	return plan, gaps
}

// markShared marks the producers whose SupplierID another producer has
// too. Callers send unique ids, often in order, so an ordered slice is
// checked in one pass, and only an unordered one is sorted.
func markShared(prods []producer) {
	ordered := true
	for i := 1; i < len(prods); i++ {
		if prods[i-1].id >= prods[i].id {
			ordered = false
			break
		}
	}
	if ordered {
		return
	}
	ids := make([]int64, len(prods))
	for i := range prods {
		ids[i] = prods[i].id
	}
	slices.Sort(ids)
	var dup map[int64]bool
	for i := 1; i < len(ids); i++ {
		if ids[i-1] == ids[i] {
			if dup == nil {
				dup = make(map[int64]bool)
			}
			dup[ids[i]] = true
		}
	}
	for i := range prods {
		prods[i].shared = dup[prods[i].id]
	}
}

// compareCandidates orders candidates that tie on every preference by all
// their other fields, so that the preference order is total and a plan
// never depends on the order of Input.Candidates. Candidates equal here
// give identical lines, so their relative order cannot show in a plan.
func compareCandidates(a, b *Candidate) int {
	return cmp.Or(
		cmp.Compare(a.SupplierID, b.SupplierID),
		cmp.Compare(a.RegencyCode, b.RegencyCode),
		cmp.Compare(a.ProvinceCode, b.ProvinceCode),
		cmp.Compare(a.SizeClass, b.SizeClass),
		cmp.Compare(a.MonthlyCapacity, b.MonthlyCapacity),
		cmp.Compare(a.LeadTimeDays, b.LeadTimeDays),
		a.AvailableFrom.Compare(b.AvailableFrom),
		cmp.Compare(a.Committed, b.Committed),
		cmp.Compare(a.PriceMin, b.PriceMin),
		cmp.Compare(a.PriceMax, b.PriceMax),
		cmp.Compare(a.Name, b.Name),
	)
}
