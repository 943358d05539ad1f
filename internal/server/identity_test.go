package server_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/demo"
	"pasokan/internal/testapp"
)

// Identity changes over HTTP: a curated supplier proposes a new legal name,
// NIB and NPWP; it stays listed, unchanged, while its curators decide; an
// accepted change reaches the profile, a re-issued certificate and the
// listing, each step on the timeline.

var changeIDRe = regexp.MustCompile(`name="change_id" value="(\d+)"`)

// changeID is the id of the change a curator's page shows.
func changeID(t *testing.T, page string) string {
	t.Helper()
	m := changeIDRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no change_id on the page:\n%s", page)
	}
	return m[1]
}

// currentCertificate is the code of an application's certificate in force.
func currentCertificate(t *testing.T, app *testapp.App, appID int64) string {
	t.Helper()
	ctx := context.Background()
	var code string
	err := app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT code FROM certificates WHERE application_id = $1 AND revoked_at IS NULL`, appID).Scan(&code)
	})
	if err != nil {
		t.Fatalf("the certificate of %d: %v", appID, err)
	}
	return code
}

// legalNameOf is the legal name in an application's supplier profile.
func legalNameOf(t *testing.T, app *testapp.App, appID int64) string {
	t.Helper()
	ctx := context.Background()
	var name string
	err := app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT p.legal_name FROM supplier_profiles p
  JOIN applications a ON a.organization_id = p.organization_id WHERE a.id = $1`, appID).Scan(&name)
	})
	if err != nil {
		t.Fatalf("the legal name of %d: %v", appID, err)
	}
	return name
}

// otherCurator is a member of a curator organisation the application is
// not assigned to.
func otherCurator(t *testing.T, app *testapp.App) *testapp.Client {
	t.Helper()
	admin := actorOf(t, app, "admin@pasokan.test")
	if _, err := app.Accounts.CreateOrganization(context.Background(), admin, accountNewCurator("Kurator Lain", "lain@contoh.id")); err != nil {
		t.Fatal(err)
	}
	link := strings.TrimPrefix(app.LinkIn(t, "lain@contoh.id", "invitation"), app.URL)
	c := app.Client(t)
	if r := c.Post(link, url.Values{"name": {"Kurator Lain"}, "password": {strong}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept the invitation: %d", r.StatusCode)
	}
	return c
}

func TestCuratedSupplierChangesItsIdentityThroughTheCurator(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 40)
	p := findProposalPair(t, app)
	oldName, oldCert := legalNameOf(t, app, p.AppID), currentCertificate(t, app, p.AppID)
	before := directoryProducts(t, app, p.Slug)
	const newName, newNIB, newNPWP = "PT Baru Makmur Sentosa", "9120009876543", "01.234.567.4-015.000"
	waiting := func() int {
		return count(t, app, `SELECT count(*) FROM identity_proposals WHERE application_id = $1`, p.AppID)
	}
	events := func(action string) int {
		return count(t, app, `SELECT count(*) FROM application_events WHERE application_id = $1 AND action = $2`, p.AppID, action)
	}

	// The listing and the profile lead to the identity page.
	sup := app.Client(t)
	sup.Login(p.SupplierEmail, demo.Password, "/supplier")
	if page := sup.Get("/supplier/listing"); !strings.Contains(page.Body, `href="/supplier/listing/identity"`) {
		t.Error("the listing page does not link the identity page")
	}
	if page := sup.Get("/supplier/profile"); !strings.Contains(page.Body, `data-testid="identity-curated"`) ||
		!strings.Contains(page.Body, `href="/supplier/listing/identity"`) {
		t.Error("the curated supplier's profile does not say where the identity changes")
	}
	page := sup.Get("/supplier/listing/identity")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `action="/supplier/listing/identity"`) ||
		!strings.Contains(page.Body, html.EscapeString(oldName)) || !strings.Contains(page.Body, "Ubah nama resmi, NIB, atau NPWP") {
		t.Fatalf("identity page: %d\n%s", page.StatusCode, page.Body)
	}

	// A bad NIB keeps what was typed, names the field, and stores nothing.
	r := sup.Post("/supplier/listing/identity", url.Values{"legal_name": {newName}, "nib": {"12345"}, "npwp": {newNPWP}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `class="form-errors"`) ||
		!strings.Contains(r.Body, `href="#f-nib"`) || !strings.Contains(r.Body, `id="f-nib-error"`) ||
		!strings.Contains(r.Body, `value="12345"`) || !strings.Contains(r.Body, `value="`+newName+`"`) {
		t.Errorf("bad NIB: %d\n%s", r.StatusCode, r.Body)
	}
	if n := waiting(); n != 0 || events("application.identity_proposed") != 0 {
		t.Fatalf("a refused form stored %d changes", n)
	}

	// The change waits; the directory lists the supplier as before.
	r = sup.Post("/supplier/listing/identity", url.Values{"legal_name": {newName}, "nib": {newNIB}, "npwp": {newNPWP}})
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/supplier/listing/identity") {
		t.Fatalf("propose: %d to %q\n%s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	page = sup.Get("/supplier/listing/identity")
	if !strings.Contains(page.Body, "Usulan perubahan dikirim ke kurator") || !strings.Contains(page.Body, `data-testid="identity-waiting"`) ||
		!strings.Contains(page.Body, newNIB) {
		t.Error("the identity page shows no waiting change after proposing")
	}
	if waiting() != 1 || events("application.identity_proposed") != 1 {
		t.Fatal("the change is not stored, or not on the timeline")
	}
	if got := directoryProducts(t, app, p.Slug); !slices.Equal(got, before) {
		t.Errorf("while the change waits the directory lists %v, want %v", got, before)
	}
	if r := buyer(t, app).Get("/catalog/" + p.Slug); r.StatusCode != http.StatusOK || strings.Contains(r.Body, newName) {
		t.Errorf("while the change waits the buyer's catalogue: %d, or shows the new name", r.StatusCode)
	}
	if legalNameOf(t, app, p.AppID) != oldName || currentCertificate(t, app, p.AppID) != oldCert {
		t.Fatal("proposing changed the profile or the certificate")
	}

	// Nobody but the assigned curators sees or decides it.
	path := "/curation/applications/" + itoa(p.AppID) + "/identity"
	other := newSupplier(t, app, "pesaing@contoh.id")
	if r := other.Get("/supplier/listing/identity"); strings.Contains(r.Body, newName) || strings.Contains(r.Body, newNIB) {
		t.Error("another supplier sees the change")
	}
	refuse := url.Values{"decision": {"refuse"}, "reason": {"Bukan urusan Anda"}, "change_id": {"1"}}
	for who, c := range map[string]*testapp.Client{"another supplier": other, "the supplier": sup, "a buyer": buyer(t, app),
		"another curator organisation": otherCurator(t, app)} {
		if r := c.Get(path); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s on the change's page: %d", who, r.StatusCode)
		}
		if r := c.Post(path, refuse); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s deciding the change: %d", who, r.StatusCode)
		}
	}
	if waiting() != 1 {
		t.Fatal("someone else closed the change")
	}

	// The curator finds it on the queue and the review page.
	cur := app.Client(t)
	cur.Login(p.CuratorEmail, demo.Password, "/curation")
	if q := cur.Get("/curation"); !strings.Contains(q.Body, "Usulan perubahan identitas") || !strings.Contains(q.Body, `href="`+path+`"`) {
		t.Fatal("the queue does not list the identity change")
	}
	if review := cur.Get("/curation/applications/" + itoa(p.AppID)); !strings.Contains(review.Body, `href="`+path+`"`) {
		t.Error("the review page does not link the identity change")
	}
	page = cur.Get(path)
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, html.EscapeString(oldName)) ||
		!strings.Contains(page.Body, newName) || !strings.Contains(page.Body, newNIB) || !strings.Contains(page.Body, oldCert) {
		t.Fatalf("the change's page: %d\n%s", page.StatusCode, page.Body)
	}
	first := changeID(t, page.Body)

	// Refusing without a reason, or deciding on a version the page did not
	// show, changes nothing.
	r = cur.Post(path, url.Values{"decision": {"refuse"}, "reason": {"  "}, "change_id": {first}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="f-reason-error"`) {
		t.Errorf("refuse without a reason: %d\n%s", r.StatusCode, r.Body)
	}
	if r := cur.Post(path, url.Values{"decision": {"accept"}, "change_id": {first + "0"}}); r.StatusCode != http.StatusConflict {
		t.Errorf("a decision on another version: %d", r.StatusCode)
	}
	if waiting() != 1 || legalNameOf(t, app, p.AppID) != oldName {
		t.Fatal("a refused decision changed something")
	}

	// Accepted: the profile, a new certificate and the listing.
	r = cur.Post(path, url.Values{"decision": {"accept"}, "change_id": {first}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/curation" {
		t.Fatalf("accept: %d to %q\n%s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	if q := cur.Get("/curation"); !strings.Contains(q.Body, "Perubahan identitas diterima") || strings.Contains(q.Body, `href="`+path+`"`) {
		t.Error("after the decision the queue says nothing, or still lists the change")
	}
	if waiting() != 0 || legalNameOf(t, app, p.AppID) != newName {
		t.Fatal("the accepted change did not reach the profile, or still waits")
	}
	if prof := sup.Get("/supplier/profile"); !strings.Contains(prof.Body, `value="`+newName+`"`) || !strings.Contains(prof.Body, newNIB) {
		t.Error("the profile page does not show the new identity")
	}
	newCert := currentCertificate(t, app, p.AppID)
	if newCert == oldCert {
		t.Fatal("the certificate was not re-issued")
	}
	if v := app.Client(t).Get("/verify/" + newCert); v.StatusCode != http.StatusOK || !strings.Contains(v.Body, newName) {
		t.Errorf("the new certificate's page: %d, without the new legal name", v.StatusCode)
	}
	if v := app.Client(t).Get("/verify/" + oldCert + ".json"); !strings.Contains(v.Body, `"valid":false`) ||
		!strings.Contains(v.Body, `"revoked_reason":"superseded"`) {
		t.Errorf("the old certificate: %s", v.Body)
	}
	if n := count(t, app, `SELECT count(*) FROM listings WHERE application_id = $1 AND legal_name = $2 AND certificate_code = $3
   AND withdrawn_at IS NULL`, p.AppID, newName, newCert); n != 1 {
		t.Error("the listing does not follow the new identity and certificate")
	}
	if got := directoryProducts(t, app, p.Slug); !slices.Equal(got, before) {
		t.Errorf("after the change the directory lists %v, want %v", got, before)
	}
	for _, a := range []string{"application.identity_changed", "application.certificate_reissued", "application.identity_accepted"} {
		if n := events(a); n != 1 {
			t.Errorf("%d events %s, want 1", n, a)
		}
	}
	app.Deliver(t)
	if n := count(t, app, `SELECT count(*) FROM notifications n JOIN applications a ON a.organization_id = n.organization_id
 WHERE a.id = $1 AND n.key = 'identity_accepted'`, p.AppID); n != 1 {
		t.Errorf("%d notifications of the acceptance, want 1", n)
	}
	if n := count(t, app, `SELECT count(*) FROM email_outbox WHERE subject = 'Perubahan identitas usaha Anda disetujui kurator Pasokan'`); n < 1 {
		t.Error("no e-mail of the acceptance")
	}
	if page := sup.Get("/supplier/listing/identity"); !strings.Contains(page.Body, `data-testid="identity-accepted"`) ||
		strings.Contains(page.Body, `data-testid="identity-waiting"`) {
		t.Error("the supplier does not see the acceptance")
	}

	// Proposing the identity in force is no change; a refusal is shown with
	// its reason and changes nothing.
	r = sup.Post("/supplier/listing/identity", url.Values{"legal_name": {newName}, "nib": {newNIB}, "npwp": {newNPWP}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "sama dengan yang berlaku sekarang") {
		t.Errorf("the identity in force proposed: %d", r.StatusCode)
	}
	if r := sup.Post("/supplier/listing/identity", url.Values{"legal_name": {oldName}, "nib": {newNIB}, "npwp": {newNPWP}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("propose again: %d\n%s", r.StatusCode, r.Body)
	}
	// A decision on the change decided already is stale for the new one.
	if r := cur.Post(path, url.Values{"decision": {"accept"}, "change_id": {first}}); r.StatusCode != http.StatusConflict {
		t.Errorf("a decision on the change decided already: %d", r.StatusCode)
	}
	const why = "Nama di akta belum diperbarui di OSS"
	second := changeID(t, cur.Get(path).Body)
	if r := cur.Post(path, url.Values{"decision": {"refuse"}, "reason": {why}, "change_id": {second}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("refuse: %d\n%s", r.StatusCode, r.Body)
	}
	if page := sup.Get("/supplier/listing/identity"); !strings.Contains(page.Body, `data-testid="identity-refused"`) ||
		!strings.Contains(page.Body, why) {
		t.Error("the supplier does not see the refusal and its reason")
	}
	if legalNameOf(t, app, p.AppID) != newName || currentCertificate(t, app, p.AppID) != newCert || events("application.identity_refused") != 1 {
		t.Error("a refusal changed the identity or the certificate, or is not on the timeline")
	}
}
