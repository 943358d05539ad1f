package order

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/audit"
	"pasokan/internal/database"
	"pasokan/internal/i18n"
	"pasokan/internal/notify"
	"pasokan/internal/validation"
)

// ErrExpired: the offer's response deadline has passed.
var ErrExpired = errors.New("order: the offer has expired")

// ordersSQL reads orders with their delivery site; callers add the WHERE
// clause naming the acting organisation's side.
const ordersSQL = `SELECT o.id, o.demand_id, o.site_id, o.buyer_org_id, o.supplier_org_id, o.buyer_name, o.supplier_name,
       o.product_type, o.standard, o.quantity, o.unit_price, o.due_date, o.respond_by, o.status, o.counter_quantity,
       o.counter_unit_price, o.counter_due_date, o.reason, o.version, o.created_at, o.updated_at,
       o.shipped_units, o.accepted_units, o.rejected_units, o.completed_at, o.invoiced_on, o.invoice_amount, o.paid_on, o.code,
       s.province_code AS site_province_code, s.regency_code AS site_regency_code, s.address AS site_address
  FROM orders o JOIN demand_sites s ON s.id = o.site_id`

const eventsSQL = `SELECT e.id, e.action, e.from_status, e.to_status, e.reason, e.at,
       coalesce((SELECT u.name FROM users u WHERE u.id = e.actor_user_id), '') AS actor_name,
       CASE WHEN e.actor_org_id IS NULL THEN ''
            WHEN e.actor_org_id = e.buyer_org_id THEN o.buyer_name ELSE o.supplier_name END AS actor_org
  FROM order_events e JOIN orders o ON o.id = e.order_id
 WHERE e.order_id = $1 ORDER BY e.id`

// Order returns one of the actor's orders with its timeline; an order of
// another organisation is not found.
func (s *Store) Order(ctx context.Context, a account.Actor, id int64) (Order, error) {
	args := []any{id}
	party, ok := readerOf(a, func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) })
	if !ok {
		return Order{}, database.ErrNotFound
	}
	var o Order
	b := &pgx.Batch{}
	b.Queue(ordersSQL+` WHERE o.id = $1 AND `+party, args...).Query(func(rows pgx.Rows) error {
		var err error
		o, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Order])
		if errors.Is(err, pgx.ErrNoRows) {
			return database.ErrNotFound
		}
		return err
	})
	b.Queue(eventsSQL, id).Query(func(rows pgx.Rows) error {
		var err error
		o.Events, err = database.CollectRows[Event](rows)
		return err
	})
	b.Queue(shipmentsSQL, id).Query(func(rows pgx.Rows) error {
		var err error
		o.Shipments, err = database.CollectRows[Shipment](rows)
		return err
	})
	// One round trip: the scope and the three reads, pipelined.
	err := s.db.ReadBatch(ctx, a.Scope(), b)
	if err != nil {
		return Order{}, fmt.Errorf("order: order %d: %w", id, database.MapError(err))
	}
	return o, nil
}

// change is what a transition does to an order.
type change struct {
	action string
	to     string
	reason string
	// set is the UPDATE's SET list after status, reason, version and
	// updated_at, with $3... for args.
	set  string
	args []any
	// note is the other side's notification key.
	note   string
	detail map[string]any
	// after runs in the transaction once the order is updated: the rows a
	// transition adds (a shipment, a receipt).
	after func(ctx context.Context, tx pgx.Tx, o Order) error
}

// move runs one transition of an order on the version the actor saw: the
// order is locked, fn decides from what it holds, the order is updated,
// the timeline and the audit trail get an event, and the other side is
// told. A stale version is database.ErrStale; a transition the state does
// not allow, ErrState.
func (s *Store) move(ctx context.Context, a account.Actor, id int64, version int, fn func(o Order, now time.Time) (change, error)) error {
	col, ok := side(a)
	if !ok {
		return database.ErrNotFound
	}
	now := s.now()
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, ordersSQL+` WHERE o.id = $1 AND `+col+` = $2 FOR UPDATE OF o`, id, a.OrgID)
		if err != nil {
			return err
		}
		o, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Order])
		if errors.Is(err, pgx.ErrNoRows) {
			return database.ErrNotFound
		}
		if err != nil {
			return err
		}
		if o.Version != version {
			return database.ErrStale
		}
		rows, err = tx.Query(ctx, shipmentsSQL, id)
		if err != nil {
			return err
		}
		if o.Shipments, err = database.CollectRows[Shipment](rows); err != nil {
			return err
		}
		c, err := fn(o, now)
		if err != nil {
			return err
		}
		set := ""
		if c.set != "" {
			set = ", " + c.set
		}
		args := append([]any{id, c.to, c.reason}, c.args...)
		// A transition without a reason keeps the last one given.
		if _, err := tx.Exec(ctx, `UPDATE orders SET status = $2, reason = coalesce(nullif($3, ''), reason), version = version + 1,
       updated_at = now()`+set+` WHERE id = $1`, args...); err != nil {
			return err
		}
		if c.after != nil {
			if err := c.after(ctx, tx, o); err != nil {
				return err
			}
		}
		if err := event(ctx, tx, a, id, o.BuyerOrgID, o.SupplierOrgID, c.action, o.Status, c.to, c.reason, c.detail); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: a.OrgID,
			Action: c.action, SubjectType: "order", SubjectID: id,
			Detail: map[string]any{"from": o.Status, "to": c.to, "reason": c.reason}}); err != nil {
			return err
		}
		other, link := o.SupplierOrgID, "/supplier/orders/"
		if a.Kind == account.KindSupplier {
			other, link = o.BuyerOrgID, "/buyer/orders/"
		}
		return s.outbox.Notify(ctx, tx, notify.Notification{OrgID: other, Key: c.note,
			Args: []string{strconv.FormatInt(id, 10), a.OrgName}, Link: link + strconv.FormatInt(id, 10), Email: true})
	})
	if err != nil {
		return fmt.Errorf("order: %d: %w", id, err)
	}
	return nil
}

// answerable says whether the supplier may still answer an offer.
func answerable(o Order, now time.Time) error {
	if o.Status != StatusOffered {
		return ErrState
	}
	if !now.Before(o.RespondBy) {
		return ErrExpired
	}
	return nil
}

// Accept is the supplier's yes to an offer, before its response deadline.
func (s *Store) Accept(ctx context.Context, a account.Actor, id int64, version int) error {
	if a.Kind != account.KindSupplier {
		return database.ErrNotFound
	}
	return s.move(ctx, a, id, version, func(o Order, now time.Time) (change, error) {
		if err := answerable(o, now); err != nil {
			return change{}, err
		}
		return change{action: "order.accepted", to: StatusAccepted, note: "order_accepted"}, nil
	})
}

// reasonOf checks a reason typed into field.
func reasonOf(field, s string) (string, error) {
	errs := validation.Errors{}
	r := errs.MultiLine(field, s, 5, 1000, "error.reason_length")
	if errs.Any() {
		return "", errs
	}
	return r, nil
}

// Decline is the supplier's no to an offer, with a reason; the quantity
// returns to the demand's shortfall.
func (s *Store) Decline(ctx context.Context, a account.Actor, id int64, version int, reason string) error {
	if a.Kind != account.KindSupplier {
		return database.ErrNotFound
	}
	r, err := reasonOf("reason", reason)
	if err != nil {
		return err
	}
	return s.move(ctx, a, id, version, func(o Order, now time.Time) (change, error) {
		if err := answerable(o, now); err != nil {
			return change{}, err
		}
		return change{action: "order.declined", to: StatusDeclined, reason: r, note: "order_declined"}, nil
	})
}

// CounterInput is a supplier's counter-offer as typed: any of quantity,
// unit price and due date differ from the offer; an empty field keeps the
// offer's.
type CounterInput struct {
	Quantity, UnitPrice, DueDate, Reason string
}

// CounterFields are the counter form's fields.
var CounterFields = []string{"counter_quantity", "counter_unit_price", "counter_due_date", "reason"}

// Counter answers an offer with other terms; the buyer accepts or refuses
// them.
func (s *Store) Counter(ctx context.Context, a account.Actor, id int64, version int, in CounterInput) error {
	if a.Kind != account.KindSupplier {
		return database.ErrNotFound
	}
	return s.move(ctx, a, id, version, func(o Order, now time.Time) (change, error) {
		if err := answerable(o, now); err != nil {
			return change{}, err
		}
		errs := validation.Errors{}
		errs.Clean(map[string]string{"counter_quantity": in.Quantity, "counter_unit_price": in.UnitPrice, "counter_due_date": in.DueDate})
		q, p, due := o.Quantity, o.UnitPrice, o.DueDate
		if t := strings.TrimSpace(in.Quantity); t != "" {
			if n, ok := validation.WholeNumber(t); !ok || n < 1 || n > MaxQuantity {
				errs.Add("counter_quantity", "error.quantity_invalid")
			} else {
				q = int(n)
			}
		}
		if t := strings.TrimSpace(in.UnitPrice); t != "" {
			if n, ok := validation.Amount(t); !ok || n < 1 || n > MaxPrice {
				errs.Add("counter_unit_price", "error.price_invalid")
			} else {
				p = n
			}
		}
		if t := strings.TrimSpace(in.DueDate); t != "" {
			if d := dateIn(errs, "counter_due_date", t, i18n.Today(now)); !d.IsZero() {
				due = d
			}
		}
		r := errs.MultiLine("reason", in.Reason, 0, 1000, "error.reason_length")
		if errs.Any() {
			return change{}, errs
		}
		if q == o.Quantity && p == o.UnitPrice && due.Equal(o.DueDate) {
			return change{}, validation.Errors{"counter_quantity": "error.counter_same"}
		}
		return change{action: "order.countered", to: StatusCountered, reason: r, note: "order_countered",
			set: "counter_quantity = $4, counter_unit_price = $5, counter_due_date = $6", args: []any{q, p, due},
			detail: map[string]any{"quantity": q, "unit_price": p, "due_date": due.Format(time.DateOnly)}}, nil
	})
}

// AcceptCounter is the buyer's yes to a counter-offer: the order takes its
// terms and is accepted (the supplier proposed them). A larger quantity
// must still fit what the site needs.
func (s *Store) AcceptCounter(ctx context.Context, a account.Actor, id int64, version int) error {
	if a.Kind != account.KindBuyer {
		return database.ErrNotFound
	}
	return s.move(ctx, a, id, version, func(o Order, _ time.Time) (change, error) {
		if o.Status != StatusCountered || o.CounterQuantity == nil || o.CounterUnitPrice == nil || o.CounterDueDate == nil {
			return change{}, ErrState
		}
		return change{action: "order.counter_accepted", to: StatusAccepted, note: "order_counter_accepted",
			set:    "quantity = counter_quantity, unit_price = counter_unit_price, due_date = counter_due_date, counter_quantity = NULL, counter_unit_price = NULL, counter_due_date = NULL",
			detail: map[string]any{"quantity": *o.CounterQuantity, "unit_price": *o.CounterUnitPrice}}, nil
	})
}

// RefuseCounter is the buyer's no to a counter-offer, with a reason: the
// order is declined and its quantity returns to the shortfall.
func (s *Store) RefuseCounter(ctx context.Context, a account.Actor, id int64, version int, reason string) error {
	if a.Kind != account.KindBuyer {
		return database.ErrNotFound
	}
	r, err := reasonOf("reason", reason)
	if err != nil {
		return err
	}
	return s.move(ctx, a, id, version, func(o Order, _ time.Time) (change, error) {
		if o.Status != StatusCountered {
			return change{}, ErrState
		}
		return change{action: "order.counter_refused", to: StatusDeclined, reason: r, note: "order_counter_refused",
			set: "counter_quantity = NULL, counter_unit_price = NULL, counter_due_date = NULL"}, nil
	})
}

// Cancel ends an order before anything is shipped, with a reason: the
// buyer an offer, a counter or an accepted order; the supplier an order it
// accepted. The quantity returns to the shortfall.
func (s *Store) Cancel(ctx context.Context, a account.Actor, id int64, version int, reason string) error {
	r, err := reasonOf("reason", reason)
	if err != nil {
		return err
	}
	return s.move(ctx, a, id, version, func(o Order, _ time.Time) (change, error) {
		switch {
		case a.Kind == account.KindBuyer && (o.Status == StatusOffered || o.Status == StatusCountered ||
			o.Status == StatusAccepted || o.Status == StatusInProduction):
		case a.Kind == account.KindSupplier && (o.Status == StatusAccepted || o.Status == StatusInProduction):
		default:
			return change{}, ErrState
		}
		return change{action: "order.cancelled", to: StatusCancelled, reason: r, note: "order_cancelled",
			set: "counter_quantity = NULL, counter_unit_price = NULL, counter_due_date = NULL"}, nil
	})
}

// ExpireBatch bounds the offers one sweep expires: the next run takes the
// rest.
const ExpireBatch = 500

// Expire ends offers left unanswered past their response deadline, as the
// portal: each is expired, its timeline and both parties are told, and its
// quantity returns to the demand's shortfall. Several processes may run it
// at once (the rows are taken with SKIP LOCKED). It returns how many
// expired.
func (s *Store) Expire(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := s.db.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `UPDATE orders SET status = 'expired', version = version + 1, updated_at = now()
 WHERE id IN (SELECT id FROM orders WHERE status = 'offered' AND respond_by <= $1
               ORDER BY respond_by LIMIT $2 FOR UPDATE SKIP LOCKED)
 RETURNING id, buyer_org_id, supplier_org_id`, now, ExpireBatch)
		if err != nil {
			return err
		}
		type expired struct {
			ID       int64 `db:"id"`
			Buyer    int64 `db:"buyer_org_id"`
			Supplier int64 `db:"supplier_org_id"`
		}
		got, err := database.CollectRows[expired](rows)
		if err != nil {
			return err
		}
		for _, e := range got {
			id := strconv.FormatInt(e.ID, 10)
			if err := event(ctx, tx, account.Actor{}, e.ID, e.Buyer, e.Supplier, "order.expired", StatusOffered, StatusExpired, "", nil); err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, audit.Event{OrgID: e.Buyer, Action: "order.expired", SubjectType: "order", SubjectID: e.ID}); err != nil {
				return err
			}
			for _, to := range []struct {
				org  int64
				link string
			}{{e.Buyer, "/buyer/orders/" + id}, {e.Supplier, "/supplier/orders/" + id}} {
				if err := s.outbox.Notify(ctx, tx, notify.Notification{OrgID: to.org, Key: "order_expired",
					Args: []string{id}, Link: to.link, Email: true}); err != nil {
					return err
				}
			}
		}
		n = len(got)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("order: expire offers: %w", err)
	}
	return n, nil
}
