package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Notification is an in-app message: an i18n key and its arguments, shown in
// the reader's language, with an optional link.
type Notification struct {
	ID     int64
	OrgID  int64
	UserID int64 // 0: every member of the organisation
	Key    string
	Args   []string
	Link   string
	At     time.Time
	Read   bool
	// Email asks for it to be e-mailed too (by a job: NotificationWorker),
	// to the organisation's owners (or UserID), in their languages: keys
	// "email.<Key>.subject" and "email.<Key>.body" (arguments: the
	// recipient's name, the full link).
	Email bool
}

const notifySQL = `INSERT INTO notifications (organization_id, user_id, key, args, link, email_status)
VALUES ($1, nullif($2, 0), $3, $4, $5, $6)`

// insertedNotificationSQL is the id the insert before it drew: the one who
// notifies (a curator, say) may not read the notification back.
const insertedNotificationSQL = `SELECT currval(pg_get_serial_sequence('notifications', 'id'))`

// Notify adds n inside tx, with the change that causes it; when n is to be
// e-mailed too, with the job that does it.
func (o *Outbox) Notify(ctx context.Context, tx pgx.Tx, n Notification) error {
	args, err := json.Marshal(n.Args)
	if err != nil {
		return err
	}
	if n.Args == nil {
		args = []byte("[]")
	}
	if !n.Email {
		if _, err := tx.Exec(ctx, notifySQL, n.OrgID, n.UserID, n.Key, args, n.Link, ""); err != nil {
			return fmt.Errorf("notify: %s: %w", n.Key, err)
		}
		return nil
	}
	var id int64
	b := &pgx.Batch{}
	b.Queue(notifySQL, n.OrgID, n.UserID, n.Key, args, n.Link, "pending")
	b.Queue(insertedNotificationSQL).QueryRow(func(r pgx.Row) error { return r.Scan(&id) })
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("notify: %s: %w", n.Key, err)
	}
	if _, err := o.jobs.InsertTx(ctx, tx, NotificationArgs{NotificationID: id}, nil); err != nil {
		return fmt.Errorf("notify: %s: job: %w", n.Key, err)
	}
	return nil
}

// QueueRecent queues a read of the newest notifications of orgID into b,
// for a page that reads them in the same round trip as its other reads (in
// a scope that may see them): out holds them once the batch has run.
func QueueRecent(b *pgx.Batch, orgID int64, limit int, out *[]Notification) {
	b.Queue(`SELECT id, organization_id, coalesce(user_id, 0), key, args, link, created_at, read_at IS NOT NULL
  FROM notifications WHERE organization_id = $1 ORDER BY id DESC LIMIT $2`, orgID, limit).Query(func(rows pgx.Rows) error {
		var err error
		*out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Notification, error) {
			var x Notification
			var args []byte
			if err := r.Scan(&x.ID, &x.OrgID, &x.UserID, &x.Key, &args, &x.Link, &x.At, &x.Read); err != nil {
				return x, err
			}
			return x, json.Unmarshal(args, &x.Args)
		})
		return err
	})
}
