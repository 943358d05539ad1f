package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"pasokan/internal/testapp"
)

// TestStandardsPages: anyone reads what curators check, per product type,
// in the version in force and in every earlier one (issue 14): the cloth
// mask before and after SNI 8914:2020 (16 September 2020), the respirator
// before and after GB 2626-2019 (1 July 2020), with what changed, the
// items' sources and errata, in Indonesian and in English.
func TestStandardsPages(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)

	index := c.Get("/standards")
	if index.StatusCode != http.StatusOK {
		t.Fatalf("/standards: %d", index.StatusCode)
	}
	for _, want := range []string{`href="/standards/umum"`, `href="/standards/masker-kain"`, `href="/standards/respirator"`,
		`href="/standards/hand-sanitizer-cair"`, "Masker kain", "Versi 3", "3 versi", "2 versi"} {
		if !strings.Contains(index.Body, want) {
			t.Errorf("/standards lacks %q", want)
		}
	}

	// The cloth mask: SNI 8914:2020 from 16 September 2020 (with more of
	// its checks from 6 December 2026), the Gugus Tugas and WHO advice
	// before.
	now := c.Get("/standards/masker-kain")
	if now.StatusCode != http.StatusOK || !strings.Contains(now.Body, "Versi 3") || !strings.Contains(now.Body, "berlaku sejak 6 Desember 2026") ||
		!strings.Contains(now.Body, "berlaku sekarang") || !strings.Contains(now.Body, `data-testid="standards-changes"`) {
		t.Errorf("cloth mask now: %d\n%s", now.StatusCode, now.Body)
	}
	sni := c.Get("/standards/masker-kain?version=2")
	if !strings.Contains(sni.Body, `data-testid="source-SNI 8914:2020"`) || !strings.Contains(sni.Body, "berlaku 16 September 2020 sampai 5 Desember 2026") ||
		!strings.Contains(sni.Body, `data-testid="standards-not-current"`) {
		t.Error("cloth mask v2 is not SNI 8914:2020 from 16 September 2020 to 5 December 2026")
	}
	if !strings.Contains(now.Body, "408") || !strings.Contains(now.Body, "407") {
		t.Error("the SNI's note on its decree number is not shown")
	}
	v1 := c.Get("/standards/masker-kain?version=1")
	for _, want := range []string{"GUGUS-TUGAS-MASKER-KAIN-2020", "WHO/2019-nCoV/IPC_Masks/2020.4", "berlaku 1 April 2020 sampai 15 September 2020",
		`data-testid="standards-not-current"`, `data-testid="erratum"`, "Ralat:", `href="/standards/masker-kain?version=2"`} {
		if !strings.Contains(v1.Body, want) {
			t.Errorf("cloth mask v1 lacks %q", want)
		}
	}
	if strings.Contains(v1.Body, `data-testid="source-SNI 8914:2020"`) {
		t.Error("cloth mask v1 rests on SNI 8914:2020")
	}

	// The respirator: GB 2626-2006 until 30 June 2020, GB 2626-2019 from 1 July.
	r1, r2 := c.Get("/standards/respirator?version=1"), c.Get("/standards/respirator?version=2")
	// (version 3, from 6 December 2026, adds the checks a curator would
	// also make)
	if !strings.Contains(r1.Body, "GB 2626-2006") || !strings.Contains(r1.Body, "sampai 30 Juni 2020") || strings.Contains(r1.Body, "GB 2626-2019 KN95") {
		t.Error("respirator v1 is not the GB 2626-2006 checklist to 30 June 2020")
	}
	if !strings.Contains(r2.Body, "GB 2626-2019") || !strings.Contains(r2.Body, "berlaku 1 Juli 2020 sampai 5 Desember 2026") || !strings.Contains(r2.Body, "Yang berubah di versi 2") {
		t.Error("respirator v2 is not the GB 2626-2019 checklist from 1 July 2020")
	}

	// In English.
	if r := c.Post("/language", url.Values{"lang": {"en"}, "next": {"/standards/respirator"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("language: %d", r.StatusCode)
	}
	en := c.Get("/standards/respirator?version=2")
	for _, want := range []string{"Version 2", "in force from 1 July 2020 to 5 December 2026", "What changed in version 2", "Required", "Source:"} {
		if !strings.Contains(en.Body, want) {
			t.Errorf("the English page lacks %q", want)
		}
	}
	if strings.Contains(en.Body, "Wajib lulus") {
		t.Error("Indonesian on the English page")
	}

	// A supplier's application links each declared product to its
	// checklist.
	sup := app.Client(t)
	sup.Login("umkm@pasokan.test", "pasokan-demo", "/supplier")
	if page := sup.Get("/supplier/application"); !strings.Contains(page.Body, `data-testid="checklist-`) || !strings.Contains(page.Body, `href="/standards/`) {
		t.Error("the application does not link its products to their checklists")
	}

	// What is not there is 404.
	for _, path := range []string{"/standards/vaksin", "/standards/masker-kain?version=9", "/standards/masker-kain?version=x"} {
		if r := c.Get(path); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, r.StatusCode)
		}
	}
}

// TestProfileKeepsTheKBLIEdition: the profile form sends the KBLI's
// edition (2017 for a NIB from OSS before July 2021), the profile keeps it
// and the form shows it chosen (issue 14).
func TestProfileKeepsTheKBLIEdition(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := newSupplier(t, app, "rina@contoh.id")
	form := url.Values{}
	for k, v := range profileForm {
		form[k] = v
	}
	form.Set("kbli_edition", "2017")
	if r := c.Post("/supplier/profile", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the profile: %d", r.StatusCode)
	}
	if page := c.Get("/supplier/profile"); !strings.Contains(page.Body, `<option value="2017" selected>`) {
		t.Error("the profile does not show KBLI 2017 chosen")
	}
	form.Set("kbli_edition", "2015")
	if r := c.Post("/supplier/profile", form); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an unknown edition: %d, want 422", r.StatusCode)
	}
}

// TestProductionCertificateDocument: a supplier declaring a product that
// needs a distribution permit is asked for the production certificate the
// permit requires, uploads it as a document kind of its own, and sees it
// listed under that kind (issue 14).
func TestProductionCertificateDocument(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := newSupplier(t, app, "rina@contoh.id")
	if page := c.Get("/supplier/application"); strings.Contains(page.Body, `data-testid="certificate-hint"`) {
		t.Error("the certificate is asked for before any product needs a permit")
	}
	if r := c.Post("/supplier/application/products", productForm); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("cloth mask: %d", r.StatusCode)
	}
	if page := c.Get("/supplier/application"); strings.Contains(page.Body, `data-testid="certificate-hint"`) {
		t.Error("the certificate is asked for a cloth mask, which needs no permit")
	}
	gown := url.Values{"product_type": {"gaun-isolasi"}, "monthly_capacity": {"2.000"}, "price_min": {"35000"}, "price_max": {"60000"}}
	if r := c.Post("/supplier/application/products", gown); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("isolation gown: %d", r.StatusCode)
	}
	page := c.Get("/supplier/application")
	if !strings.Contains(page.Body, `data-testid="certificate-hint"`) || !strings.Contains(page.Body, "CPAKB") ||
		!strings.Contains(page.Body, `<option value="production_certificate">Sertifikat produksi (CPAKB/CPPKRTB)</option>`) {
		t.Fatal("the isolation gown's production certificate is not asked for")
	}
	if r := upload(t, c, app, "production_certificate", "cpakb.pdf", minimalPDF); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("uploading the certificate: %d\n%s", r.StatusCode, r.Body)
	}
	if page := c.Get("/supplier/application"); !strings.Contains(page.Body, "cpakb.pdf") {
		t.Error("the certificate is not listed")
	}
}
