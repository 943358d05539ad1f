package order

import (
	"context"
	"fmt"
	"strings"
	"time"

	"pasokan/internal/database"
)

// The public checks of the printed documents: anyone holding a Surat
// Pesanan or a goods-received record (BAST) may type its code, or scan its
// QR code, and see that the portal knows it. Nothing of an order is public
// (docs/DESIGN.md, Tenancy), so a check reads as the portal and returns only
// what is printed on the document and proves it is the same one: no price,
// no address, no person's name, no reason for a rejection.

// OrderFacts is what a check shows of the order a document belongs to.
type OrderFacts struct {
	OrderID      int64     `db:"order_id"`
	OrderedAt    time.Time `db:"ordered_at"`
	BuyerName    string    `db:"buyer_name"`
	SupplierName string    `db:"supplier_name"`
	ProductType  string    `db:"product_type"`
	Quantity     int       `db:"quantity"`
	DueDate      time.Time `db:"due_date"`
	Status       string    `db:"status"`
}

// OrderCheck is what the check of an order's document (Surat Pesanan)
// shows.
type OrderCheck struct {
	// Code is the order's verification code, as stored.
	Code string `db:"code"`
	OrderFacts
}

// ReceiptCheck is what the check of a goods-received record shows: its
// order, and what was received.
type ReceiptCheck struct {
	// Code is the receipt's verification code, as stored (not the order's).
	Code string `db:"code"`
	OrderFacts
	ReceivedOn time.Time `db:"received_on"`
	Accepted   int       `db:"accepted"`
	Rejected   int       `db:"rejected"`
}

// factsSQL is the SELECT list of OrderFacts over orders o.
const factsSQL = `o.id AS order_id, o.created_at AS ordered_at, o.buyer_name, o.supplier_name, o.product_type,
       o.quantity, o.due_date, o.status`

const orderCheckSQL = `SELECT o.code, ` + factsSQL + `
  FROM orders o WHERE o.code = $1`

const receiptCheckSQL = `SELECT r.code, ` + factsSQL + `, r.received_on, r.accepted, r.rejected
  FROM receipts r JOIN orders o ON o.id = r.order_id WHERE r.code = $1`

// maxCode bounds what is worth looking up: a code is 14 characters
// (vcode.New); people may type it with spaces around or in lower case.
const maxCode = 32

// NormalizeCode is the code as stored: trimmed and upper-cased, since
// people read codes aloud and type them back in any case. ok is false for
// text that cannot be a code (too long, or other characters than letters,
// digits and hyphens), which is then not looked up at all.
func NormalizeCode(code string) (string, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" || len(code) > maxCode {
		return code, false
	}
	for _, c := range code {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '-' {
			return code, false
		}
	}
	return code, true
}

// VerifyOrder checks the code printed on an order's document. It reads as
// the portal, for anyone: an unknown code is database.ErrNotFound.
func (s *Store) VerifyOrder(ctx context.Context, code string) (OrderCheck, error) {
	code, ok := NormalizeCode(code)
	if !ok {
		return OrderCheck{}, fmt.Errorf("order: verify order: %w", database.ErrNotFound)
	}
	c, err := database.ReadOne[OrderCheck](ctx, s.db.Stale(ctx), database.System(), orderCheckSQL, code)
	if err != nil {
		return OrderCheck{}, fmt.Errorf("order: verify order: %w", err)
	}
	return c, nil
}

// VerifyReceipt checks the code printed on a goods-received record. It
// reads as the portal, for anyone: an unknown code is database.ErrNotFound.
func (s *Store) VerifyReceipt(ctx context.Context, code string) (ReceiptCheck, error) {
	code, ok := NormalizeCode(code)
	if !ok {
		return ReceiptCheck{}, fmt.Errorf("order: verify receipt: %w", database.ErrNotFound)
	}
	c, err := database.ReadOne[ReceiptCheck](ctx, s.db.Stale(ctx), database.System(), receiptCheckSQL, code)
	if err != nil {
		return ReceiptCheck{}, fmt.Errorf("order: verify receipt: %w", err)
	}
	return c, nil
}
