package supplier

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/notify"
	"pasokan/internal/validation"
)

// Moved is what a transition did.
type Moved struct {
	OrgID      int64
	From       Status
	Version    int // the new version
	Submission int
}

// Transition moves application appID from the version the actor saw to
// status to, inside tx, for a curator or the ministry (curation decides in
// its own transaction with it): the state machine must allow the move, and a
// stale version fails with database.ErrStale. It appends the event.
func Transition(ctx context.Context, tx pgx.Tx, a account.Actor, appID int64, version int, to Status, action, reason string, detail map[string]any) (Moved, error) {
	orgID, from, newVersion, submission, err := transition(ctx, tx, a, appID, version, to, action, reason, detail)
	return Moved{OrgID: orgID, From: from, Version: newVersion, Submission: submission}, err
}

// AddFlags records what a curator asks to revise, inside tx.
func AddFlags(ctx context.Context, tx pgx.Tx, a account.Actor, appID, orgID int64, submission int, flags []Flag) error {
	for _, f := range flags {
		if _, err := tx.Exec(ctx, `INSERT INTO application_flags (application_id, organization_id, submission, target, target_key, reason, created_by)
VALUES ($1, $2, $3, $4, $5, $6, nullif($7, 0))`, appID, orgID, submission, f.Target, f.TargetKey, f.Reason, a.UserID); err != nil {
			return err
		}
	}
	return nil
}

// ValidFlags checks that every flag names a target and gives a reason.
func ValidFlags(flags []Flag) bool {
	if len(flags) == 0 {
		return false
	}
	for _, f := range flags {
		if f.Reason == "" || f.TargetKey == "" || (f.Target != "field" && f.Target != "product" && f.Target != "document") {
			return false
		}
	}
	return true
}

func transition(ctx context.Context, tx pgx.Tx, a account.Actor, appID int64, version int, to Status, action, reason string, detail map[string]any) (orgID int64, from Status, newVersion, submission int, err error) {
	if a.Kind != account.KindCurator && a.Kind != account.KindMinistry {
		// Suppliers submit through Submit; nobody else moves applications.
		return 0, "", 0, 0, database.ErrNotFound
	}
	rows, _ := tx.Query(ctx, `SELECT organization_id, status, version FROM applications WHERE id = $1 FOR UPDATE`, appID)
	cur, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[struct {
		OrganizationID int64
		Status         Status
		Version        int
	}])
	if err != nil {
		return 0, "", 0, 0, err
	}
	orgID, from = cur.OrganizationID, cur.Status
	if cur.Version != version {
		return orgID, from, 0, 0, database.ErrStale
	}
	if !from.CanBecome(to) {
		return orgID, from, 0, 0, ErrTransition
	}
	rows, _ = tx.Query(ctx, `UPDATE applications SET status = $2, version = version + 1, updated_at = now(),
       decided_at = CASE WHEN $2 IN ('curated', 'rejected') THEN now() ELSE decided_at END
 WHERE id = $1 AND version = $3 RETURNING version, submissions`, appID, string(to), version)
	moved, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[versions])
	if err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return orgID, from, 0, 0, database.ErrStale
		}
		return orgID, from, 0, 0, err
	}
	newVersion, submission = moved.Version, moved.Submissions
	return orgID, from, newVersion, submission, appendEvent(ctx, tx, a, appID, orgID, action, from, to, newVersion, reason, detail)
}

// StartReview takes a submitted application into review.
func (s *Store) StartReview(ctx context.Context, a account.Actor, appID int64, version int) error {
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		_, _, _, _, err := transition(ctx, tx, a, appID, version, StatusInReview, "application.review_started", "", nil)
		return err
	})
	if err != nil {
		return fmt.Errorf("supplier: start review of %d: %w", appID, err)
	}
	return nil
}

// RequestRevision sends an application in review back to the supplier with
// what to revise: profile fields, products or documents, each with a reason.
// The supplier is told in the portal and by e-mail.
func (s *Store) RequestRevision(ctx context.Context, a account.Actor, appID int64, version int, reason string, flags []Flag) error {
	if !ValidFlags(flags) {
		return validation.Errors{"flags": "error.flags_required"}
	}
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		m, err := Transition(ctx, tx, a, appID, version, StatusRevisionRequested,
			"application.revision_requested", reason, map[string]any{"flags": len(flags)})
		if err != nil {
			return err
		}
		orgID := m.OrgID
		if err := AddFlags(ctx, tx, a, appID, orgID, m.Submission, flags); err != nil {
			return err
		}
		return s.outbox.Notify(ctx, tx, notify.Notification{OrgID: orgID, Key: "application_revision_requested",
			Link: FirstToFix(flags), Email: true})
	})
	if err != nil {
		return fmt.Errorf("supplier: request revision of %d: %w", appID, err)
	}
	return nil
}

// Snapshots returns the snapshots of every submission of an application, in
// order, for whoever may see the application.
func (s *Store) Snapshots(ctx context.Context, sc database.Scope, appID int64) ([][]byte, error) {
	var out [][]byte
	err := s.db.ReadTx(ctx, sc, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT snapshot FROM application_snapshots WHERE application_id = $1 ORDER BY submission`, appID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowTo[[]byte])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("supplier: snapshots of %d: %w", appID, err)
	}
	return out, nil
}
