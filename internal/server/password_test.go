package server_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
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
	resets := 0
	for _, e := range app.Emails(t) {
		if e.To == "tidak.ada@contoh.id" {
			t.Error("an e-mail went to an address without an account")
		}
		if e.To == "umkm@pasokan.test" && e.Kind == "password_reset" {
			resets++
		}
	}
	if resets != 1 {
		t.Errorf("%d reset e-mails to the known address, want 1", resets)
	}
	if page := c.Get("/password/forgot/sent"); !strings.Contains(page.Body, "Periksa e-mail Anda") {
		t.Error("no confirmation page")
	}
	link := strings.TrimPrefix(app.LinkIn(t, "umkm@pasokan.test", "password_reset"), app.URL)
	if !strings.HasPrefix(link, "/password/reset/") {
		t.Fatalf("link %q", link)
	}
	// Only the link's hash is stored.
	token := strings.TrimPrefix(link, "/password/reset/")
	if n := resetRows(t, app, `token_hash = $1`, sha256Of(token)); n != 1 {
		t.Errorf("%d reset rows hold the sha256 of the link's token, want 1", n)
	}
	if page := c.Get(link); page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `name="password"`) {
		t.Fatalf("reset page: %d", page.StatusCode)
	}
	// A refused password comes back in the error summary, never typed
	// back into the page; the link still works.
	r := c.Post(link, url.Values{"password": {"123"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `class="form-errors"`) ||
		!strings.Contains(r.Body, `href="#f-password"`) || strings.Contains(r.Body, `value="123"`) {
		t.Errorf("a short password: %d, want 422 with the error summary and an empty field", r.StatusCode)
	}
	r = c.Post(link, url.Values{"password": {"jahit masker tiga lapis"}})
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
	// The login page says what happened.
	if page := c.Get("/login"); !strings.Contains(page.Body, "Kata sandi baru tersimpan") {
		t.Error("no success message on the login page after the reset")
	}
	if n := auditRows(t, app, "account.password_reset", "umkm@pasokan.test"); n != 1 {
		t.Errorf("%d audit events of the reset, want 1", n)
	}
}

// TestPasswordResetLinkExpires: a link older than an hour is refused, on
// the form and on its submission, with a way to ask for a new one; the
// password stays as it was.
func TestPasswordResetLinkExpires(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)
	if r := c.Post("/password/forgot", url.Values{"email": {"umkm@pasokan.test"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("forgot: %d", r.StatusCode)
	}
	link := strings.TrimPrefix(app.LinkIn(t, "umkm@pasokan.test", "password_reset"), app.URL)
	ctx := context.Background()
	dbtest.Must(t, app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE password_resets SET created_at = now() - interval '61 minutes', expires_at = now() - interval '1 minute'`)
		return err
	}))
	for _, r := range []*testapp.Response{c.Get(link), c.Post(link, url.Values{"password": {"jahit masker tiga lapis"}})} {
		if r.StatusCode != http.StatusNotFound || !strings.Contains(r.Body, "Tautan tidak berlaku") ||
			!strings.Contains(r.Body, `href="/password/forgot"`) || !strings.Contains(r.Body, "Minta tautan baru") {
			t.Errorf("%s of an expired link: %d, want 404 with a link to ask again", r.Request.Method, r.StatusCode)
		}
	}
	if n := resetRows(t, app, `used_at IS NOT NULL`); n != 0 {
		t.Errorf("%d links marked used by an expired link", n)
	}
	app.Client(t).Login("umkm@pasokan.test", "pasokan-demo", "/supplier")
	// A made-up token is refused the same way.
	if r := c.Get("/password/reset/bukan-tautan-yang-benar"); r.StatusCode != http.StatusNotFound {
		t.Errorf("a made-up link: %d, want 404", r.StatusCode)
	}
}

// TestPasswordResetRequestsAreThrottledPerClient: one client asking for
// links for many addresses (listing accounts, or flooding inboxes) waits
// after 20 in 15 minutes; another client is not held back by it.
func TestPasswordResetRequestsAreThrottledPerClient(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.WithTrustProxy())
	c := app.Client(t)
	for i := range 20 {
		email := fmt.Sprintf("orang%d@contoh.id", i)
		if r := from(c, "203.0.113.7", "/password/forgot", url.Values{"email": {email}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("request %d: %d", i+1, r.StatusCode)
		}
	}
	r := from(c, "203.0.113.7", "/password/forgot", url.Values{"email": {"umkm@pasokan.test"}})
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" ||
		!strings.Contains(r.Body, "Terlalu banyak permintaan tautan") || !strings.Contains(r.Body, `value="umkm@pasokan.test"`) {
		t.Errorf("21st request from one client: %d, want 429 with the message and the address kept", r.StatusCode)
	}
	if r := from(app.Client(t), "198.51.100.20", "/password/forgot", url.Values{"email": {"umkm@pasokan.test"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("a request from another client: %d, want 303", r.StatusCode)
	}
	n := 0
	for _, e := range app.Emails(t) {
		if e.Kind == "password_reset" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d reset e-mails, want 1 (the other client's)", n)
	}
}

// TestPasswordFieldsOfferToShowThePassword: every password field comes
// with a "show password" box, drawn hidden for app.js to show, so that
// without JavaScript there is no box that does nothing.
func TestPasswordFieldsOfferToShowThePassword(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)
	if r := c.Post("/password/forgot", url.Values{"email": {"umkm@pasokan.test"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("forgot: %d", r.StatusCode)
	}
	link := strings.TrimPrefix(app.LinkIn(t, "umkm@pasokan.test", "password_reset"), app.URL)
	for _, path := range []string{"/login", "/register", link} {
		body := c.Get(path).Body
		if !strings.Contains(body, `<label class="password-toggle" hidden>`) ||
			!strings.Contains(body, `data-password-toggle="f-password"`) || !strings.Contains(body, "Tampilkan kata sandi") {
			t.Errorf("%s: no hidden show-password box for #f-password", path)
		}
	}
}

// sha256Of is the hash of a link's token as the database keeps it.
func sha256Of(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// resetRows counts the password-reset links matching where.
func resetRows(t *testing.T, app *testapp.App, where string, args ...any) int {
	t.Helper()
	var n int
	ctx := context.Background()
	dbtest.Must(t, app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM password_resets WHERE `+where, args...).Scan(&n)
	}))
	return n
}

// auditRows counts the audit events of action by the user with email.
func auditRows(t *testing.T, app *testapp.App, action, email string) int {
	t.Helper()
	var n int
	ctx := context.Background()
	dbtest.Must(t, app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM audit_events
 WHERE action = $1 AND actor_user_id = (SELECT id FROM users WHERE email = $2)`, action, email).Scan(&n)
	}))
	return n
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
