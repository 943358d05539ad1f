package account

import (
	"context"
	"fmt"
	"math"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/audit"
	"pasokan/internal/database"
	"pasokan/internal/validation"
)

// OrganizationQuery is the ministry's search for organisations: by an
// e-mail address of one of its people, or by the search tokens of a name
// or NIB (curation.SearchTokens: the rarest first), optionally of one
// kind, before an id cursor.
type OrganizationQuery struct {
	Email  string
	Tokens []string
	Kind   Kind
	Before int64
}

// searchWalkSQL walks the token of a search of one (a word, an NIB) along
// organization_search's key, newest first.
const searchWalkSQL = `SELECT o.id, o.kind, o.name, o.slug, o.created_at,
       (SELECT count(*) FROM memberships m WHERE m.organization_id = o.id) AS members
  FROM organization_search s
  JOIN organizations o ON o.id = s.organization_id
 WHERE s.token = $1 AND s.organization_id < $2 AND ($3 = '' OR s.kind = $3)
 ORDER BY s.organization_id DESC
 LIMIT $4`

// searchRarestWalkSQL is searchWalkSQL for a search of several tokens
// (migration 0033): it counts each token's organisations up to
// searchCountLimit, walks the rarest (the first of equals: the last pairs
// of a name come first, curation.SearchTokens) and keeps the organisations
// that have every other token, probed by key, in one statement. Counted to
// 5,000 each in a round trip of their own, the two pairs of "UD Nusa
// Tenun" read 2,604 entries at 1,000,000 suppliers (0.55 ms, more than the
// page's walk).
const searchRarestWalkSQL = `WITH w AS (SELECT x.t FROM unnest($1::text[]) WITH ORDINALITY AS x(t, i)
  ORDER BY (SELECT count(*) FROM (SELECT 1 FROM organization_search c WHERE c.token = x.t LIMIT ` + searchCountLimit + `) n), x.i
  LIMIT 1)
SELECT o.id, o.kind, o.name, o.slug, o.created_at,
       (SELECT count(*) FROM memberships m WHERE m.organization_id = o.id) AS members
  FROM organization_search s
  JOIN organizations o ON o.id = s.organization_id
 WHERE s.token = (SELECT t FROM w) AND s.organization_id < $2 AND ($3 = '' OR s.kind = $3)
   AND NOT EXISTS (SELECT 1 FROM unnest($1::text[]) AS u
                    WHERE u <> (SELECT t FROM w)
                      AND NOT EXISTS (SELECT 1 FROM organization_search s2
                                       WHERE s2.token = u AND s2.organization_id = s.organization_id))
 ORDER BY s.organization_id DESC
 LIMIT $4`

// searchCountLimit is how far searchRarestWalkSQL counts a token: past it
// the counts no longer tell the tokens apart, and the first is walked, as
// when they tie (the last pair of a name: its later words, a place or a
// person, are rarer than its first, Koperasi or CV). At 1,000,000
// suppliers "Koperasi Perajin Batik Tangerang" has pairs of 19,899, 9,584
// and 906 organisations: counted to 1,000 each the statement read 2,906
// entries for the page's 26 (1.06 ms of Postgres a page); to 200, 600,
// and the same pair is walked.
const searchCountLimit = "200"

// searchEmailSQL finds the organisations of the person with an address,
// through users' unique index.
const searchEmailSQL = `SELECT o.id, o.kind, o.name, o.slug, o.created_at,
       (SELECT count(*) FROM memberships m2 WHERE m2.organization_id = o.id) AS members
  FROM users u
  JOIN memberships m ON m.user_id = u.id
  JOIN organizations o ON o.id = m.organization_id
 WHERE u.email = $1 AND o.id < $2 AND ($3 = '' OR o.kind = $3)
 ORDER BY o.id DESC
 LIMIT $4`

// SearchOrganizations finds organisations for a ministry admin, newest
// first. A query with neither an address nor a token finds nothing.
func (s *Store) SearchOrganizations(ctx context.Context, a Actor, q OrganizationQuery, limit int) ([]OrganizationSummary, error) {
	if !a.IsMinistryAdmin() {
		return nil, database.ErrForbidden
	}
	before := q.Before
	if before <= 0 {
		before = math.MaxInt64
	}
	limit = min(max(limit, 1), 500)
	// One round trip, the scope and the search pipelined (DB.Read): in a
	// transaction of its own (begin, scope, search, commit) it made four.
	var out []OrganizationSummary
	var r database.Reads
	switch {
	case q.Email != "":
		email, _ := validation.NormalizeEmail(q.Email)
		r.Batch.Queue(searchEmailSQL, email, before, string(q.Kind), limit).Query(database.Rows(&out))
	case len(q.Tokens) == 1:
		r.Batch.Queue(searchWalkSQL, q.Tokens[0], before, string(q.Kind), limit).Query(database.Rows(&out))
	case len(q.Tokens) > 1:
		r.Batch.Queue(searchRarestWalkSQL, q.Tokens, before, string(q.Kind), limit).Query(database.Rows(&out))
	default:
		return nil, nil
	}
	if err := s.db.Read(ctx, a.Scope(), &r); err != nil {
		return nil, fmt.Errorf("account: search organizations: %w", err)
	}
	return out, nil
}

// SetRole changes a person's role in an organisation, for a ministry
// admin. Lead is a curator organisation's role only; an organisation
// keeps at least one owner; an admin does not change their own role (as
// they do not disable themselves). The person's next request acts in the
// new role: the role is read with the session, never kept in it.
func (s *Store) SetRole(ctx context.Context, a Actor, orgID, userID int64, role Role) error {
	if !a.IsMinistryAdmin() {
		return database.ErrNotFound
	}
	if !role.Valid() {
		return validation.Errors{"role": "error.choose_option"}
	}
	if userID == a.UserID {
		return validation.Errors{"role": "error.role_self"}
	}
	return s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		type membership struct {
			Kind   Kind
			Role   Role
			Owners int
		}
		rows, _ := tx.Query(ctx, `SELECT o.kind, m.role,
       (SELECT count(*) FROM memberships x WHERE x.organization_id = o.id AND x.role = 'owner')::int AS owners
  FROM memberships m JOIN organizations o ON o.id = m.organization_id
 WHERE m.organization_id = $1 AND m.user_id = $2
   FOR UPDATE OF m`, orgID, userID)
		m, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[membership])
		if err != nil {
			return err
		}
		from := m.Role
		switch {
		case role == RoleLead && m.Kind != KindCurator:
			return validation.Errors{"role": "error.choose_option"}
		case from == role:
			return nil
		case from == RoleOwner && m.Owners <= 1:
			return validation.Errors{"role": "error.role_last_owner"}
		}
		if _, err := tx.Exec(ctx, `UPDATE memberships SET role = $3 WHERE organization_id = $1 AND user_id = $2`,
			orgID, userID, string(role)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: orgID,
			Action: "membership.role_changed", SubjectType: "user", SubjectID: userID,
			Detail: map[string]any{"from": string(from), "to": string(role)}})
	})
}

// RolesOf are the roles a person may hold in an organisation of kind.
func RolesOf(kind Kind) []Role {
	if kind == KindCurator {
		return []Role{RoleOwner, RoleAdmin, RoleLead, RoleMember}
	}
	return []Role{RoleOwner, RoleAdmin, RoleMember}
}
