package server_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/testapp"
)

// count runs a count(*) query as the system.
func count(t *testing.T, app *testapp.App, sql string, args ...any) int {
	t.Helper()
	var n int
	err := app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), sql, args...).Scan(&n)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBadBytesAreFieldErrors: invalid UTF-8 or a NUL in a field answered 500
// ("invalid byte sequence for encoding UTF8"), anonymous sign-up and login
// included. A form that redraws itself names the field; others answer a 422
// page; nothing is stored.
func TestBadBytesAreFieldErrors(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)

	for _, bad := range []string{"Usaha\x00Biasa", "Usaha\xffBiasa", "Caf\xe9"} {
		form := registerForm("siti@contoh.id")
		form.Set("organization_name", bad)
		r := c.Post("/register", form)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "tidak dapat dibaca") ||
			!strings.Contains(r.Body, `value="Siti Rahmawati"`) || !strings.Contains(r.Body, `id="f-organization_name-error"`) {
			t.Errorf("sign-up with %q: %d\n%s", bad, r.StatusCode, r.Body)
		}
		if strings.Contains(r.Body, "\x00") || strings.Contains(r.Body, "\xff") || strings.Contains(r.Body, "\xe9") {
			t.Errorf("sign-up with %q: the bad bytes were drawn back into the page", bad)
		}
	}
	form := registerForm("siti@contoh.id")
	form.Set("organization_name", "Usaha Biasa\r\nReply-To: penipu@evil.example")
	if r := c.Post("/register", form); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "satu baris") {
		t.Errorf("sign-up with CR/LF in the name: %d", r.StatusCode)
	}
	if n := countUsers(t, app, "siti@contoh.id"); n != 0 {
		t.Errorf("%d users stored by refused sign-ups", n)
	}

	// Login does not redraw a field for it: the 422 page, in the person's
	// language.
	r := c.Post("/login", url.Values{"email": {"umkm@pasokan.test\x00"}, "password": {"pasokan-demo"}}, "Accept-Language", "en")
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "cannot be read") {
		t.Errorf("login with NUL: %d\n%s", r.StatusCode, r.Body)
	}
	if r := c.Post("/login", url.Values{"email\xff": {"x"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a field name with a bad byte: %d", r.StatusCode)
	}

	// Logged in: the profile names the field and keeps the rest.
	s := newSupplier(t, app, "rina@contoh.id")
	profiles, documents := count(t, app, `SELECT count(*) FROM supplier_profiles`), count(t, app, `SELECT count(*) FROM documents`)
	profile := url.Values{}
	for k, v := range profileForm {
		profile[k] = v
	}
	profile.Set("address", "Jl. Cigadung\x00 12")
	r = s.Post("/supplier/profile", profile)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="f-address-error"`) || !strings.Contains(r.Body, `value="CV Maju Jaya"`) {
		t.Errorf("profile with NUL: %d\n%s", r.StatusCode, r.Body)
	}
	if n := count(t, app, `SELECT count(*) FROM supplier_profiles`); n != profiles {
		t.Errorf("the profile was stored")
	}

	// Multipart text fields: the field is named, the file is not stored.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("kind", "photo\xff")
	fw, _ := mw.CreateFormFile("file", "foto.png")
	_, _ = fw.Write(pngFile(t, 3))
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, app.URL+"/supplier/documents", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if r := s.Do(req); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "tidak dapat dibaca") {
		t.Errorf("upload with a bad kind: %d", r.StatusCode)
	}
	if n := count(t, app, `SELECT count(*) FROM documents`); n != documents {
		t.Errorf("%d documents stored", n-documents)
	}
}

// TestBadBytesInTheAddressAre400: path parameters and queries reach
// Postgres as text too.
func TestBadBytesInTheAddressAre400(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	anon := app.Client(t)
	cur := app.Client(t)
	cur.Login("kurator@pasokan.test", "pasokan-demo", "/curation")
	admin := app.Client(t)
	admin.Login("admin@pasokan.test", "pasokan-demo", "/admin")
	tests := []struct {
		c    *testapp.Client
		path string
	}{
		{anon, "/verify/ABCD%00"},
		{anon, "/verify/%FF%FE"},
		{anon, "/invitations/%C3"},
		{anon, "/login?next=%2F%00"},
		{anon, "/?x=%FF"},
		{anon, "/?%FF=1"},
		{cur, "/curation?q=%00"},
		{cur, "/curation?q=Maju%E9"},
		{cur, "/curation?province=3%002"},
		{admin, "/admin/organizations?kind=%FF"},
	}
	for _, tt := range tests {
		r := tt.c.Get(tt.path)
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "Alamat tidak dapat dibaca") {
			t.Errorf("GET %s: %d", tt.path, r.StatusCode)
		}
	}
	// A POST with a bad query is refused the same way.
	if r := anon.Post("/register?x=%00", registerForm("siti@contoh.id")); r.StatusCode != http.StatusBadRequest {
		t.Errorf("POST with a bad query: %d", r.StatusCode)
	}
	if n := countUsers(t, app, "siti@contoh.id"); n != 0 {
		t.Error("stored")
	}
	// Ordinary text in a query still works.
	if r := cur.Get("/curation?q=" + url.QueryEscape("Konveksi Maju — Café")); r.StatusCode != http.StatusOK {
		t.Errorf("queue search: %d", r.StatusCode)
	}
}

// TestUnknownProvinceInAssignmentRule: a province that does not exist was a
// foreign-key error answered 500; it is a field error, and nothing is
// stored.
func TestUnknownProvinceInAssignmentRule(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	admin := app.Client(t)
	admin.Login("admin@pasokan.test", "pasokan-demo", "/admin")
	partner := actorOf(t, app, "kurator@pasokan.test")
	before := count(t, app, `SELECT count(*) FROM assignment_rules`)
	for _, province := range []string{"99", "32.73", "Jawa Barat", "3\x01", "00"} {
		r := admin.Post("/admin/assignment", url.Values{"curator_org_id": {itoa(partner.OrgID)}, "province_code": {province}, "priority": {"1"}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="f-province_code-error"`) {
			t.Errorf("province %q: %d\n%s", province, r.StatusCode, r.Body)
		}
	}
	for name, form := range map[string]url.Values{
		"unknown curator":  {"curator_org_id": {"987654321"}},
		"a buyer":          {"curator_org_id": {itoa(actorOf(t, app, "pembeli@pasokan.test").OrgID)}},
		"huge id":          {"curator_org_id": {"99999999999999999999"}},
		"unknown category": {"curator_org_id": {itoa(partner.OrgID)}, "category": {"baju"}},
		"huge priority":    {"curator_org_id": {itoa(partner.OrgID)}, "priority": {"2147483648"}},
	} {
		if r := admin.Post("/admin/assignment", form); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d", name, r.StatusCode)
		}
	}
	if after := count(t, app, `SELECT count(*) FROM assignment_rules`); after != before {
		t.Errorf("rules: %d before, %d after refused forms", before, after)
	}
	if r := admin.Post("/admin/assignment", url.Values{"curator_org_id": {itoa(partner.OrgID)}, "province_code": {"32"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("a known province: %d", r.StatusCode)
	}
}
