package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"pasokan/internal/account"
	"pasokan/internal/app"
	"pasokan/internal/config"
	"pasokan/internal/demo"
	"pasokan/internal/notify"
	"pasokan/internal/server"
)

// serve runs the portal until ctx ends (SIGINT, SIGTERM), then drains
// in-flight requests, stops the background work (River) and stops the
// private cluster.
func serve(ctx context.Context, cfg config.Config, log *slog.Logger, stdout io.Writer) error {
	start := time.Now()
	tuneGC(os.Getenv)
	// Before the database: a portal that would lose its e-mails does not start.
	mailer, err := newMailer(cfg, log)
	if err != nil {
		return err
	}
	c, err := connect(ctx, cfg, log)
	defer c.close(ctx, log)
	if err != nil {
		return err
	}
	passwords, err := account.NewPasswords()
	if err != nil {
		return err
	}
	if cfg.Seed {
		if seeded, err := demo.Seed(ctx, c.app, passwords); errors.Is(err, demo.ErrOtherUsers) {
			log.Info("demo data not loaded: the database holds real users")
		} else if err != nil {
			return err
		} else {
			if seeded {
				if err := analyze(ctx, c); err != nil {
					return err
				}
			}
			printDemoAccounts(stdout)
		}
	}
	a, err := app.New(c.app, app.Options{
		Log: log, BaseURL: cfg.BaseURL, Passwords: passwords, Mailer: mailer,
		MaxUploadBytes: cfg.MaxUploadBytes, UploadQuotaBytes: cfg.UploadQuotaBytes,
		SecureCookies: cfg.SecureCookies, TrustProxy: cfg.TrustProxy, DevMailbox: cfg.DevMailbox,
		Uploads:       server.NewSlots(cfg.UploadSlots, server.UploadWait),
		FiguresTTL:    server.FiguresTTL,
		HelpdeskEmail: cfg.HelpdeskEmail,
		HelpdeskPhone: cfg.HelpdeskPhone,
		Periodic:      true,
	})
	if err != nil {
		return err
	}
	srv := server.New(a.Deps)
	defer srv.Close()

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (set PASOKAN_ADDR to use another address)", cfg.Addr, err)
	}
	httpSrv := server.HTTPServer(cfg.Addr, srv, log)
	if err := a.Start(ctx); err != nil {
		ln.Close()
		return err
	}
	stopWork := func() {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
		defer cancel()
		if err := a.Stop(stopCtx); err != nil {
			log.Warn("stopping the background work", "err", err)
		}
	}

	errc := make(chan error, 2)
	go func() { errc <- httpSrv.Serve(ln) }()
	// The metrics, on an address of their own (issue 13).
	var metricsSrv *http.Server
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			stopWork()
			return fmt.Errorf("listen on %s: %w (PASOKAN_METRICS_ADDR)", cfg.MetricsAddr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", a.Metrics.Handler())
		metricsSrv = server.HTTPServer(cfg.MetricsAddr, mux, log)
		go func() { errc <- metricsSrv.Serve(mln) }()
		log.Info("metrics are served", "addr", mln.Addr().String(), "path", "/metrics")
	}
	log.Info("Pasokan is serving", "url", cfg.BaseURL, "addr", ln.Addr().String(), "startup", time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stdout, "Pasokan: %s (Ctrl-C to stop)\n", cfg.BaseURL)

	select {
	case err := <-errc:
		stopWork()
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: draining in-flight requests", "timeout", cfg.ShutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	err = httpSrv.Shutdown(shutdownCtx)
	if metricsSrv != nil {
		_ = metricsSrv.Shutdown(shutdownCtx)
	}
	// Requests may have inserted jobs until now; what is left when the
	// work stops waits for this or another process.
	stopWork()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("server stopped")
	return nil
}

// newMailer returns the relay's mailer, or with no relay the development
// mailbox's, when the configuration chose it (config.CheckMail).
func newMailer(cfg config.Config, log *slog.Logger) (notify.Mailer, error) {
	if err := cfg.CheckMail(); err != nil {
		return nil, err
	}
	if cfg.DevMailbox && cfg.DatabaseURL != "" {
		log.Warn("the development mailbox is on: ministry admins can read every e-mail, one-time links included, at /admin/outbox",
			"setting", "PASOKAN_DEV_MAILBOX")
	}
	if cfg.SMTPAddr == "" {
		log.Info("e-mails are not sent out: they stay in the development mailbox at /admin/outbox")
		return notify.LocalMailer{Log: log, From: cfg.SMTPFrom}, nil
	}
	return notify.NewSMTPMailer(notify.SMTP{Addr: cfg.SMTPAddr, From: cfg.SMTPFrom,
		Username: cfg.SMTPUsername, Password: cfg.SMTPPassword, TLS: cfg.SMTPTLS})
}

// Unless the operator sets GOGC or GOMEMLIMIT, the server collects garbage
// when the heap has grown to five times what is live (Go's default is
// twice), under a soft limit of 512 MiB that makes the collector work harder
// as the heap nears it. A page allocates about 100 KB and little stays
// live, so at the default the collector ran every few dozen requests: at
// 200,000 suppliers it took the curators' queue from 0.40 to 0.65 ms of
// server CPU per request (make loadtest, same sitting).
const (
	gcPercent   = 400
	memoryLimit = 512 << 20
)

func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}
