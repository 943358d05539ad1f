// Package testapp runs the whole portal for tests: a fresh database, the real
// stores, the real server on an httptest listener, River working the jobs
// (e-mails are delivered to the outbox as in development), a log that tests
// can read, and a clock they can move. Only tests import it.
package testapp

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/app"
	"pasokan/internal/curation"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/demo"
	"pasokan/internal/figures"
	"pasokan/internal/listing"
	"pasokan/internal/material"
	"pasokan/internal/notify"
	"pasokan/internal/order"
	"pasokan/internal/permit"
	"pasokan/internal/server"
	"pasokan/internal/supplier"
)

// App is a running portal.
type App struct {
	URL       string
	DB        *dbtest.DB
	Accounts  *account.Store
	Suppliers *supplier.Store
	Curation  *curation.Store
	Listings  *listing.Store
	Orders    *order.Store
	Materials *material.Store
	Permits   *permit.Store
	Figures   *figures.Store
	Server    *server.Server
	// Portal is what app.New built: the stores, the outbox, River's client.
	Portal *app.App
	// Log holds everything the server logged.
	Log *SyncBuffer
	// offset moves the server's clock forward.
	offset atomic.Int64
}

var (
	pwOnce sync.Once
	pw     *account.Passwords
	pwErr  error
)

// Passwords returns the shared password rules (loading the common list once).
func Passwords(t testing.TB) *account.Passwords {
	pwOnce.Do(func() { pw, pwErr = account.NewPasswords() })
	if pwErr != nil {
		t.Fatal(pwErr)
	}
	return pw
}

// Option changes how the portal under test is set up.
type Option func(*setup)

type setup struct {
	tracer      pgx.QueryTracer
	passwords   *account.Passwords
	cluster     *database.Cluster
	uploadQuota int64
	deps        []func(*server.Deps)
}

func withDeps(f func(*server.Deps)) Option {
	return func(s *setup) { s.deps = append(s.deps, f) }
}

// WithoutDevMailbox runs the portal as a deployment with an SMTP relay and
// no development mailbox.
func WithoutDevMailbox() Option { return withDeps(func(d *server.Deps) { d.DevMailbox = false }) }

// WithTrustProxy takes client addresses from X-Forwarded-For, so that a test
// can speak from many addresses.
func WithTrustProxy() Option { return withDeps(func(d *server.Deps) { d.TrustProxy = true }) }

// WithSecureCookies serves as behind TLS: Secure, __Host- cookies.
func WithSecureCookies() Option { return withDeps(func(d *server.Deps) { d.SecureCookies = true }) }

// WithFiguresTTL keeps the ministry dashboard's figures for ttl, as the
// serving portal does (tests otherwise count them on every view).
func WithFiguresTTL(ttl time.Duration) Option {
	return withDeps(func(d *server.Deps) { d.FiguresTTL = ttl })
}

// WithPasswords uses p (with limits of the test's own) instead of the shared
// password rules.
func WithPasswords(p *account.Passwords) Option { return func(s *setup) { s.passwords = p } }

// WithUploadQuota sets each organisation's document storage, in bytes.
func WithUploadQuota(bytes int64) Option { return func(s *setup) { s.uploadQuota = bytes } }

// WithUploadSlots bounds the uploads received at once with slots the test
// holds too.
func WithUploadSlots(slots *server.Slots) Option {
	return withDeps(func(d *server.Deps) { d.Uploads = slots })
}

// WithTracer connects the portal through a pool that tells tr every query.
func WithTracer(tr pgx.QueryTracer) Option { return func(s *setup) { s.tracer = tr } }

// OnCluster puts the test's database on cluster c instead of the shared test
// cluster (a test that restarts Postgres).
func OnCluster(c *database.Cluster) Option { return func(s *setup) { s.cluster = c } }

// New starts the portal on a fresh database, with the demo accounts and one
// generated supplier loaded.
func New(t testing.TB, opts ...Option) *App {
	t.Helper()
	return NewScale(t, 1, opts...)
}

// NewScale starts the portal with the demo story at n suppliers (for
// benchmarks of lists that need volume).
func NewScale(t testing.TB, n int, opts ...Option) *App {
	t.Helper()
	var set setup
	for _, o := range opts {
		o(&set)
	}
	if set.passwords == nil {
		set.passwords = Passwords(t)
	}
	var db *dbtest.DB
	if set.cluster != nil {
		db = dbtest.NewOn(t, set.cluster)
	} else {
		db = dbtest.New(t)
	}
	// River fetches and completes its jobs through the test database's own
	// pool, never a traced one: its polling is no page's statement.
	jobsDB := db.App
	if set.tracer != nil {
		traced, err := database.Open(context.Background(), db.AppURL, database.Options{MaxConns: 8, Tracer: set.tracer})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(traced.Close)
		db = &dbtest.DB{App: traced, Name: db.Name, AppURL: db.AppURL, OwnerURL: db.OwnerURL}
	}
	a := &App{DB: db, Log: &SyncBuffer{}}
	log := slog.New(slog.NewTextHandler(a.Log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	// The named demo accounts and one generated supplier: the whole 2020
	// story would cost every test a few hundred inserts it does not read.
	if _, err := demo.SeedScale(context.Background(), db.App, set.passwords, n); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	a.URL = "http://" + srv.Listener.Addr().String()
	portal, err := app.New(db.App, app.Options{
		Log: log, BaseURL: a.URL, Passwords: set.passwords,
		Mailer:           notify.LocalMailer{Log: log, From: "Pasokan <no-reply@pasokan.test>"},
		UploadQuotaBytes: set.uploadQuota,
		DevMailbox:       true,
		Now:              func() time.Time { return time.Now().Add(time.Duration(a.offset.Load())) },
		// No periodic jobs: a test runs the assignment when it wants it
		// (Assign), and the sweep and the pruning have tests of their own.
		JobsDB:   jobsDB,
		TestOnly: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	a.Portal, a.Accounts, a.Suppliers, a.Curation = portal, portal.Accounts, portal.Suppliers, portal.Curation
	a.Listings, a.Orders, a.Materials, a.Permits = portal.Listings, portal.Orders, portal.Materials, portal.Permits
	a.Figures = portal.Figures
	if err := portal.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Registered after the database's clean-up, so run before it.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := portal.Stop(ctx); err != nil {
			t.Errorf("stopping River: %v", err)
		}
	})
	deps := portal.Deps
	for _, f := range set.deps {
		f(&deps)
	}
	a.Server = server.New(deps)
	srv.Config = server.HTTPServer("", a.Server, log)
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		a.Server.Close()
	})
	return a
}

// Advance moves the server's clock forward by d.
func (a *App) Advance(d time.Duration) { a.offset.Add(int64(d)) }

// Deliver waits until River has worked every job that is due: the
// notifications to e-mail have become e-mails, and the e-mails have been
// delivered to the local outbox.
func (a *App) Deliver(t testing.TB) {
	t.Helper()
	WaitForJobs(t, a.DB.App)
}

// Assign runs the assignment of submitted applications once, as the
// periodic job does every few seconds, through River, and waits for it.
func (a *App) Assign(t testing.TB) {
	t.Helper()
	if _, err := a.Portal.Jobs.Insert(context.Background(), app.AssignArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	WaitForJobs(t, a.DB.App)
}

// dueJobsSQL counts the jobs River has yet to work, now: waiting, running,
// or due for a retry (River's scheduler makes those available within
// seconds). A retry scheduled later is not waited for.
const dueJobsSQL = `SELECT count(*) FROM river.river_job
 WHERE state IN ('available', 'running') OR (state IN ('scheduled', 'retryable') AND scheduled_at <= now())`

// WaitForJobs waits until River (started by the test) has worked every job
// that is due in db, and fails t after 30 seconds. A job that inserts
// others (a notification's e-mails) commits them before it is done, so
// they are waited for too.
func WaitForJobs(t testing.TB, db *database.DB) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var n int
		if err := db.Pool.QueryRow(context.Background(), dueJobsSQL).Scan(&n); err != nil {
			t.Fatalf("waiting for River's jobs: %v", err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("River has %d jobs left to work after 30 s", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Emails returns the outbox, newest first.
func (a *App) Emails(t testing.TB) []notify.Email {
	t.Helper()
	es, err := a.Portal.Outbox.Recent(context.Background(), database.System(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// LinkIn returns the first link to this portal found in the newest e-mail to
// addr of kind.
func (a *App) LinkIn(t testing.TB, addr, kind string) string {
	t.Helper()
	for _, e := range a.Emails(t) {
		if e.To == addr && e.Kind == kind {
			i := strings.Index(e.Body, a.URL)
			if i < 0 {
				t.Fatalf("no link in e-mail %q", e.Body)
			}
			return strings.Fields(e.Body[i:])[0]
		}
	}
	t.Fatalf("no %s e-mail to %s", kind, addr)
	return ""
}

// Client is a browser-like HTTP client with a cookie jar that does not
// follow redirects, so tests see each 303.
type Client struct {
	*http.Client
	app *App
	t   testing.TB
}

// Client returns a new client with an empty cookie jar.
func (a *App) Client(t testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{Client: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, app: a, t: t}
}

// Response is a read response.
type Response struct {
	*http.Response
	Body string
}

// Do sends req and reads the whole body.
func (c *Client) Do(req *http.Request) *Response {
	c.t.Helper()
	resp, err := c.Client.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(resp.Body); err != nil {
		c.t.Fatal(err)
	}
	return &Response{Response: resp, Body: b.String()}
}

// Get fetches path.
func (c *Client) Get(path string) *Response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.app.URL+path, nil)
	return c.Do(req)
}

// Post sends a form to path; extra headers may be given as name, value pairs.
func (c *Client) Post(path string, form url.Values, headers ...string) *Response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.app.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.Do(req)
}

// Login logs in and fails the test unless it is redirected to want.
func (c *Client) Login(email, password, want string) {
	c.t.Helper()
	r := c.Post("/login", url.Values{"email": {email}, "password": {password}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != want {
		c.t.Fatalf("login %s: %d to %q, want 303 to %q\n%s", email, r.StatusCode, r.Header.Get("Location"), want, r.Body)
	}
}

// Cookie returns the value of the named cookie for the app, or "".
func (c *Client) Cookie(name string) string {
	u, _ := url.Parse(c.app.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// SetCookie plants a cookie, as an attacker or an old tab would.
func (c *Client) SetCookie(name, value string) {
	u, _ := url.Parse(c.app.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// SyncBuffer is a bytes.Buffer safe for concurrent writes.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns everything written.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// RegistryLink is a page of the Ministry of Health's register, as a
// curator would record it with a permit's lookup.
const RegistryLink = "https://infoalkes.kemkes.go.id/perusahaan/detail?reg=AKD+21603020123"

// RegistryLinks gives RegistryLink to every item of the checklists that
// asks for the register's page, for a decision made in full.
func RegistryLinks(lists ...curation.Checklist) map[int64]string {
	out := map[int64]string{}
	for _, cl := range lists {
		for _, it := range cl.Items {
			if it.AsksLink {
				out[it.ID] = RegistryLink
			}
		}
	}
	return out
}
