package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/testapp"
)

// owner is an UMKM owner who signs up; phone (optional) is the number as
// typed, phoneShown as the profile then shows it.
type owner struct{ name, org, email, password, phone, phoneShown string }

// signUpAndBack walks an owner from the landing page through sign-up to the
// dashboard, out again and back in with the same credentials, checking
// every page on the way. shot prefixes the screenshots' names.
func signUpAndBack(t *testing.T, b *browser, o owner, shot string) {
	t.Helper()
	if st := b.open("/"); st != http.StatusOK {
		t.Fatalf("GET / answered %d", st)
	}
	b.wantLang("id")
	b.wantText("main h1", msg("home.heading"))
	b.wantFitsWidth()
	b.wantText(`main a[href="/register"]`, "Daftarkan usaha")

	// The privacy notice is linked from every page's footer.
	privacyLink := `.site-footer a[href="/privacy"]`
	b.wantText(privacyLink, msg("layout.footer_privacy"))
	if st := b.click(privacyLink); st != http.StatusOK {
		t.Fatalf("the footer's privacy link led to a %d page", st)
	}
	b.wantPath("/privacy")
	b.wantText("main h1", msg("privacy.title"))
	b.wantContains("main", "UU")
	b.wantContains("main #rights", msg("privacy.rights.withdraw"))
	wantReadable(t, b)
	b.screenshot(shot + "-0-privacy")
	if st := b.open("/"); st != http.StatusOK {
		t.Fatalf("GET / answered %d", st)
	}

	if st := b.click(`main a[href="/register"]`); st != http.StatusOK {
		t.Fatalf("the register link led to a %d", st)
	}
	b.wantPath("/register")
	b.wantText("main h1", "Daftarkan usaha Anda")
	wantReadable(t, b)
	b.fill("#f-name", o.name)
	b.fill("#f-organization_name", o.org)
	b.fill("#f-email", o.email)
	b.fill("#f-phone", o.phone)
	b.fill("#f-password", o.password)
	// The short notice beside the form says what is collected and why, and
	// the consent links the whole notice.
	b.wantText(`main [data-testid="privacy-summary"] h2`, msg("register.privacy.heading"))
	b.wantText(`main label[for="f-consent"] a[href="/privacy"]`, msg("register.consent_link"))
	b.check("#f-consent")
	b.screenshot(shot + "-1-register")

	if st := b.click(`main form[action="/register"] button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("sign-up ended on a %d page at %s: %s", st, b.path(), b.textOr("main", ""))
	}
	b.wantPath("/supplier")
	b.wantText("main h1", "Dasbor usaha")
	b.wantText("main .flash-success", msg("flash.registered"))
	b.wantContains("main", msg("supplier.dashboard.welcome", o.name, o.org))
	b.wantContains(".site-header .org-switcher", o.org)
	b.wantContains(`main [data-testid="confirm-email-banner"]`, msg("supplier.confirm_email.banner"))
	b.wantFitsWidth()
	b.screenshot(shot + "-2-dashboard")

	// The number given at sign-up fills the business profile's phone field.
	if st := b.open("/supplier/profile"); st != http.StatusOK {
		t.Fatalf("GET /supplier/profile answered %d", st)
	}
	if got := b.value("#f-phone"); got != o.phoneShown {
		t.Errorf("the profile's phone field holds %q, want %q (the number given at sign-up)", got, o.phoneShown)
	}
	if st := b.open("/supplier"); st != http.StatusOK {
		t.Fatalf("GET /supplier answered %d", st)
	}

	logout := `.site-header form[action="/logout"] button[type="submit"]`
	b.wantText(logout, "Keluar")
	if st := b.click(logout); st != http.StatusOK {
		t.Fatalf("logout ended on a %d page", st)
	}
	b.wantPath("/login")
	b.wantText("main h1", msg("login.title"))
	b.wantText("main .flash-success", msg("flash.logged_out"))
	if n := b.count(logout); n != 0 {
		t.Fatalf("after logout the header still has %d logout buttons", n)
	}
	// The dashboard is closed to a visitor now.
	if st := b.open("/supplier"); st != http.StatusOK {
		t.Fatalf("GET /supplier as a visitor ended on a %d page", st)
	}
	b.wantPath("/login?next=" + url.QueryEscape("/supplier"))

	if st := b.login(o.email, o.password); st != http.StatusOK {
		t.Fatalf("login ended on a %d page: %s", st, b.textOr("main", ""))
	}
	b.wantPath("/supplier")
	b.wantText("main h1", "Dasbor usaha")
	b.wantContains("main", msg("supplier.dashboard.welcome", o.name, o.org))
}

// readability is what wantReadable measures on a page.
type readability struct {
	ScrollWidth int       `json:"scrollWidth"`
	Body        float64   `json:"body"`
	Text        []measure `json:"text"`
	Controls    []measure `json:"controls"`
	Targets     []measure `json:"targets"`
	Small       []measure `json:"small"`
}

type measure struct {
	El   string  `json:"el"`
	Text string  `json:"text"`
	V    float64 `json:"v"`
}

func (m measure) String() string { return fmt.Sprintf("%s %q: %gpx", m.El, m.Text, m.V) }

const readabilityJS = `(() => {
	const shown = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
		return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none'; };
	const font = e => parseFloat(getComputedStyle(e).fontSize);
	const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
		(typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : '');
	const label = e => (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 40);
	const list = (sel, f) => [...document.querySelectorAll(sel)].filter(shown).map(e => ({el: name(e), text: label(e), v: f(e)}));
	return {
		scrollWidth: document.documentElement.scrollWidth,
		body: font(document.body),
		text: list('main p:not(.hint), main li, main label, main .flash, main dd', font),
		controls: list('main input:not([type=hidden]), main select, main textarea, main button', font),
		targets: list('.site-nav a, .site-nav button, .site-header a, .site-header button, .site-header select', e => e.getBoundingClientRect().height),
		small: [...document.querySelectorAll('body *')].filter(e => shown(e) && font(e) < 16 &&
			[...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
			.map(e => ({el: name(e), text: label(e), v: font(e)})),
	};
})()`

// wantReadable checks what a phone reader needs: no sideways scrolling,
// body text and form controls at 16px or more (iOS zooms into smaller
// fields), and touch targets in the header at least 44px tall. Smaller
// secondary text (hints, footer) is logged, not failed.
func wantReadable(t *testing.T, b *browser) {
	t.Helper()
	var r readability
	b.eval(readabilityJS, &r)
	where := b.path()
	if r.ScrollWidth > int(b.opts.Width) {
		t.Errorf("%s: scrollWidth %d > viewport %d: the page scrolls sideways", where, r.ScrollWidth, b.opts.Width)
	}
	if r.Body < 16 {
		t.Errorf("%s: body font-size %gpx, want >= 16px", where, r.Body)
	}
	if len(r.Text) == 0 {
		t.Errorf("%s: no body text found to measure", where)
	}
	for _, m := range r.Text {
		if m.V < 16 {
			t.Errorf("%s: body text %v, want >= 16px", where, m)
		}
	}
	for _, m := range r.Controls {
		if m.V < 16 {
			t.Errorf("%s: form control %v, want >= 16px", where, m)
		}
	}
	if len(r.Targets) == 0 {
		t.Errorf("%s: no header links or buttons found to measure", where)
	}
	for _, m := range r.Targets {
		if m.V < 44 {
			t.Errorf("%s: header touch target %v tall, want >= 44px", where, m)
		}
	}
	for _, m := range r.Small {
		t.Logf("%s: note, secondary text below 16px: %v", where, m)
	}
	t.Logf("%s: readable at %dpx: scrollWidth %d, body %gpx, %d text blocks, %d controls, %d header targets",
		where, b.opts.Width, r.ScrollWidth, r.Body, len(r.Text), len(r.Controls), len(r.Targets))
}

// TestOwnerSignsUpOnPhone is the UMKM owner's first visit on a 360px phone
// with JavaScript on: sign up, out, in, then switch to English.
func TestOwnerSignsUpOnPhone(t *testing.T) {
	t.Parallel()
	app := startApp(t)
	b := newBrowser(t, app, phone)
	o := owner{name: "Dewi Lestari", org: "Konveksi Dewi Jaya", email: "dewi@contoh.id", password: "kain tiga lapis hijau",
		phone: "0812-3456-7890", phoneShown: "+62 812-3456-7890"}
	signUpAndBack(t, b, o, "owner-phone-js")
	wantReadable(t, b)

	en := `.site-header .lang-switch button[value="en"]`
	b.wantText(en, "English")
	if st := b.click(en); st != http.StatusOK {
		t.Fatalf("switching to English ended on a %d page", st)
	}
	b.wantPath("/supplier")
	b.wantLang("en")
	b.wantText("main h1", "Business dashboard")
	b.wantText(`.site-header form[action="/logout"] button`, "Log out")
	b.wantText(`.site-header .lang-switch button[value="id"]`, "Bahasa Indonesia")
	b.screenshot("owner-phone-js-3-dashboard-en")
	wantReadable(t, b)
}

// TestOwnerSignsUpWithoutJavaScript is the same journey with JavaScript
// disabled: the portal must not need it.
func TestOwnerSignsUpWithoutJavaScript(t *testing.T) {
	t.Parallel()
	app := startApp(t)
	o := phone
	o.NoJS = true
	b := newBrowser(t, app, o)
	wantScriptsDisabled(t, b)
	signUpAndBack(t, b, owner{name: "Bambang Susilo", org: "Koperasi Tani Makmur",
		email: "bambang@contoh.id", password: "kain tiga lapis hijau", phone: "+62 857 1234 5678", phoneShown: "+62 857-1234-5678"}, "owner-phone-nojs")
}

// wantScriptsDisabled proves the browser really runs no page script: an
// inline script on a page of our own does not change its text.
func wantScriptsDisabled(t *testing.T, b *browser) {
	t.Helper()
	page := `<!doctype html><p id="x">off</p><script>document.getElementById("x").textContent = "on"</script>`
	b.step("open the script probe", chromedp.Navigate("data:text/html;charset=utf-8,"+url.PathEscape(page)))
	if got := b.text("#x"); got != "off" {
		t.Fatalf("the probe page's script ran (text %q): JavaScript is not disabled", got)
	}
}

// TestRegisterKeepsWhatWasTyped submits the sign-up form with a password
// that is too short: the page comes back (422) with the error, keeps what
// was typed except the password, and nothing is created.
func TestRegisterKeepsWhatWasTyped(t *testing.T) {
	t.Parallel()
	app := startApp(t)
	b := newBrowser(t, app, laptop)
	const (
		name  = "Sari Wulandari"
		org   = "Sari Masker Batik"
		email = "sari@contoh.id"
	)
	if st := b.open("/register"); st != http.StatusOK {
		t.Fatalf("GET /register answered %d", st)
	}
	b.fill("#f-name", name)
	b.fill("#f-organization_name", org)
	b.fill("#f-email", email)
	b.fill("#f-phone", "0812 3456 7890")
	b.fill("#f-password", "pendek")
	b.check("#f-consent")
	st := b.click(`main form[action="/register"] button[type="submit"]`)
	if st != http.StatusUnprocessableEntity {
		t.Errorf("a too short password answered %d, want 422", st)
	}
	b.wantPath("/register")
	b.wantText("main h1", "Daftarkan usaha Anda")

	short := msg("error.password_short")
	b.wantContains(".form-errors", msg("form.has_errors"))
	b.wantText(`.form-errors a[href="#f-password"]`, short)
	b.wantText("#f-password-error", short)
	if n := b.count(".field-error"); n != 1 {
		t.Errorf("%d field errors shown, want 1 (the password's)", n)
	}
	if v, _ := b.attr("#f-password", "aria-invalid"); v != "true" {
		t.Errorf(`password field aria-invalid=%q, want "true"`, v)
	}
	if v, _ := b.attr("#f-password", "aria-describedby"); !strings.Contains(v, "f-password-error") {
		t.Errorf("password field aria-describedby=%q does not name its error", v)
	}
	for sel, want := range map[string]string{"#f-name": name, "#f-organization_name": org, "#f-email": email, "#f-phone": "0812 3456 7890", "#f-password": ""} {
		if got := b.value(sel); got != want {
			t.Errorf("after the error %s holds %q, want %q", sel, got, want)
		}
	}
	var ticked bool
	b.eval(`document.querySelector("#f-consent").checked`, &ticked)
	if !ticked {
		t.Error("after the error the consent box is no longer ticked")
	}
	b.screenshot("register-short-password")

	// Nothing was created: those credentials do not log in, and the
	// database holds neither the user nor the organisation.
	b.open("/login")
	if st := b.login(email, "pendek"); st != http.StatusUnauthorized {
		t.Errorf("login with the refused sign-up answered %d, want 401", st)
	}
	b.wantPath("/login")
	b.wantText("main .flash-error", "E-mail atau kata sandi salah.")
	if n := countRows(t, app, `SELECT count(*) FROM users WHERE email = $1`, email); n != 0 {
		t.Errorf("%d users with %s exist after a refused sign-up", n, email)
	}
	if n := countRows(t, app, `SELECT count(*) FROM organizations WHERE name = $1`, org); n != 0 {
		t.Errorf("%d organisations named %q exist after a refused sign-up", n, org)
	}
}

// countRows runs a count query as the system (row-level security lets it
// see every tenant).
func countRows(t *testing.T, app *testapp.App, query string, args ...any) int {
	t.Helper()
	var n int
	ctx := context.Background()
	err := app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, query, args...).Scan(&n)
	})
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
