package demo_test

import (
	"context"
	"errors"
	"regexp"
	"testing"
	"time"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/demo"
	"pasokan/internal/notify"
	"pasokan/internal/order"
	"pasokan/internal/product"
	"pasokan/internal/region"
	"pasokan/internal/testapp"
)

// storyOrder is an order with what the checks read of it.
type storyOrder struct {
	ID            int64
	DemandID      int64
	SiteID        int64
	SupplierOrgID int64
	Quantity      int
	UnitPrice     int64
	Status        string
	Reason        string
	Version       int
	ShippedUnits  int
	AcceptedUnits int
	RejectedUnits int
	CompletedAt   *time.Time
	InvoicedOn    *time.Time
	InvoiceAmount *int64
	PaidOn        *time.Time
	Code          *string
	CreatedAt     time.Time
	RespondBy     time.Time
	// From the order's shipments and receipts, events and audit trail.
	Shipped, Accepted, Rejected int
	Events, Audits              int
	Actions                     []string
}

const storyOrdersSQL = `SELECT o.id, o.demand_id, o.site_id, o.supplier_org_id, o.quantity, o.unit_price, o.status, o.reason,
       o.version, o.shipped_units, o.accepted_units, o.rejected_units, o.completed_at, o.invoiced_on, o.invoice_amount,
       o.paid_on, o.code, o.created_at, o.respond_by,
       coalesce((SELECT sum(s.quantity) FROM shipments s WHERE s.order_id = o.id), 0)::int AS shipped,
       coalesce((SELECT sum(r.accepted) FROM receipts r WHERE r.order_id = o.id), 0)::int AS accepted,
       coalesce((SELECT sum(r.rejected) FROM receipts r WHERE r.order_id = o.id), 0)::int AS rejected,
       (SELECT count(*) FROM order_events e WHERE e.order_id = o.id)::int AS events,
       (SELECT count(*) FROM audit_events a WHERE a.subject_type = 'order' AND a.subject_id = o.id)::int AS audits,
       (SELECT array_agg(e.action ORDER BY e.id) FROM order_events e WHERE e.order_id = o.id) AS actions
  FROM orders o ORDER BY o.id`

// checkOrders checks what holds of every order of a seed, story and
// history alike, and returns them.
func checkOrders(t *testing.T, db *dbtest.DB) []storyOrder {
	t.Helper()
	var orders []storyOrder
	each(t, db, storyOrdersSQL, func(o storyOrder) error {
		orders = append(orders, o)
		// The tables' CHECKs, and the running sums of the deliveries.
		if o.AcceptedUnits+o.RejectedUnits > o.ShippedUnits || o.ShippedUnits > o.Quantity+o.RejectedUnits {
			t.Errorf("order %d: shipped %d, accepted %d, rejected %d of %d", o.ID, o.ShippedUnits, o.AcceptedUnits, o.RejectedUnits, o.Quantity)
		}
		if o.Shipped != o.ShippedUnits || o.Accepted != o.AcceptedUnits || o.Rejected != o.RejectedUnits {
			t.Errorf("order %d: sums %d/%d/%d, shipments and receipts %d/%d/%d", o.ID, o.ShippedUnits, o.AcceptedUnits,
				o.RejectedUnits, o.Shipped, o.Accepted, o.Rejected)
		}
		// Completed when the accepted units reach the quantity, and only then.
		done := o.Status == order.StatusCompleted || o.Status == order.StatusInvoiced || o.Status == order.StatusPaid
		if done != (o.CompletedAt != nil) || done != (o.AcceptedUnits >= o.Quantity) {
			t.Errorf("order %d (%s): completed at %v with %d of %d accepted", o.ID, o.Status, o.CompletedAt, o.AcceptedUnits, o.Quantity)
		}
		invoiced := o.Status == order.StatusInvoiced || o.Status == order.StatusPaid
		if invoiced != (o.InvoicedOn != nil) || invoiced && *o.InvoiceAmount != int64(o.AcceptedUnits)*o.UnitPrice {
			t.Errorf("order %d (%s): invoiced %v, amount %v", o.ID, o.Status, o.InvoicedOn, o.InvoiceAmount)
		}
		if (o.Status == order.StatusPaid) != (o.PaidOn != nil) || o.PaidOn != nil && o.PaidOn.Before(*o.InvoicedOn) {
			t.Errorf("order %d (%s): paid on %v, invoiced on %v", o.ID, o.Status, o.PaidOn, o.InvoicedOn)
		}
		switch o.Status {
		case order.StatusDeclined, order.StatusCancelled:
			if len(o.Reason) < 5 {
				t.Errorf("order %d (%s) without a reason", o.ID, o.Status)
			}
		case order.StatusOffered, order.StatusCountered:
			// The story ended years ago: the portal's expiry would take
			// an open offer on its first run.
			t.Errorf("order %d is still %s", o.ID, o.Status)
		}
		if !o.RespondBy.Equal(order.RespondBy(o.CreatedAt)) {
			t.Errorf("order %d: offered %s, to answer by %s", o.ID, o.CreatedAt, o.RespondBy)
		}
		// One event a version, the offer's the first; an audit event a
		// change after it.
		if o.Events != o.Version || o.Audits != o.Events-1 || o.Actions[0] != "order.offered" {
			t.Errorf("order %d: version %d, %d events %v, %d audit events", o.ID, o.Version, o.Events, o.Actions, o.Audits)
		}
		return nil
	})
	// The timelines: each step from where the last one left the order,
	// in time, and ending where the order is.
	each(t, db, `SELECT count(*) AS n FROM order_events e JOIN LATERAL (
    SELECT f.to_status, f.at FROM order_events f WHERE f.order_id = e.order_id AND f.id < e.id ORDER BY f.id DESC LIMIT 1) p ON true
 WHERE e.from_status <> p.to_status OR e.at < p.at`, func(r struct{ N int }) error {
		if r.N != 0 {
			t.Errorf("%d order events do not follow the one before", r.N)
		}
		return nil
	})
	for name, q := range map[string]string{
		"orders whose last event is not their status": `SELECT count(*) FROM orders o WHERE o.status <> (
    SELECT e.to_status FROM order_events e WHERE e.order_id = o.id ORDER BY e.id DESC LIMIT 1)`,
		"answers after the response deadline": `SELECT count(*) FROM order_events e JOIN orders o ON o.id = e.order_id
 WHERE e.action IN ('order.accepted', 'order.declined', 'order.countered') AND e.at >= o.respond_by`,
		"expiries before the deadline": `SELECT count(*) FROM order_events e JOIN orders o ON o.id = e.order_id
 WHERE e.action = 'order.expired' AND (e.at < o.respond_by OR e.actor_user_id IS NOT NULL)`,
		"steps of the wrong side": `SELECT count(*) FROM order_events e JOIN orders o ON o.id = e.order_id
 WHERE (e.action IN ('order.offered', 'order.counter_accepted', 'order.counter_refused', 'order.received', 'order.paid')
        AND e.actor_org_id <> o.buyer_org_id)
    OR (e.action IN ('order.accepted', 'order.declined', 'order.countered', 'order.in_production', 'order.shipped', 'order.invoiced')
        AND e.actor_org_id <> o.supplier_org_id)`,
		"shipments before acceptance or received before shipped": `SELECT count(*) FROM shipments s
  JOIN orders o ON o.id = s.order_id LEFT JOIN receipts r ON r.shipment_id = s.id
 WHERE s.created_at < (SELECT min(e.at) FROM order_events e WHERE e.order_id = o.id AND e.to_status = 'accepted')
    OR r.received_on < s.shipped_on OR r.accepted + r.rejected <> s.quantity`,
		"orders on another buyer's demand or site": `SELECT count(*) FROM orders o JOIN demands d ON d.id = o.demand_id
  JOIN demand_sites s ON s.id = o.site_id WHERE s.demand_id <> d.id OR o.buyer_org_id <> d.buyer_org_id
    OR o.product_type <> d.product_type OR o.created_at < d.approved_at`,
		"demands whose quantity is not their sites'": `SELECT count(*) FROM demands d
 WHERE d.quantity <> (SELECT sum(quantity) FROM demand_sites s WHERE s.demand_id = d.id)`,
		"sites given more than they need": `SELECT count(*) FROM demand_sites s WHERE s.quantity < (
    SELECT coalesce(sum(o.quantity), 0) FROM orders o WHERE o.site_id = s.id
       AND o.status NOT IN ('declined', 'expired', 'cancelled'))`,
		"producers offered what they were not curated for": `SELECT count(*) FROM orders o WHERE NOT EXISTS (
    SELECT 1 FROM catalog_entries e WHERE e.organization_id = o.supplier_org_id AND e.product_type = o.product_type
       AND e.curated_at <= o.created_at)`,
		"rejections without a reason or a signal": `SELECT count(*) FROM receipts r WHERE r.rejected > 0 AND (length(r.reason) < 5
    OR NOT EXISTS (SELECT 1 FROM signals s JOIN applications a ON a.id = s.application_id
                    WHERE s.organization_id = r.supplier_org_id AND s.kind = 'receipt_rejected'
                      AND s.other_organization_id = r.buyer_org_id AND a.status <> 'rejected' AND s.created_at <= r.created_at))`,
		"demands without their audit trail": `SELECT count(*) FROM demands d WHERE (SELECT array_agg(a.action ORDER BY a.occurred_at)
    FROM audit_events a WHERE a.subject_type = 'demand' AND a.subject_id = d.id)
    <> ARRAY['demand.drafted', 'demand.approved', 'demand.planned']`,
	} {
		if n := one(t, db, q); n != 0 {
			t.Errorf("%s: %d", name, n)
		}
	}
	// Every order and goods-received record has a code of its own, in the
	// certificates' form, never one of another document.
	code := regexp.MustCompile(`^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{4}-[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{4}-[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{4}$`)
	seen := map[string]bool{}
	each(t, db, `SELECT code FROM orders UNION ALL SELECT code FROM receipts UNION ALL SELECT code FROM certificates`,
		func(r struct{ Code *string }) error {
			switch {
			case r.Code == nil || !code.MatchString(*r.Code):
				t.Errorf("code %v", r.Code)
			case seen[*r.Code]:
				t.Errorf("code %s twice", *r.Code)
			default:
				seen[*r.Code] = true
			}
			return nil
		})
	return orders
}

// TestSeedTellsTheOrdersOf2020 checks the buyers' story: the million-mask
// demand split by the planner, its orders in every state of the story,
// Karya Nusantara's 15,000 in delivery, and package order reading them.
func TestSeedTellsTheOrdersOf2020(t *testing.T) {
	t.Parallel()
	db, st := seeded(t, demo.DefaultSuppliers)
	ctx := context.Background()
	orders := checkOrders(t, db)

	buyerOrg := one(t, db, `SELECT id FROM organizations WHERE name = $1`, demo.Accounts[2].Org)
	programme := one(t, db, `SELECT id FROM organizations WHERE name = 'Program Karya Nusantara'`)
	type demandRow struct {
		ID         int64
		BuyerOrgID int64
		Quantity   int
		Status     string
		Standard   string
		Sites      int
	}
	var million, fifteen demandRow
	each(t, db, `SELECT d.id, d.buyer_org_id, d.quantity, d.status, d.standard,
       (SELECT count(*) FROM demand_sites s WHERE s.demand_id = d.id)::int AS sites FROM demands d ORDER BY d.id`,
		func(d demandRow) error {
			switch {
			case d.BuyerOrgID == int64(buyerOrg) && d.Quantity == 1_000_000:
				million = d
			case d.BuyerOrgID == int64(programme) && d.Quantity == 15_000:
				fifteen = d
			default:
				t.Errorf("a demand beyond the story: %+v", d)
			}
			return nil
		})
	if million.Status != order.DemandPlanned || million.Sites < 2 || million.Standard == "" {
		t.Fatalf("the million-mask demand: %+v", million)
	}
	if fifteen.Status != order.DemandPlanned || fifteen.Sites != 1 {
		t.Fatalf("Karya Nusantara's demand: %+v", fifteen)
	}

	byStatus := map[string][]storyOrder{}
	open, countered := 0, 0
	var programmeOrders []storyOrder
	for _, o := range orders {
		if o.DemandID == fifteen.ID {
			programmeOrders = append(programmeOrders, o)
			continue
		}
		byStatus[o.Status] = append(byStatus[o.Status], o)
		if order.Open(o.Status) {
			open += o.Quantity
		}
		for _, a := range o.Actions {
			if a == "order.counter_accepted" {
				countered++
			}
		}
	}
	for _, s := range []string{order.StatusAccepted, order.StatusInProduction, order.StatusShipped, order.StatusPaid} {
		if len(byStatus[s]) == 0 {
			t.Errorf("no order of the million is %s: %v", s, len(byStatus))
		}
	}
	if len(byStatus[order.StatusDeclined]) != 1 || len(byStatus[order.StatusExpired]) != 1 || len(byStatus[order.StatusPaid]) != 1 || countered != 1 {
		t.Errorf("declined %d, expired %d, paid %d, countered %d; want one each", len(byStatus[order.StatusDeclined]),
			len(byStatus[order.StatusExpired]), len(byStatus[order.StatusPaid]), countered)
	}
	if len(byStatus[order.StatusShipped])+len(byStatus[order.StatusInProduction])+len(byStatus[order.StatusAccepted]) < len(orders)/2 {
		t.Errorf("most orders should be in flight: %d of %d", len(byStatus[order.StatusShipped])+len(byStatus[order.StatusInProduction]), len(orders))
	}
	// What is offered and accepted stays within the demand; what the
	// producers could not take, or declined, or let expire, is short.
	if open > 1_000_000 || open == 0 {
		t.Errorf("open orders for %d masks of 1,000,000", open)
	}
	paid := byStatus[order.StatusPaid][0]
	if paid.AcceptedUnits != paid.Quantity || *paid.InvoiceAmount != int64(paid.AcceptedUnits)*paid.UnitPrice {
		t.Errorf("the paid order: %d of %d accepted, invoice %d at %d", paid.AcceptedUnits, paid.Quantity, *paid.InvoiceAmount, paid.UnitPrice)
	}
	// The one shipment partly rejected at the warehouse, and its signal.
	type rejection struct {
		OrderID, SupplierOrgID, BuyerOrgID int64
		Rejected                           int
		Reason                             string
		Signals                            int
	}
	var rejections []rejection
	each(t, db, `SELECT r.order_id, r.supplier_org_id, r.buyer_org_id, r.rejected, r.reason,
       (SELECT count(*) FROM signals s JOIN applications a ON a.id = s.application_id
         WHERE s.kind = 'receipt_rejected' AND s.organization_id = r.supplier_org_id AND a.organization_id = r.supplier_org_id
           AND s.other_organization_id = r.buyer_org_id)::int AS signals
  FROM receipts r WHERE r.rejected > 0`, func(r rejection) error {
		rejections = append(rejections, r)
		return nil
	})
	if len(rejections) != 1 || rejections[0].Signals != 1 || rejections[0].BuyerOrgID != int64(buyerOrg) || rejections[0].Reason == "" {
		t.Errorf("rejections at receipt: %+v", rejections)
	}
	if n := one(t, db, `SELECT count(*) FROM signals WHERE kind = 'receipt_rejected'`); n != 1 {
		t.Errorf("%d rejection signals", n)
	}
	// Karya Nusantara's 15,000: one producer, shipped, partly received.
	if len(programmeOrders) != 1 {
		t.Fatalf("Karya Nusantara's orders: %+v", programmeOrders)
	}
	p := programmeOrders[0]
	if p.Quantity != 15_000 || p.Status != order.StatusShipped || p.AcceptedUnits == 0 || p.AcceptedUnits >= p.Quantity || p.ShippedUnits != p.Quantity {
		t.Errorf("the 15,000 order: %+v", p)
	}
	// The story happened in its April and May (moved into the present).
	if n := one(t, db, present(t, db, `SELECT count(*) FROM order_events WHERE at < '2020-04-20' OR at > '2020-06-01'`)) +
		one(t, db, present(t, db, `SELECT count(*) FROM audit_events WHERE subject_type IN ('order', 'demand') AND (occurred_at < '2020-04-20' OR occurred_at > '2020-06-01')`)); n != 0 {
		t.Errorf("%d events outside the story", n)
	}
	for _, table := range []string{"demands", "demand_sites", "orders", "order_events", "shipments", "receipts", "audit_events"} {
		if st.Rows[table] == 0 {
			t.Errorf("stats: no %s", table)
		}
	}

	// Package order reads them: the buyer its demand with its orders, each
	// supplier its own order and no other.
	pw := testapp.Passwords(t)
	accounts := account.NewStore(db.App, pw, account.NewThrottle(db.App), notify.NewOutbox(db.App), "http://pasokan.test")
	store := order.NewStore(db.App, product.NewStore(db.App), region.NewStore(db.App), notify.NewOutbox(db.App))
	actorOf := func(org int64, email string) account.Actor {
		t.Helper()
		var user int64
		if email != "" {
			id, err := accounts.UserIDByEmail(ctx, email)
			dbtest.Must(t, err)
			user = id
		} else {
			user = int64(one(t, db, `SELECT user_id FROM memberships WHERE organization_id = $1 AND role = 'owner'`, org))
		}
		a, err := accounts.LoadActor(ctx, user, org)
		dbtest.Must(t, err)
		return a
	}
	buyer := actorOf(int64(buyerOrg), "pembeli@pasokan.test")
	d, err := store.Demand(ctx, buyer, million.ID)
	dbtest.Must(t, err)
	if len(d.Orders) != len(orders)-1 || d.Quantity != 1_000_000 || len(d.Sites) != million.Sites {
		t.Errorf("the buyer's demand: %d orders, %d masks, %d sites", len(d.Orders), d.Quantity, len(d.Sites))
	}
	short := 0
	for _, n := range d.Remaining() {
		short += n
	}
	if short == 0 || short != 1_000_000-open {
		t.Errorf("the demand's shortfall: %d, want %d", short, 1_000_000-open)
	}
	page, err := store.Demands(ctx, buyer, order.ListQuery{})
	dbtest.Must(t, err)
	if list := page.Demands; len(list) != 1 || list[0].ID != million.ID || list[0].Accepted == 0 {
		t.Errorf("the buyer's demands: %+v", list)
	}
	if _, err := store.Demand(ctx, buyer, fifteen.ID); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("the company opened the programme's demand: %v", err)
	}
	for _, o := range []storyOrder{paid, byStatus[order.StatusDeclined][0], byStatus[order.StatusExpired][0], p} {
		sup := actorOf(o.SupplierOrgID, "")
		got, err := store.Order(ctx, sup, o.ID)
		dbtest.Must(t, err)
		if got.Status != o.Status || len(got.Events) != o.Events || got.Code == nil || *got.Code != *o.Code {
			t.Errorf("order %d as its supplier: %s, %d events", o.ID, got.Status, len(got.Events))
		}
		if o.ID == paid.ID && (len(got.Shipments) != 2 || got.Shipments[1].ReceiptCode == nil) {
			t.Errorf("the paid order's shipments: %+v", got.Shipments)
		}
		if _, err := store.Order(ctx, sup, rejections[0].OrderID); o.SupplierOrgID != rejections[0].SupplierOrgID && !errors.Is(err, database.ErrNotFound) {
			t.Errorf("supplier %d opened another's order: %v", o.SupplierOrgID, err)
		}
	}
	prog := actorOf(int64(programme), "pembeli@pasokan.test")
	got, err := store.Order(ctx, prog, p.ID)
	dbtest.Must(t, err)
	if got.InTransit() == 0 || len(got.Shipments) != 2 {
		t.Errorf("the programme's order: %d in transit, %d shipments", got.InTransit(), len(got.Shipments))
	}
}

// TestSeedScaleAddsOrderHistory checks the orders of a story larger than
// 2020's: about five per supplier, mostly paid, some in flight, the same
// for the same size.
func TestSeedScaleAddsOrderHistory(t *testing.T) {
	t.Parallel()
	const n = 400
	const digest = `SELECT md5(string_agg(concat_ws('|', o.code, o.supplier_org_id, o.quantity, o.unit_price, o.status,
       o.updated_at, (SELECT string_agg(e.action || e.at::text || e.detail::text, ',' ORDER BY e.id) FROM order_events e WHERE e.order_id = o.id),
       (SELECT string_agg(r.code || r.received_on::text, ',' ORDER BY r.id) FROM receipts r WHERE r.order_id = o.id)), ';' ORDER BY o.id))
  FROM orders o`
	var sums [2]string
	for i := range sums {
		db, _ := seeded(t, n)
		sums[i] = oneText(t, db, digest)
		if i > 0 {
			continue
		}
		orders := checkOrders(t, db)
		if len(orders) < 4*n || len(orders) > 6*n {
			t.Errorf("%d orders for %d suppliers, want about %d", len(orders), n, 5*n)
		}
		byStatus := map[string]int{}
		for _, o := range orders {
			byStatus[o.Status]++
		}
		if byStatus[order.StatusPaid] < len(orders)/2 {
			t.Errorf("paid: %d of %d", byStatus[order.StatusPaid], len(orders))
		}
		for _, s := range []string{order.StatusShipped, order.StatusInProduction, order.StatusDeclined, order.StatusExpired,
			order.StatusCancelled, order.StatusInvoiced} {
			if byStatus[s] == 0 {
				t.Errorf("no order is %s: %v", s, byStatus)
			}
		}
		if bad := one(t, db, present(t, db, `SELECT count(*) FROM order_events WHERE at > '2022-01-01' OR at < '2020-04-20'`)); bad != 0 {
			t.Errorf("%d events outside the history", bad)
		}
		t.Logf("%d orders: %v", len(orders), byStatus)
	}
	if sums[0] != sums[1] {
		t.Errorf("two seeds of %d tell different orders", n)
	}
}

func oneText(t *testing.T, db *dbtest.DB, q string, args ...any) string {
	t.Helper()
	var s string
	each(t, db, q, func(r struct{ Md5 string }) error {
		s = r.Md5
		return nil
	}, args...)
	return s
}
