package backup_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/app"
	"pasokan/internal/backup"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/demo"
	"pasokan/internal/notify"
	"pasokan/internal/server"
	"pasokan/internal/testapp"
)

// A populated portal is backed up, restored into an empty database on the
// same cluster, and the copy holds every table's rows exactly (counted and
// digested independently of Restore's own check); the portal serves from
// the copy and its demo admin logs in. A dump restored over a database
// that is not empty is refused.
func TestBackupRestoresEveryRowAndServes(t *testing.T) {
	t.Parallel()
	src := testapp.New(t)
	cluster := dbtest.Cluster(t)
	bin, err := database.FindPostgresBin()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	dump := filepath.Join(t.TempDir(), "pasokan.dump")

	start := time.Now()
	m, err := backup.Backup(ctx, cluster.SuperURL(src.DB.Name), bin, dump)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("backup of %d tables in %s", len(m.Tables), time.Since(start).Round(time.Millisecond))
	for _, table := range []string{"public.organizations", "public.documents", "public.audit_events", "public.applications"} {
		if m.Tables[table].Rows == 0 {
			t.Errorf("the manifest counts no rows of %s", table)
		}
	}

	// An empty database owned by the schema owner, like the portal's.
	name := fmt.Sprintf("restored_%d", time.Now().UnixNano())
	super, err := pgx.Connect(ctx, cluster.SuperURL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer super.Close(ctx)
	if _, err := super.Exec(ctx, `CREATE DATABASE `+name+` OWNER `+database.OwnerRole); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = super.Exec(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	})
	start = time.Now()
	got, err := backup.Restore(ctx, cluster.SuperURL(name), bin, dump)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("restore in %s", time.Since(start).Round(time.Millisecond))

	// Read both again, each in a snapshot of its own, and compare.
	read := func(url string) backup.Manifest {
		t.Helper()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		var out backup.Manifest
		err = pgx.BeginTxFunc(ctx, conn, pgx.TxOptions{IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
			var err error
			out.Tables, err = backup.Digests(ctx, tx)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	copyNow := read(cluster.SuperURL(name))
	if diff := backup.Compare(m, copyNow); len(diff) > 0 {
		t.Errorf("the copy differs from the dump: %v", diff)
	}
	if diff := backup.Compare(got, copyNow); len(diff) > 0 {
		t.Errorf("Restore reported other rows than the copy holds: %v", diff)
	}
	// The copy has its planner statistics: a dump carries none, and the
	// generic plans of tables without them are guesses.
	{
		conn, err := pgx.Connect(ctx, cluster.SuperURL(name))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := conn.Query(ctx, `SELECT c.relname FROM pg_class c
 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
   AND c.relname IN ('organizations', 'applications', 'audit_events', 'users')
   AND NOT EXISTS (SELECT 1 FROM pg_stats s WHERE s.schemaname = 'public' AND s.tablename = c.relname)
 ORDER BY 1`)
		bare, err := pgx.CollectRows(rows, pgx.RowTo[string])
		conn.Close(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(bare) > 0 {
			t.Errorf("tables of the copy without statistics: %v", bare)
		}
	}

	// Restoring again over the copy is refused, and changes nothing.
	if _, err := backup.Restore(ctx, cluster.SuperURL(name), bin, dump); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("a restore over a database in use: %v", err)
	}

	// The portal serves from the copy: its demo admin logs in.
	db, err := database.Open(ctx, cluster.AppURL(name), database.Options{MaxConns: 4, ApplicationName: "restored"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	portal, err := app.New(db, app.Options{Passwords: testapp.Passwords(t), BaseURL: "http://restored.test",
		Mailer: notify.LocalMailer{}, DevMailbox: true, TestOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(server.New(portal.Deps))
	defer ts.Close()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.PostForm(ts.URL+"/login", url.Values{"email": {"admin@pasokan.test"}, "password": {demo.Password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin" {
		t.Errorf("logging in on the copy: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
}
