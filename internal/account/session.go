package account

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var (
		data  []byte
		found bool
		h     = HolderFrom(ctx)
		got   Holder
	)
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
		b.Queue(holderActorSQL).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				got.Found = true
				r, err := pgx.RowToStructByName[holderRow](rows)
				if err != nil {
					return err
				}
				got.Actor, got.Disabled, got.UnreadNotifications = r.Actor, r.Disabled, r.UnreadNotifications
				var list []membershipJSON
				if r.Memberships != nil {
					if err := json.Unmarshal(r.Memberships, &list); err != nil {
						return fmt.Errorf("memberships: %w", err)
					}
				}
				got.Memberships = make([]Membership, len(list))
				for i, m := range list {
					got.Memberships[i] = Membership{OrgID: m.OrgID, OrgName: m.Name, OrgSlug: m.Slug, OrgKind: m.Kind, Role: m.Role}
				}
			}
			return rows.Err()
		})
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
	}
	return data, found, nil
}

// Commit writes a session and who holds it.
func (s *SessionStore) Commit(token string, data []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, data, expiry)
}

// CommitCtx writes a session and who holds it.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, data []byte, expiry time.Time) error {
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
