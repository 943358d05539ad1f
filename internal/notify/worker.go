package notify

import (
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/smtp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
)

// Mailer delivers one e-mail.
type Mailer interface {
	Send(ctx context.Context, e Email) error
}

// LocalMailer is the development mailer: the outbox table is the mailbox
// (shown to ministry admins), and each delivery is logged without its body,
// which may hold a one-time link.
type LocalMailer struct{ Log *slog.Logger }

// Send records the delivery in the log.
func (m LocalMailer) Send(_ context.Context, e Email) error {
	m.Log.Info("e-mail delivered to the local outbox", "id", e.ID, "kind", e.Kind, "to", e.To)
	return nil
}

// SMTPMailer sends through an SMTP relay.
type SMTPMailer struct {
	Addr string // host:port
	From string
	Auth smtp.Auth
}

// Send delivers e through the relay.
func (m SMTPMailer) Send(_ context.Context, e Email) error {
	msg := strings.Join([]string{
		"From: " + m.From,
		"To: " + e.To,
		"Subject: " + mimeHeader(e.Subject),
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=UTF-8",
		"Content-Transfer-Encoding: 8bit",
		"",
		e.Body,
	}, "\r\n")
	return smtp.SendMail(m.Addr, m.Auth, m.From, []string{e.To}, []byte(msg))
}

func mimeHeader(s string) string {
	for _, r := range s {
		if r > 127 {
			return "=?UTF-8?B?" + base64Std(s) + "?="
		}
	}
	return s
}

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
				w.log.Warn("e-mail delivery failed; will retry", "id", e.ID, "attempt", e.Attempts+1, "err", sendErr)
				status := "pending"
				if e.Attempts+1 >= w.MaxAttempts {
					status = "failed"
				}
				backoff := time.Duration(1<<min(e.Attempts, 8)) * time.Minute
				_, err = tx.Exec(ctx, `UPDATE email_outbox SET status = $2, attempts = attempts + 1, last_error = $3,
    next_attempt_at = now() + $4::interval WHERE id = $1`, e.ID, status, truncate(sendErr.Error(), 500), backoff)
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

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func base64Std(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
