package demo

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/i18n"
	"pasokan/internal/planner"
)

// A story larger than 2020's carries the orders of the years after, for
// load tests: about ordersPerSupplier orders for every supplier in the
// story (pasokan seed -suppliers 200000 gives about a million), from
// demands of the two demo buyers, each split by the planner across a
// group of the curated producers of its product, from June 2020 to the end
// of 2021. Most orders are delivered, invoiced and paid; some were
// declined, expired, countered or cancelled; those of the last weeks are
// still in flight. A story of 330 suppliers or fewer has none of this, so
// that tests stay quick and the 2020 story reads alone.

// ordersPerSupplier is the history's size per supplier of the story.
const ordersPerSupplier = 5

// The history's calendar: demands from June 2020 until ten days before its
// end, so that every offer was answered (or expired) by then; what would
// happen after the end has not happened yet. The calendar moves them into
// the present: the history's end is then the story's last moment.
var (
	historyStart = time.Date(2020, time.June, 2, 0, 0, 0, 0, wib)
	historyEnd   = time.Date(2021, time.December, 31, 17, 0, 0, 0, wib)
)

// historyBatch is how many demands go in a unit (one round of INSERTs): some
// 10,000 orders with 100,000 events and as many audit rows.
const historyBatch = 400

// warehouse is a delivery site a demo buyer sends demands to.
type warehouse struct {
	province, regency, place, address string
}

// warehouses are the demo buyers' sites: the company's regional
// warehouses, and the programme's distribution points.
var warehouses = [2][]warehouse{
	{
		{"31", "31.71", "Jakarta", "Gudang Pusat Distribusi, Jl. Letjen Suprapto No. 24, Cempaka Putih, Jakarta Pusat"},
		{"35", "35.78", "Surabaya", "Gudang Regional Jawa Timur, Jl. Rungkut Industri III No. 9, Surabaya"},
		{"32", "32.73", "Bandung", "Gudang Regional Jawa Barat, Jl. Soekarno-Hatta No. 480, Bandung"},
		{"33", "33.74", "Semarang", "Gudang Regional Jawa Tengah, Jl. Kaligawe Raya No. 12, Semarang"},
		{"12", "12.71", "Medan", "Gudang Regional Sumatera Utara, Jl. Sisingamangaraja No. 88, Medan"},
		{"73", "73.71", "Makassar", "Gudang Regional Sulawesi, Jl. Urip Sumoharjo No. 61, Makassar"},
		{"51", "51.71", "Denpasar", "Gudang Regional Bali dan Nusa Tenggara, Jl. Cokroaminoto No. 30, Denpasar"},
		{"16", "16.71", "Palembang", "Gudang Regional Sumatera Selatan, Jl. Demang Lebar Daun No. 5, Palembang"},
		{"64", "64.71", "Balikpapan", "Gudang Regional Kalimantan, Jl. Soekarno-Hatta Km 6, Balikpapan"},
		{"34", "34.71", "Yogyakarta", "Gudang Regional DI Yogyakarta, Jl. Magelang No. 15, Yogyakarta"},
	},
	{
		{"31", "31.74", "Jakarta Selatan", "Sekretariat Program Karya Nusantara, Jl. Raya Pasar Minggu No. 17, Jakarta Selatan"},
		{"36", "36.71", "Tangerang", "Posko Karya Nusantara Banten, Jl. Daan Mogot No. 40, Tangerang"},
		{"32", "32.75", "Bekasi", "Posko Karya Nusantara Bekasi, Jl. Ahmad Yani No. 3, Bekasi"},
		{"33", "33.72", "Surakarta", "Posko Karya Nusantara Solo Raya, Jl. Slamet Riyadi No. 210, Surakarta"},
		{"52", "52.71", "Mataram", "Posko Karya Nusantara NTB, Jl. Pejanggik No. 21, Mataram"},
	},
}

// standards are the standards a buyer names for each product.
var standards = map[string]string{
	"masker-kain":         "SNI 8914:2020",
	"masker-bedah":        "SNI EN 14683:2019 Tipe IIR, izin edar AKD",
	"coverall":            "EN 14126, jahitan dilapisi",
	"gaun-isolasi":        "AAMI PB70 Level 2",
	"apron":               "Tahan air, sekali pakai",
	"face-shield":         "EN 166",
	"hand-sanitizer-gel":  "Formula WHO, etanol minimal 70%, izin edar PKD",
	"hand-sanitizer-cair": "Formula WHO, izin edar PKD",
}

// historyCandidatesSQL reads every listed producer with its owner, in a
// stable order. The history plans each demand on its own (a producer's
// earlier orders of the history are delivered by the next one).
const historyCandidatesSQL = `SELECT e.organization_id, e.name, e.product_type, e.size_class,
       coalesce(e.province_code, '') AS province_code, coalesce(e.regency_code, '') AS regency_code,
       e.monthly_capacity, e.lead_time_days, e.price_min, e.price_max, NULL::date AS paused_until,
       0::bigint AS committed, e.curated_at,
       (SELECT m.user_id FROM memberships m WHERE m.organization_id = e.organization_id AND m.role = 'owner'
         ORDER BY m.user_id LIMIT 1) AS owner_user_id
  FROM catalog_entries e
 ORDER BY e.product_type, e.id`

// demandSpec is a demand of the history before its dates: what, for whom,
// where, and the plan's lines.
type demandSpec struct {
	product string
	buyer   int // 0 the demo buyer, 1 the programme
	sites   []warehouse
	need    []int
	window  int // days from the plan to the deadline
	lines   []planner.Line
	// group is the producers the plan was made from, as indexes into the
	// history's candidates (a copy each would weigh hundreds of megabytes
	// at national scale).
	group []int32
}

// orderHistory writes the history of a story larger than 2020's, a batch
// of demands a unit. The first done demands, written by a seed before, are
// told again (the story's source of chance is sequential) and not written.
func (in *inserter) orderHistory(ctx context.Context, certs map[string]bool, b buyerRefs, done int) error {
	if in.plan.n <= DefaultSuppliers || b.programme == 0 {
		return nil
	}
	var all []candidate
	taken := maps.Clone(certs)
	if err := in.db.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, historyCandidatesSQL)
		var err error
		if all, err = database.CollectRows[candidate](rows); err != nil {
			return fmt.Errorf("demo: history candidates: %w", err)
		}
		rows, _ = tx.Query(ctx, storyCodesSQL, in.cal.at(historyStart))
		codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return fmt.Errorf("demo: the codes of 2020: %w", err)
		}
		for _, c := range codes {
			taken[c] = true
		}
		return nil
	}); err != nil {
		return err
	}
	if len(all) == 0 {
		return nil
	}
	codes := newOrderCodes(taken, historyCodes)
	r := rand.New(rand.NewPCG(2020, 8))
	start, end := in.cal.at(historyStart), in.cal.at(historyEnd)
	specs := historySpecs(r, all, ordersPerSupplier*in.plan.n, start)

	// The demands, spread over the history in a shuffled order of
	// products and buyers, their ids in the order they were made.
	r.Shuffle(len(specs), func(i, j int) { specs[i], specs[j] = specs[j], specs[i] })
	clock := newDemandClock(start, end, len(specs))
	buyers := [2]struct {
		org  int64
		name string
	}{{b.org, b.name}, {b.programme, b.programmeName}}
	size := in.units.batch
	batch := make([]*demandData, 0, size)
	k := 0
	for i := range specs {
		sp := &specs[i]
		created := clock.next(r, i)
		batch = append(batch, historyDemand(r, sp, all, buyers[sp.buyer].org, b.user, buyers[sp.buyer].name, created, end, codes))
		if len(batch) == size || i == len(specs)-1 {
			from, to := i+1-len(batch), i+1
			switch {
			case to <= done:
			case from < done:
				return fmt.Errorf("demo: %d demands of the history are here, not a whole number of batches of %d", done, size)
			default:
				if err := in.unit(ctx, fmt.Sprintf("history %d", k), func(ctx context.Context) error {
					return in.insertDemands(ctx, batch)
				}); err != nil {
					return err
				}
			}
			batch = batch[:0]
			k++
		}
		specs[i] = demandSpec{} // done with its lines
	}
	return nil
}

// storyCodesSQL reads the codes of the demands of 2020 (those before the
// history's start): the history draws no code they have.
const storyCodesSQL = `SELECT o.code FROM orders o JOIN demands d ON d.id = o.demand_id WHERE d.created_at < $1
UNION ALL
SELECT r.code FROM receipts r JOIN orders o ON o.id = r.order_id JOIN demands d ON d.id = o.demand_id WHERE d.created_at < $1`

// demandClock lays the history's demands out over its months: the first
// nine tenths until the last weeks, the last tenth in the weeks before the
// end, still in flight then; each on a working day in office hours, and
// each after the one before (a demand's id follows its date, and its buyer
// and time find it again once inserted).
type demandClock struct {
	start, lastWeeks, last time.Time
	n, early               int
	// step is the most seconds a demand follows the one before when it
	// would come earlier: those that fall outside office hours wait for
	// the next morning. Ten minutes, as at 10,000 suppliers, was too much
	// for a million: its 222,000 demands, some 900 a working day in the
	// last weeks, ran past the end into the following June and left the
	// demo buyer 1.28 million offers open, unanswered because their answer
	// had not happened yet. The step is half the busiest weeks' spacing.
	step int
	prev time.Time
}

func newDemandClock(start, end time.Time, n int) *demandClock {
	c := &demandClock{start: start, lastWeeks: end.AddDate(0, 0, -45), last: end.AddDate(0, 0, -10), n: n}
	c.early = n - n/10
	office := c.last.Sub(c.lastWeeks).Seconds() * 5 / 7 * 10 / 24 // working days, 08:00 to 18:00
	c.step = min(600, max(1, int(office/float64(max(1, n-c.early))/2)))
	return c
}

// next is the time the i-th demand was drafted, called in order.
func (c *demandClock) next(r *rand.Rand, i int) time.Time {
	created := c.start.Add(fraction(c.lastWeeks.Sub(c.start), i, c.early))
	if i >= c.early {
		created = c.lastWeeks.Add(fraction(c.last.Sub(c.lastWeeks), i-c.early, c.n-c.early))
	}
	created = byCurator(r, created, 0, 2)
	if wd := created.Weekday(); wd == time.Saturday || wd == time.Sunday {
		created = created.AddDate(0, 0, map[time.Weekday]int{time.Saturday: 2, time.Sunday: 1}[wd])
	}
	if !created.After(c.prev) {
		created = c.prev.Add(time.Duration(1+r.IntN(c.step)) * time.Second)
	}
	c.prev = created
	return created
}

// fraction is i n-ths of d. The product d*i of a year and a half in
// nanoseconds overflows from the 200th demand on: the demands after it
// were laid out by their steps alone, at 10,000 suppliers all in the
// history's second month, at a million into the following June.
func fraction(d time.Duration, i, n int) time.Duration {
	return time.Duration(float64(d) * float64(i) / float64(n))
}

// maxDemand bounds a demand of the history: at 1,000,000 suppliers a group
// of 48 surgical-mask makers could make more in two months than the
// schema's 100,000,000 units a demand (the largest at 10,000 suppliers
// asked for 52 million), and the seed failed on its last step.
const maxDemand = 60_000_000

// historySpecs lays out the history's demands, about target orders in
// all, each product's in proportion to its producers. A product's
// producers are taken in groups, in a shuffled round, so that each gets
// its share of demands; a demand asks for about what its group can make by
// its deadline, and the planner splits it (a group's farthest or smallest
// producers may get no line, and a demand may keep a shortfall). start is
// the history's first day, moved.
func historySpecs(r *rand.Rand, all []candidate, target int, start time.Time) []demandSpec {
	var specs []demandSpec
	today := dateOf(start)
	for from := 0; from < len(all); {
		to := from
		for to < len(all) && all[to].ProductType == all[from].ProductType {
			to++
		}
		first, list, product := from, all[from:to], all[from].ProductType
		from = to
		want := int(int64(target) * int64(len(list)) / int64(len(all)))
		price := productTarget(product)
		perm := r.Perm(len(list))
		next := 0
		for got, misses := 0, 0; got < want && misses < 10; {
			size := min(len(list), between(r, 12, 48))
			group := make([]int32, 0, size)
			for range size {
				if next == len(perm) {
					r.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
					next = 0
				}
				group = append(group, int32(first+perm[next]))
				next++
			}
			sp := demandSpec{product: product, buyer: weighted(r, []int{7, 3}), window: between(r, 28, 60), group: group}
			sites := warehouses[sp.buyer]
			k := min(len(sites), 1+weighted(r, []int{40, 35, 25}))
			for _, i := range r.Perm(len(sites))[:k] {
				sp.sites = append(sp.sites, sites[i])
			}
			deadline := today.AddDate(0, 0, sp.window)
			in := planner.Input{Today: today, Deadline: deadline, TargetPrice: price}
			capacity := 0
			for _, i := range group {
				pc := all[i].plannerCandidate()
				capacity += planner.CapacityIn(pc, today, deadline)
				in.Candidates = append(in.Candidates, pc)
			}
			total := min(roundCount(int(float64(capacity)*(0.75+0.35*r.Float64()))), maxDemand)
			left := total
			for i, w := range sp.sites {
				q := left
				if i < len(sp.sites)-1 {
					q = roundCount(total * between(r, 20, 60) / 100)
					q = min(q, left-(len(sp.sites)-1-i))
				}
				q = max(q, 1)
				left -= q
				sp.need = append(sp.need, q)
				in.Sites = append(in.Sites, planner.Site{ProvinceCode: w.province, RegencyCode: w.regency, Quantity: q})
			}
			sp.lines = planner.Make(in).Lines
			if len(sp.lines) == 0 {
				misses++
				continue
			}
			got += len(sp.lines)
			specs = append(specs, sp)
		}
	}
	return specs
}

// productTarget is a buyer's target price for a product: the middle of
// what its makers ask, by the story's price ranges.
func productTarget(product string) int64 {
	s, ok := specs[product]
	if !ok {
		return 0
	}
	return roundPrice((s.price[0] + s.price[1]) / 2)
}

// monthsID are the months' Indonesian names, for the demands' titles.
var monthsID = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
	"September", "Oktober", "November", "Desember"}

// historyDemand makes the demand of sp, drafted at created, approved that
// day, planned the next working morning, and plays out its orders until
// the history's (moved) end.
func historyDemand(r *rand.Rand, sp *demandSpec, all []candidate, buyer, user int64, buyerName string, created, end time.Time,
	codes *orderCodes) *demandData {
	approved := byCurator(r, created, 1, 5)
	planned := byCurator(r, approved, 16, 26)
	total := 0
	places := make([]string, len(sp.sites))
	d := &demandData{buyer: buyer, user: user, buyerName: buyerName, product: sp.product, standard: standards[sp.product],
		deadline: dateOf(planned).AddDate(0, 0, sp.window)}
	for i, w := range sp.sites {
		d.sites = append(d.sites, siteData{province: w.province, regency: w.regency, address: w.address, quantity: sp.need[i]})
		places[i] = w.place
		total += sp.need[i]
	}
	if price := productTarget(sp.product); price > 0 {
		d.target = &price
	}
	name := productNames[sp.product]
	if name == "" {
		name = sp.product
	}
	month := created.In(wib)
	d.title = fmt.Sprintf("%s %s untuk %s (%s %d)", name, i18n.FormatInt(i18n.ID, int64(total)), strings.Join(places, ", "),
		monthsID[month.Month()-1], month.Year())
	d.draft(created, approved)
	d.plan(planned)
	for _, l := range sp.lines {
		i := slices.IndexFunc(sp.group, func(i int32) bool { return all[i].OrgID == l.SupplierID })
		c := all[sp.group[i]]
		o := d.offer(l.Site, c, l.Quantity, l.UnitPrice, planned, end, codes.next())
		live(r, o, c.lead(), codes)
	}
	return d
}

// live plays an order of the history from its offer: most producers
// accept and deliver in one to three shipments, a few rejected units are
// replaced, and the buyer pays within weeks of the invoice. Some decline,
// let the offer expire, counter, or cancel before shipping. What would
// happen after the history's end has not happened yet.
func live(r *rand.Rand, o *orderData, lead int, codes *orderCodes) {
	answered := byOwner(r, o.created, 2, 48)
	if !answered.Before(o.respondBy) {
		answered = o.respondBy.Add(-2 * time.Hour)
	}
	switch x := r.IntN(100); {
	case x < 5:
		o.decline(answered, declineReason(r, o.demand.product))
		return
	case x < 8:
		o.expire()
		return
	case x < 13:
		q := max(1, roundCount(o.quantity*between(r, 50, 90)/100))
		o.counter(answered, min(q, o.quantity), roundPrice(o.unitPrice*int64(between(r, 103, 115))/100), o.due, pick(r, counterReasons))
		if r.IntN(5) == 0 {
			o.refuseCounter(byCurator(r, o.last(), 16, 30), pick(r, refuseReasons))
			return
		}
		o.acceptCounter(byCurator(r, o.last(), 16, 30))
	default:
		o.accept(answered)
	}
	if r.IntN(50) == 0 {
		who := []party{byBuyer, bySupplier}[r.IntN(2)]
		o.cancel(byCurator(r, o.last(), 24, 24*6), who, cancelReasons[map[party]int{byBuyer: r.IntN(2), bySupplier: 2}[who]])
		return
	}
	o.produce(byOwner(r, o.last(), 8, 30))
	k := 1 + weighted(r, []int{50, 35, 15})
	t := byOwner(r, o.last().AddDate(0, 0, lead), 0, 30)
	for i := range k {
		n := o.toShip()
		if i < k-1 {
			n = min(n, max(1, roundCount(o.quantity/k)))
		}
		c, tr := courier(r, t)
		if !o.ship(t, n, c, tr) {
			return
		}
		rejected := 0
		if r.IntN(100) < 5 {
			rejected = max(1, n*between(r, 1, 8)/100)
		}
		o.receive(len(o.shipments)-1, byCurator(r, o.last(), 24, 96), rejected, rejectReason(r, o.demand.product), codes.next())
		t = byOwner(r, o.last(), 24*4, 24*11)
	}
	// Replacements for what was rejected, until every unit is accepted.
	for o.status == "shipped" && o.toShip() > 0 && !o.stopped {
		c, tr := courier(r, t)
		if !o.ship(t, o.toShip(), c, tr) {
			return
		}
		o.receive(len(o.shipments)-1, byCurator(r, o.last(), 24, 96), 0, "", codes.next())
		t = byOwner(r, o.last(), 24*3, 24*7)
	}
	if r.IntN(100) < 97 && o.invoice(byOwner(r, o.last(), 24, 24*7)) && r.IntN(100) < 95 {
		o.pay(byCurator(r, o.last(), 24*7, 24*35))
	}
}
