package account

import (
	"context"
	"fmt"
	"math"
	"strconv"

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

// searchSQL finds a page of organisations by search tokens (migration
// 0033), in one statement: it counts each token's organisations up to
// searchCountLimit and walks the rarest (the first of equals: the last
// pairs of a name come first, curation.SearchTokens), newest first, keeping
// the organisations of the kind asked for that have every other token,
// probed by key. (Counted to 5,000 each in a round trip of their own, the
// two pairs of "UD Nusa Tenun" read 2,604 entries at 1,000,000 suppliers,
// 0.55 ms, more than the page's walk.)
//
// The walk reads at most SearchScan entries: when every word and pair of a
// search is common and few organisations, or none, have them all, or a
// common word is asked for one kind, it would otherwise read every
// organisation with the word it walks (the curators with "koperasi" at
// 1,000,000 suppliers: 169,285 entries, 2.4 s, to find none). Where it
// stopped a page short, a last row gives the id of the last entry it read,
// where the search goes on (walked_to): the walk is counted again only
// when the page is not full (the one-time filter), and the row is given
// only when the walk read all it may.
var searchSQL = `WITH w AS (SELECT x.t FROM unnest($1::text[]) WITH ORDINALITY AS x(t, i)
  ORDER BY (SELECT count(*) FROM (SELECT 1 FROM organization_search c WHERE c.token = x.t LIMIT ` + searchCountLimit + `) n), x.i
  LIMIT 1),
page AS (SELECT s.organization_id FROM (` + searchWalkSQL + `) s
          WHERE ($3 = '' OR s.kind = $3)
            AND NOT EXISTS (SELECT 1 FROM unnest($1::text[]) AS u
                             WHERE u <> (SELECT t FROM w)
                               AND NOT EXISTS (SELECT 1 FROM organization_search s2
                                                WHERE s2.token = u AND s2.organization_id = s.organization_id))
          ORDER BY s.organization_id DESC
          LIMIT $4)
(SELECT o.id, o.kind, o.name, o.slug, o.created_at,
        (SELECT count(*) FROM memberships m WHERE m.organization_id = o.id) AS members,
        NULL::bigint AS walked_to
   FROM page p
   JOIN organizations o ON o.id = p.organization_id
  ORDER BY p.organization_id DESC)
UNION ALL
SELECT 0, '', '', '', now(), 0, min(s.organization_id)
  FROM (` + searchWalkSQL + `) s
 WHERE (SELECT count(*) FROM page) < $4
HAVING count(*) >= ` + strconv.Itoa(SearchScan)

// searchWalkSQL is a search's walk: the entries of its token before the
// cursor, newest first, at most SearchScan. Written as a subquery, not a
// common table expression, where it is walked for the page: the planner
// knows its order, and reads it only as far as the page needs (a
// materialized walk was sorted whole first: 16,345 buffers, 0.4 s, for
// a common name's page at 1,000,000 suppliers).
var searchWalkSQL = `SELECT s.organization_id, s.kind FROM organization_search s
          WHERE s.token = (SELECT t FROM w) AND s.organization_id < $2
          ORDER BY s.organization_id DESC
          LIMIT ` + strconv.Itoa(SearchScan)

// SearchScan is how many entries of its token a search reads at most for
// a page.
const SearchScan = 1000

// searchCountLimit is how far searchSQL counts a token: past it
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
// first. A query with neither an address nor a token finds nothing. A
// search by tokens reads at most SearchScan entries of the one it walks:
// when that stopped it short of limit organisations, stoppedAt is the id
// before which it goes on (a next page's cursor), else 0.
func (s *Store) SearchOrganizations(ctx context.Context, a Actor, q OrganizationQuery, limit int) (found []OrganizationSummary, stoppedAt int64, err error) {
	if !a.IsMinistryAdmin() {
		return nil, 0, database.ErrForbidden
	}
	before := q.Before
	if before <= 0 {
		before = math.MaxInt64
	}
	limit = min(max(limit, 1), 500)
	// One round trip, the scope and the search pipelined (DB.Read): in a
	// transaction of its own (begin, scope, search, commit) it made four.
	var r database.Reads
	switch {
	case q.Email != "":
		email, _ := validation.NormalizeEmail(q.Email)
		r.Batch.Queue(searchEmailSQL, email, before, string(q.Kind), limit).Query(database.Rows(&found))
	case len(q.Tokens) > 0:
		var rows []searchRow
		r.Batch.Queue(searchSQL, q.Tokens, before, string(q.Kind), limit).Query(database.Rows(&rows))
		r.After(func() error {
			for _, row := range rows {
				if row.WalkedTo != nil {
					stoppedAt = *row.WalkedTo
					continue
				}
				found = append(found, row.OrganizationSummary)
			}
			return nil
		})
	default:
		return nil, 0, nil
	}
	if err := s.db.Read(ctx, a.Scope(), &r); err != nil {
		return nil, 0, fmt.Errorf("account: search organizations: %w", err)
	}
	return found, stoppedAt, nil
}

// searchRow is a row of searchSQL: an organisation found, or the last
// row, which says where a walk that stopped short stopped.
type searchRow struct {
	OrganizationSummary
	WalkedTo *int64 `db:"walked_to"`
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
