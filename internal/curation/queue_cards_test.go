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
	"pasokan/internal/supplier"
	"pasokan/internal/testapp"
)

// plainCardsSQL is what a queue card says, read plainly from its sources.
const plainCardsSQL = `SELECT a.id, a.assigned_org_id, coalesce(nullif(p.legal_name, ''), o.name), coalesce(p.trading_name, ''),
       coalesce(p.nib, ''),
       coalesce(p.province_code, ''),
       coalesce((SELECT array_agg(ap.product_type ORDER BY ap.id) FROM application_products ap WHERE ap.application_id = a.id), '{}'),
       (SELECT count(*)::int FROM signals s WHERE s.application_id = a.id)
  FROM applications a JOIN organizations o ON o.id = a.organization_id
  LEFT JOIN supplier_profiles p ON p.organization_id = a.organization_id
 WHERE a.assigned_org_id IS NOT NULL`

const storedCardsSQL = `SELECT application_id, assigned_org_id, name, trading_name, nib, province_code, products, signals
  FROM queue_cards`

// cardsAstray counts the cards that differ from their sources, either way.
func cardsAstray(t *testing.T, app *testapp.App) (astray, cards int) {
	t.Helper()
	ctx := context.Background()
	err := app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM queue_cards`).Scan(&cards); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT count(*) FROM ((`+plainCardsSQL+` EXCEPT `+storedCardsSQL+`)
 UNION ALL (`+storedCardsSQL+` EXCEPT `+plainCardsSQL+`)) d`).Scan(&astray)
	})
	dbtest.Must(t, err)
	return astray, cards
}

// TestQueueCardsFollowTheirSources: the card of every assigned application
// says what its sources say, after the seed and after each kind of change:
// a new name (by the supplier, who may not read the signals about them),
// an organisation renamed, products added and removed, a signal, a
// reassignment. No other organisation reads them.
func TestQueueCardsFollowTheirSources(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	if astray, cards := cardsAstray(t, b.app); astray != 0 || cards == 0 {
		t.Fatalf("after the seed: %d of %d cards astray", astray, cards)
	}
	partner, sup, sapp := b.assigned(t, "kartu@contoh.id", 9)
	card := func() (name string, products []string, signals int) {
		t.Helper()
		type row struct {
			Name     string
			Products []string
			Signals  int
		}
		var r row
		err := b.app.DB.App.ReadTx(ctx, partner.Scope(), func(tx pgx.Tx) error {
			rows, _ := tx.Query(ctx, `SELECT name, products, signals FROM queue_cards WHERE application_id = $1`, sapp.ID)
			var err error
			r, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[row])
			return err
		})
		dbtest.Must(t, err)
		return r.Name, r.Products, r.Signals
	}
	if name, products, _ := card(); name == "" || len(products) != 1 || products[0] != "masker-kain" {
		t.Fatalf("card after assignment: %q %v", name, products)
	}
	system := func(sql string, args ...any) {
		t.Helper()
		dbtest.Must(t, b.app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, sql, args...)
			return err
		}))
	}
	var other int64
	dbtest.Must(t, b.app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT id FROM organizations WHERE kind = 'supplier' AND id <> $1 ORDER BY id LIMIT 1`, sup.OrgID).Scan(&other)
	}))
	system(`INSERT INTO signals (application_id, organization_id, kind, other_organization_id) VALUES ($1, $2, 'phone', $3)`,
		sapp.ID, sup.OrgID, other)
	if _, _, n := card(); n != 1 {
		t.Errorf("signals on the card after one: %d", n)
	}
	// The queue's filters read the card: only the signalled, by product.
	listed := func(f curation.QueueFilter) bool {
		t.Helper()
		f.Limit = 200
		page, err := b.store.Queue(ctx, partner, f)
		dbtest.Must(t, err)
		return slices.ContainsFunc(page.Items, func(it curation.QueueItem) bool { return it.AppID == sapp.ID })
	}
	if !listed(curation.QueueFilter{Signals: true}) || !listed(curation.QueueFilter{Product: "masker-kain"}) ||
		listed(curation.QueueFilter{Product: "hand-sanitizer-gel"}) {
		t.Error("the queue's signal and product filters do not follow the card")
	}
	// The supplier renames their business: the card follows, and still
	// counts the signal they cannot read.
	dbtest.Must(t, b.app.DB.App.Tx(ctx, sup.Scope(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE supplier_profiles SET legal_name = 'Kartu Baru Sejahtera', trading_name = 'Kartu Jaya'
 WHERE organization_id = $1`, sup.OrgID)
		return err
	}))
	if name, _, n := card(); name != "Kartu Baru Sejahtera" || n != 1 {
		t.Errorf("after the supplier renamed: %q with %d signals", name, n)
	}
	// Without a legal name the card shows the organisation's.
	system(`UPDATE supplier_profiles SET legal_name = '' WHERE organization_id = $1`, sup.OrgID)
	system(`UPDATE organizations SET name = 'Nama Organisasi Kartu' WHERE id = $1`, sup.OrgID)
	if name, _, _ := card(); name != "Nama Organisasi Kartu" {
		t.Errorf("after the organisation was renamed: %q", name)
	}
	system(`INSERT INTO application_products (application_id, organization_id, product_type, monthly_capacity, price_min, price_max)
VALUES ($1, $2, 'hand-sanitizer-gel', 100, 1000, 2000)`, sapp.ID, sup.OrgID)
	if _, products, _ := card(); len(products) != 2 {
		t.Errorf("products after adding one: %v", products)
	}
	system(`DELETE FROM application_products WHERE application_id = $1 AND product_type = 'masker-kain'`, sapp.ID)
	if _, products, _ := card(); len(products) != 1 || products[0] != "hand-sanitizer-gel" {
		t.Errorf("products after removing one: %v", products)
	}
	// The portal never removes a signal (its role may not); the owner can.
	owner, err := pgx.Connect(ctx, b.app.DB.OwnerURL)
	dbtest.Must(t, err)
	defer owner.Close(ctx)
	dbtest.Must(t, pgx.BeginFunc(ctx, owner, func(tx pgx.Tx) error {
		// No policy lets anyone delete signals: the owner lifts them for
		// this transaction.
		if _, err := tx.Exec(ctx, `ALTER TABLE signals NO FORCE ROW LEVEL SECURITY`); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM signals WHERE application_id = $1`, sapp.ID)
		if err == nil && tag.RowsAffected() != 1 {
			t.Errorf("deleted %d signals", tag.RowsAffected())
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `ALTER TABLE signals FORCE ROW LEVEL SECURITY`)
		return err
	}))
	if _, _, n := card(); n != 0 {
		t.Errorf("signals after removing it: %d", n)
	}
	if listed(curation.QueueFilter{Signals: true}) || !listed(curation.QueueFilter{Product: "hand-sanitizer-gel"}) ||
		listed(curation.QueueFilter{Product: "masker-kain"}) {
		t.Error("the queue's signal and product filters do not follow the card's changes")
	}
	if astray, _ := cardsAstray(t, b.app); astray != 0 {
		t.Errorf("after the changes: %d cards astray", astray)
	}
	// Reassigned to another curator organisation: its card moves with it.
	lain := b.newCurator(t, "Kurasi Kartu", "kartu@kurasi.id")
	system(`UPDATE applications SET assigned_org_id = $2, assigned_user_id = NULL WHERE id = $1`, sapp.ID, lain.OrgID)
	if astray, _ := cardsAstray(t, b.app); astray != 0 {
		t.Errorf("after reassigning: %d cards astray", astray)
	}
	for who, a := range map[string]account.Actor{"the first curator": partner, "the supplier": sup} {
		var n int
		dbtest.Must(t, b.app.DB.App.ReadTx(ctx, a.Scope(), func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT count(*) FROM queue_cards WHERE application_id = $1`, sapp.ID).Scan(&n)
		}))
		if n != 0 {
			t.Errorf("%s reads the card of an application not theirs", who)
		}
	}
	var n int
	dbtest.Must(t, b.app.DB.App.ReadTx(ctx, lain.Scope(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM queue_cards`).Scan(&n)
	}))
	if n != 1 {
		t.Errorf("the new curator organisation reads %d cards, want its one", n)
	}
}

// TestQueueCardsAtScale: after seeding 1,200 suppliers, every assigned
// application's card says what its sources say.
func TestQueueCardsAtScale(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 1200)
	if astray, cards := cardsAstray(t, app); astray != 0 || cards < 500 {
		t.Errorf("%d of %d cards astray", astray, cards)
	}
}

// TestRefreshesAreTheOwnersOnly: the application's role cannot call the
// functions that rewrite search tokens and cards; run by it with ids of
// applications it may not read, they would wipe those.
func TestRefreshesAreTheOwnersOnly(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	for _, fn := range []string{"queue_search_refresh", "queue_cards_refresh"} {
		err := b.app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `SELECT `+fn+`(ARRAY(SELECT id FROM applications))`)
			return err
		})
		if !errors.Is(err, database.ErrForbidden) {
			t.Errorf("%s called by the application's role: %v", fn, err)
		}
	}
}

// TestCaseReadsItsParts: the review page's case carries the application's
// signals (with the other organisation's name), samples and the revisions
// asked for.
func TestCaseReadsItsParts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	partner, sup, sapp := b.assigned(t, "bagian@contoh.id", 4)
	c, err := b.store.Case(ctx, partner, sapp.ID)
	dbtest.Must(t, err)
	if len(c.Signals) != 0 || len(c.Samples) != 0 || len(c.Asked) != 0 {
		t.Fatalf("a fresh case: %d signals, %d samples, %d asked", len(c.Signals), len(c.Samples), len(c.Asked))
	}
	var other int64
	var otherName string
	dbtest.Must(t, b.app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT id, name FROM organizations WHERE kind = 'supplier' AND id <> $1 ORDER BY id LIMIT 1`,
			sup.OrgID).Scan(&other, &otherName); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO signals (application_id, organization_id, kind, other_organization_id) VALUES ($1, $2, 'nib', $3)`,
			sapp.ID, sup.OrgID, other)
		return err
	}))
	dbtest.Must(t, b.store.RequestSample(ctx, partner, sapp.ID, sampleOf("masker-kain", "Kirim lima buah")))
	dbtest.Must(t, b.store.Claim(ctx, partner, sapp.ID, c.Version))
	c, err = b.store.Case(ctx, partner, sapp.ID)
	dbtest.Must(t, err)
	_, err = b.store.Decide(ctx, partner, sapp.ID, curation.Decision{Kind: curation.DecisionRevise, Version: c.Version,
		Reason: "Mohon perbaiki", Flags: []supplier.Flag{{Target: "field", TargetKey: "nib", Reason: "NIB tidak terbaca"}}})
	dbtest.Must(t, err)
	c, err = b.store.Case(ctx, partner, sapp.ID)
	dbtest.Must(t, err)
	if len(c.Signals) != 1 || c.Signals[0].Kind != "nib" || c.Signals[0].OtherOrgID != other ||
		c.Signals[0].OtherOrgName != otherName || c.Signals[0].ApplicationID != sapp.ID {
		t.Errorf("signals: %+v, want one nib signal naming %q", c.Signals, otherName)
	}
	if len(c.Samples) != 1 || c.Samples[0].Note != "Kirim lima buah" || c.Samples[0].ProductType != "masker-kain" ||
		c.Samples[0].RequestedAt.IsZero() || c.Samples[0].ReceivedAt != nil || c.Samples[0].Result != "" {
		t.Errorf("samples: %+v", c.Samples)
	}
	if len(c.Asked) != 1 || c.Asked[0].TargetKey != "nib" || c.Asked[0].Reason != "NIB tidak terbaca" || c.Asked[0].Submission != 1 {
		t.Errorf("revisions asked: %+v", c.Asked)
	}
}

// TestFilteredWalkSaysWhenItStoppedShort: a search with no word long
// enough for the tokens (one letter) is a walk by status, at most
// TokenScan deep; a page it could not fill says so, and a full page does
// not. A word of two letters is a token (migration 0049): walked along the
// tokens, it says nothing of stopping short.
func TestFilteredWalkSaysWhenItStoppedShort(t *testing.T) {
	t.Parallel()
	b := setupScale(t, 1200)
	store := b.store
	ctx := context.Background()
	partner := b.actor(t, "kurator@pasokan.test")
	// No word of the story's names begins with a q.
	page, err := store.Queue(ctx, partner, curation.QueueFilter{Q: "q"})
	dbtest.Must(t, err)
	if len(page.Items) != 0 || !page.Narrowed || !page.Shallow {
		t.Errorf("a short search that matches nothing: %d items, narrowed %v, shallow %v", len(page.Items), page.Narrowed, page.Shallow)
	}
	page, err = store.Queue(ctx, partner, curation.QueueFilter{Q: "k", Limit: 5})
	dbtest.Must(t, err)
	if len(page.Items) != 5 || page.Next == "" || page.Narrowed {
		t.Errorf("a short search with a full page: %d items, next %q, narrowed %v", len(page.Items), page.Next, page.Narrowed)
	}
	for _, q := range []string{"zq", "cv"} {
		page, err = store.Queue(ctx, partner, curation.QueueFilter{Q: q, Limit: 5})
		dbtest.Must(t, err)
		if page.Narrowed || page.Shallow || (q == "cv") != (len(page.Items) == 5) {
			t.Errorf("a search of two letters, %q: %d items, narrowed %v, shallow %v", q, len(page.Items), page.Narrowed, page.Shallow)
		}
	}
}
