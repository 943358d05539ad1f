package figures

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/i18n"
)

// The orders behind a product's figures of demand (units ordered, shipped,
// accepted) and behind a week's orders and units ordered.

// Measures of a product's orders, as the dashboard names them.
const (
	MeasureOrdered  = "ordered"
	MeasureShipped  = "shipped"
	MeasureAccepted = "accepted"
)

// OrderFilter names the figure a list of orders is behind: a product's
// measure, or the orders placed in a week (its Monday, WIB).
type OrderFilter struct {
	Product, Measure string
	Week             time.Time
	// After starts the list after this order (a page's last).
	After int64
}

// Valid says whether f names a figure.
func (f OrderFilter) Valid() bool {
	switch {
	case !f.Week.IsZero():
		return f.Product == "" && f.Measure == ""
	case f.Product != "":
		return f.Measure == MeasureOrdered || f.Measure == MeasureShipped || f.Measure == MeasureAccepted
	}
	return false
}

// OrderRow is one order behind a figure.
type OrderRow struct {
	ID            int64     `db:"id"`
	BuyerName     string    `db:"buyer_name"`
	SupplierOrgID int64     `db:"supplier_org_id"`
	SupplierName  string    `db:"supplier_name"`
	ProductType   string    `db:"product_type"`
	Quantity      int       `db:"quantity"`
	Shipped       int       `db:"shipped_units"`
	Accepted      int       `db:"accepted_units"`
	Status        string    `db:"status"`
	CreatedAt     time.Time `db:"created_at"`
}

const orderRowSQL = `SELECT o.id, coalesce((SELECT g.name FROM organizations g WHERE g.id = o.buyer_org_id), '') AS buyer_name,
       o.supplier_org_id, coalesce((SELECT g.name FROM organizations g WHERE g.id = o.supplier_org_id), '') AS supplier_name,
       o.product_type, o.quantity, o.shipped_units, o.accepted_units, o.status, o.created_at
  FROM orders o`

// Orders lists the orders behind a figure, by order, up to limit (at most
// MaxList): a product's along orders_product_idx, a week's along
// orders_created_idx (migration 0038). The figure counts what these rows
// hold: a product's units ordered are the quantities of its open orders
// (not declined, expired or cancelled), its units shipped and accepted the
// orders' running sums; a week's orders those placed in it.
func (s *Store) Orders(ctx context.Context, a account.Actor, f OrderFilter, limit int) ([]OrderRow, error) {
	if a.Kind != account.KindMinistry {
		return nil, database.ErrNotFound
	}
	if !f.Valid() {
		return nil, nil
	}
	limit = min(max(limit, 1), MaxList)
	var q string
	var args []any
	switch {
	case !f.Week.IsZero():
		y, m, d := f.Week.Date()
		from := time.Date(y, m, d, 0, 0, 0, 0, i18n.WIB)
		q = orderRowSQL + ` WHERE o.created_at >= $1 AND o.created_at < $2`
		args = []any{from, from.AddDate(0, 0, 7)}
		if f.After > 0 {
			// Orders are never deleted: the page's last is there to follow.
			q += ` AND (o.created_at, o.id) > (SELECT p.created_at, p.id FROM orders p WHERE p.id = $3)`
			args = append(args, f.After)
		}
		q += ` ORDER BY o.created_at, o.id`
	default:
		switch f.Measure {
		case MeasureOrdered:
			q = orderRowSQL + ` WHERE o.product_type = $1 AND o.status NOT IN ('declined', 'expired', 'cancelled')`
		case MeasureShipped:
			q = orderRowSQL + ` WHERE o.product_type = $1 AND o.shipped_units > 0`
		default:
			q = orderRowSQL + ` WHERE o.product_type = $1 AND o.accepted_units > 0`
		}
		args = []any{f.Product}
		if f.After > 0 {
			q, args = q+` AND o.id > $2`, append(args, f.After)
		}
		q += ` ORDER BY o.id`
	}
	var out []OrderRow
	b := &pgx.Batch{}
	b.Queue(q+` LIMIT `+strconv.Itoa(limit), args...).Query(database.Rows(&out))
	if err := s.db.Stale(ctx).ReadBatch(ctx, a.Scope(), b); err != nil {
		return nil, fmt.Errorf("figures: orders behind %+v: %w", f, err)
	}
	return out, nil
}
