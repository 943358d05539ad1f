package notify_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"pasokan/internal/app"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/notify"
	"pasokan/internal/testapp"
)

// recordingMailer keeps what it sends; it fails the first failFirst sends.
type recordingMailer struct {
	mu        sync.Mutex
	sent      []notify.Email
	failFirst atomic.Int32
}

func (m *recordingMailer) Send(_ context.Context, e notify.Email) error {
	if m.failFirst.Add(-1) >= 0 {
		return errors.New("relay down")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, e)
	return nil
}

func (m *recordingMailer) messages() []notify.Email {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]notify.Email(nil), m.sent...)
}

// startPortal starts the background work of a portal process on db, as
// `pasokan serve` does (River, its workers), delivering through m; it stops
// when the test ends.
func startPortal(t *testing.T, db *database.DB, m notify.Mailer) *app.App {
	t.Helper()
	a, err := app.New(db, app.Options{Mailer: m, Passwords: testapp.Passwords(t), BaseURL: "http://pasokan.test", TestOnly: true})
	dbtest.Must(t, err)
	dbtest.Must(t, a.Start(context.Background()))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := a.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return a
}

func enqueue(t *testing.T, db *database.DB, s database.Scope, n int) {
	t.Helper()
	outbox := notify.NewOutbox(db)
	err := db.Tx(context.Background(), s, func(tx pgx.Tx) error {
		for range n {
			if err := outbox.Enqueue(context.Background(), tx, notify.Email{OrgID: s.OrgID, Kind: "test", To: "a@contoh.id", Subject: "Halo", Body: "Isi"}); err != nil {
				return err
			}
		}
		return nil
	})
	dbtest.Must(t, err)
}

// emailJobs lists the e-mail delivery jobs in River's table.
func emailJobs(t *testing.T, a *app.App) []*rivertype.JobRow {
	t.Helper()
	res, err := a.Jobs.JobList(context.Background(), river.NewJobListParams().Kinds(notify.EmailArgs{}.Kind()).First(1000))
	dbtest.Must(t, err)
	return res.Jobs
}

// TestOutboxIsDeliveredOnceAndOnlyAfterCommit: an e-mail and its job are
// written with the change that causes them, by a tenant, before login or
// by the portal; two processes working the jobs at once send each e-mail
// once, and a rolled-back change sends nothing.
func TestOutboxIsDeliveredOnceAndOnlyAfterCommit(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	m := &recordingMailer{}
	first := startPortal(t, db.App, m)
	startPortal(t, db.App, m)

	// A rolled-back change sends nothing.
	outbox := notify.NewOutbox(db.App)
	_ = db.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		_ = outbox.Enqueue(ctx, tx, notify.Email{Kind: "test", To: "x@contoh.id", Subject: "s", Body: "b"})
		return errors.New("the change failed")
	})
	// A tenant may add to the outbox without reading it: its e-mails get
	// their jobs all the same.
	enqueue(t, db.App, database.Scope{UserID: 1, OrgID: 1, OrgKind: "supplier"}, 10)
	enqueue(t, db.App, database.Auth(), 10)
	enqueue(t, db.App, database.System(), 10)
	testapp.WaitForJobs(t, db.App)

	sent := map[int64]int{}
	for _, e := range m.messages() {
		sent[e.ID]++
	}
	if len(m.messages()) != 30 || len(sent) != 30 {
		t.Errorf("sent %d e-mails (%d different), want 30 once each", len(m.messages()), len(sent))
	}
	emails, err := outbox.Recent(ctx, database.System(), 0, 100)
	dbtest.Must(t, err)
	if len(emails) != 30 {
		t.Errorf("%d e-mails in the outbox, want 30", len(emails))
	}
	for _, e := range emails {
		if e.Status != "sent" || e.SentAt == nil || e.Attempts != 1 || sent[e.ID] != 1 {
			t.Errorf("e-mail %d: %s after %d attempts, sent %d times", e.ID, e.Status, e.Attempts, sent[e.ID])
		}
		if e.To == "x@contoh.id" {
			t.Error("the rolled-back e-mail is in the outbox")
		}
	}
	jobs := emailJobs(t, first)
	if len(jobs) != 30 {
		t.Errorf("%d delivery jobs, want 30 (none for the rolled-back e-mail)", len(jobs))
	}
	for _, j := range jobs {
		if j.State != rivertype.JobStateCompleted || j.Queue != notify.EmailQueue {
			t.Errorf("job %d: %s on %q", j.ID, j.State, j.Queue)
		}
	}
}

// TestFailedDeliveryIsRetriedLater: a failure is recorded in the outbox and
// River tries again after its backoff; the retry delivers once.
func TestFailedDeliveryIsRetriedLater(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	m := &recordingMailer{}
	m.failFirst.Store(1)
	a := startPortal(t, db.App, m)
	enqueue(t, db.App, database.System(), 1)

	// The failure is recorded before the retry.
	deadline := time.Now().Add(30 * time.Second)
	for {
		emails, err := a.Outbox.Recent(ctx, database.System(), 0, 10)
		dbtest.Must(t, err)
		if e := emails[0]; e.Attempts > 0 {
			if e.Status == "pending" && (e.Attempts != 1 || e.LastError != "relay down") {
				t.Errorf("after a failure: %+v", e)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no attempt within 30 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	testapp.WaitForJobs(t, db.App)

	emails, err := a.Outbox.Recent(ctx, database.System(), 0, 10)
	dbtest.Must(t, err)
	if e := emails[0]; e.Status != "sent" || e.Attempts != 2 || e.LastError != "" {
		t.Errorf("after the retry: %+v", e)
	}
	if n := len(m.messages()); n != 1 {
		t.Errorf("sent %d times", n)
	}
	jobs := emailJobs(t, a)
	if len(jobs) != 1 {
		t.Fatalf("%d jobs", len(jobs))
	}
	j := jobs[0]
	if j.State != rivertype.JobStateCompleted || j.Attempt != 2 || len(j.Errors) != 1 || j.Errors[0].Error != "relay down" {
		t.Fatalf("the job: %s after %d attempts, errors %+v", j.State, j.Attempt, j.Errors)
	}
	// Not at once: River's backoff (a second, then 16, 81...).
	if wait := j.ScheduledAt.Sub(j.Errors[0].At); wait < 500*time.Millisecond {
		t.Errorf("retried %s after the failure", wait)
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

// TestSweepGivesJobsToWhatHasNone: e-mails and notifications pending
// without a job (written before River carried them, or whose job was
// removed) get one, once; those with a job are not doubled.
func TestSweepGivesJobsToWhatHasNone(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	outbox := notify.NewOutbox(db.App)
	enqueue(t, db.App, database.System(), 1) // with its job
	// Written as before River: no job.
	dbtest.Must(t, db.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		for _, q := range []string{
			`INSERT INTO email_outbox (kind, to_address, subject, body_text) VALUES ('test', 'lama@contoh.id', 'Halo', 'Isi')`,
			`INSERT INTO organizations (kind, name, slug) VALUES ('supplier', 'Usaha Lama', 'usaha-lama')`,
			`INSERT INTO users (email, name, password_hash, locale) VALUES ('pemilik@contoh.id', 'Pemilik', 'x', 'en')`,
			`INSERT INTO memberships (organization_id, user_id, role)
			 SELECT o.id, u.id, 'owner' FROM organizations o, users u WHERE o.slug = 'usaha-lama'`,
			`INSERT INTO notifications (organization_id, key, link, email_status)
			 SELECT id, 'application_submitted', '/supplier/application', 'pending' FROM organizations WHERE slug = 'usaha-lama'`,
		} {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		return nil
	}))
	given, err := outbox.Sweep(ctx)
	dbtest.Must(t, err)
	if given != 2 {
		t.Errorf("the sweep gave %d jobs, want 2 (the e-mail and the notification without one)", given)
	}
	if given, err := outbox.Sweep(ctx); err != nil || given != 0 {
		t.Errorf("a second sweep gave %d jobs (%v), want 0", given, err)
	}
	m := &recordingMailer{}
	startPortal(t, db.App, m)
	testapp.WaitForJobs(t, db.App)
	to := map[string]int{}
	for _, e := range m.messages() {
		to[e.To]++
	}
	if len(m.messages()) != 3 || to["a@contoh.id"] != 1 || to["lama@contoh.id"] != 1 || to["pemilik@contoh.id"] != 1 {
		t.Errorf("sent to %v, want each of the three once", to)
	}
	if given, err := outbox.Sweep(ctx); err != nil || given != 0 {
		t.Errorf("a sweep after delivery gave %d jobs (%v), want 0", given, err)
	}
}
