package curation

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
)

// nextSQL picks the application a curator should open after a decision:
// first what is reserved for them (claimed, or given to them by their
// lead), oldest first, then the oldest unclaimed one in their
// organisation's queue. Each branch is one ordered index walk that stops
// at its first row the curator may decide (no conflict declared, not a
// member of the applicant): applications_assignee_idx (org, status,
// assignee, submitted_at, id) for their own, applications_unclaimed_idx
// (org, status, submitted_at, id) WHERE assigned_user_id IS NULL for the
// rest (migration 0019). At most three rows are then ordered; nothing is
// sorted along the queue.
const nextSQL = `SELECT n.id FROM (
  (SELECT a.id, 0 AS pass, a.submitted_at FROM applications a
    WHERE a.assigned_org_id = $1 AND a.status = 'in_review' AND a.assigned_user_id = $2 AND a.id <> $3
      AND NOT EXISTS (SELECT 1 FROM curator_conflicts c WHERE c.application_id = a.id AND c.user_id = $2)
      AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = a.organization_id AND m.user_id = $2)
    ORDER BY a.submitted_at, a.id LIMIT 1)
  UNION ALL
  (SELECT a.id, 0 AS pass, a.submitted_at FROM applications a
    WHERE a.assigned_org_id = $1 AND a.status = 'submitted' AND a.assigned_user_id = $2 AND a.id <> $3
      AND NOT EXISTS (SELECT 1 FROM curator_conflicts c WHERE c.application_id = a.id AND c.user_id = $2)
      AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = a.organization_id AND m.user_id = $2)
    ORDER BY a.submitted_at, a.id LIMIT 1)
  UNION ALL
  (SELECT a.id, 1 AS pass, a.submitted_at FROM applications a
    WHERE a.assigned_org_id = $1 AND a.status = 'submitted' AND a.assigned_user_id IS NULL AND a.id <> $3
      AND NOT EXISTS (SELECT 1 FROM curator_conflicts c WHERE c.application_id = a.id AND c.user_id = $2)
      AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = a.organization_id AND m.user_id = $2)
    ORDER BY a.submitted_at, a.id LIMIT 1)
) n
 ORDER BY n.pass, n.submitted_at, n.id
 LIMIT 1`

// NextWaiting returns the id of the next application waiting for the
// curator a, other than after (the one just decided): one assigned to
// them, else the oldest unclaimed one of their organisation. ok is false
// when none waits.
func (s *Store) NextWaiting(ctx context.Context, a account.Actor, after int64) (id int64, ok bool, err error) {
	if !isCurator(a) {
		return 0, false, database.ErrNotFound
	}
	err = s.db.ReadTx(ctx, a.Scope(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, nextSQL, a.OrgID, a.UserID, after).Scan(&id)
	})
	switch {
	case errors.Is(err, pgx.ErrNoRows), errors.Is(err, database.ErrNotFound):
		return 0, false, nil
	case err != nil:
		return 0, false, fmt.Errorf("curation: next after %d: %w", after, err)
	}
	return id, true, nil
}
