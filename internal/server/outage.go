package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/web/page/errorpage"
)

// unavailableRetryAfter is how long a client is asked to wait when the
// database is away: a restart takes a second or two.
const unavailableRetryAfter = 5 * time.Second

// overloaded answers the errors that mean "try again shortly" rather than
// "something broke": the database restarting or unreachable (503), too many
// passwords being hashed (503), a throttle (429). Each answer carries
// Retry-After and a page that says to try again. It reports whether it
// answered.
func (s *Server) overloaded(w http.ResponseWriter, r *http.Request, err error) bool {
	var throttled *account.ThrottledError
	id := requestIDFrom(r.Context())
	switch {
	case errors.Is(err, account.ErrBusy):
		s.Log.Warn("password hashing at its bound", "request_id", id)
		setRetryAfter(w, account.BusyRetryAfter)
		s.renderError(w, r, errorpage.View{Status: http.StatusServiceUnavailable, Key: "error.page.busy"})
	case database.Unavailable(err):
		s.Log.Warn("database unavailable", "request_id", id, "err", err)
		setRetryAfter(w, unavailableRetryAfter)
		s.renderError(w, r, errorpage.View{Status: http.StatusServiceUnavailable, Key: "error.page.unavailable"})
	case errors.As(err, &throttled):
		minutes := retryAfter(w, throttled.Wait)
		s.renderError(w, r, errorView(http.StatusTooManyRequests, "error.page.429", minutes))
	default:
		return false
	}
	return true
}

func setRetryAfter(w http.ResponseWriter, d time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(int((d+time.Second-1)/time.Second)))
}

// sessionError answers when the session could not be loaded or saved. A
// POST whose handler answered with a redirect has done its work, and its
// transaction has committed, before the session is saved (scs saves it when
// the answer is written): then the answer says that it was done, with the
// message the handler left, and leads on to where the redirect would have.
// A redirect without a message (logging in, switching organisation) changed
// nothing that lasts without the session, so the person is asked to try
// again.
func (s *Server) sessionError(w http.ResponseWriter, r *http.Request, err error) {
	loc := w.Header().Get("Location")
	if r.Method != http.MethodPost || loc == "" {
		s.serverError(w, r, err)
		return
	}
	w.Header().Del("Location")
	v := s.sessions.GetString(r.Context(), keyFlash)
	kind, key, ok := strings.Cut(v, ":")
	if !ok {
		s.serverError(w, r, err)
		return
	}
	s.Log.Warn("session not saved after the request was done", "request_id", requestIDFrom(r.Context()), "err", err)
	key, _, _ = strings.Cut(key, ":")
	title := "error.page.done"
	if kind == "error" {
		title = "error.page.not_done"
	}
	s.renderError(w, r, errorpage.View{Status: http.StatusOK, Key: title, Extra: key, Next: loc})
}
