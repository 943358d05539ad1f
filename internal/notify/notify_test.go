package notify_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/notify"
)

type recordingMailer struct {
	mu   sync.Mutex
	sent []notify.Email
	fail atomic.Bool
}

func (m *recordingMailer) Send(_ context.Context, e notify.Email) error {
	if m.fail.Load() {
		return errors.New("relay down")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, e)
	return nil
}

func enqueue(t *testing.T, db *database.DB, s database.Scope, n int) {
	t.Helper()
	err := db.Tx(context.Background(), s, func(tx pgx.Tx) error {
		for range n {
			if err := notify.Enqueue(context.Background(), tx, notify.Email{Kind: "test", To: "a@contoh.id", Subject: "Halo", Body: "Isi"}); err != nil {
				return err
			}
		}
		return nil
	})
	dbtest.Must(t, err)
}

func TestOutboxIsDeliveredOnceAndOnlyAfterCommit(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	m := &recordingMailer{}
	log := slog.New(slog.DiscardHandler)

	// A rolled-back change sends nothing.
	_ = db.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		_ = notify.Enqueue(ctx, tx, notify.Email{Kind: "test", To: "x@contoh.id", Subject: "s", Body: "b"})
		return errors.New("the change failed")
	})
	enqueue(t, db.App, database.Auth(), 30)

	// Two workers at once (two processes, say) share the work without
	// sending anything twice.
	w1, w2 := notify.NewWorker(db.App, m, log, "http://pasokan.test"), notify.NewWorker(db.App, m, log, "http://pasokan.test")
	var wg sync.WaitGroup
	for _, w := range []*notify.Worker{w1, w2} {
		wg.Go(func() {
			for {
				n, err := w.DeliverDue(ctx, 4)
				if err != nil {
					t.Error(err)
					return
				}
				if n == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	if len(m.sent) != 30 {
		t.Errorf("sent %d e-mails, want 30", len(m.sent))
	}
	emails, err := notify.NewOutbox(db.App).Recent(ctx, database.System(), 0, 100)
	dbtest.Must(t, err)
	for _, e := range emails {
		if e.Status != "sent" || e.SentAt == nil {
			t.Errorf("e-mail %d: status %s", e.ID, e.Status)
		}
		if e.To == "x@contoh.id" {
			t.Error("the rolled-back e-mail is in the outbox")
		}
	}
}

func TestFailedDeliveryIsRetriedLater(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	m := &recordingMailer{}
	m.fail.Store(true)
	w := notify.NewWorker(db.App, m, slog.New(slog.DiscardHandler), "http://pasokan.test")
	enqueue(t, db.App, database.System(), 1)

	n, err := w.DeliverDue(ctx, 10)
	dbtest.Must(t, err)
	if n != 1 {
		t.Fatalf("handled %d", n)
	}
	emails, _ := notify.NewOutbox(db.App).Recent(ctx, database.System(), 0, 10)
	if e := emails[0]; e.Status != "pending" || e.Attempts != 1 || e.LastError != "relay down" {
		t.Errorf("after a failure: %+v", e)
	}
	// Not due again at once: the retry waits.
	m.fail.Store(false)
	if n, _ := w.DeliverDue(ctx, 10); n != 0 {
		t.Errorf("retried at once")
	}
	// Once due, it goes.
	dbtest.Must(t, db.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE email_outbox SET next_attempt_at = now()`)
		return err
	}))
	if n, _ := w.DeliverDue(ctx, 10); n != 1 || len(m.sent) != 1 {
		t.Errorf("due retry: handled %d, sent %d", n, len(m.sent))
	}
}

func TestTenantsCannotReadTheOutbox(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	enqueue(t, db.App, database.System(), 2)
	emails, err := notify.NewOutbox(db.App).Recent(context.Background(), database.Scope{UserID: 1, OrgID: 1, OrgKind: "supplier"}, 0, 10)
	dbtest.Must(t, err)
	if len(emails) != 0 {
		t.Errorf("a supplier read %d e-mails from the outbox", len(emails))
	}
}
