package server_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/demo"
	"pasokan/internal/testapp"
)

// facts are what the tables hold of one supplier, read as the system: what
// its page must show the ministry.
type facts struct {
	LegalName, NIB, Email, Status string
	Curator                       string
	OwnerID                       int64
	Documents                     []string
	Orders                        []int64
	Events                        int
}

func supplierFacts(t *testing.T, app *testapp.App, orgID int64) facts {
	t.Helper()
	ctx := context.Background()
	var f facts
	err := app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT p.legal_name, p.nib, u.email, u.id AS owner_id, a.status,
       coalesce((SELECT g.name FROM organizations g WHERE g.id = a.assigned_org_id), '') AS curator,
       (SELECT count(*)::int FROM application_events e WHERE e.organization_id = p.organization_id) AS events,
       '{}'::text[] AS documents, '{}'::bigint[] AS orders
  FROM supplier_profiles p
  JOIN applications a ON a.organization_id = p.organization_id
  JOIN memberships m ON m.organization_id = p.organization_id AND m.role = 'owner'
  JOIN users u ON u.id = m.user_id
 WHERE p.organization_id = $1`, orgID)
		var err error
		if f, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[facts]); err != nil {
			return err
		}
		rows, _ = tx.Query(ctx, `SELECT file_name FROM documents WHERE organization_id = $1 AND removed_at IS NULL`, orgID)
		if f.Documents, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return err
		}
		rows, _ = tx.Query(ctx, `SELECT id FROM orders WHERE supplier_org_id = $1 ORDER BY id DESC`, orgID)
		f.Orders, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// The ministry finds a supplier by its name, NIB or owner's e-mail and
// reads on one page what the tables hold of it: profile, application and
// its curator, documents, timeline, people and every order (page by page);
// nobody else reaches that page by its id.
func TestMinistrySeesAnOrganisationWhole(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 330)
	// The curated supplier with documents and the most orders.
	orgs := systemIDs(t, app, `SELECT a.organization_id FROM applications a
 WHERE a.status = 'curated' AND EXISTS (SELECT 1 FROM documents d WHERE d.organization_id = a.organization_id)
 ORDER BY (SELECT count(*) FROM orders o WHERE o.supplier_org_id = a.organization_id) DESC, a.id LIMIT 1`)
	if len(orgs) == 0 {
		t.Fatal("the demo has no curated supplier with documents")
	}
	org := orgs[0]
	f := supplierFacts(t, app, org)
	if len(f.Orders) == 0 {
		t.Fatal("the demo's curated suppliers have no orders")
	}
	page := "/admin/organizations/" + itoa(org)

	c := app.Client(t)
	c.Login("admin@pasokan.test", demo.Password, "/admin")
	for _, q := range []string{f.NIB, f.Email, strings.ToUpper(f.LegalName)} {
		res := c.Get("/admin/organizations?" + url.Values{"q": {q}}.Encode())
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `href="`+page+`"`) {
			t.Errorf("search %q (%d) does not find the supplier", q, res.StatusCode)
		}
	}
	res := c.Get("/admin/organizations?q=a")
	if !strings.Contains(res.Body, `data-testid="org-search-short"`) {
		t.Error("a one-letter search is not told to type more")
	}
	// Two letters are a word's beginning (migration 0049): "CV" finds the
	// organisations with a word that begins so, and asks for nothing more.
	res = c.Get("/admin/organizations?q=CV")
	if strings.Contains(res.Body, `data-testid="org-search-short"`) || !strings.Contains(res.Body, `href="/admin/organizations/`) {
		t.Error("a two-letter search finds no organisation, or is told to type more")
	}

	res = c.Get(page)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", page, res.StatusCode)
	}
	for what, want := range map[string]string{
		"legal name": f.LegalName, "NIB": f.NIB, "owner's e-mail": f.Email, "curator": f.Curator,
		"suspension form": "/suspension", "audit link": `/admin/audit?org=` + itoa(org),
	} {
		if !strings.Contains(res.Body, html.EscapeString(want)) {
			t.Errorf("the page lacks the %s %q", what, want)
		}
	}
	for _, d := range f.Documents {
		if !strings.Contains(res.Body, html.EscapeString(d)) {
			t.Errorf("the page lacks the document %q", d)
		}
	}
	if got := strings.Count(sectionOf(res.Body, `class="timeline"`, "</ol>"), "<li"); got != f.Events {
		t.Errorf("timeline shows %d events, the tables hold %d", got, f.Events)
	}
	if strings.Contains(res.Body, `name="check_`) || strings.Contains(res.Body, `/samples/`) {
		t.Error("the ministry's page carries a curator's controls")
	}
	got := listAll(t, c, page, orderLink, len(f.Orders))
	if len(got) != len(f.Orders) {
		t.Fatalf("the pages list %d orders, the supplier has %d", len(got), len(f.Orders))
	}
	for i := range got {
		if got[i] != f.Orders[i] {
			t.Fatalf("order %d is %d, want %d", i, got[i], f.Orders[i])
		}
	}

	// A buyer's page lists the buyer's orders, every page of them, and
	// no dossier (the page reads both kinds' with the organisation).
	buyer := systemIDs(t, app, `SELECT buyer_org_id FROM orders GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`)[0]
	bought := systemIDs(t, app, `SELECT id FROM orders WHERE buyer_org_id = `+itoa(buyer)+` ORDER BY id DESC`)
	if got := listAll(t, c, "/admin/organizations/"+itoa(buyer), orderLink, len(bought)); !slices.Equal(got, bought) {
		t.Errorf("the buyer's pages list orders %v, the buyer has %v", got, bought)
	}
	if res := c.Get("/admin/organizations/" + itoa(buyer)); strings.Contains(res.Body, `class="timeline"`) {
		t.Error("a buyer's page shows a dossier")
	}

	// The supplier itself and a curator get the page of a record that is
	// not theirs: none.
	for _, who := range []struct{ email, home string }{{"umkm@pasokan.test", "/supplier"}, {"kurator@pasokan.test", "/curation"}} {
		o := app.Client(t)
		o.Login(who.email, demo.Password, who.home)
		for _, p := range []string{page, "/admin/organizations?q=" + url.QueryEscape(f.NIB)} {
			if r := o.Get(p); r.StatusCode != http.StatusNotFound {
				t.Errorf("%s GET %s: %d", who.email, p, r.StatusCode)
			}
		}
		if r := o.Post("/admin/users/"+itoa(f.OwnerID)+"/role", url.Values{"role": {"member"}, "organization_id": {itoa(org)}}); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s changing a role: %d", who.email, r.StatusCode)
		}
	}

	// The sole owner cannot be made a member: the page says why and the
	// role stays.
	res = c.Post("/admin/users/"+itoa(f.OwnerID)+"/role", url.Values{"role": {"member"}, "organization_id": {itoa(org)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("role change: %d", res.StatusCode)
	}
	res = c.Get(page)
	if !strings.Contains(res.Body, "sedikitnya satu pemilik") {
		t.Error("the refusal to leave no owner is not told")
	}
	if roles := systemIDs(t, app, `SELECT count(*) FROM memberships WHERE organization_id = `+itoa(org)+` AND role = 'owner'`); roles[0] != 1 {
		t.Errorf("owners after a refused change: %d", roles[0])
	}
}

// sectionOf is the part of body from the first from to the next to.
func sectionOf(body, from, to string) string {
	i := strings.Index(body, from)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	if j := strings.Index(rest, to); j >= 0 {
		return rest[:j]
	}
	return rest
}

// TestOrganisationSearchThatStopsShortGoesOn: a name search whose every
// word and pair is common reads at most account.SearchScan entries for a
// page; the page says it stopped and links to the search going on, which
// finds the organisation that has them all. The audit log's organisation
// filter asks for the whole name rather than saying nothing matched.
func TestOrganisationSearchThatStopsShortGoesOn(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	asOwner(t, app, `INSERT INTO organizations (kind, name, slug) VALUES ('supplier', 'Konveksi Maju Jaya Sentosa', 'maju-jaya-sentosa')`)
	asOwner(t, app, `INSERT INTO organizations (kind, name, slug)
SELECT 'supplier', n || ' ' || i, 'banyak-' || i || '-' || j
  FROM generate_series(1, $1::int) i, (VALUES (1, 'Jaya Sentosa'), (2, 'Maju Jaya')) v (j, n)
 ORDER BY i, j`, account.SearchScan+100)
	c := app.Client(t)
	c.Login("admin@pasokan.test", demo.Password, "/admin")
	res := c.Get("/admin/organizations?" + url.Values{"q": {"Maju Jaya Sentosa"}}.Encode())
	further := regexp.MustCompile(`<a rel="next" href="([^"]+)" data-testid="org-search-further"`).FindStringSubmatch(res.Body)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `data-testid="org-search-stopped"`) ||
		strings.Contains(res.Body, `data-testid="org-search-none"`) || further == nil {
		t.Fatalf("a search that stopped short (%d) does not say so, or offers no way on", res.StatusCode)
	}
	if strings.Contains(res.Body, "Konveksi Maju Jaya Sentosa") {
		t.Fatal("the oldest organisation is found by a walk that should stop before it")
	}
	res = c.Get(html.UnescapeString(further[1]))
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Konveksi Maju Jaya Sentosa") ||
		strings.Contains(res.Body, `data-testid="org-search-stopped"`) {
		t.Errorf("the search going on (%d) does not find the organisation, or stops again", res.StatusCode)
	}
	res = c.Get("/admin/audit?" + url.Values{"org": {"Maju Jaya Sentosa"}}.Encode())
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "pencarian berhenti sebelum menemukannya") {
		t.Errorf("the audit log's filter (%d) does not ask for the whole name", res.StatusCode)
	}
}
