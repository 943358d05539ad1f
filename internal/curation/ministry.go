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
	"pasokan/internal/supplier"
	"pasokan/internal/validation"
)

// The ministry's tools to run curation (issue 12): the applications waiting
// longest across every curator organisation, those no rule sent anywhere
// (handed to a curator organisation by hand), and the assignment rules
// edited, reordered and retired.

// Waiting is an application waiting for a curator's decision, or for a
// curator organisation.
type Waiting struct {
	AppID        int64      `db:"app_id"`
	OrgID        int64      `db:"org_id"`
	Name         string     `db:"name"`
	ProvinceCode string     `db:"province_code"`
	Status       string     `db:"status"`
	SubmittedAt  *time.Time `db:"submitted_at"`
	CuratorOrgID int64      `db:"curator_org_id"`
	CuratorName  string     `db:"curator_name"`
	AssigneeName string     `db:"assignee_name"`
}

// waitingColumns name each application's supplier (its profile read
// once), curator organisation and curator by primary key, a probe each,
// for the applications w names (by id): only those a page shows.
const waitingColumns = `SELECT a.id AS app_id, a.organization_id AS org_id,
       coalesce(nullif(p.legal_name, ''), (SELECT o.name FROM organizations o WHERE o.id = a.organization_id)) AS name,
       coalesce(p.province_code, '') AS province_code,
       a.status, a.submitted_at, coalesce(a.assigned_org_id, 0) AS curator_org_id,
       coalesce((SELECT g.name FROM organizations g WHERE g.id = a.assigned_org_id), '') AS curator_name,
       coalesce((SELECT u.name FROM users u WHERE u.id = a.assigned_user_id), '') AS assignee_name
  FROM w JOIN applications a ON a.id = w.id
  LEFT JOIN LATERAL (SELECT p.legal_name, p.province_code FROM supplier_profiles p
                      WHERE p.organization_id = a.organization_id) p ON true
 ORDER BY a.submitted_at, a.id`

// waitingLongestSQL walks the queue index (status, submitted_at, id) of each
// waiting status from its oldest, merges the two and names the page's
// rows alone: naming each branch's rows named twice as many.
var waitingLongestSQL = `WITH w AS MATERIALIZED (SELECT id FROM (
  (SELECT a.id, a.submitted_at FROM applications a WHERE a.status = 'submitted' AND a.assigned_org_id IS NOT NULL
    ORDER BY a.submitted_at, a.id LIMIT $1)
  UNION ALL
  (SELECT a.id, a.submitted_at FROM applications a WHERE a.status = 'in_review' ORDER BY a.submitted_at, a.id LIMIT $1)) u
 ORDER BY submitted_at, id LIMIT $1)
` + waitingColumns

// unassignedSQL walks the applications no curator organisation has, oldest
// first (applications_unassigned_idx).
var unassignedSQL = `WITH w AS MATERIALIZED (SELECT a.id FROM applications a WHERE a.status = 'submitted' AND a.assigned_org_id IS NULL
 ORDER BY a.submitted_at, a.id LIMIT $1)
` + waitingColumns

// WaitingLongest lists, for the ministry, the applications waiting longest
// for a decision across every curator organisation, and those waiting for
// a curator organisation, oldest first, up to limit each.
func (s *Store) WaitingLongest(ctx context.Context, a account.Actor, limit int) (waiting, unassigned []Waiting, err error) {
	var r database.Reads
	if err := s.QueueWaitingLongest(a, &r, limit, &waiting, &unassigned); err != nil {
		return nil, nil, err
	}
	if err := s.db.Read(ctx, a.Scope(), &r); err != nil {
		return nil, nil, fmt.Errorf("curation: waiting longest: %w", err)
	}
	return waiting, unassigned, nil
}

// QueueWaitingLongest is WaitingLongest read with other reads of a page:
// once r is read, waiting and unassigned hold the lists.
func (s *Store) QueueWaitingLongest(a account.Actor, r *database.Reads, limit int, waiting, unassigned *[]Waiting) error {
	if !a.IsMinistryAdmin() {
		return database.ErrNotFound
	}
	r.Batch.Queue(waitingLongestSQL, limit).Query(database.Rows(waiting))
	r.Batch.Queue(unassignedSQL, limit).Query(database.Rows(unassigned))
	return nil
}

// HandOver gives a submitted application, one no rule matched or one a
// curator organisation has not started, to another curator organisation
// by the ministry's hand. An application a curator has started stays with
// its organisation.
func (s *Store) HandOver(ctx context.Context, a account.Actor, appID, curatorOrg int64) error {
	if !a.IsMinistryAdmin() {
		return database.ErrNotFound
	}
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		var status string
		var current int64
		if err := tx.QueryRow(ctx, `SELECT status, coalesce(assigned_org_id, 0) FROM applications WHERE id = $1 FOR UPDATE`,
			appID).Scan(&status, &current); err != nil {
			return err
		}
		if status != "submitted" {
			return validation.Errors{"curator_org_id": "error.handover_started"}
		}
		var ok bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM organizations WHERE id = $1 AND kind = 'curator' AND disabled_at IS NULL)`,
			curatorOrg).Scan(&ok); err != nil {
			return err
		}
		if !ok {
			return validation.Errors{"curator_org_id": "error.choose_option"}
		}
		if current == curatorOrg {
			return validation.Errors{"curator_org_id": "error.handover_same"}
		}
		return s.assign(ctx, tx, a, appID, curatorOrg)
	})
	if err != nil {
		return fmt.Errorf("curation: hand over %d: %w", appID, err)
	}
	return nil
}

// Retired lists the retired rules, most recently retired first.
func (s *Store) Retired(ctx context.Context, a account.Actor) ([]Rule, error) {
	return s.rules(ctx, a, rulesSQL+` WHERE r.retired_at IS NOT NULL ORDER BY r.retired_at DESC, r.id`)
}

// checkRule checks a rule's fields and its references in tx.
func checkRule(ctx context.Context, tx pgx.Tx, r Rule) error {
	errs := validation.Errors{}
	errs.Clean(map[string]string{"category": r.Category, "province_code": r.ProvinceCode})
	if r.Category != "" && r.Category != "apd" && r.Category != "masker" && r.Category != "hand_sanitizer" {
		errs.Add("category", "error.choose_option")
	}
	if r.Priority < -1000 || r.Priority > 1000 {
		errs.Add("priority", "error.priority_invalid")
	}
	if errs.Any() {
		return errs
	}
	var kind string
	if err := tx.QueryRow(ctx, `SELECT coalesce((SELECT kind FROM organizations WHERE id = $1), '')`, r.CuratorOrgID).Scan(&kind); err != nil {
		return err
	}
	if kind != "curator" {
		return validation.Errors{"curator_org_id": "error.choose_option"}
	}
	// References are checked before writing: an unknown province was a
	// foreign-key error, answered 500.
	if r.ProvinceCode != "" {
		var known bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM provinces WHERE code = $1)`, r.ProvinceCode).Scan(&known); err != nil {
			return err
		}
		if !known {
			return validation.Errors{"province_code": "error.choose_option"}
		}
	}
	return nil
}

// ruleDetail is what the trail keeps of a rule.
func ruleDetail(r Rule) map[string]any {
	return map[string]any{"curator_org": r.CuratorOrgID, "category": r.Category, "province": r.ProvinceCode, "priority": r.Priority}
}

// UpdateRule changes a rule's curator organisation, category, province and
// priority; a retired rule is not changed.
func (s *Store) UpdateRule(ctx context.Context, a account.Actor, id int64, r Rule) error {
	if !a.IsMinistryAdmin() {
		return database.ErrNotFound
	}
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		if err := checkRule(ctx, tx, r); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE assignment_rules SET curator_org_id = $2, category = nullif($3, ''),
       province_code = nullif($4, ''), priority = $5
 WHERE id = $1 AND retired_at IS NULL`, id, r.CuratorOrgID, r.Category, r.ProvinceCode, r.Priority)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return database.ErrNotFound
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: a.OrgID,
			Action: "assignment_rule.changed", SubjectType: "assignment_rule", SubjectID: id, Detail: ruleDetail(r)})
	})
	if err != nil {
		return fmt.Errorf("curation: update rule %d: %w", id, err)
	}
	return nil
}

// RetireRule retires a rule (the assignment loop skips it from then on),
// or puts a retired one back.
func (s *Store) RetireRule(ctx context.Context, a account.Actor, id int64, retire bool) error {
	if !a.IsMinistryAdmin() {
		return database.ErrNotFound
	}
	action := map[bool]string{true: "assignment_rule.retired", false: "assignment_rule.restored"}[retire]
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE assignment_rules SET retired_at = CASE WHEN $2 THEN now() END
 WHERE id = $1 AND (retired_at IS NULL) = $2`, id, retire)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return database.ErrStale
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: a.OrgID,
			Action: action, SubjectType: "assignment_rule", SubjectID: id})
	})
	if err != nil {
		return fmt.Errorf("curation: retire rule %d: %w", id, err)
	}
	return nil
}

// specificity is how much a rule names: a province and a category before
// either before none (ruleForSQL's first order).
func (r Rule) specificity() int {
	n := 0
	if r.ProvinceCode != "" {
		n++
	}
	if r.Category != "" {
		n++
	}
	return n
}

// MoveRule moves a rule one place up (first applied) or down among the
// rules that name as much as it does: a rule naming a province and a
// category is always tried before one naming either, whatever their
// priorities. It changes the rule's priority to pass its neighbour's.
func (s *Store) MoveRule(ctx context.Context, a account.Actor, id int64, up bool) error {
	if !a.IsMinistryAdmin() {
		return database.ErrNotFound
	}
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, rulesSQL+` WHERE r.retired_at IS NULL ORDER BY `+ruleOrder+` FOR UPDATE OF r`)
		rules, err := database.CollectRows[Rule](rows)
		if err != nil {
			return err
		}
		i := -1
		for k, r := range rules {
			if r.ID == id {
				i = k
			}
		}
		if i < 0 {
			return database.ErrNotFound
		}
		j := i + 1
		if up {
			j = i - 1
		}
		if j < 0 || j >= len(rules) || rules[j].specificity() != rules[i].specificity() {
			return validation.Errors{"move": "error.rule_cannot_move"}
		}
		// Past the neighbour: above it by one when moving up, below it by
		// one when moving down (ties fall to the older rule, so equal is
		// not enough).
		priority := rules[j].Priority + 1
		if !up {
			priority = rules[j].Priority - 1
		}
		if _, err := tx.Exec(ctx, `UPDATE assignment_rules SET priority = $2 WHERE id = $1`, id, priority); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: a.OrgID,
			Action: "assignment_rule.moved", SubjectType: "assignment_rule", SubjectID: id,
			Detail: map[string]any{"from": rules[i].Priority, "to": priority, "past": rules[j].ID}})
	})
	if err != nil {
		return fmt.Errorf("curation: move rule %d: %w", id, err)
	}
	return nil
}

// Rule returns one rule, for its edit page.
func (s *Store) Rule(ctx context.Context, a account.Actor, id int64) (Rule, error) {
	rules, err := s.rules(ctx, a, rulesSQL+` WHERE r.id = $1`, id)
	if err != nil {
		return Rule{}, err
	}
	if len(rules) == 0 {
		return Rule{}, database.ErrNotFound
	}
	return rules[0], nil
}

func (s *Store) rules(ctx context.Context, a account.Actor, q string, args ...any) ([]Rule, error) {
	if !a.IsMinistryAdmin() {
		return nil, database.ErrNotFound
	}
	var out []Rule
	b := &pgx.Batch{}
	b.Queue(q, args...).Query(database.Rows(&out))
	if err := s.db.ReadBatch(ctx, a.Scope(), b); err != nil {
		return nil, fmt.Errorf("curation: rules: %w", err)
	}
	return out, nil
}

// SendRecuration sends the products due for re-curation (RecurationDue, up
// to MaxRecuration at a time) to their curators as work: each waits in
// their queue as a proposal to check it against the checklist now in
// force, and stays curated and listed meanwhile. Products already waiting,
// and applicant-level checklists (no product to check alone), are left. It
// returns how many it sent.
func (s *Store) SendRecuration(ctx context.Context, a account.Actor, on time.Time) (int, error) {
	if !a.IsMinistryAdmin() {
		return 0, database.ErrNotFound
	}
	due, err := s.RecurationDue(ctx, a, on, MaxRecuration)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.db.Tx(ctx, a.Scope().Widening(), func(tx pgx.Tx) error {
		n = 0
		// The proposals and the applications' timelines are the
		// supplier's and its curators': the ministry may not write them,
		// so this runs as the system on the ministry's behalf (the
		// timeline names the ministry's person).
		if err := database.SetScope(ctx, tx, database.System()); err != nil {
			return err
		}
		var sent []string
		for _, d := range due {
			if d.Sent || d.ProductType == "" {
				continue
			}
			ok, err := supplier.ProposeRecheck(ctx, tx, s.outbox, a, d.AppID, d.ProductType, d.Version)
			if err != nil {
				return err
			}
			if ok {
				n++
				sent = append(sent, strconv.FormatInt(d.AppID, 10)+"/"+d.ProductType)
			}
		}
		if n == 0 {
			return nil
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: a.OrgID,
			Action: "recuration.sent", Detail: map[string]any{"products": sent}})
	})
	if err != nil {
		return 0, fmt.Errorf("curation: send re-curation: %w", err)
	}
	return n, nil
}
