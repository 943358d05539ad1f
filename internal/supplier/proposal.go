package supplier

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/notify"
	"pasokan/internal/validation"
)

// ErrNotCurated means the change is for a curated supplier only.
var ErrNotCurated = errors.New("supplier: not curated")

// ProposeProduct offers a new product, or new permits for a product, of a
// curated supplier to its curators: what was curated is not changed by the
// supplier alone. The product waits for the curator (curation ""), alone:
// the rest of the listing stays in the catalogue. A product already curated
// with the same permits is a field error (its capacity and prices are kept
// current on the listing, without curation).
func (s *Store) ProposeProduct(ctx context.Context, a account.Actor, in ProductInput) (Product, error) {
	catalog, err := s.products.Load(ctx)
	if err != nil {
		return Product{}, err
	}
	p, errs := in.Parse(catalog)
	if errs.Any() {
		return p, errs
	}
	err = s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		r, err := activeApplication(ctx, tx, a.OrgID)
		if errors.Is(err, pgx.ErrNoRows) || err == nil && r.Status != StatusCurated {
			return ErrNotCurated
		}
		if err != nil {
			return err
		}
		cur, err := lockPermits(ctx, tx, r.ID, p.Type)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return err
		case cur.Curation == "curated" && cur.PermitNumber == p.PermitNumber && cur.SNICertificate == p.SNICertificate:
			return validation.Errors{"product_type": "error.product_already_curated"}
		case cur.Curation == "curated":
			// New permits for a curated product: the product stays listed as
			// curated until the curator decides on the new permits, which wait
			// in a proposal of their own.
			return s.proposePermits(ctx, tx, a, r, p)
		}
		if err := tx.QueryRow(ctx, `INSERT INTO application_products (application_id, organization_id, product_type,
    monthly_capacity, lead_time_days, price_min, price_max, materials, material_needs, permit_number, sni_certificate, curation)
VALUES ($1, $2, $3, $4, nullif($5, 0), $6, $7, $8, $9, $10, $11, '')
ON CONFLICT (application_id, product_type) DO UPDATE SET
    monthly_capacity = EXCLUDED.monthly_capacity, lead_time_days = EXCLUDED.lead_time_days,
    price_min = EXCLUDED.price_min, price_max = EXCLUDED.price_max, materials = EXCLUDED.materials,
    material_needs = EXCLUDED.material_needs, permit_number = EXCLUDED.permit_number,
    sni_certificate = EXCLUDED.sni_certificate, curation = '', updated_at = now()
RETURNING id`, r.ID, a.OrgID, p.Type, p.MonthlyCapacity, p.LeadTimeDays, p.PriceMin, p.PriceMax,
			p.Materials, p.MaterialNeeds, p.PermitNumber, p.SNICertificate).Scan(&p.ID); err != nil {
			return err
		}
		if err := propose(ctx, tx, a.OrgID, r, p, ProposalProduct); err != nil {
			return err
		}
		return s.proposed(ctx, tx, a, a.OrgID, r, p, "application.product_proposed")
	})
	if err != nil {
		return p, fmt.Errorf("supplier: propose product: %w", err)
	}
	return p, nil
}

// productPermits is a product's curation and the permits it was curated
// with.
type productPermits struct {
	Curation       string
	PermitNumber   string
	SNICertificate string
}

// lockPermits reads (and locks) a product's curation and permits;
// pgx.ErrNoRows when the application has no such product.
func lockPermits(ctx context.Context, tx pgx.Tx, appID int64, productType string) (productPermits, error) {
	rows, _ := tx.Query(ctx, `SELECT curation, permit_number, sni_certificate FROM application_products
 WHERE application_id = $1 AND product_type = $2 FOR UPDATE`, appID, productType)
	return pgx.CollectOneRow(rows, pgx.RowToStructByName[productPermits])
}

// Proposal kinds: a new product, new permits for a curated one, or a
// curated product sent back by the ministry to be checked against a
// checklist that replaced the one it was curated on.
const (
	ProposalProduct = "product"
	ProposalPermits = "permits"
	ProposalRecheck = "recheck"
)

// proposePermits keeps new permits of a curated product for the curator:
// the product as curated stays listed.
func (s *Store) proposePermits(ctx context.Context, tx pgx.Tx, a account.Actor, r appRow, p Product) error {
	if err := propose(ctx, tx, a.OrgID, r, p, ProposalPermits); err != nil {
		return err
	}
	return s.proposed(ctx, tx, a, a.OrgID, r, p, "application.permits_proposed")
}

// propose writes (or rewrites) the proposal of a product of orgID.
func propose(ctx context.Context, tx pgx.Tx, orgID int64, r appRow, p Product, kind string) error {
	_, err := tx.Exec(ctx, `INSERT INTO product_proposals (application_id, organization_id, curator_org_id, product_type, kind,
    permit_number, sni_certificate)
SELECT $1, $2, a.assigned_org_id, $3, $4, $5, $6 FROM applications a WHERE a.id = $1
ON CONFLICT (application_id, product_type) DO UPDATE SET
    -- A product waiting to be checked again stays so, with the permits
    -- proposed meanwhile: the curator's check takes them too.
    kind = CASE WHEN product_proposals.kind = 'recheck' THEN 'recheck' ELSE EXCLUDED.kind END,
    permit_number = EXCLUDED.permit_number,
    sni_certificate = EXCLUDED.sni_certificate, proposed_at = now()`, r.ID, orgID, p.Type, kind, p.PermitNumber, p.SNICertificate)
	return err
}

// proposed records a proposal of orgID's product on the timeline and tells
// the curators.
func (s *Store) proposed(ctx context.Context, tx pgx.Tx, a account.Actor, orgID int64, r appRow, p Product, action string) error {
	detail := map[string]any{"product_type": p.Type, "permit_number": p.PermitNumber, "sni_certificate": p.SNICertificate}
	if orgID != a.OrgID {
		detail["by"] = "permit_help"
	}
	if err := appendEvent(ctx, tx, a, r.ID, orgID, action, "", "", r.Version, "", detail); err != nil {
		return err
	}
	var curatorOrg int64
	if err := tx.QueryRow(ctx, `SELECT coalesce(assigned_org_id, 0) FROM applications WHERE id = $1`, r.ID).Scan(&curatorOrg); err != nil {
		return err
	}
	if curatorOrg == 0 {
		return nil
	}
	return s.outbox.Notify(ctx, tx, notify.Notification{OrgID: curatorOrg, Key: "product_proposed",
		Args: []string{p.Type}, Link: fmt.Sprintf("/curation/applications/%d", r.ID)})
}

// Proposal is what waits for the curator on a curated application: a new
// product, or new permits for a curated one.
type Proposal struct {
	ApplicationID  int64     `db:"application_id"`
	OrgID          int64     `db:"organization_id"`
	Name           string    `db:"name"`
	ProductType    string    `db:"product_type"`
	Kind           string    `db:"kind"`
	PermitNumber   string    `db:"permit_number"`
	SNICertificate string    `db:"sni_certificate"`
	ProposedAt     time.Time `db:"proposed_at"`
}

// proposalsSQL lists the proposals waiting for a curator organisation,
// oldest first, with the business name from the queue card.
const proposalsSQL = `SELECT pp.application_id, pp.organization_id, coalesce(nullif(c.trading_name, ''), c.name) AS name,
       pp.product_type, pp.kind, pp.permit_number, pp.sni_certificate, pp.proposed_at
  FROM product_proposals pp
  JOIN queue_cards c ON c.application_id = pp.application_id
 WHERE pp.curator_org_id = $1
 ORDER BY pp.proposed_at, pp.application_id, pp.product_type
 LIMIT $2`

// QueueProposals queues the proposals waiting for curatorOrg (at most
// limit) into b.
func QueueProposals(b *pgx.Batch, curatorOrg int64, limit int, out *[]Proposal) {
	b.Queue(proposalsSQL, curatorOrg, limit).Query(func(rows pgx.Rows) error {
		var err error
		*out, err = database.CollectRows[Proposal](rows)
		return err
	})
}

// ProposalsOf returns the proposals waiting on an application.
func ProposalsOf(ctx context.Context, tx pgx.Tx, appID int64) ([]Proposal, error) {
	rows, _ := tx.Query(ctx, `SELECT pp.application_id, pp.organization_id, '' AS name, pp.product_type, pp.kind,
       pp.permit_number, pp.sni_certificate, pp.proposed_at
  FROM product_proposals pp WHERE pp.application_id = $1 ORDER BY pp.product_type`, appID)
	return database.CollectRows[Proposal](rows)
}

// SetPermits writes permits a curator accepted on a curated product, and
// closes the proposal.
func SetPermits(ctx context.Context, tx pgx.Tx, appID int64, productType, permit, sni string) error {
	if _, err := tx.Exec(ctx, `UPDATE application_products SET permit_number = $3, sni_certificate = $4, updated_at = now()
 WHERE application_id = $1 AND product_type = $2`, appID, productType, permit, sni); err != nil {
		return err
	}
	return CloseProposal(ctx, tx, appID, productType)
}

// CloseProposal removes a permits proposal (accepted or refused).
func CloseProposal(ctx context.Context, tx pgx.Tx, appID int64, productType string) error {
	_, err := tx.Exec(ctx, `DELETE FROM product_proposals WHERE application_id = $1 AND product_type = $2`, appID, productType)
	return err
}

// ProductsOf returns an application's products as the supplier declared
// them.
func ProductsOf(ctx context.Context, tx pgx.Tx, appID int64) ([]Product, error) {
	rows, err := tx.Query(ctx, productsSQL, appID)
	if err != nil {
		return nil, err
	}
	return database.CollectRows[Product](rows)
}

// myProposalsSQL lists what an organisation's applications propose, along
// the applications' index and the proposals' primary key (no walk of the
// proposals by organisation).
const myProposalsSQL = `SELECT pp.application_id, pp.organization_id, '' AS name, pp.product_type, pp.kind,
       pp.permit_number, pp.sni_certificate, pp.proposed_at
  FROM applications a
  JOIN product_proposals pp ON pp.application_id = a.id
 WHERE a.organization_id = $1
 ORDER BY pp.proposed_at, pp.product_type`

// MyProposals returns what the actor's organisation proposed and waits for
// its curators, oldest first: the supplier's own view of the proposals.
func (s *Store) MyProposals(ctx context.Context, a account.Actor) ([]Proposal, error) {
	var out []Proposal
	b := &pgx.Batch{}
	b.Queue(myProposalsSQL, a.OrgID).Query(func(rows pgx.Rows) error {
		var err error
		out, err = database.CollectRows[Proposal](rows)
		return err
	})
	if err := s.db.ReadBatch(ctx, a.Scope(), b); err != nil {
		return nil, fmt.Errorf("supplier: my proposals: %w", err)
	}
	return out, nil
}

// ProposeIssuedPermit sends a product of orgID back to its curators with a
// permit that the ministry's permit help saw issued (permit, an izin edar
// number, or sni, an SNI certificate; empty keeps the product's own): a
// product not curated for lack of it waits for the curator again, alone; a
// curated one keeps its listing while the new permit waits in a proposal.
// It runs inside tx, which the caller has put in the system's scope (the
// ministry may not write a supplier's products); a is the ministry's actor,
// named on the application's timeline. It reports false, changing nothing,
// when the supplier has no curated application with that product or the
// product holds that permit already.
func (s *Store) ProposeIssuedPermit(ctx context.Context, tx pgx.Tx, a account.Actor, orgID int64, productType, permit, sni string) (bool, error) {
	r, err := activeApplication(ctx, tx, orgID)
	if errors.Is(err, pgx.ErrNoRows) || err == nil && r.Status != StatusCurated {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	cur, err := lockPermits(ctx, tx, r.ID, productType)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	p := Product{Type: productType, PermitNumber: cmp.Or(permit, cur.PermitNumber), SNICertificate: cmp.Or(sni, cur.SNICertificate)}
	action, kind := "application.product_proposed", ProposalProduct
	switch {
	case cur.Curation == "curated" && p.PermitNumber == cur.PermitNumber && p.SNICertificate == cur.SNICertificate:
		return false, nil
	case cur.Curation == "curated":
		action, kind = "application.permits_proposed", ProposalPermits
	default:
		if _, err := tx.Exec(ctx, `UPDATE application_products SET permit_number = $3, sni_certificate = $4, curation = '',
       updated_at = now() WHERE application_id = $1 AND product_type = $2`, r.ID, productType, p.PermitNumber, p.SNICertificate); err != nil {
			return false, err
		}
	}
	if err := propose(ctx, tx, orgID, r, p, kind); err != nil {
		return false, err
	}
	return true, s.proposed(ctx, tx, a, orgID, r, p, action)
}

// ProposeRecheck sends a curated product of a curated application back to
// its curators (and tells them, and the supplier, through outbox), to be checked against the checklist now in force (its
// standard changed); it stays curated and listed meanwhile. It runs in the
// system's scope on the ministry's behalf: a is the ministry's actor, named
// on the application's timeline. It reports false, changing nothing, when
// the application or the product is not curated, or something already
// waits on the product.
func ProposeRecheck(ctx context.Context, tx pgx.Tx, outbox *notify.Outbox, a account.Actor, appID int64, productType string, replaced int) (bool, error) {
	type target struct {
		ID             int64
		OrganizationID int64
		Status         Status
		Version        int
		Curation       string
		Waiting        bool
	}
	rows, _ := tx.Query(ctx, `SELECT a.id, a.organization_id, a.status, a.version, ap.curation,
       EXISTS (SELECT 1 FROM product_proposals pp WHERE pp.application_id = a.id AND pp.product_type = ap.product_type) AS waiting
  FROM applications a JOIN application_products ap ON ap.application_id = a.id AND ap.product_type = $2
 WHERE a.id = $1
   FOR UPDATE OF a, ap`, appID, productType)
	t, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[target])
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if t.Status != StatusCurated || t.Curation != "curated" || t.Waiting {
		return false, nil
	}
	r := appRow{ID: t.ID, Status: t.Status, Version: t.Version}
	if err := propose(ctx, tx, t.OrganizationID, r, Product{Type: productType}, ProposalRecheck); err != nil {
		return false, err
	}
	if err := appendEvent(ctx, tx, a, r.ID, t.OrganizationID, "application.recheck_requested", "", "", r.Version, "",
		map[string]any{"product_type": productType, "replaced_version": replaced}); err != nil {
		return false, err
	}
	var curatorOrg int64
	if err := tx.QueryRow(ctx, `SELECT coalesce(assigned_org_id, 0) FROM applications WHERE id = $1`, r.ID).Scan(&curatorOrg); err != nil {
		return false, err
	}
	if curatorOrg != 0 {
		if err := outbox.Notify(ctx, tx, notify.Notification{OrgID: curatorOrg, Key: "recheck_requested",
			Args: []string{productType}, Link: fmt.Sprintf("/curation/applications/%d/proposals/%s", r.ID, productType)}); err != nil {
			return false, err
		}
	}
	return true, outbox.Notify(ctx, tx, notify.Notification{OrgID: t.OrganizationID, Key: "recheck_requested_supplier",
		Args: []string{productType}, Link: "/supplier/listing"})
}
