package notify

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/i18n"
)

const pendingNotificationsSQL = `SELECT id, organization_id, coalesce(user_id, 0), key, args, link
  FROM notifications WHERE email_status = 'pending'
 ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`

const recipientsSQL = `SELECT u.email, u.name, u.locale FROM memberships m JOIN users u ON u.id = m.user_id
 WHERE m.organization_id = $1 AND u.disabled_at IS NULL
   AND (($2::bigint = 0 AND m.role = 'owner') OR u.id = $2)
 ORDER BY u.id`

// MailNotifications e-mails up to limit pending notifications to their
// recipients, each in their own language, through the outbox. It runs as
// the portal: the one who caused a notification (a curator, say) may not
// see the recipients' addresses.
func (w *Worker) MailNotifications(ctx context.Context, limit int) (int, error) {
	var handled int
	err := w.db.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, pendingNotificationsSQL, limit)
		if err != nil {
			return err
		}
		pending, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Notification, error) {
			var n Notification
			var args []byte
			if err := r.Scan(&n.ID, &n.OrgID, &n.UserID, &n.Key, &args, &n.Link); err != nil {
				return n, err
			}
			return n, json.Unmarshal(args, &n.Args)
		})
		if err != nil {
			return err
		}
		type recipient struct{ Email, Name, Locale string }
		for _, n := range pending {
			rows, err := tx.Query(ctx, recipientsSQL, n.OrgID, n.UserID)
			if err != nil {
				return err
			}
			recipients, err := pgx.CollectRows(rows, pgx.RowToStructByPos[recipient])
			if err != nil {
				return err
			}
			for _, rc := range recipients {
				lang, _ := i18n.Parse(rc.Locale)
				args := []any{rc.Name, w.baseURL + n.Link}
				for _, a := range n.Args {
					args = append(args, a)
				}
				if err := Enqueue(ctx, tx, Email{OrgID: n.OrgID, Kind: n.Key, To: rc.Email,
					Subject: i18n.Translate(lang, "email."+n.Key+".subject"),
					Body:    i18n.Translate(lang, "email."+n.Key+".body", args...)}); err != nil {
					return err
				}
			}
			if _, err := tx.Exec(ctx, `UPDATE notifications SET email_status = 'queued' WHERE id = $1`, n.ID); err != nil {
				return err
			}
			handled++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("notify: mail notifications: %w", err)
	}
	return handled, nil
}
