package e2e

import (
	"net/http"
	"testing"

	"pasokan/internal/demo"
)

// Selectors of the queue's parts that TestCuratorQueueOnLaptop does not use.
const (
	queueTable       = `main table.queue-table`
	queueResultCount = `main [data-testid="result-count"]`
	queueNoMatch     = `main [data-testid="queue-no-match"]`
	queueClear       = `main [data-testid="clear-filters"]`
	queueEmpty       = `main [data-testid="queue-empty"]`
)

// box is an element's place on the page, in CSS pixels.
type box struct {
	Text                string
	Left, Right, Height float64
	Current             string
}

// TestCurationQueueOnPhone: a curator on a 360 px phone without
// JavaScript: the status tabs sit side by side and wrap, every one within
// the screen and tall enough for a thumb, the list shown marked current; an
// application is a card whose cells say what they are; an NIB typed in
// groups finds its application and the page counts one match; a search
// that finds nothing says so (not that the queue is empty), and its link
// clears the filters. Nothing scrolls sideways.
func TestCurationQueueOnPhone(t *testing.T) {
	t.Parallel()
	app := startApp(t)
	routeToPartner(t, app)
	s := httpSupplier{email: "wulan@contoh.id", org: "Wulan Jahit", legalName: "CV Wulan Jahit Medika", nib: "9120003000033",
		npwp: npwp15("04567891"), phone: "0813-3000-3303"}
	submitOverHTTP(t, app, s, 3)
	app.Assign(t)

	b := newBrowser(t, app, browserOpts{Width: phone.Width, Height: phone.Height, Mobile: true, NoJS: true})
	b.open("/login")
	if st := b.login(curatorEmail, demo.Password); st != http.StatusOK {
		t.Fatalf("curator login ended on a %d page: %s", st, b.textOr("main", ""))
	}
	b.wantPath("/curation")
	wantFits(t, b)
	b.screenshot("curation-queue-phone")

	tabs := func() []box {
		var out []box
		b.eval(`[...document.querySelectorAll(`+js(queueStatusNav)+`)].map(a => { const r = a.getBoundingClientRect();
			return {text: a.innerText.trim(), left: r.left, right: r.right, height: r.height, current: a.getAttribute('aria-current') || ''}; })`, &out)
		return out
	}
	got := tabs()
	if len(got) != 7 {
		t.Fatalf("%d status tabs, want 7: %+v", len(got), got)
	}
	rows := map[float64]int{}
	for _, tab := range got {
		if tab.Left < 0 || tab.Right > float64(phone.Width) {
			t.Errorf("the tab %q reaches from %.0f to %.0f px, outside the %d px screen", tab.Text, tab.Left, tab.Right, phone.Width)
		}
		if tab.Height < 44 {
			t.Errorf("the tab %q is %.1f px tall, want at least 44", tab.Text, tab.Height)
		}
		rows[tab.Left]++
	}
	if len(rows) == len(got) {
		t.Error("no two tabs share a line: they are stacked, not side by side")
	}
	var current []string
	for _, tab := range got {
		if tab.Current != "" {
			current = append(current, tab.Text+" = "+tab.Current)
		}
	}
	if len(current) != 1 || got[0].Current != "page" {
		t.Errorf("the tabs marked current: %q, want only the first (%s) with \"page\"", current, got[0].Text)
	}
	// A tab is a plain link: no JavaScript needed.
	if st := b.click(queueStatusNav + `[href="/curation?status=submitted"]`); st != http.StatusOK {
		t.Fatalf("the submitted tab led to a %d page", st)
	}
	wantQuery(t, b, "/curation", "status", "submitted")
	if cur, _ := b.attr(queueStatusNav+`[href="/curation?status=submitted"]`, "aria-current"); cur != "page" {
		t.Errorf("after choosing it, the submitted tab has aria-current=%q", cur)
	}

	// The rows are cards within the screen, each cell labelled.
	b.open("/curation")
	var cards []struct {
		Width, Right float64
		Label        string
	}
	b.eval(`[...document.querySelectorAll(`+js(queueRows)+`)].map(tr => { const r = tr.getBoundingClientRect(),
		st = tr.querySelector('td[data-label]');
		return {width: r.width, right: r.right, label: st ? getComputedStyle(st, '::before').content : ''}; })`, &cards)
	if len(cards) == 0 {
		t.Fatal("no application in the queue")
	}
	for i, c := range cards {
		if c.Right > float64(phone.Width) {
			t.Errorf("card %d reaches %.0f px, past the screen", i, c.Right)
		}
		if c.Label != `"`+msg("field.product_type")+`"` {
			t.Errorf("card %d: its first labelled cell says %s, want %q", i, c.Label, msg("field.product_type"))
		}
	}
	var display string
	b.eval(`getComputedStyle(document.querySelector(`+js(queueRows)+`)).display`, &display)
	if display == "table-row" {
		t.Error("on a phone the queue is still a table of rows")
	}

	// The NIB typed in groups.
	openDetails(t, b, queueFilter)
	b.fill("#f-q", "9120 0030 0003 3")
	if st := b.click(queueFilter + ` form button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("searching ended on a %d page", st)
	}
	if rows := readQueue(b); len(rows) != 1 || rows[0].Name != s.legalName {
		t.Errorf("the NIB typed in groups shows %+v, want only %s", rows, s.legalName)
	}
	b.wantText(queueResultCount, msg("curation.queue.found.one", "1"))
	wantFits(t, b)

	// Nothing matches: said so, and cleared with one link.
	b.fill("#f-q", "Usaha Yang Tidak Pernah Ada")
	b.click(queueFilter + ` form button[type="submit"]`)
	if !b.visible(queueNoMatch) || b.count(queueEmpty) != 0 {
		t.Errorf("a search that finds nothing: no-match shown %v, empty-queue shown %v", b.visible(queueNoMatch), b.count(queueEmpty) != 0)
	}
	b.wantContains(queueNoMatch, msg("curation.queue.no_match"))
	b.screenshot("curation-queue-phone-no-match")
	wantFits(t, b)
	if st := b.click(queueClear); st != http.StatusOK {
		t.Fatalf("clearing the filters led to a %d page", st)
	}
	b.wantPath("/curation")
	if n := b.count(queueRows); n != len(cards) {
		t.Errorf("after clearing the filters the queue shows %d applications, want %d", n, len(cards))
	}
}

// TestCurationQueueUsesALaptopsWidth: on a 1280 px laptop the queue's
// table spans the screen (the page widens past its 70rem column) and its
// rows stay low, so that a screenful shows many applications.
func TestCurationQueueUsesALaptopsWidth(t *testing.T) {
	t.Parallel()
	app := startApp(t)
	routeToPartner(t, app)
	submitOverHTTP(t, app, httpSupplier{email: "yuni@contoh.id", org: "Yuni Garmen", legalName: "CV Yuni Garmen Sehat",
		nib: "9120004000044", npwp: npwp15("05678912"), phone: "0813-4000-4404"}, 4)
	app.Assign(t)
	b := newBrowser(t, app, curatorLaptop)
	b.open("/login")
	if st := b.login(curatorEmail, demo.Password); st != http.StatusOK {
		t.Fatalf("curator login ended on a %d page", st)
	}
	b.wantPath("/curation")
	var m struct {
		Table, Viewport float64
		Rows            []float64
		Display         string
	}
	b.eval(`(() => { const t = document.querySelector(`+js(queueTable)+`);
		return {table: t.getBoundingClientRect().width, viewport: document.documentElement.clientWidth,
			rows: [...t.querySelectorAll('tbody tr')].map(tr => tr.getBoundingClientRect().height),
			display: getComputedStyle(t.querySelector('tbody tr')).display}; })()`, &m)
	t.Logf("table %.0f px of %.0f; rows %v px high", m.Table, m.Viewport, m.Rows)
	if m.Display != "table-row" {
		t.Errorf("on a laptop the queue's rows are %q, want table rows", m.Display)
	}
	if m.Table < 0.9*m.Viewport {
		t.Errorf("the table is %.0f px wide on a %.0f px screen, want at least 90 %%", m.Table, m.Viewport)
	}
	for i, h := range m.Rows {
		if h > 64 {
			t.Errorf("row %d is %.0f px high, want at most 64 (a name and its NIB)", i, h)
		}
	}
	wantFits(t, b)
	b.screenshot("curation-queue-laptop-wide")
}
