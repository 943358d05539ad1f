package server_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"pasokan/internal/account"
	"pasokan/internal/testapp"
)

var profileForm = url.Values{
	"legal_name": {"CV Maju Jaya"}, "trading_name": {"Konveksi Maju"}, "legal_form": {"cv"}, "size_class": {"kecil"},
	"nib": {"9120001234567"}, "npwp": {"01.234.567.4-015.000"}, "kbli": {"14111"}, "original_sector": {"Konveksi"},
	"province_code": {"32"}, "regency_code": {"32.73"}, "address": {"Jl. Cigadung 12"}, "phone": {"0812-3456-7890"},
	"workforce": {"25"}, "equipment": {"20 mesin jahit"},
}

var productForm = url.Values{"product_type": {"masker-kain"}, "monthly_capacity": {"50.000"}, "price_min": {"2500"}, "price_max": {"4000"}}

func pngFile(t testing.TB, shade uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 200, 150))
	img.Set(1, 1, color.RGBA{shade, 0, 0, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var minimalPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func upload(t testing.TB, c *testapp.Client, app *testapp.App, kind, name string, data []byte) *testapp.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("kind", kind)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, app.URL+"/supplier/documents", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.Do(req)
}

func newSupplier(t *testing.T, app *testapp.App, email string) *testapp.Client {
	t.Helper()
	c := app.Client(t)
	if r := c.Post("/register", registerForm(email)); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("register %s: %d", email, r.StatusCode)
	}
	confirmEmail(t, app, c, email)
	return c
}

var versionRe = regexp.MustCompile(`name="version" value="(\d+)"`)

func TestSupplierJourneyOverHTTP(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := newSupplier(t, app, "siti@contoh.id")

	// Incomplete: the page says what is missing; submitting is refused.
	page := c.Get("/supplier/application")
	if page.StatusCode != 200 || !strings.Contains(page.Body, "Yang masih kurang") {
		t.Fatalf("application page: %d", page.StatusCode)
	}
	if strings.Contains(page.Body, `action="/supplier/application/submit"`) || !strings.Contains(page.Body, `data-testid="task-profile"`) {
		t.Error("an incomplete application offers the send button, or shows no task list")
	}
	r := c.Post("/supplier/application/submit", url.Values{"version": {"0"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Pengajuan belum lengkap") {
		t.Fatalf("incomplete submit: %d", r.StatusCode)
	}
	// The refusal is at the top, before the steps, never at the page's foot.
	if at := strings.Index(r.Body, `data-testid="submit-error"`); at < 0 || at > strings.Index(r.Body, `data-testid="tasks"`) {
		t.Error("the submission error is not at the top of the page")
	}

	if r := c.Post("/supplier/profile", profileForm); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("profile: %d\n%s", r.StatusCode, r.Body)
	}
	if page := c.Get("/supplier/profile"); !strings.Contains(page.Body, `value="01.234.567.4-015.000"`) || !strings.Contains(page.Body, "https://wa.me/6281234567890") {
		t.Error("profile page does not show the NPWP formatted and the wa.me link")
	}
	if r := c.Post("/supplier/application/products", productForm); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("product: %d\n%s", r.StatusCode, r.Body)
	}
	second := url.Values{"product_type": {"gaun-isolasi"}, "monthly_capacity": {"2000"}, "price_min": {"35.000"}, "price_max": {"60.000"}}
	if r := c.Post("/supplier/application/products", second); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("second product: %d", r.StatusCode)
	}
	if r := upload(t, c, app, "photo", "foto.png", pngFile(t, 1)); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("photo: %d\n%s", r.StatusCode, r.Body)
	}
	if r := upload(t, c, app, "nib", "nib.pdf", minimalPDF); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("pdf: %d", r.StatusCode)
	}
	page = c.Get("/supplier/application")
	if !strings.Contains(page.Body, "Lengkap, siap diajukan") || !strings.Contains(page.Body, "50.000") || !strings.Contains(page.Body, "Rp 35.000") {
		t.Fatalf("complete application page lacks the summary")
	}
	m := versionRe.FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatal("no version in the submit form")
	}
	// A double click: two submits of the same version at once.
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range 2 {
		wg.Go(func() { codes[i] = c.Post("/supplier/application/submit", url.Values{"version": {m[1]}}).StatusCode })
	}
	wg.Wait()
	if codes[0] != http.StatusSeeOther || codes[1] != http.StatusSeeOther {
		t.Errorf("double submit answered %v, want two 303s", codes)
	}
	// The confirmation: a reference number and what happens next.
	done := c.Get("/supplier/application/submitted")
	if done.StatusCode != http.StatusOK || !regexp.MustCompile(`data-testid="reference">PSK-\d{4}-\d{6}<`).MatchString(done.Body) ||
		!strings.Contains(done.Body, `data-testid="typical"`) || !strings.Contains(done.Body, `href="/supplier"`) {
		t.Errorf("the confirmation page: %d", done.StatusCode)
	}
	dash := c.Get("/supplier")
	if !strings.Contains(dash.Body, "Diajukan") || !strings.Contains(dash.Body, "Riwayat pengajuan") {
		t.Fatalf("dashboard after submit lacks status or timeline")
	}
	if n := strings.Count(dash.Body, "Diajukan untuk kurasi"); n != 1 {
		t.Errorf("timeline shows %d submissions, want 1", n)
	}
	// The owner is told by e-mail.
	app.Deliver(t)
	var mailed bool
	for _, e := range app.Emails(t) {
		mailed = mailed || (e.To == "siti@contoh.id" && e.Kind == "application_submitted" && e.Status == "kept")
	}
	if !mailed {
		t.Error("no submission e-mail to the owner")
	}
	// Now locked.
	if r := c.Post("/supplier/application/products", productForm); r.StatusCode != http.StatusSeeOther {
		t.Errorf("product after submit: %d", r.StatusCode)
	}
	if page := c.Get("/supplier/application"); strings.Contains(page.Body, `action="/supplier/application/products"`) {
		t.Error("the product form is still offered after submission")
	}
}

func TestSupplierBadInputKeepsTypedValues(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := newSupplier(t, app, "siti@contoh.id")
	tests := []struct {
		name, field, value, message string
	}{
		{"NIB of 12 digits", "nib", "912000123456", "NIB harus 13 angka"},
		{"NPWP with a wrong check digit", "npwp", "01.234.567.3-015.000", "salah ketik"},
		{"regency outside the province", "regency_code", "31.71", "tidak berada di provinsi"},
	}
	for _, tt := range tests {
		form := url.Values{}
		for k, v := range profileForm {
			form[k] = v
		}
		form.Set(tt.field, tt.value)
		r := c.Post("/supplier/profile", form)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, tt.message) {
			t.Errorf("%s: %d, message missing", tt.name, r.StatusCode)
		}
		if !strings.Contains(r.Body, `value="CV Maju Jaya"`) {
			t.Errorf("%s: typed values not kept", tt.name)
		}
	}
	if page := c.Get("/supplier/profile"); strings.Contains(page.Body, `value="CV Maju Jaya"`) {
		t.Error("an invalid profile was stored")
	}
	bad := []struct {
		name    string
		form    url.Values
		message string
	}{
		{"negative capacity", url.Values{"product_type": {"masker-kain"}, "monthly_capacity": {"-5"}, "price_min": {"1"}, "price_max": {"2"}}, "Isi kapasitas per bulan"},
		{"absurd capacity", url.Values{"product_type": {"masker-kain"}, "monthly_capacity": {"5000000000"}, "price_min": {"1"}, "price_max": {"2"}}, "Isi kapasitas per bulan"},
		{"minimum above maximum", url.Values{"product_type": {"masker-kain"}, "monthly_capacity": {"100"}, "price_min": {"5000"}, "price_max": {"4000"}}, "tidak boleh lebih tinggi"},
		{"malformed permit", url.Values{"product_type": {"masker-bedah"}, "monthly_capacity": {"100"}, "price_min": {"1"}, "price_max": {"2"}, "permit_number": {"AKD 123"}}, "tidak sesuai format"},
	}
	for _, tt := range bad {
		r := c.Post("/supplier/application/products", tt.form)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, tt.message) {
			t.Errorf("%s: %d, message missing", tt.name, r.StatusCode)
		}
		if !strings.Contains(r.Body, `value="`+tt.form.Get("monthly_capacity")+`"`) {
			t.Errorf("%s: capacity not kept", tt.name)
		}
	}
	// An HTML file renamed .pdf.
	r := upload(t, c, app, "nib", "nib.pdf", []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"))
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Jenis berkas tidak diterima") {
		t.Errorf("html as pdf: %d", r.StatusCode)
	}
	// An 11 MiB upload is refused with 413.
	r = upload(t, c, app, "photo", "besar.png", bytes.Repeat([]byte{0x89}, 11<<20))
	if r.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(r.Body, "Berkas terlalu besar") {
		t.Errorf("11 MiB upload: %d", r.StatusCode)
	}
	if page := c.Get("/supplier/application"); !strings.Contains(page.Body, "Belum ada dokumen") || !strings.Contains(page.Body, "Belum ada produk") {
		t.Error("bad input stored something")
	}
}

func TestDocumentsAreServedToTheirOrganisationOnly(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	owner := newSupplier(t, app, "siti@contoh.id")
	if r := upload(t, owner, app, "photo", "foto.png", pngFile(t, 3)); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", r.StatusCode)
	}
	page := owner.Get("/supplier/application")
	m := regexp.MustCompile(`href="(/documents/\d+)"`).FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatal("no document link")
	}
	r := owner.Get(m[1])
	if r.StatusCode != 200 || r.Header.Get("Content-Type") != "image/png" || r.Header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.Contains(r.Header.Get("Content-Security-Policy"), "sandbox") || !strings.Contains(r.Header.Get("Cache-Control"), "no-store") ||
		!strings.Contains(r.Header.Get("Content-Disposition"), `filename=foto.png`) {
		t.Errorf("document headers: %d %v", r.StatusCode, r.Header)
	}
	other := newSupplier(t, app, "budi@contoh.id")
	if r := other.Get(m[1]); r.StatusCode != http.StatusNotFound {
		t.Errorf("another supplier's member: %d, want 404", r.StatusCode)
	}
	buyer := app.Client(t)
	buyer.Login("pembeli@pasokan.test", "pasokan-demo", "/catalog")
	if r := buyer.Get(m[1]); r.StatusCode != http.StatusNotFound {
		t.Errorf("a buyer: %d, want 404", r.StatusCode)
	}
	if r := app.Client(t).Get(m[1]); r.StatusCode != http.StatusSeeOther {
		t.Errorf("a visitor: %d, want a redirect to login", r.StatusCode)
	}
	admin := app.Client(t)
	admin.Login("admin@pasokan.test", "pasokan-demo", "/admin")
	if r := admin.Get(m[1]); r.StatusCode != 200 {
		t.Errorf("the ministry: %d", r.StatusCode)
	}
	if r := other.Post(strings.Replace(m[1], "/documents/", "/supplier/documents/", 1)+"/delete", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("another supplier deleting: %d", r.StatusCode)
	}
}

func actorOf(t testing.TB, app *testapp.App, email string) account.Actor {
	t.Helper()
	ctx := context.Background()
	id, err := app.Accounts.UserIDByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := app.Accounts.Memberships(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Accounts.LoadActor(ctx, id, ms[0].OrgID)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func accountNewCurator(name, email string) account.NewOrganization {
	return account.NewOrganization{Kind: account.KindCurator, Name: name, AdminEmail: email}
}
