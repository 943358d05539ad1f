package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/testapp"
)

// Sign-up as Indonesian owners expect (issue 11): a phone number, consent
// to the privacy notice, and the e-mail address confirmed by a link before
// an application can be submitted.

// confirmEmail follows, with c, the newest confirmation link e-mailed to
// email, as the owner would from their inbox.
func confirmEmail(t *testing.T, app *testapp.App, c *testapp.Client, email string) {
	t.Helper()
	link := strings.TrimPrefix(app.LinkIn(t, email, "email_confirm"), app.URL)
	if r := c.Get(link); r.StatusCode != http.StatusOK {
		t.Fatalf("confirming %s with %s: %d", email, link, r.StatusCode)
	}
}

// emailsOf counts the e-mails of kind to addr in the outbox.
func emailsOf(t *testing.T, app *testapp.App, addr, kind string) int {
	t.Helper()
	n := 0
	for _, e := range app.Emails(t) {
		if e.To == addr && e.Kind == kind {
			n++
		}
	}
	return n
}

// signedUp is a user of the public sign-up as stored.
type signedUp struct {
	Phone            string
	ConsentVersion   string
	ConsentAt        *time.Time
	EmailConfirmedAt *time.Time
}

func userRow(t *testing.T, app *testapp.App, email string) signedUp {
	t.Helper()
	ctx := context.Background()
	var u signedUp
	dbtest.Must(t, app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT phone, consent_version, consent_at, email_confirmed_at FROM users WHERE email = $1`, email)
		var err error
		u, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[signedUp])
		return err
	}))
	return u
}

// TestSignUpWithoutConsentStoresNothing: a missing consent is an error on
// its box, in the summary, with everything typed kept (the password
// aside), and nothing is created or e-mailed.
func TestSignUpWithoutConsentStoresNothing(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)
	form := registerForm("siti@contoh.id")
	form.Del("consent")
	form.Set("phone", "0812-3456-7890")
	r := c.Post("/register", form)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("sign-up without consent: %d, want 422", r.StatusCode)
	}
	for _, want := range []string{`class="form-errors"`, `href="#f-consent"`, `id="f-consent-error"`,
		"Centang kotak persetujuan Pemberitahuan Privasi", `value="Siti Rahmawati"`, `value="siti@contoh.id"`,
		`value="Konveksi Uji"`, `value="0812-3456-7890"`, "<title>Galat:"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the refused sign-up lacks %s", want)
		}
	}
	if !regexp.MustCompile(`<input[^>]*id="f-consent"[^>]*aria-invalid="true"`).MatchString(r.Body) {
		t.Error("the consent box is not marked invalid")
	}
	if strings.Contains(r.Body, `value="`+strong+`"`) {
		t.Error("the password was drawn back into the page")
	}
	if n := countUsers(t, app, "siti@contoh.id"); n != 0 {
		t.Errorf("%d users stored without consent", n)
	}
	if n := count(t, app, `SELECT count(*) FROM organizations WHERE name = 'Konveksi Uji'`); n != 0 {
		t.Errorf("%d organisations stored without consent", n)
	}
	if n := emailsOf(t, app, "siti@contoh.id", "email_confirm"); n != 0 {
		t.Errorf("%d confirmation e-mails without a sign-up", n)
	}
	// A value other than "yes" is no consent either; the box comes back
	// ticked only when it was.
	form.Set("consent", "ya")
	ticked := regexp.MustCompile(`<input[^>]*id="f-consent"[^>]*checked`)
	if r := c.Post("/register", form); r.StatusCode != http.StatusUnprocessableEntity || ticked.MatchString(r.Body) {
		t.Errorf("consent=ya: %d, want 422 with the box not ticked", r.StatusCode)
	}
	// With consent and a bad password, the box stays ticked.
	form.Set("consent", "yes")
	form.Set("password", "pendek")
	if r := c.Post("/register", form); !ticked.MatchString(r.Body) {
		t.Error("a ticked consent box is not kept when another field is refused")
	}
	en := app.Client(t)
	en.SetCookie("pasokan_lang", "en")
	form.Del("consent")
	form.Set("password", strong)
	if r := en.Post("/register", form); !strings.Contains(r.Body, "Tick the box to agree to the Privacy Notice") {
		t.Error("no English message for a missing consent")
	}
}

// TestSignUpRefusesABadPhone: a number that is not Indonesian is an error
// on its field, kept as typed; nothing is created.
func TestSignUpRefusesABadPhone(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)
	for _, bad := range []string{"12345", "0812-ABCD-7890", "+1 650 555 0100", "0000000000"} {
		form := registerForm("siti@contoh.id")
		form.Set("phone", bad)
		r := c.Post("/register", form)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Nomor telepon Indonesia tidak valid") ||
			!strings.Contains(r.Body, `href="#f-phone"`) || !strings.Contains(r.Body, `value="`+bad+`"`) {
			t.Errorf("phone %q: %d, want 422 with the phone's error and the number kept", bad, r.StatusCode)
		}
	}
	if n := countUsers(t, app, "siti@contoh.id"); n != 0 {
		t.Errorf("%d users stored with a bad phone", n)
	}
}

// TestSignUpConfirmsTheAddressBeforeSubmission is the whole journey: the
// sign-up records the phone and the consent, e-mails a one-time link, and
// the application is refused until the link is followed; the link works
// once.
func TestSignUpConfirmsTheAddressBeforeSubmission(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)
	form := registerForm("siti@contoh.id")
	form.Set("phone", "0812-3456-7890")
	if r := c.Post("/register", form); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/supplier" {
		t.Fatalf("sign-up: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	u := userRow(t, app, "siti@contoh.id")
	if u.Phone != "+6281234567890" || u.ConsentVersion != account.PrivacyNoticeVersion || u.ConsentAt == nil || u.EmailConfirmedAt != nil {
		t.Errorf("stored user: %+v; want the phone normalised, the consent recorded, the address unconfirmed", u)
	}
	var detail []byte
	ctx := context.Background()
	dbtest.Must(t, app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT detail FROM audit_events WHERE action = 'account.registered'
   AND actor_user_id = (SELECT id FROM users WHERE email = 'siti@contoh.id')`).Scan(&detail)
	}))
	var d map[string]any
	if err := json.Unmarshal(detail, &d); err != nil || d["consent_version"] != account.PrivacyNoticeVersion || d["consent_at"] == nil {
		t.Errorf("the sign-up's audit event holds %s, want the consent's version and time", detail)
	}

	// The e-mail holds a link; only its sha256 is kept, for 7 days.
	if n := emailsOf(t, app, "siti@contoh.id", "email_confirm"); n != 1 {
		t.Fatalf("%d confirmation e-mails, want 1", n)
	}
	link := strings.TrimPrefix(app.LinkIn(t, "siti@contoh.id", "email_confirm"), app.URL)
	token := strings.TrimPrefix(link, "/email/confirm/")
	if !strings.HasPrefix(link, "/email/confirm/") || len(token) < 20 {
		t.Fatalf("link %q", link)
	}
	if n := count(t, app, `SELECT count(*) FROM email_confirmations WHERE token_hash = $1
   AND expires_at BETWEEN now() + interval '6 days 23 hours' AND now() + interval '7 days 1 minute'`, sha256Of(token)); n != 1 {
		t.Errorf("%d links held as the sha256 of the token, valid for 7 days; want 1", n)
	}

	// The profile's phone field starts with the number.
	if page := c.Get("/supplier/profile"); !strings.Contains(page.Body, `value="+62 812-3456-7890"`) {
		t.Error("the profile's phone field does not start with the number given at sign-up")
	}
	// The dashboard says the address waits, and the Kirim step offers a
	// new link.
	dash := c.Get("/supplier")
	for _, want := range []string{`data-testid="confirm-email-banner"`, `data-testid="confirm-email"`, "siti@contoh.id",
		`action="/email/confirm/resend"`, "Konfirmasi e-mail dulu"} {
		if !strings.Contains(dash.Body, want) {
			t.Errorf("the dashboard of an unconfirmed owner lacks %s", want)
		}
	}

	// A complete application is refused while the address is unconfirmed.
	if r := c.Post("/supplier/profile", profileForm); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("profile: %d", r.StatusCode)
	}
	if r := c.Post("/supplier/application/products", productForm); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("product: %d", r.StatusCode)
	}
	if r := upload(t, c, app, "photo", "foto.png", pngFile(t, 3)); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("photo: %d", r.StatusCode)
	}
	if r := upload(t, c, app, "nib", "nib.pdf", minimalPDF); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("nib: %d", r.StatusCode)
	}
	page := c.Get("/supplier/application")
	if strings.Contains(page.Body, `action="/supplier/application/submit"`) || !strings.Contains(page.Body, `data-testid="confirm-email"`) {
		t.Error("an unconfirmed owner is offered the submit button, or not the confirmation")
	}
	version := "0"
	if m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page.Body); m != nil {
		version = m[1]
	}
	r := c.Post("/supplier/application/submit", url.Values{"version": {version}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "alamat e-mail Anda belum dikonfirmasi") ||
		!strings.Contains(r.Body, `href="#confirm-email"`) || !strings.Contains(r.Body, `action="/email/confirm/resend"`) {
		t.Errorf("submitting unconfirmed: %d, want 422 naming the confirmation and leading to a new link", r.StatusCode)
	}
	if at := strings.Index(r.Body, `data-testid="submit-error"`); at < 0 || at > strings.Index(r.Body, `data-testid="tasks"`) {
		t.Error("the refusal is not at the top of the page")
	}
	a := actorOf(t, app, "siti@contoh.id")
	if app2, err := app.Suppliers.Application(ctx, a); err != nil || app2.Status != "draft" {
		t.Errorf("after the refusal the application is %q (%v), want draft", app2.Status, err)
	}

	// The link, opened in another browser (not logged in), confirms the
	// address and leads to the login.
	other := app.Client(t)
	done := other.Get(link)
	if done.StatusCode != http.StatusOK || !strings.Contains(done.Body, "Alamat e-mail terkonfirmasi") ||
		!strings.Contains(done.Body, `href="/login?next=%2Fsupplier"`) {
		t.Fatalf("following the link: %d", done.StatusCode)
	}
	if u := userRow(t, app, "siti@contoh.id"); u.EmailConfirmedAt == nil {
		t.Error("the address is not confirmed after following the link")
	}
	if n := auditRows(t, app, "user.email_confirmed", "siti@contoh.id"); n != 1 {
		t.Errorf("%d audit events of the confirmation, want 1", n)
	}
	// Used once: the second time is a 404 that, to the confirmed owner,
	// says there is nothing left to do, and to a visitor offers the login.
	again := c.Get(link)
	if again.StatusCode != http.StatusNotFound || !strings.Contains(again.Body, "Tautan tidak berlaku") ||
		!strings.Contains(again.Body, "sudah terkonfirmasi") || strings.Contains(again.Body, `action="/email/confirm/resend"`) {
		t.Errorf("the used link, logged in: %d", again.StatusCode)
	}
	if r := other.Get(link); r.StatusCode != http.StatusNotFound || !strings.Contains(r.Body, "Masuk untuk meminta tautan baru") {
		t.Errorf("the used link, as a visitor: %d", r.StatusCode)
	}
	if n := auditRows(t, app, "user.email_confirmed", "siti@contoh.id"); n != 1 {
		t.Errorf("%d audit events after the link's second use, want 1", n)
	}

	// Confirmed: the page offers to submit, and the submission goes.
	page = c.Get("/supplier/application")
	if strings.Contains(page.Body, `data-testid="confirm-email"`) || !strings.Contains(page.Body, `action="/supplier/application/submit"`) {
		t.Fatal("a confirmed owner's complete application does not offer to submit")
	}
	if r := c.Post("/supplier/application/submit", url.Values{"version": {versionRe.FindStringSubmatch(page.Body)[1]}}); r.StatusCode != http.StatusSeeOther ||
		r.Header.Get("Location") != "/supplier/application/submitted" {
		t.Errorf("submitting confirmed: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	// A logged-in person's confirmation page leads to their home.
	c2 := app.Client(t)
	if r := c2.Post("/register", registerForm("budi@contoh.id")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("second sign-up: %d", r.StatusCode)
	}
	link2 := strings.TrimPrefix(app.LinkIn(t, "budi@contoh.id", "email_confirm"), app.URL)
	if r := c2.Get(link2); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `href="/supplier" data-testid="confirm-next"`) {
		t.Errorf("the confirmation page of a logged-in owner: %d, want a link to /supplier", r.StatusCode)
	}
}

// TestConfirmationLinkExpires: a link older than 7 days, or made up, is a
// 404 offering a new one, and confirms nothing.
func TestConfirmationLinkExpires(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)
	if r := c.Post("/register", registerForm("siti@contoh.id")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-up: %d", r.StatusCode)
	}
	link := strings.TrimPrefix(app.LinkIn(t, "siti@contoh.id", "email_confirm"), app.URL)
	ctx := context.Background()
	dbtest.Must(t, app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE email_confirmations SET created_at = now() - interval '8 days', expires_at = now() - interval '1 day'`)
		return err
	}))
	for _, path := range []string{link, "/email/confirm/bukan-tautan-yang-benar"} {
		r := c.Get(path)
		if r.StatusCode != http.StatusNotFound || !strings.Contains(r.Body, "Tautan tidak berlaku") ||
			!strings.Contains(r.Body, `action="/email/confirm/resend"`) {
			t.Errorf("%s: %d, want 404 with the button for a new link", path, r.StatusCode)
		}
	}
	if u := userRow(t, app, "siti@contoh.id"); u.EmailConfirmedAt != nil {
		t.Error("an expired link confirmed the address")
	}
	if n := count(t, app, `SELECT count(*) FROM email_confirmations WHERE used_at IS NOT NULL`); n != 0 {
		t.Errorf("%d links marked used by an expired one", n)
	}
	// A new link works.
	if r := c.Post("/email/confirm/resend", url.Values{"next": {"/supplier"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("resend: %d", r.StatusCode)
	}
	confirmEmail(t, app, c, "siti@contoh.id")
	if u := userRow(t, app, "siti@contoh.id"); u.EmailConfirmedAt == nil {
		t.Error("the new link did not confirm the address")
	}
}

// TestResendConfirmationIsThrottled: a new link at most once a minute and
// five times an hour per account, answered as a password reset is (429,
// Retry-After, a message); a confirmed account gets none; a visitor is
// sent to log in.
func TestResendConfirmationIsThrottled(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)
	if r := c.Post("/register", registerForm("siti@contoh.id")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-up: %d", r.StatusCode)
	}
	ctx := context.Background()
	// A minute passes for the per-minute counter.
	minutePasses := func() {
		dbtest.Must(t, app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE login_throttle SET window_start = window_start - interval '61 seconds', blocked_until = NULL
 WHERE key LIKE 'confirm-minute:%'`)
			return err
		}))
	}
	resend := func() *testapp.Response {
		return c.Post("/email/confirm/resend", url.Values{"next": {"/supplier/application"}})
	}
	r := resend()
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/supplier/application" {
		t.Fatalf("first resend: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	if page := c.Get("/supplier/application"); !strings.Contains(page.Body, "Tautan konfirmasi baru sudah dikirim") {
		t.Error("no message after a new link was sent")
	}
	r = resend()
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" ||
		!strings.Contains(r.Body, "Terlalu banyak permintaan tautan konfirmasi") || !strings.Contains(r.Body, `href="/supplier/application"`) {
		t.Errorf("second resend within the minute: %d, want 429 with the message and the way back", r.StatusCode)
	}
	for i := 2; i <= 5; i++ {
		minutePasses()
		if r := resend(); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("resend %d, a minute after the last: %d", i, r.StatusCode)
		}
	}
	minutePasses()
	if r := resend(); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("a sixth resend within the hour: %d, want 429", r.StatusCode)
	}
	if n := emailsOf(t, app, "siti@contoh.id", "email_confirm"); n != 6 {
		t.Errorf("%d confirmation e-mails, want 6 (the sign-up's and five new links)", n)
	}
	if n := auditRows(t, app, "user.email_confirmation_sent", "siti@contoh.id"); n != 5 {
		t.Errorf("%d audit events of new links, want 5", n)
	}
	// An unsafe next is not followed.
	minutePasses()
	dbtest.Must(t, app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM login_throttle WHERE key LIKE 'confirm-%'`)
		return err
	}))
	if r := c.Post("/email/confirm/resend", url.Values{"next": {"https://evil.example/"}}); r.Header.Get("Location") != "/supplier" {
		t.Errorf("an outside next led to %q", r.Header.Get("Location"))
	}

	// The demo owner is confirmed already: no link, a message.
	demo := app.Client(t)
	demo.Login("umkm@pasokan.test", "pasokan-demo", "/supplier")
	if page := demo.Get("/supplier"); strings.Contains(page.Body, `data-testid="confirm-email`) {
		t.Error("the demo owner is asked to confirm their address")
	}
	if r := demo.Post("/email/confirm/resend", url.Values{"next": {"/supplier"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("resend for a confirmed account: %d", r.StatusCode)
	}
	if n := emailsOf(t, app, "umkm@pasokan.test", "email_confirm"); n != 0 {
		t.Errorf("%d confirmation e-mails to a confirmed account", n)
	}
	if r := app.Client(t).Post("/email/confirm/resend", url.Values{"next": {"/supplier"}}); r.StatusCode != http.StatusSeeOther ||
		!strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Errorf("a visitor's resend: %d to %q, want the login", r.StatusCode, r.Header.Get("Location"))
	}
}

// TestInvitedPeopleAreConfirmed: an invitation's e-mail confirms the
// address of whoever accepts it.
func TestInvitedPeopleAreConfirmed(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	owner := app.Client(t)
	owner.Login("umkm@pasokan.test", "pasokan-demo", "/supplier")
	if r := owner.Post("/organization/invitations", url.Values{"email": {"anggota@contoh.id"}, "role": {"member"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite: %d", r.StatusCode)
	}
	path := strings.TrimPrefix(app.LinkIn(t, "anggota@contoh.id", "invitation"), app.URL)
	invitee := app.Client(t)
	if r := invitee.Post(path, url.Values{"name": {"Rina Anggota"}, "password": {strong}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d", r.StatusCode)
	}
	if u := userRow(t, app, "anggota@contoh.id"); u.EmailConfirmedAt == nil {
		t.Error("an invited member's address is not confirmed")
	}
	if page := invitee.Get("/supplier"); strings.Contains(page.Body, `data-testid="confirm-email`) {
		t.Error("an invited member is asked to confirm their address")
	}
}

// TestPrivacyNotice: the notice is public, complete in both languages, and
// every page's footer links it.
func TestPrivacyNotice(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)
	page := c.Get("/privacy")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("GET /privacy: %d", page.StatusCode)
	}
	for _, want := range []string{"<h1>Pemberitahuan Privasi</h1>", "Undang-Undang Nomor 27 Tahun 2022", "Kementerian Koperasi dan Usaha Kecil dan Menengah",
		"Versi " + account.PrivacyNoticeVersion + ", berlaku sejak 5 Desember 2026", "NIK", "NPWP", "menarik kembali persetujuan",
		"Pembeli mitra hanya melihat kontak daftar", "Publik melihat direktori tanpa data pribadi", `id="retention"`, `id="contact"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the notice lacks %q", want)
		}
	}
	en := app.Client(t)
	en.SetCookie("pasokan_lang", "en")
	page = en.Get("/privacy")
	for _, want := range []string{"<h1>Privacy Notice</h1>", "Law Number 27 of 2022", "Ministry of Cooperatives and Small and Medium Enterprises",
		"Version " + account.PrivacyNoticeVersion + ", in force since 5 December 2026", "withdraw your consent", "Partner buyers see only the listing contacts"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the English notice lacks %q", want)
		}
	}
	for _, path := range []string{"/", "/register", "/login", "/privacy", "/directory"} {
		body := c.Get(path).Body
		footer := body[max(0, strings.Index(body, `<footer`)):]
		if !strings.Contains(footer, `href="/privacy"`) {
			t.Errorf("%s: the footer does not link the privacy notice", path)
		}
	}
	reg := c.Get("/register").Body
	for _, want := range []string{`data-testid="privacy-summary"`, `name="consent" value="yes"`, `label for="f-consent"`,
		`name="phone"`, `type="tel"`, "Saya telah membaca dan menyetujui"} {
		if !strings.Contains(reg, want) {
			t.Errorf("the sign-up form lacks %s", want)
		}
	}
}
