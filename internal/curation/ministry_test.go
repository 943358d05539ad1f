package curation_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/curation"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/testapp"
	"pasokan/internal/validation"
)

func ruleIDs(rules []curation.Rule) []int64 {
	var ids []int64
	for _, r := range rules {
		ids = append(ids, r.ID)
	}
	return ids
}

func fieldError(err error, field string) string {
	var verrs validation.Errors
	if errors.As(err, &verrs) {
		return verrs[field]
	}
	return ""
}

// The ministry retires, adds, reorders and changes assignment rules, and
// the assignment loop follows the rules in force in the order shown;
// bad input changes nothing; nobody else touches them.
func TestMinistryRunsTheAssignmentRules(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	admin := b.actor(t, "admin@pasokan.test")
	partner := b.actor(t, "kurator@pasokan.test")
	jabar := b.newCurator(t, "Kurator Jawa Barat", "lead.jabar@contoh.id")

	demoRules, err := b.store.Rules(ctx, admin)
	dbtest.Must(t, err)
	for _, r := range demoRules {
		dbtest.Must(t, b.store.RetireRule(ctx, admin, r.ID, true))
	}
	dbtest.Must(t, b.store.AddRule(ctx, admin, curation.Rule{CuratorOrgID: partner.OrgID}))
	dbtest.Must(t, b.store.AddRule(ctx, admin, curation.Rule{CuratorOrgID: jabar.OrgID}))
	dbtest.Must(t, b.store.AddRule(ctx, admin, curation.Rule{CuratorOrgID: jabar.OrgID, ProvinceCode: "32", Category: "masker"}))
	rules, err := b.store.Rules(ctx, admin)
	dbtest.Must(t, err)
	if len(rules) != 3 || rules[0].ProvinceCode != "32" || rules[1].CuratorOrgID != partner.OrgID || rules[2].CuratorOrgID != jabar.OrgID {
		t.Fatalf("rules in force, in order: %+v", rules)
	}
	specific, toPartner, toJabar := rules[0].ID, rules[1].ID, rules[2].ID

	// Only among equals: the specific rule stays first.
	for _, up := range []bool{true, false} {
		if got := fieldError(b.store.MoveRule(ctx, admin, specific, up), "move"); got != "error.rule_cannot_move" {
			t.Errorf("moving the specific rule (up %v): %q", up, got)
		}
	}
	if got := fieldError(b.store.MoveRule(ctx, admin, toJabar, false), "move"); got != "error.rule_cannot_move" {
		t.Errorf("moving the last rule down: %q", got)
	}
	dbtest.Must(t, b.store.MoveRule(ctx, admin, toJabar, true))
	rules, _ = b.store.Rules(ctx, admin)
	if got := ruleIDs(rules); !slices.Equal(got, []int64{specific, toJabar, toPartner}) {
		t.Fatalf("after moving up: %v", got)
	}
	// A Jakarta supplier goes to Jawa Barat's curators by the general rule
	// now first; a Bandung one by the specific rule.
	_, jakarta := b.submitted(t, "jkt@contoh.id", "31", "31.71", "masker-kain", 1)
	b.app.Assign(t)
	if got := assignedOrg(t, b, jakarta.ID); got != jabar.OrgID {
		t.Errorf("Jakarta went to %d, want Jawa Barat's curators %d", got, jabar.OrgID)
	}
	// Retired, the general Jawa Barat rule sends nothing more; the other
	// takes over.
	dbtest.Must(t, b.store.RetireRule(ctx, admin, toJabar, true))
	if err := b.store.RetireRule(ctx, admin, toJabar, true); !errors.Is(err, database.ErrStale) {
		t.Errorf("retiring twice: %v", err)
	}
	retired, err := b.store.Retired(ctx, admin)
	dbtest.Must(t, err)
	if !slices.Contains(ruleIDs(retired), toJabar) {
		t.Errorf("the retired list lacks the rule: %v", ruleIDs(retired))
	}
	_, surabaya := b.submitted(t, "sby@contoh.id", "35", "35.78", "masker-kain", 2)
	b.app.Assign(t)
	if got := assignedOrg(t, b, surabaya.ID); got != partner.OrgID {
		t.Errorf("Surabaya went to %d, want the partner %d", got, partner.OrgID)
	}

	// Changing a rule: bad input of each kind changes nothing.
	before, _ := b.store.Rule(ctx, admin, toPartner)
	for field, r := range map[string]curation.Rule{
		"curator_org_id": {CuratorOrgID: jakarta.OrgID},
		"category":       {CuratorOrgID: jabar.OrgID, Category: "sabun"},
		"province_code":  {CuratorOrgID: jabar.OrgID, ProvinceCode: "99"},
		"priority":       {CuratorOrgID: jabar.OrgID, Priority: 5000},
	} {
		if got := fieldError(b.store.UpdateRule(ctx, admin, toPartner, r), field); got == "" {
			t.Errorf("a bad %s was taken", field)
		}
	}
	if after, _ := b.store.Rule(ctx, admin, toPartner); after != before {
		t.Errorf("a refused change changed the rule: %+v -> %+v", before, after)
	}
	dbtest.Must(t, b.store.UpdateRule(ctx, admin, toPartner, curation.Rule{CuratorOrgID: jabar.OrgID, Category: "hand_sanitizer", Priority: 7}))
	changed, _ := b.store.Rule(ctx, admin, toPartner)
	if changed.CuratorOrgID != jabar.OrgID || changed.Category != "hand_sanitizer" || changed.Priority != 7 {
		t.Errorf("changed rule: %+v", changed)
	}
	if err := b.store.UpdateRule(ctx, admin, toJabar, curation.Rule{CuratorOrgID: partner.OrgID}); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("changing a retired rule: %v", err)
	}

	// Nobody but the ministry.
	for name, err := range map[string]error{
		"move":   b.store.MoveRule(ctx, partner, toPartner, true),
		"retire": b.store.RetireRule(ctx, partner, toPartner, true),
		"update": b.store.UpdateRule(ctx, partner, toPartner, curation.Rule{CuratorOrgID: partner.OrgID}),
	} {
		if !errors.Is(err, database.ErrNotFound) {
			t.Errorf("a curator's %s: %v", name, err)
		}
	}
	if _, err := b.store.Rules(ctx, partner); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("a curator reading the rules: %v", err)
	}
	// Each change left an audit event.
	for action, want := range map[string]int{"assignment_rule.added": 3, "assignment_rule.moved": 1,
		"assignment_rule.retired": len(demoRules) + 1, "assignment_rule.changed": 1} {
		if got := auditCount(t, b, action); got != want {
			t.Errorf("%d %s events, want %d", got, action, want)
		}
	}
}

func assignedOrg(t *testing.T, b bundle, appID int64) int64 {
	t.Helper()
	var org int64
	err := b.app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT coalesce(assigned_org_id, 0) FROM applications WHERE id = $1`, appID).Scan(&org)
	})
	dbtest.Must(t, err)
	return org
}

func auditCount(t *testing.T, b bundle, action string) int {
	t.Helper()
	var n int
	err := b.app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT count(*) FROM audit_events WHERE action = $1`, action).Scan(&n)
	})
	dbtest.Must(t, err)
	return n
}

// An application no rule matches waits for the ministry, which hands it to
// a curator organisation; it may move it again until a curator starts on
// it. The waiting-longest list spans every curator organisation, oldest
// first.
func TestMinistryHandsOverWhatNoRuleSends(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	admin := b.actor(t, "admin@pasokan.test")
	partner := b.actor(t, "kurator@pasokan.test")
	jabar := b.newCurator(t, "Kurator Jawa Barat", "lead.jabar@contoh.id")
	rules, err := b.store.Rules(ctx, admin)
	dbtest.Must(t, err)
	for _, r := range rules {
		dbtest.Must(t, b.store.RetireRule(ctx, admin, r.ID, true))
	}
	_, first := b.submitted(t, "satu@contoh.id", "32", "32.73", "masker-kain", 1)
	_, second := b.submitted(t, "dua@contoh.id", "31", "31.71", "masker-kain", 2)
	b.app.Assign(t)
	waiting, unassigned, err := b.store.WaitingLongest(ctx, admin, 50)
	dbtest.Must(t, err)
	var ids []int64
	for _, w := range unassigned {
		ids = append(ids, w.AppID)
	}
	if !slices.Equal(ids, []int64{first.ID, second.ID}) {
		t.Fatalf("waiting for a curator organisation: %v, want %v", ids, []int64{first.ID, second.ID})
	}
	for _, w := range waiting {
		if w.AppID == first.ID || w.AppID == second.ID {
			t.Errorf("an unassigned application is listed as waiting for a decision")
		}
	}

	if got := fieldError(b.store.HandOver(ctx, admin, first.ID, first.OrgID), "curator_org_id"); got != "error.choose_option" {
		t.Errorf("handing to a supplier: %q", got)
	}
	dbtest.Must(t, b.store.HandOver(ctx, admin, first.ID, partner.OrgID))
	if got := fieldError(b.store.HandOver(ctx, admin, first.ID, partner.OrgID), "curator_org_id"); got != "error.handover_same" {
		t.Errorf("handing over twice: %q", got)
	}
	// Not started: it may move to another curator organisation.
	dbtest.Must(t, b.store.HandOver(ctx, admin, first.ID, jabar.OrgID))
	if got := assignedOrg(t, b, first.ID); got != jabar.OrgID {
		t.Fatalf("handed to %d, want %d", got, jabar.OrgID)
	}
	page, err := b.store.Queue(ctx, jabar, curation.QueueFilter{})
	dbtest.Must(t, err)
	if len(page.Items) != 1 || page.Items[0].AppID != first.ID {
		t.Errorf("Jawa Barat's queue: %+v", page.Items)
	}
	// Started: it stays.
	dbtest.Must(t, b.store.Claim(ctx, jabar, first.ID, page.Items[0].Version))
	if got := fieldError(b.store.HandOver(ctx, admin, first.ID, partner.OrgID), "curator_org_id"); got != "error.handover_started" {
		t.Errorf("handing over a started application: %q", got)
	}
	if err := b.store.HandOver(ctx, partner, second.ID, partner.OrgID); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("a curator taking an application: %v", err)
	}
	if got := assignedOrg(t, b, second.ID); got != 0 {
		t.Errorf("the refused hand-over assigned it to %d", got)
	}
	waiting, unassigned, err = b.store.WaitingLongest(ctx, admin, 50)
	dbtest.Must(t, err)
	if len(unassigned) != 1 || unassigned[0].AppID != second.ID {
		t.Errorf("still waiting for a curator organisation: %+v", unassigned)
	}
	found := false
	for i, w := range waiting {
		if i > 0 && waiting[i-1].SubmittedAt.After(*w.SubmittedAt) {
			t.Errorf("the waiting list is not oldest first at %d", i)
		}
		if w.AppID == first.ID {
			found = w.CuratorOrgID == jabar.OrgID && w.Status == "in_review"
		}
	}
	if !found {
		t.Errorf("the started application is not listed with its curator organisation: %+v", waiting)
	}
	// Each waiting application is named as its profile names the supplier
	// (its organisation's name without a legal name), in its province,
	// whether read from its queue card or not.
	for _, w := range waiting {
		var name, province string
		dbtest.Must(t, b.app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT coalesce(nullif(p.legal_name, ''), o.name), coalesce(p.province_code, '')
  FROM organizations o LEFT JOIN supplier_profiles p ON p.organization_id = o.id WHERE o.id = $1`, w.OrgID).Scan(&name, &province)
		}))
		if w.Name != name || w.ProvinceCode != province || name == "" {
			t.Errorf("application %d is listed as %q in %q, its profile says %q in %q", w.AppID, w.Name, w.ProvinceCode, name, province)
		}
	}
	if got := auditCount(t, b, "application.assigned"); got < 2 {
		t.Errorf("%d hand-overs in the audit trail, want 2", got)
	}
}

// certificateLines reads the product lines of an application's certificate
// in force: product type to checklist version.
func certificateLines(t *testing.T, b bundle, appID int64) map[string]int {
	t.Helper()
	var raw []byte
	err := b.app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT content FROM certificates WHERE application_id = $1 AND revoked_at IS NULL
 ORDER BY id DESC LIMIT 1`, appID).Scan(&raw)
	})
	dbtest.Must(t, err)
	var c curation.CertificateContent
	dbtest.Must(t, json.Unmarshal(raw, &c))
	out := map[string]int{}
	for _, l := range c.Products {
		out[l.ProductType] = l.ChecklistVersion
	}
	return out
}

func productCuration(t *testing.T, b bundle, appID int64, productType string) string {
	t.Helper()
	var c string
	err := b.app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT curation FROM application_products WHERE application_id = $1 AND product_type = $2`,
			appID, productType).Scan(&c)
	})
	dbtest.Must(t, err)
	return c
}

// The demo's products curated on a replaced checklist (cloth masks before
// SNI 8914:2020, respirators before GB 2626-2019, hand sanitizers and
// gowns before the corrections of 0040) go back to their curators as work: each waits in their queue, stays
// listed meanwhile, and leaves the list of what is due once checked again;
// passed, its certificate names the new version; failed, it is no longer
// curated and its certificate drops it. Sent twice, nothing is sent again.
func TestMinistrySendsRecurationAsWork(t *testing.T) {
	t.Parallel()
	b := setupScale(t, 330)
	ctx := context.Background()
	admin := b.actor(t, "admin@pasokan.test")
	partner := b.actor(t, "kurator@pasokan.test")
	now := time.Now()
	due, err := b.store.RecurationDue(ctx, admin, now, curation.MaxRecuration)
	dbtest.Must(t, err)
	if len(due) < 2 {
		t.Fatalf("%d due: the demo should have cloth masks curated on version 1", len(due))
	}
	if _, err := b.store.SendRecuration(ctx, partner, now); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("a curator sending re-curation: %v", err)
	}
	n, err := b.store.SendRecuration(ctx, admin, now)
	dbtest.Must(t, err)
	if n != len(due) {
		t.Fatalf("sent %d of %d due", n, len(due))
	}
	if n, err := b.store.SendRecuration(ctx, admin, now); err != nil || n != 0 {
		t.Errorf("sent again: %d, %v", n, err)
	}
	again, err := b.store.RecurationDue(ctx, admin, now, curation.MaxRecuration)
	dbtest.Must(t, err)
	for _, r := range again {
		if !r.Sent {
			t.Errorf("%d/%s is due and not marked sent", r.AppID, r.ProductType)
		}
	}
	proposals, err := b.store.Proposals(ctx, partner)
	dbtest.Must(t, err)
	waiting := map[int64]bool{}
	for _, p := range proposals {
		if p.Kind == "recheck" {
			waiting[p.ApplicationID] = true
		}
	}
	for _, r := range due[:min(len(due), curation.MaxProposals)] {
		if !waiting[r.AppID] {
			t.Errorf("%d is not in the curators' queue", r.AppID)
		}
		if got := productCuration(t, b, r.AppID, r.ProductType); got != "curated" {
			t.Errorf("%d's %s is %q while it waits, want curated", r.AppID, r.ProductType, got)
		}
	}

	pass, fail := due[0], due[1]
	pc, err := b.store.Proposal(ctx, partner, pass.AppID, pass.ProductType)
	dbtest.Must(t, err)
	if pc.Checklist.Version <= pass.Version {
		t.Fatalf("the re-check's checklist is version %d, curated on %d", pc.Checklist.Version, pass.Version)
	}
	out, err := b.store.DecideProposal(ctx, partner, pass.AppID, pass.ProductType, curation.ProposalDecision{Accept: true, Checks: passAll(pc.Checklist),
		Links: testapp.RegistryLinks(pc.Checklist)})
	dbtest.Must(t, err)
	if !out.Curated || productCuration(t, b, pass.AppID, pass.ProductType) != "curated" {
		t.Errorf("passed: %+v, %s", out, productCuration(t, b, pass.AppID, pass.ProductType))
	}
	if got := certificateLines(t, b, pass.AppID)[pass.ProductType]; got != pc.Checklist.Version {
		t.Errorf("the certificate names version %d, want %d", got, pc.Checklist.Version)
	}
	if got := fieldError(func() error {
		_, err := b.store.DecideProposal(ctx, partner, fail.AppID, fail.ProductType, curation.ProposalDecision{})
		return err
	}(), "reason"); got != "error.reason_required" {
		t.Errorf("a failure without a reason: %q", got)
	}
	_, err = b.store.DecideProposal(ctx, partner, fail.AppID, fail.ProductType, curation.ProposalDecision{Reason: "Kain dua lapis, standar baru meminta tiga."})
	dbtest.Must(t, err)
	if got := productCuration(t, b, fail.AppID, fail.ProductType); got != "not_curated" {
		t.Errorf("failed: %s", got)
	}
	if _, on := certificateLines(t, b, fail.AppID)[fail.ProductType]; on {
		t.Error("the certificate still names the product that failed")
	}
	after, err := b.store.RecurationDue(ctx, admin, now, curation.MaxRecuration)
	dbtest.Must(t, err)
	// A supplier may be due for another product too (curated on another
	// replaced version): only the product checked leaves the list.
	for _, r := range after {
		if r.AppID == pass.AppID && r.ProductType == pass.ProductType || r.AppID == fail.AppID && r.ProductType == fail.ProductType {
			t.Errorf("%d/%s is still due after its re-check", r.AppID, r.ProductType)
		}
	}
	if got := auditCount(t, b, "application.recheck_requested"); got != len(due) {
		t.Errorf("%d re-check requests in the trail, want %d", got, len(due))
	}
}
