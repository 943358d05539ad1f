package demo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// The demands and orders go in a batch at a time, each table's rows copied
// (pgx CopyFrom) into a temporary table and moved with one INSERT ...
// SELECT. Postgres refuses COPY FROM into a table under row-level security
// ("COPY FROM not supported with row-level security"), which every one of
// these tables is, for the application's role and for their owner alike; a
// temporary table has none, and the INSERT then passes the policies, the
// CHECKs and the foreign keys as any other. Measured on 100,000 timeline
// rows, alternating five times on one database of 10,000 suppliers, this
// took about a sixth less time than passing the rows as unnested arrays
// (insert.go's way): 3.1 s against 3.7 s on average. Most of either goes
// to the foreign keys' checks and the indexes, which COPY does not spare:
// as many audit rows, which have no foreign key, take a fifth of the time.
//
// Rows whose id a later table needs are matched back by a key of their
// own: a demand by its buyer and creation time (distinct by construction),
// a site by its position, an order by its unique code, a shipment by its
// order and the time it was recorded.

// stage is a temporary table that a table's rows are copied into: its
// columns, and the statement that moves its rows into the table.
type stage struct {
	name, columns, move string
}

var (
	demandsStage = stage{name: "demo_demands",
		columns: "b bigint, ti text, pt text, q int, dl date, st text, tp bigint, no text, s text, v int, cb bigint, aa timestamptz, ca timestamptz, ua timestamptz",
		move: `INSERT INTO demands (buyer_org_id, title, product_type, quantity, deadline, standard, target_price, notes, status,
    version, created_by, approved_by, approved_at, created_at, updated_at)
SELECT b, ti, pt, q, dl, st, tp, no, s, v, cb, CASE WHEN aa IS NULL THEN NULL ELSE cb END, aa, ca, ua FROM demo_demands
RETURNING id, buyer_org_id, created_at`}
	sitesStage = stage{name: "demo_demand_sites",
		columns: "d bigint, b bigint, p int, pc text, rc text, a text, q int",
		move: `INSERT INTO demand_sites (demand_id, buyer_org_id, position, province_code, regency_code, address, quantity)
SELECT d, b, p, pc, rc, a, q FROM demo_demand_sites
RETURNING id, demand_id, position`}
	ordersStage = stage{name: "demo_orders",
		columns: "d bigint, si bigint, b bigint, s bigint, bn text, sn text, pt text, st text, q int, up bigint, dd date, rb timestamptz, stt text, cq int, cp bigint, cd date, re text, v int, cb bigint, ca timestamptz, ua timestamptz, sh int, ac int, rj int, co timestamptz, io date, ia bigint, po date, code text",
		move: `INSERT INTO orders (demand_id, site_id, buyer_org_id, supplier_org_id, buyer_name, supplier_name, product_type,
    standard, quantity, unit_price, due_date, respond_by, status, counter_quantity, counter_unit_price, counter_due_date,
    reason, version, created_by, created_at, updated_at, shipped_units, accepted_units, rejected_units, completed_at,
    invoiced_on, invoice_amount, paid_on, code)
SELECT d, si, b, s, bn, sn, pt, st, q, up, dd, rb, stt, cq, cp, cd, re, v, cb, ca, ua, sh, ac, rj, co, io, ia, po, code
  FROM demo_orders
RETURNING id, code`}
	shipmentsStage = stage{name: "demo_shipments",
		columns: "o bigint, b bigint, s bigint, q int, so date, c text, tr text, cb bigint, ca timestamptz",
		move: `INSERT INTO shipments (order_id, buyer_org_id, supplier_org_id, quantity, shipped_on, courier, tracking, created_by, created_at)
SELECT o, b, s, q, so, c, tr, cb, ca FROM demo_shipments
RETURNING id, order_id, created_at`}
	receiptsStage = stage{name: "demo_receipts",
		columns: "sh bigint, o bigint, b bigint, s bigint, ro date, ac int, rj int, re text, co text, cb bigint, ca timestamptz",
		move: `INSERT INTO receipts (shipment_id, order_id, buyer_org_id, supplier_org_id, received_on, accepted, rejected, reason,
    code, created_by, created_at)
SELECT sh, o, b, s, ro, ac, rj, re, co, cb, ca FROM demo_receipts`}
	orderEventsStage = stage{name: "demo_order_events",
		columns: "o bigint, b bigint, s bigint, au bigint, ao bigint, ac text, fs text, ts text, re text, de text, a timestamptz",
		move: `INSERT INTO order_events (order_id, buyer_org_id, supplier_org_id, actor_user_id, actor_org_id, action,
    from_status, to_status, reason, detail, at)
SELECT o, b, s, nullif(au, 0), nullif(ao, 0), ac, fs, ts, re, de::jsonb, a FROM demo_order_events`}
	auditStage = stage{name: "demo_audit_events",
		columns: "oc timestamptz, au bigint, ao bigint, og bigint, ac text, st text, si bigint, de text",
		move: `INSERT INTO audit_events (occurred_at, actor_user_id, actor_org_id, organization_id, action, subject_type,
    subject_id, detail)
SELECT oc, nullif(au, 0), nullif(ao, 0), og, ac, st, si, de::jsonb FROM demo_audit_events`}
)

// copyIn copies rows into st's temporary table (made on first use, gone at
// commit), moves them into table, and hands each row the move returns,
// read into a T by column name, to use (none when use is nil).
func copyIn[T any](ctx context.Context, in *inserter, table string, st stage, rows [][]any, use func(T)) error {
	if len(rows) == 0 {
		return nil
	}
	if !in.stages[st.name] {
		if _, err := in.tx.Exec(ctx, `CREATE TEMPORARY TABLE `+st.name+` (`+st.columns+`) ON COMMIT DROP`); err != nil {
			return fmt.Errorf("insert %s: %w", table, err)
		}
		in.stages[st.name] = true
	}
	names := strings.Split(st.columns, ",")
	for i, c := range names {
		names[i] = strings.Fields(c)[0]
	}
	if _, err := in.tx.CopyFrom(ctx, pgx.Identifier{st.name}, names, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("insert %s: %w", table, err)
	}
	if use == nil {
		if err := in.exec(ctx, table, st.move); err != nil {
			return err
		}
	} else if err := insertReturning(ctx, in, table, st.move, nil, use); err != nil {
		return err
	}
	if _, err := in.tx.Exec(ctx, `TRUNCATE `+st.name); err != nil {
		return fmt.Errorf("insert %s: %w", table, err)
	}
	return nil
}

// insertRejectionSignalsSQL writes what receipt_rejection_signal (migration
// 0017) writes for the receipts with rejected units, dated by the first:
// a signal on the supplier's application (not a rejected one) naming the
// buyer, once per supplier and buyer. It reads them from the receipts
// table, so that a seed resuming the history signals the rejections a seed
// before it wrote too.
const insertRejectionSignalsSQL = `INSERT INTO signals (application_id, organization_id, kind, other_organization_id, created_at)
SELECT a.id, a.organization_id, 'receipt_rejected', r.b, r.ca
  FROM (SELECT supplier_org_id AS s, buyer_org_id AS b, min(created_at) AS ca FROM receipts WHERE rejected > 0
         GROUP BY 1, 2) r
  JOIN applications a ON a.organization_id = r.s AND a.status <> 'rejected'
 ORDER BY r.ca, r.s, r.b
ON CONFLICT (application_id, kind, other_organization_id) DO NOTHING`

// actorOf is who took a step of o, as order_events and audit_events name
// them: the buyer's user, the supplier's owner, or nobody (the portal).
func (o *orderData) actorOf(who party) (user, org int64) {
	switch who {
	case byBuyer:
		return o.demand.user, o.demand.buyer
	case bySupplier:
		return o.supplierUser, o.supplier
	}
	return 0, 0
}

// insertDemands writes demands with everything that happened to them:
// sites, orders, shipments, receipts, the orders' timelines and the audit
// trail of every change (as package order records it). The rejections at
// receipt are kept for rejectionSignals.
func (in *inserter) insertDemands(ctx context.Context, demands []*demandData) error {
	if len(demands) == 0 {
		return nil
	}
	if err := in.demandRows(ctx, demands); err != nil {
		return err
	}
	if err := in.siteRows(ctx, demands); err != nil {
		return err
	}
	var orders []*orderData
	for _, d := range demands {
		orders = append(orders, d.orders...)
	}
	if err := in.orderRows(ctx, orders); err != nil {
		return err
	}
	if err := in.shipmentRows(ctx, orders); err != nil {
		return err
	}
	if err := in.receiptRows(ctx, orders); err != nil {
		return err
	}
	if err := in.orderEventRows(ctx, orders); err != nil {
		return err
	}
	return in.auditRows(ctx, demands)
}

// demandKey finds a demand's id: its buyer and creation time.
type demandKey struct {
	buyer   int64
	created int64
}

func (in *inserter) demandRows(ctx context.Context, demands []*demandData) error {
	rows := make([][]any, 0, len(demands))
	byKey := make(map[demandKey]*demandData, len(demands))
	for _, d := range demands {
		k := demandKey{d.buyer, d.created.UnixMicro()}
		if byKey[k] != nil {
			return fmt.Errorf("demo: two demands of buyer %d created at %s", d.buyer, d.created)
		}
		byKey[k] = d
		rows = append(rows, []any{d.buyer, d.title, d.product, d.quantity(), d.deadline, d.standard, d.target, d.notes,
			d.status, d.version, d.user, d.approved, d.created, d.updated()})
	}
	return copyIn(ctx, in, "demands", demandsStage, rows, func(r struct {
		ID         int64
		BuyerOrgID int64
		CreatedAt  time.Time
	}) {
		byKey[demandKey{r.BuyerOrgID, r.CreatedAt.UnixMicro()}].id = r.ID
	})
}

func (in *inserter) siteRows(ctx context.Context, demands []*demandData) error {
	var rows [][]any
	byID := make(map[int64]*demandData, len(demands))
	for _, d := range demands {
		if d.id == 0 {
			return fmt.Errorf("demo: demand %q was not inserted", d.title)
		}
		byID[d.id] = d
		for i, s := range d.sites {
			rows = append(rows, []any{d.id, d.buyer, i + 1, s.province, s.regency, s.address, s.quantity})
		}
	}
	return copyIn(ctx, in, "demand_sites", sitesStage, rows, func(r struct {
		ID       int64
		DemandID int64
		Position int
	}) {
		byID[r.DemandID].sites[r.Position-1].id = r.ID
	})
}

func (in *inserter) orderRows(ctx context.Context, orders []*orderData) error {
	rows := make([][]any, 0, len(orders))
	byCode := make(map[string]*orderData, len(orders))
	for _, o := range orders {
		d := o.demand
		byCode[o.code] = o
		rows = append(rows, []any{d.id, d.sites[o.site].id, d.buyer, o.supplier, d.buyerName, o.supplierName, d.product,
			d.standard, o.quantity, o.unitPrice, o.due, o.respondBy, o.status, o.counterQ, o.counterP, o.counterDue,
			o.reason, o.version, d.user, o.created,
			o.updated, o.shipped, o.accepted, o.rejected, o.completedAt, o.invoicedOn, o.invoiceAmt, o.paidOn, o.code})
	}
	return copyIn(ctx, in, "orders", ordersStage, rows, func(r struct {
		ID   int64
		Code string
	}) {
		byCode[r.Code].id = r.ID
	})
}

// shipmentKey finds a shipment's id: its order and when it was recorded
// (one shipment a step, and steps are a minute apart at least).
type shipmentKey struct {
	order   int64
	created int64
}

func (in *inserter) shipmentRows(ctx context.Context, orders []*orderData) error {
	var rows [][]any
	byKey := map[shipmentKey]*shipmentData{}
	for _, o := range orders {
		for i := range o.shipments {
			sh := &o.shipments[i]
			byKey[shipmentKey{o.id, sh.createdAt.UnixMicro()}] = sh
			rows = append(rows, []any{o.id, o.demand.buyer, o.supplier, sh.quantity, sh.on, sh.courier, sh.tracking,
				o.supplierUser, sh.createdAt})
		}
	}
	return copyIn(ctx, in, "shipments", shipmentsStage, rows, func(r struct {
		ID        int64
		OrderID   int64
		CreatedAt time.Time
	}) {
		byKey[shipmentKey{r.OrderID, r.CreatedAt.UnixMicro()}].id = r.ID
	})
}

func (in *inserter) receiptRows(ctx context.Context, orders []*orderData) error {
	var rows [][]any
	for _, o := range orders {
		for _, sh := range o.shipments {
			rc := sh.receipt
			if rc == nil {
				continue
			}
			rows = append(rows, []any{sh.id, o.id, o.demand.buyer, o.supplier, rc.on, rc.accepted, rc.rejected, rc.reason,
				rc.code, o.demand.user, rc.createdAt})
		}
	}
	return copyIn[struct{}](ctx, in, "receipts", receiptsStage, rows, nil)
}

// rejectionSignals writes the signals of the rejections at receipt, once
// every order is in: one per supplier and buyer, dated by the first
// rejection, as receipt_rejection_signal leaves them (a later one finds
// the signal there and adds nothing).
func (in *inserter) rejectionSignals(ctx context.Context) error {
	return in.exec(ctx, "signals", insertRejectionSignalsSQL)
}

func (in *inserter) orderEventRows(ctx context.Context, orders []*orderData) error {
	var rows [][]any
	for _, o := range orders {
		for _, e := range o.events {
			u, g := o.actorOf(e.who)
			rows = append(rows, []any{o.id, o.demand.buyer, o.supplier, u, g, e.action, e.from, e.to, e.reason, o.detail(e), e.at})
		}
	}
	return copyIn[struct{}](ctx, in, "order_events", orderEventsStage, rows, nil)
}

// detail is an event's JSON, with the shipment's id once known.
func (o *orderData) detail(e orderEvent) string {
	if e.shipment > 0 {
		return fmt.Sprintf(e.detail, o.shipments[e.shipment-1].id)
	}
	return e.detail
}

// auditRows writes the audit trail of the demands and their orders, as
// package order records it: demand.drafted, demand.approved and
// demand.planned (naming the orders offered) on the demand, and each
// order's every change but its offer, on the acting organisation (the
// buyer's for an expiry, which has no actor).
func (in *inserter) auditRows(ctx context.Context, demands []*demandData) error {
	var rows [][]any
	add := func(when time.Time, user, actorOrg, org int64, action, subjectType string, subject int64, detail string) {
		rows = append(rows, []any{when, user, actorOrg, org, action, subjectType, subject, detail})
	}
	for _, d := range demands {
		add(d.created, d.user, d.buyer, d.buyer, "demand.drafted", "demand", d.id,
			fmt.Sprintf(`{"product_type": %q, "quantity": %d, "sites": %d}`, d.product, d.quantity(), len(d.sites)))
		if d.approved != nil {
			add(*d.approved, d.user, d.buyer, d.buyer, "demand.approved", "demand", d.id, "{}")
		}
		if d.planned != nil {
			ids := make([]string, len(d.orders))
			for i, o := range d.orders {
				ids[i] = strconv.FormatInt(o.id, 10)
			}
			add(*d.planned, d.user, d.buyer, d.buyer, "demand.planned", "demand", d.id, `{"orders": [`+strings.Join(ids, ", ")+`]}`)
		}
		for _, o := range d.orders {
			for _, e := range o.events[1:] {
				if e.who == byPortal {
					add(e.at, 0, 0, d.buyer, e.action, "order", o.id, "{}")
					continue
				}
				u, g := o.actorOf(e.who)
				add(e.at, u, g, g, e.action, "order", o.id,
					fmt.Sprintf(`{"from": %q, "to": %q, "reason": %s}`, e.from, e.to, jsonString(e.reason)))
			}
		}
	}
	return copyIn[struct{}](ctx, in, "audit_events", auditStage, rows, nil)
}
