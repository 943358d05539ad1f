package database

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"
)

// StartReplica starts a streaming replica of the running cluster c in dir,
// making it first (pg_basebackup of c, as c's superuser) when dir holds
// none: for development and tests of the read replica (issue 13), the way
// a production standby is made. The replica has c's roles and passwords
// and a port of its own; it accepts only reads.
func (c *Cluster) StartReplica(ctx context.Context, dir string) (*Cluster, error) {
	r, err := NewCluster(dir, c.opts)
	if err != nil {
		return nil, err
	}
	if r.Root == c.Root {
		return nil, errors.New("cluster: the replica needs a folder of its own")
	}
	if err := os.MkdirAll(r.Root, 0o755); err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	unlock, err := lockFile(filepath.Join(r.Root, "lock"))
	if err != nil {
		return nil, err
	}
	defer unlock()
	if !r.Exists() {
		if err := r.cloneFrom(ctx, c); err != nil {
			return nil, err
		}
	} else if err := r.readCredentials(); err != nil {
		return nil, err
	}
	if !r.running(ctx) {
		if err := r.startServer(ctx); err != nil {
			return nil, err
		}
	}
	return r, r.waitStandby(ctx)
}

// cloneFrom makes r a standby of c: a base backup streamed with the WAL
// needed to start, standby.signal and primary_conninfo written by
// pg_basebackup (-R).
func (r *Cluster) cloneFrom(ctx context.Context, c *Cluster) error {
	r.opts.Log.Info("creating a streaming replica", "dir", r.dataDir(), "primary_port", c.creds.Port)
	if err := os.RemoveAll(r.clusterDir()); err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	if err := os.MkdirAll(r.clusterDir(), 0o700); err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	if err := r.chown(r.clusterDir()); err != nil {
		return err
	}
	cmd := r.command(ctx, "pg_basebackup", "-h", "127.0.0.1", "-p", fmt.Sprint(c.creds.Port), "-U", "postgres",
		"-D", r.dataDir(), "-R", "-X", "stream", "-c", "fast", "--no-password")
	// The password reaches pg_basebackup through its environment, never
	// its command line; -R writes it into primary_conninfo, which the
	// standby needs to connect (postgresql.auto.conf, readable by the
	// cluster's user only).
	cmd.Env = append(cmd.Env, "PGPASSWORD="+c.creds.SuperPassword)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("cluster: pg_basebackup: %w\n%s", err, out)
	}
	// The primary's WAL archiving is the primary's: a replica promoted
	// one day must not archive into the same folder.
	if _, err := setConfBlock(filepath.Join(r.dataDir(), "postgresql.conf"), archiveBlock, nil); err != nil {
		return err
	}
	r.creds = c.creds
	r.creds.Port = 0 // startServer picks a free one
	return r.writeCredentials()
}

// waitStandby waits until the replica accepts connections and is replaying.
func (r *Cluster) waitStandby(ctx context.Context) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		conn, err := pgx.Connect(ctx, r.SuperURL("postgres"))
		if err == nil {
			var standby bool
			err = conn.QueryRow(ctx, `SELECT pg_is_in_recovery()`).Scan(&standby)
			conn.Close(ctx)
			if err == nil && !standby {
				return errors.New("cluster: the replica is not in recovery: it was promoted, or is no standby")
			}
			if err == nil {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("cluster: the replica did not answer within a minute: %w\nlast lines of %s:\n%s", err, r.logFile(), tail(r.logFile(), 15))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// ReplicaDir is where `pasokan devdb replica` keeps the development
// cluster's replica: beside the cluster's own folder.
func ReplicaDir(dataDir string) string { return filepath.Join(dataDir, "replica") }
