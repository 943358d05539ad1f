package database

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// RecoverOptions say what a recovery starts from and how far it goes.
type RecoverOptions struct {
	// Base is a folder written by (*Cluster).BaseBackup.
	Base string
	// Archive is the folder the cluster archived its WAL into.
	Archive string
	// Target is the moment to recover to: every transaction committed at
	// or before it is kept, none committed after it. It must come after
	// the base backup ended, and the archive must hold a commit after it
	// (else Postgres cannot know that nothing more came before it).
	Target time.Time
	// Log receives progress messages; nil discards them.
	Log *slog.Logger
}

// Recovered is a cluster made by Recover, running and open for writes.
type Recovered struct {
	*Cluster
	// LastCommit is the commit time of the last transaction replayed from
	// the archive (zero when there was none past the base backup).
	LastCommit time.Time
	// Took is how long the recovery took, the copy of the base included.
	Took time.Duration
}

// Recover makes a new private cluster in dir from a base backup and the
// WAL archive, recovered to o.Target: the base's files are copied, the
// archive replayed up to the target (restore_command,
// recovery_target_time), and the cluster promoted to accept writes, on a
// free port, with the base's roles and passwords. It does not archive (the
// source may still archive into that folder; SetWALArchive turns it on).
// A recovery that fails leaves dir as it stands, its server log included.
func Recover(ctx context.Context, dir string, o RecoverOptions) (*Recovered, error) {
	start := time.Now()
	c, err := NewCluster(dir, ClusterOptions{Log: o.Log})
	if err != nil {
		return nil, err
	}
	if c.Exists() {
		return nil, fmt.Errorf("recover: %s already holds a cluster; recover into a new folder", c.Root)
	}
	var base Base
	if err := readJSON(filepath.Join(o.Base, "base.json"), &base); err != nil {
		return nil, fmt.Errorf("recover: %s is not a base backup: %w", o.Base, err)
	}
	if err := readJSON(filepath.Join(o.Base, "credentials.json"), &c.creds); err != nil {
		return nil, fmt.Errorf("recover: %s has no credentials (a base backup of another server: restore it by hand, see README.md): %w", o.Base, err)
	}
	if !o.Target.After(base.Finished) {
		return nil, fmt.Errorf("recover: the target %s is not after the base backup ended (%s): use an older base backup",
			o.Target.Format(time.RFC3339Nano), base.Finished.Format(time.RFC3339Nano))
	}
	archive, err := filepath.Abs(o.Archive)
	if err != nil {
		return nil, fmt.Errorf("recover: %w", err)
	}
	if st, err := os.Stat(archive); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("recover: no archive folder %s", archive)
	}
	if strings.ContainsAny(archive, "'\"\\$`%\n") {
		return nil, fmt.Errorf("recover: the archive folder %q holds a character a shell command cannot carry plainly", archive)
	}
	if c.runAs != nil && !reachable(archive, c.runAs) {
		return nil, fmt.Errorf("recover: the Postgres user %s cannot enter %s", c.runAs.name, archive)
	}
	if err := verifyBase(ctx, c.binDir, filepath.Join(o.Base, "pgdata")); err != nil {
		return nil, fmt.Errorf("recover: the base backup is damaged: %w", err)
	}

	if err := os.MkdirAll(c.Root, 0o755); err != nil {
		return nil, fmt.Errorf("recover: %w", err)
	}
	unlock, err := lockFile(filepath.Join(c.Root, "lock"))
	if err != nil {
		return nil, err
	}
	defer unlock()
	c.opts.Log.Info("copying the base backup", "from", o.Base, "to", c.dataDir())
	if err := os.MkdirAll(c.clusterDir(), 0o700); err != nil {
		return nil, fmt.Errorf("recover: %w", err)
	}
	if err := c.chown(c.clusterDir()); err != nil {
		return nil, err
	}
	if err := c.copyTree(filepath.Join(o.Base, "pgdata"), c.dataDir()); err != nil {
		return nil, fmt.Errorf("recover: copy the base backup: %w", err)
	}
	conf := filepath.Join(c.dataDir(), "postgresql.conf")
	if _, err := setConfBlock(conf, archiveBlock, nil); err != nil {
		return nil, err
	}
	target := o.Target.UTC().Format("2006-01-02 15:04:05.999999-07:00")
	if _, err := setConfBlock(conf, recoveryBlock, []string{
		`restore_command = 'cp "` + archive + `/%f" "%p"'`,
		"recovery_target_time = '" + target + "'",
		"recovery_target_action = 'promote'",
	}); err != nil {
		return nil, err
	}
	signal := filepath.Join(c.dataDir(), "recovery.signal")
	if err := os.WriteFile(signal, nil, 0o600); err != nil {
		return nil, fmt.Errorf("recover: %w", err)
	}
	if err := c.chown(signal); err != nil {
		return nil, err
	}
	c.creds.Port = 0 // startServer picks a free one
	if err := c.writeCredentials(); err != nil {
		return nil, err
	}

	c.opts.Log.Info("replaying the WAL archive", "archive", archive, "target", target)
	if err := c.startServer(ctx); err != nil {
		return nil, recoveryError(err, c)
	}
	r := &Recovered{Cluster: c}
	if r.LastCommit, err = c.waitPromoted(ctx); err != nil {
		return nil, recoveryError(err, c)
	}
	// The recovery settings have done their work (Postgres removed
	// recovery.signal): out of the way of whoever reads the file next.
	if _, err := setConfBlock(conf, recoveryBlock, nil); err != nil {
		return nil, err
	}
	if err := c.ensureRoles(ctx); err != nil {
		return nil, err
	}
	r.Took = time.Since(start)
	return r, nil
}

// waitPromoted waits until the recovering server has reached its target
// and accepts writes, and returns the commit time of the last transaction
// it replayed.
func (c *Cluster) waitPromoted(ctx context.Context) (time.Time, error) {
	for {
		if c.command(ctx, "pg_ctl", "-D", c.dataDir(), "status").Run() != nil {
			return time.Time{}, errors.New("the server stopped during recovery")
		}
		conn, err := pgx.Connect(ctx, c.SuperURL("postgres"))
		if err == nil {
			var inRecovery bool
			var last *time.Time
			err = conn.QueryRow(ctx, `SELECT pg_is_in_recovery(), pg_last_xact_replay_timestamp()`).Scan(&inRecovery, &last)
			conn.Close(ctx)
			if err == nil && !inRecovery {
				if last == nil {
					return time.Time{}, nil
				}
				return *last, nil
			}
		}
		select {
		case <-ctx.Done():
			return time.Time{}, fmt.Errorf("waiting for the end of recovery: %w", ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// recoveryError explains a failed recovery from the server's log.
func recoveryError(err error, c *Cluster) error {
	log := tail(c.logFile(), 20)
	hint := ""
	switch {
	case strings.Contains(log, "recovery ended before configured recovery target was reached"):
		hint = "the archive holds no commit after the target yet: archive the current WAL of the source (pasokan pitr switch) or wait for archive_timeout, or choose an earlier target; "
	case strings.Contains(log, "before consistent recovery point"):
		hint = "the target comes before the base backup's end: use an older base backup; "
	}
	return fmt.Errorf("recover: %s%w\n(the folder %s is left for inspection: delete it before trying again)\nlast lines of %s:\n%s",
		hint, err, c.Root, c.logFile(), log)
}

// copyTree copies the folder src to dst, which must not exist, keeping
// modes, the copy owned by the cluster's user. Only files and folders: a
// base backup with tablespaces (symbolic links) is not ours.
func (c *Cluster) copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			if err := os.Mkdir(target, info.Mode().Perm()); err != nil {
				return err
			}
		case info.Mode().IsRegular():
			if err := copyFile(p, target, info.Mode().Perm()); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s is neither a file nor a folder", p)
		}
		return c.chown(target)
	})
}

func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func treeSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	return n, err
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}
