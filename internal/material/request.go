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
	"pasokan/internal/validation"
)

// requestsSQL reads requests with their supplier's name; callers add the
// filter and the order.
const requestsSQL = `SELECT r.id, r.organization_id, o.name AS organization_name, r.province_code, r.material,
       r.quantity, r.unit, r.needed_by, coalesce(r.order_id, 0) AS order_id, r.note, r.status,
       coalesce(r.purchase_id, 0) AS purchase_id, r.source, r.delivered, r.reason, r.version, r.created_at, r.updated_at
  FROM material_requests r JOIN organizations o ON o.id = r.organization_id`

const eventsSQL = `SELECT id, action, quantity, on_date, note, created_at
  FROM material_events WHERE request_id = $1 ORDER BY id`

// servableSQL is a supplier's accepted orders still to make, which a
// request may serve.
const servableSQL = `SELECT id, buyer_name, product_type, quantity, due_date FROM orders
 WHERE supplier_org_id = $1 AND status IN ('accepted', 'in_production') ORDER BY due_date, id LIMIT 50`

// Input is a request as the supplier types it.
type Input struct {
	Material, Quantity, Unit, NeededBy, OrderID, Note string
}

// Create stores a request of the actor's supplier organisation; any member
// may make one. Bad input comes back as validation.Errors and stores
// nothing.
func (s *Store) Create(ctx context.Context, a account.Actor, in Input) (int64, error) {
	if a.Kind != account.KindSupplier {
		return 0, database.ErrNotFound
	}
	errs := validation.Errors{}
	errs.Clean(map[string]string{"material": in.Material, "quantity": in.Quantity, "unit": in.Unit,
		"needed_by": in.NeededBy, "order_id": in.OrderID})
	if !known(Materials, in.Material) {
		errs.Add("material", "error.choose_option")
	}
	n, ok := validation.WholeNumber(in.Quantity)
	if !ok || n < 1 || n > MaxQuantity {
		errs.Add("quantity", "error.quantity_invalid")
	}
	if !known(Units, in.Unit) {
		errs.Add("unit", "error.choose_option")
	}
	now := i18n.Today(s.now())
	needed, err := time.Parse(time.DateOnly, strings.TrimSpace(in.NeededBy))
	switch {
	case err != nil:
		errs.Add("needed_by", "error.date_invalid")
	case needed.Before(now):
		errs.Add("needed_by", "error.date_past")
	case needed.After(now.Add(MaxHorizon)):
		errs.Add("needed_by", "error.date_too_far")
	}
	min := 0
	if in.Material == "other" {
		min = 3
	}
	note := errs.MultiLine("note", in.Note, min, 1000, "error.material_note")
	var orderID int64
	if v := strings.TrimSpace(in.OrderID); v != "" {
		if orderID, err = strconv.ParseInt(v, 10, 64); err != nil || orderID <= 0 {
			errs.Add("order_id", "error.material_order")
		}
	}
	if errs.Any() {
		return 0, errs
	}
	var id int64
	err = s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		if orderID != 0 {
			rows, err := tx.Query(ctx, servableSQL, a.OrgID)
			if err != nil {
				return err
			}
			orders, err := database.CollectRows[OrderChoice](rows)
			if err != nil {
				return err
			}
			if !servable(orders, orderID) {
				return validation.Errors{"order_id": "error.material_order"}
			}
		}
		err := tx.QueryRow(ctx, `INSERT INTO material_requests (organization_id, province_code, material, quantity, unit,
       needed_by, order_id, note, created_by)
SELECT $1, coalesce((SELECT province_code FROM supplier_profiles WHERE organization_id = $1), ''), $2, $3, $4, $5,
       nullif($6, 0), $7, $8
RETURNING id`, a.OrgID, in.Material, n, in.Unit, needed, orderID, note, a.UserID).Scan(&id)
		if err != nil {
			return err
		}
		if err := addEvent(ctx, tx, a, id, a.OrgID, "requested", nil, nil, ""); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: a.OrgID,
			Action: "material.requested", SubjectType: "material_request", SubjectID: id,
			Detail: map[string]any{"material": in.Material, "quantity": n, "unit": in.Unit,
				"needed_by": needed.Format(time.DateOnly), "order_id": orderID}})
	})
	if err != nil {
		var verrs validation.Errors
		if errors.As(err, &verrs) {
			return 0, verrs
		}
		return 0, fmt.Errorf("material: request of %d: %w", a.OrgID, err)
	}
	return id, nil
}

func servable(orders []OrderChoice, id int64) bool {
	for _, o := range orders {
		if o.ID == id {
			return true
		}
	}
	return false
}

// addEvent appends a step to a request's timeline.
func addEvent(ctx context.Context, tx pgx.Tx, a account.Actor, requestID, orgID int64, action string, quantity *int, on *time.Time, note string) error {
	_, err := tx.Exec(ctx, `INSERT INTO material_events (request_id, organization_id, action, quantity, on_date, note, actor_user_id)
VALUES ($1, $2, $3, $4, $5, $6, $7)`, requestID, orgID, action, quantity, on, note, a.UserID)
	return err
}

// Mine lists the actor's supplier organisation's requests, newest first.
func (s *Store) Mine(ctx context.Context, a account.Actor) ([]Request, error) {
	if a.Kind != account.KindSupplier {
		return nil, database.ErrNotFound
	}
	return s.of(ctx, a, a.OrgID)
}

// Of lists one supplier organisation's requests, newest first, for the
// ministry (the organisation's page).
func (s *Store) Of(ctx context.Context, a account.Actor, orgID int64) ([]Request, error) {
	if a.Kind != account.KindMinistry {
		return nil, database.ErrNotFound
	}
	return s.of(ctx, a, orgID)
}

// QueueOf is Of read with other reads of a page: once r is read, out
// holds the requests.
func (s *Store) QueueOf(a account.Actor, r *database.Reads, orgID int64, out *[]Request) error {
	if a.Kind != account.KindMinistry {
		return database.ErrNotFound
	}
	queueOf(r, orgID, out)
	return nil
}

// queueOf adds an organisation's latest requests to r.
func queueOf(r *database.Reads, orgID int64, out *[]Request) {
	r.Batch.Queue(requestsSQL+` WHERE r.organization_id = $1 ORDER BY r.id DESC LIMIT `+strconv.Itoa(OrgListSize), orgID).
		Query(database.Rows(out))
}

func (s *Store) of(ctx context.Context, a account.Actor, orgID int64) ([]Request, error) {
	var out []Request
	var r database.Reads
	queueOf(&r, orgID, &out)
	if err := s.db.Read(ctx, a.Scope(), &r); err != nil {
		return nil, fmt.Errorf("material: requests of %d: %w", orgID, err)
	}
	return out, nil
}

// Servable lists the actor's accepted orders still to make, which a
// request may name.
func (s *Store) Servable(ctx context.Context, a account.Actor) ([]OrderChoice, error) {
	if a.Kind != account.KindSupplier {
		return nil, database.ErrNotFound
	}
	var out []OrderChoice
	b := &pgx.Batch{}
	b.Queue(servableSQL, a.OrgID).Query(database.Rows(&out))
	if err := s.db.ReadBatch(ctx, a.Scope(), b); err != nil {
		return nil, fmt.Errorf("material: orders of %d: %w", a.OrgID, err)
	}
	return out, nil
}

// Request returns one request with its timeline: a supplier's own, or any
// for the ministry; another organisation's is not found.
func (s *Store) Request(ctx context.Context, a account.Actor, id int64) (Request, []Event, error) {
	where := ` WHERE r.id = $1 AND r.organization_id = $2`
	args := []any{id, a.OrgID}
	switch a.Kind {
	case account.KindSupplier:
	case account.KindMinistry:
		where, args = ` WHERE r.id = $1`, []any{id}
	default:
		return Request{}, nil, database.ErrNotFound
	}
	// One round trip: the events of a request the actor may not read are
	// none (row-level security), and the request's absence says not found.
	var r Request
	var events []Event
	b := &pgx.Batch{}
	b.Queue(requestsSQL+where, args...).Query(database.Row(&r))
	b.Queue(eventsSQL, id).Query(database.Rows(&events))
	if err := s.db.ReadBatch(ctx, a.Scope(), b); err != nil {
		return Request{}, nil, fmt.Errorf("material: request %d: %w", id, err)
	}
	return r, events, nil
}

// WithdrawFields are the withdrawal form's fields.
var WithdrawFields = []string{"version", "reason"}

// Withdraw closes the supplier's own request, with its reason (optional),
// while nobody has acted on it: asked for, not yet grouped into a
// purchase. Later, the ministry closes it (Close). Another organisation's
// request is not found.
func (s *Store) Withdraw(ctx context.Context, a account.Actor, id int64, version int, reason string) error {
	if a.Kind != account.KindSupplier {
		return database.ErrNotFound
	}
	errs := validation.Errors{}
	why := errs.MultiLine("reason", reason, 0, 1000, "error.reason_length")
	if errs.Any() {
		return errs
	}
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, requestsSQL+` WHERE r.id = $1 AND r.organization_id = $2`, id, a.OrgID)
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
		if r.Status != StatusRequested || r.PurchaseID != 0 {
			return ErrState
		}
		tag, err := tx.Exec(ctx, `UPDATE material_requests SET status = 'closed', reason = $3, version = version + 1,
       updated_at = now() WHERE id = $1 AND version = $2 AND status = 'requested'`, r.ID, version, why)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return database.ErrStale
		}
		if err := addEvent(ctx, tx, a, r.ID, r.OrgID, "withdrawn", nil, nil, why); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: r.OrgID,
			Action: "material.withdrawn", SubjectType: "material_request", SubjectID: r.ID,
			Detail: map[string]any{"reason": why}})
	})
	if err != nil {
		var verrs validation.Errors
		if errors.As(err, &verrs) {
			return verrs
		}
		return fmt.Errorf("material: withdraw %d: %w", id, err)
	}
	return nil
}
