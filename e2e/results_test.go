package e2e

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"pasokan/internal/account"
	"pasokan/internal/curation"
	"pasokan/internal/testapp"
)

// loadActor is the actor email acts as, in its first organisation.
func loadActor(t *testing.T, app *testapp.App, email string) account.Actor {
	t.Helper()
	id, org := actorFor(t, app, email)
	a, err := app.Accounts.LoadActor(context.Background(), id, org)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// ownerPassword is the password submitOverHTTP signs its owners up with.
const ownerPassword = "benang katun tiga lapis"

// TestPartialCurationOnPhone: a curator passes the cloth masks and fails
// the isolation gowns on a gate item. The owner, on a 360 px phone, sees
// at the top of the dashboard, above the steps, each product's result:
// the masks in the catalogue, the gowns not yet, with the item they
// missed, the curator's note and a way to try again.
func TestPartialCurationOnPhone(t *testing.T) {
	t.Parallel()
	app := startApp(t)
	routeToPartner(t, app)
	s := httpSupplier{email: "ratna@contoh.id", org: "Busana Ratna", legalName: "CV Busana Ratna Cimahi",
		nib: "9120007654321", npwp: npwp15("05566778"), phone: "0813-2000-3303"}
	gown := url.Values{"product_type": {"gaun-isolasi"}, "monthly_capacity": {"2000"}, "price_min": {"35.000"}, "price_max": {"60.000"}}
	submitOverHTTP(t, app, s, 31, gown)
	app.Assign(t)

	ctx := context.Background()
	cur, sup := loadActor(t, app, curatorEmail), loadActor(t, app, s.email)
	sapp, err := app.Suppliers.Application(ctx, sup)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Curation.Claim(ctx, cur, sapp.ID, sapp.Version); err != nil {
		t.Fatal(err)
	}
	if sapp, err = app.Suppliers.Application(ctx, sup); err != nil {
		t.Fatal(err)
	}
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
			failed, checks[it.ID] = it, curation.AnswerFail
			break
		}
	}
	if failed.ID == 0 {
		t.Fatal("the isolation gown's checklist has no gate item")
	}
	const note = "Gaun belum diuji ketahanan cairan; lampirkan hasil uji laboratorium."
	out, err := app.Curation.Decide(ctx, cur, sapp.ID, curation.Decision{Kind: curation.DecisionCurate,
		Reason: note, Version: sapp.Version, Checks: checks, Links: testapp.RegistryLinks(cc.All()...)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.CuratedProducts) != 1 || out.CuratedProducts[0] != "masker-kain" {
		t.Fatalf("curated products: %v, want only cloth masks", out.CuratedProducts)
	}

	b := newBrowser(t, app, phone)
	b.open("/login")
	if st := b.login(s.email, ownerPassword); st != http.StatusOK {
		t.Fatalf("login ended on a %d page: %s", st, b.textOr("main", ""))
	}
	b.wantPath("/supplier")
	results, tasks := `[data-testid="product-results"]`, `[data-testid="tasks"]`
	var above bool
	b.eval(`(() => { const r = document.querySelector(`+js(results)+`), t = document.querySelector(`+js(tasks)+`);
		return !!r && (!t || r.getBoundingClientRect().top < t.getBoundingClientRect().top); })()`, &above)
	if !above {
		t.Fatalf("the dashboard shows no product results above its steps: %s", b.textOr("main", ""))
	}
	b.wantContains("main", msg("results.partial"))
	b.wantContains(`[data-testid="result-masker-kain"]`, msg("results.curated"))
	gownResult := `[data-testid="result-gaun-isolasi"]`
	b.wantContains(gownResult, msg("results.not_curated"))
	b.wantContains(gownResult, note)
	b.wantContains(gownResult, failed.TextID)
	if n := b.count(gownResult + ` a[href="/supplier/listing#proposals"]`); n != 1 {
		t.Errorf("the gowns' result offers %d ways to propose them again, want 1", n)
	}
	b.screenshot("results-partial-phone")
}

// TestIncompleteSubmissionShowsItsErrorAtTheTop: an owner's application is
// complete and offers "Ajukan"; meanwhile (another tab, another member)
// its photo is removed. The submit is refused, and the refusal stands at
// the top of the page, focused, with a link to what to do, never at the
// bottom beside the button.
func TestIncompleteSubmissionShowsItsErrorAtTheTop(t *testing.T) {
	t.Parallel()
	app := startApp(t)
	routeToPartner(t, app)
	s := httpSupplier{email: "sari@contoh.id", org: "Jahit Sari", legalName: "CV Jahit Sari Sumedang",
		nib: "9120006543210", npwp: npwp15("06677889"), phone: "0813-2000-4404"}
	fillOverHTTP(t, app, s, 32) // complete, not sent

	b := newBrowser(t, app, phone)
	b.open("/login")
	if st := b.login(s.email, ownerPassword); st != http.StatusOK {
		t.Fatalf("login ended on a %d page: %s", st, b.textOr("main", ""))
	}
	b.open("/supplier/application")
	b.wantText(applicationSubmit, msg("application.submit"))

	ctx := context.Background()
	sup := loadActor(t, app, s.email)
	sapp, err := app.Suppliers.Application(ctx, sup)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range sapp.Documents {
		if d.Kind == "photo" {
			if err := app.Suppliers.RemoveDocument(ctx, sup, d.ID); err != nil {
				t.Fatal(err)
			}
		}
	}

	if st := b.click(applicationSubmit); st == http.StatusSeeOther || st == http.StatusOK {
		t.Fatalf("an application without a photo was accepted (%d) at %s", st, b.path())
	}
	b.wantPath("/supplier/application/submit")
	summary := `main [data-testid="submit-error"]`
	var place struct {
		Top     float64 `json:"top"`
		Height  float64 `json:"height"`
		Focused bool    `json:"focused"`
	}
	b.eval(`(() => { const e = document.querySelector(`+js(summary)+`);
		if (!e) return {top: -1, height: innerHeight, focused: false};
		const r = e.getBoundingClientRect();
		return {top: r.top + scrollY, height: innerHeight, focused: document.activeElement === e}; })()`, &place)
	if place.Top < 0 {
		t.Fatalf("the refused submission shows no error summary: %s", b.textOr("main", ""))
	}
	if place.Top > place.Height/2 {
		t.Errorf("the error summary starts %.0f px down the page, want it in the top half of the first screen (%.0f px)", place.Top, place.Height)
	}
	if !place.Focused {
		t.Error("the error summary does not have the focus")
	}
	b.wantContains(summary, msg("error.incomplete"))
	if n := b.count(applicationSubmit); n != 0 {
		t.Errorf("the refused page still offers %d send buttons", n)
	}
	b.screenshot("submit-incomplete-phone")
}
