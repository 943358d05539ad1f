package order

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/planner"
)

// A demand's page plans what the demand still needs on every view. The
// planner serves each site from its regency first, then its province, its
// island, then elsewhere, and within each class the producers with the
// most free capacity first. Reading every listed producer of the product
// for that (37,411 cloth-mask makers at 200,000 suppliers) made the page
// cost as much as the catalogue is large. Here each class is read in
// order of monthly capacity, a batch at a time: no producer not yet read
// can make more by the deadline than the last one read, and
// planner.MakeFrom tells from that bound whether one could change the
// plan, and in which classes. The plan is the plan over every listed
// producer; what it reads grows with the plan, not with the catalogue.

// entryRow is a listed producer of a product, from the catalogue's public
// entries, and the source it was read from (1-based; 0 for none).
type entryRow struct {
	Source          int        `db:"source"`
	ID              int64      `db:"id"`
	OrgID           int64      `db:"organization_id"`
	Name            string     `db:"name"`
	SizeClass       string     `db:"size_class"`
	ProvinceCode    string     `db:"province_code"`
	RegencyCode     string     `db:"regency_code"`
	MonthlyCapacity int        `db:"monthly_capacity"`
	LeadTimeDays    *int       `db:"lead_time_days"`
	PriceMin        int64      `db:"price_min"`
	PriceMax        int64      `db:"price_max"`
	PausedUntil     *time.Time `db:"paused_until"`
	// Committed is what the producer's accepted, unfinished orders and the
	// buyer's unanswered offers to it take (withCommitted).
	Committed int64 `db:"committed"`
}

func (r entryRow) candidate() planner.Candidate {
	c := planner.Candidate{SupplierID: r.OrgID, Name: r.Name, SizeClass: r.SizeClass, ProvinceCode: r.ProvinceCode,
		RegencyCode: r.RegencyCode, MonthlyCapacity: r.MonthlyCapacity, PriceMin: r.PriceMin, PriceMax: r.PriceMax,
		Committed: int(r.Committed)}
	if r.LeadTimeDays != nil {
		c.LeadTimeDays = *r.LeadTimeDays
	}
	if r.PausedUntil != nil {
		c.AvailableFrom = r.PausedUntil.AddDate(0, 0, 1)
	}
	return c
}

const entryColumns = `e.id, e.organization_id, e.name, e.size_class, e.province_code, e.regency_code,
       e.monthly_capacity, e.lead_time_days, e.price_min, e.price_max, e.paused_until`

// sourceSQL is one kind of source's branch of sourcesSQL: the rows after
// the last one read, most capable first, up to the limit and the rest of
// the last one's capacity (WITH TIES), along the index that leads with
// (product, where) and ends with the capacity. Ordered by capacity alone,
// the index gives the order and the walk stops after the page: ordered by
// (capacity, id), a generic plan that guessed one row per regency sorted
// the regency's whole range (1,375 entries a source on average for the
// load test's demand at 1,000,000 suppliers, for 16). The rows come back
// ordered by id within a capacity from the statement's own ORDER BY.
func sourceSQL(kind, where string) string {
	return `(SELECT ` + entryColumns + ` FROM catalog_entries e
     WHERE r.kind = '` + kind + `' AND e.product_type = $1 AND ` + where + ` = r.code
       AND e.monthly_capacity <= r.after_cap AND (e.monthly_capacity < r.after_cap OR e.id > r.after_id)
       AND e.monthly_capacity >= r.down_to AND (e.size_class = 'mikro') = r.micro
     ORDER BY e.monthly_capacity DESC FETCH FIRST (r.lim) ROWS WITH TIES)`
}

// sourcesSQL reads the next rows of several sources in one statement: each
// source is a regency, a province or an island of the product's listed
// producers (micro businesses or the others).
var sourcesSQL = withCommitted(`SELECT r.n::int AS source, e.*
  FROM unnest($2::text[], $3::text[], $4::bool[], $5::int[], $6::bigint[], $7::int[], $9::int[])
       WITH ORDINALITY AS r(kind, code, micro, after_cap, after_id, lim, down_to, n)
 CROSS JOIN LATERAL (
   `+sourceSQL("regency", "e.regency_code")+`
   UNION ALL
   `+sourceSQL("province", "e.province_code")+`
   UNION ALL
   `+sourceSQL("island", "island_of(e.province_code)")+`
 ) e`, "$8") + `
 ORDER BY e.source, e.monthly_capacity DESC, e.id`

// entriesByOrgSQL reads the product's entries of the named producers.
var entriesByOrgSQL = withCommitted(`SELECT 0 AS source, `+entryColumns+`
  FROM catalog_entries e WHERE e.product_type = $1 AND e.organization_id = ANY ($2)`, "$3")

// withCommitted adds to the entries a statement reads (of the product $1)
// what each producer has committed: what its accepted, unfinished orders
// take (order_commitments_of: sums only, whichever buyer placed them) and
// what the buyer's own offers still unanswered would take (buyer names the
// buyer's parameter). In the same statement as the entries, not a round
// trip after them.
func withCommitted(entries, buyer string) string {
	return `WITH e AS (` + entries + `)
SELECT e.*, coalesce(c.committed, 0) + coalesce(p.pending, 0) AS committed
  FROM e
  LEFT JOIN order_commitments_of($1, ARRAY(SELECT DISTINCT organization_id FROM e)) c ON c.supplier_org_id = e.organization_id
  LEFT JOIN (SELECT o.supplier_org_id, sum(o.quantity)::bigint AS pending FROM orders o
              WHERE o.buyer_org_id = ` + buyer + ` AND o.product_type = $1
                AND o.supplier_org_id = ANY (ARRAY(SELECT DISTINCT organization_id FROM e))
                AND o.status IN ('offered', 'countered')
              GROUP BY o.supplier_org_id) p ON p.supplier_org_id = e.organization_id`
}

// candidatesOf reads the named producers of a product, with what they
// have committed: what a plan's lines are checked against.
func candidatesOf(ctx context.Context, tx pgx.Tx, productType string, buyer int64, orgs []int64) ([]planner.Candidate, error) {
	rows, err := tx.Query(ctx, entriesByOrgSQL, productType, orgs, buyer)
	if err != nil {
		return nil, err
	}
	got, err := database.CollectRows[entryRow](rows)
	if err != nil {
		return nil, err
	}
	out := make([]planner.Candidate, len(got))
	for i, r := range got {
		out[i] = r.candidate()
	}
	return out, nil
}

// DefaultPlanBatch is how many producers a source reads first, when the
// planner first needs its class; each time it asks for more of the
// class's group, its sources read as many again as they hold, but none
// that could not change the plan (planner.Gap.Below).
const DefaultPlanBatch = 16

// maxPlanRead bounds the rows a source asks for in one round trip (the
// rest of the last row's capacity comes with them).
const maxPlanRead = 512

// A source is one index range of a product's listed producers, read most
// capable first: a regency, a province or an island, of micro businesses
// or of the others.
type source struct {
	kind, code string
	micro      bool
	rows       []entryRow // read so far, most capable first
	done       bool       // read to its end
	// floor, when floored, is the most monthly capacity a producer not
	// read yet may have: the source was read down to floor+1.
	floor   int
	floored bool
	// ask is what the next read takes: lim rows and the rest of the last
	// one's capacity, none below downTo monthly capacity (0: any); lim 0
	// asks nothing.
	ask struct{ lim, downTo int }
}

// capBound is the most monthly capacity a producer of the source not read
// yet may have, or math.MaxInt32 when nothing is known.
func (s *source) capBound() int {
	c := math.MaxInt32
	if n := len(s.rows); n > 0 {
		c = s.rows[n-1].MonthlyCapacity
	}
	if s.floored {
		c = min(c, s.floor)
	}
	return c
}

// onJava reports whether the source's producers are on Java. A regency's
// producers are in its province (a profile's regency lies in its
// province, a check of the database), a province's and an island's where
// the code says.
func (s *source) onJava() bool {
	switch s.kind {
	case "island":
		return s.code == "Jawa"
	case "regency":
		province, _, _ := strings.Cut(s.code, ".")
		return planner.IsJava(province)
	}
	return planner.IsJava(s.code)
}

// islands are the values planner.Island (and island_of) gives: "" for a
// province code it does not know.
var islands = []string{"Sumatera", "Jawa", "Bali dan Nusa Tenggara", "Kalimantan", "Sulawesi", "Maluku", "Papua", ""}

// reading is a plan being made from the producers read so far.
type reading struct {
	in      planner.Input
	batch   int
	sources []*source
	byKey   map[string]*source
	// classes[s][d] are the sources that together hold every producer of
	// distance class d to site s (and maybe nearer ones).
	classes [][planner.Elsewhere + 1][]*source
	seen    map[int64]bool // catalogue entries read
}

func (r *reading) source(kind, code string, micro bool) *source {
	key := kind + "\x00" + code + "\x00" + strconv.FormatBool(micro)
	if s, ok := r.byKey[key]; ok {
		return s
	}
	s := &source{kind: kind, code: code, micro: micro}
	r.byKey[key] = s
	r.sources = append(r.sources, s)
	return s
}

// newReading lays out the sources of every class of every site that still
// needs units. When no producer can make anything by the deadline, there
// is nothing to read.
func newReading(in planner.Input, batch int) *reading {
	r := &reading{in: in, batch: batch, byKey: map[string]*source{},
		seen: map[int64]bool{}, classes: make([][planner.Elsewhere + 1][]*source, len(in.Sites))}
	if planner.CapacityIn(planner.Candidate{MonthlyCapacity: math.MaxInt32}, in.Today, in.Deadline) == 0 {
		return r
	}
	for i, site := range in.Sites {
		if site.Quantity <= 0 {
			continue
		}
		island := planner.Island(site.ProvinceCode)
		for _, m := range []bool{true, false} {
			add := func(d int, kind, code string) {
				r.classes[i][d] = append(r.classes[i][d], r.source(kind, code, m))
			}
			if site.RegencyCode != "" {
				add(planner.SameRegency, "regency", site.RegencyCode)
			}
			if site.ProvinceCode != "" {
				add(planner.SameProvince, "province", site.ProvinceCode)
			}
			if island != "" {
				add(planner.SameIsland, "island", island)
			}
			for _, other := range islands {
				if island == "" || other != island {
					add(planner.Elsewhere, "island", other)
				}
			}
		}
	}
	return r
}

// sourceRead is what one source asks of a read: lim rows after
// (afterCap, afterID), and the others of the last one's capacity, none
// below downTo monthly capacity (0: any).
type sourceRead struct {
	kind, code string
	micro      bool
	afterCap   int
	afterID    int64
	lim        int
	downTo     int
}

// fetcher reads the rows the sources ask for, each row with its source
// (1-based, in the order asked), ordered by source, then most capable
// first.
type fetcher func(asks []sourceRead) ([]entryRow, error)

// fetchFrom is the fetcher of a transaction: every source in one
// statement.
func fetchFrom(ctx context.Context, tx pgx.Tx, productType string, buyer int64) fetcher {
	return func(asks []sourceRead) ([]entryRow, error) {
		var kinds, codes []string
		var micro []bool
		var afterCap, lim, downTo []int
		var afterID []int64
		for _, a := range asks {
			kinds, codes, micro = append(kinds, a.kind), append(codes, a.code), append(micro, a.micro)
			afterCap, afterID = append(afterCap, a.afterCap), append(afterID, a.afterID)
			lim, downTo = append(lim, a.lim), append(downTo, a.downTo)
		}
		rows, err := tx.Query(ctx, sourcesSQL, productType, kinds, codes, micro, afterCap, afterID, lim, buyer, downTo)
		if err != nil {
			return nil, err
		}
		return database.CollectRows[entryRow](rows)
	}
}

// read takes the rows each source asks for, in one fetch, and returns the
// producers not read before, with what they have committed.
func (r *reading) read(fetch fetcher) ([]planner.Candidate, error) {
	var asks []sourceRead
	var asked []*source
	for _, s := range r.sources {
		if s.done || s.ask.lim == 0 {
			continue
		}
		c, id := math.MaxInt32, int64(0)
		if n := len(s.rows); n > 0 {
			c, id = s.rows[n-1].MonthlyCapacity, s.rows[n-1].ID
		}
		asks = append(asks, sourceRead{kind: s.kind, code: s.code, micro: s.micro, afterCap: c, afterID: id,
			lim: s.ask.lim, downTo: s.ask.downTo})
		asked = append(asked, s)
	}
	if len(asked) == 0 {
		return nil, nil
	}
	got, err := fetch(asks)
	if err != nil {
		return nil, err
	}
	count := make([]int, len(asked))
	var fresh []planner.Candidate
	for _, row := range got {
		s := asked[row.Source-1]
		s.rows = append(s.rows, row)
		count[row.Source-1]++
		if !r.seen[row.ID] {
			r.seen[row.ID] = true
			fresh = append(fresh, row.candidate())
		}
	}
	for i, s := range asked {
		switch {
		case count[i] >= asks[i].lim:
		case asks[i].downTo > 0:
			s.floor, s.floored = asks[i].downTo-1, true
		default:
			s.done = true
		}
		s.ask.lim, s.ask.downTo = 0, 0
	}
	return fresh, nil
}

// inGroup reports whether the source's producers are of the group, as the
// options tell groups apart.
func (r *reading) inGroup(s *source, g planner.Group) bool {
	if r.in.Options.FavourMicro && s.micro != g.Micro {
		return false
	}
	if r.in.Options.FavourOutsideJava && !s.onJava() != g.OutsideJava {
		return false
	}
	return true
}

// bound is the most free capacity a producer of the source not read yet
// may have by the deadline; math.MaxInt when nothing is known of them.
func (r *reading) bound(s *source) int {
	if len(s.rows) == 0 && !s.floored {
		return math.MaxInt
	}
	return planner.CapacityIn(planner.Candidate{MonthlyCapacity: s.capBound()}, r.in.Today, r.in.Deadline)
}

// downTo is the least monthly capacity with which a producer can make
// below units by the deadline: reading a source down to it leaves only
// producers that make less.
func (r *reading) downTo(below int) int {
	lo, hi := 0, math.MaxInt32
	for lo < hi {
		m := lo + (hi-lo)/2
		if planner.CapacityIn(planner.Candidate{MonthlyCapacity: m}, r.in.Today, r.in.Deadline) >= below {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// unread bounds the free capacity of the producers of a class not read
// yet, in a group: none can make more by the deadline than the last one
// read from each source that holds the class (and the group) and is not
// read to its end, nor more than its floor allows. Of a source not read at
// all nothing is known.
func (r *reading) unread(site, class int, g planner.Group) int {
	u := 0
	for _, s := range r.classes[site][class] {
		if s.done || !r.inGroup(s, g) {
			continue
		}
		u = max(u, r.bound(s))
	}
	return u
}

// grow asks, for each site, the sources of its nearest class with a gap,
// in the gap's group, whose producers not read yet may have the gap's
// Below: a batch of a source not read yet; of one read before, as many
// again as it holds, but none that cannot reach Below (at most
// maxPlanRead). It returns false when
// there is nothing more to read. The farther classes wait: what the
// nearer ones give changes what a site still needs from them, and a site
// that its nearer classes fill never reads the farther ones at all.
func (r *reading) grow(gaps []planner.Gap) bool {
	nearest := map[int]int{}
	for _, g := range gaps {
		if d, ok := nearest[g.Site]; !ok || g.Class < d {
			nearest[g.Site] = g.Class
		}
	}
	grew := false
	for _, g := range gaps {
		if nearest[g.Site] != g.Class {
			continue
		}
		for _, s := range r.classes[g.Site][g.Class] {
			if s.done || !r.inGroup(s, g.Group) || r.bound(s) < g.Below {
				continue
			}
			if len(s.rows) == 0 && !s.floored {
				s.ask.lim = max(s.ask.lim, r.batch)
			} else {
				d := r.downTo(g.Below)
				if s.ask.lim == 0 || d < s.ask.downTo {
					s.ask.downTo = d
				}
				s.ask.lim = min(maxPlanRead, max(r.batch, len(s.rows)))
			}
			grew = true
		}
	}
	return grew
}

// planFor makes the plan of what in's sites still need from the product's
// listed producers, reading more of a class each time planner.MakeFrom
// finds that a producer not read could change it. It returns the plan and
// the producers read.
func planFor(ctx context.Context, tx pgx.Tx, productType string, buyer int64, in planner.Input, batch int) (planner.Plan, []planner.Candidate, error) {
	return planWith(fetchFrom(ctx, tx, productType, buyer), in, batch)
}

// planWith is planFor on what fetch reads.
func planWith(fetch fetcher, in planner.Input, batch int) (planner.Plan, []planner.Candidate, error) {
	if batch <= 0 {
		batch = DefaultPlanBatch
	}
	r := newReading(in, batch)
	var cands []planner.Candidate
	for {
		fresh, err := r.read(fetch)
		if err != nil {
			return planner.Plan{}, nil, err
		}
		cands = append(cands, fresh...)
		in.Candidates = cands
		p, gaps := planner.MakeFrom(in, r.unread)
		if len(gaps) == 0 {
			return p, cands, nil
		}
		if !r.grow(gaps) {
			return planner.Plan{}, nil, fmt.Errorf("order: plan: gaps %v in classes read whole", gaps)
		}
	}
}
