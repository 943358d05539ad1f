package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"pasokan/internal/testapp"
)

func TestPasswordResetJourney(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	// Logged in on another device, before the reset.
	other := app.Client(t)
	other.Login("umkm@pasokan.test", "pasokan-demo", "/supplier")

	c := app.Client(t)
	if page := c.Get("/login"); !strings.Contains(page.Body, `href="/password/forgot"`) {
		t.Error("the login page does not offer a reset")
	}
	// Signing up with the address leads to the reset as well.
	if r := c.Post("/register", registerForm("umkm@pasokan.test")); !strings.Contains(r.Body, `data-testid="account-exists"`) ||
		!strings.Contains(r.Body, `href="/password/forgot"`) {
		t.Error("the taken-address error does not lead to the reset")
	}
	// Unknown and known addresses get the same answer; only the known one
	// gets an e-mail.
	for _, email := range []string{"tidak.ada@contoh.id", "umkm@pasokan.test"} {
		r := c.Post("/password/forgot", url.Values{"email": {email}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/password/forgot/sent" {
			t.Fatalf("forgot %s: %d to %q", email, r.StatusCode, r.Header.Get("Location"))
		}
	}
	for _, e := range app.Emails(t) {
		if e.To == "tidak.ada@contoh.id" {
			t.Error("an e-mail went to an address without an account")
		}
	}
	if page := c.Get("/password/forgot/sent"); !strings.Contains(page.Body, "Periksa e-mail Anda") {
		t.Error("no confirmation page")
	}
	link := strings.TrimPrefix(app.LinkIn(t, "umkm@pasokan.test", "password_reset"), app.URL)
	if !strings.HasPrefix(link, "/password/reset/") {
		t.Fatalf("link %q", link)
	}
	if page := c.Get(link); page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `name="password"`) {
		t.Fatalf("reset page: %d", page.StatusCode)
	}
	if r := c.Post(link, url.Values{"password": {"123"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a short password: %d, want 422", r.StatusCode)
	}
	r := c.Post(link, url.Values{"password": {"jahit masker tiga lapis"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Fatalf("reset: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	// The link works once; the old device's session has ended; the new
	// password logs in, the old one does not.
	if r := c.Get(link); r.StatusCode != http.StatusNotFound || !strings.Contains(r.Body, `href="/password/forgot"`) {
		t.Errorf("used link: %d", r.StatusCode)
	}
	if r := other.Get("/supplier"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("a session from before the reset lives on: %d", r.StatusCode)
	}
	if r := app.Client(t).Post("/login", loginForm("umkm@pasokan.test", "pasokan-demo")); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("the old password: %d", r.StatusCode)
	}
	app.Client(t).Login("umkm@pasokan.test", "jahit masker tiga lapis", "/supplier")
}

func TestPasswordResetRequestsAreThrottled(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)
	for i := range 3 {
		if r := c.Post("/password/forgot", url.Values{"email": {"umkm@pasokan.test"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("request %d: %d", i+1, r.StatusCode)
		}
	}
	// A fourth for the same account within the hour waits, whatever the
	// address; so does one for an unknown account, after as many.
	if r := c.Post("/password/forgot", url.Values{"email": {"umkm@pasokan.test"}}); r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Errorf("fourth request: %d", r.StatusCode)
	}
	for range 3 {
		c.Post("/password/forgot", url.Values{"email": {"tidak.ada@contoh.id"}})
	}
	if r := c.Post("/password/forgot", url.Values{"email": {"tidak.ada@contoh.id"}}); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("fourth request for an unknown address: %d, want the same 429", r.StatusCode)
	}
	n := 0
	for _, e := range app.Emails(t) {
		if e.Kind == "password_reset" {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d reset e-mails, want 3", n)
	}
}
