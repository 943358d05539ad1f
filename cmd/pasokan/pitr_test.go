package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/config"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
)

// The README's walk-through of point-in-time recovery, command by command,
// on a private cluster of the test's own: archive, base, a row before the
// noted moment and one after, switch, recover; the recovered folder starts
// as serve starts a private cluster and holds the first row only.
func TestPITRCommandsRecoverAPrivateCluster(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := dbtest.OwnCluster(t)
	cfg, err := config.FromEnv(func(k string) string { return map[string]string{"PASOKAN_DATA_DIR": c.Root}[k] })
	dbtest.Must(t, err)
	log := slog.New(slog.DiscardHandler)
	pitr := func(args ...string) string {
		t.Helper()
		var out strings.Builder
		if err := pitrCommand(ctx, cfg, log, args, &out); err != nil {
			t.Fatalf("pasokan pitr %s: %v", strings.Join(args, " "), err)
		}
		return out.String()
	}
	archive, base, recovered := filepath.Join(c.Root, "archive"), filepath.Join(c.Root, "base"), filepath.Join(c.Root, "recovered")
	if out := pitr("archive", "-to", archive); !strings.Contains(out, "archives every finished WAL segment into "+archive) {
		t.Errorf("pitr archive said %q", out)
	}
	if out := pitr("base", "-o", base); !strings.Contains(out, "wrote a base backup") {
		t.Errorf("pitr base said %q", out)
	}

	owner, err := pgx.Connect(ctx, c.OwnerURL(database.DatabaseName))
	dbtest.Must(t, err)
	defer owner.Close(ctx)
	_, err = owner.Exec(ctx, `CREATE TABLE notes (body text); INSERT INTO notes VALUES ('before')`)
	dbtest.Must(t, err)
	var target time.Time
	dbtest.Must(t, owner.QueryRow(ctx, `SELECT clock_timestamp()`).Scan(&target))
	_, err = owner.Exec(ctx, `INSERT INTO notes VALUES ('after')`)
	dbtest.Must(t, err)
	if out := pitr("switch"); !strings.Contains(out, "archived WAL up to segment") {
		t.Errorf("pitr switch said %q", out)
	}
	// As an operator writes it: local time with its offset.
	out := pitr("recover", "-base", base, "-archive", archive, "-target", target.Local().Format("2006-01-02 15:04:05.999999-07:00"),
		"-dir", recovered)
	if !strings.Contains(out, "PASOKAN_DATA_DIR="+recovered) {
		t.Errorf("pitr recover said %q", out)
	}

	// What serve does first with PASOKAN_DATA_DIR set to the copy.
	rc, err := database.NewCluster(recovered, database.ClusterOptions{Log: log})
	dbtest.Must(t, err)
	t.Cleanup(func() { _ = rc.StopIfRunning(context.Background()) })
	dbtest.Must(t, rc.Start(ctx))
	conn, err := pgx.Connect(ctx, rc.OwnerURL(database.DatabaseName))
	dbtest.Must(t, err)
	defer conn.Close(ctx)
	rows, _ := conn.Query(ctx, `SELECT body FROM notes ORDER BY body`)
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	dbtest.Must(t, err)
	if strings.Join(got, ",") != "before" {
		t.Errorf("the recovered cluster holds %q, want only the row written before the target", got)
	}
}

func TestPITRTargetFormats(t *testing.T) {
	t.Parallel()
	want := time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC)
	for _, s := range []string{"2026-12-06 10:00:00+07", "2026-12-06 10:00:00+07:00", "2026-12-06 10:00:00+0700",
		"2026-12-06T10:00:00+07:00", "2026-12-06 03:00:00Z"} {
		got, err := parseTarget(s)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseTarget(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	if got, err := parseTarget("2026-12-06 10:00:00.25+07"); err != nil || !got.Equal(want.Add(250*time.Millisecond)) {
		t.Errorf("a fraction of a second: %v, %v", got, err)
	}
	if got, err := parseTarget("2026-12-06 10:00:00"); err != nil || got.Location() != time.Local || got.Hour() != 10 {
		t.Errorf("without a zone: %v, %v; want 10:00 local", got, err)
	}
	for _, s := range []string{"", "yesterday", "2026-12-06", "10:00:00"} {
		if _, err := parseTarget(s); err == nil {
			t.Errorf("parseTarget(%q) accepted", s)
		}
	}
}
