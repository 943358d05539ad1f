package material

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

// Urgencies filter the ministry's list by the day a material is needed:
// already late, within a week (late ones included), within a month.
var Urgencies = []string{"late", "week", "month"}

// Filter is the ministry's list's query. Empty fields do not filter; an
// empty Status is every open request (asked for or being sourced).
type Filter struct {
	Material, Province, Urgency, Status string
}

// listSQL builds the list's statement from constant fragments, one per
// filter in use (a generic plan is shaped for its filters: DESIGN.md),
// continued after the request at after when it is not nil (the day needed
// and the id: the list's order, which its indexes keep).
func listSQL(f Filter, after *database.Cursor, today time.Time, limit int) (string, []any) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.Status == "" {
		where = append(where, `r.status IN ('requested', 'sourcing')`)
	} else {
		where = append(where, `r.status = `+arg(f.Status))
	}
	if f.Material != "" {
		where = append(where, `r.material = `+arg(f.Material))
	}
	if f.Province != "" {
		where = append(where, `r.province_code = `+arg(f.Province))
	}
	switch f.Urgency {
	case "late":
		where = append(where, `r.needed_by < `+arg(today))
	case "week":
		where = append(where, `r.needed_by <= `+arg(today.AddDate(0, 0, 7)))
	case "month":
		where = append(where, `r.needed_by <= `+arg(today.AddDate(0, 0, 30)))
	}
	if after != nil {
		where = append(where, `(r.needed_by, r.id) > (`+arg(after.At)+`::date, `+arg(after.ID)+`)`)
	}
	return requestsSQL + ` WHERE ` + strings.Join(where, ` AND `) +
		` ORDER BY r.needed_by, r.id LIMIT ` + strconv.Itoa(limit), args
}

// Page is the ministry's page of requests: a page of its list, most
// urgent first, and the open requests summed by week (Weeks). Next is
// where the list goes on when it goes on past the page.
type Page struct {
	Requests []Request
	Next     *database.Cursor
	Weeks    []Week
}

// Page reads the ministry's page of requests with filter f, after the
// request at after (nil: from the most urgent), in one round trip (the
// list and the weeks read apart cost it one more).
func (s *Store) Page(ctx context.Context, a account.Actor, f Filter, after *database.Cursor) (Page, error) {
	var p Page
	q, args, ok, err := s.listQuery(a, f, after, PageSize+1)
	if err != nil {
		return p, err
	}
	b := &pgx.Batch{}
	if ok {
		b.Queue(q, args...).Query(database.Rows(&p.Requests))
	}
	b.Queue(weeksSQL).Query(database.Rows(&p.Weeks))
	if err := s.db.ReadBatch(ctx, a.Scope(), b); err != nil {
		return Page{}, fmt.Errorf("material: page: %w", err)
	}
	p.Requests, p.Next = database.Paged(p.Requests, PageSize, func(r Request) database.Cursor {
		return database.Cursor{At: r.NeededBy, ID: r.ID}
	})
	return p, nil
}

// MaxExport bounds the requests a file of the ministry's list holds.
const MaxExport = 100_000

// Export is every request of the ministry's list (up to MaxExport), most
// urgent first, for its CSV and XLSX.
func (s *Store) Export(ctx context.Context, a account.Actor, f Filter) ([]Request, error) {
	q, args, ok, err := s.listQuery(a, f, nil, MaxExport)
	if err != nil || !ok {
		return nil, err
	}
	var out []Request
	b := &pgx.Batch{}
	b.Queue(q, args...).Query(database.Rows(&out))
	if err := s.db.ReadBatch(ctx, a.Scope(), b); err != nil {
		return nil, fmt.Errorf("material: list: %w", err)
	}
	return out, nil
}

// listQuery is the statement of the ministry's list with filter f, after
// the request at after (nil: from the start), up to limit requests; ok is
// false when a filter names nothing there is (the list is then empty).
// Only the ministry reads it.
func (s *Store) listQuery(a account.Actor, f Filter, after *database.Cursor, limit int) (q string, args []any, ok bool, err error) {
	if a.Kind != account.KindMinistry {
		return "", nil, false, database.ErrNotFound
	}
	if (f.Material != "" && !known(Materials, f.Material)) || (f.Status != "" && !known(Statuses, f.Status)) ||
		(f.Urgency != "" && !known(Urgencies, f.Urgency)) {
		return "", nil, false, nil
	}
	q, args = listSQL(f, after, i18n.Today(s.now()), limit)
	return q, args, true, nil
}

// Week is what open requests need of one material in one week (Monday to
// Sunday, by the day needed), against the accepted orders they serve.
type Week struct {
	Monday    time.Time `db:"monday"`
	Material  string    `db:"material"`
	Unit      string    `db:"unit"`
	Requests  int       `db:"requests"`
	Quantity  int64     `db:"quantity"`
	Delivered int64     `db:"delivered"`
	// Orders is how many accepted orders the requests serve, and Units
	// what those orders ask for.
	Orders int   `db:"orders"`
	Units  int64 `db:"units"`
}

// weeksSQL reads the open requests' sums by week, material and unit, with
// the accepted orders they serve counted once each, as kept by
// material_week_figures (migration 0056) whenever a request moves.
const weeksSQL = `SELECT monday, material, unit, requests, quantity, delivered, orders, units
  FROM material_week_figures ORDER BY monday, material, unit LIMIT 200`

// GroupInput is a purchase as ministry staff type it, with the requests
// they ticked.
type GroupInput struct {
	RequestIDs   []string
	Source, Note string
}

// GroupFields are the grouping form's fields.
var GroupFields = []string{"request_id", "source", "note"}

// Group gathers open requests for one material and unit into a purchase
// from source: each moves to sourcing, and its supplier is told where the
// material comes from.
func (s *Store) Group(ctx context.Context, a account.Actor, in GroupInput) (int64, error) {
	if a.Kind != account.KindMinistry {
		return 0, database.ErrNotFound
	}
	errs := validation.Errors{}
	var ids []int64
	for _, v := range in.RequestIDs {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || id <= 0 {
			errs.Add("request_id", "error.choose_option")
			break
		}
		ids = append(ids, id)
	}
	if len(in.RequestIDs) == 0 {
		errs.Add("request_id", "error.material_none")
	} else if len(ids) > MaxGroup {
		errs.Add("request_id", "error.material_too_many")
	}
	source := errs.SingleLine("source", in.Source, 2, 200, "error.source_length")
	note := errs.MultiLine("note", in.Note, 0, 1000, "error.material_note")
	if errs.Any() {
		return 0, errs
	}
	var purchase int64
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, requestsSQL+` WHERE r.id = ANY ($1) ORDER BY r.id FOR UPDATE OF r`, ids)
		if err != nil {
			return err
		}
		reqs, err := database.CollectRows[Request](rows)
		if err != nil {
			return err
		}
		if len(reqs) != len(dedupe(ids)) {
			return database.ErrNotFound
		}
		for _, r := range reqs {
			if r.Status != StatusRequested {
				return validation.Errors{"request_id": "error.material_taken"}
			}
			if r.Material != reqs[0].Material || r.Unit != reqs[0].Unit {
				return validation.Errors{"request_id": "error.material_mixed"}
			}
		}
		if err := tx.QueryRow(ctx, `INSERT INTO material_purchases (material, unit, source, note, created_by)
VALUES ($1, $2, $3, $4, $5) RETURNING id`, reqs[0].Material, reqs[0].Unit, source, note, a.UserID).Scan(&purchase); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE material_requests SET status = 'sourcing', purchase_id = $2, source = $3,
       version = version + 1, updated_at = now() WHERE id = ANY ($1)`, ids, purchase, source); err != nil {
			return err
		}
		for _, r := range reqs {
			if err := addEvent(ctx, tx, a, r.ID, r.OrgID, "sourcing", nil, nil, source); err != nil {
				return err
			}
			if err := s.tell(ctx, tx, r, "material_sourcing", false, source); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: a.OrgID,
			Action: "material.grouped", SubjectType: "material_purchase", SubjectID: purchase,
			Detail: map[string]any{"requests": ids, "material": reqs[0].Material, "source": source}})
	})
	if err != nil {
		var verrs validation.Errors
		if errors.As(err, &verrs) {
			return 0, verrs
		}
		return 0, fmt.Errorf("material: group: %w", err)
	}
	return purchase, nil
}

func dedupe(ids []int64) map[int64]bool {
	m := map[int64]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// tell notifies the request's supplier of a step.
func (s *Store) tell(ctx context.Context, tx pgx.Tx, r Request, key string, email bool, more ...string) error {
	id := strconv.FormatInt(r.ID, 10)
	return s.outbox.Notify(ctx, tx, notify.Notification{OrgID: r.OrgID, Key: key,
		Args: append([]string{id, r.Material}, more...), Link: "/supplier/materials/" + id, Email: email})
}

// Purchase returns a purchase with its requests.
func (s *Store) Purchase(ctx context.Context, a account.Actor, id int64) (Purchase, []Request, error) {
	if a.Kind != account.KindMinistry {
		return Purchase{}, nil, database.ErrNotFound
	}
	var p Purchase
	var reqs []Request
	b := &pgx.Batch{}
	b.Queue(`SELECT id, material, unit, source, note, created_at FROM material_purchases WHERE id = $1`, id).Query(database.Row(&p))
	b.Queue(requestsSQL+` WHERE r.purchase_id = $1 ORDER BY r.id LIMIT `+strconv.Itoa(MaxGroup), id).Query(database.Rows(&reqs))
	if err := s.db.ReadBatch(ctx, a.Scope(), b); err != nil {
		return Purchase{}, nil, fmt.Errorf("material: purchase %d: %w", id, err)
	}
	return p, reqs, nil
}

// DeliveryFields are the delivery form's fields.
var DeliveryFields = []string{"version", "quantity", "delivered_on"}

// move changes one request under the ministry's hand, at the version the
// person saw.
func (s *Store) move(ctx context.Context, a account.Actor, id int64, version int, fn func(tx pgx.Tx, r Request, today time.Time) error) error {
	if a.Kind != account.KindMinistry {
		return database.ErrNotFound
	}
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, requestsSQL+` WHERE r.id = $1 FOR UPDATE OF r`, id)
		if err != nil {
			return err
		}
		r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Request])
		if errors.Is(err, pgx.ErrNoRows) {
			return database.ErrNotFound
		}
		if err != nil {
			return err
		}
		if r.Version != version {
			return database.ErrStale
		}
		return fn(tx, r, i18n.Today(s.now()))
	})
	if err != nil {
		var verrs validation.Errors
		if errors.As(err, &verrs) {
			return verrs
		}
		return fmt.Errorf("material: request %d: %w", id, err)
	}
	return nil
}

// Deliver records what reached the producer of a request being sourced;
// once the whole quantity has, the request is delivered.
func (s *Store) Deliver(ctx context.Context, a account.Actor, id int64, version int, quantity, on string) error {
	return s.move(ctx, a, id, version, func(tx pgx.Tx, r Request, now time.Time) error {
		if r.Status != StatusSourcing {
			return ErrState
		}
		errs := validation.Errors{}
		errs.Clean(map[string]string{"quantity": quantity, "delivered_on": on})
		n, ok := validation.WholeNumber(quantity)
		switch {
		case !ok || n < 1:
			errs.Add("quantity", "error.quantity_invalid")
		case int(n) > r.ToDeliver():
			errs.Add("quantity", "error.delivery_over")
		}
		day, err := time.Parse(time.DateOnly, strings.TrimSpace(on))
		switch {
		case err != nil:
			errs.Add("delivered_on", "error.date_invalid")
		case day.After(now):
			errs.Add("delivered_on", "error.date_future")
		case day.Before(i18n.Today(r.CreatedAt)):
			errs.Add("delivered_on", "error.delivery_before_request")
		}
		if errs.Any() {
			return errs
		}
		q := int(n)
		status := StatusSourcing
		if r.Delivered+q >= r.Quantity {
			status = StatusDelivered
		}
		if _, err := tx.Exec(ctx, `UPDATE material_requests SET delivered = delivered + $2, status = $3, version = version + 1,
       updated_at = now() WHERE id = $1`, r.ID, q, status); err != nil {
			return err
		}
		if err := addEvent(ctx, tx, a, r.ID, r.OrgID, "delivered", &q, &day, ""); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: r.OrgID,
			Action: "material.delivered", SubjectType: "material_request", SubjectID: r.ID,
			Detail: map[string]any{"quantity": q, "delivered_on": day.Format(time.DateOnly), "to": status}}); err != nil {
			return err
		}
		return s.tell(ctx, tx, r, "material_delivered", true, strconv.Itoa(q), r.Unit)
	})
}

// CloseFields are the closing form's fields.
var CloseFields = []string{"version", "reason"}

// Close ends an open request with the ministry's reason: delivered in
// part, not to be had, no longer needed.
func (s *Store) Close(ctx context.Context, a account.Actor, id int64, version int, reason string) error {
	return s.move(ctx, a, id, version, func(tx pgx.Tx, r Request, _ time.Time) error {
		if !r.Open() {
			return ErrState
		}
		errs := validation.Errors{}
		why := errs.MultiLine("reason", reason, 5, 1000, "error.reason_length")
		if errs.Any() {
			return errs
		}
		if _, err := tx.Exec(ctx, `UPDATE material_requests SET status = 'closed', reason = $2, version = version + 1,
       updated_at = now() WHERE id = $1`, r.ID, why); err != nil {
			return err
		}
		if err := addEvent(ctx, tx, a, r.ID, r.OrgID, "closed", nil, nil, why); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: r.OrgID,
			Action: "material.closed", SubjectType: "material_request", SubjectID: r.ID,
			Detail: map[string]any{"from": r.Status, "reason": why}}); err != nil {
			return err
		}
		return s.tell(ctx, tx, r, "material_closed", true, why)
	})
}
