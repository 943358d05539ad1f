// Package dbtest gives each test a fresh, migrated database of its own on a
// private Postgres cluster, cloned from a template that is migrated once
// (pgtestdb). The cluster lives in .data/test at the module root and is
// started on first use; `make test` stops it afterwards.
//
// A test that cannot reach its database fails. It never skips.
package dbtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver pgtestdb opens
	"github.com/peterldowns/pgtestdb"

	"pasokan/internal/database"
)

// DB is one test's database.
type DB struct {
	// App is connected as the application role, like the server.
	App *database.DB
	// Name is the database's name, for logs.
	Name string
	// AppURL and OwnerURL connect to this database as the application role
	// and as the schema owner.
	AppURL, OwnerURL string
}

var (
	clusterOnce sync.Once
	cluster     *database.Cluster
	clusterErr  error
)

// Cluster starts (or joins) the shared test cluster.
func Cluster(t testing.TB) *database.Cluster {
	t.Helper()
	clusterOnce.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			clusterErr = err
			return
		}
		dir := filepath.Join(root, ".data", "test")
		if v := os.Getenv("PASOKAN_TEST_DATA_DIR"); v != "" {
			dir = v
		}
		c, err := database.NewCluster(dir, database.ClusterOptions{Fast: true, Log: slog.New(slog.DiscardHandler)})
		if err != nil {
			clusterErr = err
			return
		}
		if err := c.Start(context.Background()); err != nil {
			clusterErr = err
			return
		}
		cluster = c
	})
	if clusterErr != nil {
		t.Fatalf("dbtest: no test database: %v", clusterErr)
	}
	return cluster
}

// New returns a fresh database for t, dropped when t passes and kept for
// inspection when it fails.
func New(t testing.TB) *DB {
	t.Helper()
	return NewOn(t, Cluster(t))
}

// OwnCluster starts a private cluster for t alone, in a folder of its own,
// stopped when t ends: for a test that restarts or stops Postgres, which
// the shared cluster's other tests must not see.
func OwnCluster(t testing.TB) *database.Cluster {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, ".data"), 0o755); err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp(filepath.Join(root, ".data"), "test-own-")
	if err != nil {
		t.Fatal(err)
	}
	// MkdirTemp makes it 0700: the cluster's user must enter it.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	c, err := database.NewCluster(dir, database.ClusterOptions{Fast: true, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("dbtest: own cluster: %v", err)
	}
	t.Cleanup(func() {
		_ = c.StopIfRunning(context.Background())
		_ = os.RemoveAll(c.Root)
		_ = os.RemoveAll(dir)
	})
	if err := c.Start(context.Background()); err != nil {
		t.Fatalf("dbtest: own cluster: %v", err)
	}
	return c
}

// NewOn returns a fresh database for t on cluster c.
func NewOn(t testing.TB, c *database.Cluster) *DB {
	t.Helper()
	conf := pgtestdb.Config{
		DriverName: "pgx",
		Host:       "127.0.0.1",
		Port:       strconv.Itoa(c.Port()),
		User:       "postgres",
		Password:   c.SuperPassword(),
		Database:   "postgres",
		Options:    "sslmode=disable",
		TestRole: &pgtestdb.Role{
			Username:     database.OwnerRole,
			Password:     c.OwnerPassword(),
			Capabilities: "NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS",
		},
		ForceTerminateConnections: true,
	}
	inst := pgtestdb.Custom(t, conf, migrator{})
	db, err := database.Open(context.Background(), c.AppURL(inst.Database), database.Options{MaxConns: 8, ApplicationName: "pasokan-test"})
	if err != nil {
		t.Fatalf("dbtest: connect as %s: %v", database.AppRole, err)
	}
	t.Cleanup(db.Close)
	return &DB{App: db, Name: inst.Database, AppURL: c.AppURL(inst.Database), OwnerURL: c.OwnerURL(inst.Database)}
}

type migrator struct{}

func (migrator) Hash() (string, error) { return database.MigrationsHash() }

// Migrate migrates the template through its own connection as the owner:
// River's migrator takes a pgx pool, not the *sql.DB pgtestdb hands over.
func (migrator) Migrate(ctx context.Context, _ *sql.DB, conf pgtestdb.Config) error {
	return database.Migrate(ctx, conf.URL(), nil)
}

// moduleRoot walks up from the working directory to the folder holding go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("dbtest: go.mod not found above the working directory")
		}
		dir = parent
	}
}

// Must fails t when err is not nil.
func Must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(fmt.Errorf("unexpected error: %w", err))
	}
}

// AsOwner runs fn in a transaction of its own as the schema owner, in the
// portal's system mode, and commits it unless fn fails (which fails t).
// Every table forces row-level security on its owner too, so a test that
// changes or reads rows past the application role (a supplier renamed
// behind the portal's back, a kept table compared with its source) works
// as the portal's own jobs do.
func (db *DB) AsOwner(t testing.TB, fn func(tx pgx.Tx) error) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, db.OwnerURL)
	Must(t, err)
	defer conn.Close(ctx)
	Must(t, pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('pasokan.mode', 'system', true)`); err != nil {
			return err
		}
		return fn(tx)
	}))
}

// IDs is the ids a statement's rows give in their one column, in order,
// read in the portal's system mode.
func (db *DB) IDs(t testing.TB, sql string, args ...any) []int64 {
	t.Helper()
	var out []int64
	ctx := context.Background()
	Must(t, db.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		return err
	}))
	return out
}

// WalkPages reads a list paged by database.Cursor from its first page to
// its last and fails t unless its rows' ids are want, in order, over more
// than one page: page reads the page after a cursor (nil: the first) and
// gives its rows' ids and the cursor of the next page (nil on the last).
// Each cursor goes through its address form, as a page's link takes it. t
// fails too on an empty page, a page of more than size rows, a cursor that
// does not read back, or a list that does not end.
func WalkPages(t testing.TB, size int, want []int64, page func(after *database.Cursor) ([]int64, *database.Cursor, error)) {
	t.Helper()
	if len(want) <= size {
		t.Fatalf("%d rows make one page only", len(want))
	}
	var got []int64
	var after *database.Cursor
	for range len(want) {
		ids, next, err := page(after)
		Must(t, err)
		if len(ids) == 0 || len(ids) > size {
			t.Fatalf("a page of %d rows (at most %d, none only for an empty list's)", len(ids), size)
		}
		got = append(got, ids...)
		if next == nil {
			if !slices.Equal(got, want) {
				t.Errorf("the pages hold %v, want %v", got, want)
			}
			return
		}
		c, ok := database.ParseCursor(next.String())
		if !ok {
			t.Fatalf("the cursor %q does not read back", next.String())
		}
		after = &c
	}
	t.Fatalf("the list goes on past %d pages", len(want))
}
