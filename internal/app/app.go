// Package app is the portal's composition root: from one database handle it
// builds the stores, the background work and the server's dependencies.
// `pasokan serve`, the admin commands and the test application all call New,
// so a new store is wired in one place.
package app

import (
	"fmt"
	"log/slog"
	"strings"
	"time"

	"pasokan/internal/account"
	"pasokan/internal/curation"
	"pasokan/internal/database"
	"pasokan/internal/notify"
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
	// development mailbox's.
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
	Outbox    *notify.Outbox
	Worker    *notify.Worker
	// Deps are what server.New takes. A caller may change them before (the
	// test application's options do).
	Deps server.Deps
}

// New builds the portal on db.
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
	a := &App{DB: db, Log: o.Log}
	a.Throttle = account.NewThrottle(db)
	a.Accounts = account.NewStore(db, passwords, a.Throttle, baseURL)
	a.Regions, a.Products = region.NewStore(db), product.NewStore(db)
	a.Suppliers = supplier.NewStore(db, a.Regions, a.Products, o.Log, baseURL)
	if o.MaxUploadBytes > 0 {
		a.Suppliers.MaxUpload = o.MaxUploadBytes
	}
	if o.UploadQuotaBytes > 0 {
		a.Suppliers.UploadQuota = o.UploadQuotaBytes
	}
	a.Curation = curation.NewStore(db, o.Log, baseURL)
	a.Outbox = notify.NewOutbox(db)
	a.Worker = notify.NewWorker(db, o.Mailer, o.Log, baseURL)
	a.Deps = server.Deps{
		Log: o.Log, DB: db, BaseURL: baseURL,
		Accounts: a.Accounts, Suppliers: a.Suppliers, Regions: a.Regions, Products: a.Products,
		Curation: a.Curation, Outbox: a.Outbox, Kick: a.Worker.Kick,
		Assets: assets, SecureCookies: o.SecureCookies, TrustProxy: o.TrustProxy, DevMailbox: o.DevMailbox,
		Uploads: o.Uploads, FiguresTTL: o.FiguresTTL, Now: o.Now,
	}
	return a, nil
}
