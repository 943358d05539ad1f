// Package notify carries messages to people: the transactional outbox of
// e-mails and the background worker that delivers them.
package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
)

// Email is one message waiting in the outbox.
type Email struct {
	ID        int64
	OrgID     int64
	Kind      string
	To        string
	Subject   string
	Body      string
	Status    string
	Attempts  int
	LastError string
	CreatedAt time.Time
	SentAt    *time.Time
}

// enqueueSQL returns nothing: tenants may add to the outbox but not read it.
const enqueueSQL = `INSERT INTO email_outbox (organization_id, kind, to_address, subject, body_text)
VALUES (nullif($1, 0), $2, $3, $4, $5)`

// Enqueue puts e in the outbox inside tx: it is sent if and only if the
// change that caused it commits.
func Enqueue(ctx context.Context, tx pgx.Tx, e Email) error {
	if _, err := tx.Exec(ctx, enqueueSQL, e.OrgID, e.Kind, e.To, e.Subject, e.Body); err != nil {
		return fmt.Errorf("notify: enqueue %s: %w", e.Kind, err)
	}
	return nil
}

// Outbox reads the outbox, for the ministry's development mailbox page.
type Outbox struct{ db *database.DB }

// NewOutbox returns an Outbox on db.
func NewOutbox(db *database.DB) *Outbox { return &Outbox{db: db} }

const recentSQL = `SELECT id, coalesce(organization_id, 0), kind, to_address, subject, body_text, status,
       attempts, last_error, created_at, sent_at
  FROM email_outbox
 WHERE ($1::bigint = 0 OR id < $1)
 ORDER BY id DESC
 LIMIT $2`

// Recent lists e-mails newest first, before the id cursor (0 for the newest).
// Row-level security shows them to the ministry and the system only.
func (o *Outbox) Recent(ctx context.Context, s database.Scope, before int64, limit int) ([]Email, error) {
	var out []Email
	err := o.db.ReadTx(ctx, s, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, recentSQL, before, limit)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Email, error) {
			var e Email
			err := r.Scan(&e.ID, &e.OrgID, &e.Kind, &e.To, &e.Subject, &e.Body, &e.Status,
				&e.Attempts, &e.LastError, &e.CreatedAt, &e.SentAt)
			return e, err
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("notify: recent: %w", err)
	}
	return out, nil
}
