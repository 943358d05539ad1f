package curation

import (
	"context"
	"fmt"

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
