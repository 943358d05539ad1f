package server_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/testapp"
)

// sessionHolder reads the holder kept beside a session, by its cookie.
func sessionHolder(t *testing.T, app *testapp.App, cookie string) (userID, orgID int64, found bool) {
	t.Helper()
	err := app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(context.Background(), `SELECT coalesce(user_id, 0) AS user_id, coalesce(org_id, 0) AS org_id
  FROM sessions WHERE token = $1`, storedToken(cookie))
		h, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[struct{ UserID, OrgID int64 }])
		userID, orgID = h.UserID, h.OrgID
		return err
	})
	if errors.Is(err, database.ErrNotFound) {
		return 0, 0, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return userID, orgID, true
}

// A logged-in page reads the session, the actor and the organisation
// switcher in one round trip, then does its own work in one more; seen
// again, the session (as this process last read it) is read again in the
// page's own round trip (database.SessionCheck): the supplier's dashboard,
// and a member of two organisations (whose page shows the switcher) on the
// catalogue, whose kept page needs no round trip but the session's.
func TestSessionReadsItsHolderInOneRoundTrip(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	app := testapp.New(t, testapp.WithTracer(rec))
	for _, tc := range []struct {
		email, page, shows string
		trips              int64
	}{
		{"umkm@pasokan.test", "/supplier", "Siti Rahmawati", 1},
		// The catalogue, seen before and unchanged since, reads the
		// catalogue's generation with the session, and nothing more
		// (TestCatalogueServedAgainInTheSessionsRoundTrip).
		{"pembeli@pasokan.test", "/catalog", `id="organization_id"`, 1},
	} {
		c := app.Client(t)
		c.Login(tc.email, "pasokan-demo", tc.page)
		c.Get(tc.page) // a first view may write the session (flash, activity)
		c.Get(tc.page) // read afresh once written, and remembered
		rec.take()
		rec.trips.Store(0)
		rec.on.Store(true)
		r := c.Get(tc.page)
		rec.on.Store(false)
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, tc.shows) {
			t.Fatalf("%s: %d, without %q", tc.page, r.StatusCode, tc.shows)
		}
		if n := rec.trips.Load(); n != tc.trips {
			var sqls []string
			for _, st := range rec.take() {
				sqls = append(sqls, firstLine(st.sql))
			}
			t.Errorf("%s: %d round trips to Postgres, want %d (the page's own, with the session's check):\n%s",
				tc.page, n, tc.trips, strings.Join(sqls, "\n"))
		}
	}
}

// The holder kept beside the session follows logging in and switching
// organisation, and goes with the session at logout; a session without one
// (written before it was kept) is read as before.
func TestSessionHolderFollowsTheSession(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	ctx := context.Background()
	c := app.Client(t)
	c.Login("pembeli@pasokan.test", "pasokan-demo", "/catalog")
	userID, err := app.Accounts.UserIDByEmail(ctx, "pembeli@pasokan.test")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := app.Accounts.Memberships(ctx, userID)
	if err != nil || len(ms) != 2 {
		t.Fatalf("memberships: %v %v", ms, err)
	}
	u, o, ok := sessionHolder(t, app, c.Cookie("pasokan_session"))
	if !ok || u != userID || (o != ms[0].OrgID && o != ms[1].OrgID) {
		t.Fatalf("holder after login: user %d org %d (found %v), want user %d", u, o, ok, userID)
	}
	other := ms[0].OrgID
	if other == o {
		other = ms[1].OrgID
	}
	if r := c.Post("/organization/switch", url.Values{"organization_id": {itoa(other)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("switch: %d", r.StatusCode)
	}
	if u, o, ok := sessionHolder(t, app, c.Cookie("pasokan_session")); !ok || u != userID || o != other {
		t.Errorf("holder after switching: user %d org %d (found %v), want %d/%d", u, o, ok, userID, other)
	}

	// A session without its holder: the page still knows who is there.
	err = app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE sessions SET user_id = NULL, org_id = NULL WHERE token = $1`, storedToken(c.Cookie("pasokan_session")))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := c.Get("/organization"); r.StatusCode != http.StatusOK {
		t.Fatalf("a session without its holder: %d", r.StatusCode)
	}
	// A holder that does not match the session's own values (only the
	// database could write it) is not used: the session's values rule.
	supplierID, err := app.Accounts.UserIDByEmail(ctx, "umkm@pasokan.test")
	if err != nil {
		t.Fatal(err)
	}
	var supplierOrg int64
	err = app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT organization_id FROM memberships WHERE user_id = $1`, supplierID).Scan(&supplierOrg); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE sessions SET user_id = $2, org_id = $3 WHERE token = $1`,
			storedToken(c.Cookie("pasokan_session")), supplierID, supplierOrg)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	r := c.Get("/organization")
	if r.StatusCode != http.StatusOK || strings.Contains(r.Body, "Konveksi Maju Jaya") || strings.Contains(r.Body, "Siti Rahmawati") {
		t.Errorf("a mismatched holder was used: %d", r.StatusCode)
	}

	cookie := c.Cookie("pasokan_session")
	if r := c.Post("/logout", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.StatusCode)
	}
	if _, _, ok := sessionHolder(t, app, cookie); ok {
		t.Error("the session outlived logout")
	}
}

// The holder brings the user's organisations only for the switcher: a
// person of one organisation has none to choose from, and their pages
// show who and for whom instead; a person of two gets both, by name.
func TestHolderListsOrganisationsOnlyForTheSwitcher(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	ctx := context.Background()
	store := account.NewSessionStore(app.DB.App, func([]byte) (int64, int64) { return 0, 0 })
	for _, tc := range []struct {
		email, page string
		orgs        int
	}{
		{"umkm@pasokan.test", "/supplier", 1},
		{"pembeli@pasokan.test", "/catalog", 2},
	} {
		c := app.Client(t)
		c.Login(tc.email, "pasokan-demo", tc.page)
		userID, err := app.Accounts.UserIDByEmail(ctx, tc.email)
		if err != nil {
			t.Fatal(err)
		}
		ms, err := app.Accounts.Memberships(ctx, userID)
		if err != nil || len(ms) != tc.orgs {
			t.Fatalf("%s: memberships %v, %v; want %d", tc.email, ms, err, tc.orgs)
		}
		hctx, h := account.WithHolder(ctx)
		if _, found, err := store.FindCtx(hctx, storedToken(c.Cookie("pasokan_session"))); err != nil || !found || !h.Found {
			t.Fatalf("%s: session found %v, holder found %v, %v", tc.email, found, h.Found, err)
		}
		r := c.Get(tc.page)
		switcher := strings.Contains(r.Body, `action="/organization/switch"`)
		switch tc.orgs {
		case 1:
			if len(h.Memberships) != 0 || switcher || !strings.Contains(r.Body, h.Actor.OrgName) {
				t.Errorf("%s: holder lists %v, switcher shown %v, page names %q: %v", tc.email, h.Memberships, switcher, h.Actor.OrgName, r.StatusCode)
			}
		default:
			if len(h.Memberships) != 2 || h.Memberships[0].OrgName > h.Memberships[1].OrgName || !switcher {
				t.Errorf("%s: holder lists %v, switcher shown %v", tc.email, h.Memberships, switcher)
			}
			for _, m := range ms {
				if !strings.Contains(r.Body, `value="`+itoa(m.OrgID)+`"`) {
					t.Errorf("%s: the switcher leaves out %s", tc.email, m.OrgName)
				}
			}
		}
	}
}

// A page goes on with the session as this process last read it only when
// the same round trip finds it unchanged: a change to who holds it (here
// their organisation renamed) shows on the next page, and a session ended
// elsewhere (another process, a logout) lets nothing through and is not
// written back.
func TestSessionReadBeforeIsCheckedWithThePage(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	ctx := context.Background()
	c := app.Client(t)
	c.Login("umkm@pasokan.test", "pasokan-demo", "/supplier")
	for range 3 {
		if r := c.Get("/supplier"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Konveksi Maju Jaya") {
			t.Fatalf("dashboard: %d", r.StatusCode)
		}
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		err := app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, sql, args...)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	exec(`UPDATE organizations SET name = 'Konveksi Sinar Terang'
 WHERE id = (SELECT organization_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'umkm@pasokan.test')`)
	r := c.Get("/supplier")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Konveksi Sinar Terang") || strings.Contains(r.Body, "Konveksi Maju Jaya") {
		t.Errorf("the page after the organisation was renamed: %d, new name shown %v, old name shown %v", r.StatusCode,
			strings.Contains(r.Body, "Konveksi Sinar Terang"), strings.Contains(r.Body, "Konveksi Maju Jaya"))
	}
	c.Get("/supplier") // remembered again

	token := storedToken(c.Cookie("pasokan_session"))
	exec(`DELETE FROM sessions WHERE token = $1`, token)
	r = c.Get("/supplier")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Errorf("a session ended elsewhere: %d to %q, want 303 to the login page", r.StatusCode, r.Header.Get("Location"))
	}
	var left int
	err := app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM sessions WHERE token = $1`, token).Scan(&left)
	})
	if err != nil || left != 0 {
		t.Errorf("the ended session was written back: %d rows, %v", left, err)
	}
}

// A page answered again because its session changed, that then writes
// (here, opening the notifications reads the new one), forgets the session
// it read: the next page reads it afresh (two round trips) rather than
// check it against what it was before the write, fail, and be answered
// twice (three).
func TestSessionReadAgainForgottenWhenThePageWrites(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	app := testapp.New(t, testapp.WithTracer(rec))
	ctx := context.Background()
	c := app.Client(t)
	c.Login("umkm@pasokan.test", "pasokan-demo", "/supplier")
	c.Get("/supplier") // the process reads what it keeps (the product types) once
	for range 3 {
		c.Get("/notifications")
	}
	err := app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO notifications (organization_id, key)
SELECT organization_id, 'application_submitted' FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'umkm@pasokan.test'`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := c.Get("/notifications"); r.StatusCode != http.StatusOK {
		t.Fatalf("notifications: %d", r.StatusCode)
	}
	rec.take()
	rec.trips.Store(0)
	rec.on.Store(true)
	r := c.Get("/supplier")
	rec.on.Store(false)
	if n := rec.trips.Load(); r.StatusCode != http.StatusOK || n != 2 {
		var sqls []string
		for _, st := range rec.take() {
			sqls = append(sqls, firstLine(st.sql))
		}
		t.Errorf("the page after the notifications were read: %d, %d round trips, want 2:\n%s", r.StatusCode, n, strings.Join(sqls, "\n"))
	}
}
