package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"pasokan/internal/demo"
)

// smallLaptop is the narrowest laptop screen the review page is laid out
// for in two columns.
var smallLaptop = browserOpts{Width: 1024, Height: 768}

// rect is where an element is on the screen, and whether it is sticky.
type rect struct {
	Top, Bottom, Height float64
	Sticky              bool
	Found               bool
}

func rectOf(b *browser, sel string) rect {
	b.t.Helper()
	var r rect
	b.eval(`(() => { const e = document.querySelector(`+js(sel)+`); if (!e) return {found: false};
		const r = e.getBoundingClientRect(); const p = e.closest('.decision-panel');
		return {found: true, top: r.top, bottom: r.bottom, height: r.height,
			sticky: !!p && getComputedStyle(p).position === 'sticky'}; })()`, &r)
	return r
}

func innerHeight(b *browser) float64 {
	b.t.Helper()
	var h float64
	b.eval(`window.innerHeight`, &h)
	return h
}

// activeRadio is the focused element's name, value and type.
func activeRadio(b *browser) (name, value, typ string) {
	b.t.Helper()
	var f struct{ Name, Value, Type string }
	b.eval(`(() => { const e = document.activeElement; return {name: e.name || '', value: e.value || '', type: e.type || ''}; })()`, &f)
	return f.Name, f.Value, f.Type
}

// tabTo presses Tab until sel has the focus (at most max times).
func tabTo(t *testing.T, b *browser, sel string, max int) {
	t.Helper()
	for range max {
		b.press(kb.Tab, "Tab")
		var ok bool
		b.eval(`document.activeElement === document.querySelector(`+js(sel)+`)`, &ok)
		if ok {
			return
		}
	}
	f := activeElement(b)
	t.Fatalf("%d Tabs never reached %s; the focus is on <%s id=%q class=%q>", max, sel, f.Tag, f.ID, f.Class)
}

// TestCuratorDecidesWithTheKeyboardOnALaptop: on a 1024×768 laptop the
// review page is two columns, the decision at the bottom of the screen
// from the start while the evidence runs on below it. A curator claims and
// decides an application with Tab, Space and Enter only, never scrolling
// past the evidence to reach the button, and lands on the next waiting
// application with the decision confirmed by name. On a 360 px phone the
// page is one column that fits.
func TestCuratorDecidesWithTheKeyboardOnALaptop(t *testing.T) {
	t.Parallel()
	app := startApp(t)
	routeToPartner(t, app)
	first := httpSupplier{email: "tenun@contoh.id", org: "Tenun Ikat", legalName: "CV Tenun Ikat Garut",
		nib: "9120001111111", npwp: npwp15("11111111"), phone: "0812-1111-1111"}
	second := httpSupplier{email: "rajut@contoh.id", org: "Rajut Rapi", legalName: "CV Rajut Rapi Bandung",
		nib: "9120002222222", npwp: npwp15("22222222"), phone: "0812-2222-2222"}
	submitOverHTTP(t, app, first, 1)
	submitOverHTTP(t, app, second, 2)
	app.Assign(t)

	cur := newBrowser(t, app, smallLaptop)
	cur.open("/login")
	if st := cur.login(curatorEmail, demo.Password); st != http.StatusOK {
		t.Fatalf("curator login ended on a %d page", st)
	}
	var firstPath, secondPath string
	for _, r := range readQueue(cur) {
		switch r.Name {
		case first.legalName:
			firstPath = r.Href
		case second.legalName:
			secondPath = r.Href
		}
	}
	if firstPath == "" || secondPath == "" {
		t.Fatalf("the queue lacks the two applications: %+v", readQueue(cur))
	}
	// Claim the first one by keyboard from its review page: the jump link
	// leads to the decision column, where the claim button is.
	if st := cur.open(firstPath); st != http.StatusOK {
		t.Fatalf("GET %s answered %d", firstPath, st)
	}
	tabTo(t, cur, "a.review-jump", 40)
	cur.press(kb.Enter, "Enter on the jump link")
	cur.press(kb.Tab, "Tab")
	if f := activeElement(cur); f.Tag != "button" || f.Text != msg("curation.claim_start") {
		t.Fatalf("Tab after the jump link focuses <%s> %q, want the claim button", f.Tag, f.Text)
	}
	if st := cur.follow("Enter on the claim button", chromedp.KeyEvent(kb.Enter)); st != http.StatusOK {
		t.Fatalf("claiming by keyboard ended on a %d page", st)
	}
	cur.wantPath(firstPath)
	cur.wantText(reviewStatus, msg("status.in_review"))
	// The next one is the first the queue offers to claim (the demo's own
	// waiting applications come before the second one, submitted later).
	if st := cur.open("/curation"); st != http.StatusOK {
		t.Fatalf("GET /curation answered %d", st)
	}
	nextPath := ""
	for _, r := range readQueue(cur) {
		if r.ClaimAction != "" {
			nextPath = r.Href
			break
		}
	}
	if nextPath == "" || nextPath == firstPath {
		t.Fatalf("the queue offers %q to claim next", nextPath)
	}
	if st := cur.open(firstPath); st != http.StatusOK {
		t.Fatalf("GET %s answered %d", firstPath, st)
	}

	// Two columns; the decision in view at once, while the evidence goes
	// on below the screen.
	var cols struct{ Evidence, Side, EvidenceBottom float64 }
	cur.eval(`(() => { const e = document.querySelector('.review-evidence').getBoundingClientRect();
		const s = document.querySelector('.review-side').getBoundingClientRect();
		return {evidence: e.left, side: s.left, evidenceBottom: e.bottom}; })()`, &cols)
	if cols.Side <= cols.Evidence+300 {
		t.Errorf("the evidence (x=%g) and the checklist (x=%g) are not side by side at 1024 px", cols.Evidence, cols.Side)
	}
	h := innerHeight(cur)
	button := rectOf(cur, decisionSave)
	if !button.Found || button.Top < 0 || button.Bottom > h {
		t.Errorf("on arrival the decision button is at %g–%g, outside the %g px screen", button.Top, button.Bottom, h)
	}
	if cols.EvidenceBottom <= h {
		t.Logf("the evidence ends at %g, within the screen: nothing to scroll past", cols.EvidenceBottom)
	}
	cur.screenshot("review-laptop-1024-arrival")

	// The keyboard alone: the jump link, then Tab and Space through every
	// item, the decision, the button, Enter.
	items := checklistItems(cur)
	if len(items) < 8 {
		t.Fatalf("the checklists have %d items", len(items))
	}
	tabTo(t, cur, "a.review-jump", 40)
	cur.press(kb.Enter, "Enter on the jump link")
	for i, it := range items {
		cur.press(kb.Tab, "Tab")
		if name, value, typ := activeRadio(cur); typ != "radio" || name != it.Name || value != "pass" {
			t.Fatalf("Tab to item %d (%q) focuses %s %s=%s, want its first answer", i+1, it.Text, typ, name, value)
		}
		if r := rectOf(cur, `input[name="`+it.Name+`"][value="pass"]`); r.Top < 0 || r.Bottom > h {
			t.Errorf("item %d's focused answer is at %g–%g, off the %g px screen", i+1, r.Top, r.Bottom, h)
		}
		if panel := rectOf(cur, `.decision-panel`); panel.Found {
			if r := rectOf(cur, `input[name="`+it.Name+`"][value="pass"]`); r.Bottom > panel.Top && r.Top < panel.Bottom {
				t.Errorf("item %d's focused answer (%g–%g) hides under the decision panel (%g–%g)", i+1, r.Top, r.Bottom, panel.Top, panel.Bottom)
			}
		}
		cur.press(" ", "Space")
		if got := checked(cur, it.Name); got != "pass" {
			t.Fatalf("Space left item %d at %q", i+1, got)
		}
	}
	cur.press(kb.Tab, "Tab")
	if name, value, _ := activeRadio(cur); name != "decision" || value != "curate" {
		t.Fatalf("Tab after the last item focuses %s=%s, want the decision (curate)", name, value)
	}
	cur.press(" ", "Space")
	cur.press(kb.Tab, "Tab")
	if f := activeElement(cur); f.ID != "f-reason" {
		t.Fatalf("Tab after the decision focuses <%s id=%q>, want the reason", f.Tag, f.ID)
	}
	cur.press(kb.Tab, "Tab")
	if f := activeElement(cur); f.Tag != "button" || f.Text != msg("curation.decide") {
		t.Fatalf("Tab after the reason focuses <%s> %q, want the decision button", f.Tag, f.Text)
	}
	button = rectOf(cur, decisionSave)
	if button.Top < 0 || button.Bottom > h || !button.Sticky {
		t.Errorf("the focused decision button is at %g–%g of %g px (sticky %v), want it in view in the sticky panel", button.Top, button.Bottom, h, button.Sticky)
	}
	cur.screenshot("review-laptop-1024-decide")
	if st := cur.follow("Enter on the decision button", chromedp.KeyEvent(kb.Enter)); st != http.StatusOK {
		t.Fatalf("deciding by keyboard ended on a %d page: %s", st, cur.textOr("main", ""))
	}
	cur.wantPath(nextPath)
	cur.wantText("main .flash-success", msg("review.decided.curated", first.legalName))
	cur.wantText(reviewStatus, msg("status.submitted"))
	cur.wantText(claimStart, msg("curation.claim_start"))

	// On a phone: one column that fits, the checklist after the evidence.
	ph := newBrowser(t, app, phone)
	ph.open("/login")
	if st := ph.login(curatorEmail, demo.Password); st != http.StatusOK {
		t.Fatalf("curator login on the phone ended on a %d page", st)
	}
	if st := ph.open(firstPath); st != http.StatusOK {
		t.Fatalf("GET %s on the phone answered %d", firstPath, st)
	}
	var stacked bool
	ph.eval(`document.querySelector('.review-side').getBoundingClientRect().top >= document.querySelector('.review-evidence').getBoundingClientRect().bottom`, &stacked)
	if !stacked {
		t.Error("on a phone the decision column is not below the evidence")
	}
	ph.screenshot("review-phone-curated")
	wantFits(t, ph)
	if !strings.Contains(ph.text("main"), first.legalName) {
		t.Error("the phone does not show the curated application")
	}
	// The next one claimed on the phone: the checklist and a revision note
	// opened still fit 360 px.
	if st := ph.open(nextPath); st != http.StatusOK {
		t.Fatalf("GET %s on the phone answered %d", nextPath, st)
	}
	if st := ph.click(claimStart); st != http.StatusOK {
		t.Fatalf("claiming on the phone ended on a %d page", st)
	}
	if n := ph.count(decisionForm); n != 1 {
		t.Fatalf("after the claim on the phone the page has %d decision forms", n)
	}
	ph.step("open the NIB's revision note", chromedp.Click(chromedp.CSS(`details.revise:has(#f-revise_field_nib) > summary`)))
	if !ph.visible("#f-revise_field_nib") {
		t.Error("the NIB's revision note does not open on the phone")
	}
	if p := rectOf(ph, ".decision-panel"); p.Sticky {
		t.Error("the decision panel is sticky on a phone, covering the page")
	}
	ph.screenshot("review-phone-in-review")
	wantFits(t, ph)
}
