package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"pasokan/internal/curation"
	"pasokan/internal/testapp"
)

// A curation that passes cloth masks and fails isolation gowns says so at
// the top of the supplier's dashboard, product by product, with the items
// the failed product missed and the curator's note, and a way to try
// again; the e-mail of the decision leads to the certificate.
func TestPartialCurationShowsEachProduct(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	ctx := context.Background()
	admin := actorOf(t, app, "admin@pasokan.test")
	cur := actorOf(t, app, "kurator@pasokan.test")
	if err := app.Curation.AddRule(ctx, admin, curation.Rule{CuratorOrgID: cur.OrgID}); err != nil {
		t.Fatal(err)
	}
	c := newSupplier(t, app, "dewi@contoh.id")
	c.Post("/supplier/profile", profileForm)
	c.Post("/supplier/application/products", productForm)
	gown := url.Values{"product_type": {"gaun-isolasi"}, "monthly_capacity": {"2000"}, "price_min": {"35.000"}, "price_max": {"60.000"}}
	if r := c.Post("/supplier/application/products", gown); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("second product: %d", r.StatusCode)
	}
	upload(t, c, app, "photo", "foto.png", pngFile(t, 21))
	upload(t, c, app, "nib", "nib.pdf", append(minimalPDF, 21))
	m := versionRe.FindStringSubmatch(c.Get("/supplier/application").Body)
	if r := c.Post("/supplier/application/submit", url.Values{"version": {m[1]}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", r.StatusCode)
	}
	app.Assign(t)
	sup := actorOf(t, app, "dewi@contoh.id")
	sapp, err := app.Suppliers.Application(ctx, sup)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Curation.Claim(ctx, cur, sapp.ID, sapp.Version); err != nil {
		t.Fatal(err)
	}
	sapp, _ = app.Suppliers.Application(ctx, sup)
	cc, err := app.Curation.ChecklistsFor(ctx, []string{"masker-kain", "gaun-isolasi"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	checks := map[int64]curation.Answer{}
	for _, cl := range cc.All() {
		for _, it := range cl.Items {
			checks[it.ID] = curation.AnswerPass
		}
	}
	var failed curation.Item
	for _, it := range cc.Products["gaun-isolasi"].Items {
		if it.Gate {
			failed = it
			checks[it.ID] = curation.AnswerFail
			break
		}
	}
	if failed.ID == 0 {
		t.Fatal("the isolation gown's checklist has no gate item")
	}
	out, err := app.Curation.Decide(ctx, cur, sapp.ID, curation.Decision{Kind: curation.DecisionCurate,
		Reason: "Gaun belum diuji ketahanan cairan.", Version: sapp.Version, Checks: checks, Links: testapp.RegistryLinks(cc.All()...)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.CuratedProducts) != 1 || out.CuratedProducts[0] != "masker-kain" {
		t.Fatalf("curated products: %v, want only cloth masks", out.CuratedProducts)
	}

	dash := c.Get("/supplier")
	results := strings.Index(dash.Body, `data-testid="product-results"`)
	if results < 0 || results > strings.Index(dash.Body, `data-testid="tasks"`) {
		t.Fatal("the dashboard shows no per-product results above the steps")
	}
	mask := section(dash.Body, `data-testid="result-masker-kain"`)
	gownResult := section(dash.Body, `data-testid="result-gaun-isolasi"`)
	if !strings.Contains(mask, "Lolos, tampil di katalog") || strings.Contains(mask, "Belum lolos") {
		t.Errorf("the cloth masks' result: %q", mask)
	}
	for _, want := range []string{"Belum lolos", failed.TextID, "Gaun belum diuji ketahanan cairan.", `href="/supplier/listing#proposals"`} {
		if !strings.Contains(gownResult, want) {
			t.Errorf("the gowns' result lacks %q", want)
		}
	}
	if !strings.Contains(dash.Body, "Sebagian produk Anda lolos kurasi") {
		t.Error("the dashboard does not say the curation was partial")
	}
	// The decision's e-mail leads to the certificate.
	app.Deliver(t)
	if link := app.LinkIn(t, "dewi@contoh.id", "application_curated"); !strings.HasSuffix(link, "/supplier/certificate") {
		t.Errorf("the curated e-mail links to %q, want the certificate", link)
	}
}

// section is the part of body from the element marked by attr to the end
// of its list item.
func section(body, attr string) string {
	at := strings.Index(body, attr)
	if at < 0 {
		return ""
	}
	rest := body[at:]
	if next := strings.Index(rest[len(attr):], `data-testid="result-`); next >= 0 {
		rest = rest[:len(attr)+next]
	}
	return rest
}
