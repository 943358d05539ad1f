package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/i18n"
	"pasokan/internal/listing"
	"pasokan/web/layout"
)

// Session keys. The session holds who is logged in, for which organisation,
// since when, and the account's session epoch at login: raising the epoch in
// the database (password change, logout everywhere, disabling) ends every
// session made before.
const (
	keyUserID   = "user_id"
	keyOrgID    = "org_id"
	keyEpoch    = "epoch"
	keyLoginAt  = "login_at"
	keySeenAt   = "seen_at"
	keyOrgCount = "org_count"
	keyFlash    = "flash"
)

type actorKey struct{}

// actorFrom returns the logged-in actor of the request, if any.
func actorFrom(ctx context.Context) (account.Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(account.Actor)
	return a, ok
}

// withHolder gives the request a place for the session store to put the
// session's holder, read in the same round trip as the session. A request
// that reads (GET, HEAD) goes on with the session as this process last read
// it, if it has, and reads it again with the page's first read
// (database.SessionCheck): its answer is held until that check has passed,
// and given afresh from a new read of the session if it fails.
func (s *Server) withHolder(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, h := account.WithHolder(r.Context())
		// The catalogue's searches read the catalogue's generation (to
		// serve a page kept, listing.Search): with a session, in its
		// round trip.
		if r.Method == http.MethodGet && (r.URL.Path == "/catalog" || r.URL.Path == "/directory") {
			g := &listing.Generation{}
			h.Also = func(b *pgx.Batch) { listing.QueueGeneration(b, g) }
			ctx = listing.WithGeneration(ctx, g)
		}
		if h.Also != nil {
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		reads := r.Method == http.MethodGet || r.Method == http.MethodHead
		ctx, check := database.WithSessionCheck(ctx, reads)
		if !reads {
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		// The held header starts as the response's, and replaces it when
		// released: what the page sets, adds or deletes acts as it would.
		hw := &heldWriter{w: w, check: check, header: w.Header().Clone()}
		next.ServeHTTP(hw, r.WithContext(ctx))
		if !check.Armed() {
			hw.release()
			return
		}
		// The page read nothing from the primary: check the session now.
		err := s.DB.SettleSessionCheck(ctx)
		if err == nil && check.Passed() {
			hw.release()
			return
		}
		if err != nil && !errors.Is(err, database.ErrSessionChanged) {
			s.Log.Warn("session check failed; reading the session afresh", "err", err)
		}
		// The session or its holder changed: what the page did is dropped,
		// and it is answered again from a fresh read of the session (with a
		// check that only hears of writes: opening the notifications, say,
		// changes the unread count the session was just read with).
		ctx, _ = account.WithHolder(r.Context())
		ctx, _ = database.WithSessionCheck(ctx, false)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// heldWriter holds a response until the request's session check has passed
// (then writes it, and the rest straight through) or failed (drops it). A
// request whose session was read (no check armed: the session store arms
// it before the page writes anything) goes straight through.
type heldWriter struct {
	w       http.ResponseWriter
	check   *database.SessionCheck
	header  http.Header
	status  int
	body    bytes.Buffer
	through bool
}

func (hw *heldWriter) Header() http.Header {
	if hw.through {
		return hw.w.Header()
	}
	return hw.header
}

func (hw *heldWriter) WriteHeader(code int) {
	if !hw.through && hw.check.Clear() {
		hw.release()
	}
	if hw.through {
		hw.w.WriteHeader(code)
		return
	}
	if hw.status == 0 {
		hw.status = code
	}
}

func (hw *heldWriter) Write(p []byte) (int, error) {
	if !hw.through && hw.check.Clear() {
		hw.release()
	}
	if hw.through {
		return hw.w.Write(p)
	}
	if hw.status == 0 {
		hw.status = http.StatusOK
	}
	return hw.body.Write(p)
}

// release writes what is held and lets the rest through.
func (hw *heldWriter) release() {
	if hw.through {
		return
	}
	hw.through = true
	dst := hw.w.Header()
	for k := range dst {
		if _, ok := hw.header[k]; !ok {
			delete(dst, k)
		}
	}
	for k, v := range hw.header {
		dst[k] = v
	}
	if hw.status != 0 {
		hw.w.WriteHeader(hw.status)
	}
	if hw.body.Len() > 0 {
		hw.w.Write(hw.body.Bytes())
	}
}

// loadActor reads the session, ends it when it is idle too long, older than
// the absolute limit, or from an older epoch, and puts the actor in the
// context. Activity is written at most once per ActivityResolution.
func (s *Server) loadActor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		userID := s.sessions.GetInt64(ctx, keyUserID)
		if userID == 0 {
			next.ServeHTTP(w, r)
			return
		}
		now := s.Now().Unix()
		loginAt, seenAt := s.sessions.GetInt64(ctx, keyLoginAt), s.sessions.GetInt64(ctx, keySeenAt)
		if now-loginAt > int64(AbsoluteTimeout.Seconds()) || now-seenAt > int64(IdleTimeout.Seconds()) {
			s.endSession(w, r, "flash.session_expired", next)
			return
		}
		orgID := s.sessions.GetInt64(ctx, keyOrgID)
		var actor account.Actor
		var err error
		if h := account.HolderFrom(ctx); h != nil && h.UserID == userID && h.OrgID == orgID {
			// Read with the session (account.SessionStore).
			switch {
			case !h.Found:
				err = database.ErrNotFound
			case h.Disabled:
				err = account.ErrDisabled
			default:
				actor = h.Actor
			}
		} else {
			// A session written before its holder was kept beside it.
			actor, err = s.Accounts.LoadActor(ctx, userID, orgID)
		}
		switch {
		case errors.Is(err, database.ErrNotFound), errors.Is(err, account.ErrDisabled):
			// No longer a member there, or disabled: the session is over.
			s.endSession(w, r, "flash.session_ended", next)
			return
		case err != nil:
			s.serverError(w, r, err)
			return
		}
		if actor.SessionEpoch != s.sessions.GetInt(ctx, keyEpoch) {
			s.endSession(w, r, "flash.session_ended", next)
			return
		}
		if now-seenAt >= int64(ActivityResolution.Seconds()) {
			s.sessions.Put(ctx, keySeenAt, now)
		}
		setLogActor(ctx, actor.UserID, actor.OrgID)
		ctx = context.WithValue(ctx, actorKey{}, actor)
		if _, err := r.Cookie(langCookie); err != nil {
			if l, ok := i18n.Parse(actor.Locale); ok {
				ctx = i18n.WithLang(ctx, l)
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// endSession destroys the session and goes on as for a visitor: a public
// page shows, a private one sends to the login page, with flashKey telling why.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request, flashKey string, next http.Handler) {
	ctx := r.Context()
	if err := s.sessions.Destroy(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.flash(ctx, "info", flashKey)
	next.ServeHTTP(w, r)
}

// loginURL is the login page, returning to the current page afterwards when
// that was a page (GET).
func loginURL(r *http.Request) string {
	if r.Method != http.MethodGet || r.URL.Path == "/login" {
		return "/login"
	}
	return "/login?next=" + url.QueryEscape(r.URL.RequestURI())
}

// chrome puts the page frame's request-wide data in the context.
func (s *Server) chrome(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &layout.Chrome{Path: r.URL.Path, DevMailbox: s.DevMailbox}
		if a, ok := actorFrom(r.Context()); ok {
			c.User = &layout.User{Name: a.UserName, Actor: a}
			if h := account.HolderFrom(r.Context()); h != nil && h.Found && h.Actor == a {
				c.User.Memberships = h.Memberships
				// Read with the session: a session without its holder shows
				// no count rather than pay a round trip for it.
				c.Unread = h.UnreadNotifications
			}
		}
		next.ServeHTTP(w, r.WithContext(layout.WithChrome(r.Context(), c)))
	})
}

// requireLogin sends visitors to the login page.
func (s *Server) requireLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := actorFrom(r.Context()); !ok {
			if !s.sessions.Exists(r.Context(), keyFlash) {
				s.flash(r.Context(), "info", "flash.login_required")
			}
			http.Redirect(w, r, loginURL(r), http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireKind lets through members acting for an organisation of kind.
// Others get 404, as for another tenant's record: the pages of other kinds
// name records (/curation/applications/{id}), and an id must not be an
// oracle.
func (s *Server) requireKind(kind account.Kind) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return s.requireLogin(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if a, _ := actorFrom(r.Context()); a.Kind != kind {
				s.notFound(w, r)
				return
			}
			next.ServeHTTP(w, r)
		}))
	}
}

// requireMinistryAdmin lets through owners and admins of a ministry
// organisation.
func (s *Server) requireMinistryAdmin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a, _ := actorFrom(r.Context()); !a.IsMinistryAdmin() {
			s.notFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// startSession logs u in, acting for org, under a new session token: a
// token from before login (planted by someone else, say) is dead after it.
func (s *Server) startSession(ctx context.Context, u account.User, orgID int64, orgCount int) error {
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	now := s.Now().Unix()
	s.sessions.Put(ctx, keyUserID, u.ID)
	s.sessions.Put(ctx, keyOrgID, orgID)
	s.sessions.Put(ctx, keyEpoch, u.SessionEpoch)
	s.sessions.Put(ctx, keyLoginAt, now)
	s.sessions.Put(ctx, keySeenAt, now)
	s.sessions.Put(ctx, keyOrgCount, orgCount)
	return nil
}

// flash leaves a one-time message (an i18n key) for the next page.
func (s *Server) flash(ctx context.Context, kind, key string) {
	s.sessions.Put(ctx, keyFlash, kind+":"+key)
}

// flashN leaves a one-time message with a number in it.
func (s *Server) flashN(ctx context.Context, kind, key string, n int) {
	s.sessions.Put(ctx, keyFlash, kind+":"+key+":"+strconv.Itoa(n))
}

// popFlash takes the waiting message, if any. Only pages that show it call
// this, so a visitor without a message writes no session.
func (s *Server) popFlash(ctx context.Context) *layout.Flash {
	if !s.sessions.Exists(ctx, keyFlash) {
		return nil
	}
	v := s.sessions.PopString(ctx, keyFlash)
	kind, key, ok := strings.Cut(v, ":")
	if !ok {
		return nil
	}
	f := &layout.Flash{Kind: kind, Key: key}
	if k, n, ok := strings.Cut(key, ":"); ok {
		f.Key = k
		if x, err := strconv.Atoi(n); err == nil {
			f.Args = []any{x}
		}
	}
	return f
}

// safeNext returns next when it is a path on this site, else "". It checks
// what will be sent, not what was given: http.Redirect cleans a path
// ("/./\evil" becomes "/\evil", which browsers read as another host), so
// the path is cleaned here first and the cleaned value is returned. Backslashes
// (browsers treat them as slashes), control characters (browsers drop tabs
// and newlines, joining "/\t/evil" into "//evil"), invalid UTF-8 and anything
// with a scheme, a host or user information are refused.
func safeNext(next string) string {
	if next == "" || len(next) > 2048 || !strings.HasPrefix(next, "/") || !utf8.ValidString(next) || unsafeInURL(next) {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || unsafeInURL(u.Path) || unsafeInURL(u.Fragment) {
		return ""
	}
	clean := path.Clean(u.Path)
	if strings.HasSuffix(u.Path, "/") && clean != "/" {
		clean += "/"
	}
	out := (&url.URL{Path: clean, RawQuery: u.RawQuery, Fragment: u.Fragment}).String()
	// What is sent must read as a path on this site to a browser too.
	if !strings.HasPrefix(out, "/") || strings.HasPrefix(out, "//") || unsafeInURL(out) {
		return ""
	}
	return out
}

// unsafeInURL reports whether s holds a backslash or a control character.
func unsafeInURL(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r == '\\' || unicode.IsControl(r) || r == utf8.RuneError })
}

// Cookie names. Served over TLS they carry the __Host- prefix: the browser
// then accepts them only when Secure, for this host alone, on path /, so a
// sibling domain or a plain-HTTP page cannot plant or overwrite them.
const (
	sessionCookie = "pasokan_session"
	deviceCookie  = "pasokan_device"
)

func (s *Server) cookieName(base string) string {
	if s.SecureCookies {
		return "__Host-" + base
	}
	return base
}

// deviceTokenLen is the length of a device token: 32 random bytes, base64url.
const deviceTokenLen = 43

// deviceToken returns the browser's device token, or a new one (isNew) to
// set with setDeviceCookie after a successful login. The token is no
// credential: it only lets the login throttle tell the owner's browser from
// a stranger's (account.Attempt).
func (s *Server) deviceToken(r *http.Request) (token string, isNew bool) {
	if c, err := r.Cookie(s.cookieName(deviceCookie)); err == nil && len(c.Value) == deviceTokenLen &&
		!strings.ContainsFunc(c.Value, func(r rune) bool {
			return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_')
		}) {
		return c.Value, false
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b), true
}

// setDeviceCookie remembers the device for a year.
func (s *Server) setDeviceCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(deviceCookie), Value: token, Path: "/",
		MaxAge: 365 * 24 * 3600, HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
}
