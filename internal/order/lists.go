package order

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
)

// PageSize is how many orders or demands one page of a list shows. Lists
// are keyset pages (newest first, each page starting below the last id of
// the one before), so that the hundredth page costs what the first does:
// the demo's buyer holds 688,000 orders at a million. 25 rows, as every
// list of the portal shows (docs/DESIGN.md, "A page of a list").
const PageSize = 25

// Statuses are the order statuses in the order a list offers them.
var Statuses = []string{StatusOffered, StatusCountered, StatusAccepted, StatusInProduction, StatusShipped,
	StatusCompleted, StatusInvoiced, StatusPaid, StatusDeclined, StatusExpired, StatusCancelled}

// DemandStatuses are the demand statuses in the order a list offers them.
var DemandStatuses = []string{DemandDraft, DemandApproved, DemandPlanned, DemandClosed}

// ListQuery selects one page of a list: one status or all (""), and the id
// the previous page ended at (0 for the first page). An unknown status is
// no filter: a hand-edited address shows everything rather than fail.
type ListQuery struct {
	Status string
	Before int64
	// Supplier and Buyer narrow the ministry's list to one organisation's
	// orders (its page); other readers read only their own anyway.
	Supplier, Buyer int64
	// ofKind, with Supplier or Buyer, reads the organisation's orders
	// only when it is of that kind: a condition of no row, which Postgres
	// settles before it walks (QueueOrderLinesOf).
	ofKind account.Kind
}

// OrderPage is one page of orders, newest first.
type OrderPage struct {
	Orders []Order
	// Next is the Before of the next page; 0 when this page is the last.
	Next int64
	// Owed is what the supplier's invoiced orders (all of them, not only
	// this page's) still wait to be paid; 0 for other readers.
	Owed int64
}

// DemandPage is one page of demands, newest first.
type DemandPage struct {
	Demands []DemandSummary
	Next    int64
}

// side is the column naming the acting organisation on an order, for the
// two parties that act on it.
func side(a account.Actor) (string, bool) {
	switch a.Kind {
	case account.KindBuyer:
		return "o.buyer_org_id", true
	case account.KindSupplier:
		return "o.supplier_org_id", true
	}
	return "", false
}

// readerOf is the condition on o naming what the actor may read of orders,
// with its argument added through arg: a buyer's, a supplier's own, or
// every order for the ministry (which reads and never acts). Row-level
// security says the same; this keeps the query's plan on the party's
// index and gives other kinds nothing.
func readerOf(a account.Actor, arg func(any) string) (string, bool) {
	if a.Kind == account.KindMinistry {
		return "true", true
	}
	col, ok := side(a)
	if !ok {
		return "", false
	}
	return col + " = " + arg(a.OrgID), true
}

// args collects a query's arguments and names each as $n.
type args []any

func (as *args) add(v any) string {
	*as = append(*as, v)
	return "$" + strconv.Itoa(len(*as))
}

// Orders returns a page of the orders the actor may read, newest first: a
// buyer's, a supplier's own (never another supplier's), or, for the
// ministry, every order.
func (s *Store) Orders(ctx context.Context, a account.Actor, q ListQuery) (OrderPage, error) {
	var p OrderPage
	var r database.Reads
	if err := s.QueueOrders(a, &r, q, &p); err != nil {
		return OrderPage{}, err
	}
	// One round trip: the scope and the page's reads, pipelined.
	if err := s.db.Read(ctx, a.Scope(), &r); err != nil {
		return OrderPage{}, fmt.Errorf("order: orders of %d: %w", a.OrgID, err)
	}
	return p, nil
}

// QueueOrders is Orders read with other reads of a page: once r is read,
// p holds the page.
func (s *Store) QueueOrders(a account.Actor, r *database.Reads, q ListQuery, p *OrderPage) error {
	page, as, ok := ordersPage(a, q)
	if !ok {
		return database.ErrNotFound
	}
	r.Batch.Queue(ordersSQL+page, as...).Query(database.Rows(&p.Orders))
	if a.Kind == account.KindSupplier {
		r.Batch.Queue(`SELECT coalesce(sum(invoice_amount), 0)::bigint FROM orders
 WHERE supplier_org_id = $1 AND status = 'invoiced' AND paid_on IS NULL`, a.OrgID).QueryRow(func(row pgx.Row) error {
			return row.Scan(&p.Owed)
		})
	}
	r.After(func() error {
		p.Orders, p.Next = onePage(p.Orders, func(o Order) int64 { return o.ID })
		return nil
	})
	return nil
}

// onePage cuts rows read PageSize+1 deep to a page, and returns the id of
// its last row as the next page's Before when there was one more (else 0).
func onePage[T any](rows []T, id func(T) int64) ([]T, int64) {
	if len(rows) <= PageSize {
		return rows, 0
	}
	return rows[:PageSize], id(rows[PageSize-1])
}

// ordersPage is the WHERE, ORDER BY and LIMIT of a page of the orders the
// actor may read, and its arguments; false when the actor reads none.
func ordersPage(a account.Actor, q ListQuery) (string, args, bool) {
	var as args
	page, ok := ordersPageWith(a, q, &as)
	return page, as, ok
}

// ordersPageWith is ordersPage with its arguments added to as.
func ordersPageWith(a account.Actor, q ListQuery, as *args) (string, bool) {
	party, ok := readerOf(a, as.add)
	if !ok {
		return "", false
	}
	where := []string{party}
	if a.Kind == account.KindMinistry && q.Supplier > 0 {
		where = append(where, "o.supplier_org_id = "+as.add(q.Supplier))
	}
	if a.Kind == account.KindMinistry && q.Buyer > 0 {
		where = append(where, "o.buyer_org_id = "+as.add(q.Buyer))
	}
	if q.ofKind != "" && q.Supplier+q.Buyer > 0 {
		where = append(where, "(SELECT g.kind FROM organizations g WHERE g.id = "+as.add(q.Supplier+q.Buyer)+") = "+as.add(string(q.ofKind)))
	}
	if slices.Contains(Statuses, q.Status) {
		where = append(where, "o.status = "+as.add(q.Status))
	}
	if q.Before > 0 {
		where = append(where, "o.id < "+as.add(q.Before))
	}
	return ` WHERE ` + strings.Join(where, " AND ") + ` ORDER BY o.id DESC LIMIT ` + strconv.Itoa(PageSize+1), true
}

// OrderLine is an order as a line of the table of an organisation's
// orders on the ministry's page of it: what that table shows.
type OrderLine struct {
	ID           int64     `db:"id"`
	ProductType  string    `db:"product_type"`
	BuyerName    string    `db:"buyer_name"`
	SupplierName string    `db:"supplier_name"`
	Quantity     int       `db:"quantity"`
	Status       string    `db:"status"`
	DueDate      time.Time `db:"due_date"`
}

// LinePage is one page of order lines, newest first.
type LinePage struct {
	Lines []OrderLine
	// Next is the Before of the next page; 0 when this page is the last.
	Next int64
}

// orderLinesSQL reads OrderLine. Read as whole orders (ordersSQL), the
// organisation's page decoded 34 columns of 26 orders and probed each
// order's delivery site, to show seven of them.
const orderLinesSQL = `SELECT o.id, o.product_type, o.buyer_name, o.supplier_name, o.quantity, o.status, o.due_date
  FROM orders o`

// QueueOrderLines is QueueOrders for the lines of a table (OrderLine):
// once r is read, p holds the page.
func (s *Store) QueueOrderLines(a account.Actor, r *database.Reads, q ListQuery, p *LinePage) error {
	page, as, ok := ordersPage(a, q)
	if !ok {
		return database.ErrNotFound
	}
	queueLines(r, orderLinesSQL+page, as, p)
	return nil
}

// QueueOrderLinesOf is QueueOrderLines for the ministry's page of an
// organisation, which reads before it knows the organisation's kind: the
// orders orgID supplies, when it is a supplier, or those it buys, when it
// is a buyer, before before (0: the newest), newest first, in one
// statement. Each side is walked only for its kind: a supplier's page
// walked the orders for those it bought, none, along the primary key
// (the plan test's data has few buyers, so a generic plan takes a buyer's
// orders for many), reading every order.
func (s *Store) QueueOrderLinesOf(a account.Actor, r *database.Reads, orgID, before int64, p *LinePage) error {
	if a.Kind != account.KindMinistry {
		return database.ErrNotFound
	}
	var as args
	supplies, ok1 := ordersPageWith(a, ListQuery{Supplier: orgID, Before: before, ofKind: account.KindSupplier}, &as)
	buys, ok2 := ordersPageWith(a, ListQuery{Buyer: orgID, Before: before, ofKind: account.KindBuyer}, &as)
	if !ok1 || !ok2 {
		return database.ErrNotFound
	}
	queueLines(r, `SELECT o.* FROM ((`+orderLinesSQL+supplies+`) UNION ALL (`+orderLinesSQL+buys+`)) o
 ORDER BY o.id DESC LIMIT `+strconv.Itoa(PageSize+1), as, p)
	return nil
}

func queueLines(r *database.Reads, sql string, as args, p *LinePage) {
	r.Batch.Queue(sql, as...).Query(database.Rows(&p.Lines))
	r.After(func() error {
		p.Lines, p.Next = onePage(p.Lines, func(l OrderLine) int64 { return l.ID })
		return nil
	})
}

// Demands returns a page of the demands the actor may read, newest first,
// with what is ordered and accepted of each (kept in demand_totals): the
// buyer's own, or every buyer's for the ministry.
func (s *Store) Demands(ctx context.Context, a account.Actor, q ListQuery) (DemandPage, error) {
	var as args
	var where []string
	switch a.Kind {
	case account.KindBuyer:
		where = append(where, "d.buyer_org_id = "+as.add(a.OrgID))
	case account.KindMinistry:
		where = append(where, "true")
	default:
		return DemandPage{}, database.ErrNotFound
	}
	if slices.Contains(DemandStatuses, q.Status) {
		where = append(where, "d.status = "+as.add(q.Status))
	}
	if q.Before > 0 {
		where = append(where, "d.id < "+as.add(q.Before))
	}
	sql := `SELECT d.id, d.title, d.product_type, d.quantity, d.deadline, d.status, d.created_at,
       (SELECT g.name FROM organizations g WHERE g.id = d.buyer_org_id) AS buyer_name,
       (SELECT count(*) FROM demand_sites s WHERE s.demand_id = d.id)::int AS sites,
       coalesce(t.ordered, 0)::int AS ordered, coalesce(t.accepted, 0)::int AS accepted
  FROM demands d
  LEFT JOIN demand_totals t ON t.demand_id = d.id
 WHERE ` + strings.Join(where, " AND ") + `
 ORDER BY d.id DESC LIMIT ` + strconv.Itoa(PageSize+1)
	var p DemandPage
	b := &pgx.Batch{}
	b.Queue(sql, as...).Query(database.Rows(&p.Demands))
	if err := s.db.ReadBatch(ctx, a.Scope(), b); err != nil {
		return DemandPage{}, fmt.Errorf("order: demands of %d: %w", a.OrgID, err)
	}
	p.Demands, p.Next = onePage(p.Demands, func(d DemandSummary) int64 { return d.ID })
	return p, nil
}
