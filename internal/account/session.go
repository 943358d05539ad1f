package account

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/notify"
)

// SessionStore keeps the web sessions in Postgres (scs's store interface)
// and reads each session's holder with it: the actor and their
// organisations come back in the same round trip as the session's data,
// into the request's Holder (WithHolder). A logged-in request used to make
// six round trips before its page's own work; it now makes one.
//
// Tokens reach the store already hashed (scs's HashTokenInStore).
type SessionStore struct {
	db *database.DB
	// holderOf reads the user and organisation from encoded session data
	// (the codec belongs to the web layer); both 0 for a visitor.
	holderOf func(data []byte) (userID, orgID int64)

	mu   sync.Mutex
	read map[string]*readSession
}

// NewSessionStore returns the store; holderOf reads who holds a session
// from its encoded data, so that Commit can keep it beside the data.
func NewSessionStore(db *database.DB, holderOf func(data []byte) (userID, orgID int64)) *SessionStore {
	return &SessionStore{db: db, holderOf: holderOf}
}

// Holder is who holds the request's session, as read with it. UserID and
// OrgID are the ones kept beside the session: the caller uses the rest only
// when they match the session's own values (a session written before the
// holder was kept has none).
type Holder struct {
	UserID, OrgID int64
	// Found is false when the user is no longer a member of the
	// organisation, or the organisation is disabled.
	Found    bool
	Disabled bool
	Actor    Actor
	// Memberships are the user's organisations for the switcher, empty
	// when they have one (and so no switcher).
	Memberships []Membership
	// UnreadNotifications counts the notifications the actor has not
	// read, up to notify.UnreadCap: the navigation shows it on every page.
	UnreadNotifications int
	// Also, set before the session is read, queues statements that need no
	// tenant into the session's round trip (the catalogue's generation, on
	// the catalogue's pages). They run whether or not the session is found.
	Also func(b *pgx.Batch)
}

type holderKey struct{}

// WithHolder gives the request a Holder for the session store to fill.
func WithHolder(ctx context.Context) (context.Context, *Holder) {
	h := &Holder{}
	return context.WithValue(ctx, holderKey{}, h), h
}

// HolderFrom returns the request's Holder, or nil.
func HolderFrom(ctx context.Context) *Holder {
	h, _ := ctx.Value(holderKey{}).(*Holder)
	return h
}

// sessionFindSQL reads the session and sets the tenant settings from its
// holder, for the statements after it in the batch. With no session (or an
// expired one) nothing is set, and they read nothing.
const sessionFindSQL = `SELECT data, coalesce(user_id, 0) AS user_id, coalesce(org_id, 0) AS org_id,
       set_config('pasokan.user_id', coalesce(user_id::text, ''), true) AS set_user_id,
       set_config('pasokan.org_id', coalesce(org_id::text, ''), true) AS set_org_id,
       set_config('pasokan.org_kind', '', true) AS set_org_kind,
       set_config('pasokan.mode', '', true) AS set_mode
  FROM sessions WHERE token = $1 AND current_timestamp < expiry`

// sessionRow is a row of sessionFindSQL.
type sessionRow struct {
	Data          []byte
	UserID, OrgID int64
	// The settings written for the statements after it; not used.
	SetUserID, SetOrgID, SetOrgKind, SetMode string
}

// holderActorSQL is actorSQL for the user and organisation just set, with
// the user's organisations (for the switcher; NULL for a person of one
// organisation, who has none: decoding the list of one cost every page of
// theirs about 1.5 % of its Go CPU) and the count of their unread
// notifications (for the navigation) in the same statement: each statement
// costs Postgres more than most of these reads do. It reads them from
// session_holders (migration 0047), a row per membership kept with its
// user and organisation under one policy: read through the policies of
// users, memberships and organizations, the statement had 70 init plans
// and cost about 0.1 ms of Postgres on every logged-in page.
const holderActorSQL = `SELECT h.user_id, h.user_name, h.email, h.locale, h.session_epoch,
       h.user_disabled AS disabled, h.email_confirmed, h.organization_id AS org_id, h.org_name, h.org_slug, h.kind, h.role,
       (SELECT CASE WHEN count(*) > 1 THEN
                 json_agg(json_build_object('id', s.organization_id, 'name', s.org_name, 'slug', s.org_slug,
                                            'kind', s.kind, 'role', s.role) ORDER BY s.org_name, s.organization_id) END
          FROM session_holders s
         WHERE s.user_id = h.user_id AND NOT s.org_disabled) AS memberships,
       (` + notify.UnreadOfActorSQL + `) AS unread_notifications
  FROM session_holders h
 WHERE h.user_id = (SELECT app_user_id()) AND h.organization_id = (SELECT app_org_id()) AND NOT h.org_disabled`

// holderRow is a row of holderActorSQL.
type holderRow struct {
	Actor
	Disabled bool
	// Memberships is a JSON array of membershipJSON, or NULL when the user
	// has one organisation.
	Memberships []byte
	// UnreadNotifications is notify.UnreadOfActorSQL's count.
	UnreadNotifications int
}

// membershipJSON is a membership as holderActorSQL writes it.
type membershipJSON struct {
	OrgID int64  `json:"id"`
	Name  string `json:"name"`
	Slug  string `json:"slug"`
	Kind  Kind   `json:"kind"`
	Role  Role   `json:"role"`
}

// Find reads a session.
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// FindCtx reads a session and, when the context has a Holder, its holder.
// When the context also has a session check (a request that writes nothing
// of its own accord) and this process has read the session before, it
// answers with what it read then and arms the check, which reads them both
// again in the request's first round trip (database.SessionCheck).
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var (
		data  []byte
		found bool
		h     = HolderFrom(ctx)
		got   Holder
	)
	c := database.SessionCheckFrom(ctx)
	if c != nil {
		c.OnWrite(func() { s.forget(token) })
	}
	if c != nil && c.MaySpeculate() && h != nil && h.Also == nil {
		if e := s.lastRead(token); e != nil {
			*h = e.holder
			h.Memberships = slices.Clone(e.holder.Memberships)
			c.Arm(func(b *pgx.Batch, settle func(ok bool)) { s.queueCheck(b, token, e, settle) })
			return slices.Clone(e.data), true, nil
		}
	}
	b := &pgx.Batch{}
	b.Queue(sessionFindSQL, token).Query(func(rows pgx.Rows) error {
		r, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[sessionRow])
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		found = err == nil
		data, got.UserID, got.OrgID = r.Data, r.UserID, r.OrgID
		return err
	})
	if h != nil {
		b.Queue(holderActorSQL).Query(func(rows pgx.Rows) error { return readHolder(rows, &got) })
	}
	if h != nil && h.Also != nil {
		h.Also(b)
	}
	if err := s.db.SelfScopedBatch(ctx, b); err != nil {
		return nil, false, fmt.Errorf("account: find session: %w", err)
	}
	if h != nil && found {
		got.Also = h.Also
		*h = got
		if got.Found && h.Also == nil {
			s.remember(token, data, got)
		}
	}
	return data, found, nil
}

// readHolder reads holderActorSQL's row, if any, into h.
func readHolder(rows pgx.Rows, h *Holder) error {
	for rows.Next() {
		h.Found = true
		r, err := pgx.RowToStructByName[holderRow](rows)
		if err != nil {
			return err
		}
		h.Actor, h.Disabled, h.UnreadNotifications = r.Actor, r.Disabled, r.UnreadNotifications
		var list []membershipJSON
		if r.Memberships != nil {
			if err := json.Unmarshal(r.Memberships, &list); err != nil {
				return fmt.Errorf("memberships: %w", err)
			}
		}
		h.Memberships = make([]Membership, len(list))
		for i, m := range list {
			h.Memberships[i] = Membership{OrgID: m.OrgID, OrgName: m.Name, OrgSlug: m.Slug, OrgKind: m.Kind, Role: m.Role}
		}
	}
	return rows.Err()
}

// readSession is a session as this process last read it, with its holder
// (found: a member of an organisation that is not disabled).
type readSession struct {
	data   []byte
	holder Holder
}

// maxRemembered bounds the sessions a process remembers (about a
// kilobyte each); past it, one is forgotten for each one read.
const maxRemembered = 10_000

func (s *SessionStore) lastRead(token string) *readSession {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.read[token]
}

func (s *SessionStore) remember(token string, data []byte, h Holder) {
	h.Also = nil
	e := &readSession{data: slices.Clone(data), holder: h}
	e.holder.Memberships = slices.Clone(h.Memberships)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.read == nil {
		s.read = map[string]*readSession{}
	}
	if _, ok := s.read[token]; !ok && len(s.read) >= maxRemembered {
		for k := range s.read {
			delete(s.read, k)
			break
		}
	}
	s.read[token] = e
}

func (s *SessionStore) forget(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.read, token)
}

// queueCheck adds to b the session's statements again, with callbacks that
// pass the check only when the session and its holder are as e remembers
// them: the same data, user and organisation, the same actor, role,
// organisations, state and unread count. Anything else, or no session, is
// database.ErrSessionChanged, and the session is forgotten.
func (s *SessionStore) queueCheck(b *pgx.Batch, token string, e *readSession, settle func(ok bool)) {
	changed := func() error {
		s.forget(token)
		settle(false)
		return database.ErrSessionChanged
	}
	b.Queue(sessionFindSQL, token).Query(func(rows pgx.Rows) error {
		r, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[sessionRow])
		if err != nil || !bytes.Equal(r.Data, e.data) || r.UserID != e.holder.UserID || r.OrgID != e.holder.OrgID {
			return changed()
		}
		return nil
	})
	b.Queue(holderActorSQL).Query(func(rows pgx.Rows) error {
		got := Holder{UserID: e.holder.UserID, OrgID: e.holder.OrgID}
		if err := readHolder(rows, &got); err != nil || !sameHolder(got, e.holder) {
			return changed()
		}
		settle(true)
		return nil
	})
}

// sameHolder reports whether two readings of a holder agree.
func sameHolder(a, b Holder) bool {
	return a.UserID == b.UserID && a.OrgID == b.OrgID && a.Found == b.Found && a.Disabled == b.Disabled &&
		a.Actor == b.Actor && a.UnreadNotifications == b.UnreadNotifications && slices.Equal(a.Memberships, b.Memberships)
}

// Commit writes a session and who holds it.
func (s *SessionStore) Commit(token string, data []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, data, expiry)
}

// CommitCtx writes a session and who holds it.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, data []byte, expiry time.Time) error {
	// A request that went on with the session as last read writes it only
	// once it is known unchanged (else a session ended elsewhere, say by
	// logging out, would be written back).
	if err := s.db.SettleSessionCheck(ctx); err != nil {
		return fmt.Errorf("account: commit session: %w", err)
	}
	s.forget(token)
	userID, orgID := s.holderOf(data)
	_, err := s.db.Pool.Exec(ctx, `INSERT INTO sessions (token, data, expiry, user_id, org_id)
VALUES ($1, $2, $3, nullif($4, 0), nullif($5, 0))
ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data, expiry = EXCLUDED.expiry,
    user_id = EXCLUDED.user_id, org_id = EXCLUDED.org_id`, token, data, expiry, userID, orgID)
	if err != nil {
		return fmt.Errorf("account: commit session: %w", database.MapError(err))
	}
	return nil
}

// Delete removes a session.
func (s *SessionStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}

// DeleteCtx removes a session.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	if err := s.db.SettleSessionCheck(ctx); err != nil {
		return fmt.Errorf("account: delete session: %w", err)
	}
	s.forget(token)
	if _, err := s.db.Pool.Exec(ctx, `DELETE FROM sessions WHERE token = $1`, token); err != nil {
		return fmt.Errorf("account: delete session: %w", database.MapError(err))
	}
	return nil
}

// PruneSessions deletes the expired sessions (a periodic job runs it): the
// store ends them when they are read, but one never read again would stay.
func PruneSessions(ctx context.Context, db *database.DB) error {
	if _, err := db.Pool.Exec(ctx, `DELETE FROM sessions WHERE expiry < now()`); err != nil {
		return fmt.Errorf("account: prune sessions: %w", database.MapError(err))
	}
	return nil
}
