package order

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/i18n"
	"pasokan/internal/supplier"
	"pasokan/internal/validation"
	"pasokan/internal/vcode"
)

// shipmentsSQL reads an order's shipments with their receipts.
const shipmentsSQL = `SELECT s.id, s.quantity, s.shipped_on, s.courier, s.tracking, s.created_at,
       r.id AS receipt_id, r.received_on, r.accepted, r.rejected, r.reason, r.code AS receipt_code
  FROM shipments s LEFT JOIN receipts r ON r.shipment_id = s.id
 WHERE s.order_id = $1 ORDER BY s.id`

// ShipmentInput is a shipment as the supplier types it.
type ShipmentInput struct {
	Quantity, ShippedOn, Courier, Tracking string
}

// ShipmentFields are the shipment form's fields.
var ShipmentFields = []string{"quantity", "shipped_on", "courier", "tracking"}

// ReceiptInput is a goods-received record as the buyer types it.
type ReceiptInput struct {
	ShipmentID                             int64
	ReceivedOn, Accepted, Rejected, Reason string
}

// ReceiptFields are the receipt form's fields.
var ReceiptFields = []string{"shipment_id", "received_on", "accepted", "rejected", "reason"}

// pastDate reads a date typed into field that is not in the future and not
// before from (the order's day): a shipment or a receipt happened.
func pastDate(errs validation.Errors, field, s string, from, today time.Time) time.Time {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	switch {
	case err != nil:
		errs.Add(field, "error.date_invalid")
	case t.After(today):
		errs.Add(field, "error.date_future")
	case t.Before(from):
		errs.Add(field, "error.date_before_order")
	default:
		return t
	}
	return time.Time{}
}

// count reads a whole number typed into field, within [min, max].
func count(errs validation.Errors, field, s string, min, max int) int {
	n, ok := validation.WholeNumber(s)
	if !ok || n < int64(min) || n > int64(max) {
		errs.Add(field, "error.quantity_invalid")
		return 0
	}
	return int(n)
}

// StartProduction says the supplier has started making an accepted order.
func (s *Store) StartProduction(ctx context.Context, a account.Actor, id int64, version int) error {
	if a.Kind != account.KindSupplier {
		return database.ErrNotFound
	}
	return s.move(ctx, a, id, version, func(o Order, _ time.Time) (change, error) {
		if o.Status != StatusAccepted {
			return change{}, ErrState
		}
		return change{action: "order.in_production", to: StatusInProduction, note: "order_in_production"}, nil
	})
}

// RecordShipment records what the supplier shipped: shipments add up,
// never beyond the order (and a replacement for each unit rejected).
func (s *Store) RecordShipment(ctx context.Context, a account.Actor, id int64, version int, in ShipmentInput) error {
	if a.Kind != account.KindSupplier {
		return database.ErrNotFound
	}
	return s.move(ctx, a, id, version, func(o Order, now time.Time) (change, error) {
		switch o.Status {
		case StatusAccepted, StatusInProduction, StatusShipped:
		default:
			return change{}, ErrState
		}
		errs := validation.Errors{}
		errs.Clean(map[string]string{"quantity": in.Quantity, "shipped_on": in.ShippedOn, "tracking": in.Tracking})
		n := count(errs, "quantity", in.Quantity, 1, MaxQuantity)
		if n > o.ToShip() && errs["quantity"] == "" {
			errs.Add("quantity", "error.shipment_over_order")
		}
		on := pastDate(errs, "shipped_on", in.ShippedOn, i18n.Today(o.CreatedAt), i18n.Today(now))
		courier := errs.SingleLine("courier", in.Courier, 1, 100, "error.courier_length")
		tracking := errs.SingleLine("tracking", in.Tracking, 0, 100, "error.tracking_length")
		if errs.Any() {
			return change{}, errs
		}
		return change{action: "order.shipped", to: StatusShipped, note: "order_shipped",
			set: "shipped_units = shipped_units + $4", args: []any{n},
			detail: map[string]any{"quantity": n, "shipped_on": on.Format(time.DateOnly), "courier": courier},
			after: func(ctx context.Context, tx pgx.Tx, o Order) error {
				_, err := tx.Exec(ctx, `INSERT INTO shipments (order_id, buyer_org_id, supplier_org_id, quantity, shipped_on, courier,
       tracking, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, o.ID, o.BuyerOrgID, o.SupplierOrgID, n, on, courier,
					tracking, a.UserID)
				return err
			}}, nil
	})
}

// ErrReceived: the shipment has its goods-received record already.
var ErrReceived = errors.New("order: the shipment was received already")

// RecordReceipt records what the buyer received of one shipment (the
// Berita Acara Serah Terima): every unit shipped is accepted or rejected,
// a rejection with its reason. Rejected units become a signal to the
// supplier's curators and are shipped again; the order is completed when
// the accepted units reach its quantity.
func (s *Store) RecordReceipt(ctx context.Context, a account.Actor, id int64, version int, in ReceiptInput) error {
	if a.Kind != account.KindBuyer {
		return database.ErrNotFound
	}
	return s.move(ctx, a, id, version, func(o Order, now time.Time) (change, error) {
		if o.Status != StatusShipped {
			return change{}, ErrState
		}
		var sh *Shipment
		for i := range o.Shipments {
			if o.Shipments[i].ID == in.ShipmentID {
				sh = &o.Shipments[i]
			}
		}
		if sh == nil {
			return change{}, database.ErrNotFound
		}
		if sh.ReceiptID != nil {
			return change{}, ErrReceived
		}
		errs := validation.Errors{}
		errs.Clean(map[string]string{"received_on": in.ReceivedOn, "accepted": in.Accepted, "rejected": in.Rejected})
		on := pastDate(errs, "received_on", in.ReceivedOn, sh.ShippedOn, i18n.Today(now))
		acc := count(errs, "accepted", in.Accepted, 0, sh.Quantity)
		rej := 0
		if strings.TrimSpace(in.Rejected) != "" {
			rej = count(errs, "rejected", in.Rejected, 0, sh.Quantity)
		}
		if !errs.Any() && acc+rej != sh.Quantity {
			errs.Add("accepted", "error.receipt_sum")
		}
		reason := errs.MultiLine("reason", in.Reason, 0, 1000, "error.reason_length")
		if rej > 0 && len([]rune(reason)) < 5 && errs["reason"] == "" {
			errs.Add("reason", "error.reason_length")
		}
		if errs.Any() {
			return change{}, errs
		}
		to, set := StatusShipped, "accepted_units = accepted_units + $4, rejected_units = rejected_units + $5"
		if o.AcceptedUnits+acc >= o.Quantity {
			to, set = StatusCompleted, set+", completed_at = now()"
		}
		return change{action: "order.received", to: to, note: "order_received", set: set, args: []any{acc, rej},
			detail: map[string]any{"shipment": sh.ID, "accepted": acc, "rejected": rej, "received_on": on.Format(time.DateOnly)},
			after: func(ctx context.Context, tx pgx.Tx, o Order) error {
				var receipt int64
				if err := tx.QueryRow(ctx, `INSERT INTO receipts (shipment_id, order_id, buyer_org_id, supplier_org_id, received_on,
       accepted, rejected, reason, code, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
					sh.ID, o.ID, o.BuyerOrgID, o.SupplierOrgID, on, acc, rej, reason, vcode.New(), a.UserID).Scan(&receipt); err != nil {
					return err
				}
				if rej == 0 {
					return nil
				}
				return supplier.SignalRejection(ctx, tx, receipt)
			}}, nil
	})
}

// Invoice is the supplier's invoice of a completed order: the accepted
// units at the order's price, on the day typed.
func (s *Store) Invoice(ctx context.Context, a account.Actor, id int64, version int, on string) error {
	if a.Kind != account.KindSupplier {
		return database.ErrNotFound
	}
	return s.move(ctx, a, id, version, func(o Order, now time.Time) (change, error) {
		if o.Status != StatusCompleted {
			return change{}, ErrState
		}
		errs := validation.Errors{}
		day := pastDate(errs, "invoiced_on", on, i18n.Today(o.CreatedAt), i18n.Today(now))
		if errs.Any() {
			return change{}, errs
		}
		amount := int64(o.AcceptedUnits) * o.UnitPrice
		return change{action: "order.invoiced", to: StatusInvoiced, note: "order_invoiced",
			set: "invoiced_on = $4, invoice_amount = $5", args: []any{day, amount},
			detail: map[string]any{"amount": amount, "invoiced_on": day.Format(time.DateOnly)}}, nil
	})
}

// Pay is the buyer's record that it paid an invoiced order, on the day
// typed.
func (s *Store) Pay(ctx context.Context, a account.Actor, id int64, version int, on string) error {
	if a.Kind != account.KindBuyer {
		return database.ErrNotFound
	}
	return s.move(ctx, a, id, version, func(o Order, now time.Time) (change, error) {
		if o.Status != StatusInvoiced || o.InvoicedOn == nil {
			return change{}, ErrState
		}
		errs := validation.Errors{}
		day := pastDate(errs, "paid_on", on, *o.InvoicedOn, i18n.Today(now))
		if errs.Any() {
			return change{}, errs
		}
		return change{action: "order.paid", to: StatusPaid, note: "order_paid", set: "paid_on = $4", args: []any{day},
			detail: map[string]any{"paid_on": day.Format(time.DateOnly)}}, nil
	})
}

// Record is a supplier's record with buyers: orders completed (and how
// many by their delivery date), units accepted and rejected at receipt.
type Record struct {
	Completed int `db:"completed"`
	OnTime    int `db:"on_time"`
	Accepted  int `db:"accepted"`
	Rejected  int `db:"rejected"`
}

// QueueRecordOf adds to r the read of a supplier's record for a buyer
// looking at its catalogue page, read into rec: sums over every buyer's
// orders (supplier_order_record, migration 0017), never an order. org
// names the supplier's organisation as a subquery of the statement's only
// argument, arg (listing.OrganizationOfSlugSQL), so that the record is
// read with the listing; a supplier not found has an empty record.
func QueueRecordOf(r *database.Reads, org string, arg any, rec *Record) {
	r.Batch.Queue(`SELECT completed, on_time, accepted, rejected FROM supplier_order_record(`+org+`)`, arg).
		Query(func(rows pgx.Rows) error {
			var err error
			*rec, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Record])
			return err
		})
}
