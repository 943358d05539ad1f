package listing_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/listing"
	"pasokan/internal/product"
	"pasokan/internal/testapp"
	"pasokan/internal/validation"
)

// listed is a curated demo supplier: its owner, acting for it, and its slug.
type listed struct {
	actor account.Actor
	slug  string
	name  string
}

// curatedSuppliers returns n curated, listed demo suppliers.
func curatedSuppliers(t *testing.T, app *testapp.App, n int) []listed {
	t.Helper()
	ctx := context.Background()
	type row struct {
		UserID int64  `db:"user_id"`
		OrgID  int64  `db:"organization_id"`
		Slug   string `db:"slug"`
		Name   string `db:"name"`
	}
	var rows []row
	dbtest.Must(t, app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		r, err := tx.Query(ctx, `SELECT m.user_id, l.organization_id, l.slug, l.name FROM listings l
  JOIN memberships m ON m.organization_id = l.organization_id AND m.role = 'owner'
 WHERE l.withdrawn_at IS NULL ORDER BY l.organization_id LIMIT $1`, n)
		if err != nil {
			return err
		}
		rows, err = pgx.CollectRows(r, pgx.RowToStructByName[row])
		return err
	}))
	if len(rows) < n {
		t.Fatalf("%d listed suppliers in the demo, want %d", len(rows), n)
	}
	out := make([]listed, len(rows))
	for i, r := range rows {
		a, err := app.Accounts.LoadActor(ctx, r.UserID, r.OrgID)
		dbtest.Must(t, err)
		out[i] = listed{actor: a, slug: r.Slug, name: r.Name}
	}
	return out
}

// forBuyer reads a listed supplier's listing as the buyer's page of it
// does.
func forBuyer(ctx context.Context, app *testapp.App, a account.Actor, slug string) (listing.Listing, error) {
	var r database.Reads
	var l listing.Listing
	if err := app.Listings.QueueForBuyer(a, &r, slug, &l); err != nil {
		return l, err
	}
	return l, app.DB.App.Read(ctx, a.Scope(), &r)
}

func actor(t *testing.T, app *testapp.App, email string) account.Actor {
	t.Helper()
	ctx := context.Background()
	id, err := app.Accounts.UserIDByEmail(ctx, email)
	dbtest.Must(t, err)
	ms, err := app.Accounts.Memberships(ctx, id)
	dbtest.Must(t, err)
	a, err := app.Accounts.LoadActor(ctx, id, ms[0].OrgID)
	dbtest.Must(t, err)
	return a
}

// plainEntries counts what the catalogue should hold, read from the
// sources: every curated product of every curated application.
func plainEntries(t *testing.T, app *testapp.App) int {
	t.Helper()
	ctx := context.Background()
	var n int
	dbtest.Must(t, app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM application_products p JOIN applications a ON a.id = p.application_id
 WHERE a.status = 'curated' AND p.curation = 'curated'`).Scan(&n)
	}))
	return n
}

// readModelsAgree holds the catalogue's read models to their sources: an
// entry for each listed product of each listing in the catalogue, the
// lexicon's count of each word that of the words' rows (no word left at
// zero), the counts per product and province those of the entries.
func readModelsAgree(t *testing.T, app *testapp.App) {
	t.Helper()
	ctx := context.Background()
	checks := []struct{ what, sql string }{
		{"entries and listed products", `SELECT count(*) FROM (
  (SELECT lp.id FROM listing_products lp JOIN listings l ON l.organization_id = lp.organization_id
    WHERE l.withdrawn_at IS NULL AND l.lapsed_at IS NULL
   EXCEPT SELECT id FROM catalog_entries)
  UNION ALL
  (SELECT id FROM catalog_entries
   EXCEPT SELECT lp.id FROM listing_products lp JOIN listings l ON l.organization_id = lp.organization_id
    WHERE l.withdrawn_at IS NULL AND l.lapsed_at IS NULL)) d`},
		{"lexicon and words", `SELECT count(*) FROM (
  (SELECT word, n FROM catalog_lexicon EXCEPT SELECT word, count(*)::integer FROM catalog_words GROUP BY word)
  UNION ALL
  (SELECT word, count(*)::integer FROM catalog_words GROUP BY word EXCEPT SELECT word, n FROM catalog_lexicon)) d`},
		{"counts and entries", `SELECT count(*) FROM (
  (SELECT product_type, province_code, n FROM catalog_counts
   EXCEPT SELECT product_type, province_code, count(*)::integer FROM catalog_entries GROUP BY 1, 2)
  UNION ALL
  (SELECT product_type, province_code, count(*)::integer FROM catalog_entries GROUP BY 1, 2
   EXCEPT SELECT product_type, province_code, n FROM catalog_counts)) d`},
	}
	dbtest.Must(t, app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		for _, c := range checks {
			var n int
			if err := tx.QueryRow(ctx, c.sql).Scan(&n); err != nil {
				return err
			}
			if n != 0 {
				t.Errorf("%s differ in %d rows", c.what, n)
			}
		}
		return nil
	}))
}

// facetsAgree checks a search's facets against every entry it finds.
func facetsAgree(t *testing.T, p listing.Page, found []listing.Entry, search string) {
	t.Helper()
	if len(found) > 250 {
		// A word alone is counted by the lexicon, and its facets only
		// read when it is in at most 250 entries.
		return
	}
	if !p.FacetsCounted {
		t.Errorf("searching %q (%d found): no facets", search, len(found))
		return
	}
	products, provinces := map[string]int{}, map[string]int{}
	for _, e := range found {
		products[e.ProductType]++
		provinces[e.ProvinceCode]++
	}
	for _, c := range []struct {
		what   string
		facets []listing.Facet
		want   map[string]int
	}{{"products", p.Products, products}, {"provinces", p.Provinces, provinces}} {
		got := map[string]int{}
		for _, f := range c.facets {
			got[f.Code] = f.N
		}
		if !maps.Equal(got, c.want) {
			t.Errorf("searching %q: %s facets %v, found %v", search, c.what, got, c.want)
		}
	}
}

// all walks every page of a search and returns the entries in order.
func all(t *testing.T, s *listing.Store, f listing.Filter) []listing.Entry {
	t.Helper()
	var out []listing.Entry
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatal("more than 1,000 pages: the cursor does not move")
		}
		p, err := s.Search(context.Background(), f)
		dbtest.Must(t, err)
		out = append(out, p.Entries...)
		if p.Next == "" {
			return out
		}
		f.Cursor = p.Next
	}
}

// TestCatalogueListsTheCurated: every curated product of every curated
// supplier is in the catalogue once, on the pages of each sort, in order;
// the kept counts agree.
func TestCatalogueListsTheCurated(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 200)
	s := app.Listings
	want := plainEntries(t, app)
	if want == 0 {
		t.Fatal("the demo has no curated product")
	}
	first, err := s.Search(context.Background(), listing.Filter{})
	dbtest.Must(t, err)
	if first.Total != min(want, listing.CountLimit) || !first.FacetsCounted {
		t.Errorf("total %d (counted %v), want %d", first.Total, first.FacetsCounted, want)
	}
	for _, sort := range []string{listing.SortName, listing.SortCapacity, listing.SortCurated} {
		es := all(t, s, listing.Filter{Sort: sort})
		if len(es) != want {
			t.Errorf("sort %s: %d entries on the pages, want %d", sort, len(es), want)
		}
		seen := map[int64]bool{}
		for i, e := range es {
			if seen[e.ID] {
				t.Fatalf("sort %s: entry %d twice", sort, e.ID)
			}
			seen[e.ID] = true
			if i == 0 {
				continue
			}
			p := es[i-1]
			var ordered bool
			switch sort {
			case listing.SortName:
				ordered = p.Name < e.Name || p.Name == e.Name && p.ID < e.ID
			case listing.SortCapacity:
				ordered = p.MonthlyCapacity > e.MonthlyCapacity || p.MonthlyCapacity == e.MonthlyCapacity && p.ID < e.ID
			case listing.SortCurated:
				ordered = p.CuratedAt.After(e.CuratedAt) || p.CuratedAt.Equal(e.CuratedAt) && p.ID < e.ID
			}
			if !ordered {
				t.Fatalf("sort %s: %+v before %+v", sort, p, e)
			}
		}
	}
	// Filters: each entry of a filtered walk matches, and none is missed.
	every := all(t, s, listing.Filter{})
	f := listing.Filter{Product: "masker-kain", MinCapacity: 5000, Sort: listing.SortCapacity}
	got := all(t, s, f)
	var wantIDs []int64
	for _, e := range every {
		if e.ProductType == f.Product && e.MonthlyCapacity >= f.MinCapacity {
			wantIDs = append(wantIDs, e.ID)
		}
	}
	var gotIDs []int64
	for _, e := range got {
		gotIDs = append(gotIDs, e.ID)
	}
	slices.Sort(wantIDs)
	slices.Sort(gotIDs)
	if len(wantIDs) == 0 || !slices.Equal(wantIDs, gotIDs) {
		t.Errorf("cloth masks of at least 5,000 a month: got %d entries, want %d", len(gotIDs), len(wantIDs))
	}
}

// TestCatalogueSearchesWords: a word finds the entries whose name holds it,
// stemmed as Indonesian; a misspelt word is corrected to the nearest word
// in the catalogue.
func TestCatalogueSearchesWords(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 200)
	s := app.Listings
	ctx := context.Background()
	sup := curatedSuppliers(t, app, 1)[0]
	words := strings.Fields(sup.name)
	long := slices.MaxFunc(words, func(a, b string) int { return len(a) - len(b) })
	// The whole name finds the supplier.
	p, err := s.Search(ctx, listing.Filter{Q: sup.name})
	dbtest.Must(t, err)
	if !slices.ContainsFunc(p.Entries, func(e listing.Entry) bool { return e.Slug == sup.slug }) {
		t.Fatalf("searching %q: %s not among %d entries", sup.name, sup.slug, len(p.Entries))
	}
	if p.Corrected != "" {
		t.Errorf("searching %q: corrected to %q", sup.name, p.Corrected)
	}
	// Every entry found has the word, and the total counts them.
	found := all(t, s, listing.Filter{Q: long})
	first, err := s.Search(ctx, listing.Filter{Q: long})
	dbtest.Must(t, err)
	if first.Total != min(len(found), listing.CountLimit) {
		t.Errorf("searching %q: total %d, %d on the pages", long, first.Total, len(found))
	}
	for _, e := range found {
		if !strings.Contains(strings.ToLower(e.Name+" "+e.ProductType), strings.ToLower(long[:3])) {
			t.Errorf("searching %q found %q", long, e.Name)
		}
	}
	// The facets are what the search found, by product and by province: a
	// word alone, and the word with a product (counted along its walk).
	facetsAgree(t, first, found, long)
	withProduct := listing.Filter{Q: long, Product: found[0].ProductType}
	p, err = s.Search(ctx, withProduct)
	dbtest.Must(t, err)
	facetsAgree(t, p, all(t, s, withProduct), long+" + "+withProduct.Product)
	// The words in another order find it too (no pair of neighbours then).
	if len(words) > 1 {
		reversed := slices.Clone(words)
		slices.Reverse(reversed)
		p, err := s.Search(ctx, listing.Filter{Q: strings.Join(reversed, " ")})
		dbtest.Must(t, err)
		if !slices.ContainsFunc(p.Entries, func(e listing.Entry) bool { return e.Slug == sup.slug }) {
			t.Errorf("searching %q: %s not found", strings.Join(reversed, " "), sup.slug)
		}
	}
	// A typo: the longest word without its last letter, and one wrong letter.
	typo := strings.Replace(sup.name, long, long[:len(long)-1], 1)
	p, err = s.Search(ctx, listing.Filter{Q: typo})
	dbtest.Must(t, err)
	if !slices.ContainsFunc(p.Entries, func(e listing.Entry) bool { return e.Slug == sup.slug }) || p.Corrected == "" {
		t.Errorf("searching %q (a typo): %s not found, corrected %q", typo, sup.slug, p.Corrected)
	}
	// Stemming: "penjahit" and "menjahit" are "jahit".
	var stem string
	dbtest.Must(t, app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT array_to_string(tsvector_to_array(to_tsvector('indonesian', 'penjahit menjahit')), ' ')`).Scan(&stem)
	}))
	if stem != "jahit" {
		t.Errorf("the Indonesian configuration stems penjahit, menjahit as %q", stem)
	}
	// Nothing near: nothing found, and no error.
	p, err = s.Search(ctx, listing.Filter{Q: "zzqxv"})
	dbtest.Must(t, err)
	if len(p.Entries) != 0 {
		t.Errorf("searching nonsense found %d entries", len(p.Entries))
	}
}

// TestListingStaysCurrent: a curated supplier raises its capacity and the
// catalogue shows it at once, with no new curation; a bad figure changes
// nothing; a suspension takes the supplier out at once, a reinstatement
// brings it back with what it had set.
func TestListingStaysCurrent(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 200)
	s := app.Listings
	ctx := context.Background()
	sup := curatedSuppliers(t, app, 1)[0]
	mine, err := s.Mine(ctx, sup.actor)
	dbtest.Must(t, err)
	if len(mine.Products) == 0 {
		t.Fatal("a listing without products")
	}
	p := mine.Products[0]
	in := listing.ProductInput{ProductType: p.ProductType, MonthlyCapacity: "30.000", LeadTimeDays: "10",
		PriceMin: "3000", PriceMax: "4500"}
	_, err = s.UpdateProduct(ctx, sup.actor, in)
	dbtest.Must(t, err)
	pub, err := s.PublicBySlug(ctx, sup.slug)
	dbtest.Must(t, err)
	i := slices.IndexFunc(pub.Entries, func(e listing.Entry) bool { return e.ProductType == p.ProductType })
	if i < 0 || pub.Entries[i].MonthlyCapacity != 30000 || pub.Entries[i].PriceMin != 3000 {
		t.Fatalf("after the update the catalogue shows %+v", pub.Entries)
	}
	// A bad figure: a field error, nothing changed.
	bad := in
	bad.MonthlyCapacity = "1,5"
	_, err = s.UpdateProduct(ctx, sup.actor, bad)
	var errs validation.Errors
	if !errors.As(err, &errs) || errs["monthly_capacity"] == "" {
		t.Errorf("capacity 1,5: %v", err)
	}
	// A product the supplier does not list.
	other := in
	other.ProductType = "respirator"
	if slices.ContainsFunc(mine.Products, func(p listing.Product) bool { return p.ProductType == "respirator" }) {
		other.ProductType = "penutup-sepatu"
	}
	if _, err = s.UpdateProduct(ctx, sup.actor, other); !errors.As(err, &errs) || errs["product_type"] == "" {
		t.Errorf("a product not listed: %v", err)
	}
	mine, err = s.Mine(ctx, sup.actor)
	dbtest.Must(t, err)
	if got := mine.Products[0].MonthlyCapacity; got != 30000 {
		t.Errorf("after refused updates the capacity is %d", got)
	}
	readModelsAgree(t, app)
	// Another supplier cannot touch it: its own update names its own rows.
	second := curatedSuppliers(t, app, 2)[1]
	if _, err := s.UpdateProduct(ctx, second.actor, listing.ProductInput{ProductType: p.ProductType,
		MonthlyCapacity: "1", PriceMin: "1", PriceMax: "1"}); err == nil {
		mine2, _ := s.Mine(ctx, sup.actor)
		if mine2.Products[0].MonthlyCapacity != 30000 {
			t.Error("another supplier's update reached this listing")
		}
	}

	// Suspended: out of the catalogue and the directory at once.
	cur := app.Curation
	admin := actor(t, app, "admin@pasokan.test")
	appID, _, version, err := cur.SupplierApplication(ctx, admin, sup.actor.OrgID)
	dbtest.Must(t, err)
	dbtest.Must(t, cur.Suspend(ctx, admin, appID, version, "Sampel uji gagal pada pengujian ulang."))
	if _, err := s.PublicBySlug(ctx, sup.slug); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("suspended, the public page: %v", err)
	}
	buyer := actor(t, app, "pembeli@pasokan.test")
	if _, err := forBuyer(ctx, app, buyer, sup.slug); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("suspended, the buyer's page: %v", err)
	}
	for _, e := range all(t, s, listing.Filter{Q: sup.name}) {
		if e.Slug == sup.slug {
			t.Error("suspended, still found by name")
		}
	}
	// Its words and pairs left the lexicon with it, those of its name alone
	// entirely.
	readModelsAgree(t, app)
	// Reinstated: back, with the capacity the supplier had set.
	_, _, version, err = cur.SupplierApplication(ctx, admin, sup.actor.OrgID)
	dbtest.Must(t, err)
	dbtest.Must(t, cur.Reinstate(ctx, admin, appID, version, "Pengujian ketiga lulus."))
	l, err := forBuyer(ctx, app, buyer, sup.slug)
	dbtest.Must(t, err)
	i = slices.IndexFunc(l.Products, func(x listing.Product) bool { return x.ProductType == p.ProductType })
	if i < 0 || l.Products[i].MonthlyCapacity != 30000 {
		t.Errorf("reinstated, the buyer sees %+v", l.Products)
	}
	if l.Phone == "" && l.Email == "" {
		t.Error("the buyer sees no contact")
	}
	readModelsAgree(t, app)
}

// TestListingsAreTheirOwners: a supplier reads and changes only its own
// listing; a buyer reads listed ones and changes none; a curator and an
// anonymous reader read no listing row at all (the public reads the
// catalogue's entries, which hold nothing personal).
func TestListingsAreTheirOwners(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 200)
	ctx := context.Background()
	sups := curatedSuppliers(t, app, 2)
	count := func(sc database.Scope, sql string) int {
		var n int
		dbtest.Must(t, app.DB.App.ReadTx(ctx, sc, func(tx pgx.Tx) error { return tx.QueryRow(ctx, sql).Scan(&n) }))
		return n
	}
	if n := count(sups[0].actor.Scope(), `SELECT count(*) FROM listings`); n != 1 {
		t.Errorf("a supplier reads %d listings, want its own", n)
	}
	if n := count(sups[0].actor.Scope(), `SELECT count(DISTINCT organization_id) FROM listing_products`); n != 1 {
		t.Errorf("a supplier reads the products of %d listings", n)
	}
	buyer := actor(t, app, "pembeli@pasokan.test")
	if n := count(buyer.Scope(), `SELECT count(*) FROM listings`); n < 2 {
		t.Errorf("a buyer reads %d listings", n)
	}
	kurator := actor(t, app, "kurator@pasokan.test")
	for name, sc := range map[string]database.Scope{"curator": kurator.Scope(), "anonymous": {}} {
		if n := count(sc, `SELECT count(*) FROM listings`) + count(sc, `SELECT count(*) FROM listing_products`); n != 0 {
			t.Errorf("%s reads %d listing rows", name, n)
		}
	}
	// Writes: a supplier's update of another's row touches nothing; a
	// buyer may not write; nobody writes what was curated.
	err := app.DB.App.Tx(ctx, sups[0].actor.Scope(), func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE listings SET phone = '+6281234567890' WHERE organization_id = $1`, sups[1].actor.OrgID)
		if err == nil && tag.RowsAffected() != 0 {
			t.Error("a supplier changed another's listing")
		}
		return err
	})
	dbtest.Must(t, err)
	for name, sql := range map[string]string{
		"a curated permit":  `UPDATE listing_products SET permit_number = 'X' WHERE organization_id = $1`,
		"the business name": `UPDATE listings SET name = 'X' WHERE organization_id = $1`,
		"a new product": `INSERT INTO listing_products (organization_id, product_type, monthly_capacity, price_min, price_max, curated_at)
VALUES ($1, 'respirator', 1, 1, 1, now())`,
		"the catalogue": `DELETE FROM catalog_entries WHERE organization_id = $1`,
	} {
		err := app.DB.App.Tx(ctx, sups[0].actor.Scope(), func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, sql, sups[0].actor.OrgID)
			return err
		})
		if err == nil {
			t.Errorf("a supplier changed %s", name)
		}
	}
	err = app.DB.App.Tx(ctx, buyer.Scope(), func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE listings SET phone = '+6281234567890' WHERE organization_id = $1`, sups[0].actor.OrgID)
		if err == nil && tag.RowsAffected() != 0 {
			t.Error("a buyer wrote a listing")
		}
		return err
	})
	dbtest.Must(t, err)
}

// TestUnconfirmedListingsAreRemindedThenLapse: 60 days without a
// confirmation brings one reminder (in the portal and by e-mail), 90 take
// the listing out of the catalogue and the buyers' view until the supplier
// confirms it with one click.
func TestUnconfirmedListingsAreRemindedThenLapse(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 200)
	s := app.Listings
	ctx := context.Background()
	sup := curatedSuppliers(t, app, 1)[0]
	buyer := actor(t, app, "pembeli@pasokan.test")
	now := time.Now()
	age := func(d time.Duration) {
		dbtest.Must(t, app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE listings SET confirmed_at = $2 WHERE organization_id = $1`, sup.actor.OrgID, now.Add(-d))
			return err
		}))
	}
	notes := func(key string) int {
		var n int
		dbtest.Must(t, app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE organization_id = $1 AND key = $2 AND email_status <> ''`,
				sup.actor.OrgID, key).Scan(&n)
		}))
		return n
	}
	if got, err := s.Sweep(ctx, now); err != nil || got != (listing.Swept{}) {
		t.Fatalf("a fresh catalogue swept: %+v, %v", got, err)
	}
	age(61 * 24 * time.Hour)
	got, err := s.Sweep(ctx, now)
	dbtest.Must(t, err)
	if got.Reminded != 1 || got.Lapsed != 0 || notes("listing_confirm") != 1 {
		t.Errorf("at 61 days: %+v, %d reminders", got, notes("listing_confirm"))
	}
	if got, _ := s.Sweep(ctx, now); got.Reminded != 0 {
		t.Error("reminded twice")
	}
	if _, err := s.PublicBySlug(ctx, sup.slug); err != nil {
		t.Errorf("reminded, the listing left the catalogue: %v", err)
	}
	age(91 * 24 * time.Hour)
	got, err = s.Sweep(ctx, now)
	dbtest.Must(t, err)
	if got.Lapsed != 1 || notes("listing_lapsed") != 1 {
		t.Errorf("at 91 days: %+v", got)
	}
	if _, err := s.PublicBySlug(ctx, sup.slug); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("lapsed, the public page: %v", err)
	}
	if _, err := forBuyer(ctx, app, buyer, sup.slug); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("lapsed, the buyer's page: %v", err)
	}
	mine, err := s.Mine(ctx, sup.actor)
	dbtest.Must(t, err)
	if mine.LapsedAt == nil || mine.Listed() {
		t.Errorf("lapsed, the supplier sees %+v", mine)
	}
	dbtest.Must(t, s.Confirm(ctx, sup.actor))
	if _, err := s.PublicBySlug(ctx, sup.slug); err != nil {
		t.Errorf("confirmed, the public page: %v", err)
	}
	if got, _ := s.Sweep(ctx, now); got != (listing.Swept{}) {
		t.Errorf("confirmed, swept again: %+v", got)
	}
}

// TestCataloguePagesAreKeptUntilTheCatalogueChanges: a search asked again
// is served from the pages kept (nothing read but the catalogue's
// generation) while nothing in the catalogue changes; a suspension moves
// the generation, and the very next search, in this store and in another
// (another process), leaves the supplier out of its pages and its totals.
func TestCataloguePagesAreKeptUntilTheCatalogueChanges(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 200)
	s := app.Listings
	other := listing.NewStore(app.DB.App, product.NewStore(app.DB.App), nil)
	ctx := context.Background()
	before, err := s.Search(ctx, listing.Filter{})
	dbtest.Must(t, err)
	if _, err := other.Search(ctx, listing.Filter{}); err != nil {
		t.Fatal(err)
	}
	hits := s.Hits()
	again, err := s.Search(ctx, listing.Filter{})
	dbtest.Must(t, err)
	if s.Hits() != hits+1 || again.Total != before.Total || len(again.Entries) != len(before.Entries) {
		t.Errorf("asked again: %d pages served again (was %d), total %d (was %d)", s.Hits(), hits, again.Total, before.Total)
	}
	// What a caller does to its page (the server sorts the facets) does
	// not reach the page kept.
	again.Entries[0].Name = "changed by a caller"
	if third, _ := s.Search(ctx, listing.Filter{}); third.Entries[0].Name == "changed by a caller" {
		t.Error("a caller's change reached the page kept")
	}
	sup := curatedSuppliers(t, app, 1)[0]
	admin := actor(t, app, "admin@pasokan.test")
	appID, _, version, err := app.Curation.SupplierApplication(ctx, admin, sup.actor.OrgID)
	dbtest.Must(t, err)
	dbtest.Must(t, app.Curation.Suspend(ctx, admin, appID, version, "Sampel uji gagal pada pengujian ulang."))
	want := min(plainEntries(t, app), listing.CountLimit)
	if want == before.Total {
		t.Fatal("the suspension changed no total; the test shows nothing")
	}
	for name, st := range map[string]*listing.Store{"this store": s, "another store": other} {
		hits := st.Hits()
		fresh, err := st.Search(ctx, listing.Filter{})
		dbtest.Must(t, err)
		if st.Hits() != hits || fresh.Total != want {
			t.Errorf("%s, after the suspension: total %d, want %d (%d pages served again, was %d)", name, fresh.Total, want, st.Hits(), hits)
		}
		for _, e := range all(t, st, listing.Filter{}) {
			if e.Slug == sup.slug {
				t.Errorf("%s: suspended, still on a page", name)
				break
			}
		}
	}
}
