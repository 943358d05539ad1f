// Package listing owns what a curated supplier shows buyers and the public:
// its listing (contacts for buyers, a pause, the last confirmation) and its
// listed products (capacity, lead time and prices the supplier keeps
// current; permits and standards as curated). It writes listings,
// listing_products and, through their triggers, the catalogue's public read
// model (catalog_entries, catalog_words, catalog_lexicon, catalog_counts);
// other packages change them only through Sync, in their own transaction.
// It reads the catalogue for buyers and the public directory alike: the
// read model holds nothing personal.
package listing

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
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

// StaleAfter is how long a listing stays in the catalogue without a
// confirmation; RemindAfter is when the supplier is reminded.
const (
	RemindAfter = 60 * 24 * time.Hour
	StaleAfter  = 90 * 24 * time.Hour
)

// Store reads and changes listings.
type Store struct {
	db       *database.DB
	products *product.Store
	outbox   *notify.Outbox
	// counts are the catalogue's kept counts (the totals and facets of a
	// search by product and province) as read under a generation of the
	// catalogue, and kept the pages searched (keep.go).
	counts atomic.Pointer[keptCounts]
	kept   keptPages
}

// keptCounts are the kept counts as read under a generation.
type keptCounts struct {
	gen  int64
	rows []countRow
}

// NewStore returns a Store; outbox carries its reminders.
func NewStore(db *database.DB, products *product.Store, outbox *notify.Outbox) *Store {
	return &Store{db: db, products: products, outbox: outbox}
}

// Sync mirrors applications into the listings, inside the caller's
// transaction: a curated application is listed (its curated products, with
// what was curated; what the supplier keeps current stays as they set it),
// any other is withdrawn from the catalogue at once. Curation calls it on
// every decision, suspension and reinstatement.
func Sync(ctx context.Context, tx pgx.Tx, appIDs ...int64) error {
	if len(appIDs) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `SELECT listing_sync($1)`, appIDs); err != nil {
		return fmt.Errorf("listing: sync: %w", err)
	}
	return nil
}

// Listing is a supplier's listing with its products.
type Listing struct {
	OrgID           int64      `db:"organization_id"`
	AppID           int64      `db:"application_id"`
	Slug            string     `db:"slug"`
	Name            string     `db:"name"`
	LegalName       string     `db:"legal_name"`
	LegalForm       string     `db:"legal_form"`
	SizeClass       string     `db:"size_class"`
	ProvinceCode    string     `db:"province_code"`
	RegencyCode     string     `db:"regency_code"`
	CertificateCode string     `db:"certificate_code"`
	CuratedAt       time.Time  `db:"curated_at"`
	Phone           string     `db:"phone"`
	Email           string     `db:"email"`
	Address         string     `db:"address"`
	PausedUntil     *time.Time `db:"paused_until"`
	ConfirmedAt     time.Time  `db:"confirmed_at"`
	LapsedAt        *time.Time `db:"lapsed_at"`
	WithdrawnAt     *time.Time `db:"withdrawn_at"`
	UpdatedAt       time.Time  `db:"updated_at"`
	Products        []Product  `db:"-"`
}

// Listed says buyers and the public see the listing.
func (l Listing) Listed() bool { return l.WithdrawnAt == nil && l.LapsedAt == nil }

// Paused says the supplier takes no orders on the day of now (in Jakarta).
func (l Listing) Paused(now time.Time) bool {
	return l.PausedUntil != nil && !l.PausedUntil.Before(i18n.Today(now))
}

// Product is a listed product.
type Product struct {
	ID               int64     `db:"id"`
	ProductType      string    `db:"product_type"`
	MonthlyCapacity  int       `db:"monthly_capacity"`
	LeadTimeDays     int       `db:"lead_time_days"`
	PriceMin         int64     `db:"price_min"`
	PriceMax         int64     `db:"price_max"`
	PermitNumber     string    `db:"permit_number"`
	SNICertificate   string    `db:"sni_certificate"`
	ChecklistVersion int       `db:"checklist_version"`
	Standards        []string  `db:"standards"`
	CuratedAt        time.Time `db:"curated_at"`
	UpdatedAt        time.Time `db:"updated_at"`
}

const listingSQL = `SELECT organization_id, application_id, slug, name, legal_name, legal_form, size_class,
       coalesce(province_code, '') AS province_code, coalesce(regency_code, '') AS regency_code,
       certificate_code, curated_at, phone, email, address, paused_until, confirmed_at, lapsed_at,
       withdrawn_at, updated_at
  FROM listings`

const productsSQL = `SELECT id, product_type, monthly_capacity, coalesce(lead_time_days, 0) AS lead_time_days,
       price_min, price_max, permit_number, sni_certificate, checklist_version, standards, curated_at, updated_at
  FROM listing_products WHERE organization_id = `

// read queues the listing chosen by where (with its argument) and its
// products, found through the listing.
func read(b *pgx.Batch, where string, arg any, l *Listing, found *bool) {
	b.Queue(listingSQL+" WHERE "+where, arg).Query(func(rows pgx.Rows) error {
		got, err := database.CollectRows[Listing](rows)
		if err != nil || len(got) == 0 {
			return err
		}
		*l, *found = got[0], true
		return nil
	})
	b.Queue(productsSQL+"(SELECT organization_id FROM listings WHERE "+where+") ORDER BY product_type", arg).
		Query(func(rows pgx.Rows) error {
			var err error
			l.Products, err = database.CollectRows[Product](rows)
			return err
		})
}

// Mine returns the actor's supplier's listing; database.ErrNotFound until it
// is curated.
func (s *Store) Mine(ctx context.Context, a account.Actor) (Listing, error) {
	if a.Kind != account.KindSupplier {
		return Listing{}, database.ErrNotFound
	}
	return s.load(ctx, a.Scope(), "organization_id = $1", a.OrgID)
}

// QueueForBuyer adds to r the read of the listing with slug, contacts
// included, for a buyer (or the ministry), read into l; once r is read, a
// supplier that is not listed is database.ErrNotFound, as is any other
// actor at once. Another store reads what it keeps of the same supplier in
// the same round trip with the organisation named by OrganizationOfSlugSQL
// (the buyer's page of a supplier and its order record: read after the
// listing, in a transaction of its own, the record cost the page three
// round trips more).
func (s *Store) QueueForBuyer(a account.Actor, r *database.Reads, slug string, l *Listing) error {
	if a.Kind != account.KindBuyer && a.Kind != account.KindMinistry {
		return database.ErrNotFound
	}
	found := false
	read(&r.Batch, "slug = $1", slug, l, &found)
	r.After(func() error {
		if !found || !l.Listed() {
			return database.ErrNotFound
		}
		return nil
	})
	return nil
}

// OrganizationOfSlugSQL is the organisation of the listing with slug $1,
// as a subquery, for a statement read with QueueForBuyer's.
const OrganizationOfSlugSQL = `(SELECT organization_id FROM listings WHERE slug = $1)`

func (s *Store) load(ctx context.Context, sc database.Scope, where string, arg any) (Listing, error) {
	var l Listing
	found := false
	b := &pgx.Batch{}
	read(b, where, arg, &l, &found)
	if err := s.db.ReadBatch(ctx, sc, b); err != nil {
		return Listing{}, fmt.Errorf("listing: read: %w", err)
	}
	if !found {
		return Listing{}, database.ErrNotFound
	}
	return l, nil
}

// Public is what anyone may see of a listed supplier: its entries in the
// catalogue, nothing personal.
type Public struct {
	Slug            string
	Name            string
	SizeClass       string
	ProvinceCode    string
	RegencyCode     string
	CertificateCode string
	CuratedAt       time.Time
	ConfirmedAt     time.Time
	PausedUntil     *time.Time
	Entries         []Entry
}

// PublicBySlug returns the public face of a listed supplier;
// database.ErrNotFound when it is not listed.
func (s *Store) PublicBySlug(ctx context.Context, slug string) (Public, error) {
	var es []Entry
	b := &pgx.Batch{}
	b.Queue(`SELECT `+entryColumns+` FROM catalog_entries e WHERE e.slug = $1 ORDER BY e.product_type`, slug).
		Query(func(rows pgx.Rows) error {
			var err error
			es, err = database.CollectRows[Entry](rows)
			return err
		})
	if err := s.db.Stale(ctx).ReadPublic(ctx, b); err != nil {
		return Public{}, fmt.Errorf("listing: public %q: %w", slug, err)
	}
	if len(es) == 0 {
		return Public{}, database.ErrNotFound
	}
	e := es[0]
	p := Public{Slug: e.Slug, Name: e.Name, SizeClass: e.SizeClass, ProvinceCode: e.ProvinceCode,
		RegencyCode: e.RegencyCode, CertificateCode: e.CertificateCode, ConfirmedAt: e.ConfirmedAt,
		PausedUntil: e.PausedUntil, Entries: es}
	for _, x := range es {
		if x.CuratedAt.After(p.CuratedAt) {
			p.CuratedAt = x.CuratedAt
		}
	}
	return p, nil
}

// ErrNotListed is returned when a supplier changes a listing it does not
// have (not curated, or withdrawn).
var ErrNotListed = errors.New("listing: not listed")

// ProductInput is a listed product's current figures, as typed.
type ProductInput struct {
	ProductType     string
	MonthlyCapacity string
	LeadTimeDays    string
	PriceMin        string
	PriceMax        string
}

// UpdateProduct changes what a listed product offers now (capacity, lead
// time, prices), at once and without a new curation; it also confirms the
// listing. A product that is not listed is a field error.
func (s *Store) UpdateProduct(ctx context.Context, a account.Actor, in ProductInput) (Product, error) {
	if a.Kind != account.KindSupplier {
		return Product{}, database.ErrNotFound
	}
	catalog, err := s.products.Load(ctx)
	if err != nil {
		return Product{}, err
	}
	// The same checks and messages as when the product was first declared.
	p, errs := supplier.ProductInput{ProductType: in.ProductType, MonthlyCapacity: in.MonthlyCapacity,
		LeadTimeDays: in.LeadTimeDays, PriceMin: in.PriceMin, PriceMax: in.PriceMax}.Parse(catalog)
	if errs.Any() {
		return Product{}, errs
	}
	var out Product
	err = s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		var before Product
		rows, err := tx.Query(ctx, productsSQL+"$1 AND product_type = $2 FOR UPDATE", a.OrgID, p.Type)
		if err != nil {
			return err
		}
		got, err := database.CollectRows[Product](rows)
		if err != nil {
			return err
		}
		if len(got) == 0 {
			return validation.Errors{"product_type": "error.listing_product_unknown"}
		}
		before = got[0]
		var lead any
		if p.LeadTimeDays > 0 {
			lead = p.LeadTimeDays
		}
		if _, err := tx.Exec(ctx, `UPDATE listing_products SET monthly_capacity = $3, lead_time_days = $4,
       price_min = $5, price_max = $6, updated_at = now()
 WHERE organization_id = $1 AND product_type = $2`, a.OrgID, p.Type, p.MonthlyCapacity, lead, p.PriceMin, p.PriceMax); err != nil {
			return err
		}
		if err := confirm(ctx, tx, a.OrgID); err != nil {
			return err
		}
		out = before
		out.MonthlyCapacity, out.LeadTimeDays, out.PriceMin, out.PriceMax = p.MonthlyCapacity, p.LeadTimeDays, p.PriceMin, p.PriceMax
		return audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: a.OrgID,
			Action: "listing.product_updated", SubjectType: "listing_product", SubjectID: before.ID,
			Detail: map[string]any{"product_type": p.Type,
				"before": map[string]any{"monthly_capacity": before.MonthlyCapacity, "lead_time_days": before.LeadTimeDays,
					"price_min": before.PriceMin, "price_max": before.PriceMax},
				"after": map[string]any{"monthly_capacity": p.MonthlyCapacity, "lead_time_days": p.LeadTimeDays,
					"price_min": p.PriceMin, "price_max": p.PriceMax}}})
	})
	if err != nil {
		return Product{}, fmt.Errorf("listing: update product of %d: %w", a.OrgID, err)
	}
	return out, nil
}

// confirm records that the supplier stands by its listing now, and brings a
// lapsed listing back into the catalogue.
func confirm(ctx context.Context, tx pgx.Tx, orgID int64) error {
	tag, err := tx.Exec(ctx, `UPDATE listings SET confirmed_at = now(), reminded_at = NULL, lapsed_at = NULL, updated_at = now()
 WHERE organization_id = $1 AND withdrawn_at IS NULL`, orgID)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return ErrNotListed
	}
	return nil
}

// ContactInput is the contact details buyers see, as typed.
type ContactInput struct {
	Phone   string
	Email   string
	Address string
}

// Parse checks the contact details.
func (in ContactInput) Parse() (ContactInput, validation.Errors) {
	errs := validation.Errors{}
	errs.Clean(map[string]string{"phone": in.Phone, "email": in.Email, "address": in.Address})
	var out ContactInput
	if phone, ok := supplier.NormalizePhone(in.Phone); !ok || phone == "" {
		errs.Add("phone", "error.phone_invalid")
	} else {
		out.Phone = phone
	}
	if strings.TrimSpace(in.Email) != "" {
		if email, ok := validation.NormalizeEmail(in.Email); !ok {
			errs.Add("email", "error.email_invalid")
		} else {
			out.Email = email
		}
	}
	out.Address = errs.MultiLine("address", in.Address, 0, 500, "error.too_long")
	return out, errs
}

// UpdateContact changes the contact details buyers see, at once; it also
// confirms the listing.
func (s *Store) UpdateContact(ctx context.Context, a account.Actor, in ContactInput) (ContactInput, error) {
	if a.Kind != account.KindSupplier {
		return in, database.ErrNotFound
	}
	c, errs := in.Parse()
	if errs.Any() {
		return in, errs
	}
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE listings SET phone = $2, email = $3, address = $4, confirmed_at = now(),
       reminded_at = NULL, lapsed_at = NULL, updated_at = now()
 WHERE organization_id = $1 AND withdrawn_at IS NULL`, a.OrgID, c.Phone, c.Email, c.Address)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrNotListed
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: a.OrgID,
			Action: "listing.contact_updated", SubjectType: "organization", SubjectID: a.OrgID})
	})
	if err != nil {
		return in, fmt.Errorf("listing: update contact of %d: %w", a.OrgID, err)
	}
	return c, nil
}

// Confirm records that the listing is still true, and brings a lapsed
// listing back into the catalogue.
func (s *Store) Confirm(ctx context.Context, a account.Actor) error {
	if a.Kind != account.KindSupplier {
		return database.ErrNotFound
	}
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		if err := confirm(ctx, tx, a.OrgID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: a.OrgID,
			Action: "listing.confirmed", SubjectType: "organization", SubjectID: a.OrgID})
	})
	if err != nil {
		return fmt.Errorf("listing: confirm %d: %w", a.OrgID, err)
	}
	return nil
}

// MaxPause is the longest pause a supplier may announce.
const MaxPause = 366 * 24 * time.Hour

// Pause says the supplier takes no orders until the day typed (inclusive),
// "" to take orders again. The listing stays in the catalogue, marked.
func (s *Store) Pause(ctx context.Context, a account.Actor, until string, now time.Time) error {
	if a.Kind != account.KindSupplier {
		return database.ErrNotFound
	}
	var day any
	if strings.TrimSpace(until) != "" {
		d, err := time.Parse(time.DateOnly, strings.TrimSpace(until))
		day0 := i18n.Today(now)
		switch {
		case err != nil:
			return validation.Errors{"paused_until": "error.date_invalid"}
		case d.Before(day0):
			return validation.Errors{"paused_until": "error.date_past"}
		case d.After(day0.Add(MaxPause)):
			return validation.Errors{"paused_until": "error.date_too_far"}
		}
		day = d
	}
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE listings SET paused_until = $2, confirmed_at = now(), reminded_at = NULL,
       lapsed_at = NULL, updated_at = now()
 WHERE organization_id = $1 AND withdrawn_at IS NULL`, a.OrgID, day)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrNotListed
		}
		action := "listing.paused"
		if day == nil {
			action = "listing.resumed"
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: a.OrgID,
			Action: action, SubjectType: "organization", SubjectID: a.OrgID, Detail: map[string]any{"until": until}})
	})
	if err != nil {
		return fmt.Errorf("listing: pause %d: %w", a.OrgID, err)
	}
	return nil
}
