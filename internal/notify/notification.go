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
	// Email asks the worker to e-mail it too, to the organisation's owners
	// (or UserID), in their languages: keys "email.<Key>.subject" and
	// "email.<Key>.body" (arguments: the recipient's name, the full link).
	Email bool
}

// Notify adds n inside tx, with the change that causes it.
func Notify(ctx context.Context, tx pgx.Tx, n Notification) error {
	args, err := json.Marshal(n.Args)
	if err != nil {
		return err
	}
	if n.Args == nil {
		args = []byte("[]")
	}
	status := ""
	if n.Email {
		status = "pending"
	}
	_, err = tx.Exec(ctx, `INSERT INTO notifications (organization_id, user_id, key, args, link, email_status)
VALUES ($1, nullif($2, 0), $3, $4, $5, $6)`, n.OrgID, n.UserID, n.Key, args, n.Link, status)
	if err != nil {
		return fmt.Errorf("notify: %s: %w", n.Key, err)
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
