package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/order"
	"pasokan/internal/planner"
)

// The buyers' story of 2020. A state pharmaceutical company (the demo
// buyer) wanted a million cloth masks for three warehouses before Idul
// Fitri; the portal split the demand across the producers curated by then,
// with the real planner, and most of them accepted: by the end of May some
// had delivered in part, one shipment was partly rejected at the
// warehouse, one producer declined, one never answered, one countered with
// a smaller quantity the buyer took, and one small workshop had delivered
// everything and been paid. Karya Nusantara's programme ordered 15,000
// masks of one producer, half of them received by the end of May. What
// the producers could not cover, and what was declined or left to expire,
// is the demand's shortfall: that was the truth of 2020.

// buyerRefs are the demo buyers: the company of pembeli@pasokan.test and
// the programme it also belongs to.
type buyerRefs struct {
	org, user     int64
	name          string
	programme     int64
	programmeName string
}

// The story's calendar of the million masks: drafted and approved on
// Monday 20 April 2020, split and offered the next morning, due before
// Idul Fitri (24 May 2020). The calendar moves them into the present.
var (
	millionDrafted  = time.Date(2020, time.April, 20, 9, 12, 0, 0, wib)
	millionApproved = time.Date(2020, time.April, 20, 13, 41, 0, 0, wib)
	millionPlanned  = time.Date(2020, time.April, 21, 10, 5, 0, 0, wib)
	millionDeadline = time.Date(2020, time.May, 15, 0, 0, 0, 0, time.UTC)

	programmeDrafted  = time.Date(2020, time.April, 23, 9, 30, 0, 0, wib)
	programmeApproved = time.Date(2020, time.April, 23, 11, 2, 0, 0, wib)
	programmePlanned  = time.Date(2020, time.April, 24, 10, 15, 0, 0, wib)
	programmeDeadline = time.Date(2020, time.May, 31, 0, 0, 0, 0, time.UTC)
)

// Product and standard of the story's demands.
const (
	storyProduct  = "masker-kain"
	storyStandard = "SNI 8914:2020"
	// storyTarget is the buyer's target price per mask, in rupiah.
	storyTarget = int64(4000)
	// programmeQuantity is Karya Nusantara's order.
	programmeQuantity = 15000
)

// candidate is a listed producer of a product, read as package order reads
// its candidates (catalog_entries with what is already committed), with
// its owner, who answers for it, and when it was curated.
type candidate struct {
	OrgID           int64      `db:"organization_id"`
	Name            string     `db:"name"`
	ProductType     string     `db:"product_type"`
	SizeClass       string     `db:"size_class"`
	ProvinceCode    string     `db:"province_code"`
	RegencyCode     string     `db:"regency_code"`
	MonthlyCapacity int        `db:"monthly_capacity"`
	LeadTimeDays    *int       `db:"lead_time_days"`
	PriceMin        int64      `db:"price_min"`
	PriceMax        int64      `db:"price_max"`
	PausedUntil     *time.Time `db:"paused_until"`
	Committed       int64      `db:"committed"`
	Owner           int64      `db:"owner_user_id"`
	CuratedAt       time.Time  `db:"curated_at"`
}

// lead is the producer's lead time in days, a week when it gave none.
func (c candidate) lead() int {
	if c.LeadTimeDays == nil {
		return 7
	}
	return *c.LeadTimeDays
}

// plannerCandidate is c as package order hands it to the planner.
func (c candidate) plannerCandidate() planner.Candidate {
	p := planner.Candidate{SupplierID: c.OrgID, Name: c.Name, SizeClass: c.SizeClass, ProvinceCode: c.ProvinceCode,
		RegencyCode: c.RegencyCode, MonthlyCapacity: c.MonthlyCapacity, Committed: int(c.Committed),
		PriceMin: c.PriceMin, PriceMax: c.PriceMax}
	if c.LeadTimeDays != nil {
		p.LeadTimeDays = *c.LeadTimeDays
	}
	if c.PausedUntil != nil {
		p.AvailableFrom = c.PausedUntil.AddDate(0, 0, 1)
	}
	return p
}

// storyCandidatesSQL is package order's candidatesSQL (internal/order,
// plan.go) for the producers curated by the day of the plan: a producer
// curated later was not in the catalogue to be offered anything.
const storyCandidatesSQL = `SELECT e.organization_id, e.name, e.product_type, e.size_class,
       coalesce(e.province_code, '') AS province_code, coalesce(e.regency_code, '') AS regency_code,
       e.monthly_capacity, e.lead_time_days, e.price_min, e.price_max, e.paused_until,
       coalesce(c.committed, 0) + coalesce(p.pending, 0) AS committed, e.curated_at,
       (SELECT m.user_id FROM memberships m WHERE m.organization_id = e.organization_id AND m.role = 'owner'
         ORDER BY m.user_id LIMIT 1) AS owner_user_id
  FROM catalog_entries e
  LEFT JOIN order_commitments($1) c ON c.supplier_org_id = e.organization_id
  LEFT JOIN (SELECT supplier_org_id, sum(quantity)::bigint AS pending FROM orders
              WHERE buyer_org_id = $2 AND product_type = $1 AND status IN ('offered', 'countered')
              GROUP BY supplier_org_id) p ON p.supplier_org_id = e.organization_id
 WHERE e.product_type = $1 AND e.curated_at <= $3
 ORDER BY e.id`

func storyCandidates(ctx context.Context, tx pgx.Tx, product string, buyer int64, by time.Time) ([]candidate, error) {
	rows, err := tx.Query(ctx, storyCandidatesSQL, product, buyer, by)
	if err != nil {
		return nil, fmt.Errorf("demo: candidates: %w", err)
	}
	got, err := database.CollectRows[candidate](rows)
	if err != nil {
		return nil, fmt.Errorf("demo: candidates: %w", err)
	}
	return got, nil
}

// makePlan asks the planner for a split of d across cands, as the portal's
// proposal on day `on`.
func makePlan(d *demandData, cands []candidate, on time.Time, opts planner.Options) planner.Plan {
	in := planner.Input{Today: dateOf(on), Deadline: d.deadline, Options: opts}
	if d.target != nil {
		in.TargetPrice = *d.target
	}
	for _, s := range d.sites {
		in.Sites = append(in.Sites, planner.Site{ProvinceCode: s.province, RegencyCode: s.regency, Quantity: s.quantity})
	}
	in.Candidates = make([]planner.Candidate, len(cands))
	for i, c := range cands {
		in.Candidates[i] = c.plannerCandidate()
	}
	return planner.Make(in)
}

// orderStory writes the two demands of 2020 and their orders. A story
// without a listed producer of cloth masks (the demo supplier alone) has
// none to tell.
func (in *inserter) orderStory(ctx context.Context, codes *orderCodes, b buyerRefs) error {
	cal := in.cal
	cands, err := storyCandidates(ctx, in.tx, storyProduct, b.org, cal.at(millionPlanned))
	if err != nil {
		return err
	}
	if len(cands) == 0 {
		return nil
	}
	r := rand.New(rand.NewPCG(2020, 7))
	target := storyTarget
	million := &demandData{buyer: b.org, user: b.user, buyerName: b.name,
		title: "Masker kain 1.000.000 lembar untuk tenaga kesehatan dan masyarakat", product: storyProduct,
		standard: storyStandard + ", tiga lapis", target: &target, deadline: cal.at(millionDeadline),
		notes: "Tahap 1 pengadaan masker kain dari UMKM binaan Kemenkop UKM. Dikirim ke tiga gudang regional sebelum Idul Fitri.",
		sites: []siteData{
			{province: "31", regency: "31.71", quantity: 600_000,
				address: "Gudang Pusat Distribusi, Jl. Letjen Suprapto No. 24, Cempaka Putih, Jakarta Pusat"},
			{province: "35", regency: "35.78", quantity: 250_000,
				address: "Gudang Regional Jawa Timur, Jl. Rungkut Industri III No. 9, Surabaya"},
			{province: "32", regency: "32.73", quantity: 150_000,
				address: "Gudang Regional Jawa Barat, Jl. Soekarno-Hatta No. 480, Bandung"},
		}}
	million.draft(cal.at(millionDrafted), cal.at(millionApproved))
	byID := map[int64]candidate{}
	for _, c := range cands {
		byID[c.OrgID] = c
	}
	plan := makePlan(million, cands, cal.at(millionPlanned), planner.Options{})
	if len(plan.Lines) > 0 {
		million.plan(cal.at(millionPlanned))
		for _, l := range plan.Lines {
			million.offer(l.Site, byID[l.SupplierID], l.Quantity, l.UnitPrice, cal.at(millionPlanned), cal.end(), codes.next())
		}
		tellMillion(r, million, byID, codes, cal)
	}
	if err := in.insertDemands(ctx, []*demandData{million}); err != nil {
		return err
	}

	// Karya Nusantara's 15,000, to one producer that can make them all
	// (the smallest line the planner allows is the whole order), after
	// what the million already committed.
	if b.programme == 0 {
		return nil
	}
	cands, err = storyCandidates(ctx, in.tx, storyProduct, b.programme, cal.at(programmePlanned))
	if err != nil {
		return err
	}
	clear(byID)
	for _, c := range cands {
		byID[c.OrgID] = c
	}
	prog := &demandData{buyer: b.programme, user: b.user, buyerName: b.programmeName,
		title: "Masker kain 15.000 lembar untuk Program Karya Nusantara", product: storyProduct,
		standard: storyStandard, deadline: cal.at(programmeDeadline),
		notes: "Dibagikan kepada pedagang pasar dan pengemudi ojek daring di Jabodetabek.",
		sites: []siteData{{province: "31", regency: "31.74", quantity: programmeQuantity,
			address: "Sekretariat Program Karya Nusantara, Jl. Raya Pasar Minggu No. 17, Jakarta Selatan"}}}
	prog.draft(cal.at(programmeDrafted), cal.at(programmeApproved))
	plan = makePlan(prog, cands, cal.at(programmePlanned), planner.Options{MinLine: programmeQuantity})
	if len(plan.Lines) == 0 {
		// A small story has no producer free for all of it: split it.
		plan = makePlan(prog, cands, cal.at(programmePlanned), planner.Options{})
	}
	if len(plan.Lines) > 0 {
		prog.plan(cal.at(programmePlanned))
		for _, l := range plan.Lines {
			o := prog.offer(l.Site, byID[l.SupplierID], l.Quantity, l.UnitPrice, cal.at(programmePlanned), cal.end(), codes.next())
			tellProgramme(r, o, codes, cal)
		}
	}
	return in.insertDemands(ctx, []*demandData{prog})
}

// draft and plan move a demand as package order does: drafted (version
// 1), approved by its owner (2), planned when its orders are offered (3).
func (d *demandData) draft(created, approved time.Time) {
	created, approved = stored(created), stored(approved)
	d.created, d.approved, d.status, d.version = created, &approved, order.DemandApproved, 2
}

func (d *demandData) plan(when time.Time) {
	when = stored(when)
	d.planned, d.status, d.version = &when, order.DemandPlanned, 3
}

// Roles an order of the million plays in the story.
const (
	rolePaid       = "paid"       // delivered in full, invoiced and paid
	roleRejected   = "rejected"   // part of a shipment rejected at the warehouse
	roleDeclined   = "declined"   // the producer said no
	roleExpired    = "expired"    // the producer never answered
	roleCountered  = "countered"  // a smaller quantity, which the buyer took
	rolePartial    = "partial"    // one shipment received, the next on its way
	roleShipped    = "shipped"    // a first shipment on its way
	roleProduction = "production" // being made
	roleAccepted   = "accepted"   // accepted, not started yet
)

// storyRoles are the roles every story of the million has, in the order
// they are given when there are fewer orders than roles.
var storyRoles = []string{rolePaid, roleRejected, roleDeclined, roleExpired, roleCountered, rolePartial,
	roleShipped, roleProduction, rolePartial, roleAccepted, rolePartial}

// paidAtLeast is the smallest order the story has delivered in full: a
// few days of a small workshop's work.
const paidAtLeast = 2000

// tellMillion gives each order of the million its role and plays it out.
// The whole delivery went to the smallest producer, which finished first;
// the other roles go to orders drawn at random; the rest are in
// production, shipped or partly received at the end of May, most of them
// late, as UMKM were that spring.
func tellMillion(r *rand.Rand, d *demandData, byID map[int64]candidate, codes *orderCodes, cal calendar) {
	idx := make([]int, len(d.orders))
	for i := range idx {
		idx[i] = i
	}
	r.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
	// The smallest line of a workshop's size, not a site's last crumbs.
	smallest := slices.MinFunc(idx, func(a, b int) int {
		qa, qb := d.orders[a].quantity, d.orders[b].quantity
		if (qa >= paidAtLeast) != (qb >= paidAtLeast) {
			if qa >= paidAtLeast {
				return -1
			}
			return 1
		}
		return qa - qb
	})
	roles := make([]string, len(d.orders))
	roles[smallest] = rolePaid
	k := 0
	for _, role := range storyRoles[1:] {
		for k < len(idx) && idx[k] == smallest {
			k++
		}
		if k == len(idx) {
			break
		}
		roles[idx[k]] = role
		k++
	}
	for i, role := range roles {
		if role == "" {
			roles[i] = []string{roleProduction, roleShipped, rolePartial}[weighted(r, []int{2, 4, 4})]
		}
		play(r, d.orders[i], roles[i], byID[d.orders[i].supplier].lead(), codes, cal)
	}
}

// play plays an order's role from its offer on 21 April. Every step falls
// inside the owners' or the warehouse's working hours; a step after the
// end of May does not happen.
func play(r *rand.Rand, o *orderData, role string, lead int, codes *orderCodes, cal calendar) {
	offered := o.created
	answered := byOwner(r, offered, 2, 40)
	if !answered.Before(o.respondBy) {
		answered = o.respondBy.Add(-3 * time.Hour)
	}
	switch role {
	case roleDeclined:
		o.decline(answered, declineReason(r, o.demand.product))
		return
	case roleExpired:
		o.expire()
		return
	case roleCountered:
		q := roundCount(o.quantity * 6 / 10)
		o.counter(answered, q, roundPrice(o.unitPrice*11/10), o.due, counterReasons[0])
		o.acceptCounter(byCurator(r, o.last(), 16, 30))
	default:
		o.accept(answered)
	}
	if role == roleAccepted {
		return
	}
	o.produce(byOwner(r, o.last(), 8, 30))
	if role == roleProduction {
		return
	}
	// Goods leave after the producer's lead time, then a week apart; the
	// warehouse receives them two or three days after.
	first := byOwner(r, o.last().AddDate(0, 0, lead), 2, 30)
	ship := func(t time.Time, n int) {
		c, tr := courier(r, t)
		o.ship(t, n, c, tr)
	}
	receive := func(i int, rejected int) {
		t := byCurator(r, o.shipments[i].createdAt, 40, 70)
		o.receive(i, t, rejected, rejectReason(r, o.demand.product), codes.next())
	}
	switch role {
	case rolePaid:
		ship(first, o.quantity/2)
		receive(0, 0)
		ship(byOwner(r, o.last(), 60, 100), o.toShip())
		receive(1, 0)
		o.invoice(byOwner(r, o.last(), 20, 60))
		o.pay(cal.at(time.Date(2020, time.May, 27, 10, 0, 0, 0, wib)).Add(time.Duration(r.IntN(300)) * time.Minute))
	case roleRejected:
		n := roundCount(o.quantity * 4 / 10)
		ship(first, n)
		receive(0, max(1, roundCount(n*6/100)))
		ship(byOwner(r, o.last(), 100, 150), n)
		receive(1, 0)
		// The rest, and a replacement for every rejected mask, on its way.
		ship(cal.at(time.Date(2020, time.May, 25, 9, 0, 0, 0, wib)).Add(time.Duration(r.IntN(600))*time.Minute), o.toShip())
	case roleCountered, rolePartial:
		ship(first, roundCount(o.quantity*35/100))
		receive(0, 0)
		ship(byOwner(r, o.last(), 120, 200), roundCount(o.quantity*35/100))
	case roleShipped:
		ship(byOwner(r, first, 48, 120), roundCount(o.quantity/2))
	}
}

// tellProgramme plays Karya Nusantara's order: accepted the next day,
// 8,000 masks received in mid-May, the rest shipped for Idul Fitri and
// not yet received by the end of May.
func tellProgramme(r *rand.Rand, o *orderData, codes *orderCodes, cal calendar) {
	o.accept(byOwner(r, o.created, 20, 30))
	o.produce(byOwner(r, o.last(), 30, 50))
	c, tr := courier(r, cal.at(time.Date(2020, time.May, 11, 0, 0, 0, 0, wib)))
	o.ship(cal.at(time.Date(2020, time.May, 11, 15, 20, 0, 0, wib)), min(o.quantity, roundCount(o.quantity*8/15)), c, tr)
	o.receive(0, cal.at(time.Date(2020, time.May, 13, 10, 45, 0, 0, wib)), 0, "", codes.next())
	c, tr = courier(r, cal.at(time.Date(2020, time.May, 26, 0, 0, 0, 0, wib)))
	o.ship(cal.at(time.Date(2020, time.May, 26, 16, 5, 0, 0, wib)), o.toShip(), c, tr)
}
