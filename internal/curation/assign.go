package curation

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/audit"
	"pasokan/internal/database"
	"pasokan/internal/notify"
	"pasokan/internal/supplier"
	"pasokan/internal/validation"
)

// Rule sends new applications of a product category and/or a province to a
// curator organisation.
type Rule struct {
	ID           int64
	CuratorOrgID int64
	CuratorName  string
	Category     string // "" = any
	ProvinceCode string // "" = any
	Priority     int
	// RetiredAt is when the ministry retired the rule; nil while it applies.
	RetiredAt *time.Time
}

// rulesSQL reads rules with their curator organisation's name.
const rulesSQL = `SELECT r.id, r.curator_org_id, o.name AS curator_name, coalesce(r.category, '') AS category,
       coalesce(r.province_code, '') AS province_code, r.priority, r.retired_at
  FROM assignment_rules r JOIN organizations o ON o.id = r.curator_org_id`

// ruleOrder is the order in which the rules are tried (ruleForSQL): the
// most specific first (province and category over either over none), then
// the highest priority, then the oldest.
const ruleOrder = `(r.province_code IS NOT NULL)::int + (r.category IS NOT NULL)::int DESC, r.priority DESC, r.id`

// Rules lists the rules in force, in the order they are tried, for the
// ministry.
func (s *Store) Rules(ctx context.Context, a account.Actor) ([]Rule, error) {
	return s.rules(ctx, a, rulesSQL+` WHERE r.retired_at IS NULL ORDER BY `+ruleOrder)
}

// AddRule adds an assignment rule; only ministry admins may.
func (s *Store) AddRule(ctx context.Context, a account.Actor, r Rule) error {
	if !a.IsMinistryAdmin() {
		return database.ErrForbidden
	}
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		if err := checkRule(ctx, tx, r); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO assignment_rules (curator_org_id, category, province_code, priority, created_by)
VALUES ($1, nullif($2, ''), nullif($3, ''), $4, $5) RETURNING id`, r.CuratorOrgID, r.Category, r.ProvinceCode, r.Priority, a.UserID).Scan(&id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: a.OrgID,
			Action: "assignment_rule.added", SubjectType: "assignment_rule", SubjectID: id, Detail: ruleDetail(r)})
	})
	if err != nil {
		return fmt.Errorf("curation: add rule: %w", err)
	}
	return nil
}

const pendingSQL = `SELECT a.id FROM applications a
 WHERE a.status = 'submitted' AND a.assigned_org_id IS NULL
 ORDER BY a.submitted_at, a.id LIMIT $1 FOR UPDATE SKIP LOCKED`

// ruleForSQL picks the rule for application $1: the most specific match
// (province and category over either over none), then the highest priority.
const ruleForSQL = `SELECT r.curator_org_id FROM assignment_rules r
  JOIN organizations o ON o.id = r.curator_org_id AND o.kind = 'curator' AND o.disabled_at IS NULL
 WHERE r.retired_at IS NULL
   AND (r.province_code IS NULL OR r.province_code =
           (SELECT p.province_code FROM applications a JOIN supplier_profiles p ON p.organization_id = a.organization_id WHERE a.id = $1))
   AND (r.category IS NULL OR r.category IN
           (SELECT pt.category FROM application_products ap JOIN product_types pt ON pt.code = ap.product_type WHERE ap.application_id = $1))
 ORDER BY ` + ruleOrder + `
 LIMIT 1`

// AssignPending gives submitted applications without a curator
// organisation to the one the rules choose, and tells that organisation. It
// runs as the portal (the background worker calls it); applications no rule
// matches wait for the ministry. It returns how many it assigned.
func (s *Store) AssignPending(ctx context.Context, limit int) (int, error) {
	n := 0
	err := s.db.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, pendingSQL, limit)
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		for _, id := range ids {
			var org int64
			if err := tx.QueryRow(ctx, ruleForSQL, id).Scan(&org); err != nil {
				if err == pgx.ErrNoRows {
					continue
				}
				return err
			}
			if err := s.assign(ctx, tx, account.Actor{}, id, org); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("curation: assign pending: %w", err)
	}
	return n, nil
}

func (s *Store) assign(ctx context.Context, tx pgx.Tx, a account.Actor, appID, curatorOrg int64) error {
	orgID, version, err := supplier.AssignOrganization(ctx, tx, appID, curatorOrg)
	if err != nil {
		return err
	}
	if err := event(ctx, tx, a, appID, orgID, "application.assigned", version, "", map[string]any{"curator_org": curatorOrg}); err != nil {
		return err
	}
	return s.outbox.Notify(ctx, tx, notify.Notification{OrgID: curatorOrg, Key: "curation_assigned",
		Link: "/curation/applications/" + strconv.FormatInt(appID, 10)})
}

// AssignTo gives an application to a curator organisation by the
// ministry's hand.
func (s *Store) AssignTo(ctx context.Context, a account.Actor, appID, curatorOrg int64) error {
	if !a.IsMinistryAdmin() {
		return database.ErrNotFound
	}
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		var kind string
		if err := tx.QueryRow(ctx, `SELECT kind FROM organizations WHERE id = $1`, curatorOrg).Scan(&kind); err != nil || kind != "curator" {
			return validation.Errors{"curator_org_id": "error.choose_option"}
		}
		return s.assign(ctx, tx, a, appID, curatorOrg)
	})
	if err != nil {
		return fmt.Errorf("curation: assign %d: %w", appID, err)
	}
	return nil
}
