package database

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Point-in-time recovery (issue 13): a cluster archives every finished
// segment of its write-ahead log into a folder (SetWALArchive); a base
// backup copies the whole cluster while it runs (BaseBackup); Recover
// makes a new cluster from a base backup and replays the archive up to a
// moment, then opens it for writes. Every commit made before that moment
// is there, none made after it.

// ArchiveTimeout bounds how long finished work may wait in the cluster's
// own pg_wal before its segment is archived when little is written: the
// work a lost disk can take with it. Each forced switch archives a whole
// 16 MB segment, so an idle-but-not-silent cluster (River writes every few
// seconds) archives at most 4.6 GB a day.
const ArchiveTimeout = 5 * time.Minute

const (
	archiveBlock  = "wal-archive"
	recoveryBlock = "recovery"
)

// SetWALArchive turns continuous archiving of the cluster's write-ahead log
// into dir on, or off when dir is "". The setting is written into the
// cluster's postgresql.conf, so every later start (serve, devdb start)
// keeps it. Postgres reads archive_mode at start only: a running cluster
// whose setting differs is restarted, which its clients see as a dropped
// connection.
//
// Each segment is copied to dir under its own name, never over a file
// already there (unless it is the same file, as after a crash between
// copying and recording it); the copy is renamed into place whole.
func (c *Cluster) SetWALArchive(ctx context.Context, dir string) error {
	if !c.Exists() {
		return fmt.Errorf("cluster: no private cluster in %s yet (pasokan devdb start makes one)", c.Root)
	}
	unlock, err := lockFile(filepath.Join(c.Root, "lock"))
	if err != nil {
		return err
	}
	defer unlock()
	if err := c.readCredentials(); err != nil {
		return err
	}
	var lines []string
	if dir != "" {
		if dir, err = c.archiveFolder(dir); err != nil {
			return err
		}
		lines = archiveSettings(dir)
	}
	if _, err := setConfBlock(filepath.Join(c.dataDir(), "postgresql.conf"), archiveBlock, lines); err != nil {
		return err
	}
	if !c.running(ctx) {
		return nil
	}
	mode, command, err := c.archiveSettingsInUse(ctx)
	if err != nil {
		return err
	}
	if dir == "" && mode == "off" || dir != "" && mode == "on" && command == archiveCommand(dir) {
		return nil
	}
	c.opts.Log.Info("restarting the private Postgres cluster to change its WAL archiving", "archive", dir)
	if err := c.Stop(ctx); err != nil {
		return err
	}
	return c.startServer(ctx)
}

// WALArchive is the folder the cluster's configuration archives into, or
// "" when it does not archive.
func (c *Cluster) WALArchive() (string, error) {
	b, err := os.ReadFile(filepath.Join(c.dataDir(), "postgresql.conf"))
	if err != nil {
		return "", fmt.Errorf("cluster: %w", err)
	}
	const prefix = "# archive folder: "
	for _, l := range confBlock(string(b), archiveBlock) {
		if dir, ok := strings.CutPrefix(l, prefix); ok {
			return dir, nil
		}
	}
	return "", nil
}

// archiveFolder makes dir (absolute) and gives it to the cluster's user,
// who runs archive_command and must reach it.
func (c *Cluster) archiveFolder(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("cluster: %w", err)
	}
	if strings.ContainsAny(abs, "'\"\\$`%\n") {
		return "", fmt.Errorf("cluster: the archive folder %q holds a character a shell command cannot carry plainly", abs)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return "", fmt.Errorf("cluster: %w", err)
	}
	if err := c.chown(abs); err != nil {
		return "", err
	}
	if c.runAs != nil && !reachable(abs, c.runAs) {
		return "", fmt.Errorf("cluster: the Postgres user %s cannot enter %s; choose a folder it can reach", c.runAs.name, abs)
	}
	return abs, nil
}

func archiveSettings(dir string) []string {
	return []string{
		"# archive folder: " + dir,
		"wal_level = replica",
		"archive_mode = on",
		"archive_command = '" + archiveCommand(dir) + "'",
		fmt.Sprintf("archive_timeout = %ds", int(ArchiveTimeout.Seconds())),
	}
}

// archiveCommand copies a finished segment into dir, refusing to overwrite
// another file of that name: two clusters archiving into one folder must
// fail loudly, not mix. Postgres retries a failed copy.
func archiveCommand(dir string) string {
	dst := `"` + dir + `/%f"`
	return `test ! -f ` + dst + ` && cp "%p" "` + dir + `/%f.tmp" && mv "` + dir + `/%f.tmp" ` + dst +
		` || cmp -s "%p" ` + dst
}

func (c *Cluster) archiveSettingsInUse(ctx context.Context) (mode, command string, err error) {
	conn, err := pgx.Connect(ctx, c.SuperURL("postgres"))
	if err != nil {
		return "", "", fmt.Errorf("cluster: %w", err)
	}
	defer conn.Close(ctx)
	err = conn.QueryRow(ctx, `SELECT current_setting('archive_mode'), current_setting('archive_command')`).Scan(&mode, &command)
	if err != nil {
		return "", "", fmt.Errorf("cluster: %w", err)
	}
	return mode, command, nil
}

// ArchiveCurrentWAL closes the current segment of the write-ahead log of
// the server superURL connects to (pg_switch_wal, as a superuser) and
// waits until the archiver has archived it: every commit made so far is
// then in the archive. It returns the segment's name. A server that does
// not archive is an error.
func ArchiveCurrentWAL(ctx context.Context, superURL string) (string, error) {
	conn, err := pgx.Connect(ctx, superURL)
	if err != nil {
		return "", fmt.Errorf("archive: %w", err)
	}
	defer conn.Close(ctx)
	var mode string
	if err := conn.QueryRow(ctx, `SELECT current_setting('archive_mode')`).Scan(&mode); err != nil {
		return "", fmt.Errorf("archive: %w", err)
	}
	if mode == "off" {
		return "", errors.New("archive: the server does not archive its WAL (archive_mode is off)")
	}
	// pg_walfile_name names the segment holding the byte before the
	// switch's end: the segment just closed (or, when nothing was written
	// since the last switch, the one closed then).
	var segment string
	if err := conn.QueryRow(ctx, `SELECT pg_walfile_name(pg_switch_wal())`).Scan(&segment); err != nil {
		return "", fmt.Errorf("archive: %w", err)
	}
	for {
		var last, failed string
		err := conn.QueryRow(ctx, `SELECT coalesce(last_archived_wal, ''), coalesce(last_failed_wal, '') FROM pg_stat_archiver`).
			Scan(&last, &failed)
		if err != nil {
			return "", fmt.Errorf("archive: %w", err)
		}
		// Segment names sort in the order they are written; a backup's
		// history file (segment.offset.backup) is archived before its
		// segment is closed, so only a later name proves it.
		if last == segment || (len(last) >= len(segment) && last[:len(segment)] > segment) {
			return segment, nil
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("archive: waiting for %s to be archived (last archived %q, last failed %q): %w", segment, last, failed, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Base describes a base backup: a folder holding the cluster's files
// (pgdata, written by pg_basebackup with the WAL it needs to start),
// base.json and, for a private cluster, its credentials.json.
type Base struct {
	// Started and Finished are the server's clock around the backup: a
	// recovery target must come after the backup's end.
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	// Bytes is the size of the copy.
	Bytes int64 `json:"bytes"`
}

// BaseBackup copies the whole running server superURL connects to (as a
// superuser, the password passed to pg_basebackup in its environment) into
// dir/pgdata with pg_basebackup from binDir, and checks the copy against
// its manifest (pg_verifybackup). dir must be empty or not exist. The
// server must archive its WAL: a base backup is only the starting point
// of a recovery, which the archive carries forward.
func BaseBackup(ctx context.Context, superURL, binDir, dir string) (Base, error) {
	var b Base
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return b, fmt.Errorf("base backup: %s is not empty", dir)
	}
	conn, err := pgx.Connect(ctx, superURL)
	if err != nil {
		return b, fmt.Errorf("base backup: %w", err)
	}
	defer conn.Close(ctx)
	var mode string
	if err := conn.QueryRow(ctx, `SELECT current_setting('archive_mode'), clock_timestamp()`).Scan(&mode, &b.Started); err != nil {
		return b, fmt.Errorf("base backup: %w", err)
	}
	if mode == "off" {
		return b, errors.New("base backup: the server does not archive its WAL (archive_mode is off), so no recovery could go past the backup; turn archiving on first")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return b, fmt.Errorf("base backup: %w", err)
	}
	pgdata := filepath.Join(dir, "pgdata")
	// A fast checkpoint starts the copy at once; the default spreads it
	// over most of checkpoint_timeout (half an hour here).
	if err := runClient(ctx, superURL, filepath.Join(binDir, "pg_basebackup"), "--pgdata="+pgdata,
		"--wal-method=stream", "--checkpoint=fast", "--label=pasokan"); err != nil {
		return b, fmt.Errorf("base backup: %w", err)
	}
	if err := conn.QueryRow(ctx, `SELECT clock_timestamp()`).Scan(&b.Finished); err != nil {
		return b, fmt.Errorf("base backup: %w", err)
	}
	if err := verifyBase(ctx, binDir, pgdata); err != nil {
		return b, fmt.Errorf("base backup: %w", err)
	}
	if b.Bytes, err = treeSize(pgdata); err != nil {
		return b, fmt.Errorf("base backup: %w", err)
	}
	if err := writeJSON(filepath.Join(dir, "base.json"), b); err != nil {
		return b, fmt.Errorf("base backup: %w", err)
	}
	return b, nil
}

// BaseBackup takes a base backup of the running cluster into dir (see
// BaseBackup) with its credentials, so that a cluster recovered from it
// knows its roles' passwords.
func (c *Cluster) BaseBackup(ctx context.Context, dir string) (Base, error) {
	b, err := BaseBackup(ctx, c.SuperURL("postgres"), c.binDir, dir)
	if err != nil {
		return b, err
	}
	creds := c.creds
	creds.Port = 0
	if err := writeJSON(filepath.Join(dir, "credentials.json"), creds); err != nil {
		return b, fmt.Errorf("base backup: %w", err)
	}
	return b, nil
}

// verifyBase checks every file of a base backup against the manifest
// pg_basebackup wrote, and that the WAL it needs to start is whole.
func verifyBase(ctx context.Context, binDir, pgdata string) error {
	out, err := exec.CommandContext(ctx, filepath.Join(binDir, "pg_verifybackup"), "--quiet", pgdata).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_verifybackup: %w: %s", err, bytes.TrimSpace(out))
	}
	return nil
}

// runClient runs a Postgres client program on the server url names; the
// password goes in its environment, never on its command line.
func runClient(ctx context.Context, url, name string, args ...string) error {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return err
	}
	args = append([]string{"--host=" + cfg.Host, "--port=" + strconv.Itoa(int(cfg.Port)), "--username=" + cfg.User,
		"--no-password"}, args...)
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

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o600)
}

// setConfBlock replaces the lines pasokan wrote under name in the
// configuration file path with lines (none: removes them), and reports
// whether the file changed. Later lines win in postgresql.conf, so the
// block goes at the end.
func setConfBlock(path, name string, lines []string) (bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return false, fmt.Errorf("cluster: %w", err)
	}
	old := string(b)
	begin, end := "# pasokan: begin "+name, "# pasokan: end "+name
	var keep []string
	in := false
	for _, l := range strings.Split(strings.TrimRight(old, "\n"), "\n") {
		switch {
		case l == begin:
			in = true
		case l == end:
			in = false
		case !in:
			keep = append(keep, l)
		}
	}
	if len(lines) > 0 {
		keep = append(append(append(keep, begin), lines...), end)
	}
	updated := strings.Join(keep, "\n") + "\n"
	if updated == old {
		return false, nil
	}
	// Written in place: the file keeps its owner (the cluster's user).
	if err := os.WriteFile(path, []byte(updated), 0o600); err != nil {
		return false, fmt.Errorf("cluster: %w", err)
	}
	return true, nil
}

// confBlock returns the lines pasokan wrote under name in a configuration
// file's text.
func confBlock(text, name string) []string {
	var out []string
	in := false
	for _, l := range strings.Split(text, "\n") {
		switch l {
		case "# pasokan: begin " + name:
			in = true
		case "# pasokan: end " + name:
			in = false
		default:
			if in {
				out = append(out, l)
			}
		}
	}
	return out
}
