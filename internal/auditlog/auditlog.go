// Package auditlog reads the audit trail for the ministry (issue 12): its
// entries by organisation, person, action and date, newest first, a page
// at a time or every entry for a file. The trail is written by package
// audit, in the transaction of each change.
package auditlog

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/i18n"
)

// PageSize is how many entries a page shows: 25, as every list of the
// portal (docs/DESIGN.md, "A page of a list").
const PageSize = 25

// MaxExport bounds a file of entries.
const MaxExport = 100_000

// Query narrows the trail. Zero fields do not narrow it.
type Query struct {
	// OrgID is the organisation the entries belong to.
	OrgID int64
	// ActorID is the person who acted.
	ActorID int64
	// Action is one action, as recorded ("account.disabled").
	Action string
	// From and To are days (WIB), both included.
	From, To time.Time
	// After continues a list after an entry (the last of a page): the
	// entries that happened before it, or at the same instant with a
	// smaller id.
	After *database.Cursor
}

// Entry is one event of the trail, with the names of who and what it
// concerns.
type Entry struct {
	ID          int64     `db:"id"`
	At          time.Time `db:"occurred_at"`
	Action      string    `db:"action"`
	OrgID       int64     `db:"organization_id"`
	OrgName     string    `db:"organization_name"`
	ActorID     int64     `db:"actor_user_id"`
	ActorName   string    `db:"actor_name"`
	ActorEmail  string    `db:"actor_email"`
	ActorOrgID  int64     `db:"actor_org_id"`
	SubjectType string    `db:"subject_type"`
	SubjectID   int64     `db:"subject_id"`
	Detail      string    `db:"detail"`
}

// Cursor is the entry's place, to continue a list after it.
func (e Entry) Cursor() database.Cursor { return database.Cursor{At: e.At, ID: e.ID} }

// Store reads the trail.
type Store struct {
	db *database.DB

	// The actions the trail holds, read at most every ActionsTTL: a new
	// kind of action comes with a release, and the filter's list was a
	// transaction of its own on every view of the log.
	mu        sync.Mutex
	actions   []string
	actionsAt time.Time
}

// ActionsTTL is how long the list of actions is kept.
const ActionsTTL = time.Minute

// NewStore returns a Store on db.
func NewStore(db *database.DB) *Store { return &Store{db: db} }

// entrySQL names each entry's organisation and person by primary key, a
// probe each (a join let the users' policy walk every user: DESIGN.md).
const entrySQL = `SELECT e.id, e.occurred_at, e.action, coalesce(e.organization_id, 0) AS organization_id,
       coalesce((SELECT o.name FROM organizations o WHERE o.id = e.organization_id), '') AS organization_name,
       coalesce(e.actor_user_id, 0) AS actor_user_id,
       coalesce((SELECT u.name FROM users u WHERE u.id = e.actor_user_id), '') AS actor_name,
       coalesce((SELECT u.email FROM users u WHERE u.id = e.actor_user_id), '') AS actor_email,
       coalesce(e.actor_org_id, 0) AS actor_org_id, e.subject_type, coalesce(e.subject_id, 0) AS subject_id,
       e.detail::text AS detail
  FROM audit_events e`

// listSQL builds the statement of q from constant fragments, one per
// filter in use, so that each set of filters has its own generic plan
// (DESIGN.md): each walks the index of its most selective column in the
// list's order and stops after limit.
func listSQL(q Query, limit int) (string, []any) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if q.OrgID > 0 {
		where = append(where, "e.organization_id = "+arg(q.OrgID))
	}
	if q.ActorID > 0 {
		where = append(where, "e.actor_user_id = "+arg(q.ActorID))
	}
	if q.Action != "" {
		where = append(where, "e.action = "+arg(q.Action))
	}
	if !q.From.IsZero() {
		where = append(where, "e.occurred_at >= "+arg(dayStart(q.From)))
	}
	if !q.To.IsZero() {
		where = append(where, "e.occurred_at < "+arg(dayStart(q.To).AddDate(0, 0, 1)))
	}
	if q.After != nil {
		where = append(where, "(e.occurred_at, e.id) < ("+arg(q.After.At)+", "+arg(q.After.ID)+")")
	}
	sql := entrySQL
	if len(where) > 0 {
		sql += "\n WHERE " + strings.Join(where, " AND ")
	}
	return sql + "\n ORDER BY e.occurred_at DESC, e.id DESC LIMIT " + strconv.Itoa(limit), args
}

// dayStart is the first instant of day d in WIB.
func dayStart(d time.Time) time.Time {
	y, m, day := d.Date()
	return time.Date(y, m, day, 0, 0, 0, 0, i18n.WIB)
}

// List returns up to limit entries of q, newest first, for a ministry
// admin (at most MaxExport); also adds the page's other reads to the same
// round trip (QueueOrganizationName).
func (s *Store) List(ctx context.Context, a account.Actor, q Query, limit int, also ...func(*pgx.Batch)) ([]Entry, error) {
	if !a.IsMinistryAdmin() {
		return nil, database.ErrNotFound
	}
	limit = min(max(limit, 1), MaxExport)
	sql, args := listSQL(q, limit)
	var out []Entry
	b := &pgx.Batch{}
	b.Queue(sql, args...).Query(database.Rows(&out))
	for _, queue := range also {
		queue(b)
	}
	if err := s.db.ReadBatch(ctx, a.Scope(), b); err != nil {
		return nil, fmt.Errorf("auditlog: list: %w", err)
	}
	return out, nil
}

// actionsSQL lists the actions recorded, skipping along the action index:
// one probe per action, never a scan of the trail.
const actionsSQL = `WITH RECURSIVE a(action) AS (
    (SELECT action FROM audit_events ORDER BY action LIMIT 1)
    UNION ALL
    SELECT (SELECT e.action FROM audit_events e WHERE e.action > a.action ORDER BY e.action LIMIT 1)
      FROM a WHERE a.action IS NOT NULL)
SELECT action FROM a WHERE action IS NOT NULL`

// Actions lists the actions the trail holds, in order, for the filter:
// the list read within ActionsTTL, unless it lacks want (an action asked
// for by the filter), which reads it again.
func (s *Store) Actions(ctx context.Context, a account.Actor, want string) ([]string, error) {
	if !a.IsMinistryAdmin() {
		return nil, database.ErrNotFound
	}
	s.mu.Lock()
	kept, at := s.actions, s.actionsAt
	s.mu.Unlock()
	if kept != nil && time.Since(at) < ActionsTTL && (want == "" || slices.Contains(kept, want)) {
		return slices.Clone(kept), nil
	}
	out, err := s.readActions(ctx, a)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.actions, s.actionsAt = out, time.Now()
	s.mu.Unlock()
	return slices.Clone(out), nil
}

func (s *Store) readActions(ctx context.Context, a account.Actor) ([]string, error) {
	out := []string{}
	b := &pgx.Batch{}
	b.Queue(actionsSQL).Query(func(rows pgx.Rows) error {
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err := s.db.ReadBatch(ctx, a.Scope(), b); err != nil {
		return nil, fmt.Errorf("auditlog: actions: %w", err)
	}
	return out, nil
}

// PersonID finds the person with an e-mail address (0 when none).
func (s *Store) PersonID(ctx context.Context, a account.Actor, email string) (int64, error) {
	if !a.IsMinistryAdmin() {
		return 0, database.ErrNotFound
	}
	var id int64
	err := s.db.QueryRow(ctx, a.Scope(), `SELECT coalesce((SELECT id FROM users WHERE email = $1), 0)`, []any{email},
		func(row pgx.Row) error { return row.Scan(&id) })
	if err != nil {
		return 0, fmt.Errorf("auditlog: person: %w", err)
	}
	return id, nil
}

// organizationNameSQL names organisation $1 ("" when there is none).
const organizationNameSQL = `SELECT coalesce((SELECT name FROM organizations WHERE id = $1), '')`

// QueueOrganizationName adds to b the read of organisation id's name into
// name ("" when there is none, or the reader may not see it), for a page
// that reads it with what it lists of the organisation, in one round trip.
func QueueOrganizationName(b *pgx.Batch, id int64, name *string) {
	b.Queue(organizationNameSQL, id).QueryRow(func(row pgx.Row) error { return row.Scan(name) })
}

// OrganizationName names an organisation ("" when there is none).
func (s *Store) OrganizationName(ctx context.Context, a account.Actor, id int64) (string, error) {
	if !a.IsMinistryAdmin() {
		return "", database.ErrNotFound
	}
	var name string
	err := s.db.QueryRow(ctx, a.Scope(), organizationNameSQL, []any{id},
		func(row pgx.Row) error { return row.Scan(&name) })
	if err != nil {
		return "", fmt.Errorf("auditlog: organization: %w", err)
	}
	return name, nil
}
