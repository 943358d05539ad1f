package database

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"sort"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"pasokan/migrations"
)

// AppRole is the role the server connects as. The migrations grant it what it
// needs and nothing more; it owns no table and so cannot escape row-level
// security.
const AppRole = "pasokan_app"

// OwnerRole is the role that owns the schema and runs migrations.
const OwnerRole = "pasokan_owner"

// RiverSchema holds River's tables (the job queue: see DESIGN.md,
// "Background work"), apart from the portal's in public: they are no
// tenant's, carry no row-level security, and change all the time (leader
// election, queue heartbeats), which the portal's checks of what a request
// stored must not see.
const RiverSchema = "river"

// Migrate applies every pending migration through the owner's connection
// url: the portal's own (goose, migrations/), then River's, with River's own
// migrator, then the application role's grants on River's tables, then the
// kind roles' privileges and policies (syncKindRolesSQL). Several
// processes may call it at once: advisory locks make them take turns.
func Migrate(ctx context.Context, ownerURL string, log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg, err := pgxpool.ParseConfig(ownerURL)
	if err != nil {
		return fmt.Errorf("database: parse owner url: %w", err)
	}
	// goose holds its lock on one connection and migrates on another; then
	// one holds River's lock while River's migrator uses another.
	cfg.MaxConns = 2
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("database: connect as owner: %w", err)
	}
	defer pool.Close()
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()

	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return fmt.Errorf("database: migration lock: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS,
		goose.WithSessionLocker(locker), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("database: migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("database: migrate: %w", err)
	}
	for _, r := range results {
		log.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "duration", r.Duration)
	}
	return migrateRiver(ctx, pool, log)
}

// riverLockKey is the advisory lock River's migrations run under (River's
// migrator takes none of its own).
const riverLockKey = 0x7061736f6b616e // "pasokan"

// riverGrantsSQL is what the application role needs of River's tables: the
// jobs (inserted with the change that causes them, fetched, completed,
// retried, and deleted by River's cleaner), the leader (elected among the
// processes) and the queues (their heartbeats), and the job ids' sequence.
// Nothing on river_migration (River's migrator's, as the owner) or
// river_notification (unused on Postgres), and no DDL: River's maintenance
// that reindexes is turned off in the application (see app.New).
const riverGrantsSQL = `GRANT USAGE ON SCHEMA river TO pasokan_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON river.river_job, river.river_leader, river.river_queue TO pasokan_app;
GRANT USAGE ON SEQUENCE river.river_job_id_seq TO pasokan_app;`

// migrateRiver applies River's migrations into RiverSchema with River's own
// migrator, as the owner, and grants the application role what River needs.
func migrateRiver(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("database: river migrations: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(riverLockKey)); err != nil {
		return fmt.Errorf("database: river migration lock: %w", err)
	}
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(riverLockKey))
	}()
	if _, err := conn.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+pgx.Identifier{RiverSchema}.Sanitize()); err != nil {
		return fmt.Errorf("database: river schema: %w", err)
	}
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Schema: RiverSchema, Logger: log})
	if err != nil {
		return fmt.Errorf("database: river migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("database: river migrations: %w", err)
	}
	if _, err := conn.Exec(ctx, riverGrantsSQL); err != nil {
		return fmt.Errorf("database: river grants: %w", err)
	}
	var changed int
	if err := conn.QueryRow(ctx, syncKindRolesSQL).Scan(&changed); err != nil {
		return fmt.Errorf("database: kind roles: %w", err)
	}
	if changed > 0 {
		log.Info("kind roles' privileges and policies brought in step", "changed", changed)
	}
	return nil
}

// syncKindRolesSQL gives the kind roles the application role's privileges
// and derives its policies for them (migration 0052), after every
// migration: a policy or grant a later migration adds is theirs too. It
// changes nothing when they are in step.
const syncKindRolesSQL = `SELECT app_sync_kind_roles()`

// MigrationsHash identifies the current set of migrations, River's and the
// grants on its tables included; the test harness names its template
// database after it.
func MigrationsHash() (string, error) {
	names, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		return "", err
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		b, err := fs.ReadFile(migrations.FS, n)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	m, err := rivermigrate.New(riverpgxv5.New(nil), &rivermigrate.Config{Schema: RiverSchema})
	if err != nil {
		return "", err
	}
	for _, v := range m.AllVersions() {
		fmt.Fprintf(h, "river %d\x00%d\x00%s", v.Version, len(v.SQLUp), v.SQLUp)
	}
	fmt.Fprintf(h, "grants\x00%s\x00%s", riverGrantsSQL, syncKindRolesSQL)
	return hex.EncodeToString(h.Sum(nil)), nil
}
