// Package notify carries messages to people: in-app notifications, and the
// transactional outbox of e-mails with the River jobs that deliver them.
package notify

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"pasokan/internal/database"
)

// Email is one message of the outbox.
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

// Outbox writes e-mails and notifications together with the jobs that
// deliver them, in the caller's transaction, and reads the outbox for the
// ministry's development mailbox page. The outbox table is the record of
// every e-mail; River's job only carries it there.
type Outbox struct {
	db *database.DB
	// jobs only inserts jobs, into the caller's transaction: the client
	// that works them is the application's (app.New), which needs the
	// stores that need this outbox.
	jobs *river.Client[pgx.Tx]
}

// NewOutbox returns an Outbox on db.
func NewOutbox(db *database.DB) *Outbox {
	jobs, err := river.NewClient(riverpgxv5.New(nil), &river.Config{
		Schema: database.RiverSchema,
		// An insert's failure comes back to the caller as an error.
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		// The configuration is a constant: only a River that changed its
		// rules under it refuses it, and then nothing could be sent.
		panic(fmt.Sprintf("notify: River's insert client: %v", err))
	}
	return &Outbox{db: db, jobs: jobs}
}

// enqueueSQL returns nothing: tenants may add to the outbox but not read it.
const enqueueSQL = `INSERT INTO email_outbox (organization_id, kind, to_address, subject, body_text)
VALUES (nullif($1, 0), $2, $3, $4, $5)`

// insertedEmailSQL is the id the insert before it drew (migration 0012).
const insertedEmailSQL = `SELECT currval(pg_get_serial_sequence('email_outbox', 'id'))`

// Enqueue puts e in the outbox inside tx, with the job that delivers it:
// both are there if and only if the change that caused it commits, and the
// job is worked once it has.
func (o *Outbox) Enqueue(ctx context.Context, tx pgx.Tx, e Email) error {
	var id int64
	b := &pgx.Batch{}
	b.Queue(enqueueSQL, e.OrgID, e.Kind, e.To, e.Subject, e.Body)
	b.Queue(insertedEmailSQL).QueryRow(func(r pgx.Row) error { return r.Scan(&id) })
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("notify: enqueue %s: %w", e.Kind, err)
	}
	if _, err := o.jobs.InsertTx(ctx, tx, EmailArgs{EmailID: id}, nil); err != nil {
		return fmt.Errorf("notify: enqueue %s: job: %w", e.Kind, err)
	}
	return nil
}

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
