package app_test

import (
	"context"
	"log/slog"
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

// process starts the background work of one portal process on db, with
// the periodic jobs, as `pasokan serve` does.
func process(t *testing.T, db *database.DB) *app.App {
	t.Helper()
	a, err := app.New(db, app.Options{
		Log:      slog.New(slog.DiscardHandler),
		Mailer:   notify.LocalMailer{Log: slog.New(slog.DiscardHandler), From: "no-reply@pasokan.test"},
		BaseURL:  "http://pasokan.test",
		Periodic: true, TestOnly: true, Passwords: testapp.Passwords(t),
	})
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

func jobsOf(t *testing.T, a *app.App, kind string) []*rivertype.JobRow {
	t.Helper()
	res, err := a.Jobs.JobList(context.Background(), river.NewJobListParams().Kinds(kind).First(1000))
	dbtest.Must(t, err)
	return res.Jobs
}

// TestPeriodicJobsRunOnceAcrossProcesses: with two processes on one
// database, the periodic jobs are enqueued once per period (by River's
// leader, unique by period), and run as the application role.
func TestPeriodicJobsRunOnceAcrossProcesses(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	a := process(t, db.App)
	process(t, db.App)

	kind := app.AssignArgs{}.Kind()
	deadline := time.Now().Add(30 * time.Second)
	for {
		done := 0
		for _, j := range jobsOf(t, a, kind) {
			if j.State == rivertype.JobStateCompleted {
				done++
			}
		}
		if done >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d assignment runs completed within 30 s, want 2", done)
		}
		time.Sleep(50 * time.Millisecond)
	}
	for kind, every := range map[string]time.Duration{kind: app.AssignInterval, notify.SweepArgs{}.Kind(): app.SweepInterval} {
		periods := map[time.Time]int{}
		for _, j := range jobsOf(t, a, kind) {
			if j.State != rivertype.JobStateCompleted && j.State != rivertype.JobStateRunning && j.State != rivertype.JobStateAvailable {
				t.Errorf("%s job %d: %s %v", kind, j.ID, j.State, j.Errors)
			}
			periods[j.ScheduledAt.Truncate(every)]++
		}
		for p, n := range periods {
			if n > 1 {
				t.Errorf("%d %s jobs in the period from %s", n, kind, p.Format(time.RFC3339Nano))
			}
		}
		if len(periods) == 0 {
			t.Errorf("no %s job", kind)
		}
	}
}

// TestPruneRemovesExpiredSessions runs the pruning job through River.
func TestPruneRemovesExpiredSessions(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	a := process(t, db.App)
	_, err := db.App.Pool.Exec(ctx, `INSERT INTO sessions (token, data, expiry) VALUES ('old', '', now() - interval '1 minute'), ('live', '', now() + interval '1 hour')`)
	dbtest.Must(t, err)
	_, err = a.Jobs.Insert(ctx, app.PruneArgs{}, nil)
	dbtest.Must(t, err)
	testapp.WaitForJobs(t, db.App)
	rows, err := db.App.Pool.Query(ctx, `SELECT token FROM sessions ORDER BY token`)
	dbtest.Must(t, err)
	left, err := pgx.CollectRows(rows, pgx.RowTo[string])
	dbtest.Must(t, err)
	if len(left) != 1 || left[0] != "live" {
		t.Errorf("sessions left: %v, want the live one", left)
	}
	for _, j := range jobsOf(t, a, app.PruneArgs{}.Kind()) {
		if j.State != rivertype.JobStateCompleted {
			t.Errorf("prune job: %s %v", j.State, j.Errors)
		}
	}
}
