package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/testapp"
)

// from sends a form as if from client address addr (the app trusts
// X-Forwarded-For).
func from(c *testapp.Client, addr, path string, form url.Values) *testapp.Response {
	return c.Post(path, form, "X-Forwarded-For", addr)
}

func loginForm(email, password string) url.Values {
	return url.Values{"email": {email}, "password": {password}}
}

func TestSessionsAreStoredHashedAndEndWithTheBrowser(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)
	r := c.Post("/login", loginForm("umkm@pasokan.test", "pasokan-demo"))
	var session *http.Cookie
	for _, ck := range r.Cookies() {
		if ck.Name == "pasokan_session" {
			session = ck
		}
	}
	if session == nil {
		t.Fatal("no session cookie at login")
	}
	if session.MaxAge != 0 || !session.Expires.IsZero() || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
		t.Errorf("session cookie %q: want a browser-session, HttpOnly, Lax cookie", r.Header.Values("Set-Cookie"))
	}
	var clear, hashed int
	err := app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		if err := tx.QueryRow(context.Background(), `SELECT count(*) FROM sessions WHERE token = $1`, session.Value).Scan(&clear); err != nil {
			return err
		}
		return tx.QueryRow(context.Background(), `SELECT count(*) FROM sessions WHERE token = $1`, storedToken(session.Value)).Scan(&hashed)
	})
	if err != nil {
		t.Fatal(err)
	}
	if clear != 0 || hashed != 1 {
		t.Errorf("sessions table: %d rows with the token in clear, %d with its hash; want 0 and 1", clear, hashed)
	}
}

func TestCookiesUseTheHostPrefixOverTLS(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.WithSecureCookies())
	r := app.Client(t).Post("/login", loginForm("umkm@pasokan.test", "pasokan-demo"))
	names := map[string]bool{}
	for _, ck := range r.Cookies() {
		names[ck.Name] = true
		if !strings.HasPrefix(ck.Name, "__Host-") {
			continue
		}
		if !ck.Secure || ck.Path != "/" || ck.Domain != "" {
			t.Errorf("%s: Secure %v, Path %q, Domain %q; __Host- needs Secure, / and no Domain", ck.Name, ck.Secure, ck.Path, ck.Domain)
		}
	}
	if !names["__Host-pasokan_session"] || !names["__Host-pasokan_device"] {
		t.Errorf("cookies set at login over TLS: %v, want __Host-pasokan_session and __Host-pasokan_device", names)
	}
}

func TestAcceptingAnInvitationRenewsTheSession(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	owner := newSupplier(t, app, "pemilik@contoh.id")
	if r := owner.Post("/organization/invitations", url.Values{"email": {"umkm@pasokan.test"}, "role": {"member"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite: %d", r.StatusCode)
	}
	link := app.LinkIn(t, "umkm@pasokan.test", "invitation")
	c := app.Client(t)
	c.Login("umkm@pasokan.test", "pasokan-demo", "/supplier")
	before := c.Cookie("pasokan_session")
	if r := c.Post(strings.TrimPrefix(link, app.URL), url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d\n%s", r.StatusCode, r.Body)
	}
	if after := c.Cookie("pasokan_session"); after == "" || after == before {
		t.Errorf("token not renewed on joining an organisation: %q -> %q", before, after)
	}
}

// TestOwnerLogsInWhileAnAttackerHammers: an attacker guessing from several
// addresses is throttled; the owner's phone, known from an earlier login,
// gets in from a new address with the right password.
func TestOwnerLogsInWhileAnAttackerHammers(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.WithTrustProxy())
	phone := app.Client(t)
	if r := from(phone, "192.0.2.10", "/login", loginForm("umkm@pasokan.test", "pasokan-demo")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("first login: %d", r.StatusCode)
	}
	if phone.Cookie("pasokan_device") == "" {
		t.Fatal("no device cookie after login")
	}
	from(phone, "192.0.2.10", "/logout", nil)

	attacker := app.Client(t)
	throttled := 0
	for i := range 4 {
		addr := fmt.Sprintf("198.51.100.%d", i+1)
		for range 7 {
			r := from(attacker, addr, "/login", loginForm("umkm@pasokan.test", "tebak-tebak-saja"))
			switch r.StatusCode {
			case http.StatusTooManyRequests:
				throttled++
				if r.Header.Get("Retry-After") == "" {
					t.Error("429 without Retry-After")
				}
			case http.StatusUnauthorized:
			default:
				t.Fatalf("attacker from %s: %d", addr, r.StatusCode)
			}
		}
	}
	if throttled == 0 {
		t.Fatal("the attacker was never throttled")
	}
	// The right password from a blocked address and a new browser waits.
	if r := from(app.Client(t), "198.51.100.1", "/login", loginForm("umkm@pasokan.test", "pasokan-demo")); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("new browser at the attacker's address: %d, want 429", r.StatusCode)
	}
	// The owner's phone, on a new address, gets in.
	if r := from(phone, "203.0.113.99", "/login", loginForm("umkm@pasokan.test", "pasokan-demo")); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/supplier" {
		t.Errorf("owner's phone from a new address: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
}

// TestHashingBoundAnswers503UnderABurst: with one hashing slot and no queue,
// a burst of logins gets some 503s with Retry-After, never a 500, and never
// more than one hash at a time.
func TestHashingBoundAnswers503UnderABurst(t *testing.T) {
	t.Parallel()
	pw, err := account.NewPasswords()
	if err != nil {
		t.Fatal(err)
	}
	app := testapp.New(t, testapp.WithPasswords(pw), testapp.WithTrustProxy())
	pw.SetLimits(1, 0, 0)
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Go(func() {
			r := from(app.Client(t), fmt.Sprintf("198.51.100.%d", i+1), "/login", loginForm(fmt.Sprintf("orang%d@contoh.id", i), "kata sandi salah"))
			mu.Lock()
			defer mu.Unlock()
			statuses[r.StatusCode]++
			if r.StatusCode == http.StatusServiceUnavailable && (r.Header.Get("Retry-After") == "" || !strings.Contains(r.Body, "Server sedang sibuk")) {
				t.Errorf("503 without Retry-After or its page: %q", r.Header.Get("Retry-After"))
			}
		})
	}
	wg.Wait()
	if statuses[http.StatusServiceUnavailable] == 0 || statuses[http.StatusUnauthorized] == 0 || len(statuses) != 2 {
		t.Errorf("answers %v, want some 401 and some 503, nothing else", statuses)
	}
	if s := pw.Stats(); s.Peak > 1 {
		t.Errorf("%d hashes ran at once, bound 1", s.Peak)
	}
	// Once the burst is over, a login goes through.
	if r := from(app.Client(t), "192.0.2.1", "/login", loginForm("umkm@pasokan.test", "pasokan-demo")); r.StatusCode != http.StatusSeeOther {
		t.Errorf("login after the burst: %d", r.StatusCode)
	}
}

// TestPasswordChangeGuessesEndTheSession: a stolen cookie is no oracle for
// the password.
func TestPasswordChangeGuessesEndTheSession(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)
	c.Login("umkm@pasokan.test", "pasokan-demo", "/supplier")
	form := url.Values{"current_password": {"tebak tebak"}, "new_password": {"kata sandi baru sekali"}}
	for i := range 4 {
		if r := c.Post("/account/password", form); r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("wrong current password %d: %d", i+1, r.StatusCode)
		}
	}
	r := c.Post("/account/password", form)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Fatalf("fifth wrong password: %d to %q, want the session ended", r.StatusCode, r.Header.Get("Location"))
	}
	if r := c.Get("/account"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the session lives on: /account %d", r.StatusCode)
	}
	if page := c.Get("/login"); !strings.Contains(page.Body, "sesi ini kami akhiri") {
		t.Error("the login page does not say why the session ended")
	}
	// The password is unchanged: the owner logs in from elsewhere (this
	// address now waits, as the guesses came from it).
	if _, err := app.Accounts.Authenticate(context.Background(), account.Attempt{Email: "umkm@pasokan.test",
		Password: "pasokan-demo", Addr: "192.0.2.77"}); err != nil {
		t.Errorf("the owner's password from another address: %v", err)
	}
}

func TestSignUpsFromOneAddressAreThrottled(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)
	// Testing whether addresses have accounts: twenty answers, then a wait.
	for i := range 20 {
		if r := c.Post("/register", registerForm("umkm@pasokan.test")); r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("taken address %d: %d", i+1, r.StatusCode)
		}
	}
	r := c.Post("/register", registerForm("umkm@pasokan.test"))
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Fatalf("21st: %d, Retry-After %q", r.StatusCode, r.Header.Get("Retry-After"))
	}
	if !strings.Contains(r.Body, "Terlalu banyak percobaan pendaftaran") || !strings.Contains(r.Body, `value="umkm@pasokan.test"`) {
		t.Error("the throttled page lacks its message or what was typed")
	}
}

// TestSessionSaveFailureAfterACommittedSaveSaysSaved: the profile is saved,
// then the session (with its message) cannot be: the answer says it was
// saved, never that it failed.
func TestSessionSaveFailureAfterACommittedSaveSaysSaved(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := newSupplier(t, app, "siti@contoh.id")
	owner, err := pgx.Connect(context.Background(), app.DB.OwnerURL)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(context.Background())
	if _, err := owner.Exec(context.Background(), `REVOKE INSERT, UPDATE ON sessions FROM pasokan_app`); err != nil {
		t.Fatal(err)
	}
	r := c.Post("/supplier/profile", profileForm)
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Sudah tersimpan") || !strings.Contains(r.Body, `href="/supplier`) {
		t.Fatalf("save with the session store failing: %d\n%s", r.StatusCode, r.Body)
	}
	if _, err := owner.Exec(context.Background(), `GRANT INSERT, UPDATE ON sessions TO pasokan_app`); err != nil {
		t.Fatal(err)
	}
	if page := c.Get("/supplier/profile"); !strings.Contains(page.Body, "CV Maju Jaya") {
		t.Error("the profile reported saved is not saved")
	}
}

var sampleFormRe = regexp.MustCompile(`action="(/curation/applications/\d+/samples/\d+)"`)

// TestRecordingASampleUnderTheWrongApplicationChangesNothing: the sample of
// application A recorded under application B is a 404 with no event.
func TestRecordingASampleUnderTheWrongApplicationChangesNothing(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	_, reviewA := submittedSupplier(t, app, "a@contoh.id", 1)
	_, reviewB := submittedSupplier(t, app, "b@contoh.id", 2)
	cur := app.Client(t)
	cur.Login("kurator@pasokan.test", "pasokan-demo", "/curation")
	if r := cur.Post(reviewA+"/samples", sampleForm("masker-kain", "Kirim 5 masker")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("request a sample: %d", r.StatusCode)
	}
	m := sampleFormRe.FindStringSubmatch(cur.Get(reviewA).Body)
	if m == nil {
		t.Fatal("no sample form on A's review page")
	}
	sampleID := m[1][strings.LastIndex(m[1], "/")+1:]
	events := func() int {
		var n int
		err := app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT count(*) FROM application_events
 WHERE action IN ('application.sample_received', 'application.sample_tested')`).Scan(&n)
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	r := cur.Post(reviewB+"/samples/"+sampleID, url.Values{"result": {"pass"}, "note": {"bagus"}})
	if r.StatusCode != http.StatusNotFound {
		t.Errorf("A's sample under B: %d, want 404", r.StatusCode)
	}
	if n := events(); n != 0 {
		t.Errorf("%d sample events written for a sample that did not change", n)
	}
	// Under its own application it is recorded, once.
	if r := cur.Post(m[1], url.Values{"result": {"pass"}, "note": {"bagus"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("A's sample under A: %d", r.StatusCode)
	}
	if n := events(); n != 1 {
		t.Errorf("%d sample events, want 1", n)
	}
}

// joinCurator adds email to the demo curation partner as a member (with the
// demo password) and returns their logged-in client.
func joinCurator(t *testing.T, app *testapp.App, email string) *testapp.Client {
	t.Helper()
	ctx := context.Background()
	err := app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO users (email, name, password_hash, locale)
SELECT $1, 'Kurator ' || $1, password_hash, 'id' FROM users WHERE email = 'kurator@pasokan.test' RETURNING id`, email).Scan(&id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO memberships (organization_id, user_id, role)
SELECT m.organization_id, $1, 'member' FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'kurator@pasokan.test'`, id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	c := app.Client(t)
	c.Login(email, "pasokan-demo", "/curation")
	return c
}

// TestAClaimReservesTheDecision: a colleague cannot decide an application
// another curator claimed; the claimant and a lead can.
func TestAClaimReservesTheDecision(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	_, review := submittedSupplier(t, app, "a@contoh.id", 1)
	lead := app.Client(t)
	lead.Login("kurator@pasokan.test", "pasokan-demo", "/curation")
	ani := joinCurator(t, app, "ani@kurator.id")
	budi := joinCurator(t, app, "budi@kurator.id")

	page := ani.Get(review).Body
	if r := ani.Post(review+"/claim", url.Values{"version": {reviewVersion(t, page)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("claim: %d", r.StatusCode)
	}
	page = budi.Get(review).Body
	r := budi.Post(review+"/decision", allPass(page, reviewVersion(t, page), "curate"))
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, "kurator lain") {
		t.Fatalf("a colleague deciding a claimed application: %d", r.StatusCode)
	}
	if after := budi.Get(review).Body; reviewVersion(t, after) != reviewVersion(t, page) {
		t.Error("the refused decision changed the application")
	}
	// The lead may decide (here: ask for a revision of the NPWP).
	page = lead.Get(review).Body
	f := url.Values{"version": {reviewVersion(t, page)}, "decision": {"revise"}, "revise_field_npwp": {"NPWP tidak terbaca"}}
	if r := lead.Post(review+"/decision", f); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the lead deciding: %d\n%s", r.StatusCode, r.Body)
	}
}
