package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pasokan/internal/demo"
)

// TestForgottenPasswordOnPhone is an UMKM owner who forgot the password,
// on a 360px phone: from the login page to a link by e-mail (read from the
// outbox), a refused short password, the new one typed with the password
// shown, and the login with it. The session a laptop without JavaScript
// held from before the reset is dead afterwards, and the link works once.
func TestForgottenPasswordOnPhone(t *testing.T) {
	t.Parallel()
	app := startApp(t)
	const (
		email       = "umkm@pasokan.test"
		newPassword = "jarum benang kain katun"
	)

	// Logged in on a laptop before the reset, without JavaScript: the
	// show-password box stays out of the way there.
	noJS := laptop
	noJS.NoJS = true
	old := newBrowser(t, app, noJS)
	if st := old.open("/login"); st != http.StatusOK {
		t.Fatalf("GET /login answered %d", st)
	}
	if old.visible(".password-toggle") {
		t.Error("without JavaScript the show-password box shows, and would do nothing")
	}
	if st := old.login(email, demo.Password); st != http.StatusOK {
		t.Fatalf("login on the laptop ended on a %d page: %s", st, old.textOr("main", ""))
	}
	old.wantPath("/supplier")

	b := newBrowser(t, app, phone)
	if st := b.open("/login"); st != http.StatusOK {
		t.Fatalf("GET /login answered %d", st)
	}
	b.wantText(`main a[data-testid="forgot-link"]`, msg("login.forgot_link"))
	if st := b.click(`main a[data-testid="forgot-link"]`); st != http.StatusOK {
		t.Fatalf("the forgot link led to a %d", st)
	}
	b.wantPath("/password/forgot")
	b.wantText("main h1", msg("password.forgot.title"))
	wantReadable(t, b)
	b.fill("#f-email", email)
	if st := b.click(`main form[action="/password/forgot"] button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("asking for a link ended on a %d page: %s", st, b.textOr("main", ""))
	}
	b.wantPath("/password/forgot/sent")
	b.wantText(`main [data-testid="reset-sent"] h1`, msg("password.sent.title"))
	wantReadable(t, b)
	b.screenshot("password-reset-1-sent")

	// The e-mail, as the outbox holds it.
	app.Deliver(t)
	link := app.LinkIn(t, email, "password_reset")
	path := strings.TrimPrefix(link, app.URL)
	if !strings.HasPrefix(path, "/password/reset/") {
		t.Fatalf("the e-mail's link is %q", link)
	}
	if st := b.open(path); st != http.StatusOK {
		t.Fatalf("the e-mailed link answered %d", st)
	}
	b.wantText("main h1", msg("password.reset.title"))
	wantReadable(t, b)

	// The show-password box shows what was typed, and hides it again.
	if !b.visible(".password-toggle") {
		t.Fatal("with JavaScript the show-password box is not shown")
	}
	b.wantText(".password-toggle", msg("password.toggle.show"))
	b.fill("#f-password", "pendek")
	toggle := func(want string) {
		t.Helper()
		b.step("tick the show-password box", chromedp.Click(chromedp.CSS(".password-toggle input")))
		if got, _ := b.attr("#f-password", "type"); got != want {
			t.Fatalf("after the show-password box the field's type is %q, want %q", got, want)
		}
	}
	toggle("text")
	toggle("password")
	toggle("text")
	b.screenshot("password-reset-2-shown")

	// Too short: the error summary and the field's error, the field empty.
	if st := b.click(`main form[action^="/password/reset/"] button[type="submit"]`); st != http.StatusUnprocessableEntity {
		t.Errorf("a too short password answered %d, want 422", st)
	}
	b.wantPath(path)
	short := msg("error.password_short")
	b.wantContains(".form-errors", msg("form.has_errors"))
	b.wantText(`.form-errors a[href="#f-password"]`, short)
	b.wantText("#f-password-error", short)
	if got := b.value("#f-password"); got != "" {
		t.Errorf("after the error the password field holds %q, want it empty", got)
	}
	if got, _ := b.attr("#f-password", "type"); got != "password" {
		t.Errorf("after the error the field's type is %q, want password", got)
	}
	wantReadable(t, b)

	// The new password, typed while shown: submitting still sends it.
	b.fill("#f-password", newPassword)
	toggle("text")
	if st := b.click(`main form[action^="/password/reset/"] button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("saving the new password ended on a %d page: %s", st, b.textOr("main", ""))
	}
	b.wantPath("/login")
	b.wantText("main .flash-success", msg("flash.password_reset"))
	b.screenshot("password-reset-3-login")

	// The laptop's session from before the reset has ended, and the old
	// password no longer logs in.
	if st := old.open("/supplier"); st != http.StatusOK {
		t.Fatalf("GET /supplier on the laptop ended on a %d page", st)
	}
	old.wantPath("/login?next=" + url.QueryEscape("/supplier"))
	if st := old.login(email, demo.Password); st != http.StatusUnauthorized {
		t.Errorf("the old password answered %d, want 401", st)
	}

	// The new password logs in.
	if st := b.login(email, newPassword); st != http.StatusOK {
		t.Fatalf("login with the new password ended on a %d page: %s", st, b.textOr("main", ""))
	}
	b.wantPath("/supplier")
	b.wantText("main h1", "Dasbor usaha")

	// The link worked once: now it says so and leads to a new one.
	if st := b.open(path); st != http.StatusNotFound {
		t.Errorf("the used link answered %d, want 404", st)
	}
	b.wantText("main h1", msg("error.page.reset_link.title"))
	b.wantText(`main a[href="/password/forgot"]`, msg("password.reset.ask_again"))
	wantReadable(t, b)
	b.screenshot("password-reset-4-used-link")
}
