package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/curation"
	"pasokan/internal/database"
	"pasokan/internal/testapp"
)

// submittedSupplier signs up a supplier, completes and submits its
// application (a cloth mask, and the more products given), and lets the
// portal assign it to the demo curation partner.
func submittedSupplier(t *testing.T, app *testapp.App, email string, shade uint8, more ...url.Values) (*testapp.Client, string) {
	t.Helper()
	ctx := context.Background()
	admin := actorOf(t, app, "admin@pasokan.test")
	partner := actorOf(t, app, "kurator@pasokan.test")
	if err := app.Curation.AddRule(ctx, admin, curation.Rule{CuratorOrgID: partner.OrgID}); err != nil {
		t.Fatal(err)
	}
	c := newSupplier(t, app, email)
	c.Post("/supplier/profile", profileForm)
	c.Post("/supplier/application/products", productForm)
	for _, p := range more {
		if r := c.Post("/supplier/application/products", p); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("product %s: %d", p.Get("product_type"), r.StatusCode)
		}
	}
	upload(t, c, app, "photo", "foto.png", pngFile(t, shade))
	upload(t, c, app, "nib", "nib.pdf", append(minimalPDF, shade))
	page := c.Get("/supplier/application")
	m := versionRe.FindStringSubmatch(page.Body)
	if r := c.Post("/supplier/application/submit", url.Values{"version": {m[1]}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", r.StatusCode)
	}
	app.Assign(t)
	id, err := app.Accounts.UserIDByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := app.Accounts.Memberships(ctx, id)
	a, _ := app.Accounts.LoadActor(ctx, id, ms[0].OrgID)
	sapp, err := app.Suppliers.Application(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return c, "/curation/applications/" + itoa(sapp.ID)
}

var (
	checkRe  = regexp.MustCompile(`name="(check_\d+)" value="pass"`)
	docRe    = regexp.MustCompile(`href="(/documents/\d+)"`)
	verifyRe = regexp.MustCompile(`/verify/([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})`)
)

// allPass answers every checklist item of a review page with pass, with
// the register's page where an item asks for it.
func allPass(page string, version string, decision string) url.Values {
	f := url.Values{"version": {version}, "decision": {decision}}
	for _, m := range checkRe.FindAllStringSubmatch(page, -1) {
		f.Set(m[1], "pass")
	}
	withLinks(f, page)
	return f
}

// withLinks records the register's page with every item that asks for it.
func withLinks(f url.Values, page string) {
	for _, m := range linkFieldRe.FindAllStringSubmatch(page, -1) {
		f.Set(m[1], testapp.RegistryLink)
	}
}

func reviewVersion(t *testing.T, page string) string {
	t.Helper()
	m := versionRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no version on the review page")
	}
	return m[1]
}

func TestCurationJourneyOverHTTP(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	sup, path := submittedSupplier(t, app, "siti@contoh.id", 7)
	cur := app.Client(t)
	cur.Login("kurator@pasokan.test", "pasokan-demo", "/curation")

	queue := cur.Get("/curation")
	if !strings.Contains(queue.Body, path) {
		t.Fatalf("the application is not in the queue")
	}
	page := cur.Get(path)
	if page.StatusCode != 200 || !strings.Contains(page.Body, "CV Maju Jaya") {
		t.Fatalf("review page: %d", page.StatusCode)
	}
	// Documents of the assigned supplier show inline.
	doc := docRe.FindStringSubmatch(page.Body)
	if doc == nil || cur.Get(doc[1]).StatusCode != 200 {
		t.Fatal("the curator cannot open the applicant's documents")
	}
	if r := cur.Post(path+"/claim", url.Values{"version": {reviewVersion(t, page.Body)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("claim: %d", r.StatusCode)
	}
	page = cur.Get(path)
	// Ask for a revision of the NIB.
	r := cur.Post(path+"/decision", url.Values{"version": {reviewVersion(t, page.Body)}, "decision": {"revise"},
		"revise_field_nib": {"NIB di profil berbeda dengan scan NIB"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("revise: %d\n%s", r.StatusCode, r.Body)
	}
	// The supplier sees the flag, fixes it and resubmits.
	sp := sup.Get("/supplier/application")
	if !strings.Contains(sp.Body, "NIB di profil berbeda dengan scan NIB") || !strings.Contains(sp.Body, "Perlu perbaikan") {
		t.Fatal("the supplier does not see what to revise")
	}
	// The flag leads to its field and is marked unchanged; nothing can be
	// sent until it changes; the dashboard's next step is the field.
	if !strings.Contains(sp.Body, `href="/supplier/profile#f-nib"`) || !strings.Contains(sp.Body, `data-testid="flag-unchanged"`) ||
		!strings.Contains(sp.Body, "Perlu perbaikan: 1 belum diubah") {
		t.Error("the flag does not link to the NIB field, or is not marked unchanged in the task list")
	}
	if strings.Contains(sp.Body, `action="/supplier/application/submit"`) || !strings.Contains(sp.Body, `data-testid="submit-blocked"`) {
		t.Error("the application can be sent before the flagged field changed")
	}
	if dash := sup.Get("/supplier"); !strings.Contains(dash.Body, `data-testid="fix-first" href="/supplier/profile#f-nib"`) &&
		!strings.Contains(dash.Body, `href="/supplier/profile#f-nib" data-testid="fix-first"`) {
		t.Error("the dashboard's next step does not lead to the flagged field")
	}
	if prof := sup.Get("/supplier/profile"); !strings.Contains(prof.Body, `id="flag-field-nib"`) ||
		strings.Index(prof.Body, `id="flag-field-nib"`) < strings.Index(prof.Body, `id="f-nib"`) {
		t.Error("the curator's note is not at the NIB field")
	}
	fixed := url.Values{}
	for k, v := range profileForm {
		fixed[k] = v
	}
	fixed.Set("nib", "9120001234568")
	if r := sup.Post("/supplier/profile", fixed); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("fix: %d", r.StatusCode)
	}
	sp = sup.Get("/supplier/application")
	if !strings.Contains(sp.Body, `data-testid="flag-changed"`) || !strings.Contains(sp.Body, `action="/supplier/application/submit"`) {
		t.Fatal("after the fix the flag is not marked changed, or the application cannot be sent")
	}
	if r := sup.Post("/supplier/application/submit", url.Values{"version": {versionRe.FindStringSubmatch(sp.Body)[1]}}); r.StatusCode != http.StatusSeeOther ||
		r.Header.Get("Location") != "/supplier/application/submitted" {
		t.Fatalf("resubmit: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	// The curator sees what changed, claims again, ticks the checklist and curates.
	page = cur.Get(path)
	if !strings.Contains(page.Body, "Perubahan sejak pengajuan sebelumnya") || !strings.Contains(page.Body, "9120001234568") {
		t.Fatal("the change is not shown to the curator")
	}
	if !strings.Contains(page.Body, "Perbaikan yang pernah diminta") || !strings.Contains(page.Body, "NIB di profil berbeda dengan scan NIB") {
		t.Error("the curator does not see the revision asked for before")
	}
	cur.Post(path+"/claim", url.Values{"version": {reviewVersion(t, page.Body)}})
	page = cur.Get(path)
	form := allPass(page.Body, reviewVersion(t, page.Body), "curate")
	if len(form) < 8 {
		t.Fatalf("too few checklist items on the page: %d", len(form))
	}
	if r := cur.Post(path+"/decision", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("curate: %d\n%s", r.StatusCode, r.Body)
	}
	dash := sup.Get("/supplier")
	if !strings.Contains(dash.Body, "Lolos kurasi") {
		t.Fatal("the supplier does not see the curated status")
	}
	cert := sup.Get("/supplier/certificate")
	m := verifyRe.FindStringSubmatch(cert.Body)
	if cert.StatusCode != 200 || m == nil {
		t.Fatalf("certificate: %d", cert.StatusCode)
	}
	v := app.Client(t).Get("/verify/" + m[1])
	if v.StatusCode != 200 || !strings.Contains(v.Body, "sah dan berlaku") || !strings.Contains(v.Body, "CV Maju Jaya") {
		t.Fatalf("verify: %d", v.StatusCode)
	}
	if r := app.Client(t).Get("/verify/AAAA-BBBB-CCCC"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown code: %d", r.StatusCode)
	}
	pdf := sup.Get("/supplier/certificate.pdf")
	if pdf.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.Body, "%PDF-") {
		t.Errorf("certificate PDF: %q", pdf.Header.Get("Content-Type"))
	}
	// Suspension takes it out and the certificate stops standing.
	page = cur.Get(path)
	if r := cur.Post(path+"/suspension", url.Values{"version": {reviewVersion(t, page.Body)}, "suspend_reason": {"Uji ulang gagal"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("suspend: %d", r.StatusCode)
	}
	if v := app.Client(t).Get("/verify/" + m[1]); !strings.Contains(v.Body, "tidak berlaku lagi") {
		t.Error("a suspended supplier's certificate still stands")
	}
}

func TestConcurrentDecisionsOneWins(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	_, path := submittedSupplier(t, app, "siti@contoh.id", 8)
	cur := app.Client(t)
	cur.Login("kurator@pasokan.test", "pasokan-demo", "/curation")
	page := cur.Get(path)
	cur.Post(path+"/claim", url.Values{"version": {reviewVersion(t, page.Body)}})
	page = cur.Get(path)
	version := reviewVersion(t, page.Body)
	forms := []url.Values{allPass(page.Body, version, "curate"), {"version": {version}, "decision": {"reject"}, "reason": {"Tidak memenuhi"}}}
	second := app.Client(t)
	second.Login("kurator@pasokan.test", "pasokan-demo", "/curation")
	clients := []*testapp.Client{cur, second}
	codes := make([]int, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() { codes[i] = clients[i].Post(path+"/decision", forms[i]).StatusCode })
	}
	wg.Wait()
	won, lost := 0, 0
	for _, c := range codes {
		switch c {
		case http.StatusSeeOther:
			won++
		case http.StatusConflict:
			lost++
		}
	}
	if won != 1 || lost != 1 {
		t.Fatalf("two decisions at once answered %v, want one 303 and one 409", codes)
	}
	var n struct{ Decisions, Reviews int }
	err := app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(context.Background(), `SELECT
  (SELECT count(*) FROM application_events WHERE application_id = $1 AND action IN ('application.curated', 'application.rejected')) AS decisions,
  (SELECT count(DISTINCT decision) FROM reviews WHERE application_id = $1) AS reviews`, strings.TrimPrefix(path, "/curation/applications/"))
		var err error
		n, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[struct{ Decisions, Reviews int }])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	decisions, reviews := n.Decisions, n.Reviews
	if decisions != 1 || reviews > 1 {
		t.Errorf("%d decision events and reviews of %d decisions, want 1 and at most 1", decisions, reviews)
	}
}

func TestGateFailurePreventsCurating(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	_, path := submittedSupplier(t, app, "siti@contoh.id", 9)
	cur := app.Client(t)
	cur.Login("kurator@pasokan.test", "pasokan-demo", "/curation")
	page := cur.Get(path)
	cur.Post(path+"/claim", url.Values{"version": {reviewVersion(t, page.Body)}})
	// A sample of a product the applicant did not declare is refused, not a 500.
	if r := cur.Post(path+"/samples", sampleForm("respirator", "x")); r.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, "produk yang diajukan pemohon") {
		t.Errorf("sample of an undeclared product: %d", r.StatusCode)
	}
	if r := cur.Post(path+"/samples", sampleForm("masker-kain", "Kirim 5 buah")); r.StatusCode != http.StatusSeeOther {
		t.Errorf("sample request: %d", r.StatusCode)
	}
	page = cur.Get(path)
	if !strings.Contains(page.Body, "Kirim 5 buah") {
		t.Error("the sample request is not shown")
	}
	form := allPass(page.Body, reviewVersion(t, page.Body), "curate")
	// Fail the first gate item on the page (the general checklist's NIB).
	gate := regexp.MustCompile(`(?s)id="f-(check_\d+)".{0,400}?wajib lulus`).FindStringSubmatch(page.Body)
	if gate == nil {
		t.Fatal("no gate item on the page")
	}
	form.Set(gate[1], "fail")
	r := cur.Post(path+"/decision", form)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Tidak dapat meloloskan") {
		t.Fatalf("curating with a failed gate: %d", r.StatusCode)
	}
	if page := cur.Get(path); !strings.Contains(page.Body, "Sedang dikurasi") {
		t.Error("the status changed after a refused decision")
	}
}

func TestReviewPageIsNotFoundForOthers(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	owner, path := submittedSupplier(t, app, "siti@contoh.id", 10)
	cur := app.Client(t)
	cur.Login("kurator@pasokan.test", "pasokan-demo", "/curation")
	doc := docRe.FindStringSubmatch(cur.Get(path).Body)
	if doc == nil {
		t.Fatal("no document on the review page")
	}
	// Another curator organisation.
	ctx := context.Background()
	admin := actorOf(t, app, "admin@pasokan.test")
	if _, err := app.Accounts.CreateOrganization(ctx, admin, accountNewCurator("Kurator Lain", "lain@contoh.id")); err != nil {
		t.Fatal(err)
	}
	link := strings.TrimPrefix(app.LinkIn(t, "lain@contoh.id", "invitation"), app.URL)
	other := app.Client(t)
	if r := other.Post(link, url.Values{"name": {"Kurator Lain"}, "password": {strong}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d", r.StatusCode)
	}
	if r := other.Get(path); r.StatusCode != http.StatusNotFound {
		t.Errorf("another curator organisation on the review page: %d", r.StatusCode)
	}
	if r := other.Get(doc[1]); r.StatusCode != http.StatusNotFound {
		t.Errorf("another curator organisation on a document: %d", r.StatusCode)
	}
	// The supplier and a buyer: the curation pages are not theirs.
	if r := owner.Get(path); r.StatusCode != http.StatusNotFound {
		t.Errorf("the supplier on its review page: %d", r.StatusCode)
	}
	buyer := app.Client(t)
	buyer.Login("pembeli@pasokan.test", "pasokan-demo", "/catalog")
	if r := buyer.Get(path); r.StatusCode != http.StatusNotFound {
		t.Errorf("a buyer on the review page: %d", r.StatusCode)
	}
	if r := buyer.Get(doc[1]); r.StatusCode != http.StatusNotFound {
		t.Errorf("a buyer on a document: %d", r.StatusCode)
	}
}

func TestMinistrySeesCurationFiguresAndSetsRules(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 330)
	admin := app.Client(t)
	admin.Login("admin@pasokan.test", "pasokan-demo", "/admin")
	dash := admin.Get("/admin")
	if dash.StatusCode != 200 || !strings.Contains(dash.Body, "Lama kurasi per organisasi kurator") || !strings.Contains(dash.Body, "Karya Nusantara") {
		t.Fatalf("dashboard: %d", dash.StatusCode)
	}
	if !strings.Contains(dash.Body, "Perlu dikurasi ulang") || !strings.Contains(dash.Body, "Masker kain") {
		t.Error("the cloth-mask curations due after SNI 8914:2020 are not listed")
	}
	page := admin.Get("/admin/assignment")
	if page.StatusCode != 200 {
		t.Fatalf("rules page: %d", page.StatusCode)
	}
	partner := actorOf(t, app, "kurator@pasokan.test")
	bad := admin.Post("/admin/assignment", url.Values{"curator_org_id": {itoa(partner.OrgID)}, "priority": {"banyak"}})
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "Isi angka bulat") {
		t.Errorf("bad priority: %d", bad.StatusCode)
	}
	r := admin.Post("/admin/assignment", url.Values{"curator_org_id": {itoa(partner.OrgID)}, "province_code": {"32"}, "category": {"masker"}, "priority": {"5"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("add rule: %d\n%s", r.StatusCode, r.Body)
	}
	if page := admin.Get("/admin/assignment"); !strings.Contains(page.Body, "Jawa Barat") {
		t.Error("the new rule is not listed")
	}
	// The ministry suspends a curated supplier from its organisation page.
	var curated struct{ OrganizationID, ID int64 }
	err := app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(context.Background(), `SELECT organization_id, id FROM applications WHERE status = 'curated' ORDER BY id LIMIT 1`)
		var err error
		curated, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[struct{ OrganizationID, ID int64 }])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	orgID, appID := curated.OrganizationID, curated.ID
	orgPage := admin.Get("/admin/organizations/" + itoa(orgID))
	m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(orgPage.Body)
	if m == nil || !strings.Contains(orgPage.Body, "Lolos kurasi") {
		t.Fatalf("no suspension form on a curated supplier's page")
	}
	noReason := admin.Post("/admin/applications/"+itoa(appID)+"/suspension", url.Values{"version": {m[1]}, "organization_id": {itoa(orgID)}})
	if noReason.StatusCode != http.StatusSeeOther || !strings.Contains(admin.Get("/admin/organizations/"+itoa(orgID)).Body, "Tuliskan alasannya") {
		t.Error("suspension without a reason was not refused with a message")
	}
	r = admin.Post("/admin/applications/"+itoa(appID)+"/suspension", url.Values{"version": {m[1]}, "organization_id": {itoa(orgID)}, "suspend_reason": {"Laporan mutu dari rumah sakit"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("suspend: %d", r.StatusCode)
	}
	if page := admin.Get("/admin/organizations/" + itoa(orgID)); !strings.Contains(page.Body, "Ditangguhkan") {
		t.Error("the supplier is not suspended")
	}
	// A curator cannot set rules.
	cur := app.Client(t)
	cur.Login("kurator@pasokan.test", "pasokan-demo", "/curation")
	if r := cur.Post("/admin/assignment", url.Values{"curator_org_id": {itoa(partner.OrgID)}}); r.StatusCode != http.StatusNotFound {
		t.Errorf("curator setting rules: %d", r.StatusCode)
	}
}
