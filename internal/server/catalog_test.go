package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/demo"
	"pasokan/internal/i18n"
	"pasokan/internal/listing"
	"pasokan/internal/testapp"
)

// The catalogue of curated suppliers: the buyers' search and supplier
// pages, and the supplier keeping its listing current (the public directory
// and its open data are in directory_test.go). Each test runs on the demo
// story at a few dozen suppliers, a quarter of them curated and listed.

// listed is a listed supplier of the demo story.
type listed struct {
	org, app         int64
	slug, name       string
	owner, phone     string
	certificate      string
	products         []string
	appVersion       int
	monthlyCapacity0 int
}

// listedRow is a listed supplier's row, read by column name.
type listedRow struct {
	Org, App                       int64
	Slug, Name, Phone, Certificate string
	Owner                          string
	Products                       []string
	AppVersion                     int
	MonthlyCapacity0               int
}

// listedSuppliers reads the listed suppliers, by slug.
func listedSuppliers(t *testing.T, app *testapp.App) []listed {
	t.Helper()
	ctx := context.Background()
	var out []listed
	err := app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT l.organization_id AS org, l.application_id AS app, l.slug, l.name, l.phone,
       l.certificate_code AS certificate,
       (SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.organization_id = l.organization_id AND m.role = 'owner' ORDER BY u.id LIMIT 1) AS owner,
       ARRAY(SELECT p.product_type FROM listing_products p WHERE p.organization_id = l.organization_id ORDER BY 1) AS products,
       (SELECT a.version FROM applications a WHERE a.id = l.application_id) AS app_version,
       (SELECT p.monthly_capacity FROM listing_products p WHERE p.organization_id = l.organization_id
         ORDER BY p.product_type LIMIT 1) AS monthly_capacity0
  FROM listings l WHERE l.withdrawn_at IS NULL AND l.lapsed_at IS NULL ORDER BY l.slug`)
		if err != nil {
			return err
		}
		found, err := pgx.CollectRows(rows, pgx.RowToStructByName[listedRow])
		for _, r := range found {
			out = append(out, listed{org: r.Org, app: r.App, slug: r.Slug, name: r.Name, owner: r.Owner, phone: r.Phone,
				certificate: r.Certificate, products: r.Products, appVersion: r.AppVersion, monthlyCapacity0: r.MonthlyCapacity0})
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 3 {
		t.Fatalf("the demo story lists %d suppliers, want several", len(out))
	}
	return out
}

// asOwner runs sql as the schema owner in the portal's own mode (for what
// no page may do: planting data, re-listing).
func asOwner(t *testing.T, app *testapp.App, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	app.DB.AsOwner(t, func(tx pgx.Tx) error {
		tag, err := tx.Exec(context.Background(), sql, args...)
		if err != nil {
			return fmt.Errorf("%s: %w", sql, err)
		}
		n = tag.RowsAffected()
		return nil
	})
	return n
}

// resync lists the applications again from what they hold now, as curation
// does on a decision.
func resync(t *testing.T, app *testapp.App, apps ...int64) {
	t.Helper()
	ctx := context.Background()
	if err := app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error { return listing.Sync(ctx, tx, apps...) }); err != nil {
		t.Fatal(err)
	}
}

var (
	entryRe   = regexp.MustCompile(`data-testid="entry"><h3><a href="/(?:catalog|directory)/([^"]+)">`)
	nextRe    = regexp.MustCompile(`rel="next" href="([^"]+)"`)
	countRe   = regexp.MustCompile(`data-testid="result-count">([^<]+)<`)
	waRe      = regexp.MustCompile(`href="https://wa\.me/(62[0-9]+)"`)
	correctRe = regexp.MustCompile(`data-testid="search-corrected">([^<]+)<`)
)

// entrySlugs are the slugs of a catalogue page's entries, in order.
func entrySlugs(body string) []string {
	var out []string
	for _, m := range entryRe.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func buyer(t *testing.T, app *testapp.App) *testapp.Client {
	t.Helper()
	c := app.Client(t)
	c.Login("pembeli@pasokan.test", demo.Password, "/catalog")
	return c
}

func TestCatalogShowsCuratedSuppliersToBuyersOnly(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 120)
	all := listedSuppliers(t, app)
	entries := count(t, app, `SELECT count(*) FROM catalog_entries`)
	if entries <= listing.PageSize {
		t.Fatalf("%d entries fit one page: the story is too small to page", entries)
	}

	// Who may not.
	if r := app.Client(t).Get("/catalog"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Errorf("a visitor on /catalog: %d to %q, want 303 to the login", r.StatusCode, r.Header.Get("Location"))
	}
	for _, who := range []struct{ email, home string }{{"umkm@pasokan.test", "/supplier"}, {"kurator@pasokan.test", "/curation"}} {
		c := app.Client(t)
		c.Login(who.email, demo.Password, who.home)
		for _, path := range []string{"/catalog", "/catalog/" + all[0].slug} {
			if r := c.Get(path); r.StatusCode != http.StatusNotFound || strings.Contains(r.Body, all[0].phone[3:]) {
				t.Errorf("%s on %s: %d, want 404", who.email, path, r.StatusCode)
			}
		}
	}

	// Every page of the catalogue, by its "next page" links: each listed
	// product once, each listed supplier on them.
	c := buyer(t, app)
	page := c.Get("/catalog")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("catalogue: %d", page.StatusCode)
	}
	if m := countRe.FindStringSubmatch(page.Body); m == nil || m[1] != strconv.Itoa(entries)+" produk" {
		t.Errorf("the count reads %q, want %d produk", m, entries)
	}
	var seen []string
	for pages := 0; ; pages++ {
		seen = append(seen, entrySlugs(page.Body)...)
		m := nextRe.FindStringSubmatch(page.Body)
		if m == nil {
			break
		}
		if pages > 10 {
			t.Fatal("the next page links do not end")
		}
		page = c.Get(strings.ReplaceAll(m[1], "&amp;", "&"))
		if page.StatusCode != http.StatusOK {
			t.Fatalf("next page %s: %d", m[1], page.StatusCode)
		}
	}
	if len(seen) != entries {
		t.Errorf("the pages show %d entries, want %d", len(seen), entries)
	}
	for _, l := range all {
		if !slices.Contains(seen, l.slug) {
			t.Errorf("listed supplier %s is on no page", l.slug)
		}
	}

	// A filter: the entries of one product type, and its facet link.
	l := all[0]
	var want []string
	err := app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), `SELECT slug FROM catalog_entries WHERE product_type = $1 ORDER BY name, id`, l.products[0])
		if err != nil {
			return err
		}
		want, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) > listing.PageSize {
		want = want[:listing.PageSize]
	}
	page = c.Get("/catalog?product=" + l.products[0])
	if got := entrySlugs(page.Body); !slices.Equal(got, want) {
		t.Errorf("product %s: entries %v, want %v", l.products[0], got, want)
	}
	if !strings.Contains(page.Body, `href="/catalog?product=`+l.products[0]+`" aria-current="true"`) {
		t.Error("the product facet of the filter is not marked current")
	}

	// A misspelled name, with a product filter: the search says what it
	// ran, and finds the supplier.
	asOwner(t, app, `UPDATE supplier_profiles SET trading_name = 'Konveksi Cendrawasih Emas' WHERE organization_id = $1`, l.org)
	resync(t, app, l.app)
	page = c.Get("/catalog?" + url.Values{"q": {"cendrawsih"}, "product": {l.products[0]}}.Encode())
	if m := correctRe.FindStringSubmatch(page.Body); m == nil || !strings.Contains(m[1], "cendrawasih") {
		t.Errorf("the corrected search reads %q", m)
	}
	if got := entrySlugs(page.Body); !slices.Equal(got, []string{l.slug}) {
		t.Errorf("the misspelled search found %v, want [%s]", got, l.slug)
	}

	// The supplier's page: products, capacity, contacts with a wa.me link.
	sp := c.Get("/catalog/" + l.slug)
	if sp.StatusCode != http.StatusOK || !strings.Contains(sp.Body, "Konveksi Cendrawasih Emas") {
		t.Fatalf("supplier page: %d", sp.StatusCode)
	}
	if m := waRe.FindStringSubmatch(sp.Body); m == nil || "+"+m[1] != l.phone {
		t.Errorf("the WhatsApp link is %v, want one to %s", m, l.phone)
	}
	for _, want := range []string{"/verify/" + l.certificate, "Riwayat pengiriman", `data-testid="record"`,
		"Daftar periksa versi", i18n.FormatInt(i18n.ID, int64(l.monthlyCapacity0))} {
		if !strings.Contains(sp.Body, want) {
			t.Errorf("the supplier page lacks %q", want)
		}
	}
	if n := strings.Count(sp.Body, `data-testid="product"`); n != len(l.products) {
		t.Errorf("the supplier page shows %d products, want %d", n, len(l.products))
	}

	// Bad query parameters are dropped or named, never a failure.
	bad := c.Get("/catalog?product=nope&province=99&regency=xx&sort=zzz&permit=x&size_class=giant&min_capacity=banyak&cursor=" +
		cursorOf("1.caf\xe9"))
	if bad.StatusCode != http.StatusOK || !strings.Contains(bad.Body, `id="f-min_capacity-error"`) ||
		!strings.Contains(bad.Body, `value="banyak"`) {
		t.Errorf("bad parameters: %d", bad.StatusCode)
	}
	if got := entrySlugs(bad.Body); len(got) != listing.PageSize {
		t.Errorf("bad parameters narrowed the search to %d entries", len(got))
	}

	// Not curated, or unknown: not found, for buyers and the public alike.
	var draftSlug string
	err = app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT o.slug FROM organizations o JOIN memberships m ON m.organization_id = o.id
  JOIN users u ON u.id = m.user_id WHERE u.email = 'umkm@pasokan.test'`).Scan(&draftSlug)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, slug := range []string{draftSlug, "tidak-ada"} {
		if r := c.Get("/catalog/" + slug); r.StatusCode != http.StatusNotFound {
			t.Errorf("buyer on /catalog/%s: %d", slug, r.StatusCode)
		}
		if r := app.Client(t).Get("/directory/" + slug); r.StatusCode != http.StatusNotFound {
			t.Errorf("visitor on /directory/%s: %d", slug, r.StatusCode)
		}
	}
}

func TestSupplierKeepsItsListingCurrent(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 40)
	l := listedSuppliers(t, app)[0]
	sup := app.Client(t)
	sup.Login(l.owner, demo.Password, "/supplier")
	if dash := sup.Get("/supplier"); !strings.Contains(dash.Body, `href="/supplier/listing"`) {
		t.Error("the curated supplier's dashboard does not link its listing")
	}
	page := sup.Get("/supplier/listing")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `action="/supplier/listing"`) {
		t.Fatalf("listing page: %d", page.StatusCode)
	}
	product := l.products[0]
	form := url.Values{"product_type": {product}, "monthly_capacity": {"123.456"}, "lead_time_days": {"9"},
		"price_min": {"2.000"}, "price_max": {"3.000"}}
	r := sup.Post("/supplier/listing", form)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/supplier/listing?product="+product {
		t.Fatalf("save: %d to %q\n%s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	if page := sup.Get("/supplier/listing?product=" + product); !strings.Contains(page.Body, "Produk diperbarui") {
		t.Error("no message after saving")
	}
	c := buyer(t, app)
	if sp := c.Get("/catalog/" + l.slug); !strings.Contains(sp.Body, "123.456") {
		t.Error("the buyer's supplier page does not show the new capacity")
	}
	if cat := c.Get("/catalog?product=" + product + "&min_capacity=123.456"); !slices.Equal(entrySlugs(cat.Body), []string{l.slug}) {
		t.Errorf("the catalogue at 123.456 and more shows %v, want [%s]", entrySlugs(cat.Body), l.slug)
	}

	// A mistake keeps what was typed and changes nothing.
	bad := url.Values{"product_type": {product}, "monthly_capacity": {"12x"}, "lead_time_days": {"9"},
		"price_min": {"5.000"}, "price_max": {"3.000"}}
	r = sup.Post("/supplier/listing", bad)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `value="12x"`) ||
		!strings.Contains(r.Body, `class="form-errors"`) || !strings.Contains(r.Body, `id="f-monthly_capacity-error"`) ||
		!strings.Contains(r.Body, `id="f-price_min-error"`) {
		t.Errorf("bad capacity: %d\n%s", r.StatusCode, r.Body)
	}
	if n := count(t, app, `SELECT monthly_capacity FROM listing_products WHERE organization_id = $1 AND product_type = $2`, l.org, product); n != 123456 {
		t.Errorf("a refused form changed the capacity to %d", n)
	}
	if n := count(t, app, `SELECT monthly_capacity FROM catalog_entries WHERE organization_id = $1 AND product_type = $2`, l.org, product); n != 123456 {
		t.Errorf("a refused form changed the catalogue's capacity to %d", n)
	}
	// A product it does not list.
	other := url.Values{"product_type": {"respirator"}, "monthly_capacity": {"10"}, "price_min": {"1"}, "price_max": {"2"}}
	if slices.Contains(l.products, "respirator") {
		other.Set("product_type", "apron")
	}
	if r := sup.Post("/supplier/listing", other); r.StatusCode != http.StatusSeeOther {
		t.Errorf("unlisted product: %d", r.StatusCode)
	}

	// Contacts, a pause, a confirmation.
	r = sup.Post("/supplier/contact", url.Values{"phone": {"0813 1111 2222"}, "email": {"Pesanan@Contoh.ID"}, "address": {"Jl. Baru 2"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("contact: %d\n%s", r.StatusCode, r.Body)
	}
	r = sup.Post("/supplier/contact", url.Values{"phone": {"12"}, "email": {"bukan-email"}, "address": {"Jl. Lain"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `value="bukan-email"`) ||
		!strings.Contains(r.Body, `id="f-phone-error"`) {
		t.Errorf("bad contact: %d", r.StatusCode)
	}
	sp := c.Get("/catalog/" + l.slug)
	if !strings.Contains(sp.Body, "https://wa.me/6281311112222") || !strings.Contains(sp.Body, "mailto:pesanan@contoh.id") ||
		!strings.Contains(sp.Body, "Jl. Baru 2") {
		t.Error("the buyer does not see the new contacts")
	}
	r = sup.Post("/supplier/listing/pause", url.Values{"paused_until": {"2001-01-01"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Tanggal sudah lewat") {
		t.Errorf("a pause in the past: %d", r.StatusCode)
	}
	until := app.Server.Now().AddDate(0, 0, 10).Format("2006-01-02")
	if r := sup.Post("/supplier/listing/pause", url.Values{"paused_until": {until}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("pause: %d\n%s", r.StatusCode, r.Body)
	}
	if sp := c.Get("/catalog/" + l.slug); !strings.Contains(sp.Body, "Tidak menerima pesanan sampai") {
		t.Error("the buyer does not see the pause")
	}
	if r := sup.Post("/supplier/listing/pause", url.Values{"paused_until": {""}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("resume: %d", r.StatusCode)
	}
	if sp := c.Get("/catalog/" + l.slug); strings.Contains(sp.Body, "Tidak menerima pesanan sampai") {
		t.Error("the buyer still sees the pause")
	}
	if r := sup.Post("/supplier/listing/confirm", nil); r.StatusCode != http.StatusSeeOther {
		t.Errorf("confirm: %d", r.StatusCode)
	}

	// A supplier that is not curated is told when its listing comes.
	draft := app.Client(t)
	draft.Login("umkm@pasokan.test", demo.Password, "/supplier")
	if page := draft.Get("/supplier/listing"); page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `data-testid="not-listed"`) ||
		!strings.Contains(page.Body, `href="/supplier/application"`) {
		t.Errorf("not curated: %d", page.StatusCode)
	}
	if r := draft.Post("/supplier/listing/confirm", nil); r.StatusCode != http.StatusSeeOther {
		t.Errorf("not curated, confirm: %d", r.StatusCode)
	}
	if page := draft.Get("/supplier/listing"); !strings.Contains(page.Body, "belum ada atau sedang ditarik") {
		t.Error("not curated: no message after confirming")
	}
}

func TestSuspendedSupplierLeavesTheCatalogueAtOnce(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 40)
	l := listedSuppliers(t, app)[0]
	c, visitor := buyer(t, app), app.Client(t)
	if !slices.Contains(entrySlugs(c.Get("/catalog").Body), l.slug) || !slices.Contains(entrySlugs(visitor.Get("/directory").Body), l.slug) {
		t.Fatal("the supplier is not listed before the suspension")
	}
	admin := actorOf(t, app, "admin@pasokan.test")
	if err := app.Curation.Suspend(context.Background(), admin, l.app, l.appVersion, "Uji ulang gagal"); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(entrySlugs(c.Get("/catalog").Body), l.slug) || slices.Contains(entrySlugs(visitor.Get("/directory").Body), l.slug) {
		t.Error("the suspended supplier is still in the catalogue or the directory")
	}
	if r := c.Get("/catalog/" + l.slug); r.StatusCode != http.StatusNotFound {
		t.Errorf("buyer on the suspended supplier: %d", r.StatusCode)
	}
	if r := visitor.Get("/directory/" + l.slug); r.StatusCode != http.StatusNotFound {
		t.Errorf("visitor on the suspended supplier: %d", r.StatusCode)
	}
	if r := visitor.Get("/directory.csv"); strings.Contains(r.Body, ","+l.slug+",") {
		t.Error("the suspended supplier is still in the open data")
	}
	// Its own page says why it cannot change the listing.
	sup := app.Client(t)
	sup.Login(l.owner, demo.Password, "/supplier")
	if page := sup.Get("/supplier/listing"); !strings.Contains(page.Body, `data-testid="withdrawn"`) {
		t.Error("the suspended supplier's listing page does not say it is withdrawn")
	}
	r := sup.Post("/supplier/listing", url.Values{"product_type": {l.products[0]}, "monthly_capacity": {"1"},
		"price_min": {"1"}, "price_max": {"1"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Errorf("a withdrawn listing changed: %d", r.StatusCode)
	}
	if n := count(t, app, `SELECT monthly_capacity FROM listing_products WHERE organization_id = $1 AND product_type = $2`,
		l.org, l.products[0]); n == 1 {
		t.Error("a withdrawn listing's product was changed")
	}
}

// The regency filter is offered once a province is chosen, with that
// province's regencies only; a regency alone names its province, and a
// regency of another province than the one chosen is dropped.
func TestCatalogOffersRegenciesOfTheChosenProvince(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := buyer(t, app)
	first := c.Get("/catalog")
	if strings.Contains(first.Body, `name="regency"`) || !strings.Contains(first.Body, "Pilih provinsi lalu tekan Cari") {
		t.Error("without a province the page offers a regency filter, or does not say how to get one")
	}
	options := regexp.MustCompile(`<option value="([0-9.]+)"`)
	regencySelect := func(body string) string {
		i := strings.Index(body, `name="regency"`)
		if i < 0 {
			return ""
		}
		return body[i : i+strings.Index(body[i:], "</select>")]
	}
	jabar := regencySelect(c.Get("/catalog?province=32").Body)
	found := options.FindAllStringSubmatch(jabar, -1)
	if len(found) < 20 {
		t.Fatalf("Jawa Barat offers %d regencies", len(found))
	}
	for _, m := range found {
		if !strings.HasPrefix(m[1], "32.") {
			t.Errorf("Jawa Barat offers regency %s", m[1])
		}
	}
	alone := c.Get("/catalog?regency=32.73")
	if !strings.Contains(regencySelect(alone.Body), `value="32.73" selected`) ||
		!regexp.MustCompile(`<option value="32" selected`).MatchString(alone.Body) {
		t.Error("a regency alone does not choose its province and itself")
	}
	other := c.Get("/catalog?province=31&regency=32.73")
	if strings.Contains(other.Body, `value="32.73"`) {
		t.Error("a regency of another province than the chosen one is kept")
	}
}
