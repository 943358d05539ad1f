package e2e

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/curation"
	"pasokan/internal/database"
	"pasokan/internal/demo"
	"pasokan/internal/testapp"
)

// A supplier's hand sanitizer fails curation for lack of a PKD permit (its
// cloth masks pass). From that result, on its phone, the supplier asks the
// ministry for help; the ministry moves the request through its steps to
// issued, with a number checked for its format; the product returns to its
// curator for that item only, is curated, and the catalogue shows the
// number.
func TestSanitizerReturnsToItsCuratorWithThePermitTheMinistryHelpedObtain(t *testing.T) {
	t.Parallel()
	app := startApp(t)
	routeToPartner(t, app)
	s := httpSupplier{email: "wulan@contoh.id", org: "Higiena Wulan", legalName: "CV Higiena Wulan Garut",
		nib: "9120008765432", npwp: npwp15("07788990"), phone: "0813-2000-5505"}
	gel := url.Values{"product_type": {"hand-sanitizer-gel"}, "monthly_capacity": {"3000"}, "price_min": {"15.000"}, "price_max": {"25.000"}}
	submitOverHTTP(t, app, s, 33, gel)
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
	cc, err := app.Curation.ChecklistsFor(ctx, []string{"masker-kain", "hand-sanitizer-gel"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	checks := map[int64]curation.Answer{}
	for _, cl := range cc.All() {
		for _, it := range cl.Items {
			checks[it.ID] = curation.AnswerPass
		}
	}
	failed := false
	for _, it := range cc.Products["hand-sanitizer-gel"].Items {
		if it.Key == "permit_pkd" {
			checks[it.ID], failed = curation.AnswerFail, true
		}
	}
	if !failed {
		t.Fatal("the hand sanitizer's checklist has no PKD permit item")
	}
	out, err := app.Curation.Decide(ctx, cur, sapp.ID, curation.Decision{Kind: curation.DecisionCurate,
		Reason: "Belum ada izin edar PKD.", Version: sapp.Version, Checks: checks, Links: testapp.RegistryLinks(cc.All()...)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.CuratedProducts) != 1 || out.CuratedProducts[0] != "masker-kain" {
		t.Fatalf("curated products: %v, want only cloth masks", out.CuratedProducts)
	}

	// The supplier asks for help from the sanitizer's result.
	b := newBrowser(t, app, phone)
	b.open("/login")
	if st := b.login(s.email, ownerPassword); st != http.StatusOK {
		t.Fatalf("login: %d", st)
	}
	b.wantPath("/supplier")
	if st := b.click(`[data-testid="result-hand-sanitizer-gel"] [data-testid="permit-help"] a`); st != http.StatusOK {
		t.Fatalf("the permit-help page: %d", st)
	}
	for field, want := range map[string]string{"#f-product_type": "hand-sanitizer-gel", "#f-permit_kind": "pkd"} {
		if got, _ := b.attr(field+" option[selected]", "value"); got != want {
			t.Fatalf("%s chose %q, want %q: the result's product and permit", field, got, want)
		}
	}
	b.fill("#f-note", "Sudah punya sertifikat CPPKRTB, belum mengajukan PKD.")
	if st := b.click(`main form[action="/supplier/permits"] button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("the request: %d", st)
	}
	requestPath := b.path()
	if !strings.HasPrefix(requestPath, "/supplier/permits/") {
		t.Fatalf("after asking, the page is %s", requestPath)
	}
	id := strings.TrimPrefix(requestPath, "/supplier/permits/")
	b.wantText(`[data-testid="permit-status"]`, msg("permit.status.requested"))
	b.wantFitsWidth()

	// The ministry moves it along; a malformed number is refused.
	m := newBrowser(t, app, laptop)
	m.open("/login")
	m.login("admin@pasokan.test", demo.Password)
	if st := m.click(`.site-nav a[href="/admin/permits"]`); st != http.StatusOK {
		t.Fatalf("the ministry's permit requests: %d", st)
	}
	if st := m.click(`[data-testid="permit-list"] a[href="/admin/permits/` + id + `"]`); st != http.StatusOK {
		t.Fatalf("the request: %d", st)
	}
	step := func(status string) string {
		return `form:has(input[name="status"][value="` + status + `"]) button[type="submit"]`
	}
	if st := m.click(step("documents_complete")); st != http.StatusOK {
		t.Fatalf("documents complete: %d", st)
	}
	m.wantText(`[data-testid="permit-status"]`, msg("permit.status.documents_complete"))
	if st := m.click(step("submitted")); st != http.StatusOK {
		t.Fatalf("submitted: %d", st)
	}
	today := time.Now().In(time.FixedZone("WIB", 7*60*60)).Format(time.DateOnly)
	m.fill("#f-permit_number", "PKD 2030302")
	m.setValue("#f-issued_on", today)
	if st := m.click(step("issued")); st != http.StatusUnprocessableEntity {
		t.Fatalf("a malformed number: %d", st)
	}
	if m.count(`.form-errors a[href="#f-permit_number"]`) != 1 {
		t.Fatalf("no error for the number: %s", m.textOr(".form-errors", "(none)"))
	}
	m.wantText(`[data-testid="permit-status"]`, msg("permit.status.submitted"))
	const number = "KEMENKES RI PKD 20303020456"
	m.fill("#f-permit_number", "kemenkes ri pkd20303020456")
	m.setValue("#f-issued_on", today)
	if st := m.click(step("issued")); st != http.StatusOK {
		t.Fatalf("issued: %d", st)
	}
	m.wantText(`[data-testid="permit-status"]`, msg("permit.status.issued"))
	m.wantText(`[data-testid="permit-number"]`, number)

	// The supplier sees it issued and where the product went.
	b.open(requestPath)
	b.wantText(`[data-testid="permit-status"]`, msg("permit.status.issued"))
	b.wantText(`[data-testid="permit-next"]`, msg("permit.next.issued_proposed"))

	// The curator decides on the sanitizer alone.
	c := newBrowser(t, app, curatorLaptop)
	c.open("/login")
	c.login(curatorEmail, demo.Password)
	proposal := "/curation/applications/" + strconv.FormatInt(sapp.ID, 10) + "/proposals/hand-sanitizer-gel"
	if st := c.click(`a[href="` + proposal + `"]`); st != http.StatusOK {
		t.Fatalf("the proposal from the queue: %d", st)
	}
	c.wantContains("main", number)
	var answered int
	c.eval(`(() => { let n = 0; document.querySelectorAll('#decision input[type="radio"][value="pass"]').forEach(r => { r.click(); n++; }); return n; })()`, &answered)
	if answered == 0 {
		t.Fatal("the proposal asks no checklist item")
	}
	c.eval(`(() => { document.querySelector('#decision input[name="decision"][value="accept"]').click(); return 0; })()`, &answered)
	// The permit's lookup in the register is recorded with its item: the
	// curator forgets the link, is told which field wants it, types it.
	if st := c.click(`#decision button[type="submit"]`); st != http.StatusUnprocessableEntity {
		t.Fatalf("accept without the register's link: %d, want 422", st)
	}
	c.wantContains(".form-errors", msg("error.registry_link_required"))
	c.fill(`#decision input[type="url"]`, testapp.RegistryLink)
	if st := c.click(`#decision button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("accept: %d: %s", st, c.textOr(".form-errors", ""))
	}

	// The catalogue lists the sanitizer with its permit number.
	var slug string
	if err := app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT slug FROM organizations WHERE id = $1`, sup.OrgID).Scan(&slug)
	}); err != nil {
		t.Fatal(err)
	}
	buyer := newBrowser(t, app, laptop)
	buyer.open("/login")
	buyer.login("pembeli@pasokan.test", demo.Password)
	if st := buyer.open("/catalog/" + slug); st != http.StatusOK {
		t.Fatalf("the supplier's catalogue page: %d", st)
	}
	buyer.wantContains("main", number)
}
