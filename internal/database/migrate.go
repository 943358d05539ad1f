package database

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"sort"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"pasokan/migrations"
)

// AppRole is the role the server connects as. The migrations grant it what it
// needs and nothing more; it owns no table and so cannot escape row-level
// security.
const AppRole = "pasokan_app"

// OwnerRole is the role that owns the schema and runs migrations.
const OwnerRole = "pasokan_owner"

// Migrate applies every pending migration through the owner's connection url.
// Several processes may call it at once: a session-level advisory lock makes
// them take turns.
func Migrate(ctx context.Context, ownerURL string, log *slog.Logger) error {
	cfg, err := pgx.ParseConfig(ownerURL)
	if err != nil {
		return fmt.Errorf("database: parse owner url: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	return MigrateDB(ctx, db, log)
}

// MigrateDB applies every pending migration on db, which must be connected
// as the schema owner.
func MigrateDB(ctx context.Context, db *sql.DB, log *slog.Logger) error {
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
		if log != nil {
			log.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "duration", r.Duration)
		}
	}
	return nil
}

// MigrationsHash identifies the current set of migrations; the test harness
// names its template database after it.
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
	return hex.EncodeToString(h.Sum(nil)), nil
}
