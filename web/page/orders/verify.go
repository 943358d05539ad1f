package orders

import (
	"pasokan/internal/order"
)

// The public checks of the printed order (Surat Pesanan) and of the printed
// goods-received record (Berita Acara Serah Terima): what the page shows is
// what package order's checks return, nothing more.

// OrderCheckView is the check of an order's document.
type OrderCheckView struct {
	Check order.OrderCheck
	// ProductName and ProductUnit are in the reader's language.
	ProductName, ProductUnit string
	// VerifyURL is this check's address, as printed under the QR code.
	VerifyURL string
}

// ReceiptCheckView is the check of a goods-received record.
type ReceiptCheckView struct {
	Check                    order.ReceiptCheck
	ProductName, ProductUnit string
	VerifyURL                string
}

// Ended says whether an order in status is no longer in force: a genuine
// document of a cancelled order must not pass for a current one.
func Ended(status string) bool { return !order.Open(status) }

// Kinds of document a code is checked as, named as in their paths.
const (
	CheckOrder   = "order"
	CheckReceipt = "receipt"
)

// UnknownCodeView is the answer to a code no document has.
type UnknownCodeView struct {
	// Kind is the document the code was checked as (CheckOrder or
	// CheckReceipt).
	Kind string
	// Code is the code as checked, shortened for display.
	Code string
	// Plausible says the code has the shape of one: then it may have been
	// checked as the wrong kind of document, and the page offers the
	// others (a certificate's code has the same shape).
	Plausible bool
}

// TitleKey is the page's title, by kind.
func (v UnknownCodeView) TitleKey() string {
	if v.Kind == CheckReceipt {
		return "orderdoc.verify.receipt_title"
	}
	return "orderdoc.verify.order_title"
}

// CodeLink is a check of the same code as another kind of document.
type CodeLink struct {
	Path string
	Key  string
}

// Others are the checks of the same code as the other kinds of document.
func (v UnknownCodeView) Others() []CodeLink {
	var out []CodeLink
	if v.Kind != CheckOrder {
		out = append(out, CodeLink{Path: "/verify/order/" + v.Code, Key: "orderdoc.verify.as_order"})
	}
	if v.Kind != CheckReceipt {
		out = append(out, CodeLink{Path: "/verify/receipt/" + v.Code, Key: "orderdoc.verify.as_receipt"})
	}
	return append(out, CodeLink{Path: "/verify/" + v.Code, Key: "orderdoc.verify.as_certificate"})
}
