package curation

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
)

// DecisionTime is how long a curator organisation takes from a submission
// to its decision (curate, revise or reject), in hours.
type DecisionTime struct {
	CuratorOrgID int64
	CuratorName  string
	Decided      int
	MedianHours  float64
	P90Hours     float64
}

// decisionTimesSQL pairs every submission with the first decision after it.
const decisionTimesSQL = `SELECT a.assigned_org_id, o.name, count(*)::int,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM d.occurred_at - s.occurred_at) / 3600),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM d.occurred_at - s.occurred_at) / 3600)
  FROM application_events s
  JOIN LATERAL (SELECT e.occurred_at FROM application_events e
                 WHERE e.application_id = s.application_id AND e.id > s.id
                   AND e.action IN ('application.curated', 'application.rejected', 'application.revision_requested')
                 ORDER BY e.id LIMIT 1) d ON true
  JOIN applications a ON a.id = s.application_id
  JOIN organizations o ON o.id = a.assigned_org_id
 WHERE s.action IN ('application.submitted', 'application.resubmitted')
 GROUP BY a.assigned_org_id, o.name
 ORDER BY o.name`

// DecisionTimes gives the ministry the time from submission to decision per
// curator organisation.
func (s *Store) DecisionTimes(ctx context.Context, a account.Actor) ([]DecisionTime, error) {
	if !a.IsMinistryAdmin() {
		return nil, database.ErrNotFound
	}
	var out []DecisionTime
	err := s.db.ReadTx(ctx, a.Scope(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, decisionTimesSQL)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[DecisionTime])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("curation: decision times: %w", err)
	}
	return out, nil
}

// Recuration is a curated supplier whose curation rests on a checklist
// version no longer in force: it should be curated again.
type Recuration struct {
	AppID       int64
	Name        string
	ProductType string
	Version     int
	Until       time.Time
	Version2    int // the application's version, for actions on it
}

const recurationSQL = `SELECT DISTINCT ON (a.id, cl.id) a.id, coalesce(nullif(p.legal_name, ''), o.name), coalesce(cl.product_type, ''),
       cl.version, cl.in_force_until::timestamptz, a.version
  FROM applications a
  JOIN reviews r ON r.application_id = a.id AND r.decision = 'curate' AND r.submission = a.submissions
  JOIN checklists cl ON cl.id = r.checklist_id AND cl.in_force_until IS NOT NULL AND cl.in_force_until <= $1::date
  JOIN organizations o ON o.id = a.organization_id
  LEFT JOIN supplier_profiles p ON p.organization_id = a.organization_id
 WHERE a.status = 'curated' AND ($2::bigint = 0 OR a.assigned_org_id = $2)
 ORDER BY a.id, cl.id
 LIMIT $3`

// RecurationDue lists curated suppliers whose curation used a checklist
// version that has since been replaced (a standard changed), for the
// ministry (all) or a curator organisation (its own).
func (s *Store) RecurationDue(ctx context.Context, a account.Actor, on time.Time, limit int) ([]Recuration, error) {
	var org int64
	switch {
	case a.IsMinistryAdmin():
	case isCurator(a):
		org = a.OrgID
	default:
		return nil, database.ErrNotFound
	}
	var out []Recuration
	err := s.db.ReadTx(ctx, a.Scope(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, recurationSQL, on, org, limit)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Recuration])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("curation: re-curation due: %w", err)
	}
	return out, nil
}
