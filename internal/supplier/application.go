package supplier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/i18n"
	"pasokan/internal/notify"
	"pasokan/internal/product"
	"pasokan/internal/region"
	"pasokan/internal/validation"
)

// Programme is the programme applications are made for.
const Programme = "apd-2020"

// Store is the repository of profiles, applications and documents.
type Store struct {
	db       *database.DB
	regions  *region.Store
	products *product.Store
	outbox   *notify.Outbox
	log      *slog.Logger
	baseURL  string
	// MaxUpload is the largest file accepted, in bytes.
	MaxUpload int64
	// UploadQuota bounds the total size of an organisation's live
	// documents, in bytes.
	UploadQuota int64
	// decodes holds a token while an uploaded image is decoded.
	decodes chan struct{}
}

// NewStore returns a Store.
func NewStore(db *database.DB, regions *region.Store, products *product.Store, outbox *notify.Outbox, log *slog.Logger, baseURL string) *Store {
	return &Store{db: db, regions: regions, products: products, outbox: outbox, log: log, baseURL: strings.TrimRight(baseURL, "/"),
		MaxUpload: 10 << 20, UploadQuota: 100 << 20, decodes: make(chan struct{}, 1)}
}

// Application is an application with everything the supplier sees of it.
type Application struct {
	ID          int64
	OrgID       int64
	Status      Status
	Version     int
	Submissions int
	SubmittedAt *time.Time
	CreatedAt   time.Time
	Products    []Product
	Documents   []Document
	Events      []Event
	// Flags are what the curators asked to revise at the last submission.
	Flags []Flag
}

// Reference is the application's number as the supplier quotes it:
// PSK-<year of the first submission or creation>-<id, six digits>.
func (a Application) Reference() string {
	at := a.CreatedAt
	if a.SubmittedAt != nil && a.SubmittedAt.Before(at) || at.IsZero() && a.SubmittedAt != nil {
		at = *a.SubmittedAt
	}
	return fmt.Sprintf("PSK-%d-%06d", at.In(i18n.WIB).Year(), a.ID)
}

// Product is a product the supplier will make.
type Product struct {
	ID              int64
	Type            string
	MonthlyCapacity int
	LeadTimeDays    int
	PriceMin        int64
	PriceMax        int64
	Materials       string
	MaterialNeeds   string
	PermitNumber    string
	SNICertificate  string
}

// Event is an entry of the application's timeline.
type Event struct {
	ID         int64
	Action     string
	FromStatus string
	ToStatus   string
	Reason     string
	ActorName  string
	At         time.Time
}

// Flag is something a curator asked to revise.
type Flag struct {
	Target    string // field, product, document
	TargetKey string // a profile field name, a product type code, a document kind
	Reason    string
	// Changed says the target differs from what was submitted (set by
	// MarkChanged; Overview sets it).
	Changed bool `db:"-"`
}

type appRow struct {
	ID          int64
	Status      Status
	Version     int
	Submissions int
	SubmittedAt *time.Time
	CreatedAt   time.Time
}

// versions is an application's version and submission count as an update
// returns them.
type versions struct {
	Version, Submissions int
}

const activeAppSQL = `SELECT id, status, version, submissions, submitted_at, created_at
  FROM applications WHERE organization_id = $1 AND programme = $2 AND status <> 'rejected'`

func activeApplication(ctx context.Context, tx pgx.Tx, orgID int64) (appRow, error) {
	rows, _ := tx.Query(ctx, activeAppSQL, orgID, Programme)
	return pgx.CollectOneRow(rows, pgx.RowToStructByName[appRow])
}

// ensureApplication returns the active application, creating the draft (and
// its first event) when there is none.
func ensureApplication(ctx context.Context, tx pgx.Tx, a account.Actor) (appRow, error) {
	r, err := activeApplication(ctx, tx, a.OrgID)
	if !errors.Is(err, pgx.ErrNoRows) {
		return r, err
	}
	rows, _ := tx.Query(ctx, `INSERT INTO applications (organization_id, programme) VALUES ($1, $2)
ON CONFLICT DO NOTHING RETURNING id, status, version, submissions, submitted_at, created_at`, a.OrgID, Programme)
	if r, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[appRow]); err != nil {
		if errors.Is(err, pgx.ErrNoRows) { // made by a concurrent request
			return activeApplication(ctx, tx, a.OrgID)
		}
		return r, err
	}
	return r, appendEvent(ctx, tx, a, r.ID, a.OrgID, "application.created", "", StatusDraft, r.Version, "", nil)
}

// RecordEvent appends an event to an application's timeline inside the
// caller's transaction, with no change of status: the one way another
// package (curation's claims, samples, conflicts) writes application_events,
// which this package owns.
func RecordEvent(ctx context.Context, tx pgx.Tx, a account.Actor, appID, orgID int64, action string, version int, reason string, detail map[string]any) error {
	return appendEvent(ctx, tx, a, appID, orgID, action, "", "", version, reason, detail)
}

func appendEvent(ctx context.Context, tx pgx.Tx, a account.Actor, appID, orgID int64, action string, from, to Status, version int, reason string, detail map[string]any) error {
	if detail == nil {
		detail = map[string]any{}
	}
	b, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO application_events
    (application_id, organization_id, actor_user_id, actor_org_id, action, from_status, to_status, version, reason, detail)
VALUES ($1, $2, nullif($3, 0), nullif($4, 0), $5, $6, $7, $8, $9, $10)`,
		appID, orgID, a.UserID, a.OrgID, action, string(from), string(to), version, reason, b)
	return err
}

// Application returns the actor's active application with its products,
// documents, timeline and flags. Before anything was added there is none
// yet: an empty draft (ID 0) comes back, and nothing is written (reading a
// page changes no state).
func (s *Store) Application(ctx context.Context, a account.Actor) (Application, error) {
	b := &pgx.Batch{}
	l := queueApplication(b, a.OrgID)
	if err := s.db.ReadBatch(ctx, a.Scope(), b); err != nil {
		return Application{}, fmt.Errorf("supplier: application of %d: %w", a.OrgID, err)
	}
	return l.application(), nil
}

const productsSQL = `SELECT id, product_type AS type, monthly_capacity, coalesce(lead_time_days, 0) AS lead_time_days,
       price_min, price_max, materials, material_needs, permit_number, sni_certificate
  FROM application_products WHERE application_id = $1 ORDER BY id`

// eventsSQL reads each actor's name by primary key (a join let the users'
// policy lead the planner to walk every user).
const (
	eventsSelectSQL = `SELECT e.id, e.action, e.from_status, e.to_status, e.reason,
       coalesce((SELECT u.name FROM users u WHERE u.id = e.actor_user_id), '') AS actor_name, e.occurred_at AS at
  FROM application_events e`
	eventsSQL = eventsSelectSQL + `
 WHERE e.application_id = $1 ORDER BY e.id`
	// eventsOfOrganizationSQL reads the events of an organisation's
	// latest application (QueueEventsOfOrganization).
	eventsOfOrganizationSQL = eventsSelectSQL + `
 WHERE e.application_id = ` + LatestApplicationOfSQL + ` ORDER BY e.id`
)

func loadApplication(ctx context.Context, tx pgx.Tx, r appRow, orgID int64) (Application, error) {
	app := Application{ID: r.ID, OrgID: orgID, Status: r.Status, Version: r.Version, Submissions: r.Submissions,
		SubmittedAt: r.SubmittedAt, CreatedAt: r.CreatedAt}
	rows, err := tx.Query(ctx, productsSQL, r.ID)
	if err != nil {
		return app, err
	}
	if app.Products, err = database.CollectRows[Product](rows); err != nil {
		return app, err
	}
	if app.Documents, err = documentsOf(ctx, tx, orgID); err != nil {
		return app, err
	}
	// Users of other organisations (curators) are not visible to the
	// supplier: their names come back empty.
	if app.Events, err = EventsOf(ctx, tx, r.ID); err != nil {
		return app, err
	}
	if r.Status == StatusRevisionRequested {
		rows, err = tx.Query(ctx, `SELECT target, target_key, reason FROM application_flags
 WHERE application_id = $1 AND submission = $2 ORDER BY id`, r.ID, r.Submissions)
		if err != nil {
			return app, err
		}
		if app.Flags, err = database.CollectRows[Flag](rows); err != nil {
			return app, err
		}
	}
	return app, nil
}

// ProductInput is the product form as typed.
type ProductInput struct {
	ProductType, MonthlyCapacity, LeadTimeDays, PriceMin, PriceMax, Materials, MaterialNeeds, PermitNumber, SNICertificate string
}

// ProductFields are the product form's field names.
var ProductFields = []string{"product_type", "monthly_capacity", "lead_time_days", "price_min", "price_max",
	"materials", "material_needs", "permit_number", "sni_certificate"}

// MaxMonthlyCapacity bounds a declared monthly capacity: above it, the
// figure is a typing mistake, not a small business.
const MaxMonthlyCapacity = 10_000_000

// parseAmount and parseWhole read numbers as validation does.
var (
	parseAmount = validation.Amount
	parseWhole  = validation.WholeNumber
)

// Parse checks a typed product against the catalogue.
func (in ProductInput) Parse(catalog *product.Catalog) (Product, validation.Errors) {
	errs := validation.Errors{}
	errs.Clean(map[string]string{"product_type": in.ProductType, "monthly_capacity": in.MonthlyCapacity,
		"lead_time_days": in.LeadTimeDays, "price_min": in.PriceMin, "price_max": in.PriceMax, "permit_number": in.PermitNumber})
	p := Product{Type: strings.TrimSpace(in.ProductType)}
	if _, ok := catalog.Get(p.Type); !ok {
		errs.Add("product_type", "error.choose_option")
	}
	if n, ok := parseAmount(in.MonthlyCapacity); !ok || n < 1 || n > MaxMonthlyCapacity {
		errs.Add("monthly_capacity", "error.capacity_invalid")
	} else {
		p.MonthlyCapacity = int(n)
	}
	if strings.TrimSpace(in.LeadTimeDays) != "" {
		if n, ok := parseAmount(in.LeadTimeDays); !ok || n < 1 || n > 365 {
			errs.Add("lead_time_days", "error.lead_time_invalid")
		} else {
			p.LeadTimeDays = int(n)
		}
	}
	minOK, maxOK := false, false
	if n, ok := parseAmount(in.PriceMin); !ok || n < 1 || n > 100_000_000_000 {
		errs.Add("price_min", "error.price_invalid")
	} else {
		p.PriceMin, minOK = n, true
	}
	if n, ok := parseAmount(in.PriceMax); !ok || n < 1 || n > 100_000_000_000 {
		errs.Add("price_max", "error.price_invalid")
	} else {
		p.PriceMax, maxOK = n, true
	}
	if minOK && maxOK && p.PriceMin > p.PriceMax {
		errs.Add("price_min", "error.price_min_above_max")
	}
	p.Materials = errs.MultiLine("materials", in.Materials, 0, 1000, "error.too_long")
	p.MaterialNeeds = errs.MultiLine("material_needs", in.MaterialNeeds, 0, 1000, "error.too_long")
	if strings.TrimSpace(in.PermitNumber) != "" {
		num, _, ok := NormalizePermit(in.PermitNumber)
		if !ok {
			errs.Add("permit_number", "error.permit_invalid")
		}
		p.PermitNumber = num
	}
	p.SNICertificate = errs.SingleLine("sni_certificate", in.SNICertificate, 0, 100, "error.too_long")
	return p, errs
}

// AddProduct adds a product to the draft, or replaces the one of the same
// type.
func (s *Store) AddProduct(ctx context.Context, a account.Actor, in ProductInput) (Product, error) {
	catalog, err := s.products.Load(ctx)
	if err != nil {
		return Product{}, err
	}
	p, errs := in.Parse(catalog)
	if errs.Any() {
		return p, errs
	}
	err = s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		r, err := ensureApplication(ctx, tx, a)
		if err != nil {
			return err
		}
		if !r.Status.Editable() {
			return ErrNotEditable
		}
		if err := tx.QueryRow(ctx, `INSERT INTO application_products (application_id, organization_id, product_type,
    monthly_capacity, lead_time_days, price_min, price_max, materials, material_needs, permit_number, sni_certificate)
VALUES ($1, $2, $3, $4, nullif($5, 0), $6, $7, $8, $9, $10, $11)
ON CONFLICT (application_id, product_type) DO UPDATE SET
    monthly_capacity = EXCLUDED.monthly_capacity, lead_time_days = EXCLUDED.lead_time_days,
    price_min = EXCLUDED.price_min, price_max = EXCLUDED.price_max, materials = EXCLUDED.materials,
    material_needs = EXCLUDED.material_needs, permit_number = EXCLUDED.permit_number,
    sni_certificate = EXCLUDED.sni_certificate, updated_at = now()
RETURNING id`, r.ID, a.OrgID, p.Type, p.MonthlyCapacity, p.LeadTimeDays, p.PriceMin, p.PriceMax,
			p.Materials, p.MaterialNeeds, p.PermitNumber, p.SNICertificate).Scan(&p.ID); err != nil {
			return err
		}
		return appendEvent(ctx, tx, a, r.ID, a.OrgID, "application.product_saved", "", "", r.Version, "",
			map[string]any{"product_type": p.Type, "monthly_capacity": p.MonthlyCapacity})
	})
	if err != nil {
		return p, fmt.Errorf("supplier: add product: %w", err)
	}
	return p, nil
}

// RemoveProduct removes a product from the draft. Another organisation's
// product is not found.
func (s *Store) RemoveProduct(ctx context.Context, a account.Actor, id int64) error {
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		r, err := activeApplication(ctx, tx, a.OrgID)
		if err != nil {
			return err
		}
		if !r.Status.Editable() {
			return ErrNotEditable
		}
		var typ string
		if err := tx.QueryRow(ctx, `DELETE FROM application_products WHERE id = $1 AND application_id = $2 AND organization_id = $3
RETURNING product_type`, id, r.ID, a.OrgID).Scan(&typ); err != nil {
			return err
		}
		return appendEvent(ctx, tx, a, r.ID, a.OrgID, "application.product_removed", "", "", r.Version, "",
			map[string]any{"product_type": typ})
	})
	if err != nil {
		return fmt.Errorf("supplier: remove product %d: %w", id, database.MapError(err))
	}
	return nil
}

// Readiness is what a submission still needs, as i18n keys.
type Readiness struct {
	ProfileMissing []string // profile field names
	NoProduct      bool
	NoNIBDocument  bool
	NoPhoto        bool
}

// Ready reports whether nothing is missing.
func (r Readiness) Ready() bool {
	return len(r.ProfileMissing) == 0 && !r.NoProduct && !r.NoNIBDocument && !r.NoPhoto
}

// ReadinessOf works out what the application still lacks.
func ReadinessOf(p Profile, app Application) Readiness {
	r := Readiness{ProfileMissing: p.Missing(), NoProduct: len(app.Products) == 0, NoNIBDocument: true, NoPhoto: true}
	for _, d := range app.Documents {
		switch d.Kind {
		case "nib":
			r.NoNIBDocument = false
		case "photo":
			r.NoPhoto = false
		}
	}
	return r
}

// Submit sends the application to the curators: it must be complete, and
// version must be the one the person saw (a double click, or two members at
// once, submit once; the other gets ErrStale). The status change, the
// snapshot of what was submitted, the event, the in-app notification and the
// e-mail are one transaction.
func (s *Store) Submit(ctx context.Context, a account.Actor, version int) (Application, error) {
	var app Application
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		r, err := activeApplication(ctx, tx, a.OrgID)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrIncomplete
		}
		if err != nil {
			return err
		}
		if r.Version != version {
			return database.ErrStale
		}
		if !r.Status.CanBecome(StatusSubmitted) {
			return ErrTransition
		}
		p, err := profileIn(ctx, tx, a.OrgID)
		if err != nil {
			return err
		}
		if app, err = loadApplication(ctx, tx, r, a.OrgID); err != nil {
			return err
		}
		if !ReadinessOf(p, app).Ready() {
			return ErrIncomplete
		}
		rows, _ := tx.Query(ctx, `UPDATE applications
   SET status = 'submitted', version = version + 1, submissions = submissions + 1,
       submitted_at = now(), updated_at = now()
 WHERE id = $1 AND version = $2 AND status = ANY($3)
RETURNING version, submissions`, r.ID, version, From(StatusSubmitted))
		moved, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[versions])
		if errors.Is(err, pgx.ErrNoRows) {
			return database.ErrStale
		}
		if err != nil {
			return err
		}
		newVersion, submission := moved.Version, moved.Submissions
		snap, err := json.Marshal(Snapshot{Profile: p, Products: app.Products, Documents: documentRefs(app.Documents)})
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO application_snapshots (application_id, submission, organization_id, snapshot)
VALUES ($1, $2, $3, $4)`, r.ID, submission, a.OrgID, snap); err != nil {
			return err
		}
		action := "application.submitted"
		if submission > 1 {
			action = "application.resubmitted"
		}
		if err := appendEvent(ctx, tx, a, r.ID, a.OrgID, action, r.Status, StatusSubmitted, newVersion, "",
			map[string]any{"submission": submission}); err != nil {
			return err
		}
		return s.outbox.Notify(ctx, tx, notify.Notification{OrgID: a.OrgID, Key: "application_submitted",
			Link: "/supplier/application", Email: true})
	})
	if err != nil {
		return Application{}, fmt.Errorf("supplier: submit: %w", err)
	}
	// Duplicate identifiers and files are looked for after the commit, as the
	// portal (they span organisations); a failure here loses no submission.
	if err := s.recordSignals(ctx, app.ID, a.OrgID); err != nil {
		s.log.Error("recording signals failed", "application", app.ID, "err", err)
	}
	return s.Application(ctx, a)
}

// Snapshot is what was submitted, kept per submission.
type Snapshot struct {
	Profile   Profile       `json:"profile"`
	Products  []Product     `json:"products"`
	Documents []DocumentRef `json:"documents"`
}

// NextStep is the i18n key of what the supplier should do now, in plain words.
func NextStep(status Status, r Readiness) string {
	switch status {
	case StatusDraft:
		switch {
		case len(r.ProfileMissing) > 0:
			return "next.profile"
		case r.NoProduct:
			return "next.products"
		case r.NoNIBDocument || r.NoPhoto:
			return "next.documents"
		}
		return "next.submit"
	case StatusRevisionRequested:
		return "next.revise"
	}
	return "next." + string(status)
}

// Overview returns the profile and the application together, in one
// round trip: what the dashboard and the application page show. more
// queues the page's other reads (in the actor's scope) into the same trip.
func (s *Store) Overview(ctx context.Context, a account.Actor, more ...func(*pgx.Batch)) (Profile, Application, error) {
	p := Profile{OrgID: a.OrgID, KBLI: []string{}, KBLIEdition: "2020"}
	b := &pgx.Batch{}
	for _, queue := range more {
		queue(b)
	}
	b.Queue(profileSQL, a.OrgID).Query(func(rows pgx.Rows) error {
		got, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[Profile])
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		p = got
		return err
	})
	l := queueApplication(b, a.OrgID)
	l.queueSnapshot(b)
	if err := s.db.ReadBatch(ctx, a.Scope(), b); err != nil {
		return Profile{}, Application{}, fmt.Errorf("supplier: overview of %d: %w", a.OrgID, err)
	}
	app := l.application()
	MarkChanged(app.Flags, l.snapshot, p, app)
	return p, app, nil
}

// EventsOf lists an application's events, oldest first, inside tx.
func EventsOf(ctx context.Context, tx pgx.Tx, appID int64) ([]Event, error) {
	rows, err := tx.Query(ctx, eventsSQL, appID)
	if err != nil {
		return nil, err
	}
	return database.CollectRows[Event](rows)
}
