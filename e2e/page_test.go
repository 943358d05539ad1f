package e2e

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"pasokan/internal/i18n"
)

// What a test does on a page and what it checks there. Reads go through
// JavaScript evaluated by DevTools, which works with the page's own scripts
// disabled and never waits: a missing element fails at once.

// step runs actions with the step timeout.
func (b *browser) step(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s (on %s): %v", what, b.location(), err)
	}
}

// open loads path and returns the HTTP status of the document.
func (b *browser) open(path string) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	b.audit()
	return resp.Status
}

// follow runs actions that lead to a new page (a click, a key press), waits
// until it has loaded and returns the HTTP status of its document (after
// redirects).
func (b *browser) follow(what string, actions ...chromedp.Action[chromedp.Void]) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		b.t.Fatalf("%s (from %s): %v", what, b.location(), err)
	}
	if resp == nil {
		b.t.Fatalf("%s (from %s): no document response", what, b.location())
	}
	b.audit()
	return resp.Status
}

// click clicks the element sel and waits for the page it leads to.
func (b *browser) click(sel string) int64 {
	b.t.Helper()
	b.openMenuFor(sel)
	return b.follow("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// openMenuFor opens the header's menu when sel is in it and the menu is
// closed (on a phone), as a person would before choosing from it.
func (b *browser) openMenuFor(sel string) {
	b.t.Helper()
	var closed bool
	b.eval(`(() => { const e = document.querySelector(`+js(sel)+`);
		if (!e || !e.closest('#site-menu')) return false;
		const r = e.getBoundingClientRect();
		return r.width < 1 || r.height < 1; })()`, &closed)
	if closed {
		// The menu opens by a jump within the page (its :target). Waiting
		// until what is wanted shows also lets that jump's navigation
		// event arrive before the click that follows starts to wait for a
		// page, which would otherwise take the jump for it.
		b.step("open the menu", chromedp.Click(chromedp.CSS(".menu-link")),
			chromedp.WaitVisible(chromedp.CSS(sel)))
	}
}

// fill empties the field sel and types value into it with real key events.
func (b *browser) fill(sel, value string) {
	b.t.Helper()
	var cleared bool
	b.eval(`(() => { const e = document.querySelector(`+js(sel)+`); if (!e) return false; e.value = ""; return true; })()`, &cleared)
	if !cleared {
		b.t.Fatalf("no field %q to type into on %s", sel, b.location())
	}
	b.step("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), value))
}

// location is the current URL, or a note why it is unknown.
func (b *browser) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "(location unknown: " + err.Error() + ")"
	}
	return loc
}

// path is the current path and query, without the host.
func (b *browser) path() string {
	b.t.Helper()
	u, err := url.Parse(b.location())
	if err != nil {
		b.t.Fatalf("current URL: %v", err)
	}
	return u.RequestURI()
}

// wantPath fails unless the page is at want (path and query).
func (b *browser) wantPath(want string) {
	b.t.Helper()
	if got := b.path(); got != want {
		b.t.Fatalf("page is at %q, want %q\nmain: %s", got, want, b.textOr("main", "(no main)"))
	}
}

// eval evaluates a JavaScript expression and decodes its JSON value into
// out. DevTools may evaluate even when the page's own scripts are disabled.
func (b *browser) eval(expr string, out any) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		b.t.Fatalf("evaluate %s: decode %s: %v", expr, raw, err)
	}
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// found is what a query for one element gives back.
type found struct {
	Found bool   `json:"found"`
	Value string `json:"value"`
}

// query returns getter(element) for the first element matching sel;
// getter is a JavaScript expression over e.
func (b *browser) query(sel, getter string) found {
	b.t.Helper()
	var f found
	b.eval(`(() => { const e = document.querySelector(`+js(sel)+`);
		return e ? {found: true, value: String(`+getter+`)} : {found: false, value: ""}; })()`, &f)
	return f
}

var spaces = regexp.MustCompile(`\s+`)

// text is the visible text of sel, spaces collapsed; the test fails when
// there is no such element.
func (b *browser) text(sel string) string {
	b.t.Helper()
	f := b.query(sel, "e.innerText")
	if !f.Found {
		b.t.Fatalf("no element %q on %s\nmain: %s", sel, b.location(), b.textOr("main", "(no main)"))
	}
	return strings.TrimSpace(spaces.ReplaceAllString(f.Value, " "))
}

// textOr is text without failing: or is returned for a missing element.
func (b *browser) textOr(sel, or string) string {
	b.t.Helper()
	var f found
	b.eval(`(() => { const e = document.querySelector(`+js(sel)+`);
		return e ? {found: true, value: e.innerText} : {found: false, value: ""}; })()`, &f)
	if !f.Found {
		return or
	}
	return strings.TrimSpace(spaces.ReplaceAllString(f.Value, " "))
}

// value is the current value of the form control sel.
func (b *browser) value(sel string) string {
	b.t.Helper()
	f := b.query(sel, "e.value")
	if !f.Found {
		b.t.Fatalf("no form control %q on %s", sel, b.location())
	}
	return f.Value
}

// attr is the attribute name of sel, and whether it is there.
func (b *browser) attr(sel, name string) (string, bool) {
	b.t.Helper()
	f := b.query(sel, "e.hasAttribute("+js(name)+") ? '1' + e.getAttribute("+js(name)+") : ''")
	if !f.Found {
		b.t.Fatalf("no element %q on %s", sel, b.location())
	}
	if f.Value == "" {
		return "", false
	}
	return f.Value[1:], true
}

// count is the number of elements matching sel.
func (b *browser) count(sel string) int {
	b.t.Helper()
	var n int
	b.eval(`document.querySelectorAll(`+js(sel)+`).length`, &n)
	return n
}

// visible reports whether sel exists and takes up space on the page.
func (b *browser) visible(sel string) bool {
	b.t.Helper()
	f := b.query(sel, `(() => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
		return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none'; })()`)
	return f.Found && f.Value == "true"
}

// wantText fails unless the text of sel is want.
func (b *browser) wantText(sel, want string) {
	b.t.Helper()
	if got := b.text(sel); got != want {
		b.t.Fatalf("%s on %s reads %q, want %q", sel, b.path(), got, want)
	}
}

// wantContains fails unless the text of sel contains want.
func (b *browser) wantContains(sel, want string) {
	b.t.Helper()
	if got := b.text(sel); !strings.Contains(got, want) {
		b.t.Fatalf("%s on %s reads %q, want it to contain %q", sel, b.path(), got, want)
	}
}

// wantLang fails unless <html lang> is want.
func (b *browser) wantLang(want string) {
	b.t.Helper()
	if got, _ := b.attr("html", "lang"); got != want {
		b.t.Fatalf(`<html lang=%q> on %s, want %q`, got, b.path(), want)
	}
}

// wantFitsWidth fails when the page scrolls sideways.
func (b *browser) wantFitsWidth() {
	b.t.Helper()
	var w struct{ Scroll, Client int }
	b.eval(`({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})`, &w)
	if w.Scroll > int(b.opts.Width) {
		b.t.Errorf("%s scrolls sideways at %dpx: scrollWidth %d (clientWidth %d)", b.path(), b.opts.Width, w.Scroll, w.Client)
	}
}

// msg is the Indonesian text of an i18n key, as the page shows it.
func msg(key string, args ...any) string { return i18n.Translate(i18n.ID, key, args...) }

// login fills the login form (the browser must be on /login) and submits it,
// returning the status of the page it leads to.
func (b *browser) login(email, password string) int64 {
	b.t.Helper()
	b.fill("#f-email", email)
	b.fill("#f-password", password)
	return b.click(`main form[action="/login"] button[type="submit"]`)
}
