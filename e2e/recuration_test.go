package e2e

import (
	"net/http"
	"strings"
	"testing"

	"pasokan/internal/demo"
	"pasokan/internal/testapp"
)

// The ministry sends the cloth masks curated on the checklist SNI
// 8914:2020 replaced back to their curators; the curator finds one in the
// queue among the proposals, checks it against the checklist in force on a
// phone, and it stays curated; the ministry's list then shows it no more.
func TestMinistrySendsRecurationAndTheCuratorChecksAgain(t *testing.T) {
	t.Parallel()
	requireChromium(t)
	app := testapp.NewScale(t, 60)

	m := newBrowser(t, app, laptop)
	m.open("/login")
	if st := m.login("admin@pasokan.test", demo.Password); st != http.StatusOK {
		t.Fatalf("login: %d", st)
	}
	if st := m.click(`[data-testid="recuration-work"]`); st != http.StatusOK {
		t.Fatalf("the re-curation page: %d", st)
	}
	m.wantPath("/admin/recuration")
	due := m.count(`[data-testid="recuration"] tbody tr`)
	if due == 0 {
		t.Fatal("no product is due for re-curation in the demo")
	}
	if st := m.click(`[data-testid="recuration-send"]`); st != http.StatusOK {
		t.Fatalf("sending: %d", st)
	}
	m.wantText("main .flash-success", msg("flash.recuration_sent"))
	if got := m.count(`[data-testid="recuration-sent"]`); got != due {
		t.Errorf("%d of %d are marked waiting for the curators", got, due)
	}
	if m.count(`[data-testid="recuration-send"]`) != 0 {
		t.Error("the send button stays when nothing is left to send")
	}
	first, _ := m.attr(`[data-testid="recuration"] tbody tr`, "data-app")

	c := newBrowser(t, app, phone)
	c.open("/login")
	if st := c.login("kurator@pasokan.test", demo.Password); st != http.StatusOK {
		t.Fatalf("curator login: %d", st)
	}
	link := `[data-testid="proposals"] a[href^="/curation/applications/` + first + `/proposals/"]`
	if c.count(link) != 1 {
		t.Fatalf("the queue lists no re-curation of application %s: %s", first, c.textOr(`[data-testid="proposals"]`, "no proposals"))
	}
	if !strings.Contains(c.text(`[data-testid="proposals"]`), msg("application.proposal_kind.recheck")) {
		t.Error("the queue does not name the proposal a re-curation")
	}
	if st := c.click(link); st != http.StatusOK {
		t.Fatalf("the re-curation page: %d", st)
	}
	c.wantFitsWidth()
	var answered int
	c.eval(`(() => { let n = 0; document.querySelectorAll('#decision input[type="radio"][value="pass"]').forEach(r => { r.click(); n++; }); return n; })()`, &answered)
	if answered == 0 {
		t.Fatal("the re-curation asks no checklist item")
	}
	c.eval(`(() => { document.querySelector('#decision input[name="decision"][value="accept"]').click(); return 0; })()`, &answered)
	if st := c.click(`#decision button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("deciding: %d: %s", st, c.textOr(".form-errors", ""))
	}
	c.wantText("main .flash-success", msg("flash.recheck_passed"))

	m.open("/admin/recuration")
	if m.count(`[data-testid="recuration"] tbody tr[data-app="`+first+`"]`) != 0 {
		t.Errorf("application %s is still due after its re-check", first)
	}
}
