package e2e

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"pasokan/internal/curation"
	"pasokan/internal/demo"
	"pasokan/internal/testapp"
)

// Curation in the browser: a supplier on a phone and a curator on a laptop
// side by side, from the first submission through a revision to the
// certificate and its public check; and the curator's queue.

const (
	curatorEmail   = "kurator@pasokan.test"
	curatorName    = "Kurator Karya Nusantara"
	curatorOrgName = "Karya Nusantara — PT Daruma Adira Pratama"
)

// curatorLaptop is the curator's 1280×800 laptop screen.
var curatorLaptop = browserOpts{Width: 1280, Height: 800}

// Selectors of the curation pages.
const (
	queueRows      = `main table tbody tr`
	queueStatusNav = `main nav[aria-label="Saring menurut status"] a`
	queueFilter    = `main details.card:has(form[action="/curation"])`
	reviewStatus   = `main h1 + p .badge`
	claimStart     = `main form[action$="/claim"] button[type="submit"]`
	decisionForm   = `#decision form[action$="/decision"]`
	decisionSave   = decisionForm + ` button[type="submit"]`
	checklistSets  = decisionForm + ` fieldset.checklist`
	reviewPhoto    = `main section[aria-labelledby="documents-heading"] img`
	reviewFacts    = `main section[aria-labelledby="profile-heading"] dl.facts`
	changesRows    = `main section[aria-labelledby="changes-heading"] tbody tr`
	flagItems      = `main section[aria-labelledby="flags-heading"] li`
	certCode       = `main article.certificate dl.facts dd strong`
	certQR         = `main figure.qr img`
	certVerifyLink = `main figure.qr figcaption a`
)

var certCodeRe = regexp.MustCompile(`^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$`)

// actorFor returns the user id of the account email and its first
// organisation.
func actorFor(t *testing.T, app *testapp.App, email string) (userID, orgID int64) {
	t.Helper()
	ctx := context.Background()
	id, err := app.Accounts.UserIDByEmail(ctx, email)
	if err != nil {
		t.Fatalf("user %s: %v", email, err)
	}
	ms, err := app.Accounts.Memberships(ctx, id)
	if err != nil || len(ms) == 0 {
		t.Fatalf("memberships of %s: %v %v", email, ms, err)
	}
	return id, ms[0].OrgID
}

// routeToPartner makes sure new applications reach the demo curator
// organisation: it adds a catch-all assignment rule for it unless the demo
// seed already has one.
func routeToPartner(t *testing.T, app *testapp.App) {
	t.Helper()
	ctx := context.Background()
	adminID, adminOrg := actorFor(t, app, "admin@pasokan.test")
	admin, err := app.Accounts.LoadActor(ctx, adminID, adminOrg)
	if err != nil {
		t.Fatal(err)
	}
	_, partnerOrg := actorFor(t, app, curatorEmail)
	rules, err := app.Curation.Rules(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		if r.CuratorOrgID == partnerOrg && r.Category == "" && r.ProvinceCode == "" {
			t.Logf("the demo seed already routes everything to %s (rule %d)", r.CuratorName, r.ID)
			return
		}
	}
	if len(rules) > 0 {
		t.Logf("the demo seed has %d assignment rules, none a catch-all for the partner: %+v", len(rules), rules)
	}
	if err := app.Curation.AddRule(ctx, admin, curation.Rule{CuratorOrgID: partnerOrg}); err != nil {
		t.Fatalf("add the assignment rule: %v", err)
	}
}

// submitOnPhone is a supplier's whole application in the browser b: sign
// up, profile, one product, a sample photo and the NIB scan, submit.
func submitOnPhone(t *testing.T, app *testapp.App, b *browser, o owner, p business, pr product) {
	t.Helper()
	registerOwner(t, b, o)
	confirmOwnerEmail(t, app, b, o.email)
	if st := b.click(dashboardProfileButton); st != http.StatusOK {
		t.Fatalf("the profile button led to a %d page", st)
	}
	b.wantPath("/supplier/profile")
	fillProfile(t, b, p, !b.opts.NoJS)
	if st := b.click(profileSave); st != http.StatusOK {
		t.Fatalf("saving the profile ended on a %d page at %s: %s", st, b.path(), b.textOr("main", ""))
	}
	b.wantPath("/supplier/application")
	b.wantText("main .flash-success", msg("flash.profile_saved"))
	if st := addProduct(t, b, pr); st != http.StatusOK {
		t.Fatalf("saving %s ended on a %d page: %s", pr.code, st, b.textOr("main", ""))
	}
	b.wantText("main .flash-success", msg("flash.product_saved"))
	dir := t.TempDir()
	photo := writePNG(t, dir, "foto-sampel.png", 320, 240)
	nib := writePDF(t, dir, "nib-oss.pdf", "NIB "+p.nib)
	if st := upload(t, b, "photo", "2020-05-04", photo); st != http.StatusOK {
		t.Fatalf("uploading the photo ended on a %d page: %s", st, b.textOr("main", ""))
	}
	b.wantText("main .flash-success", msg("flash.document_added"))
	if st := upload(t, b, "nib", "", nib); st != http.StatusOK {
		t.Fatalf("uploading the NIB ended on a %d page: %s", st, b.textOr("main", ""))
	}
	b.wantText("main .flash-success", msg("flash.document_added"))
	b.wantText("#missing .badge", msg("application.ready"))
	if st := b.click(applicationSubmit); st != http.StatusOK {
		t.Fatalf("submitting ended on a %d page at %s: %s", st, b.path(), b.textOr("main", ""))
	}
	b.wantPath("/supplier/application/submitted")
	b.wantText("main h1", msg("submitted.title"))
	if st := b.open("/supplier"); st != http.StatusOK {
		t.Fatalf("GET /supplier answered %d", st)
	}
	b.wantText(`main section[aria-labelledby="status-heading"] .badge`, msg("status.submitted"))
}

// queueRow is one row of the curation queue.
type queueRow struct {
	Name, Href, Waiting, Status, Assignee, Claim, ClaimAction string
}

// readQueue reads the queue table, finding its columns by their headings.
func readQueue(b *browser) []queueRow {
	b.t.Helper()
	var rows []queueRow
	b.eval(`(() => {
		const heads = [...document.querySelectorAll('main table thead th')].map(th => th.innerText.trim());
		const col = h => heads.indexOf(h);
		const txt = e => e ? e.innerText.trim().replace(/\s+/g, ' ') : '';
		return [...document.querySelectorAll(`+js(queueRows)+`)].map(tr => {
			const a = tr.querySelector('a[href^="/curation/applications/"]');
			const f = tr.querySelector('form[action$="/claim"]');
			return {name: txt(a), href: a ? a.getAttribute('href') : '',
				waiting: txt(tr.cells[col(`+js(msg("curation.queue.waiting_for"))+`)]),
				status: txt(tr.cells[col(`+js(msg("curation.queue.status"))+`)]),
				assignee: f ? '' : txt(tr.cells[col(`+js(msg("field.assignee"))+`)]),
				claim: txt(f && f.querySelector('button')), claimAction: f ? f.getAttribute('action') : ''};
		}); })()`, &rows)
	return rows
}

func rowNamed(rows []queueRow, name string) (queueRow, bool) {
	i := slices.IndexFunc(rows, func(r queueRow) bool { return r.Name == name })
	if i < 0 {
		return queueRow{}, false
	}
	return rows[i], true
}

// imageLoaded scrolls the image sel into view (the review page loads
// photos lazily) and waits until it has loaded, returning its natural size,
// or what is wrong with it.
func imageLoaded(t *testing.T, b *browser, sel string) (w, h int, problem string) {
	t.Helper()
	var ok bool
	b.eval(`(() => { const i = document.querySelector(`+js(sel)+`); if (!i) return false; i.scrollIntoView({block: 'center'}); return true; })()`, &ok)
	if !ok {
		return 0, 0, fmt.Sprintf("no image %q on %s", sel, b.path())
	}
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => { const i = document.querySelector(`+js(sel)+`);
		return !!i && i.complete && i.naturalWidth > 0; })()`,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(5*time.Second)))
	var size struct {
		Complete      bool
		Width, Height int
		Src           string
	}
	b.eval(`(() => { const i = document.querySelector(`+js(sel)+`);
		return {complete: i.complete, width: i.naturalWidth, height: i.naturalHeight, src: i.getAttribute('src').slice(0, 60)}; })()`, &size)
	if err != nil || size.Width == 0 {
		return 0, 0, fmt.Sprintf("image %s on %s did not load: src %q, complete=%v, naturalWidth=%d (%v)", sel, b.path(), size.Src, size.Complete, size.Width, err)
	}
	return size.Width, size.Height, ""
}

// checkItem is one item of the review page's checklists.
type checkItem struct {
	Name    string   // check_<item id>
	Text    string   // the item as shown
	Gate    bool     // marked "wajib lulus"
	Answers []string // the values offered
}

func checklistItems(b *browser) []checkItem {
	b.t.Helper()
	var items []checkItem
	b.eval(`[...document.querySelectorAll(`+js(checklistSets+` .check-item`)+`)].map(d => {
		const radios = [...d.querySelectorAll('input[type=radio]')];
		return {name: radios.length ? radios[0].name : '', text: d.querySelector('.check-text').innerText.trim().replace(/\s+/g, ' '),
			gate: !!d.querySelector('.badge') && d.querySelector('.badge').innerText.trim() === `+js(msg("curation.gate"))+`,
			answers: radios.map(r => r.value)}; })`, &items)
	return items
}

// checked is the value of the checked radio of group name, or "".
func checked(b *browser, name string) string {
	b.t.Helper()
	var v string
	b.eval(`(() => { const n = `+js(name)+`;
		const r = document.querySelector('input[type=radio][name="' + n + '"]:checked'); return r ? r.value : ''; })()`, &v)
	return v
}

// clickRadio clicks the radio of group name with value, as a mouse does.
func clickRadio(t *testing.T, b *browser, name, value string) {
	t.Helper()
	sel := `input[type="radio"][name="` + name + `"][value="` + value + `"]`
	b.step("click "+sel, chromedp.Click(chromedp.CSS(sel)))
	if got := checked(b, name); got != value {
		t.Fatalf("after clicking %s the group %s holds %q", sel, name, got)
	}
}

// TestCurationTwoSessions is the curation journey with two people side by
// side: a supplier on a 360px phone submits; a curator on a laptop claims
// the application and asks for a revision of the NIB; the supplier sees the
// flag, fixes the NIB and resubmits; the curator sees the change, ticks the
// checklist (one item with the keyboard) and curates; the supplier sees the
// status and the certificate; a logged-out browser checks the certificate
// at /verify/{code}.
func TestCurationTwoSessions(t *testing.T) {
	t.Parallel()
	app := startApp(t)
	routeToPartner(t, app)
	// Each browser waits while the other works: give them longer than one
	// browser's usual life.
	long := func(o browserOpts) browserOpts { o.Life = 3 * testTimeout; return o }
	sup := newBrowser(t, app, long(phone))
	cur := newBrowser(t, app, long(curatorLaptop))

	biz := konveksi
	biz.legalName = "CV Sandang Sehat Cigadung"
	biz.tradingName = "Sandang Sehat"
	const reason = "NPWP di profil berbeda dengan kartu NPWP yang diunggah; samakan dengan kartu NPWP."
	fixedNPWP := npwp15("09876543")

	// 1. The supplier submits on the phone.
	submitOnPhone(t, app, sup, owner{name: "Euis Komariah", org: "Sandang Sehat", email: "euis@contoh.id",
		password: "benang katun tiga lapis"}, biz, maskerKain)
	app.Assign(t)

	// 2. The curator finds it in the queue and claims it from the review page.
	cur.open("/login")
	if st := cur.login(curatorEmail, demo.Password); st != http.StatusOK {
		t.Fatalf("curator login ended on a %d page: %s", st, cur.textOr("main", ""))
	}
	cur.wantPath("/curation")
	cur.wantText("main h1", msg("curation.queue.title"))
	cur.wantContains("main p.muted", curatorOrgName)
	row, ok := rowNamed(readQueue(cur), biz.legalName)
	if !ok {
		t.Fatalf("the queue has no row for %q: %+v", biz.legalName, readQueue(cur))
	}
	if !regexp.MustCompile(`^/curation/applications/[0-9]+$`).MatchString(row.Href) {
		t.Fatalf("the applicant's link is %q, want /curation/applications/{id}", row.Href)
	}
	if row.Waiting != msg("curation.waited_hours", 0) {
		t.Errorf("the just-submitted application has waited %q, want %q", row.Waiting, msg("curation.waited_hours", 0))
	}
	if row.Status != msg("status.submitted") {
		t.Errorf("the queue shows the status %q, want %q", row.Status, msg("status.submitted"))
	}
	if !strings.HasPrefix(row.Claim, msg("curation.claim")) || row.ClaimAction != row.Href+"/claim" {
		t.Errorf("the row offers the claim button %q (form %q), want %q posting to %s/claim", row.Claim, row.ClaimAction, msg("curation.claim"), row.Href)
	}
	reviewPath := row.Href
	if st := cur.click(`main table a[href="` + reviewPath + `"]`); st != http.StatusOK {
		t.Fatalf("the applicant's link led to a %d page", st)
	}
	cur.wantPath(reviewPath)
	cur.wantText("main h1", biz.legalName)
	cur.wantText(reviewStatus, msg("status.submitted"))
	if n := cur.count(decisionForm); n != 0 {
		t.Error("the decision form is offered before the application is claimed")
	}
	cur.wantText(claimStart, msg("curation.claim_start"))
	if st := cur.click(claimStart); st != http.StatusOK {
		t.Fatalf("claiming ended on a %d page: %s", st, cur.textOr("main", ""))
	}
	cur.wantPath(reviewPath)
	cur.wantText("main .flash-success", msg("flash.claimed"))
	cur.wantText(reviewStatus, msg("status.in_review"))
	cur.wantContains("main", msg("curation.assigned_to", curatorName))

	// The profile, the photo inline, the PDF as a link, the checklists.
	facts := cur.text(reviewFacts)
	for _, want := range []string{biz.legalName, biz.tradingName, biz.nib, biz.npwp, biz.address, "+62 812-3456-7890"} {
		if !strings.Contains(facts, want) {
			t.Errorf("the profile on the review page lacks %q: %s", want, facts)
		}
	}
	cur.wantContains(`main section[aria-labelledby="products-heading"] [data-testid="review-product"]`, maskerKain.name)
	if w, h, problem := imageLoaded(t, cur, reviewPhoto); problem != "" {
		t.Fatalf("the sample photo: %s", problem)
	} else if w != 320 || h != 240 {
		t.Errorf("the sample photo shows at %d×%d natural pixels, want 320×240", w, h)
	}
	if alt, _ := cur.attr(reviewPhoto, "alt"); !strings.Contains(alt, "foto-sampel.png") {
		t.Errorf("the photo's alt text is %q, want it to name the file", alt)
	}
	cur.wantContains(`main section[aria-labelledby="documents-heading"] a[href^="/documents/"]:not(:has(img))`, "nib-oss.pdf (PDF)")
	sets := cur.texts(checklistSets + ` > legend`)
	if len(sets) != 2 || !strings.HasPrefix(sets[0], "Daftar periksa umum") || !strings.HasPrefix(sets[1], maskerKain.name+" — daftar periksa") {
		t.Errorf("the checklists are %q, want the general one and the one for %s", sets, maskerKain.name)
	}
	items := checklistItems(cur)
	gates := 0
	for _, it := range items {
		if it.Gate {
			gates++
			if !slices.Equal(it.Answers, []string{"pass", "fail"}) {
				t.Errorf("gate item %q offers %q, want pass and fail only", it.Text, it.Answers)
			}
		} else if !slices.Equal(it.Answers, []string{"pass", "fail", "na"}) {
			t.Errorf("item %q offers %q, want pass, fail, na", it.Text, it.Answers)
		}
	}
	if len(items) < 8 || gates == 0 {
		t.Fatalf("the checklists have %d items, %d of them gates; want at least 8 with gates: %+v", len(items), gates, items)
	}
	t.Logf("checklists: %d items, %d gates", len(items), gates)
	cur.screenshot("curation-review-laptop-1-claimed")
	wantFits(t, cur)

	// Ask for a revision of the NPWP: its "minta perbaikan" toggle opens
	// the note beside the NPWP.
	if _, open := cur.attr(`details.revise:has(#f-revise_field_npwp)`, "open"); open {
		t.Error("the NPWP's revision note is open before it is asked for")
	}
	var hidden bool
	cur.eval(`!document.querySelector('#f-revise_field_npwp').checkVisibility()`, &hidden)
	if !hidden {
		t.Error("the NPWP's revision note shows before its toggle is opened")
	}
	cur.step("open the NPWP's revision note", chromedp.Click(chromedp.CSS(`details.revise:has(#f-revise_field_npwp) > summary`)))
	clickRadio(t, cur, "decision", "revise")
	cur.fill("#f-revise_field_npwp", reason)
	if st := cur.click(decisionSave); st != http.StatusOK {
		t.Fatalf("saving the revision request ended on a %d page: %s", st, cur.textOr("#decision", cur.textOr("main", "")))
	}
	// On to the next application waiting (or the queue), the decision
	// confirmed by name.
	if p := cur.path(); p == reviewPath {
		t.Errorf("after the decision the curator stays on %s, want the next waiting application or the queue", p)
	}
	cur.wantContains("main .flash-success", msg("review.decided.revision_requested", biz.legalName))
	if st := cur.open(reviewPath); st != http.StatusOK {
		t.Fatalf("GET %s answered %d", reviewPath, st)
	}
	cur.wantText(reviewStatus, msg("status.revision_requested"))
	if n := cur.count(decisionForm); n != 0 {
		t.Error("the decision form is still offered after asking for a revision")
	}
	cur.wantContains(timeline, msg("event.application.revision_requested"))

	// 3. The supplier sees the flag, fixes the NIB and resubmits.
	if st := sup.open("/supplier/application"); st != http.StatusOK {
		t.Fatalf("GET /supplier/application answered %d", st)
	}
	sup.wantText("main h1 + p .badge", msg("status.revision_requested"))
	sup.wantText("#flags-heading", msg("supplier.flags.title"))
	want := msg("field.npwp") + ": " + reason + msg("supplier.flags.unchanged")
	if flags := sup.texts(flagItems); !slices.Equal(flags, []string{want}) {
		t.Errorf("the supplier's flags read %q, want only %q", flags, want)
	}
	sup.wantText(`[data-testid="task-profile"] .task-status`, msg("tasks.status.revise.one", "1"))
	if n := sup.count(applicationSubmit); n != 0 {
		t.Error("the application can be sent before the flagged NPWP changed")
	}
	sup.screenshot("curation-supplier-phone-1-revision")
	wantFits(t, sup)
	// The flag's link leads straight to the field, the curator's note
	// beside it.
	if st := sup.click(flagItems + ` a[href="/supplier/profile#f-npwp"]`); st != http.StatusOK {
		t.Fatalf("following the flag ended on a %d page", st)
	}
	sup.wantPath("/supplier/profile")
	if !strings.HasSuffix(sup.location(), "#f-npwp") {
		t.Errorf("the flag's link landed at %q, not at the NPWP field", sup.location())
	}
	sup.wantContains(`#flag-field-npwp`, reason)
	if n := sup.count(profileSave); n != 1 {
		t.Fatalf("the profile has %d save buttons while a revision is asked for, want it editable", n)
	}
	if got := sup.value("#f-npwp"); digits(got) != digits(biz.npwp) {
		t.Errorf("the profile's NPWP reads %q, want %q", got, biz.npwp)
	}
	sup.fill("#f-npwp", fixedNPWP)
	if st := sup.click(profileSave); st != http.StatusOK {
		t.Fatalf("saving the fixed NPWP ended on a %d page at %s: %s", st, sup.path(), sup.textOr("main", ""))
	}
	sup.wantPath("/supplier/application")
	sup.wantText("main .flash-success", msg("flash.profile_saved"))
	// The flag now says the NPWP changed, and so does the task list.
	want = msg("field.npwp") + ": " + reason + msg("supplier.flags.changed")
	if flags := sup.texts(flagItems); !slices.Equal(flags, []string{want}) {
		t.Errorf("after the fix the supplier's flags read %q, want %q", flags, want)
	}
	sup.wantText(`[data-testid="task-profile"] .task-status`, msg("tasks.status.changed"))
	sup.wantText(applicationSubmit, msg("application.submit"))
	if st := sup.click(applicationSubmit); st != http.StatusOK {
		t.Fatalf("resubmitting ended on a %d page at %s: %s", st, sup.path(), sup.textOr("main", ""))
	}
	sup.wantPath("/supplier/application/submitted")
	sup.wantContains(`[data-testid="reference"]`, "PSK-")
	if st := sup.open("/supplier"); st != http.StatusOK {
		t.Fatalf("GET /supplier answered %d", st)
	}
	sup.wantText(`main section[aria-labelledby="status-heading"] .badge`, msg("status.submitted"))
	app.Assign(t) // the background loop, in case a resubmission waits for it

	// 4. The curator sees the change, ticks the checklist and curates.
	if st := cur.open(reviewPath); st != http.StatusOK {
		t.Fatalf("GET %s answered %d", reviewPath, st)
	}
	cur.wantText("#changes-heading", msg("curation.changes"))
	var changes [][]string
	cur.eval(`[...document.querySelectorAll(`+js(changesRows)+`)].map(tr => [...tr.cells].map(td => td.innerText.trim()))`, &changes)
	if !slices.ContainsFunc(changes, func(c []string) bool {
		return len(c) == 3 && c[0] == msg("field.npwp") && digits(c[1]) == digits(biz.npwp) && digits(c[2]) == digits(fixedNPWP)
	}) {
		t.Errorf("the changes read %q, want the NPWP from %s to %s", changes, biz.npwp, fixedNPWP)
	}
	if !strings.Contains(digits(cur.text(reviewFacts)), digits(fixedNPWP)) {
		t.Errorf("the profile on the review page does not show the new NPWP %s", fixedNPWP)
	}
	if cur.count(claimStart) > 0 {
		t.Logf("after the resubmission the review page offers %q again", msg("curation.claim_start"))
		cur.wantText(reviewStatus, msg("status.submitted"))
		if st := cur.click(claimStart); st != http.StatusOK {
			t.Fatalf("claiming again ended on a %d page: %s", st, cur.textOr("main", ""))
		}
		cur.wantText("main .flash-success", msg("flash.claimed"))
	}
	cur.wantText(reviewStatus, msg("status.in_review"))
	items = checklistItems(cur)
	if len(items) < 2 {
		t.Fatalf("the checklists have %d items after the resubmission", len(items))
	}
	// The first item with the keyboard: focus its "Lulus" and press Space;
	// then Tab to the next item's group and Space again.
	first := `input[type="radio"][name="` + items[0].Name + `"][value="pass"]`
	cur.step("focus "+first, chromedp.Focus(chromedp.CSS(first)))
	cur.press(" ", "Space")
	if got := checked(cur, items[0].Name); got != "pass" {
		t.Fatalf("Space on the focused %q radio left its group at %q, want pass", items[0].Text, got)
	}
	cur.press(kb.Tab, "Tab")
	var focus struct{ Name, Value, Type string }
	cur.eval(`(() => { const e = document.activeElement; return {name: e.name || '', value: e.value || '', type: e.type || ''}; })()`, &focus)
	if focus.Type != "radio" || focus.Name != items[1].Name || focus.Value != "pass" {
		t.Fatalf("Tab from the first item focuses %+v, want the first radio (pass) of %s", focus, items[1].Name)
	}
	cur.press(" ", "Space")
	if got := checked(cur, items[1].Name); got != "pass" {
		t.Fatalf("Space after Tab left the group of %q at %q, want pass", items[1].Text, got)
	}
	for _, it := range items[2:] {
		clickRadio(t, cur, it.Name, "pass")
	}
	for _, it := range items {
		if got := checked(cur, it.Name); got != "pass" {
			t.Errorf("item %q reads %q before saving, want pass", it.Text, got)
		}
	}
	clickRadio(t, cur, "decision", "curate")
	cur.screenshot("curation-review-laptop-2-ticked")
	if st := cur.click(decisionSave); st != http.StatusOK {
		t.Fatalf("curating ended on a %d page: %s", st, cur.textOr("#decision", cur.textOr("main", "")))
	}
	cur.wantContains("main .flash-success", msg("review.decided.curated", biz.legalName))
	if st := cur.open(reviewPath); st != http.StatusOK {
		t.Fatalf("GET %s answered %d", reviewPath, st)
	}
	cur.wantText(reviewStatus, msg("status.curated"))
	cur.wantContains(`main section[aria-labelledby="products-heading"] [data-testid="review-product"]`, msg("status.curated"))
	cur.screenshot("curation-review-laptop-3-curated")
	wantFits(t, cur)

	// 5. The supplier sees the status and the certificate.
	if st := sup.open("/supplier"); st != http.StatusOK {
		t.Fatalf("GET /supplier answered %d", st)
	}
	sup.wantText(`main section[aria-labelledby="status-heading"] .badge`, msg("status.curated"))
	sup.wantContains(`main section[aria-labelledby="status-heading"]`, msg("next.curated"))
	if n := sup.count(flagItems); n != 0 {
		t.Errorf("the curated supplier's dashboard still lists %d flags", n)
	}
	see := `main section[aria-labelledby="status-heading"] a.button[href="/supplier/certificate"]`
	sup.wantText(see, msg("supplier.see_certificate"))
	sup.screenshot("curation-supplier-phone-2-curated")
	wantFits(t, sup)
	if st := sup.click(see); st != http.StatusOK {
		t.Fatalf("the certificate button led to a %d page: %s", st, sup.textOr("main", ""))
	}
	sup.wantPath("/supplier/certificate")
	sup.wantText("main h1", msg("certificate.title"))
	sup.wantText("main .flash-success", msg("certificate.valid"))
	code := sup.text(certCode)
	if !certCodeRe.MatchString(code) {
		t.Fatalf("the certificate code is %q, want XXXX-XXXX-XXXX", code)
	}
	cert := sup.text("main article.certificate")
	for _, want := range []string{biz.legalName, biz.nib, maskerKain.name, curatorOrgName} {
		if !strings.Contains(cert, want) {
			t.Errorf("the certificate lacks %q: %s", want, cert)
		}
	}
	if w, h, problem := imageLoaded(t, sup, certQR); problem != "" {
		t.Errorf("the QR code: %s", problem)
	} else {
		t.Logf("the QR code loads at %d×%d natural pixels", w, h)
	}
	if alt, _ := sup.attr(certQR, "alt"); !strings.Contains(alt, "/verify/"+code) {
		t.Errorf("the QR code's alt text is %q, want it to name the check's address", alt)
	}
	verifyURL := app.URL + "/verify/" + code
	if href, _ := sup.attr(certVerifyLink, "href"); href != verifyURL {
		t.Errorf("the verify link goes to %q, want %q", href, verifyURL)
	}
	sup.wantText(`main a[href="/supplier/certificate.pdf"]`, msg("certificate.download"))
	sup.screenshot("curation-certificate-phone")
	wantFits(t, sup)
	wantReadable(t, sup)

	// 6. Anyone checks it without logging in.
	anon := newBrowser(t, app, phone)
	if st := anon.open("/verify/" + code); st != http.StatusOK {
		t.Fatalf("GET /verify/%s without login answered %d: %s", code, st, anon.textOr("main", ""))
	}
	anon.wantPath("/verify/" + code)
	anon.wantText("main .flash-success", msg("certificate.valid"))
	anon.wantText(certCode, code)
	anon.wantContains("main article.certificate", biz.legalName)
	anon.wantContains("main article.certificate", maskerKain.name)
	if n := anon.count(`main a[href="/supplier/certificate.pdf"]`); n != 0 {
		t.Error("the public check offers the supplier's PDF download")
	}
	if n := anon.count(`.site-header form[action="/logout"]`); n != 0 {
		t.Error("the third browser is logged in; the check must work without login")
	}
	anon.screenshot("curation-verify-public-phone")
	wantFits(t, anon)
	if st := anon.open("/verify/AAAA-BBBB-CCCC"); st != http.StatusNotFound {
		t.Errorf("an unknown code answered %d, want 404", st)
	}
	anon.wantText("main .flash-error", msg("certificate.unknown", "AAAA-BBBB-CCCC"))
}

// httpSupplier is a supplier set up over HTTP, to fill the queue.
type httpSupplier struct {
	email, org, legalName, nib, npwp, phone string
}

// npwp15 makes a valid 15-digit NPWP from eight digits: the ninth is the
// Luhn check digit, then the tax office and branch.
func npwp15(first8 string) string {
	for c := '0'; c <= '9'; c++ {
		d := first8 + string(c)
		sum, double := 0, false
		for i := len(d) - 1; i >= 0; i-- {
			n := int(d[i] - '0')
			if double {
				if n *= 2; n > 9 {
					n -= 9
				}
			}
			sum += n
			double = !double
		}
		if sum%10 == 0 {
			return d[0:2] + "." + d[2:5] + "." + d[5:8] + "." + d[8:9] + "-015.000"
		}
	}
	panic("no check digit")
}

// submitOverHTTP signs s up and submits a complete application with an
// HTTP client, as the browser's forms would: cloth masks and any
// moreProducts (the product form's fields).
func submitOverHTTP(t *testing.T, app *testapp.App, s httpSupplier, shade int, moreProducts ...url.Values) {
	t.Helper()
	c := fillOverHTTP(t, app, s, shade, moreProducts...)
	page := c.Get("/supplier/application")
	m := regexp.MustCompile(`action="/supplier/application/submit">\s*<input type="hidden" name="version" value="(\d+)"`).FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no submit form for %s:\n%s", s.email, tail(page.Body, 3000))
	}
	if r := c.Post("/supplier/application/submit", url.Values{"version": {m[1]}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit for %s: %d, want %d\n%s", s.email, r.StatusCode, http.StatusSeeOther, tail(r.Body, 2000))
	}
}

// fillOverHTTP signs s up, confirms the e-mail address and fills a complete
// application without sending it; it returns the owner's client.
func fillOverHTTP(t *testing.T, app *testapp.App, s httpSupplier, shade int, moreProducts ...url.Values) *testapp.Client {
	t.Helper()
	c := app.Client(t)
	want := func(what string, r *testapp.Response, code int) {
		t.Helper()
		if r.StatusCode != code {
			t.Fatalf("%s for %s: %d, want %d\n%s", what, s.email, r.StatusCode, code, tail(r.Body, 2000))
		}
	}
	want("register", c.Post("/register", url.Values{"name": {"Pemilik " + s.org}, "organization_name": {s.org},
		"email": {s.email}, "password": {"benang katun tiga lapis"}, "consent": {"yes"}}), http.StatusSeeOther)
	want("confirm", c.Get(strings.TrimPrefix(app.LinkIn(t, s.email, "email_confirm"), app.URL)), http.StatusOK)
	want("profile", c.Post("/supplier/profile", url.Values{
		"legal_name": {s.legalName}, "trading_name": {s.org}, "legal_form": {"cv"}, "size_class": {"kecil"},
		"nib": {s.nib}, "npwp": {s.npwp}, "kbli": {"14111"}, "original_sector": {"Konveksi"},
		"province_code": {"32"}, "regency_code": {"32.73"}, "address": {"Jl. Dago No. " + strconv.Itoa(shade)},
		"phone": {s.phone}, "workforce": {"12"}, "equipment": {"10 mesin jahit"}}), http.StatusSeeOther)
	want("product", c.Post("/supplier/application/products", url.Values{"product_type": {"masker-kain"},
		"monthly_capacity": {"10.000"}, "price_min": {"2500"}, "price_max": {"4000"}}), http.StatusSeeOther)
	for _, p := range moreProducts {
		want("product "+p.Get("product_type"), c.Post("/supplier/application/products", p), http.StatusSeeOther)
	}
	dir := t.TempDir()
	photo, err := os.ReadFile(writePNG(t, dir, "foto.png", 200+shade, 150))
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := os.ReadFile(writePDF(t, dir, "nib.pdf", "NIB "+s.nib))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []struct {
		kind, name string
		data       []byte
	}{{"photo", "foto.png", photo}, {"nib", "nib.pdf", pdf}} {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField("kind", d.kind)
		if d.kind == "photo" {
			_ = mw.WriteField("taken_on", "2020-05-02")
		}
		fw, _ := mw.CreateFormFile("file", d.name)
		_, _ = fw.Write(d.data)
		_ = mw.Close()
		req, _ := http.NewRequest(http.MethodPost, app.URL+"/supplier/documents", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		want("upload "+d.kind, c.Do(req), http.StatusSeeOther)
	}
	return c
}

// wantQuery fails unless the page is at path with the query parameter key
// set to value (a GET form sends its empty fields too).
func wantQuery(t *testing.T, b *browser, path, key, value string) {
	t.Helper()
	u, err := url.Parse(b.location())
	if err != nil {
		t.Fatal(err)
	}
	if u.Path != path || u.Query().Get(key) != value {
		t.Fatalf("page is at %s, want %s with %s=%s", u.RequestURI(), path, key, value)
	}
}

// TestCuratorQueueOnLaptop: the curator's queue with the demo data and two
// more applicants: rows with waiting times and claim buttons, counts per
// status that match the database, the name filter, and a claim with the
// keyboard alone.
func TestCuratorQueueOnLaptop(t *testing.T) {
	t.Parallel()
	app := startApp(t)
	routeToPartner(t, app)
	fresh := []httpSupplier{
		{email: "dedi@contoh.id", org: "Garut Sandang", legalName: "CV Garut Sandang Medika", nib: "9120002000011",
			npwp: npwp15("02345678"), phone: "0813-2000-1101"},
		{email: "rina@contoh.id", org: "Tenun Troso", legalName: "UD Tenun Troso Sehat", nib: "9120002000022",
			npwp: npwp15("03456789"), phone: "0813-2000-2202"},
	}
	for i, s := range fresh {
		submitOverHTTP(t, app, s, i+1)
	}
	app.Assign(t)
	// A day and two and a half hours later the curator opens the queue.
	app.Advance(26*time.Hour + 30*time.Minute)

	b := newBrowser(t, app, curatorLaptop)
	b.open("/login")
	if st := b.login(curatorEmail, demo.Password); st != http.StatusOK {
		t.Fatalf("curator login ended on a %d page: %s", st, b.textOr("main", ""))
	}
	b.wantPath("/curation")
	b.wantText("main h1", msg("curation.queue.title"))

	rows := readQueue(b)
	t.Logf("the queue: %+v", rows)
	if len(rows) < 3 {
		t.Fatalf("the queue has %d rows, want the demo supplier's and the two new ones", len(rows))
	}
	for _, s := range fresh {
		r, ok := rowNamed(rows, s.legalName)
		if !ok {
			t.Errorf("no queue row for %s", s.legalName)
			continue
		}
		if want := msg("curation.waited_days", 1, 2); r.Waiting != want {
			t.Errorf("%s has waited %q, want %q", s.legalName, r.Waiting, want)
		}
		if r.Status != msg("status.submitted") || !strings.HasPrefix(r.Claim, msg("curation.claim")) {
			t.Errorf("%s: status %q, claim button %q; want %q and %q", s.legalName, r.Status, r.Claim, msg("status.submitted"), msg("curation.claim"))
		}
	}
	waitingRe := regexp.MustCompile(`^(\d+ hari )?\d+ jam$`)
	for _, r := range rows {
		if !waitingRe.MatchString(r.Waiting) {
			t.Errorf("row %s: waiting time %q, want \"N hari N jam\" or \"N jam\"", r.Name, r.Waiting)
		}
		if r.Assignee == "" && r.Claim == "" {
			t.Errorf("row %s has neither an assignee nor a claim button", r.Name)
		}
	}
	// Oldest waiting first: the new ones come last, in the order they came.
	if i, j := slices.IndexFunc(rows, func(r queueRow) bool { return r.Name == fresh[0].legalName }),
		slices.IndexFunc(rows, func(r queueRow) bool { return r.Name == fresh[1].legalName }); i < 0 || j != i+1 || j != len(rows)-1 {
		t.Errorf("the new applicants are rows %d and %d of %d, want the last two in submission order", i, j, len(rows))
	}

	// The counts per status are numbers, and the database's.
	links := b.texts(queueStatusNav)
	countRe := regexp.MustCompile(`^(.+) \(([0-9.]+)\)$`)
	orgCount := func(statuses ...string) int {
		return countRows(t, app, `SELECT count(*) FROM applications a JOIN organizations o ON o.id = a.assigned_org_id
 WHERE o.name = $1 AND a.status::text = ANY($2)`, curatorOrgName, statuses)
	}
	wantLinks := map[string]int{msg("curation.queue.waiting"): orgCount("submitted", "in_review")}
	for _, st := range []string{"submitted", "in_review", "revision_requested", "curated", "rejected", "suspended"} {
		wantLinks[msg("status."+st)] = orgCount(st)
	}
	if len(links) != len(wantLinks) {
		t.Errorf("the status links are %q, want %d of them", links, len(wantLinks))
	}
	for _, l := range links {
		m := countRe.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("status link %q does not end in a count", l)
			continue
		}
		n, _ := strconv.Atoi(strings.ReplaceAll(m[2], ".", ""))
		if want, ok := wantLinks[m[1]]; !ok || n != want {
			t.Errorf("status link %q: want %s (%d)", l, m[1], want)
		}
	}
	if n := wantLinks[msg("curation.queue.waiting")]; n != len(rows) {
		t.Errorf("the waiting count is %d but the queue shows %d rows", n, len(rows))
	}
	// The link of the list shown is marked current for screen readers: a
	// bare aria-current (an empty value) means false in WAI-ARIA.
	if cur, _ := b.attr(queueStatusNav+`[href="/curation?"]`, "aria-current"); cur != "page" && cur != "true" {
		t.Errorf(`the link of the unfiltered queue, the list shown, has aria-current=%q, want "page" or "true"`, cur)
	}
	b.screenshot("curation-queue-laptop")
	wantFits(t, b)

	// Filter by part of a name.
	if _, open := b.attr(queueFilter, "open"); open {
		t.Error("the filter is open on the unfiltered queue")
	}
	openDetails(t, b, queueFilter)
	b.wantText(queueFilter+" > summary", msg("curation.queue.filter"))
	b.fill("#f-q", "troso")
	if st := b.click(queueFilter + ` form button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("filtering ended on a %d page", st)
	}
	wantQuery(t, b, "/curation", "q", "troso")
	if got := readQueue(b); len(got) != 1 || got[0].Name != fresh[1].legalName {
		t.Errorf("filtering by %q shows %+v, want only %s", "troso", got, fresh[1].legalName)
	}
	if _, open := b.attr(queueFilter, "open"); !open {
		t.Error("the filter is folded away while it filters")
	}
	if got := b.value("#f-q"); got != "troso" {
		t.Errorf("the search field holds %q after filtering, want troso", got)
	}
	b.screenshot("curation-queue-laptop-filtered")
	// And by an NIB.
	b.fill("#f-q", fresh[0].nib)
	b.click(queueFilter + ` form button[type="submit"]`)
	wantQuery(t, b, "/curation", "q", fresh[0].nib)
	if got := readQueue(b); len(got) != 1 || got[0].Name != fresh[0].legalName {
		t.Errorf("filtering by the NIB %s shows %+v, want only %s", fresh[0].nib, got, fresh[0].legalName)
	}

	// Keyboard only: Tab to the first "Ambil" and press Enter.
	if st := b.open("/curation"); st != http.StatusOK {
		t.Fatalf("GET /curation answered %d", st)
	}
	rows = readQueue(b)
	firstClaim := slices.IndexFunc(rows, func(r queueRow) bool { return r.ClaimAction != "" })
	if firstClaim < 0 {
		t.Fatal("no row offers a claim button")
	}
	target := rows[firstClaim]
	var tabs int
	var f struct {
		Tag, Text, Action string
		Outline           string
	}
	for tabs = 1; tabs <= 80; tabs++ {
		b.press(kb.Tab, "Tab")
		b.eval(`(() => { const e = document.activeElement || document.body, fm = e.closest('form');
			return {tag: e.tagName.toLowerCase(), text: (e.innerText || '').trim().replace(/\s+/g, ' '),
				action: fm ? fm.getAttribute('action') || '' : '', outline: getComputedStyle(e).outlineStyle}; })()`, &f)
		if f.Tag == "button" && strings.HasSuffix(f.Action, "/claim") {
			break
		}
	}
	if tabs > 80 {
		t.Fatalf("80 Tabs never reached an %q button", msg("curation.claim"))
	}
	t.Logf("%d Tabs reach the first claim button %q", tabs, f.Text)
	if f.Action != target.ClaimAction {
		t.Fatalf("the first claim button reached by Tab posts to %s, want the first row's %s", f.Action, target.ClaimAction)
	}
	if !strings.HasPrefix(f.Text, msg("curation.claim")) || !strings.Contains(f.Text, target.Name) {
		t.Errorf("the focused claim button reads %q, want %q and the applicant's name for screen readers", f.Text, msg("curation.claim"))
	}
	if f.Outline == "none" {
		t.Error("the focused claim button shows no focus ring")
	}
	b.screenshot("curation-queue-laptop-claim-focused")
	if st := b.follow("press Enter on the claim button", chromedp.KeyEvent(kb.Enter)); st != http.StatusOK {
		t.Fatalf("the keyboard claim ended on a %d page: %s", st, b.textOr("main", ""))
	}
	b.wantPath(target.Href)
	b.wantText("main .flash-success", msg("flash.claimed"))
	b.wantText("main h1", target.Name)
	b.wantText(reviewStatus, msg("status.in_review"))
	b.wantContains("main", msg("curation.assigned_to", curatorName))
	if n := b.count(decisionForm); n != 1 {
		t.Errorf("after the claim the review page has %d decision forms, want 1", n)
	}
}

// digits keeps only the digits of s: an NPWP as typed, stored or shown.
func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
