package account

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/audit"
	"pasokan/internal/database"
	"pasokan/internal/validation"
)

// NewOrganization is what a ministry admin gives to open a curator or buyer
// organisation: its name and the address of its first admin.
type NewOrganization struct {
	Kind       Kind
	Name       string
	AdminEmail string
}

// Validate checks n and normalises its fields.
func (n *NewOrganization) Validate() validation.Errors {
	errs := validation.Errors{}
	if n.Kind != KindCurator && n.Kind != KindBuyer && n.Kind != KindMinistry {
		errs.Add("kind", "error.kind_invalid")
	}
	n.Name = errs.SingleLine("name", n.Name, 2, 200, "error.organization_name_required")
	var ok bool
	if n.AdminEmail, ok = validation.NormalizeEmail(n.AdminEmail); !ok {
		errs.Add("admin_email", "error.email_invalid")
	}
	return errs
}

// CreateOrganization opens a curator, buyer or ministry organisation and
// invites its first admin. Only ministry admins may.
func (s *Store) CreateOrganization(ctx context.Context, a Actor, n NewOrganization) (Organization, error) {
	if !a.IsMinistryAdmin() {
		return Organization{}, database.ErrForbidden
	}
	if errs := n.Validate(); errs.Any() {
		return Organization{}, errs
	}
	var o Organization
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		var err error
		if o, err = createOrganization(ctx, tx, n.Kind, n.Name); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: o.ID,
			Action: "organization.created", SubjectType: "organization", SubjectID: o.ID,
			Detail: map[string]any{"kind": n.Kind}}); err != nil {
			return err
		}
		_, err = s.invite(ctx, tx, a, o, n.AdminEmail, RoleAdmin)
		return err
	})
	if err != nil {
		return Organization{}, fmt.Errorf("account: create organization: %w", err)
	}
	return o, nil
}

// OrganizationSummary is a row of the ministry's list of organisations.
type OrganizationSummary struct {
	Organization
	Members int
}

// organizationsSQL lists organisations newest first before an id; with
// organizationsOfKindSQL, of one kind, along (kind, id). Two statements, and
// the page's size written in, because a generic plan for "$1 = ” OR kind =
// $1 ... LIMIT $3" walked all 1,000,000 organisations to find six curators
// (3.2 s).
const organizationsSQL = `SELECT o.id, o.kind, o.name, o.slug, o.created_at,
       (SELECT count(*) FROM memberships m WHERE m.organization_id = o.id) AS members
  FROM organizations o
 WHERE o.id < $1
 ORDER BY o.id DESC
 LIMIT `

// organizationsOfKindSQL is organizationsSQL of one kind, the kind written
// in as well: the generic plan of "kind = $2" takes any kind for a quarter
// of the organisations, and at 1,000,000 suppliers it walked the primary key
// backwards over all 1,000,003 organisations again to find the six curator
// organisations (90 ms; the ministry's curation page, which lists them, at
// 25 requests a second). Written in, each kind has a plan of its own, made
// with what the statistics know of it: the rare kinds walk (kind, id).
// Only a known kind is written (Kind.Valid), from the constants.
func organizationsOfKindSQL(kind Kind, limit int) (string, bool) {
	if !kind.Valid() {
		return "", false
	}
	return `SELECT o.id, o.kind, o.name, o.slug, o.created_at,
       (SELECT count(*) FROM memberships m WHERE m.organization_id = o.id) AS members
  FROM organizations o
 WHERE o.kind = '` + string(kind) + `' AND o.id < $1
 ORDER BY o.id DESC
 LIMIT ` + strconv.Itoa(limit), true
}

// Organizations lists organisations for a ministry admin, newest first,
// before the id cursor (0: from the newest), optionally of one kind.
func (s *Store) Organizations(ctx context.Context, a Actor, kind Kind, before int64, limit int) ([]OrganizationSummary, error) {
	var out []OrganizationSummary
	var r database.Reads
	if err := s.QueueOrganizations(a, &r, kind, before, limit, &out); err != nil {
		return nil, err
	}
	if err := s.db.Read(ctx, a.Scope(), &r); err != nil {
		return nil, fmt.Errorf("account: organizations: %w", err)
	}
	return out, nil
}

// QueueOrganizations is Organizations read with other reads of a page:
// once r is read, out holds the list.
func (s *Store) QueueOrganizations(a Actor, r *database.Reads, kind Kind, before int64, limit int, out *[]OrganizationSummary) error {
	if !a.IsMinistryAdmin() {
		return database.ErrForbidden
	}
	if before <= 0 {
		before = math.MaxInt64
	}
	limit = min(max(limit, 1), 500)
	q := organizationsSQL + strconv.Itoa(limit)
	if kind != "" {
		var ok bool
		if q, ok = organizationsOfKindSQL(kind, limit); !ok {
			return nil
		}
	}
	r.Batch.Queue(q, before).Query(database.Rows(out))
	return nil
}

// Figures are the public national figures: organisations by kind (the
// ministry dashboard's), and what the landing page shows of the curated.
type Figures struct {
	Suppliers int
	Curators  int
	Buyers    int
	// CuratedSuppliers are suppliers whose application stands curated
	// (not suspended, not yet decided, not rejected).
	CuratedSuppliers int
	// Provinces and ProductTypes are how many provinces have a listed
	// supplier, and how many product types are listed anywhere.
	Provinces    int
	ProductTypes int
	// MaskCapacity (pieces) and SanitizerCapacity (litres) are what the
	// listed producers say they can make in a month, masks and hand
	// sanitizer of every kind: each category counts in one unit.
	MaskCapacity      int64
	SanitizerCapacity int64
	AsOf              time.Time
}

// figuresSQL sums counts that triggers keep, whatever the size of the
// country: organisations as they are added, disabled or enabled
// (organization_counts, migration 0008), applications per curator and
// status (application_counts), and listed products with their monthly
// capacity per product type and province (catalog_counts, migrations 0012
// and 0023): a few hundred rows in all.
const figuresSQL = `SELECT o.suppliers, o.curators, o.buyers,
       (SELECT coalesce(sum(n), 0)::int FROM application_counts WHERE status = 'curated') AS curated_suppliers,
       (SELECT count(DISTINCT province_code)::int FROM catalog_counts WHERE n > 0 AND province_code <> '') AS provinces,
       (SELECT count(DISTINCT product_type)::int FROM catalog_counts WHERE n > 0) AS product_types,
       coalesce(k.mask_capacity, 0) AS mask_capacity, coalesce(k.sanitizer_capacity, 0) AS sanitizer_capacity,
       now() AS as_of
  FROM (SELECT coalesce(sum(n) FILTER (WHERE kind = 'supplier'), 0)::int AS suppliers,
               coalesce(sum(n) FILTER (WHERE kind = 'curator'), 0)::int AS curators,
               coalesce(sum(n) FILTER (WHERE kind = 'buyer'), 0)::int AS buyers
          FROM organization_counts) o,
       (SELECT sum(c.capacity) FILTER (WHERE pt.category = 'masker')::bigint AS mask_capacity,
               sum(c.capacity) FILTER (WHERE pt.category = 'hand_sanitizer')::bigint AS sanitizer_capacity
          FROM catalog_counts c JOIN product_types pt ON pt.code = c.product_type) k`

// PublicFigures reads the national figures from the kept counts. The
// numbers are public; the query runs as the system because no visitor is
// a tenant.
func (s *Store) PublicFigures(ctx context.Context) (Figures, error) {
	f, err := database.ReadOne[Figures](ctx, s.db.Stale(ctx), database.System(), figuresSQL)
	if err != nil {
		return f, fmt.Errorf("account: figures: %w", err)
	}
	return f, nil
}

// CreateMinistryAdmin creates a ministry organisation (when none is named)
// and its first admin with the given password, for `pasokan user
// create-admin` on a new deployment. It runs as the system.
func (s *Store) CreateMinistryAdmin(ctx context.Context, orgName, name, email, password string) (User, Organization, error) {
	reg := Registration{Name: name, Email: email, Password: password, OrganizationName: orgName, Locale: "id"}
	if errs := reg.Validate(s.passwords); errs.Any() {
		return User{}, Organization{}, errs
	}
	hash, err := s.passwords.Hash(ctx, reg.Password)
	if err != nil {
		return User{}, Organization{}, err
	}
	var u User
	var o Organization
	err = s.db.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		var err error
		if u, err = insertUser(ctx, tx, reg.Email, reg.Name, hash, reg.Locale); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `SELECT id, kind, name, slug, created_at FROM organizations
 WHERE kind = 'ministry' AND name = $1 ORDER BY id LIMIT 1`, reg.OrganizationName)
		o, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[Organization])
		if errors.Is(err, pgx.ErrNoRows) {
			o, err = createOrganization(ctx, tx, KindMinistry, reg.OrganizationName)
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, 'owner')`, o.ID, u.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: u.ID, OrgID: o.ID, Action: "account.admin_created",
			SubjectType: "user", SubjectID: u.ID})
	})
	if err != nil {
		return User{}, Organization{}, fmt.Errorf("account: create admin: %w", err)
	}
	return u, o, nil
}

// QueueOrganizationWithMembers is OrganizationWithMembers read with other
// reads of a page: once r is read, o and members hold them (no
// organisation is database.ErrNotFound).
func (s *Store) QueueOrganizationWithMembers(a Actor, r *database.Reads, id int64, o *Organization, members *[]Member) error {
	if !a.IsMinistryAdmin() {
		return database.ErrNotFound
	}
	r.Batch.Queue(`SELECT id, kind, name, slug, created_at FROM organizations WHERE id = $1`, id).Query(database.Row(o))
	r.Batch.Queue(membersSQL, id).Query(database.Rows(members))
	return nil
}

// OrganizationWithMembers returns one organisation and its people, for a
// ministry admin.
func (s *Store) OrganizationWithMembers(ctx context.Context, a Actor, id int64) (Organization, []Member, error) {
	if !a.IsMinistryAdmin() {
		return Organization{}, nil, database.ErrNotFound
	}
	var o Organization
	var members []Member
	var r database.Reads
	if err := s.QueueOrganizationWithMembers(a, &r, id, &o, &members); err != nil {
		return Organization{}, nil, err
	}
	if err := s.db.Read(ctx, a.Scope(), &r); err != nil {
		return Organization{}, nil, fmt.Errorf("account: organization %d: %w", id, err)
	}
	return o, members, nil
}
