package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"pasokan/internal/database"
	"pasokan/internal/i18n"
)

// NotificationArgs is the job that e-mails one notification to its
// recipients. Like EmailArgs it is unique by its row, for the sweep.
type NotificationArgs struct {
	NotificationID int64 `json:"notification_id"`
}

// Kind names the job in River's table.
func (NotificationArgs) Kind() string { return "notification_email" }

// InsertOpts bounds the job's attempts like an e-mail's.
func (NotificationArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: MaxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// NotificationWorker turns a notification into e-mails in the outbox, one
// per recipient in their own language, each with its delivery job. It runs
// as the portal: the one who caused a notification (a curator, say) may
// not see the recipients' addresses.
type NotificationWorker struct {
	river.WorkerDefaults[NotificationArgs]
	outbox  *Outbox
	baseURL string
}

// NewNotificationWorker returns a worker writing into outbox; baseURL
// makes the links in e-mails absolute.
func NewNotificationWorker(outbox *Outbox, baseURL string) *NotificationWorker {
	return &NotificationWorker{outbox: outbox, baseURL: strings.TrimRight(baseURL, "/")}
}

const pendingNotificationSQL = `SELECT id, organization_id, coalesce(user_id, 0), key, args, link
  FROM notifications WHERE id = $1 AND email_status = 'pending'
   FOR UPDATE`

const recipientsSQL = `SELECT u.email, u.name, u.locale FROM memberships m JOIN users u ON u.id = m.user_id
 WHERE m.organization_id = $1 AND u.disabled_at IS NULL
   AND (($2::bigint = 0 AND m.role = 'owner') OR u.id = $2)
 ORDER BY u.id`

// Work e-mails the job's notification unless that was done already: its
// e-mails, their jobs and the mark that it is done commit together.
func (w *NotificationWorker) Work(ctx context.Context, job *river.Job[NotificationArgs]) error {
	err := w.outbox.db.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		var n Notification
		var args []byte
		err := tx.QueryRow(ctx, pendingNotificationSQL, job.Args.NotificationID).Scan(&n.ID, &n.OrgID, &n.UserID, &n.Key, &args, &n.Link)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // mailed already
		}
		if err != nil {
			return err
		}
		if err := json.Unmarshal(args, &n.Args); err != nil {
			return err
		}
		type recipient struct {
			Email  string `db:"email"`
			Name   string `db:"name"`
			Locale string `db:"locale"`
		}
		rows, err := tx.Query(ctx, recipientsSQL, n.OrgID, n.UserID)
		if err != nil {
			return err
		}
		recipients, err := database.CollectRows[recipient](rows)
		if err != nil {
			return err
		}
		for _, rc := range recipients {
			lang, _ := i18n.Parse(rc.Locale)
			args := []any{rc.Name, w.baseURL + n.Link}
			for _, a := range n.Args {
				args = append(args, a)
			}
			if err := w.outbox.Enqueue(ctx, tx, Email{OrgID: n.OrgID, Kind: n.Key, To: rc.Email,
				Subject: i18n.Translate(lang, "email."+n.Key+".subject"),
				Body:    i18n.Translate(lang, "email."+n.Key+".body", args...)}); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `UPDATE notifications SET email_status = 'queued' WHERE id = $1`, n.ID)
		return err
	})
	if err != nil {
		return fmt.Errorf("notify: mail notification %d: %w", job.Args.NotificationID, err)
	}
	return nil
}
