package order

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
)

// An export is bounded so that one download cannot hold a connection and
// the server's memory without limit. 100,000 orders is far beyond any buyer
// of 2020 (a million masks split across the few hundred producers that
// volunteered is a few hundred orders), and a shipment carries at least one unit, so five per order on average
// leaves room for partial deliveries and their replacements. Past a bound
// the export keeps the newest rows, which are the ones still being worked,
// and says so (Export.Truncated).
const (
	MaxExportOrders    = 100_000
	MaxExportShipments = 5 * MaxExportOrders
)

// Export is what an organisation downloads of its orders: every order of
// its side, in every status, and every shipment of those orders with what
// was received of it. It holds nothing the organisation's order pages do
// not show: orders carry no target price and no internal notes (those stay
// on the demand, which a supplier never reads).
type Export struct {
	// Orders and Shipments are oldest first (by id).
	Orders    []Order
	Shipments []ExportShipment
	// Truncated says a bound (MaxExportOrders, MaxExportShipments) left
	// the oldest rows out.
	Truncated bool
}

// ExportShipment is a shipment with the order it belongs to.
type ExportShipment struct {
	OrderID   int64   `db:"order_id"`
	OrderCode *string `db:"order_code"`
	Shipment
}

// exportShipmentsSQL reads shipments with their order's code and their
// receipt; callers add the WHERE clause naming the acting organisation's
// side on o.
const exportShipmentsSQL = `SELECT s.order_id, o.code AS order_code, s.id, s.quantity, s.shipped_on, s.courier, s.tracking,
       s.created_at, r.id AS receipt_id, r.received_on, r.accepted, r.rejected, r.reason, r.code AS receipt_code
  FROM shipments s JOIN orders o ON o.id = s.order_id LEFT JOIN receipts r ON r.shipment_id = s.id`

// Export returns the actor's orders and their shipments for a download: a
// buyer's, or a supplier's own (never another supplier's); any other kind
// of organisation has none to export (database.ErrNotFound).
//
// Both statements go in one batch of one read transaction. The transaction
// is READ COMMITTED, so each statement has its own snapshot: a shipment
// recorded in the instant between them may be listed while its order's
// sums do not count it yet. The next download agrees; a download is a
// report, not a ledger.
func (s *Store) Export(ctx context.Context, a account.Actor) (Export, error) {
	col, ok := side(a)
	if !ok {
		return Export{}, database.ErrNotFound
	}
	var e Export
	err := s.db.ReadTx(ctx, a.Scope(), func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		// Newest first with one row more than the bound, so that a cut is
		// seen; reversed below.
		b.Queue(ordersSQL+` WHERE `+col+` = $1 ORDER BY o.id DESC LIMIT $2`, a.OrgID, MaxExportOrders+1).
			Query(func(rows pgx.Rows) error {
				var err error
				e.Orders, err = database.CollectRows[Order](rows)
				return err
			})
		// The shipments of exactly the orders kept above: a shipment row
		// never names an order the export left out.
		b.Queue(exportShipmentsSQL+` WHERE `+col+` = $1
   AND s.order_id IN (SELECT o.id FROM orders o WHERE `+col+` = $1 ORDER BY o.id DESC LIMIT $2)
 ORDER BY s.id DESC LIMIT $3`, a.OrgID, MaxExportOrders, MaxExportShipments+1).
			Query(func(rows pgx.Rows) error {
				var err error
				e.Shipments, err = database.CollectRows[ExportShipment](rows)
				return err
			})
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return Export{}, fmt.Errorf("order: export of %d: %w", a.OrgID, database.MapError(err))
	}
	if len(e.Orders) > MaxExportOrders {
		e.Orders, e.Truncated = e.Orders[:MaxExportOrders], true
	}
	if len(e.Shipments) > MaxExportShipments {
		e.Shipments, e.Truncated = e.Shipments[:MaxExportShipments], true
	}
	slices.Reverse(e.Orders)
	slices.Reverse(e.Shipments)
	return e, nil
}
