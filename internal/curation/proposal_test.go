package curation_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/curation"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/listing"
	"pasokan/internal/supplier"
	"pasokan/internal/testapp"
	"pasokan/internal/validation"
)

// curatedPair is a curated, listed demo supplier (its owner acting for it)
// and a curator of the organisation its application is assigned to.
func (b bundle) curatedPair(t *testing.T) (sup, cur account.Actor, appID int64, slug string) {
	t.Helper()
	ctx := context.Background()
	type row struct {
		SupplierUser int64  `db:"supplier_user"`
		SupplierOrg  int64  `db:"supplier_org"`
		CuratorUser  int64  `db:"curator_user"`
		CuratorOrg   int64  `db:"curator_org"`
		AppID        int64  `db:"app_id"`
		Slug         string `db:"slug"`
	}
	var r row
	dbtest.Must(t, b.app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT ms.user_id AS supplier_user, l.organization_id AS supplier_org,
       mc.user_id AS curator_user, a.assigned_org_id AS curator_org, a.id AS app_id, l.slug
  FROM listings l
  JOIN applications a ON a.id = l.application_id
  JOIN memberships ms ON ms.organization_id = l.organization_id AND ms.role = 'owner'
  JOIN memberships mc ON mc.organization_id = a.assigned_org_id
 WHERE l.withdrawn_at IS NULL
   AND NOT EXISTS (SELECT 1 FROM application_products p WHERE p.application_id = a.id AND p.product_type = 'respirator')
 ORDER BY l.organization_id, mc.user_id LIMIT 1`)
		var err error
		r, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[row])
		return err
	}))
	sup, err := b.app.Accounts.LoadActor(ctx, r.SupplierUser, r.SupplierOrg)
	dbtest.Must(t, err)
	cur, err = b.app.Accounts.LoadActor(ctx, r.CuratorUser, r.CuratorOrg)
	dbtest.Must(t, err)
	return sup, cur, r.AppID, r.Slug
}

// listedTypes are the product types the catalogue shows for a supplier.
func listedTypes(t *testing.T, s *listing.Store, slug string) []string {
	t.Helper()
	p, err := s.PublicBySlug(context.Background(), slug)
	dbtest.Must(t, err)
	var out []string
	for _, e := range p.Entries {
		out = append(out, e.ProductType)
	}
	return out
}

// passAll answers every item of a checklist "pass".
func passAll(cl curation.Checklist) map[int64]curation.Answer {
	out := map[int64]curation.Answer{}
	for _, it := range cl.Items {
		out[it.ID] = curation.AnswerPass
	}
	return out
}

// TestProposedProductWaitsAlone: a curated supplier adds a product; only
// that product waits for the curator, the rest stays listed; the curator
// curates it against its checklist and it is listed at once, on a new
// certificate. New permits for a curated product wait likewise, the
// product staying listed as curated; a refusal needs a reason. Another
// curator organisation cannot see or decide them.
func TestProposedProductWaitsAlone(t *testing.T) {
	t.Parallel()
	b := setupScale(t, 200)
	ctx := context.Background()
	sup, cur, appID, slug := b.curatedPair(t)
	before := listedTypes(t, b.app.Listings, slug)
	if len(before) == 0 {
		t.Fatal("the curated supplier lists nothing")
	}
	_, err := b.app.Suppliers.ProposeProduct(ctx, sup, supplier.ProductInput{ProductType: "respirator",
		MonthlyCapacity: "5.000", PriceMin: "15000", PriceMax: "20000", PermitNumber: "KEMENKES RI AKD 20403020123"})
	dbtest.Must(t, err)
	if got := listedTypes(t, b.app.Listings, slug); !slices.Equal(got, before) {
		t.Errorf("while the respirator waits the catalogue lists %v, want %v", got, before)
	}
	ps, err := b.store.Proposals(ctx, cur)
	dbtest.Must(t, err)
	if !slices.ContainsFunc(ps, func(p supplier.Proposal) bool { return p.ApplicationID == appID && p.ProductType == "respirator" }) {
		t.Fatalf("the curator's proposals: %+v", ps)
	}
	// Another curator organisation sees nothing and decides nothing.
	other := b.newCurator(t, "Kurasi Lain", "lain@contoh.id")
	if ps, err := b.store.Proposals(ctx, other); err != nil || len(ps) != 0 {
		t.Errorf("another curator organisation sees %d proposals (%v)", len(ps), err)
	}
	if _, err := b.store.DecideProposal(ctx, other, appID, "respirator", curation.ProposalDecision{Accept: true}); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("another curator organisation decided: %v", err)
	}
	// An unanswered checklist is refused, and changes nothing.
	_, err = b.store.DecideProposal(ctx, cur, appID, "respirator", curation.ProposalDecision{Accept: true})
	var errs validation.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("accepting with no checklist answered: %v", err)
	}
	pc, err := b.store.Proposal(ctx, cur, appID, "respirator")
	dbtest.Must(t, err)
	if len(pc.Checklist.Items) == 0 || pc.Product.MonthlyCapacity != 5000 {
		t.Fatalf("the proposal's case: %+v", pc)
	}
	var oldCode string
	dbtest.Must(t, b.app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT code FROM certificates WHERE application_id = $1 AND revoked_at IS NULL`, appID).Scan(&oldCode)
	}))
	out, err := b.store.DecideProposal(ctx, cur, appID, "respirator", curation.ProposalDecision{Accept: true,
		Checks: passAll(pc.Checklist), Links: testapp.RegistryLinks(pc.Checklist)})
	dbtest.Must(t, err)
	if !out.Curated || out.Certificate == "" || out.Certificate == oldCode {
		t.Fatalf("curating the respirator: %+v (old certificate %s)", out, oldCode)
	}
	if got := listedTypes(t, b.app.Listings, slug); !slices.Contains(got, "respirator") || len(got) != len(before)+1 {
		t.Errorf("after curation the catalogue lists %v", got)
	}
	c, err := b.store.Verify(ctx, out.Certificate)
	dbtest.Must(t, err)
	if !slices.ContainsFunc(c.Content.Products, func(l curation.CertificateLine) bool { return l.ProductType == "respirator" }) ||
		len(c.Content.Products) != len(before)+1 {
		t.Errorf("the new certificate lists %+v", c.Content.Products)
	}
	if old, err := b.store.Verify(ctx, oldCode); err != nil || old.RevokedAt == nil {
		t.Errorf("the old certificate: revoked %v (%v)", old.RevokedAt, err)
	}

	// New permits for a curated product: listed as curated until decided.
	mine, err := b.app.Listings.Mine(ctx, sup)
	dbtest.Must(t, err)
	first := mine.Products[0]
	_, err = b.app.Suppliers.ProposeProduct(ctx, sup, supplier.ProductInput{ProductType: first.ProductType,
		MonthlyCapacity: "1000", PriceMin: "1000", PriceMax: "2000", SNICertificate: "SNI 8914:2020 No. 123/LSPro/2026"})
	dbtest.Must(t, err)
	mine, err = b.app.Listings.Mine(ctx, sup)
	dbtest.Must(t, err)
	if mine.Products[0].SNICertificate == "SNI 8914:2020 No. 123/LSPro/2026" {
		t.Error("proposed permits were listed before the curator decided")
	}
	// A refusal needs a reason.
	if _, err := b.store.DecideProposal(ctx, cur, appID, first.ProductType, curation.ProposalDecision{}); !errors.As(err, &errs) || errs["reason"] == "" {
		t.Errorf("a refusal without a reason: %v", err)
	}
	_, err = b.store.DecideProposal(ctx, cur, appID, first.ProductType, curation.ProposalDecision{Accept: true})
	dbtest.Must(t, err)
	mine, err = b.app.Listings.Mine(ctx, sup)
	dbtest.Must(t, err)
	i := slices.IndexFunc(mine.Products, func(p listing.Product) bool { return p.ProductType == first.ProductType })
	if i < 0 || mine.Products[i].SNICertificate != "SNI 8914:2020 No. 123/LSPro/2026" || mine.Products[i].MonthlyCapacity != first.MonthlyCapacity {
		t.Errorf("after the permits were accepted the listing has %+v (capacity was %d)", mine.Products[i], first.MonthlyCapacity)
	}
	if ps, _ := b.store.Proposals(ctx, cur); slices.ContainsFunc(ps, func(p supplier.Proposal) bool { return p.ApplicationID == appID }) {
		t.Error("decided proposals still wait")
	}
	// A product already curated, with the same permits, is not a proposal.
	_, err = b.app.Suppliers.ProposeProduct(ctx, sup, supplier.ProductInput{ProductType: "respirator",
		MonthlyCapacity: "5.000", PriceMin: "15000", PriceMax: "20000", PermitNumber: "KEMENKES RI AKD 20403020123"})
	if !errors.As(err, &errs) || errs["product_type"] == "" {
		t.Errorf("proposing a curated product again: %v", err)
	}
	// A supplier not curated proposes nothing.
	draft := b.actor(t, "umkm@pasokan.test")
	if _, err := b.app.Suppliers.ProposeProduct(ctx, draft, supplier.ProductInput{ProductType: "respirator",
		MonthlyCapacity: "5", PriceMin: "1", PriceMax: "2"}); !errors.Is(err, supplier.ErrNotCurated) {
		t.Errorf("a supplier not curated proposed: %v", err)
	}
}
