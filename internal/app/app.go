// Package app is the portal's composition root: from one database handle it
// builds the stores, the background work (River's client, its workers and
// periodic jobs) and the server's dependencies. `pasokan serve`, the admin
// commands and the test application all call New, so a new store or job is
// wired in one place.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"pasokan/internal/account"
	"pasokan/internal/auditlog"
	"pasokan/internal/curation"
	"pasokan/internal/database"
	"pasokan/internal/figures"
	"pasokan/internal/listing"
	"pasokan/internal/material"
	"pasokan/internal/metrics"
	"pasokan/internal/notify"
	"pasokan/internal/order"
	"pasokan/internal/permit"
	"pasokan/internal/product"
	"pasokan/internal/region"
	"pasokan/internal/server"
	"pasokan/internal/supplier"
	"pasokan/web/static"
)

// Options say how the portal is built. The zero value of each field is the
// stores' and the server's own default.
type Options struct {
	// Log receives what the stores, the server and the background work log;
	// nil discards it.
	Log *slog.Logger
	// BaseURL is the public address, for links in e-mails and on
	// certificates.
	BaseURL string
	// Passwords are the password rules; nil loads them (the common-password
	// list takes a moment: tests share one).
	Passwords *account.Passwords
	// Mailer delivers the outbox's e-mails: the SMTP relay's, or the
	// development mailbox's. Start refuses to run without one.
	Mailer notify.Mailer
	// MaxUploadBytes and UploadQuotaBytes bound one uploaded file and an
	// organisation's documents.
	MaxUploadBytes, UploadQuotaBytes int64
	// SecureCookies, TrustProxy, DevMailbox, Uploads, FiguresTTL and Now are
	// the server's (see server.Deps).
	SecureCookies bool
	TrustProxy    bool
	DevMailbox    bool
	Uploads       *server.Slots
	FiguresTTL    time.Duration
	Now           func() time.Time
	// HelpdeskEmail and HelpdeskPhone are the server's (see server.Deps).
	HelpdeskEmail, HelpdeskPhone string
	// Periodic schedules the periodic jobs (see Periodic). Without it they
	// run only when a job is inserted by hand: tests choose when.
	Periodic bool
	// JobsDB is the pool River fetches and completes jobs through; nil is
	// the stores' own. (A test that records the statements of its pages
	// keeps River's polling out of the recorded pool.)
	JobsDB *database.DB
	// TestOnly starts River's maintenance at once rather than staggered.
	TestOnly bool
}

// App is the wired portal: its stores, its background work, and the
// server's dependencies built from them.
type App struct {
	DB        *database.DB
	Log       *slog.Logger
	Accounts  *account.Store
	Throttle  *account.Throttle
	Regions   *region.Store
	Products  *product.Store
	Suppliers *supplier.Store
	Curation  *curation.Store
	Listings  *listing.Store
	Orders    *order.Store
	Materials *material.Store
	Permits   *permit.Store
	AuditLog  *auditlog.Store
	Metrics   *metrics.Metrics
	Figures   *figures.Store
	Outbox    *notify.Outbox
	// Inbox reads each person's notifications and what they have read.
	Inbox *notify.Inbox
	// Jobs is River's client: once started it works the jobs that requests
	// insert (e-mails, notifications to e-mail) and, in the process elected
	// leader, enqueues the periodic ones.
	Jobs *river.Client[pgx.Tx]
	// Deps are what server.New takes. A caller may change them before (the
	// test application's options do).
	Deps server.Deps

	mailer notify.Mailer
}

// New builds the portal on db. Nothing runs in the background until Start.
func New(db *database.DB, o Options) (*App, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	baseURL := strings.TrimRight(o.BaseURL, "/")
	passwords := o.Passwords
	if passwords == nil {
		var err error
		if passwords, err = account.NewPasswords(); err != nil {
			return nil, fmt.Errorf("app: %w", err)
		}
	}
	assets, err := static.New()
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	a := &App{DB: db, Log: o.Log, mailer: o.Mailer}
	a.Outbox, a.Inbox = notify.NewOutbox(db), notify.NewInbox(db)
	a.Throttle = account.NewThrottle(db)
	a.Accounts = account.NewStore(db, passwords, a.Throttle, a.Outbox, baseURL)
	a.Regions, a.Products = region.NewStore(db), product.NewStore(db)
	a.Suppliers = supplier.NewStore(db, a.Regions, a.Products, a.Outbox, o.Log, baseURL)
	if o.MaxUploadBytes > 0 {
		a.Suppliers.MaxUpload = o.MaxUploadBytes
	}
	if o.UploadQuotaBytes > 0 {
		a.Suppliers.UploadQuota = o.UploadQuotaBytes
	}
	a.Curation = curation.NewStore(db, a.Outbox, o.Log, baseURL)
	a.Listings = listing.NewStore(db, a.Products, a.Outbox)
	a.Orders = order.NewStore(db, a.Products, a.Regions, a.Outbox)
	a.Orders.Now = o.Now
	a.Materials = material.NewStore(db, a.Outbox)
	a.Materials.Now = o.Now
	a.Permits = permit.NewStore(db, a.Products, a.Suppliers, a.Outbox)
	a.Permits.Now = o.Now
	a.Figures = figures.NewStore(db)
	a.Figures.Now = o.Now
	a.AuditLog = auditlog.NewStore(db)
	a.Metrics = metrics.New(db, o.Log)
	if a.Jobs, err = a.newJobs(o, baseURL); err != nil {
		return nil, err
	}
	a.Deps = server.Deps{
		Log: o.Log, DB: db, BaseURL: baseURL,
		Accounts: a.Accounts, Suppliers: a.Suppliers, Regions: a.Regions, Products: a.Products,
		Curation: a.Curation, Listings: a.Listings, Orders: a.Orders, Materials: a.Materials, Permits: a.Permits, Figures: a.Figures, AuditLog: a.AuditLog, Metrics: a.Metrics, Outbox: a.Outbox, Inbox: a.Inbox,
		Assets: assets, SecureCookies: o.SecureCookies, TrustProxy: o.TrustProxy, DevMailbox: o.DevMailbox,
		Uploads: o.Uploads, FiguresTTL: o.FiguresTTL, Now: o.Now,
		HelpdeskEmail: o.HelpdeskEmail, HelpdeskPhone: o.HelpdeskPhone,
	}
	return a, nil
}

// newJobs builds River's client with every worker and, when asked, the
// periodic jobs.
func (a *App) newJobs(o Options, baseURL string) (*river.Client[pgx.Tx], error) {
	jobsDB := o.JobsDB
	if jobsDB == nil {
		jobsDB = a.DB
	}
	workers := river.NewWorkers()
	notify.AddWorkers(workers, a.Outbox, a.mailer, o.Log, baseURL)
	a.addWorkers(workers)
	cfg := &river.Config{
		Schema:  database.RiverSchema,
		Workers: workers,
		Queues: map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: 4},
			notify.EmailQueue:  {MaxWorkers: 4},
		},
		// River's own messages: its job errors are logged by our workers
		// as they see fit, and its routine (elections, starts) is noise.
		Logger: slog.New(warnAndAbove{o.Log.Handler()}),
		// The outbox is the record of e-mails; a finished job is of no
		// use for long (the periodic ones alone leave 1,200 an hour).
		CompletedJobRetentionPeriod: time.Hour,
		// Reindexing takes the tables' owner, which the application role
		// is not: it is the owner's maintenance, not the portal's.
		ReindexerSchedule: river.NeverSchedule(),
		TestOnly:          o.TestOnly,
	}
	if o.Periodic {
		cfg.PeriodicJobs = Periodic()
	}
	client, err := river.NewClient(riverpgxv5.New(jobsDB.Pool), cfg)
	if err != nil {
		return nil, fmt.Errorf("app: River: %w", err)
	}
	return client, nil
}

// Start starts the background work: River works jobs until Stop. ctx
// carries values only; Stop ends the work.
func (a *App) Start(ctx context.Context) error {
	if a.mailer == nil {
		return errors.New("app: no mailer: e-mails could not be delivered")
	}
	if err := a.Jobs.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("app: start River (are its migrations applied? see `pasokan migrate`): %w", err)
	}
	return nil
}

// Stop lets running jobs finish until ctx ends, then cancels them; a job
// cut short runs again later, in whichever process.
func (a *App) Stop(ctx context.Context) error {
	err := a.Jobs.Stop(ctx)
	if err == nil || ctx.Err() == nil {
		return err
	}
	cancelCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	return a.Jobs.StopAndCancel(cancelCtx)
}

// warnAndAbove passes on warnings and errors only.
type warnAndAbove struct{ slog.Handler }

func (h warnAndAbove) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && h.Handler.Enabled(ctx, l)
}

func (h warnAndAbove) WithAttrs(as []slog.Attr) slog.Handler {
	return warnAndAbove{h.Handler.WithAttrs(as)}
}

func (h warnAndAbove) WithGroup(name string) slog.Handler {
	return warnAndAbove{h.Handler.WithGroup(name)}
}
