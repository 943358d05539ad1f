package database

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// A read replica (issue 13). With DATABASE_READ_URL set, the reads that may
// be a moment old (the catalogue, the directory, the dashboards, public
// verification) go to a streaming replica through Stale; everything else,
// and every write, goes to the primary. Three things keep a person from
// seeing their own change undone:
//
//   - after a state change the server remembers, in a cookie, the primary's
//     WAL position (CurrentLSN); a request carrying it reads from the replica
//     only once the replica has replayed that far (WithMinLSN, Stale);
//   - a replica that falls further behind than ReplicaOptions.MaxLag, or
//     stops answering, is not read from until it catches up again;
//   - a read on the replica that fails because the replica went away is
//     done again on the primary at once.

// LSN is a position in Postgres's write-ahead log.
type LSN uint64

// ParseLSN reads Postgres's text form of an LSN ("16/B374D848").
func ParseLSN(s string) (LSN, error) {
	hi, lo, ok := strings.Cut(s, "/")
	if !ok {
		return 0, fmt.Errorf("database: bad LSN %q", s)
	}
	h, err := strconv.ParseUint(hi, 16, 32)
	if err != nil {
		return 0, fmt.Errorf("database: bad LSN %q", s)
	}
	l, err := strconv.ParseUint(lo, 16, 32)
	if err != nil {
		return 0, fmt.Errorf("database: bad LSN %q", s)
	}
	return LSN(h<<32 | l), nil
}

// String is Postgres's text form of the LSN.
func (l LSN) String() string {
	return strconv.FormatUint(uint64(l)>>32, 16) + "/" + strconv.FormatUint(uint64(l)&0xffffffff, 16)
}

type minLSNKey struct{}

// WithMinLSN marks ctx as a request by someone who has changed something up
// to lsn: Stale reads for it come from the replica only once the replica
// has replayed that far.
func WithMinLSN(ctx context.Context, lsn LSN) context.Context {
	return context.WithValue(ctx, minLSNKey{}, lsn)
}

// ReplicaOptions tune the use of a read replica.
type ReplicaOptions struct {
	// MaxConns bounds the replica's pool.
	MaxConns int32
	// MaxLag is how far behind the primary the replica may be before reads
	// go back to the primary: the replica must have replayed what the
	// primary had written MaxLag ago. Zero: 10 seconds.
	MaxLag time.Duration
	// Every is how often the replica's position is read. Zero: 200 ms.
	Every time.Duration
	// Log hears when the replica goes and comes back.
	Log *slog.Logger
}

// replica is the primary's view of its read replica, kept by a watcher.
type replica struct {
	db     *DB
	opts   ReplicaOptions
	up     atomic.Bool
	replay atomic.Uint64 // the replica's last replayed LSN, as last read
	lag    atomic.Int64  // bytes the replica was behind, as last read

	mu      sync.Mutex
	samples []lsnSample // the primary's positions over the last MaxLag

	stop chan struct{}
	done chan struct{}
}

type lsnSample struct {
	at  time.Time
	lsn LSN
}

// UseReplica connects the read replica at url and starts watching how far
// it has replayed. Until it first answers, reads stay on the primary.
func (db *DB) UseReplica(ctx context.Context, url string, o ReplicaOptions) error {
	if db.replica != nil {
		return fmt.Errorf("database: a replica is in use already")
	}
	if o.MaxLag <= 0 {
		o.MaxLag = 10 * time.Second
	}
	if o.Every <= 0 {
		o.Every = 200 * time.Millisecond
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	rdb, err := openPool(url, Options{MaxConns: o.MaxConns, ApplicationName: "pasokan-read"})
	if err != nil {
		return err
	}
	if err := rdb.CheckAppRole(ctx); err != nil && !Unavailable(err) {
		rdb.Close()
		return err
	}
	rdb.primary = db
	r := &replica{db: rdb, opts: o, stop: make(chan struct{}), done: make(chan struct{})}
	rdb.down = func() { r.setUp(false, nil) }
	db.replica = r
	r.check(ctx)
	go r.watch()
	return nil
}

// Stale returns where a read that may be a moment old should go: the
// replica when there is one, it answers, it is not too far behind, and it
// has replayed the changes of the person asking (WithMinLSN); otherwise db.
func (db *DB) Stale(ctx context.Context) *DB {
	r := db.replica
	if r == nil || !r.up.Load() {
		return db
	}
	if min, ok := ctx.Value(minLSNKey{}).(LSN); ok && uint64(min) > r.replay.Load() {
		return db
	}
	return r.db
}

// HasReplica reports whether a read replica is configured.
func (db *DB) HasReplica() bool { return db.replica != nil }

// IsReplica reports whether db is a replica's handle (from Stale).
func (db *DB) IsReplica() bool { return db.primary != nil }

// ReplicaState is what the watcher last saw of the replica: whether reads
// go to it, and how many bytes of WAL it was behind the primary.
func (db *DB) ReplicaState() (up bool, lagBytes int64, ok bool) {
	r := db.replica
	if r == nil {
		return false, 0, false
	}
	return r.up.Load(), r.lag.Load(), true
}

// CurrentLSN is the primary's WAL position now: a change committed before
// the call lies at or before it. It is the insert position, not the write
// position (pg_current_wal_lsn): with synchronous_commit off (the test
// clusters) a commit returns before its record is written, so the write
// position could still be short of the change, and a replica that had
// replayed up to it would pass for one that shows the change (the likely
// cause of TestReadReplica's rare failures).
func (db *DB) CurrentLSN(ctx context.Context) (LSN, error) {
	var s string
	if err := db.Pool.QueryRow(ctx, `SELECT pg_current_wal_insert_lsn()::text`).Scan(&s); err != nil {
		return 0, MapError(err)
	}
	return ParseLSN(s)
}

func (r *replica) watch() {
	defer close(r.done)
	t := time.NewTicker(r.opts.Every)
	defer t.Stop()
	for {
		select {
		case <-r.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			r.check(ctx)
			cancel()
		}
	}
}

// check reads the primary's position and the replica's, and decides
// whether reads may go to the replica.
func (r *replica) check(ctx context.Context) {
	primary := r.db.primary
	now := time.Now()
	var ps string
	if err := primary.Pool.QueryRow(ctx, `SELECT pg_current_wal_lsn()::text`).Scan(&ps); err != nil {
		return // the primary is away: nothing to compare with; keep the last state
	}
	plsn, err := ParseLSN(ps)
	if err != nil {
		return
	}
	var row struct {
		Recovery bool
		Replay   *string
	}
	err = r.db.Pool.QueryRow(ctx, `SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text`).Scan(&row.Recovery, &row.Replay)
	if err != nil {
		r.setUp(false, err)
		return
	}
	if !row.Recovery || row.Replay == nil {
		// Promoted, or not a standby at all: its data no longer follows
		// the primary's.
		r.setUp(false, fmt.Errorf("the read database is not a standby replaying the primary's WAL"))
		return
	}
	rlsn, err := ParseLSN(*row.Replay)
	if err != nil {
		r.setUp(false, err)
		return
	}
	r.replay.Store(uint64(rlsn))
	r.lag.Store(max(int64(plsn)-int64(rlsn), 0))

	r.mu.Lock()
	r.samples = append(r.samples, lsnSample{at: now, lsn: plsn})
	// The primary's position MaxLag ago: the newest sample at least that
	// old. Older ones are no longer needed.
	var due LSN
	cut := 0
	for i, s := range r.samples {
		if now.Sub(s.at) < r.opts.MaxLag {
			break
		}
		due, cut = s.lsn, i
	}
	r.samples = r.samples[cut:]
	r.mu.Unlock()

	if rlsn < due {
		r.setUp(false, fmt.Errorf("the read replica is more than %s behind (replayed %s, the primary had written %s)", r.opts.MaxLag, rlsn, due))
		return
	}
	r.setUp(true, nil)
}

func (r *replica) setUp(up bool, why error) {
	if r.up.Swap(up) == up {
		return
	}
	if up {
		r.opts.Log.Info("reading from the read replica")
	} else {
		r.opts.Log.Warn("not reading from the read replica: reads go to the primary", "why", why)
	}
}

// recoveryConflict reports whether a standby cancelled a query because
// replaying the primary's WAL conflicted with it.
func recoveryConflict(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "40001" && strings.Contains(pgErr.Message, "conflict with recovery")
}

func (r *replica) close() {
	close(r.stop)
	<-r.done
	r.db.Close()
}

// onReplica runs read on db; when db is a replica that has gone away, it
// marks it down and runs read again on the primary.
func (db *DB) onReplica(read func(*DB) error) error {
	err := read(db)
	if err == nil || db.primary == nil {
		return err
	}
	switch {
	case Unavailable(err):
		db.down()
		return read(db.primary)
	case recoveryConflict(err):
		// Replaying the primary's changes cancelled the query (a row it
		// read was vacuumed away on the primary): the primary has it.
		return read(db.primary)
	}
	return err
}
