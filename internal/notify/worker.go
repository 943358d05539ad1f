package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
)

// Worker turns notifications into e-mails and delivers due e-mails from the
// outbox. Several workers (in several
// processes) may run: each claims rows with FOR UPDATE SKIP LOCKED.
type Worker struct {
	db      *database.DB
	mailer  Mailer
	log     *slog.Logger
	baseURL string
	// Interval is how often the outbox is polled when idle.
	Interval time.Duration
	// MaxAttempts is how often delivery is tried before giving up.
	MaxAttempts int
	kick        chan struct{}
}

// NewWorker returns a worker delivering through mailer; baseURL makes the
// links in e-mails absolute.
func NewWorker(db *database.DB, mailer Mailer, log *slog.Logger, baseURL string) *Worker {
	return &Worker{db: db, mailer: mailer, log: log, baseURL: strings.TrimRight(baseURL, "/"),
		Interval: 2 * time.Second, MaxAttempts: 10, kick: make(chan struct{}, 1)}
}

// Kick asks the worker to look at the outbox now.
func (w *Worker) Kick() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	t := time.NewTicker(w.Interval)
	defer t.Stop()
	for {
		if _, err := w.MailNotifications(ctx, 50); err != nil && ctx.Err() == nil {
			w.log.Error("mailing notifications failed", "err", err)
		}
		for {
			n, err := w.DeliverDue(ctx, 20)
			if err != nil && ctx.Err() == nil {
				w.log.Error("outbox delivery failed", "err", err)
			}
			if n == 0 || err != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.kick:
		}
	}
}

const claimSQL = `SELECT id, coalesce(organization_id, 0), kind, to_address, subject, body_text, attempts
  FROM email_outbox
 WHERE status = 'pending' AND next_attempt_at <= now()
 ORDER BY next_attempt_at
 LIMIT $1
 FOR UPDATE SKIP LOCKED`

// DeliverDue sends up to limit due e-mails and returns how many it handled.
func (w *Worker) DeliverDue(ctx context.Context, limit int) (int, error) {
	var handled int
	err := w.db.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, claimSQL, limit)
		if err != nil {
			return err
		}
		due, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Email, error) {
			var e Email
			err := r.Scan(&e.ID, &e.OrgID, &e.Kind, &e.To, &e.Subject, &e.Body, &e.Attempts)
			return e, err
		})
		if err != nil {
			return err
		}
		for _, e := range due {
			sendCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
			sendErr := w.mailer.Send(sendCtx, e)
			cancel()
			if sendErr == nil {
				_, err = tx.Exec(ctx, `UPDATE email_outbox SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = '' WHERE id = $1`, e.ID)
			} else {
				status := "pending"
				switch {
				case errors.Is(sendErr, ErrInvalidEmail):
					// Nothing will change its address: ten tries would only
					// fill the log.
					status = "failed"
					w.log.Error("e-mail cannot be sent; marked failed", "id", e.ID, "kind", e.Kind, "err", sendErr)
				case e.Attempts+1 >= w.MaxAttempts:
					status = "failed"
					w.log.Error("e-mail delivery failed; giving up", "id", e.ID, "attempt", e.Attempts+1, "err", sendErr)
				default:
					w.log.Warn("e-mail delivery failed; will retry", "id", e.ID, "attempt", e.Attempts+1, "err", sendErr)
				}
				backoff := time.Duration(1<<min(e.Attempts, 8)) * time.Minute
				_, err = tx.Exec(ctx, `UPDATE email_outbox SET status = $2, attempts = attempts + 1, last_error = $3,
    next_attempt_at = now() + $4::interval WHERE id = $1`, e.ID, status, errorText(sendErr, 500), backoff)
			}
			if err != nil {
				return err
			}
			handled++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("notify: deliver: %w", err)
	}
	return handled, nil
}

// errorText is err's message as Postgres text: a relay's answer may carry
// any bytes, and one that Postgres refused would roll back the batch and
// send its e-mails again.
func errorText(err error, n int) string {
	s := strings.ReplaceAll(err.Error(), "\x00", "")
	if len(s) > n {
		s = s[:n]
	}
	return strings.ToValidUTF8(s, "")
}
