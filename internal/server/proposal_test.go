package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/demo"
	"pasokan/internal/testapp"
)

// Proposals over HTTP: a curated supplier proposes a product from its
// listing page; only that product waits, the rest stays in the directory;
// its curators decide on the proposal's own page.

// proposalPair is a listed demo supplier without a respirator and a curator
// of the organisation its application is assigned to.
type proposalPair struct {
	SupplierEmail string
	CuratorEmail  string
	AppID         int64
	Slug          string
}

func findProposalPair(t *testing.T, app *testapp.App) proposalPair {
	t.Helper()
	ctx := context.Background()
	var p proposalPair
	err := app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT us.email AS supplier_email, uc.email AS curator_email, a.id AS app_id, l.slug
  FROM listings l
  JOIN applications a ON a.id = l.application_id
  JOIN memberships ms ON ms.organization_id = l.organization_id AND ms.role = 'owner'
  JOIN users us ON us.id = ms.user_id
  JOIN memberships mc ON mc.organization_id = a.assigned_org_id
  JOIN users uc ON uc.id = mc.user_id
 WHERE l.withdrawn_at IS NULL AND l.lapsed_at IS NULL
   AND NOT EXISTS (SELECT 1 FROM application_products p WHERE p.application_id = a.id AND p.product_type = 'respirator')
 ORDER BY l.organization_id, mc.user_id LIMIT 1`)
		var err error
		p, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[proposalPair])
		return err
	})
	if err != nil {
		t.Fatalf("a listed supplier and its curator: %v", err)
	}
	return p
}

var directoryProductRe = regexp.MustCompile(`data-testid="product"><h3>([^<]+)</h3>`)

// directoryProducts are the product names the public directory shows for a
// supplier.
func directoryProducts(t *testing.T, app *testapp.App, slug string) []string {
	t.Helper()
	r := app.Client(t).Get("/directory/" + slug)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("/directory/%s: %d", slug, r.StatusCode)
	}
	var out []string
	for _, m := range directoryProductRe.FindAllStringSubmatch(r.Body, -1) {
		out = append(out, m[1])
	}
	if len(out) == 0 {
		t.Fatalf("/directory/%s shows no product", slug)
	}
	return out
}

// proposalChecks answers every checklist item of a proposal's page with
// answer.
func proposalChecks(page, decision, answer string) url.Values {
	f := url.Values{"decision": {decision}}
	for _, m := range checkRe.FindAllStringSubmatch(page, -1) {
		f.Set(m[1], answer)
	}
	withLinks(f, page)
	return f
}

func TestCuratedSupplierProposesAndCuratorDecides(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 40)
	p := findProposalPair(t, app)
	before := directoryProducts(t, app, p.Slug)
	const respirator = "Respirator N95/KN95"
	if slices.Contains(before, respirator) {
		t.Fatal("the supplier lists a respirator already")
	}
	waiting := func() int {
		return count(t, app, `SELECT count(*) FROM product_proposals WHERE application_id = $1`, p.AppID)
	}

	// The supplier's listing page offers the form.
	sup := app.Client(t)
	sup.Login(p.SupplierEmail, demo.Password, "/supplier")
	page := sup.Get("/supplier/listing")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `action="/supplier/listing/proposals"`) ||
		!strings.Contains(page.Body, "Tambah produk atau perbarui izin") {
		t.Fatalf("listing page: %d", page.StatusCode)
	}

	// A mistake keeps what was typed, names the fields, and sends nothing.
	r := sup.Post("/supplier/listing/proposals", url.Values{"product_type": {"respirator"}, "monthly_capacity": {"12x"},
		"price_min": {"5.000"}, "price_max": {"3.000"}, "materials": {"Kain meltblown"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `class="form-errors"`) ||
		!strings.Contains(r.Body, `href="#p-monthly_capacity"`) || !strings.Contains(r.Body, `id="p-monthly_capacity-error"`) ||
		!strings.Contains(r.Body, `id="p-price_min-error"`) || !strings.Contains(r.Body, `value="12x"`) ||
		!strings.Contains(r.Body, "Kain meltblown") {
		t.Errorf("bad proposal: %d\n%s", r.StatusCode, r.Body)
	}
	if n := waiting(); n != 0 {
		t.Fatalf("a refused form stored %d proposals", n)
	}

	// The proposal: only the respirator waits.
	r = sup.Post("/supplier/listing/proposals", url.Values{"product_type": {"respirator"}, "monthly_capacity": {"5.000"},
		"lead_time_days": {"10"}, "price_min": {"15.000"}, "price_max": {"20.000"},
		"permit_number": {"KEMENKES RI AKD 20403020123"}, "materials": {"Kain meltblown lima lapis"}})
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/supplier/listing") {
		t.Fatalf("propose: %d to %q\n%s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	page = sup.Get("/supplier/listing")
	if !strings.Contains(page.Body, "Usulan dikirim ke kurator") || !strings.Contains(page.Body, `data-testid="proposal"`) ||
		!strings.Contains(page.Body, "Menunggu kurator") {
		t.Error("the listing page shows no waiting proposal after proposing")
	}
	if got := directoryProducts(t, app, p.Slug); !slices.Equal(got, before) {
		t.Errorf("while the respirator waits the directory lists %v, want %v", got, before)
	}

	// The curator finds it on the queue and opens its page.
	cur := app.Client(t)
	cur.Login(p.CuratorEmail, demo.Password, "/curation")
	proposalPath := "/curation/applications/" + itoa(p.AppID) + "/proposals/respirator"
	queue := cur.Get("/curation")
	if !strings.Contains(queue.Body, "Usulan pemasok terkurasi") || !strings.Contains(queue.Body, `href="`+proposalPath+`"`) {
		t.Fatal("the queue does not list the proposal")
	}
	page = cur.Get(proposalPath)
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Usulan produk baru: "+respirator) ||
		!strings.Contains(page.Body, "KEMENKES RI AKD 20403020123") || !strings.Contains(page.Body, "Kain meltblown lima lapis") ||
		!checkRe.MatchString(page.Body) {
		t.Fatalf("proposal page: %d\n%s", page.StatusCode, page.Body)
	}
	if review := cur.Get("/curation/applications/" + itoa(p.AppID)); !strings.Contains(review.Body, `href="`+proposalPath+`"`) {
		t.Error("the application's review page does not link the waiting product's proposal")
	}
	if r := cur.Get("/curation/applications/" + itoa(p.AppID) + "/proposals/apron"); r.StatusCode != http.StatusNotFound {
		t.Errorf("a product without a proposal: %d", r.StatusCode)
	}

	// Accepting with nothing answered, or refusing without a reason,
	// changes nothing.
	r = cur.Post(proposalPath, url.Values{"decision": {"accept"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `class="form-errors"`) {
		t.Errorf("accept unanswered: %d\n%s", r.StatusCode, r.Body)
	}
	r = cur.Post(proposalPath, url.Values{"decision": {"refuse"}, "reason": {"  "}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="f-reason-error"`) {
		t.Errorf("refuse without a reason: %d\n%s", r.StatusCode, r.Body)
	}
	r = cur.Post(proposalPath, url.Values{"decision": {"curate"}, "reason": {"x"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="f-decision-error"`) {
		t.Errorf("an unknown decision: %d", r.StatusCode)
	}
	if n := waiting(); n != 1 {
		t.Fatalf("refused decisions left %d proposals, want 1", n)
	}
	if got := directoryProducts(t, app, p.Slug); !slices.Equal(got, before) {
		t.Errorf("after refused decisions the directory lists %v, want %v", got, before)
	}

	// Every item passes: the respirator is curated and listed at once.
	r = cur.Post(proposalPath, proposalChecks(page.Body, "accept", "pass"))
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/curation" {
		t.Fatalf("accept: %d to %q\n%s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	if q := cur.Get("/curation"); !strings.Contains(q.Body, "Produk lolos kurasi") || strings.Contains(q.Body, `href="`+proposalPath+`"`) {
		t.Error("after the decision the queue says nothing, or still lists the proposal")
	}
	if got := directoryProducts(t, app, p.Slug); !slices.Contains(got, respirator) || len(got) != len(before)+1 {
		t.Errorf("after curation the directory lists %v, want %v and the respirator", got, before)
	}
	if n := waiting(); n != 0 {
		t.Errorf("%d proposals wait after the decision", n)
	}

	// New permits for it: current and proposed side by side; a refusal
	// needs a reason, and keeps the permits listed.
	r = sup.Post("/supplier/listing/proposals", url.Values{"product_type": {"respirator"},
		"permit_number": {"KEMENKES RI AKD 20403020999"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("propose permits (capacity and prices kept from the listing): %d\n%s", r.StatusCode, r.Body)
	}
	page = cur.Get(proposalPath)
	if !strings.Contains(page.Body, "Usulan izin baru") || !strings.Contains(page.Body, "KEMENKES RI AKD 20403020123") ||
		!strings.Contains(page.Body, "KEMENKES RI AKD 20403020999") || checkRe.MatchString(page.Body) {
		t.Errorf("permits page:\n%s", page.Body)
	}
	if r := cur.Post(proposalPath, url.Values{"decision": {"refuse"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("refuse permits without a reason: %d", r.StatusCode)
	}
	r = cur.Post(proposalPath, url.Values{"decision": {"refuse"}, "reason": {"Nomor izin tidak terdaftar di Kemenkes"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("refuse permits: %d\n%s", r.StatusCode, r.Body)
	}
	if q := cur.Get("/curation"); !strings.Contains(q.Body, "Usulan ditolak") {
		t.Error("no message after refusing")
	}
	if n := count(t, app, `SELECT count(*) FROM application_products WHERE application_id = $1 AND product_type = 'respirator'
   AND permit_number = 'KEMENKES RI AKD 20403020123' AND curation = 'curated'`, p.AppID); n != 1 {
		t.Error("a refusal changed the curated respirator's permit")
	}

	// Only curators of the assigned organisation reach the page.
	if r := buyer(t, app).Get(proposalPath); r.StatusCode != http.StatusNotFound {
		t.Errorf("a buyer on the proposal page: %d", r.StatusCode)
	}
}
