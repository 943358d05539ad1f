// Package permit owns permit and certification help (issue 12): a supplier
// asks the ministry for help with a permit for a product (izin edar AKD or
// PKD, an SNI certificate, a laboratory test); ministry staff move the
// request through its steps to issued, with the number and date, or
// refused, with a reason. An issued permit goes onto the supplier's
// product, which returns to its curator for that item only. It writes
// permit_requests and permit_events (migration 0030); no other package
// changes them.
package permit

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/audit"
	"pasokan/internal/database"
	"pasokan/internal/i18n"
	"pasokan/internal/notify"
	"pasokan/internal/product"
	"pasokan/internal/supplier"
	"pasokan/internal/validation"
)

// Kinds of help: the distribution permit for a medical device (AKD) or a
// household health supply (PKD, PKRT), an SNI certificate, a laboratory
// test.
var Kinds = []string{"akd", "pkd", "sni", "lab_test"}

// Statuses, in the order a request moves through them.
const (
	StatusRequested         = "requested"
	StatusDocumentsComplete = "documents_complete"
	StatusSubmitted         = "submitted"
	StatusQuestions         = "questions"
	StatusIssued            = "issued"
	StatusRefused           = "refused"
)

// Statuses lists them in order.
var Statuses = []string{StatusRequested, StatusDocumentsComplete, StatusSubmitted, StatusQuestions, StatusIssued, StatusRefused}

// next are the steps a request in each status may take.
var next = map[string][]string{
	StatusRequested:         {StatusDocumentsComplete, StatusRefused},
	StatusDocumentsComplete: {StatusSubmitted, StatusRefused},
	StatusSubmitted:         {StatusQuestions, StatusIssued, StatusRefused},
	StatusQuestions:         {StatusSubmitted, StatusIssued, StatusRefused},
}

// Next lists the steps a request in status may take; none once it is
// issued or refused.
func Next(status string) []string { return next[status] }

// Open says whether a request in status still waits for a step.
func Open(status string) bool { return len(next[status]) > 0 }

// PageSize is how many requests a list shows; the ministry's list links to
// its next page.
const PageSize = 50

// OrgListSize is how many of an organisation's latest requests its own list
// and the ministry's page of it show.
const OrgListSize = 100

// Fields are the supplier's form's fields.
var Fields = []string{"product_type", "permit_kind", "note"}

// StepFields are the ministry's step form's fields.
var StepFields = []string{"version", "status", "note", "permit_number", "issued_on", "reason"}

// ErrState: the request is not in a state that allows this.
var ErrState = errors.New("permit: not allowed in this state")

// Request is one permit-help request.
type Request struct {
	ID              int64      `db:"id"`
	OrgID           int64      `db:"organization_id"`
	OrgName         string     `db:"organization_name"`
	ProvinceCode    string     `db:"province_code"`
	ProductType     string     `db:"product_type"`
	Kind            string     `db:"permit_kind"`
	Note            string     `db:"note"`
	Status          string     `db:"status"`
	PermitNumber    string     `db:"permit_number"`
	IssuedOn        *time.Time `db:"issued_on"`
	Reason          string     `db:"reason"`
	Proposed        bool       `db:"proposed"`
	Version         int        `db:"version"`
	StatusChangedAt time.Time  `db:"status_changed_at"`
	CreatedAt       time.Time  `db:"created_at"`
}

// Waiting is how long the request has been in its current step.
func (r Request) Waiting(now time.Time) time.Duration { return now.Sub(r.StatusChangedAt) }

// Event is one step of a request.
type Event struct {
	ID     int64     `db:"id"`
	Status string    `db:"status"`
	Note   string    `db:"note"`
	At     time.Time `db:"created_at"`
}

// Store reads and changes permit-help requests.
type Store struct {
	db        *database.DB
	products  *product.Store
	suppliers *supplier.Store
	outbox    *notify.Outbox
	// Now is the clock (tests move it); nil is time.Now.
	Now func() time.Time
}

// NewStore returns a Store.
func NewStore(db *database.DB, products *product.Store, suppliers *supplier.Store, outbox *notify.Outbox) *Store {
	return &Store{db: db, products: products, suppliers: suppliers, outbox: outbox}
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

const requestsSQL = `SELECT r.id, r.organization_id, o.name AS organization_name, r.province_code, r.product_type,
       r.permit_kind, r.note, r.status, r.permit_number, r.issued_on, r.reason, r.proposed, r.version,
       r.status_changed_at, r.created_at
  FROM permit_requests r JOIN organizations o ON o.id = r.organization_id`

const eventsSQL = `SELECT id, status, note, created_at FROM permit_events WHERE request_id = $1 ORDER BY id`

// Input is a request as the supplier types it.
type Input struct {
	ProductType, Kind, Note string
}

// KindFits says whether help of kind suits a product: a distribution
// permit only of the kind the product needs; an SNI certificate or a
// laboratory test for any product.
func KindFits(t product.Type, kind string) bool {
	switch kind {
	case "akd":
		return t.PermitKind == product.PermitAKD
	case "pkd":
		return t.PermitKind == product.PermitPKD
	}
	return slices.Contains(Kinds, kind)
}

// Create stores a supplier's request; bad input comes back as
// validation.Errors and stores nothing.
func (s *Store) Create(ctx context.Context, a account.Actor, in Input) (int64, error) {
	if a.Kind != account.KindSupplier {
		return 0, database.ErrNotFound
	}
	catalog, err := s.products.Load(ctx)
	if err != nil {
		return 0, err
	}
	errs := validation.Errors{}
	errs.Clean(map[string]string{"product_type": in.ProductType, "permit_kind": in.Kind})
	t, ok := catalog.Get(in.ProductType)
	if !ok {
		errs.Add("product_type", "error.choose_option")
	}
	switch {
	case !slices.Contains(Kinds, in.Kind):
		errs.Add("permit_kind", "error.choose_option")
	case ok && !KindFits(t, in.Kind):
		errs.Add("permit_kind", "error.permit_kind_product")
	}
	note := errs.MultiLine("note", in.Note, 0, 1000, "error.too_long")
	if errs.Any() {
		return 0, errs
	}
	var id int64
	err = s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO permit_requests (organization_id, province_code, product_type, permit_kind, note, created_by)
SELECT $1, coalesce((SELECT province_code FROM supplier_profiles WHERE organization_id = $1), ''), $2, $3, $4, $5
ON CONFLICT (organization_id, product_type, permit_kind) WHERE status NOT IN ('issued', 'refused') DO NOTHING
RETURNING id`, a.OrgID, in.ProductType, in.Kind, note, a.UserID).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return validation.Errors{"permit_kind": "error.permit_open"}
		}
		if err != nil {
			return err
		}
		if err := addEvent(ctx, tx, a, id, a.OrgID, StatusRequested, ""); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: a.OrgID,
			Action: "permit.requested", SubjectType: "permit_request", SubjectID: id,
			Detail: map[string]any{"product_type": in.ProductType, "permit_kind": in.Kind}})
	})
	if err != nil {
		var verrs validation.Errors
		if errors.As(err, &verrs) {
			return 0, verrs
		}
		return 0, fmt.Errorf("permit: request of %d: %w", a.OrgID, err)
	}
	return id, nil
}

func addEvent(ctx context.Context, tx pgx.Tx, a account.Actor, requestID, orgID int64, status, note string) error {
	_, err := tx.Exec(ctx, `INSERT INTO permit_events (request_id, organization_id, status, note, actor_user_id)
VALUES ($1, $2, $3, $4, $5)`, requestID, orgID, status, note, a.UserID)
	return err
}

// Mine lists the supplier's requests, newest first.
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
		return nil, fmt.Errorf("permit: requests of %d: %w", orgID, err)
	}
	return out, nil
}

func (s *Store) list(ctx context.Context, a account.Actor, q string, args ...any) ([]Request, error) {
	var out []Request
	b := &pgx.Batch{}
	b.Queue(q, args...).Query(database.Rows(&out))
	if err := s.db.ReadBatch(ctx, a.Scope(), b); err != nil {
		return nil, fmt.Errorf("permit: list: %w", err)
	}
	return out, nil
}

// Request returns one request with its timeline: a supplier's own, or any
// for the ministry.
func (s *Store) Request(ctx context.Context, a account.Actor, id int64) (Request, []Event, error) {
	where, args := ` WHERE r.id = $1 AND r.organization_id = $2`, []any{id, a.OrgID}
	switch a.Kind {
	case account.KindSupplier:
	case account.KindMinistry:
		where, args = ` WHERE r.id = $1`, []any{id}
	default:
		return Request{}, nil, database.ErrNotFound
	}
	// One round trip, as material.Store.Request reads.
	var r Request
	var events []Event
	b := &pgx.Batch{}
	b.Queue(requestsSQL+where, args...).Query(database.Row(&r))
	b.Queue(eventsSQL, id).Query(database.Rows(&events))
	if err := s.db.ReadBatch(ctx, a.Scope(), b); err != nil {
		return Request{}, nil, fmt.Errorf("permit: request %d: %w", id, err)
	}
	return r, events, nil
}

// Filter is the ministry's list's query; an empty Status is every open
// request.
type Filter struct {
	Status, Kind string
}

// Page is the ministry's page of requests: how many wait in each step and
// the longest wait (Steps), and a page of its list, the request waiting
// longest in its step first. Next is where the list goes on when it goes
// on past the page.
type Page struct {
	Steps    []Step
	Requests []Request
	Next     *database.Cursor
}

// Page reads the ministry's page with filter f, its list after the
// request at after (nil: from the start), in one round trip (the steps
// and the list read apart cost it a round trip more).
func (s *Store) Page(ctx context.Context, a account.Actor, f Filter, after *database.Cursor) (Page, error) {
	var p Page
	q, args, ok, err := listQuery(a, f, after, PageSize+1)
	if err != nil {
		return p, err
	}
	b := &pgx.Batch{}
	b.Queue(stepsSQL).Query(database.Rows(&p.Steps))
	if ok {
		b.Queue(q, args...).Query(database.Rows(&p.Requests))
	}
	if err := s.db.ReadBatch(ctx, a.Scope(), b); err != nil {
		return Page{}, fmt.Errorf("permit: page: %w", err)
	}
	p.Requests, p.Next = database.Paged(p.Requests, PageSize, func(r Request) database.Cursor {
		return database.Cursor{At: r.StatusChangedAt, ID: r.ID}
	})
	return p, nil
}

// MaxExport bounds the requests a file of the ministry's list holds.
const MaxExport = 100_000

// Export is every request of the ministry's list (up to MaxExport), for its
// CSV and XLSX.
func (s *Store) Export(ctx context.Context, a account.Actor, f Filter) ([]Request, error) {
	q, args, ok, err := listQuery(a, f, nil, MaxExport)
	if err != nil || !ok {
		return nil, err
	}
	return s.list(ctx, a, q, args...)
}

// listQuery is the statement of the ministry's list with filter f, after
// the request at after (nil: from the start; the time its step began and
// the id, the list's order, which its indexes keep), up to limit
// requests; ok is false when a filter names nothing there is (the list is
// then empty). Only the ministry reads it.
func listQuery(a account.Actor, f Filter, after *database.Cursor, limit int) (q string, args []any, ok bool, err error) {
	if a.Kind != account.KindMinistry {
		return "", nil, false, database.ErrNotFound
	}
	if (f.Status != "" && !slices.Contains(Statuses, f.Status)) || (f.Kind != "" && !slices.Contains(Kinds, f.Kind)) {
		return "", nil, false, nil
	}
	where := []string{`r.status IN ('requested', 'documents_complete', 'submitted', 'questions')`}
	if f.Status != "" {
		args = append(args, f.Status)
		where[0] = `r.status = $1`
	}
	if f.Kind != "" {
		args = append(args, f.Kind)
		where = append(where, `r.permit_kind = $`+strconv.Itoa(len(args)))
	}
	if after != nil {
		args = append(args, after.At, after.ID)
		where = append(where, `(r.status_changed_at, r.id) > ($`+strconv.Itoa(len(args)-1)+`, $`+strconv.Itoa(len(args))+`)`)
	}
	return requestsSQL + ` WHERE ` + strings.Join(where, ` AND `) +
		` ORDER BY r.status_changed_at, r.id LIMIT ` + strconv.Itoa(limit), args, true, nil
}

// Step is how many requests wait in one status and the longest wait.
type Step struct {
	Status   string    `db:"status"`
	Requests int       `db:"requests"`
	Oldest   time.Time `db:"oldest"`
}

// stepsSQL reads how many open requests are in each step (support_figures,
// kept by migration 0056 whenever a request moves), with the oldest entry
// into it: where requests wait longest, the first entry of the step along
// the waiting index.
const stepsSQL = `SELECT st.status, coalesce(f.n, 0) AS requests,
       coalesce((SELECT r.status_changed_at FROM permit_requests r WHERE r.status = st.status
                  ORDER BY r.status_changed_at LIMIT 1), now()) AS oldest
  FROM unnest(ARRAY['requested', 'documents_complete', 'submitted', 'questions']) WITH ORDINALITY AS st (status, n)
  LEFT JOIN support_figures f ON f.kind = 'permit' AND f.status = st.status
 ORDER BY st.n`

// StepInput is a step as ministry staff type it.
type StepInput struct {
	Status, Note, PermitNumber, IssuedOn, Reason string
}

// Move takes a request to its next step. Issued needs the permit's number
// (an izin edar checked for its format and kind) and date; refused needs a
// reason. An issued izin edar or SNI certificate goes onto the supplier's
// product, which returns to its curator for that item only; proposed says
// whether it did.
func (s *Store) Move(ctx context.Context, a account.Actor, id int64, version int, in StepInput) (proposed bool, err error) {
	if a.Kind != account.KindMinistry {
		return false, database.ErrNotFound
	}
	now := s.now()
	scope := a.Scope()
	if in.Status == StatusIssued {
		// An issued permit is proposed into the supplier's product as the
		// system (below).
		scope = scope.Widening()
	}
	err = s.db.Tx(ctx, scope, func(tx pgx.Tx) error {
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
		if !Open(r.Status) {
			return ErrState
		}
		errs := validation.Errors{}
		errs.Clean(map[string]string{"status": in.Status, "permit_number": in.PermitNumber, "issued_on": in.IssuedOn})
		if !slices.Contains(Next(r.Status), in.Status) {
			errs.Add("status", "error.choose_option")
		}
		note := errs.MultiLine("note", in.Note, 0, 1000, "error.too_long")
		// Fields the step does not use are checked too, so that a bad
		// value is refused wherever it is typed, never silently dropped.
		var number, reason string
		var issued *time.Time
		if in.Status == StatusIssued {
			number = s.permitNumber(errs, r, in.PermitNumber)
		} else if strings.TrimSpace(in.PermitNumber) != "" {
			errs.SingleLine("permit_number", in.PermitNumber, 0, 100, "error.certificate_number")
		}
		if in.Status == StatusIssued || strings.TrimSpace(in.IssuedOn) != "" {
			day, err := time.Parse(time.DateOnly, strings.TrimSpace(in.IssuedOn))
			switch {
			case err != nil:
				errs.Add("issued_on", "error.date_invalid")
			case day.After(i18n.Today(now)):
				errs.Add("issued_on", "error.date_future")
			case day.Before(i18n.Today(r.CreatedAt)):
				errs.Add("issued_on", "error.issued_before_request")
			case in.Status == StatusIssued:
				issued = &day
			}
		}
		if in.Status == StatusRefused {
			reason = errs.MultiLine("reason", in.Reason, 5, 1000, "error.reason_length")
		} else {
			errs.MultiLine("reason", in.Reason, 0, 1000, "error.reason_length")
		}
		if errs.Any() {
			return errs
		}
		if _, err := tx.Exec(ctx, `UPDATE permit_requests SET status = $2, permit_number = $3, issued_on = $4, reason = $5,
       version = version + 1, status_changed_at = now(), updated_at = now() WHERE id = $1`, r.ID, in.Status, number, issued, reason); err != nil {
			return err
		}
		eventNote := cmp.Or(note, reason, number)
		if err := addEvent(ctx, tx, a, r.ID, r.OrgID, in.Status, eventNote); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: r.OrgID,
			Action: "permit." + in.Status, SubjectType: "permit_request", SubjectID: r.ID,
			Detail: map[string]any{"from": r.Status, "to": in.Status, "permit_number": number, "reason": reason}}); err != nil {
			return err
		}
		key := "permit_step"
		args := []string{strconv.FormatInt(r.ID, 10), in.Status}
		switch in.Status {
		case StatusIssued:
			key, args = "permit_issued", append(args, number)
		case StatusRefused:
			key, args = "permit_refused", append(args, reason)
		case StatusQuestions:
			key, args = "permit_questions", append(args, note)
		}
		if err := s.outbox.Notify(ctx, tx, notify.Notification{OrgID: r.OrgID, Key: key, Args: args,
			Link: "/supplier/permits/" + strconv.FormatInt(r.ID, 10), Email: in.Status == StatusIssued || in.Status == StatusRefused || in.Status == StatusQuestions}); err != nil {
			return err
		}
		if in.Status != StatusIssued || r.Kind == "lab_test" {
			return nil
		}
		// The supplier's product is the supplier's: the ministry may not
		// write it, so the rest of this transaction runs as the system,
		// on the ministry's behalf (the application's timeline names it).
		if err := database.SetScope(ctx, tx, database.System()); err != nil {
			return err
		}
		permit, sni := number, ""
		if r.Kind == "sni" {
			permit, sni = "", number
		}
		if proposed, err = s.suppliers.ProposeIssuedPermit(ctx, tx, a, r.OrgID, r.ProductType, permit, sni); err != nil || !proposed {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE permit_requests SET proposed = true WHERE id = $1`, r.ID)
		return err
	})
	if err != nil {
		var verrs validation.Errors
		if errors.As(err, &verrs) {
			return false, verrs
		}
		return false, fmt.Errorf("permit: request %d: %w", id, err)
	}
	return proposed, nil
}

// permitNumber checks an issued permit's number: an izin edar in its
// printed form, of the kind asked for (a domestic producer's AKD or PKD);
// an SNI certificate or a laboratory report as written.
func (s *Store) permitNumber(errs validation.Errors, r Request, typed string) string {
	switch r.Kind {
	case "akd", "pkd":
		number, kind, ok := supplier.NormalizePermit(typed)
		switch {
		case !ok:
			errs.Add("permit_number", "error.permit_invalid")
		case !strings.EqualFold(kind, r.Kind):
			errs.Add("permit_number", "error.permit_kind_mismatch")
		}
		return number
	}
	return errs.SingleLine("permit_number", typed, 3, 100, "error.certificate_number")
}
