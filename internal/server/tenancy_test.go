package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"pasokan/internal/account"
	"pasokan/internal/testapp"
)

func TestInvitationJourneyAndSecretsStayOutOfLogs(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	admin := app.Client(t)
	admin.Login("admin@pasokan.test", "pasokan-demo", "/admin")

	bad := admin.Post("/admin/organizations", url.Values{"kind": {"supplier"}, "name": {"X"}, "admin_email": {"bukan-email"}})
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid organisation: %d", bad.StatusCode)
	}
	for _, want := range []string{"Pilih jenis organisasi", "Isi nama usaha", "Isi alamat e-mail yang benar", `value="bukan-email"`} {
		if !strings.Contains(bad.Body, want) {
			t.Errorf("invalid organisation page lacks %q", want)
		}
	}

	r := admin.Post("/admin/organizations", url.Values{"kind": {"curator"}, "name": {"Kurator Jawa Barat"}, "admin_email": {"lead@contoh.id"}})
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/admin/organizations/") {
		t.Fatalf("create organisation: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if page := admin.Get("/admin/outbox"); !strings.Contains(page.Body, "lead@contoh.id") {
		t.Error("the invitation is not in the development outbox")
	}
	link := app.LinkIn(t, "lead@contoh.id", "invitation")
	path := strings.TrimPrefix(link, app.URL)
	token := strings.TrimPrefix(path, "/invitations/")

	invitee := app.Client(t)
	page := invitee.Get(path)
	if page.StatusCode != 200 || !strings.Contains(page.Body, "Kurator Jawa Barat") {
		t.Fatalf("invitation page: %d", page.StatusCode)
	}
	weak := invitee.Post(path, url.Values{"name": {"Dewi"}, "password": {"12345678"}})
	if weak.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(weak.Body, "terlalu umum") {
		t.Fatalf("weak password: %d", weak.StatusCode)
	}
	r = invitee.Post(path, url.Values{"name": {"Dewi Lestari"}, "password": {strong}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/curation" {
		t.Fatalf("accept: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if page := invitee.Get("/organization"); !strings.Contains(page.Body, "Dewi Lestari") || !strings.Contains(page.Body, "Admin") {
		t.Error("the new admin is not listed as a member with role admin")
	}
	// The link works once.
	if r := app.Client(t).Get(path); r.StatusCode != http.StatusNotFound {
		t.Errorf("used invitation link: %d", r.StatusCode)
	}
	// No password, token or session cookie in the log.
	logs := app.Log.String()
	for _, secret := range []string{strong, "pasokan-demo", token, invitee.Cookie("pasokan_session"), admin.Cookie("pasokan_session")} {
		if secret != "" && strings.Contains(logs, secret) {
			t.Errorf("the log contains a secret %q", secret)
		}
	}
	if !regexp.MustCompile(`route=/invitations/\{token\}`).MatchString(logs) {
		t.Error("request log lines do not carry route patterns")
	}
}

func TestOtherTenantsRecordsAnswer404(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	ctx := context.Background()

	// Two suppliers; A invites someone, B tries to revoke that invitation.
	a := app.Client(t)
	if r := a.Post("/register", registerForm("a@contoh.id")); r.StatusCode != http.StatusSeeOther {
		t.Fatal(r.StatusCode)
	}
	if r := a.Post("/organization/invitations", url.Values{"email": {"staf@contoh.id"}, "role": {"member"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite: %d", r.StatusCode)
	}
	aID, _ := app.Accounts.UserIDByEmail(ctx, "a@contoh.id")
	ms, _ := app.Accounts.Memberships(ctx, aID)
	actorA, _ := app.Accounts.LoadActor(ctx, aID, ms[0].OrgID)
	invs, err := app.Accounts.PendingInvitations(ctx, actorA)
	if err != nil || len(invs) != 1 {
		t.Fatalf("pending: %v %d", err, len(invs))
	}

	b := app.Client(t)
	if r := b.Post("/register", registerForm("b@contoh.id")); r.StatusCode != http.StatusSeeOther {
		t.Fatal(r.StatusCode)
	}
	if r := b.Post("/organization/invitations/"+itoa(invs[0].ID)+"/revoke", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("revoking another tenant's invitation: %d, want 404", r.StatusCode)
	}
	if invs, _ := app.Accounts.PendingInvitations(ctx, actorA); len(invs) != 1 {
		t.Error("B's request revoked A's invitation")
	}
	// Acting for an organisation one is not a member of.
	if r := b.Post("/organization/switch", url.Values{"organization_id": {itoa(actorA.OrgID)}}); r.StatusCode != http.StatusNotFound {
		t.Errorf("switching into another tenant: %d, want 404", r.StatusCode)
	}
	if page := b.Get("/organization"); strings.Contains(page.Body, "a@contoh.id") || strings.Contains(page.Body, "staf@contoh.id") {
		t.Error("B's team page shows A's people")
	}
	// Pages of another kind are refused; the ministry's organisation page is
	// not found for anyone else.
	if r := b.Get("/admin/organizations/" + itoa(actorA.OrgID)); r.StatusCode != http.StatusNotFound {
		t.Errorf("supplier on an admin page: %d", r.StatusCode)
	}
	if r := b.Get("/curation"); r.StatusCode != http.StatusNotFound {
		t.Errorf("supplier on the curation queue: %d", r.StatusCode)
	}
	if r := b.Get("/admin/organizations/999999"); r.StatusCode != http.StatusNotFound {
		t.Errorf("supplier on a missing admin page: %d", r.StatusCode)
	}
	admin := app.Client(t)
	admin.Login("admin@pasokan.test", "pasokan-demo", "/admin")
	if r := admin.Get("/admin/organizations/999999"); r.StatusCode != http.StatusNotFound {
		t.Errorf("missing organisation: %d", r.StatusCode)
	}
}

func TestOrganizationSwitcher(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)
	c.Login("pembeli@pasokan.test", "pasokan-demo", "/catalog")
	page := c.Get("/catalog")
	if !strings.Contains(page.Body, `id="organization_id"`) {
		t.Fatal("no organisation switcher for a member of two organisations")
	}
	ctx := context.Background()
	id, _ := app.Accounts.UserIDByEmail(ctx, "pembeli@pasokan.test")
	ms, _ := app.Accounts.Memberships(ctx, id)
	var other account.Membership
	for _, m := range ms {
		if !strings.Contains(page.Body, `value="`+itoa(m.OrgID)+`" selected`) {
			other = m
		}
	}
	if other.OrgID == 0 {
		t.Fatal("could not find the organisation not acted for")
	}
	before := c.Cookie("pasokan_session")
	r := c.Post("/organization/switch", url.Values{"organization_id": {itoa(other.OrgID)}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("switch: %d", r.StatusCode)
	}
	// Acting for another organisation is a change of privileges: new token,
	// and the old one is dead.
	if after := c.Cookie("pasokan_session"); after == "" || after == before {
		t.Errorf("session token not renewed on switching: %q -> %q", before, after)
	}
	old := app.Client(t)
	old.SetCookie("pasokan_session", before)
	if r := old.Get("/catalog"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the token from before the switch still opens pages: %d", r.StatusCode)
	}
	if page := c.Get("/organization"); !strings.Contains(page.Body, "<h1>"+other.OrgName+"</h1>") {
		t.Errorf("after switching, the team page is not %s's", other.OrgName)
	}
}

func TestHeadersAndBasics(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)
	home := c.Get("/")
	if home.StatusCode != 200 || !strings.Contains(home.Body, `<html lang="id">`) {
		t.Fatalf("home: %d", home.StatusCode)
	}
	h := home.Header
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP lacks %s: %s", want, csp)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Error("CSP allows inline code")
	}
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("X-Request-Id") == "" {
		t.Errorf("headers: %v", h)
	}
	if strings.Contains(home.Body, "<script>") || strings.Contains(home.Body, " onclick=") || strings.Contains(home.Body, "style=") {
		t.Error("inline script or style in the page")
	}
	// The stylesheet is fingerprinted and cached for a year, compressed.
	css := regexp.MustCompile(`href="(/static/app\.[0-9a-f]+\.css)"`).FindStringSubmatch(home.Body)
	if css == nil {
		t.Fatal("no fingerprinted stylesheet")
	}
	req, _ := http.NewRequest(http.MethodGet, app.URL+css[1], nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "max-age=31536000") || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("stylesheet: %d %q %q", resp.StatusCode, resp.Header.Get("Cache-Control"), resp.Header.Get("Content-Encoding"))
	}

	if r := c.Get("/healthz"); r.StatusCode != 200 || strings.TrimSpace(r.Body) != "ok" {
		t.Errorf("healthz: %d %q", r.StatusCode, r.Body)
	}
	if r := c.Get("/readyz"); r.StatusCode != 200 {
		t.Errorf("readyz: %d", r.StatusCode)
	}
	nf := c.Get("/tidak-ada")
	if nf.StatusCode != 404 || !strings.Contains(nf.Body, "Halaman tidak ditemukan") {
		t.Errorf("404 page: %d", nf.StatusCode)
	}
	en := app.Client(t)
	if r := en.Post("/language", url.Values{"lang": {"en"}, "next": {"/tidak-ada"}}); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/tidak-ada" {
		t.Fatalf("language: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r := en.Get("/tidak-ada"); !strings.Contains(r.Body, "Page not found") || !strings.Contains(r.Body, `<html lang="en">`) {
		t.Error("English 404 page")
	}
	// An open redirect through the language form is refused.
	if r := en.Post("/language", url.Values{"lang": {"id"}, "next": {"//penipu.example/x"}}); r.Header.Get("Location") != "/" {
		t.Errorf("language next=//evil: %q", r.Header.Get("Location"))
	}
	// Nothing changes state on GET.
	if r := c.Get("/logout"); r.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /logout: %d", r.StatusCode)
	}
}

func TestReadyzWithoutDatabase(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	app.DB.App.Close()
	r := app.Client(t).Get("/readyz")
	if r.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("readyz with the pool closed: %d, want 503", r.StatusCode)
	}
	if r := app.Client(t).Get("/healthz"); r.StatusCode != 200 {
		t.Errorf("healthz: %d", r.StatusCode)
	}
}

func TestPagesAreCompressed(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	req, _ := http.NewRequest(http.MethodGet, app.URL+"/register", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("page not gzipped: %v", resp.Header)
	}
}
