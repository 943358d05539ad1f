// Package server answers HTTP requests: the route table (the site map),
// middleware, one file of handlers per feature, and forms. It calls the
// domain packages and renders the views of package web.
package server

import (
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"
	lru "github.com/hashicorp/golang-lru/v2"

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
	"pasokan/internal/supplier"
	curpage "pasokan/web/page/curation"
	"pasokan/web/static"
)

// Session limits: an idle session ends after IdleTimeout, any session
// AbsoluteTimeout after login. Activity is recorded at most every
// ActivityResolution, so that reading a page does not write the session.
const (
	IdleTimeout        = 30 * time.Minute
	AbsoluteTimeout    = 12 * time.Hour
	ActivityResolution = time.Minute
)

// Deps are what the server is built from.
type Deps struct {
	Log       *slog.Logger
	DB        *database.DB
	Accounts  *account.Store
	Suppliers *supplier.Store
	Regions   *region.Store
	Products  *product.Store
	Curation  *curation.Store
	Listings  *listing.Store
	Orders    *order.Store
	Materials *material.Store
	Permits   *permit.Store
	Figures   *figures.Store
	AuditLog  *auditlog.Store
	Inbox     *notify.Inbox
	// Metrics, when set, counts every request (issue 13).
	Metrics *metrics.Metrics
	// BaseURL is the public address, for links printed on certificates.
	BaseURL       string
	Outbox        *notify.Outbox
	Assets        *static.Assets
	SecureCookies bool
	TrustProxy    bool
	// DevMailbox shows the outbox to ministry admins (no SMTP relay).
	DevMailbox bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Uploads bounds the uploads received at once; nil means 4 slots with
	// UploadWait.
	Uploads *Slots
	// FiguresTTL is how long the ministry dashboard's figures are kept
	// once read; zero reads them on every view.
	FiguresTTL time.Duration
	// HelpdeskEmail and HelpdeskPhone (+62…, WhatsApp) are shown on /help;
	// either may be empty (config.Config's).
	HelpdeskEmail, HelpdeskPhone string
}

// Server is the HTTP side of the portal.
type Server struct {
	Deps
	sessions *scs.SessionManager
	handler  http.Handler
	// qrs keeps the certificates' QR images (they depend on the code only).
	qrs *lru.Cache[string, qr]
	// placesDrawn keeps the province and regency choices, drawn once.
	placesDrawn atomic.Pointer[placeOptions]
	// figures keeps the ministry dashboard's figures (Deps.FiguresTTL).
	figures atomic.Pointer[nationalFigures]
	// searches keeps the catalogue's and the directory's rendered searches
	// (catalog.go, keptSearch).
	searches *lru.Cache[searchKey, string]
	// checklists keeps the review page's checklists drawn blank.
	checklists curpage.DrawnChecklists
}

// New builds the server and its route table.
func New(d Deps) *Server {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Uploads == nil {
		d.Uploads = NewSlots(4, UploadWait)
	}
	s := &Server{Deps: d}
	s.qrs, _ = lru.New[string, qr](qrCacheSize) // fails only for a size <= 0
	s.searches, _ = lru.New[searchKey, string](keptSearches)
	// Our own store reads each session's holder in the same round trip
	// (account.SessionStore); expired sessions are pruned by a periodic job
	// (account.PruneSessions).
	sm := scs.New()
	sm.Store = account.NewSessionStore(d.DB, sessionHolder)
	sm.Lifetime = AbsoluteTimeout
	// No scs IdleTimeout: it rewrites the session on every request (measured
	// here: 4-5x slower pages). The idle limit is enforced in loadActor.
	sm.IdleTimeout = 0
	// The store keeps a hash of each token: a leaked sessions table opens
	// no session.
	sm.HashTokenInStore = true
	sm.Codec = sessionCodec{}
	sm.Cookie.Name = s.cookieName(sessionCookie)
	// A browser session cookie: it ends when the browser closes (shared
	// phones, internet cafés); the server's idle and absolute limits still
	// apply while it is open.
	sm.Cookie.Persist = false
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = d.SecureCookies
	sm.Cookie.Path = "/"
	sm.ErrorFunc = s.sessionError
	s.sessions = sm
	s.handler = s.routes()
	return s
}

// ServeHTTP answers a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Close releases what the server holds. Nothing runs in the background.
func (s *Server) Close() {}

// HTTPServer wraps h in an http.Server with timeouts fit for phones on slow
// connections and for slowloris alike.
func HTTPServer(addr string, h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}
