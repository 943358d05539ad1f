package e2e

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"pasokan/internal/demo"
)

// TestMinistryOpensCuratorOrganisation: the ministry admin opens a curator
// organisation; its first admin gets the invitation, opens the link in a
// browser of their own, creates an account and lands in the curation queue.
func TestMinistryOpensCuratorOrganisation(t *testing.T) {
	t.Parallel()
	app := startApp(t)
	admin := newBrowser(t, app, laptop)
	const (
		orgName = "Kurator Uji"
		invitee = "kurator.baru@contoh.id"
	)

	admin.open("/login")
	if st := admin.login("admin@pasokan.test", demo.Password); st != http.StatusOK {
		t.Fatalf("admin login ended on a %d page: %s", st, admin.textOr("main", ""))
	}
	admin.wantPath("/admin")
	admin.wantText("main h1", msg("admin.title"))

	if st := admin.click(`.site-nav a[href="/admin/organizations"]`); st != http.StatusOK {
		t.Fatalf("GET /admin/organizations ended on a %d page", st)
	}
	admin.wantPath("/admin/organizations")
	admin.wantText("main h1", msg("admin.organizations.title"))
	if got := admin.value("#f-kind"); got != "curator" {
		t.Fatalf("the kind select starts at %q; this test expects the curator option chosen", got)
	}
	admin.fill("#f-name", orgName)
	admin.fill("#f-admin_email", invitee)
	if st := admin.click(`main form[action="/admin/organizations"] button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("creating the organisation ended on a %d page: %s", st, admin.textOr("main", ""))
	}
	orgPath := admin.path()
	if !regexp.MustCompile(`^/admin/organizations/[0-9]+$`).MatchString(orgPath) {
		t.Fatalf("after creating the organisation the page is %q, want /admin/organizations/{id}", orgPath)
	}
	admin.wantText("main h1", orgName)
	admin.wantText("main .flash-success", msg("flash.organization_created"))
	admin.wantContains("main p.muted", msg("kind.curator"))

	if st := admin.click(`.site-nav a[href="/admin/outbox"]`); st != http.StatusOK {
		t.Fatalf("GET /admin/outbox ended on a %d page", st)
	}
	admin.wantPath("/admin/outbox")
	admin.wantText("main h1", msg("admin.outbox.title"))
	link := app.LinkIn(t, invitee, "invitation")
	var mail struct {
		Found         bool
		Subject, Body string
	}
	admin.eval(`(() => {
		const a = [...document.querySelectorAll('main article')].find(a => a.querySelector('.muted').innerText.includes(`+js(invitee)+`));
		return a ? {found: true, subject: a.querySelector('h2').innerText, body: a.querySelector('pre').innerText} : {found: false};
	})()`, &mail)
	if !mail.Found {
		t.Fatalf("the outbox lists no e-mail to %s: %s", invitee, admin.text("main"))
	}
	// The invitee's language is unknown, so the subject carries both,
	// Indonesian first.
	if want := msg("email.invitation.subject", orgName); !strings.HasPrefix(strings.TrimSpace(mail.Subject), want) {
		t.Errorf("the invitation's subject is %q, want it to start with %q", mail.Subject, want)
	}
	if !strings.Contains(mail.Body, link) {
		t.Errorf("the outbox shows a body without the invitation link %s:\n%s", link, mail.Body)
	}
	admin.screenshot("admin-outbox-invitation")

	// The invitee: another browser, another profile, nobody logged in.
	inv := newBrowser(t, app, laptop)
	linkPath := strings.TrimPrefix(link, app.URL)
	if !strings.HasPrefix(linkPath, "/invitations/") {
		t.Fatalf("the invitation link %q does not point to /invitations/ on this portal", link)
	}
	if st := inv.open(linkPath); st != http.StatusOK {
		t.Fatalf("the invitation link answered %d", st)
	}
	inv.wantText("main h1", msg("invitation.title"))
	inv.wantContains("main", orgName)
	inv.wantText("main p.muted", msg("invitation.for", invitee))
	if n := inv.count(`.site-header form[action="/logout"]`); n != 0 {
		t.Fatal("the invitee's fresh browser is logged in")
	}
	inv.fill("#f-name", "Rina Kurniasih")
	inv.fill("#f-password", "benang katun rapat sekali")
	accept := `main form[action^="/invitations/"] button[type="submit"]`
	inv.wantText(accept, msg("invitation.accept"))
	if st := inv.click(accept); st != http.StatusOK {
		t.Fatalf("accepting ended on a %d page: %s", st, inv.textOr("main", ""))
	}
	inv.wantPath("/curation")
	inv.wantText("main h1", "Antrean kurasi")
	inv.wantText("main .flash-success", msg("flash.joined"))
	inv.wantContains(".site-header .org-switcher", orgName)
	inv.screenshot("curator-invited-queue")

	// The link worked once and only once.
	if st := inv.open(linkPath); st != http.StatusNotFound {
		t.Errorf("the used invitation link answered %d, want 404", st)
	}
	inv.wantText("main h1", msg("error.page.invitation.title"))

	// The ministry now sees the new member of the organisation.
	admin.open(orgPath)
	admin.wantContains("main table", invitee)
	admin.wantContains("main table", "Rina Kurniasih")
}
