package server_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/testapp"
)

// The public side of the catalogue: the directory and its open data hold no
// personal data, the CSV is the directory, and a certificate's check answers
// machines. Helpers (listedSuppliers, asOwner, resync, buyer) are in
// catalog_test.go.

// marker is planted in every private field of some suppliers; no public
// page may show it.
const marker = "RAHASIA-123"

// markerDigits are the planted identifiers, as a page could show them.
var markerDigits = []string{"9999888877776", "999988887777666", "81299887766", "812-9988-7766"}

func leaks(body string) []string {
	var out []string
	if strings.Contains(strings.ToLower(body), strings.ToLower(marker)) {
		out = append(out, marker)
	}
	for _, d := range markerDigits {
		if strings.Contains(body, d) {
			out = append(out, d)
		}
	}
	return out
}

func TestDirectoryHoldsNoPersonalData(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 40)
	all := listedSuppliers(t, app)
	var orgs, apps []int64
	for _, l := range all[:3] {
		orgs, apps = append(orgs, l.org), append(apps, l.app)
	}
	// The business name stays the trading name; everything personal is the
	// marker.
	if n := asOwner(t, app, `UPDATE supplier_profiles p SET trading_name = l.name, legal_name = $2 || ' CV',
       nib = '9999888877776', npwp = '999988887777666', phone = '+6281299887766', address = $2 || ' Jl. Rahasia 1'
  FROM listings l WHERE l.organization_id = p.organization_id AND p.organization_id = ANY ($1)`, orgs, marker); n != 3 {
		t.Fatalf("marked %d profiles, want 3", n)
	}
	if n := asOwner(t, app, `UPDATE users SET name = $2 || ' Pemilik', email = 'rahasia-123-' || id || '@contoh.id'
 WHERE id IN (SELECT user_id FROM memberships WHERE organization_id = ANY ($1))`, orgs, marker); n < 3 {
		t.Fatalf("marked %d owners, want 3", n)
	}
	if n := asOwner(t, app, `UPDATE listings SET phone = '+6281299887766', email = 'rahasia-123@contoh.id', address = $2 || ' Jl. Rahasia 1'
 WHERE organization_id = ANY ($1)`, orgs, marker); n != 3 {
		t.Fatalf("marked %d listings, want 3", n)
	}
	resync(t, app, apps...)

	// Buyers see the contacts: the marker is really there.
	if r := buyer(t, app).Get("/catalog/" + all[0].slug); len(leaks(r.Body)) == 0 {
		t.Fatal("the buyer's page shows none of the planted contacts: the test plants nothing")
	}

	visitor := app.Client(t)
	paths := []string{"/directory", "/directory.csv", "/directory/data", "/directory?q=" + url.QueryEscape(all[0].name),
		"/directory?q=rahasia", "/directory?province=" + "32"}
	for _, l := range all[:3] {
		paths = append(paths, "/directory/"+l.slug, "/verify/"+l.certificate+".json")
	}
	for _, path := range paths {
		r := visitor.Get(path)
		if r.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", path, r.StatusCode)
			continue
		}
		if got := leaks(r.Body); len(got) > 0 {
			t.Errorf("%s shows personal data: %v", path, got)
		}
	}
	// Suppliers that are not curated (waiting, in revision, rejected),
	// marked the same way, and given the trading name of a listed one: no
	// page of the catalogue or the directory shows them, by slug or by any
	// search.
	var unlisted []string
	dbtest.Must(t, app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(context.Background(), `SELECT DISTINCT ON (a.status) o.slug FROM organizations o
  JOIN applications a ON a.organization_id = o.id
 WHERE a.status IN ('submitted', 'in_review', 'revision_requested', 'rejected') ORDER BY a.status, o.id`)
		var err error
		unlisted, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	}))
	if len(unlisted) < 2 {
		t.Fatalf("%d suppliers that are not curated, want several", len(unlisted))
	}
	if n := asOwner(t, app, `UPDATE supplier_profiles p SET trading_name = $3, legal_name = $2 || ' CV',
       nib = '9999888877776', npwp = '999988887777666', phone = '+6281299887766', address = $2 || ' Jl. Rahasia 1'
  FROM organizations o WHERE o.id = p.organization_id AND o.slug = ANY ($1)`, unlisted, marker, all[0].name); n != int64(len(unlisted)) {
		t.Fatalf("marked %d profiles of suppliers not curated, want %d", n, len(unlisted))
	}
	shopper := buyer(t, app)
	for _, slug := range unlisted {
		for _, c := range []struct {
			who  *testapp.Client
			path string
		}{{shopper, "/catalog/" + slug}, {visitor, "/directory/" + slug}} {
			if r := c.who.Get(c.path); r.StatusCode != http.StatusNotFound || len(leaks(r.Body)) > 0 {
				t.Errorf("%s (not curated): %d, shows %v", c.path, r.StatusCode, leaks(r.Body))
			}
		}
	}
	for _, path := range []string{"/catalog?q=rahasia", "/catalog?q=" + url.QueryEscape(all[0].name), "/catalog"} {
		r := shopper.Get(path)
		for _, slug := range unlisted {
			if strings.Contains(r.Body, "/catalog/"+slug+`"`) {
				t.Errorf("%s lists %s, which is not curated", path, slug)
			}
		}
		// (The listed suppliers marked above show their contacts here, to
		// buyers, as they should: only the entries are checked.)
		if r.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", path, r.StatusCode)
		}
	}

	// The directory's pages show the suppliers, and they and the pages
	// that inform are the only ones search engines may index.
	dir := visitor.Get("/directory")
	for _, l := range all {
		if !strings.Contains(dir.Body, `href="/directory/`+l.slug+`"`) {
			t.Errorf("the directory lacks %s", l.slug)
		}
	}
	for path, indexed := range map[string]bool{"/directory": true, "/directory/" + all[0].slug: true, "/directory.csv": true,
		"/directory/data": true, "/": true, "/help": true, "/privacy": true, "/standards": true,
		"/login": false, "/register": false, "/password/forgot": false, "/verify/" + all[0].certificate: false} {
		r := visitor.Get(path)
		if got := r.Header.Get("X-Robots-Tag"); (got == "") != indexed {
			t.Errorf("%s: X-Robots-Tag %q", path, got)
		}
	}
}

func TestDirectoryCSVIsTheDirectory(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 40)
	all := listedSuppliers(t, app)
	r := app.Client(t).Get("/directory.csv")
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		r.Header.Get("Content-Disposition") != `attachment; filename="pasokan-direktori.csv"` {
		t.Fatalf("CSV: %d %q %q", r.StatusCode, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"))
	}
	body, ok := strings.CutPrefix(r.Body, "\ufeff")
	if !ok {
		t.Fatal("the CSV does not start with a byte order mark")
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := []string{"business_name", "slug", "product_type", "product_name", "unit", "monthly_capacity", "lead_time_days",
		"price_min", "price_max", "province_code", "province_name", "regency_code", "regency_name", "size_class", "izin_edar",
		"sni", "curated_on", "confirmed_on", "certificate_code", "verify_url"}
	if !slices.Equal(rows[0], header) {
		t.Fatalf("header %v, want %v", rows[0], header)
	}
	if n := count(t, app, `SELECT count(*) FROM catalog_entries`); len(rows)-1 != n {
		t.Errorf("%d rows, want one per listed product: %d", len(rows)-1, n)
	}
	col := func(name string) int { return slices.Index(header, name) }
	perSlug := map[string]int{}
	for _, row := range rows[1:] {
		perSlug[row[col("slug")]]++
		if row[col("verify_url")] != app.URL+"/verify/"+row[col("certificate_code")] || row[col("province_name")] == "" ||
			row[col("product_name")] == "" || !slices.Contains([]string{"ya", "tidak"}, row[col("izin_edar")]) {
			t.Errorf("row %v", row)
		}
	}
	for _, l := range all {
		if perSlug[l.slug] != len(l.products) {
			t.Errorf("%s has %d rows, want %d", l.slug, perSlug[l.slug], len(l.products))
		}
	}

	// The dictionary documents every column, in both languages.
	data := app.Client(t).Get("/directory/data")
	for _, name := range header {
		if !strings.Contains(data.Body, "<code>"+name+"</code>") {
			t.Errorf("the dictionary lacks %s", name)
		}
	}
	if strings.Contains(data.Body, "catalog.data.") || !strings.Contains(data.Body, "CC BY 4.0") {
		t.Error("the dictionary shows a message key, or no licence")
	}
}

func TestVerifyAnswersMachines(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 40)
	l := listedSuppliers(t, app)[0]
	r := app.Client(t).Get("/verify/" + strings.ToLower(l.certificate) + ".json")
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("verify JSON: %d %q", r.StatusCode, r.Header.Get("Content-Type"))
	}
	var got struct {
		Code     string `json:"code"`
		Valid    bool   `json:"valid"`
		Revoked  bool   `json:"revoked"`
		Supplier struct {
			BusinessName string `json:"business_name"`
			ProvinceName string `json:"province_name"`
		} `json:"supplier"`
		Products []struct {
			ProductType      string   `json:"product_type"`
			ChecklistVersion int      `json:"checklist_version"`
			Standards        []string `json:"standards"`
		} `json:"products"`
		IssuedAt  string `json:"issued_at"`
		DecidedOn string `json:"decided_on"`
	}
	if err := json.Unmarshal([]byte(r.Body), &got); err != nil {
		t.Fatal(err)
	}
	if got.Code != l.certificate || !got.Valid || got.Revoked || got.Supplier.BusinessName != l.name ||
		got.Supplier.ProvinceName == "" || len(got.Products) == 0 || got.Products[0].ChecklistVersion == 0 || got.IssuedAt == "" {
		t.Errorf("verify JSON: %+v", got)
	}
	if strings.Contains(r.Body, "nib") || strings.Contains(r.Body, "NIB") {
		t.Errorf("the answer names the NIB: %s", r.Body)
	}
	if r := app.Client(t).Get("/verify/AAAA-BBBB-CCCC.json"); r.StatusCode != http.StatusNotFound ||
		!strings.Contains(r.Body, `"found":false`) {
		t.Errorf("unknown code: %d %s", r.StatusCode, r.Body)
	}
	admin := actorOf(t, app, "admin@pasokan.test")
	if err := app.Curation.Suspend(context.Background(), admin, l.app, l.appVersion, "Uji ulang gagal"); err != nil {
		t.Fatal(err)
	}
	if r := app.Client(t).Get("/verify/" + l.certificate + ".json"); !strings.Contains(r.Body, `"valid":false`) ||
		!strings.Contains(r.Body, `"revoked_reason":"suspended"`) {
		t.Errorf("suspended: %s", r.Body)
	}
}
