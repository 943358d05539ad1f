package server_test

import (
	"context"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/demo"
	"pasokan/internal/testapp"
)

// TestReadReplica runs the portal with a streaming replica of its database
// (issue 13): the public directory's reads reach the replica (with its
// replay paused, a visitor sees the page as it was), the supplier who made
// the change sees it at once (their reads go to the primary until the
// replica has replayed it), everyone sees it once the replica catches up,
// and when the replica goes away the portal keeps serving from the primary.
func TestReadReplica(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	primary := dbtest.OwnCluster(t)
	app := testapp.NewScale(t, 40, testapp.OnCluster(primary))
	rep := startReplica(t, primary)
	db := app.DB.App
	if err := db.UseReplica(ctx, rep.AppURL(app.DB.Name), database.ReplicaOptions{MaxLag: time.Hour, Every: 20 * time.Millisecond,
		Log: slog.New(slog.NewTextHandler(app.Log, nil))}); err != nil {
		t.Fatal(err)
	}
	super, err := pgx.Connect(ctx, rep.SuperURL(app.DB.Name))
	if err != nil {
		t.Fatal(err)
	}
	defer super.Close(ctx)

	l := listedSuppliers(t, app)[0]
	page := "/directory/" + l.slug
	shows := func(body string) bool { return strings.Contains(body, "987.654") || strings.Contains(body, "987,654") }
	visitor, sup := app.Client(t), app.Client(t)
	sup.Login(l.owner, demo.Password, "/supplier")
	if r := visitor.Get(page); r.StatusCode != 200 || shows(r.Body) {
		t.Fatalf("the directory page before the change: %d, new capacity shown: %v", r.StatusCode, shows(r.Body))
	}
	if sup.Cookie("pasokan_seen") == "" {
		t.Fatal("logging in (a state change) left no pasokan_seen cookie")
	}

	// The replica has replayed everything so far; then it stops replaying.
	waitReplayed(t, db, super)
	if _, err := super.Exec(ctx, `SELECT pg_wal_replay_pause()`); err != nil {
		t.Fatal(err)
	}
	waitPaused(t, super)

	if r := sup.Post("/supplier/listing", url.Values{"product_type": {l.products[0]}, "monthly_capacity": {"987654"},
		"price_min": {"1000"}, "price_max": {"2000"}}); r.StatusCode != 303 {
		t.Fatalf("saving the listing: %d\n%s", r.StatusCode, r.Body)
	}
	if r := visitor.Get(page); r.StatusCode != 200 || shows(r.Body) {
		t.Errorf("a visitor's directory page did not come from the paused replica: %d, new capacity shown: %v", r.StatusCode, shows(r.Body))
	}
	if r := sup.Get(page); r.StatusCode != 200 || !shows(r.Body) {
		t.Errorf("the supplier does not see their own change on the directory page at once: %d", r.StatusCode)
	}
	if r := sup.Get("/supplier/listing"); !shows(r.Body) {
		t.Errorf("the supplier's own listing page does not show the change")
	}

	// Replaying again, the replica shows the change to everyone.
	if _, err := super.Exec(ctx, `SELECT pg_wal_replay_resume()`); err != nil {
		t.Fatal(err)
	}
	waitReplayed(t, db, super)
	if r := visitor.Get(page); r.StatusCode != 200 || !shows(r.Body) {
		t.Errorf("once replayed, a visitor does not see the change: %d", r.StatusCode)
	}

	// The replica goes away: the next reads are served by the primary.
	super.Close(ctx)
	if err := rep.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if r := visitor.Get(page); r.StatusCode != 200 || !shows(r.Body) {
			t.Fatalf("with the replica gone, request %d: %d, change shown: %v", i+1, r.StatusCode, shows(r.Body))
		}
		if r := visitor.Get("/"); r.StatusCode != 200 {
			t.Fatalf("with the replica gone, the home page: %d", r.StatusCode)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if up, _, _ := db.ReplicaState(); !up {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the replica is still taken as up ten seconds after it stopped")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(app.Log.String(), "not reading from the read replica") {
		t.Error("the log does not say that reads went back to the primary")
	}
}

// startReplica starts a streaming replica of c in a folder of its own,
// stopped and removed when t ends.
func startReplica(t *testing.T, c *database.Cluster) *database.Cluster {
	t.Helper()
	dir, err := os.MkdirTemp(filepath.Dir(c.Root), "replica-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	rep, err := c.StartReplica(context.Background(), dir)
	if rep != nil {
		t.Cleanup(func() {
			_ = rep.StopIfRunning(context.Background())
			_ = os.RemoveAll(rep.Root)
			_ = os.RemoveAll(dir)
		})
	}
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// waitReplayed waits until the replica has replayed what the primary has
// written so far, and the portal has seen it do so.
func waitReplayed(t *testing.T, db *database.DB, super *pgx.Conn) {
	t.Helper()
	ctx := context.Background()
	target, err := db.CurrentLSN(ctx)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var s string
		if err := super.QueryRow(ctx, `SELECT pg_last_wal_replay_lsn()::text`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		got, err := database.ParseLSN(s)
		if err != nil {
			t.Fatal(err)
		}
		up, _, _ := db.ReplicaState()
		if got >= target && up && db.Stale(database.WithMinLSN(ctx, target)).IsReplica() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the replica has replayed to %s, want %s (taken as up: %v)", got, target, up)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func waitPaused(t *testing.T, super *pgx.Conn) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var state string
		if err := super.QueryRow(context.Background(), `SELECT pg_get_wal_replay_pause_state()`).Scan(&state); err != nil {
			t.Fatal(err)
		}
		if state == "paused" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the replica's replay is %q, not paused", state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestLSNText(t *testing.T) {
	for _, s := range []string{"0/0", "16/b374d848", "ffffffff/ffffffff"} {
		l, err := database.ParseLSN(s)
		if err != nil || l.String() != s {
			t.Errorf("%q: %v, %q", s, err, l.String())
		}
	}
	if l, _ := database.ParseLSN("1/0"); l != 1<<32 {
		t.Errorf("1/0 is %d", l)
	}
	for _, s := range []string{"", "16", "x/1", "1/100000000", "/1"} {
		if _, err := database.ParseLSN(s); err == nil {
			t.Errorf("%q parsed", s)
		}
	}
}
