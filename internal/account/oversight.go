package account

import (
	"context"
	"fmt"
	"math"
	"slices"

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

// searchCountsSQL counts each token's organisations, up to a bound: the
// rarest is walked, the others probed (migration 0033).
const searchCountsSQL = `SELECT t AS token,
       (SELECT count(*) FROM (SELECT 1 FROM organization_search s WHERE s.token = t LIMIT 5000) x)::int AS n
  FROM unnest($1::text[]) AS t`

// searchWalkSQL walks one token's organisations newest first, keeping
// those that have every other token.
const searchWalkSQL = `SELECT o.id, o.kind, o.name, o.slug, o.created_at,
       (SELECT count(*) FROM memberships m WHERE m.organization_id = o.id) AS members
  FROM organization_search s
  JOIN organizations o ON o.id = s.organization_id
 WHERE s.token = $1 AND s.organization_id < $2 AND ($3 = '' OR s.kind = $3)
   AND NOT EXISTS (SELECT 1 FROM unnest($4::text[]) AS u
                    WHERE NOT EXISTS (SELECT 1 FROM organization_search s2
                                       WHERE s2.token = u AND s2.organization_id = s.organization_id))
 ORDER BY s.organization_id DESC
 LIMIT $5`

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
	var out []OrganizationSummary
	err := s.db.ReadTx(ctx, a.Scope(), func(tx pgx.Tx) error {
		var rows pgx.Rows
		switch {
		case q.Email != "":
			email, _ := validation.NormalizeEmail(q.Email)
			rows, _ = tx.Query(ctx, searchEmailSQL, email, before, string(q.Kind), limit)
		case len(q.Tokens) > 0:
			walk, err := rarestToken(ctx, tx, q.Tokens)
			if err != nil {
				return err
			}
			others := slices.DeleteFunc(slices.Clone(q.Tokens), func(t string) bool { return t == walk })
			rows, _ = tx.Query(ctx, searchWalkSQL, walk, before, string(q.Kind), others, limit)
		default:
			return nil
		}
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByName[OrganizationSummary])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("account: search organizations: %w", err)
	}
	return out, nil
}

// rarestToken returns the token with the fewest organisations (the first
// of equals).
func rarestToken(ctx context.Context, tx pgx.Tx, tokens []string) (string, error) {
	if len(tokens) == 1 {
		return tokens[0], nil
	}
	type count struct {
		Token string
		N     int
	}
	rows, _ := tx.Query(ctx, searchCountsSQL, tokens)
	counts, err := pgx.CollectRows(rows, pgx.RowToStructByName[count])
	if err != nil {
		return "", err
	}
	best := counts[0]
	for _, c := range counts[1:] {
		if c.N < best.N {
			best = c
		}
	}
	return best.Token, nil
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
