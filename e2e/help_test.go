package e2e

import (
	"net/http"
	"testing"
)

// TestVisitorFindsHelpOnPhone: on a 360px phone, without JavaScript, a
// visitor sees who runs the portal and its figures, follows the home
// page's link to the help page, and finds it again in the footer; every
// page is checked as every journey's are (nothing scrolls sideways, no
// serious accessibility violation).
func TestVisitorFindsHelpOnPhone(t *testing.T) {
	t.Parallel()
	app := startApp(t)
	o := phone
	o.NoJS = true
	b := newBrowser(t, app, o)
	if st := b.open("/"); st != http.StatusOK {
		t.Fatalf("/: %d", st)
	}
	b.wantText(`[data-testid="home-ministry"]`, msg("home.ministry"))
	if n := b.count(`.cards [data-testid^="figure-"]`); n != 5 {
		t.Errorf("the home page shows %d figures, want 5", n)
	}
	wantReadable(t, b)
	b.screenshot("help-phone-0-home")
	if st := b.click(`[data-testid="home-help"]`); st != http.StatusOK {
		t.Fatalf("the help link: %d", st)
	}
	b.wantPath("/help")
	b.wantText("main h1", msg("help.heading"))
	b.wantText(`[data-testid="help-cost"] h2`, msg("help.q.cost"))
	wantReadable(t, b)
	b.screenshot("help-phone-1-help")
	// The footer's link, from another page.
	b.open("/verify")
	if st := b.click(`footer a[href="/help"]`); st != http.StatusOK {
		t.Fatalf("the footer's help link: %d", st)
	}
	b.wantPath("/help")
}
