package e2e

import (
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/demo"
	"pasokan/internal/i18n"
	"pasokan/internal/listing"
	"pasokan/internal/supplier"
	"pasokan/internal/testapp"
)

// The catalogue in the browser: a buyer finds a curated supplier by a
// misspelled name and reaches its contacts; a visitor sees the same
// supplier in the public directory without them; the open data holds what
// the directory shows.

// Selectors of the catalogue's pages.
const (
	searchForm      = `main form[role="search"]`
	searchSubmit    = searchForm + ` button[type="submit"]`
	searchCorrected = `main [data-testid="search-corrected"]`
	resultEntries   = `main [data-testid="results"] [data-testid="entry"]`
	resultLink      = resultEntries + ` h3 a`
	supplierProduct = `main [data-testid="product"]`
	supplierContact = `main [data-testid="contacts"]`
	whatsAppLink    = `main [data-testid="whatsapp"]`
)

// catalogSupplier is the listed supplier the journey looks for.
type catalogSupplier struct {
	app                int64
	slug, name, phone  string
	email, productType string
	// capacity is the monthly capacity of productType.
	capacity int64
}

// plantSupplier gives a listed supplier of the demo story a name nobody else
// has, and lists it again (as curation does), so that a misspelling of it
// has one right answer.
func plantSupplier(t *testing.T, app *testapp.App, name string) catalogSupplier {
	t.Helper()
	ctx := context.Background()
	type row struct {
		Org, App                        int64
		Slug, Phone, Email, ProductType string
		Capacity                        int64
	}
	var r row
	err := app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT l.organization_id AS org, l.application_id AS app, l.slug, l.phone, l.email,
       p.product_type, p.monthly_capacity AS capacity
  FROM listings l
  JOIN LATERAL (SELECT product_type, monthly_capacity FROM listing_products p
                 WHERE p.organization_id = l.organization_id ORDER BY product_type LIMIT 1) p ON true
 WHERE l.withdrawn_at IS NULL AND l.phone <> '' AND l.email <> '' ORDER BY l.slug LIMIT 1`)
		var err error
		r, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[row])
		return err
	})
	if err != nil {
		t.Fatalf("a listed supplier with contacts: %v", err)
	}
	org := r.Org
	s := catalogSupplier{app: r.App, slug: r.Slug, phone: r.Phone, email: r.Email, productType: r.ProductType, capacity: r.Capacity}
	app.DB.AsOwner(t, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE supplier_profiles SET trading_name = $2 WHERE organization_id = $1`, org, name)
		return err
	})
	err = app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error { return listing.Sync(ctx, tx, s.app) })
	if err != nil {
		t.Fatal(err)
	}
	s.name = name
	return s
}

// entryCard is what a catalogue card shows of an entry.
type entryCard struct {
	Href    string `json:"href"`
	Product string `json:"product"`
}

func entryCards(b *browser) []entryCard {
	b.t.Helper()
	var out []entryCard
	b.eval(`[...document.querySelectorAll(`+js(resultEntries)+`)].map(e => ({
		href: e.querySelector('h3 a').getAttribute('href'),
		product: e.querySelector('strong').innerText.trim()}))`, &out)
	return out
}

func TestBuyerFindsASupplierAndThePublicSeesItWithoutContacts(t *testing.T) {
	t.Parallel()
	requireChromium(t)
	app := testapp.NewScale(t, 40)
	s := plantSupplier(t, app, "Konveksi Cendrawasih Emas")

	// The buyer, on a laptop.
	b := newBrowser(t, app, laptop)
	b.open("/login")
	if st := b.login("pembeli@pasokan.test", demo.Password); st != http.StatusOK {
		t.Fatalf("buyer login ended on a %d page: %s", st, b.textOr("main", ""))
	}
	b.wantPath("/catalog")
	b.wantText("main h1", msg("catalog.title"))
	b.fill("#f-q", "cendrawsih")
	b.choose("#f-product", s.productType)
	if st := b.click(searchSubmit); st != http.StatusOK {
		t.Fatalf("the search ended on a %d page", st)
	}
	if u, err := url.Parse(b.path()); err != nil || u.Path != "/catalog" || u.Query().Get("q") != "cendrawsih" ||
		u.Query().Get("product") != s.productType {
		t.Fatalf("the search went to %s", b.path())
	}
	b.wantContains(searchCorrected, "cendrawasih")
	if got := b.value("#f-q"); got != "cendrawsih" {
		t.Errorf("the search field holds %q after searching, want what was typed", got)
	}
	if n := b.count(resultEntries); n != 1 {
		t.Fatalf("the misspelled search shows %d entries, want 1: %s", n, b.textOr("main", ""))
	}
	b.wantText(resultLink, s.name)

	// The supplier's page: its curated products, capacity and contacts.
	if st := b.click(resultLink); st != http.StatusOK {
		t.Fatalf("the supplier's page: %d", st)
	}
	b.wantPath("/catalog/" + s.slug)
	b.wantText("main h1", s.name)
	if n := b.count(supplierProduct); n == 0 {
		t.Fatal("the supplier's page shows no product")
	}
	b.wantContains(supplierProduct, msg("catalog.supplier.checked_against"))
	b.wantContains(supplierProduct+` [data-testid="capacity"]`, i18n.FormatInt(i18n.ID, s.capacity))
	b.wantContains(supplierContact, supplier.FormatPhone(s.phone))
	b.wantContains(supplierContact, s.email)
	if href, _ := b.attr(whatsAppLink, "href"); href != "https://wa.me/"+strings.TrimPrefix(s.phone, "+") {
		t.Errorf("the WhatsApp link goes to %q", href)
	}
	b.screenshot("catalog-supplier")

	// A visitor: the directory page of the same supplier, without contacts.
	v := newBrowser(t, app, phone)
	if st := v.open("/directory/" + s.slug); st != http.StatusOK {
		t.Fatalf("the directory page: %d", st)
	}
	v.wantText("main h1", s.name)
	main := v.text("main")
	for _, private := range []string{supplier.FormatPhone(s.phone), strings.TrimPrefix(s.phone, "+62"), s.email} {
		if strings.Contains(main, private) {
			t.Errorf("the directory shows %q", private)
		}
	}
	if n := v.count(`a[href^="https://wa.me/"], a[href^="mailto:"], a[href^="tel:"]`); n != 0 {
		t.Errorf("the directory page has %d contact links", n)
	}
	v.wantFitsWidth()

	// The directory's list and the open data hold the same entries.
	if st := v.open("/directory"); st != http.StatusOK {
		t.Fatalf("the directory: %d", st)
	}
	if v.count(`main a[rel="next"]`) != 0 {
		t.Fatal("the directory has more than one page; the comparison reads one")
	}
	var shown []string
	for _, c := range entryCards(v) {
		shown = append(shown, strings.TrimPrefix(c.Href, "/directory/")+" "+c.Product)
	}
	client := &http.Client{Timeout: 20 * time.Second}
	resp, err := client.Get(app.URL + "/directory.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, ok := strings.CutPrefix(string(raw), "\ufeff")
	if resp.StatusCode != http.StatusOK || !ok {
		t.Fatalf("the open data: %d, byte order mark %v", resp.StatusCode, ok)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	slug, product := slices.Index(rows[0], "slug"), slices.Index(rows[0], "product_name")
	var data []string
	for _, r := range rows[1:] {
		data = append(data, r[slug]+" "+r[product])
	}
	sort.Strings(shown)
	sort.Strings(data)
	if len(shown) == 0 || !slices.Equal(shown, data) {
		t.Errorf("the directory shows\n%v\nthe open data holds\n%v", shown, data)
	}
	if !slices.Contains(data, s.slug+" "+productName(t, app, s.productType)) {
		t.Errorf("the open data lacks %s", s.slug)
	}
}

// productName is the Indonesian name of a product type.
func productName(t *testing.T, app *testapp.App, code string) string {
	t.Helper()
	var name string
	err := app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT name_id FROM product_types WHERE code = $1`, code).Scan(&name)
	})
	if err != nil {
		t.Fatal(err)
	}
	return name
}
