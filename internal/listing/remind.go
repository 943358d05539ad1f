package listing

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/audit"
	"pasokan/internal/database"
	"pasokan/internal/notify"
)

// SweepBatch bounds the listings one sweep reminds or lapses: the next run
// takes the rest.
const SweepBatch = 500

// Swept is what a sweep did.
type Swept struct {
	Reminded, Lapsed int
}

// Sweep keeps the catalogue honest, as the portal: a listing not confirmed
// for RemindAfter is reminded once (in the portal and by e-mail); one not
// confirmed for StaleAfter leaves the catalogue and the directory (lapsed)
// until its supplier confirms it, with one click, and is told so. Each is
// an audit event. Run on a schedule; several processes may run it at once
// (the rows are taken with SKIP LOCKED).
func (s *Store) Sweep(ctx context.Context, now time.Time) (Swept, error) {
	var out Swept
	err := s.db.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		lapse, err := take(ctx, tx, `SELECT organization_id FROM listings
 WHERE withdrawn_at IS NULL AND lapsed_at IS NULL AND confirmed_at < $1
 ORDER BY confirmed_at LIMIT $2 FOR UPDATE SKIP LOCKED`, now.Add(-StaleAfter))
		if err != nil {
			return err
		}
		if len(lapse) > 0 {
			if _, err := tx.Exec(ctx, `UPDATE listings SET lapsed_at = $2, updated_at = $2 WHERE organization_id = ANY ($1)`,
				lapse, now); err != nil {
				return err
			}
		}
		for _, org := range lapse {
			if err := s.told(ctx, tx, org, "listing_lapsed", "listing.lapsed"); err != nil {
				return err
			}
		}
		remind, err := take(ctx, tx, `SELECT organization_id FROM listings
 WHERE withdrawn_at IS NULL AND lapsed_at IS NULL AND reminded_at IS NULL AND confirmed_at < $1
 ORDER BY confirmed_at LIMIT $2 FOR UPDATE SKIP LOCKED`, now.Add(-RemindAfter))
		if err != nil {
			return err
		}
		if len(remind) > 0 {
			if _, err := tx.Exec(ctx, `UPDATE listings SET reminded_at = $2 WHERE organization_id = ANY ($1)`, remind, now); err != nil {
				return err
			}
		}
		for _, org := range remind {
			if err := s.told(ctx, tx, org, "listing_confirm", "listing.reminded"); err != nil {
				return err
			}
		}
		out = Swept{Reminded: len(remind), Lapsed: len(lapse)}
		return nil
	})
	if err != nil {
		return Swept{}, fmt.Errorf("listing: sweep: %w", err)
	}
	return out, nil
}

func take(ctx context.Context, tx pgx.Tx, sql string, before time.Time) ([]int64, error) {
	rows, err := tx.Query(ctx, sql, before, SweepBatch)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// told tells a supplier what happened to its listing, and records it.
func (s *Store) told(ctx context.Context, tx pgx.Tx, org int64, key, action string) error {
	if err := s.outbox.Notify(ctx, tx, notify.Notification{OrgID: org, Key: key, Link: "/supplier/listing", Email: true}); err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Event{OrgID: org, Action: action, SubjectType: "organization", SubjectID: org})
}
