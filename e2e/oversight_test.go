package e2e

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/auditlog"
	"pasokan/internal/database"
	"pasokan/internal/demo"
	"pasokan/internal/testapp"
)

// The ministry finds a supplier by the NIB typed as it is printed, reads
// it whole on one page (its application as the curator saw it, its
// people, orders and requests), then its audit log, where a wrong address
// is told and kept; on a phone, the organisation's page and the log fit
// 360 px (every page passes the audit).
func TestMinistryFindsASupplierAndReadsItsAuditLog(t *testing.T) {
	t.Parallel()
	requireChromium(t)
	app := testapp.NewScale(t, 40)
	ctx := context.Background()
	// A curated supplier with documents and entries in the audit trail.
	type sample struct {
		ID               int64
		Name, NIB, Legal string
		Entries          int
	}
	var sup sample
	err := app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT o.id, o.name, p.nib, p.legal_name AS legal,
       (SELECT count(*)::int FROM audit_events e WHERE e.organization_id = o.id) AS entries
  FROM organizations o JOIN supplier_profiles p ON p.organization_id = o.id
  JOIN applications a ON a.organization_id = o.id AND a.status = 'curated'
 WHERE EXISTS (SELECT 1 FROM documents d WHERE d.organization_id = o.id)
 ORDER BY 5 DESC, o.id LIMIT 1`)
		var err error
		sup, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[sample])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	org, name, nib, legal, entries := sup.ID, sup.Name, sup.NIB, sup.Legal, sup.Entries
	if entries == 0 {
		t.Fatal("the demo's curated suppliers have no audit entries")
	}

	b := newBrowser(t, app, laptop)
	b.open("/login")
	if st := b.login("admin@pasokan.test", demo.Password); st != http.StatusOK {
		t.Fatalf("login: %d", st)
	}
	if st := b.click(`.site-nav a[href="/admin/organizations"]`); st != http.StatusOK {
		t.Fatalf("organisations: %d", st)
	}
	// The NIB as printed on the certificate, in groups.
	b.fill("#f-q", nib[:4]+" "+nib[4:8]+" "+nib[8:12]+" "+nib[12:])
	if st := b.click(`main form[role="search"] button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("search: %d", st)
	}
	if n := b.count(`[data-testid="org-list"] tbody tr`); n != 1 {
		t.Fatalf("the NIB finds %d organisations, want 1", n)
	}
	if st := b.click(`[data-testid="org-list"] tbody a`); st != http.StatusOK {
		t.Fatalf("the organisation's page: %d", st)
	}
	b.wantPath("/admin/organizations/" + strconv.FormatInt(org, 10))
	b.wantText("main h1", name)
	b.wantContains(`[data-testid="org-application"]`, legal)
	b.wantContains(`[data-testid="org-application"]`, nib)
	b.wantContains(`[data-testid="org-application"] .badge`, msg("status.curated"))
	if b.count(`[data-testid="org-application"] .review-documents a`) == 0 {
		t.Error("the page shows none of the supplier's documents")
	}
	if b.count(`[data-testid="org-application"] ol.timeline li`) == 0 {
		t.Error("the page shows no timeline")
	}
	if b.count(`[data-testid="org-application"] textarea[name^="revise"], [data-testid="org-application"] input[name^="check_"]`) != 0 {
		t.Error("the ministry's page carries a curator's controls")
	}
	if b.count(`[data-testid="org-members"] select[name="role"]`) == 0 {
		t.Error("no role can be changed")
	}

	// Its audit log, then a person's with a mistyped address.
	if st := b.click(`[data-testid="org-audit"]`); st != http.StatusOK {
		t.Fatalf("the organisation's audit log: %d", st)
	}
	b.wantContains("main h2#entries-heading", name)
	if got := b.count(`[data-testid="audit-entries"] tbody tr`); got != min(entries, auditlog.PageSize) {
		t.Errorf("the log shows %d entries, the trail holds %d", got, entries)
	}
	b.fill("#f-person", "admn@pasokan.test")
	if st := b.click(`main form[action="/admin/audit"] button[type="submit"]`); st != http.StatusUnprocessableEntity {
		t.Fatalf("an unknown person: %d", st)
	}
	b.wantContains(".form-errors", msg("error.audit_person_none"))
	if got := b.value("#f-person"); got != "admn@pasokan.test" {
		t.Errorf("the typed address became %q", got)
	}
	if b.count(`[data-testid="audit-entries"]`) != 0 {
		t.Error("a filter with an error lists entries")
	}
	b.fill("#f-person", "admin@pasokan.test")
	b.fill("#f-org", "")
	if st := b.click(`main form[action="/admin/audit"] button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("the ministry admin's entries: %d", st)
	}
	if href, _ := b.attr(`[data-testid="audit-csv"]`, "href"); !strings.Contains(href, "person=admin%40pasokan.test") {
		t.Errorf("the CSV link %q does not carry the filter", href)
	}

	p := newBrowser(t, app, phone)
	p.open("/login")
	if st := p.login("admin@pasokan.test", demo.Password); st != http.StatusOK {
		t.Fatalf("phone login: %d", st)
	}
	p.open("/admin/organizations/" + strconv.FormatInt(org, 10))
	p.wantFitsWidth()
	p.open("/admin/audit?org=" + strconv.FormatInt(org, 10))
	p.wantFitsWidth()

	// The assignment rules on the phone: a second general rule, added last,
	// moves up past the demo's one; the national curation page fits too.
	p.open("/admin/assignment")
	p.wantFitsWidth()
	p.choose("#f-curator_org_id", p.value(`#f-curator_org_id option:nth-child(2)`))
	if st := p.click(`main form[action="/admin/assignment"] button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("adding a rule: %d", st)
	}
	p.wantText("main .flash-success", msg("flash.rule_added"))
	order := p.texts(`[data-testid="rules"] tbody tr td:nth-child(1)`)
	if len(order) != 2 || p.count(`[data-testid="rules"] tbody tr:nth-child(2) [data-testid="rule-up"]`) != 1 {
		t.Fatalf("two general rules, the new one movable up: %q", order)
	}
	added, _ := p.attr(`[data-testid="rules"] tbody tr:nth-child(2)`, "data-rule")
	if st := p.click(`[data-testid="rules"] tbody tr:nth-child(2) [data-testid="rule-up"]`); st != http.StatusOK {
		t.Fatalf("moving a rule up: %d", st)
	}
	p.wantText("main .flash-success", msg("flash.rule_moved"))
	if first, _ := p.attr(`[data-testid="rules"] tbody tr:nth-child(1)`, "data-rule"); first != added {
		t.Errorf("the first rule is %s, want the one moved up, %s", first, added)
	}
	p.open("/admin/curation")
	p.wantFitsWidth()
	if p.count(`[data-testid="waiting-longest"] tbody tr`) == 0 {
		t.Error("the demo's waiting applications are not listed")
	}
}
