// Package database holds the connection pool, the one transaction helper that
// sets the tenant settings read by row-level security, the mapping of Postgres
// errors to domain errors, the migrations runner and the private development
// cluster.
package database

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Mode widens what a unit of work may see beyond one tenant. Policies in the
// migrations name these values; keep them in step.
type Mode string

const (
	// ModeTenant is the normal mode: the acting user and organisation only.
	ModeTenant Mode = ""
	// ModeAuth is for the steps before a person is known: looking up an
	// account by e-mail at login, creating one at sign-up, accepting an
	// invitation by its token.
	ModeAuth Mode = "auth"
	// ModeSystem is for the background worker, the seed and the admin
	// commands, which act for nobody in particular.
	ModeSystem Mode = "system"
)

// Scope says for whom a unit of work runs. The transaction helper writes it
// into transaction-local settings (set_config(..., true)), so it can never
// outlive the transaction on a pooled connection.
type Scope struct {
	UserID  int64
	OrgID   int64
	OrgKind string
	Mode    Mode

	// widens marks a transaction that will change its scope (SetScope),
	// which a kind's role cannot (see Widening).
	widens bool
}

// Widening is s for a transaction that changes its scope part-way with
// SetScope (a ministry's step that writes a supplier's rows as the system,
// on the ministry's behalf). It runs as the application's role, under every
// table's own policies: a kind's role has only the policies derived for its
// kind's tenant scope (migration 0052), and SetScope refuses any other
// scope on its connections.
func (s Scope) Widening() Scope {
	s.widens = true
	return s
}

// System is the scope of work done by the portal itself.
func System() Scope { return Scope{Mode: ModeSystem} }

// Auth is the scope of the steps before login.
func Auth() Scope { return Scope{Mode: ModeAuth} }

// DB is the application's handle on Postgres.
type DB struct {
	// Pool serves every unit of work that is not one organisation's in the
	// tenant mode (the system's, the steps before login, the session's own
	// read), as the application's role under every table's own policies.
	Pool *pgxpool.Pool
	// kinds serves a unit of work acting for one organisation in the tenant
	// mode, by the organisation's kind: each connection is set once to the
	// kind's role, under the policies derived for it (migration 0052).
	kinds map[string]*pgxpool.Pool

	// replica, on the primary's handle, is the read replica (UseReplica).
	replica *replica
	// primary, on a replica's handle, is where its reads go when it has
	// gone away, and down marks it away.
	primary *DB
	down    func()
}

// Options tune the pool.
type Options struct {
	MaxConns        int32
	ApplicationName string
	// Tracer, when set, sees every query (tests record the statements a
	// page runs, to check their plans).
	Tracer pgx.QueryTracer
}

// Open connects a pool to url and checks that the database answers.
func Open(ctx context.Context, url string, opt Options) (*DB, error) {
	db, err := openPool(url, opt)
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.Pool.Ping(pingCtx); err != nil {
		db.Pool.Close()
		return nil, fmt.Errorf("database: ping: %w", err)
	}
	return db, nil
}

// openPool makes a pool for url without connecting yet.
func openPool(url string, opt Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database: parse url: %w", err)
	}
	if opt.MaxConns > 0 {
		cfg.MaxConns = opt.MaxConns
	}
	cfg.MaxConnIdleTime = 5 * time.Minute
	// No JIT: row-level security's subplans inflate the planner's cost
	// estimates until Postgres JIT-compiles small queries on every request
	// (measured here: 45 of 114 ms of the home page's count at 10,000
	// suppliers, 254 of 396 ms at 200,000). Set per connection so that it
	// holds on every deployment, whatever the database's settings.
	cfg.ConnConfig.RuntimeParams["jit"] = "off"
	cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	// Pages read a few rows along an index; on SSDs (and with the data
	// cached) a random page costs about what a sequential one does, and the
	// default of 4 made the planner gather and sort a whole status of a
	// curator's queue rather than walk 26 rows of it.
	cfg.ConnConfig.RuntimeParams["random_page_cost"] = "1.1"
	// No parallel workers: a page reads a page of rows, and a generic plan
	// that cannot tell how many rows an argument selects chose a parallel
	// walk of the shipped orders at 1,000,000 suppliers, starting two
	// workers on every request for 26 rows.
	cfg.ConnConfig.RuntimeParams["max_parallel_workers_per_gather"] = "0"
	cfg.ConnConfig.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &endHandler{now: &pgconn.DeadlineContextWatcherHandler{Conn: c.Conn()},
			later: &pgconn.CancelRequestContextWatcherHandler{Conn: c, CancelRequestDelay: cancelDelay, DeadlineDelay: cutDelay}}
	}
	if opt.Tracer != nil {
		cfg.ConnConfig.Tracer = opt.Tracer
	}
	if opt.ApplicationName != "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = opt.ApplicationName
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, fmt.Errorf("database: open pool: %w", err)
	}
	db := &DB{Pool: pool, kinds: make(map[string]*pgxpool.Pool, len(KindRoles))}
	for kind, role := range KindRoles {
		kc := cfg.Copy()
		kc.MaxConns = max(1, cfg.MaxConns/2)
		set := "SET ROLE " + pgx.Identifier{role}.Sanitize()
		kc.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
			c.PgConn().CustomData()[kindKey] = kind
			_, err := c.Exec(ctx, set)
			return err
		}
		kp, err := pgxpool.NewWithConfig(context.Background(), kc)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("database: open pool for %s: %w", kind, err)
		}
		db.kinds[kind] = kp
	}
	return db, nil
}

// KindRoles names the role a unit of work acting for an organisation of
// each kind runs as (migration 0052). The application's role is a member
// of each and does not inherit them: it may set its connection to one, and
// the policies derived for them do not apply to it.
var KindRoles = map[string]string{
	"supplier": "pasokan_supplier",
	"curator":  "pasokan_curator",
	"buyer":    "pasokan_buyer",
	"ministry": "pasokan_ministry",
}

// kindKey marks a kind pool's connection with its kind (pgconn's
// CustomData).
const kindKey = "pasokan.kind"

// PoolFor is the pool a unit of work acting for s runs on: its kind's for
// one organisation in the tenant mode (the only scope the kind roles'
// policies were derived for), the application's for any other.
func (db *DB) PoolFor(s Scope) *pgxpool.Pool {
	if s.Mode == ModeTenant && s.OrgID != 0 && !s.widens {
		if p := db.kinds[s.OrgKind]; p != nil {
			return p
		}
	}
	return db.Pool
}

// Pools names the pools: "app" for the application role's, and each
// kind's by its kind (for the metrics).
func (db *DB) Pools() map[string]*pgxpool.Pool {
	m := map[string]*pgxpool.Pool{"app": db.Pool}
	for k, p := range db.kinds {
		m[k] = p
	}
	return m
}

// Close closes the pools, and the replica's.
func (db *DB) Close() {
	if db.replica != nil {
		db.replica.close()
	}
	for _, p := range db.kinds {
		p.Close()
	}
	db.Pool.Close()
}

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.Pool.Ping(ctx) }

const setScopeSQL = `SELECT set_config('pasokan.user_id', $1, true),
       set_config('pasokan.org_id', $2, true),
       set_config('pasokan.org_kind', $3, true),
       set_config('pasokan.mode', $4, true)`

// Tx runs fn in one read-write transaction acting for s. It commits when fn
// returns nil and rolls back otherwise; errors come back mapped by MapError.
func (db *DB) Tx(ctx context.Context, s Scope, fn func(tx pgx.Tx) error) error {
	return db.run(ctx, s, pgx.TxOptions{}, fn)
}

// ReadTx is Tx for work that only reads.
func (db *DB) ReadTx(ctx context.Context, s Scope, fn func(tx pgx.Tx) error) error {
	return db.onReplica(func(db *DB) error { return db.run(ctx, s, pgx.TxOptions{AccessMode: pgx.ReadOnly}, fn) })
}

// run begins the transaction and writes the scope in one round trip: the
// BEGIN and the settings go as one simple query (pgx's Begin, then the
// settings, had been two round trips, each with Postgres CPU of its own).
func (db *DB) run(ctx context.Context, s Scope, opts pgx.TxOptions, fn func(tx pgx.Tx) error) error {
	begin, err := beginSQL(opts.AccessMode == pgx.ReadOnly, s)
	if err != nil {
		return err
	}
	// A transaction may write: the session is checked first, alone.
	if err := db.SettleSessionCheck(ctx); err != nil {
		return err
	}
	opts.BeginQuery = begin
	c, err := db.PoolFor(s).Acquire(ctx)
	if err != nil {
		return MapError(err)
	}
	defer c.Release()
	finish, cancel := finishing(ctx)
	defer cancel()
	if sc := SessionCheckFrom(ctx); sc != nil && opts.AccessMode != pgx.ReadOnly {
		defer sc.Wrote()
	}
	return MapError(pgx.BeginTxFunc(finish, c, opts, fn))
}

// A request's client may leave while its statements run (a phone losing
// its signal, the load test's wrk ending a run). pgx's defaults then cut
// the connection: a statement under a context that ends is stopped by a
// deadline on the socket at once, and a rollback under a context that has
// ended fails and closes the connection. The pool opens another, whose new
// backend plans every statement again (8 ms for the review page's first
// one at 200,000 suppliers, quiet). Under the load test, whose wrk leaves
// requests in flight at the end of each run, the pool opened 26 and 28
// connections over a run of four pages with pgx's defaults (about 21 to
// start with), 23 and 25 with what follows. A context marked by LetFinish (the server marks every
// request's) is handled otherwise: its unit of work begins, commits or
// rolls back without its cancellation (its deadline kept), a batch runs to
// its end, and a statement it runs is left to finish for cancelDelay, then
// cancelled by a cancel request, the connection cut only if the server has
// not answered within cutDelay. Other contexts (River's, whose listener is
// interrupted by cancelling its wait, the commands') keep pgx's defaults.

// cancelDelay is how long a statement whose context has ended may still
// run before it is cancelled; cutDelay, how long before its connection is
// cut if the server has not answered by then.
const (
	cancelDelay = 2 * time.Second
	cutDelay    = 10 * time.Second
)

type letFinishKey struct{}

// LetFinish marks ctx as a request's: its units of work end as they would
// have if its client leaves (see above).
func LetFinish(ctx context.Context) context.Context {
	return context.WithValue(ctx, letFinishKey{}, true)
}

func letsFinish(ctx context.Context) bool {
	v, _ := ctx.Value(letFinishKey{}).(bool)
	return v
}

// endHandler is pgx's handling of a context that ends while a statement
// runs: at once (pgx's default), or later for a context marked by
// LetFinish.
type endHandler struct {
	now   *pgconn.DeadlineContextWatcherHandler
	later *pgconn.CancelRequestContextWatcherHandler
	used  ctxwatch.Handler
}

func (h *endHandler) HandleCancel(ctx context.Context) {
	h.used = h.now
	if letsFinish(ctx) {
		h.used = h.later
	}
	h.used.HandleCancel(ctx)
}

func (h *endHandler) HandleUnwatchAfterCancel() { h.used.HandleUnwatchAfterCancel() }

// finishing is the context a unit of work begins, commits or rolls back
// with once it has a connection: ctx, or, for a context marked by
// LetFinish, ctx without its cancellation (its values and deadline kept).
func finishing(ctx context.Context) (context.Context, context.CancelFunc) {
	if !letsFinish(ctx) {
		return ctx, func() {}
	}
	f := context.WithoutCancel(ctx)
	if t, ok := ctx.Deadline(); ok {
		return context.WithDeadline(f, t)
	}
	return f, func() {}
}

// sendBatch sends b on a connection acquired under ctx (a request whose
// client has left waits for none) and reads it under finishing(ctx), with
// ctx's session check in front when it is armed (sessioncheck.go).
func (db *DB) sendBatch(ctx context.Context, pool *pgxpool.Pool, b *pgx.Batch) error {
	c := SessionCheckFrom(ctx)
	if c == nil {
		return db.sendRaw(ctx, pool, b)
	}
	if db.primary != nil {
		// A replica's copy of the sessions may be behind the primary's.
		if err := db.primary.SettleSessionCheck(ctx); err != nil {
			return err
		}
		return db.sendRaw(ctx, pool, b)
	}
	sent, err := c.take(b)
	if err != nil {
		return err
	}
	err = db.sendRaw(ctx, pool, b)
	if sent {
		// A round trip that failed before its check was read leaves it
		// unknown: taken as changed, the request is answered afresh.
		c.settle(false)
		if c.Failed() {
			return ErrSessionChanged
		}
	}
	return err
}

// sendRaw is sendBatch without the session check.
func (db *DB) sendRaw(ctx context.Context, pool *pgxpool.Pool, b *pgx.Batch) error {
	c, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer c.Release()
	finish, cancel := finishing(ctx)
	defer cancel()
	return c.SendBatch(finish, b).Close()
}

// beginSQL begins a transaction and sets s in it, its values written as
// literals (a query with several statements takes no parameters): the ids
// are numbers, and the kind and mode are checked to be lower-case words.
func beginSQL(readOnly bool, s Scope) (string, error) {
	for _, v := range []string{s.OrgKind, string(s.Mode)} {
		for _, r := range v {
			if (r < 'a' || r > 'z') && r != '_' {
				return "", fmt.Errorf("database: scope value %q is not a lower-case word", v)
			}
		}
	}
	begin := "BEGIN"
	if readOnly {
		begin = "BEGIN READ ONLY"
	}
	return begin + `; SELECT set_config('pasokan.user_id', '` + idText(s.UserID) + `', true),
       set_config('pasokan.org_id', '` + idText(s.OrgID) + `', true),
       set_config('pasokan.org_kind', '` + s.OrgKind + `', true),
       set_config('pasokan.mode', '` + string(s.Mode) + `', true)`, nil
}

// SetScope writes s into the transaction-local settings of tx. Only the
// transaction helper and tests call it.
func SetScope(ctx context.Context, tx pgx.Tx, s Scope) error {
	if kind, ok := tx.Conn().PgConn().CustomData()[kindKey].(string); ok && (s.Mode != ModeTenant || s.OrgKind != kind || s.OrgID == 0) {
		return fmt.Errorf("database: set scope: the transaction runs as the %s role, which only a %s's tenant scope may use; begin it with Scope.Widening", KindRoles[kind], kind)
	}
	_, err := tx.Exec(ctx, setScopeSQL, idText(s.UserID), idText(s.OrgID), s.OrgKind, string(s.Mode))
	if err != nil {
		return fmt.Errorf("database: set scope: %w", err)
	}
	return nil
}

func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// CheckAppRole refuses a connection whose role could bypass row-level
// security: a superuser, a role with BYPASSRLS, or one that owns tables;
// and a kind's pool whose connections do not act as the kind's role. It
// connects every pool.
func (db *DB) CheckAppRole(ctx context.Context) error {
	const q = `SELECT r.rolname AS name, r.rolsuper AS super, r.rolbypassrls AS bypass,
       (SELECT count(*) FROM pg_class c
         WHERE c.relowner = r.oid AND c.relkind IN ('r','p','v','m')
           AND c.relnamespace = 'public'::regnamespace) AS owned
  FROM pg_roles r WHERE r.rolname = current_user`
	for kind, p := range db.Pools() {
		rows, _ := p.Query(ctx, q)
		r, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[appRole])
		if err != nil {
			return fmt.Errorf("database: check role: %w", err)
		}
		if err := r.check(); err != nil {
			return err
		}
		if kind != "app" && r.Name != KindRoles[kind] {
			return fmt.Errorf("database: the %s pool's connections act as %q, not %q", kind, r.Name, KindRoles[kind])
		}
	}
	return nil
}

// appRole is what CheckAppRole reads of a connection's role.
type appRole struct {
	Name          string
	Super, Bypass bool
	Owned         int64
}

func (r appRole) check() error {
	switch {
	case r.Super:
		return fmt.Errorf("database: role %q is a superuser; the server must connect as the application role (pasokan_app) so row-level security applies", r.Name)
	case r.Bypass:
		return fmt.Errorf("database: role %q has BYPASSRLS; the server must connect as a role without it", r.Name)
	case r.Owned > 0:
		return fmt.Errorf("database: role %q owns %d tables; the server must connect as a role that owns none (migrations run as the owner role)", r.Name, r.Owned)
	}
	return nil
}

// QueryRow runs one read query acting for s in a single round trip: the
// scope settings and the query are pipelined in one implicit transaction
// (one Sync), so the settings hold for the query and end with it. scan reads
// the row; no row is ErrNotFound.
func (db *DB) QueryRow(ctx context.Context, s Scope, sql string, args []any, scan func(pgx.Row) error) error {
	return db.onReplica(func(db *DB) error {
		b := &pgx.Batch{}
		b.Queue(setScopeSQL, idText(s.UserID), idText(s.OrgID), s.OrgKind, string(s.Mode))
		b.Queue(sql, args...).QueryRow(scan)
		return MapError(db.sendBatch(ctx, db.PoolFor(s), b))
	})
}

// ReadOne is QueryRow for a row of several columns: it reads the first row
// into a T by column name (pgx.RowToStructByName), so that a column the
// struct lacks, or a field the row lacks, is an error rather than a value
// read into the wrong field. No row is ErrNotFound.
func ReadOne[T any](ctx context.Context, db *DB, s Scope, sql string, args ...any) (T, error) {
	var v T
	err := db.onReplica(func(db *DB) error {
		b := &pgx.Batch{}
		b.Queue(setScopeSQL, idText(s.UserID), idText(s.OrgID), s.OrgKind, string(s.Mode))
		b.Queue(sql, args...).Query(func(rows pgx.Rows) error {
			var err error
			v, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[T])
			return err
		})
		return MapError(db.sendBatch(ctx, db.PoolFor(s), b))
	})
	return v, err
}

// Rows is a queued query's callback that collects its rows into out by
// column name (CollectRows).
func Rows[T any](out *[]T) func(pgx.Rows) error {
	return func(rows pgx.Rows) error {
		var err error
		*out, err = CollectRows[T](rows)
		return err
	}
}

// Row is Rows for a query of one row: no row is ErrNotFound once the batch
// is read (MapError).
func Row[T any](out *T) func(pgx.Rows) error {
	return func(rows pgx.Rows) error {
		var err error
		*out, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[T])
		return err
	}
}

// ReadBatch runs the queries queued in b acting for s in one round trip:
// the scope settings and the queries are pipelined in one implicit
// transaction (one Sync), so the settings hold for every query and end with
// them. Each query's callback (Query, QueryRow, Exec on the queued query)
// reads its result; the first error, mapped by MapError, is returned. For
// pages whose queries do not depend on one another: each round trip costs
// Postgres CPU of its own.
func (db *DB) ReadBatch(ctx context.Context, s Scope, b *pgx.Batch) error {
	return db.onReplica(func(db *DB) error {
		full := &pgx.Batch{}
		full.Queue(setScopeSQL, idText(s.UserID), idText(s.OrgID), s.OrgKind, string(s.Mode))
		full.QueuedQueries = append(full.QueuedQueries, b.QueuedQueries...)
		return MapError(db.sendBatch(ctx, db.PoolFor(s), full))
	})
}

// SelfScopedBatch runs b in one round trip, in one implicit transaction,
// without writing a scope first: b's first statement must set the tenant
// settings itself, from what it reads (the session store sets them from the
// session row, so that the session and its holder are read together). Until
// it does, nothing is set and the policies let nothing through.
func (db *DB) SelfScopedBatch(ctx context.Context, b *pgx.Batch) error {
	return MapError(db.sendBatch(ctx, db.Pool, b))
}

// ReadPublic runs the queries queued in b in one round trip, without tenant
// settings: for tables that hold only what anyone may read and have no
// policy (the catalogue's entries, migration 0012). On a table under
// row-level security the policies let nothing through.
func (db *DB) ReadPublic(ctx context.Context, b *pgx.Batch) error {
	return db.onReplica(func(db *DB) error { return MapError(db.sendBatch(ctx, db.Pool, b)) })
}

// Reads gathers what several stores read for one page, to be sent in one
// round trip by DB.Read, and what each does with its rows once all are
// read. A store's Queue method adds its statements and, if it must, a step
// after.
type Reads struct {
	Batch pgx.Batch
	after []func() error
}

// After adds a step to run once the batch is read, in the order added.
func (r *Reads) After(fn func() error) { r.after = append(r.after, fn) }

// Read runs r's statements acting for s in one round trip (ReadBatch),
// then its steps after.
func (db *DB) Read(ctx context.Context, s Scope, r *Reads) error {
	if err := db.ReadBatch(ctx, s, &r.Batch); err != nil {
		return err
	}
	for _, fn := range r.after {
		if err := fn(); err != nil {
			return err
		}
	}
	return nil
}
