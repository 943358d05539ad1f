package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"pasokan/internal/database"
)

// EmailQueue is the River queue of e-mail deliveries, apart from the
// portal's other background work: a slow relay holds up nothing else.
const EmailQueue = "email"

// MaxAttempts is how often an e-mail's delivery is tried before it is
// marked failed: with River's backoff (attempt⁴ seconds) over about four
// hours.
const MaxAttempts = 10

// sendTimeout bounds one delivery, within River's job timeout.
const sendTimeout = 30 * time.Second

// EmailArgs is the job that delivers one e-mail of the outbox. It is
// unique by the e-mail, so that the sweep can give a job to every pending
// e-mail without doubling one that has it.
type EmailArgs struct {
	EmailID int64 `json:"email_id"`
}

// Kind names the job in River's table.
func (EmailArgs) Kind() string { return "email" }

// InsertOpts puts the job on EmailQueue.
func (EmailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: EmailQueue, MaxAttempts: MaxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// EmailWorker delivers an e-mail through the mailer and records the outcome
// in the outbox. Whichever process runs the job, the outbox row is locked
// while it is sent and read as pending first, so a job that runs again once
// the delivery is recorded (a process that died before River marked the job
// done, River's rescue of a stuck job) sends nothing twice. Only when the
// process dies, or the commit fails, between the relay's answer and the
// record can an e-mail go twice, as from any SMTP outbox.
type EmailWorker struct {
	river.WorkerDefaults[EmailArgs]
	db     *database.DB
	mailer Mailer
	log    *slog.Logger
}

// NewEmailWorker returns a worker delivering through mailer.
func NewEmailWorker(db *database.DB, mailer Mailer, log *slog.Logger) *EmailWorker {
	return &EmailWorker{db: db, mailer: mailer, log: log}
}

const claimSQL = `SELECT id, coalesce(organization_id, 0), kind, to_address, subject, body_text, attempts
  FROM email_outbox WHERE id = $1 AND status = 'pending'
   FOR UPDATE`

// Work sends the job's e-mail if it is still pending. A failure is recorded
// and returned, and River tries again later; an e-mail that no retry can
// send (an invalid address), or one out of attempts, is marked failed and
// its job cancelled.
func (w *EmailWorker) Work(ctx context.Context, job *river.Job[EmailArgs]) error {
	var sendErr error
	failed := false
	err := w.db.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		var e Email
		err := tx.QueryRow(ctx, claimSQL, job.Args.EmailID).Scan(&e.ID, &e.OrgID, &e.Kind, &e.To, &e.Subject, &e.Body, &e.Attempts)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // sent or failed already
		}
		if err != nil {
			return err
		}
		if e.Attempts >= MaxAttempts {
			// A job given to an e-mail whose tries are used up (the sweep,
			// after River gave up on one whose outcome was not recorded).
			failed, sendErr = true, fmt.Errorf("notify: e-mail %d: %d attempts", e.ID, e.Attempts)
			_, err := tx.Exec(ctx, `UPDATE email_outbox SET status = 'failed' WHERE id = $1`, e.ID)
			return err
		}
		sendCtx, cancel := context.WithTimeout(ctx, sendTimeout)
		sendErr = w.mailer.Send(sendCtx, e)
		cancel()
		if sendErr == nil {
			status := "sent"
			if k, ok := w.mailer.(keeper); ok && k.Keeps() {
				status = "kept"
			}
			_, err := tx.Exec(ctx, `UPDATE email_outbox SET status = $2, sent_at = now(), attempts = attempts + 1, last_error = '' WHERE id = $1`, e.ID, status)
			return err
		}
		switch {
		case errors.Is(sendErr, ErrInvalidEmail):
			// Nothing will change its address: more tries would only fill
			// the log.
			failed = true
			w.log.Error("e-mail cannot be sent; marked failed", "id", e.ID, "kind", e.Kind, "err", sendErr)
		case job.Attempt >= job.MaxAttempts || e.Attempts+1 >= MaxAttempts:
			failed = true
			w.log.Error("e-mail delivery failed; giving up", "id", e.ID, "attempt", e.Attempts+1, "err", sendErr)
		default:
			w.log.Warn("e-mail delivery failed; will retry", "id", e.ID, "attempt", e.Attempts+1, "err", sendErr)
		}
		status := "pending"
		if failed {
			status = "failed"
		}
		_, err = tx.Exec(ctx, `UPDATE email_outbox SET status = $2, attempts = attempts + 1, last_error = $3 WHERE id = $1`,
			e.ID, status, errorText(sendErr, 500))
		return err
	})
	switch {
	case err != nil:
		// Nothing recorded: River tries the job again.
		return fmt.Errorf("notify: deliver %d: %w", job.Args.EmailID, err)
	case failed:
		return river.JobCancel(sendErr)
	default:
		return sendErr
	}
}

// AddWorkers registers the package's workers: e-mail delivery through
// mailer, notifications into e-mails (baseURL makes their links absolute),
// and the sweep.
func AddWorkers(workers *river.Workers, outbox *Outbox, mailer Mailer, log *slog.Logger, baseURL string) {
	river.AddWorker(workers, NewEmailWorker(outbox.db, mailer, log))
	river.AddWorker(workers, NewNotificationWorker(outbox, baseURL))
	river.AddWorker(workers, &SweepWorker{outbox: outbox, log: log})
}

// errorText is err's message as Postgres text: a relay's answer may carry
// any bytes, and one that Postgres refused would roll back the record of an
// e-mail that was sent, and send it again.
func errorText(err error, n int) string {
	s := strings.ReplaceAll(err.Error(), "\x00", "")
	if len(s) > n {
		s = s[:n]
	}
	return strings.ToValidUTF8(s, "")
}
