package demo

import (
	"fmt"
	"time"

	"pasokan/internal/order"
)

// The buyers' side of the story: demands, the orders they split into and
// each order's way from the offer to the payment, as package order writes
// them (demands, demand_sites, orders, order_events, shipments, receipts,
// with an audit event per change). The orders are built in memory by the
// transitions below, which keep the rules of package order's state
// machine and of the tables' CHECKs, then inserted in bulk (orderinsert.go).

// party is who took a step of an order.
type party int

const (
	byBuyer    party = iota // the buyer's user (the demo buyer)
	bySupplier              // the supplier's owner
	byPortal                // the portal itself (an offer expiring)
)

// demandData is one demand with its sites and orders.
type demandData struct {
	buyer, user int64
	buyerName   string
	title       string
	product     string
	standard    string
	notes       string
	deadline    time.Time // a date, in UTC as package order keeps it
	target      *int64
	status      string
	version     int
	created     time.Time
	approved    *time.Time
	planned     *time.Time
	sites       []siteData
	orders      []*orderData
	id          int64
}

// quantity is the sum of the sites' quantities, as the repository keeps it.
func (d *demandData) quantity() int {
	n := 0
	for _, s := range d.sites {
		n += s.quantity
	}
	return n
}

// updated is the demand's last change.
func (d *demandData) updated() time.Time {
	switch {
	case d.planned != nil:
		return *d.planned
	case d.approved != nil:
		return *d.approved
	}
	return d.created
}

// siteData is a delivery site of a demand.
type siteData struct {
	province, regency, address string
	quantity                   int
	id                         int64
}

// orderData is one order and everything that happened to it.
type orderData struct {
	demand       *demandData
	site         int // into demand.sites
	supplier     int64
	supplierUser int64
	supplierName string
	quantity     int
	unitPrice    int64
	due          time.Time // a date
	respondBy    time.Time
	status       string
	counterQ     *int
	counterP     *int64
	counterDue   *time.Time
	reason       string
	version      int
	created      time.Time
	updated      time.Time
	shipped      int
	accepted     int
	rejected     int
	completedAt  *time.Time
	invoicedOn   *time.Time
	invoiceAmt   *int64
	paidOn       *time.Time
	code         string
	events       []orderEvent
	shipments    []shipmentData
	// end is the last moment of the story: a step after it does not
	// happen, and no later step either (the order is still where it was).
	end     time.Time
	stopped bool
	id      int64
}

// orderEvent is one entry of order_events, and of audit_events when it is
// a change (every entry but the offer, which Confirm audits once for the
// demand).
type orderEvent struct {
	who      party
	action   string
	from, to string
	reason   string
	// detail is the event's JSON; a receipt's names its shipment, whose id
	// is known only once it is inserted (shipment, 1-based; 0 for none).
	detail   string
	shipment int
	at       time.Time
}

// shipmentData is a delivery with its goods-received record, if any.
type shipmentData struct {
	quantity  int
	on        time.Time // a date
	courier   string
	tracking  string
	createdAt time.Time
	receipt   *receiptData
	id        int64
}

// receiptData is a goods-received record (Berita Acara Serah Terima).
type receiptData struct {
	on                 time.Time // a date
	accepted, rejected int
	reason             string
	code               string
	createdAt          time.Time
}

// dateOf is the day of t in Western Indonesia Time, as package order's
// today keeps a date.
func dateOf(t time.Time) time.Time {
	y, m, d := t.In(wib).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// stored truncates t to what Postgres keeps (microseconds), so that a time
// read back finds the row it was written with.
func stored(t time.Time) time.Time { return t.Truncate(time.Microsecond) }

// offer starts an order as Confirm does: offered, version 1, answered by
// order.RespondBy.
func (d *demandData) offer(site int, c candidate, quantity int, price int64, when, end time.Time, code string) *orderData {
	when = stored(when)
	o := &orderData{demand: d, site: site, supplier: c.OrgID, supplierUser: c.Owner, supplierName: c.Name,
		quantity: quantity, unitPrice: price, due: d.deadline, respondBy: stored(order.RespondBy(when)),
		status: order.StatusOffered, version: 1, created: when, updated: when, code: code, end: end}
	o.events = append(o.events, orderEvent{who: byBuyer, action: "order.offered", to: order.StatusOffered, detail: "{}", at: when})
	d.orders = append(d.orders, o)
	return o
}

// next is when a step meant for t happens: as Postgres keeps it, and after
// the step before.
func (o *orderData) next(t time.Time) time.Time {
	t = stored(t)
	if !t.After(o.updated) {
		t = o.updated.Add(time.Minute)
	}
	return t
}

// step records a transition at t (moved by next) unless the story has
// ended by then; it returns whether it happened.
func (o *orderData) step(t time.Time, who party, action, to, reason, detail string) bool {
	if o.stopped {
		return false
	}
	t = o.next(t)
	if t.After(o.end) {
		o.stopped = true
		return false
	}
	if detail == "" {
		detail = "{}"
	}
	o.events = append(o.events, orderEvent{who: who, action: action, from: o.status, to: to, reason: reason, detail: detail, at: t})
	o.status, o.updated = to, t
	o.version++
	// A transition without a reason keeps the last one given.
	if reason != "" {
		o.reason = reason
	}
	return true
}

// last is the time of the order's last step.
func (o *orderData) last() time.Time { return o.updated }

// accept is the supplier's yes, before the response deadline.
func (o *orderData) accept(t time.Time) bool {
	if o.status != order.StatusOffered || !stored(t).Before(o.respondBy) {
		return false
	}
	return o.step(t, bySupplier, "order.accepted", order.StatusAccepted, "", "")
}

// decline is the supplier's no, with its reason.
func (o *orderData) decline(t time.Time, reason string) bool {
	if o.status != order.StatusOffered || !stored(t).Before(o.respondBy) {
		return false
	}
	return o.step(t, bySupplier, "order.declined", order.StatusDeclined, reason, "")
}

// expire is the portal's sweep of an offer left unanswered.
func (o *orderData) expire() bool {
	if o.status != order.StatusOffered {
		return false
	}
	return o.step(o.respondBy.Add(3*time.Minute), byPortal, "order.expired", order.StatusExpired, "", "")
}

// counter answers an offer with other terms.
func (o *orderData) counter(t time.Time, quantity int, price int64, due time.Time, reason string) bool {
	if o.status != order.StatusOffered || !stored(t).Before(o.respondBy) {
		return false
	}
	detail := fmt.Sprintf(`{"quantity": %d, "unit_price": %d, "due_date": %q}`, quantity, price, due.Format(time.DateOnly))
	if !o.step(t, bySupplier, "order.countered", order.StatusCountered, reason, detail) {
		return false
	}
	o.counterQ, o.counterP, o.counterDue = &quantity, &price, &due
	return true
}

// acceptCounter is the buyer's yes to a counter: the order takes its terms.
func (o *orderData) acceptCounter(t time.Time) bool {
	if o.status != order.StatusCountered {
		return false
	}
	detail := fmt.Sprintf(`{"quantity": %d, "unit_price": %d}`, *o.counterQ, *o.counterP)
	if !o.step(t, byBuyer, "order.counter_accepted", order.StatusAccepted, "", detail) {
		return false
	}
	o.quantity, o.unitPrice, o.due = *o.counterQ, *o.counterP, *o.counterDue
	o.counterQ, o.counterP, o.counterDue = nil, nil, nil
	return true
}

// refuseCounter is the buyer's no to a counter: the order is declined.
func (o *orderData) refuseCounter(t time.Time, reason string) bool {
	if o.status != order.StatusCountered || !o.step(t, byBuyer, "order.counter_refused", order.StatusDeclined, reason, "") {
		return false
	}
	o.counterQ, o.counterP, o.counterDue = nil, nil, nil
	return true
}

// cancel ends an order before anything is shipped.
func (o *orderData) cancel(t time.Time, who party, reason string) bool {
	switch o.status {
	case order.StatusAccepted, order.StatusInProduction:
	case order.StatusOffered, order.StatusCountered:
		if who != byBuyer {
			return false
		}
	default:
		return false
	}
	if !o.step(t, who, "order.cancelled", order.StatusCancelled, reason, "") {
		return false
	}
	o.counterQ, o.counterP, o.counterDue = nil, nil, nil
	return true
}

// produce says the supplier has started making it.
func (o *orderData) produce(t time.Time) bool {
	if o.status != order.StatusAccepted {
		return false
	}
	return o.step(t, bySupplier, "order.in_production", order.StatusInProduction, "", "")
}

// toShip is what may still be shipped: the quantity and a replacement for
// every unit rejected, less what was shipped.
func (o *orderData) toShip() int { return max(0, o.quantity+o.rejected-o.shipped) }

// ship records a shipment of n (at most toShip).
func (o *orderData) ship(t time.Time, n int, courier, tracking string) bool {
	switch o.status {
	case order.StatusAccepted, order.StatusInProduction, order.StatusShipped:
	default:
		return false
	}
	n = min(n, o.toShip())
	if n <= 0 {
		return false
	}
	t = o.next(t)
	on := dateOf(t)
	detail := fmt.Sprintf(`{"quantity": %d, "shipped_on": %q, "courier": %s}`, n, on.Format(time.DateOnly), jsonString(courier))
	if !o.step(t, bySupplier, "order.shipped", order.StatusShipped, "", detail) {
		return false
	}
	o.shipped += n
	o.shipments = append(o.shipments, shipmentData{quantity: n, on: on, courier: courier, tracking: tracking, createdAt: o.updated})
	return true
}

// receive records what the buyer received of shipment i (0-based): every
// unit shipped accepted or rejected, a rejection with its reason. The
// order is completed when the accepted units reach its quantity.
func (o *orderData) receive(i int, t time.Time, rejected int, reason, code string) bool {
	if o.status != order.StatusShipped || i >= len(o.shipments) || o.shipments[i].receipt != nil {
		return false
	}
	sh := &o.shipments[i]
	rejected = min(rejected, sh.quantity)
	accepted := sh.quantity - rejected
	if rejected == 0 {
		reason = ""
	}
	t = o.next(t)
	on := dateOf(t)
	if on.Before(sh.on) {
		return false
	}
	to := order.StatusShipped
	if o.accepted+accepted >= o.quantity {
		to = order.StatusCompleted
	}
	detail := fmt.Sprintf(`{"shipment": %%d, "accepted": %d, "rejected": %d, "received_on": %q}`, accepted, rejected, on.Format(time.DateOnly))
	// The reason of a rejection is the receipt's; the order keeps its own
	// (package order's receipt names none on the order).
	if !o.step(t, byBuyer, "order.received", to, "", detail) {
		return false
	}
	o.events[len(o.events)-1].shipment = i + 1
	o.accepted += accepted
	o.rejected += rejected
	sh.receipt = &receiptData{on: on, accepted: accepted, rejected: rejected, reason: reason, code: code, createdAt: o.updated}
	if to == order.StatusCompleted {
		done := o.updated
		o.completedAt = &done
	}
	return true
}

// invoice is the supplier's invoice of a completed order: the accepted
// units at the order's price.
func (o *orderData) invoice(t time.Time) bool {
	if o.status != order.StatusCompleted {
		return false
	}
	t = o.next(t)
	on := dateOf(t)
	amount := int64(o.accepted) * o.unitPrice
	detail := fmt.Sprintf(`{"amount": %d, "invoiced_on": %q}`, amount, on.Format(time.DateOnly))
	if !o.step(t, bySupplier, "order.invoiced", order.StatusInvoiced, "", detail) {
		return false
	}
	o.invoicedOn, o.invoiceAmt = &on, &amount
	return true
}

// pay is the buyer's record of the payment.
func (o *orderData) pay(t time.Time) bool {
	if o.status != order.StatusInvoiced {
		return false
	}
	t = o.next(t)
	on := dateOf(t)
	if on.Before(*o.invoicedOn) {
		return false
	}
	if !o.step(t, byBuyer, "order.paid", order.StatusPaid, "", fmt.Sprintf(`{"paid_on": %q}`, on.Format(time.DateOnly))) {
		return false
	}
	o.paidOn = &on
	return true
}
