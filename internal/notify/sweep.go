package notify

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"pasokan/internal/database"
)

// sweepBatch is how many pending rows the sweep gives jobs to in one
// statement.
const sweepBatch = 500

// Sweep gives a job to every pending e-mail and notification that has none
// and returns how many it gave. Every e-mail is written with its job, so
// this finds only rows from before River carried them, or whose job was
// removed (by hand, or cleaned out after River gave up on it without the
// outcome being recorded). The jobs are unique by their row: one still
// waiting, running or retrying is not doubled.
func (o *Outbox) Sweep(ctx context.Context) (int, error) {
	given := 0
	for _, q := range []struct {
		sql  string
		args func(id int64) river.JobArgs
	}{
		{`SELECT id FROM email_outbox WHERE status = 'pending' AND id > $1 ORDER BY id LIMIT $2`,
			func(id int64) river.JobArgs { return EmailArgs{EmailID: id} }},
		{`SELECT id FROM notifications WHERE email_status = 'pending' AND id > $1 ORDER BY id LIMIT $2`,
			func(id int64) river.JobArgs { return NotificationArgs{NotificationID: id} }},
	} {
		for after := int64(0); ; {
			var ids []int64
			err := o.db.Tx(ctx, database.System(), func(tx pgx.Tx) error {
				rows, err := tx.Query(ctx, q.sql, after, sweepBatch)
				if err != nil {
					return err
				}
				if ids, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil || len(ids) == 0 {
					return err
				}
				params := make([]river.InsertManyParams, len(ids))
				for i, id := range ids {
					params[i] = river.InsertManyParams{Args: q.args(id)}
				}
				res, err := o.jobs.InsertManyTx(ctx, tx, params)
				for _, r := range res {
					if !r.UniqueSkippedAsDuplicate {
						given++
					}
				}
				return err
			})
			if err != nil {
				return given, fmt.Errorf("notify: sweep: %w", err)
			}
			if len(ids) < sweepBatch {
				break
			}
			after = ids[len(ids)-1]
		}
	}
	return given, nil
}

// SweepArgs is the periodic job that runs Sweep.
type SweepArgs struct{}

// Kind names the job in River's table.
func (SweepArgs) Kind() string { return "mail_sweep" }

// SweepWorker runs Sweep.
type SweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	outbox *Outbox
	log    *slog.Logger
}

// Work sweeps the outbox.
func (w *SweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	n, err := w.outbox.Sweep(ctx)
	if n > 0 {
		w.log.Warn("pending e-mails or notifications without a delivery job were given one", "jobs", n)
	}
	return err
}
