package app

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"pasokan/internal/account"
	"pasokan/internal/notify"
)

// How often each periodic job runs.
const (
	// AssignInterval: a submitted application reaches its curators within
	// seconds, as it did when a loop in each process assigned them.
	AssignInterval = 3 * time.Second
	// PruneInterval: stale throttle counters, devices and expired sessions
	// cost nothing while they wait.
	PruneInterval = 10 * time.Minute
	// SweepInterval: the sweep only finds what escaped the transactional
	// outbox (see notify.Outbox.Sweep).
	SweepInterval = 15 * time.Minute
	// ListingsInterval: reminders at 60 days and lapses at 90 need not be
	// punctual to the minute.
	ListingsInterval = time.Hour
	// OffersInterval: an offer expires within a few minutes of its
	// response deadline (and no answer is taken after it in any case).
	OffersInterval = 5 * time.Minute
)

// OffersArgs is the job that expires offers left unanswered past their
// response deadline (order.Store.Expire).
type OffersArgs struct{}

// Kind names the job in River's table.
func (OffersArgs) Kind() string { return "expire_offers" }

// ListingsArgs is the job that reminds suppliers whose listings went
// unconfirmed for 60 days and takes those of 90 out of the catalogue
// (listing.Store.Sweep).
type ListingsArgs struct{}

// Kind names the job in River's table.
func (ListingsArgs) Kind() string { return "sweep_listings" }

// AssignArgs is the job that gives submitted applications to curator
// organisations by the ministry's rules (curation.Store.AssignPending).
type AssignArgs struct{}

// Kind names the job in River's table.
func (AssignArgs) Kind() string { return "assign_applications" }

// PruneArgs is the job that removes stale login-throttle counters, devices
// and addresses not seen for long, and expired sessions.
type PruneArgs struct{}

// Kind names the job in River's table.
func (PruneArgs) Kind() string { return "prune" }

// assignBatch is how many applications one assignment job assigns at most;
// the next run takes the rest.
const assignBatch = 100

func (a *App) addWorkers(workers *river.Workers) {
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, _ *river.Job[AssignArgs]) error {
		if _, err := a.Curation.AssignPending(ctx, assignBatch); err != nil {
			a.Log.Warn("assigning applications failed", "err", err)
			return err
		}
		return nil
	}))
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, _ *river.Job[ListingsArgs]) error {
		if _, err := a.Listings.Sweep(ctx, time.Now()); err != nil {
			a.Log.Warn("sweeping the listings failed", "err", err)
			return err
		}
		return nil
	}))
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, _ *river.Job[OffersArgs]) error {
		if _, err := a.Orders.Expire(ctx, time.Now()); err != nil {
			a.Log.Warn("expiring offers failed", "err", err)
			return err
		}
		return nil
	}))
	river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, _ *river.Job[PruneArgs]) error {
		if err := a.Throttle.Prune(ctx); err != nil {
			a.Log.Warn("pruning the login throttle failed", "err", err)
			return err
		}
		if err := account.PruneSessions(ctx, a.DB); err != nil {
			a.Log.Warn("pruning sessions failed", "err", err)
			return err
		}
		return nil
	}))
}

// Periodic are the portal's periodic jobs. Only the process elected
// River's leader enqueues them, and each is unique within its period: while
// leadership moves between processes (a deploy, a crash), a period's run is
// still enqueued once. A failed run is not retried: the next period's is
// the retry.
func Periodic() []*river.PeriodicJob {
	every := func(interval time.Duration, args river.JobArgs, runOnStart bool) *river.PeriodicJob {
		return river.NewPeriodicJob(river.PeriodicInterval(interval), func() (river.JobArgs, *river.InsertOpts) {
			return args, &river.InsertOpts{MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByPeriod: interval}}
		}, &river.PeriodicJobOpts{ID: args.Kind(), RunOnStart: runOnStart})
	}
	return []*river.PeriodicJob{
		every(AssignInterval, AssignArgs{}, true),
		every(PruneInterval, PruneArgs{}, false),
		// At start too: e-mails pending from before River carried them get
		// their jobs at the first start.
		every(SweepInterval, notify.SweepArgs{}, true),
		every(ListingsInterval, ListingsArgs{}, false),
		every(OffersInterval, OffersArgs{}, true),
	}
}
