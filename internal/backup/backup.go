// Package backup writes a consistent dump of the portal's database
// (documents included: they are rows) and loads one into an empty database,
// checking it (issue 13). A dump is pg_dump's custom format, taken in one
// snapshot; beside it, a manifest holds every table's row count and a
// digest of its rows read in that same snapshot. Restoring loads the dump
// with pg_restore and reads the same digests from the copy: a copy that
// differs in any table is an error, never a silent success.
//
// Both run as a superuser: the tables force row-level security, which
// pg_dump's plain reads and pg_restore's COPY do not pass otherwise.
package backup

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Manifest describes a dump: when it was taken and every table's rows.
type Manifest struct {
	TakenAt time.Time              `json:"taken_at"`
	Tables  map[string]TableDigest `json:"tables"`
}

// TableDigest is a table's row count and a digest of its rows (each row's
// text, hashed, the hashes sorted and hashed again).
type TableDigest struct {
	Rows   int64  `json:"rows"`
	Digest string `json:"digest"`
}

// ManifestPath is where a dump's manifest lives: beside it.
func ManifestPath(dump string) string { return dump + ".manifest.json" }

// tablesSQL lists the tables of the portal and of its job queue.
const tablesSQL = `SELECT quote_ident(schemaname) || '.' || quote_ident(tablename)
  FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`

// Digests reads every table's row count and digest in tx.
func Digests(ctx context.Context, tx pgx.Tx) (map[string]TableDigest, error) {
	rows, _ := tx.Query(ctx, tablesSQL)
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	out := make(map[string]TableDigest, len(tables))
	for _, t := range tables {
		// The table's name comes from the catalogue, quoted by Postgres.
		rows, _ := tx.Query(ctx, `SELECT count(*) AS rows, coalesce(md5(string_agg(h, '' ORDER BY h)), '') AS digest
  FROM (SELECT md5(x::text) AS h FROM `+t+` x) r`)
		d, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[TableDigest])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t, err)
		}
		out[t] = d
	}
	return out, nil
}

// Backup dumps the database superURL names into path (pg_dump from
// binDir), with its manifest beside it, in one snapshot.
func Backup(ctx context.Context, superURL, binDir, path string) (Manifest, error) {
	conn, err := pgx.Connect(ctx, superURL)
	if err != nil {
		return Manifest{}, fmt.Errorf("backup: %w", err)
	}
	defer conn.Close(ctx)
	var m Manifest
	err = pgx.BeginTxFunc(ctx, conn, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var snapshot string
		if err := tx.QueryRow(ctx, `SELECT pg_export_snapshot(), now()`).Scan(&snapshot, &m.TakenAt); err != nil {
			return err
		}
		// pg_dump reads the snapshot this transaction holds open, so the
		// dump and the digests see the same rows.
		if err := run(ctx, superURL, filepath.Join(binDir, "pg_dump"), "--format=custom", "--snapshot="+snapshot,
			"--file="+path); err != nil {
			return err
		}
		m.Tables, err = Digests(ctx, tx)
		return err
	})
	if err != nil {
		return Manifest{}, fmt.Errorf("backup: %w", err)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return Manifest{}, err
	}
	if err := os.WriteFile(ManifestPath(path), b, 0o600); err != nil {
		return Manifest{}, fmt.Errorf("backup: %w", err)
	}
	return m, nil
}

// Restore loads the dump at path into the empty database superURL names
// (pg_restore from binDir, in one transaction) and checks every table
// against the dump's manifest, then analyses it (a dump has no statistics).
func Restore(ctx context.Context, superURL, binDir, path string) (Manifest, error) {
	b, err := os.ReadFile(ManifestPath(path))
	if err != nil {
		return Manifest{}, fmt.Errorf("restore: the dump's manifest: %w", err)
	}
	var want Manifest
	if err := json.Unmarshal(b, &want); err != nil {
		return Manifest{}, fmt.Errorf("restore: the dump's manifest: %w", err)
	}
	conn, err := pgx.Connect(ctx, superURL)
	if err != nil {
		return Manifest{}, fmt.Errorf("restore: %w", err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`).Scan(&n); err != nil {
		return Manifest{}, fmt.Errorf("restore: %w", err)
	}
	if n > 0 {
		return Manifest{}, fmt.Errorf("restore: the database is not empty (%d tables): restore into a new one", n)
	}
	if err := run(ctx, superURL, filepath.Join(binDir, "pg_restore"), "--exit-on-error", "--single-transaction", path); err != nil {
		return Manifest{}, fmt.Errorf("restore: %w", err)
	}
	got := Manifest{TakenAt: want.TakenAt}
	err = pgx.BeginTxFunc(ctx, conn, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var err error
		got.Tables, err = Digests(ctx, tx)
		return err
	})
	if err != nil {
		return Manifest{}, fmt.Errorf("restore: check: %w", err)
	}
	if diff := Compare(want, got); len(diff) > 0 {
		return got, fmt.Errorf("restore: the copy differs from the dump: %s", strings.Join(diff, "; "))
	}
	// A dump carries no planner statistics: until autovacuum came round,
	// the copy's generic plans would be guesses over tables of millions of
	// rows. ANALYZE samples each table (a bounded read), so the copy serves
	// as the original did as soon as it is restored.
	if _, err := conn.Exec(ctx, `ANALYZE`); err != nil {
		return got, fmt.Errorf("restore: analyze: %w", err)
	}
	return got, nil
}

// Compare lists the tables whose rows differ between two manifests.
func Compare(want, got Manifest) []string {
	var diff []string
	for t, w := range want.Tables {
		g, ok := got.Tables[t]
		switch {
		case !ok:
			diff = append(diff, t+": missing")
		case g != w:
			diff = append(diff, fmt.Sprintf("%s: %d rows (%s), want %d (%s)", t, g.Rows, g.Digest, w.Rows, w.Digest))
		}
	}
	for t := range got.Tables {
		if _, ok := want.Tables[t]; !ok {
			diff = append(diff, t+": not in the dump")
		}
	}
	slices.Sort(diff)
	return diff
}

// run runs a Postgres client program on the database url names; the
// password goes in its environment, never on its command line.
func run(ctx context.Context, url, name string, args ...string) error {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return err
	}
	args = append([]string{"--host=" + cfg.Host, "--port=" + strconv.Itoa(int(cfg.Port)), "--username=" + cfg.User,
		"--dbname=" + cfg.Database, "--no-password"}, args...)
	cmd := exec.CommandContext(ctx, name, args...)
	sslmode := "require"
	if cfg.TLSConfig == nil {
		sslmode = "disable"
	}
	cmd.Env = append(os.Environ(), "PGPASSWORD="+cfg.Password, "PGSSLMODE="+sslmode)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", filepath.Base(name), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}
