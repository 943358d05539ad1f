package e2e

import (
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"pasokan/internal/demo"
)

// focused describes document.activeElement.
type focused struct {
	Tag, ID, Class, Href, Text string
	Height                     float64
}

func activeElement(b *browser) focused {
	b.t.Helper()
	var f focused
	b.eval(`(() => { const e = document.activeElement || document.body;
		return {tag: e.tagName.toLowerCase(), id: e.id, class: typeof e.className === 'string' ? e.className : '',
			href: e.getAttribute('href') || '', text: (e.innerText || '').trim(),
			height: e.getBoundingClientRect().height}; })()`, &f)
	return f
}

// press sends one key to whatever has the focus.
func (b *browser) press(key, name string) {
	b.t.Helper()
	b.step("press "+name, chromedp.KeyEvent(key))
}

// TestKeyboardOnly: on /login the first Tab reaches the skip link, the skip
// link jumps to the content, and the login form is completed and sent with
// the keyboard alone.
func TestKeyboardOnly(t *testing.T) {
	t.Parallel()
	app := startApp(t)
	b := newBrowser(t, app, laptop)

	if st := b.open("/login"); st != http.StatusOK {
		t.Fatalf("GET /login answered %d", st)
	}
	if b.visible(".skip-link") {
		t.Error("the skip link is visible before it has the focus")
	}
	b.press(kb.Tab, "Tab")
	f := activeElement(b)
	if f.Class != "skip-link" || f.Href != "#main" {
		t.Fatalf("the first Tab focuses <%s id=%q class=%q href=%q>, want the skip link (.skip-link, href #main)", f.Tag, f.ID, f.Class, f.Href)
	}
	if f.Text != msg("layout.skip") {
		t.Errorf("the skip link reads %q, want %q", f.Text, msg("layout.skip"))
	}
	if !b.visible(".skip-link") {
		t.Error("the focused skip link is not visible")
	} else if f.Height < 44 {
		t.Errorf("the focused skip link is %gpx tall, want >= 44px", f.Height)
	}
	b.screenshot("login-skip-link-focused")

	b.press(kb.Enter, "Enter on the skip link")
	if got := b.path(); got != "/login" {
		t.Fatalf("the skip link left the page for %q", got)
	}
	var hash string
	b.eval(`location.hash`, &hash)
	if hash != "#main" {
		t.Errorf("after the skip link location.hash is %q, want #main", hash)
	}
	if f := activeElement(b); f.ID != "main" {
		t.Errorf("after the skip link the focus is on <%s id=%q>, want main#main", f.Tag, f.ID)
	}

	// From the content, the next Tab reaches the e-mail field: nothing
	// focusable stands between the heading and the form.
	b.press(kb.Tab, "Tab")
	if f := activeElement(b); f.ID != "f-email" {
		t.Fatalf("Tab from the content focuses <%s id=%q>, want #f-email", f.Tag, f.ID)
	}
	b.step("type the e-mail", chromedp.KeyEvent("umkm@pasokan.test"))
	b.press(kb.Tab, "Tab")
	if f := activeElement(b); f.ID != "f-password" {
		t.Fatalf("Tab from the e-mail field focuses <%s id=%q>, want #f-password", f.Tag, f.ID)
	}
	b.step("type the password", chromedp.KeyEvent(demo.Password))
	if got := b.value("#f-email"); got != "umkm@pasokan.test" {
		t.Fatalf("the e-mail field holds %q after typing", got)
	}
	st := b.follow("press Enter in the password field", chromedp.KeyEvent(kb.Enter))
	if st != http.StatusOK {
		t.Fatalf("the keyboard login ended on a %d page: %s", st, b.textOr("main", ""))
	}
	b.wantPath("/supplier")
	b.wantText("main h1", "Dasbor usaha")
}
