package server

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/a-h/templ"

	"pasokan/internal/database"
	"pasokan/internal/validation"
	"pasokan/web/component"
	"pasokan/web/layout"
	"pasokan/web/page/errorpage"
)

// render draws c with status. The page is rendered into a buffer first, so
// that a rendering error becomes a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	ctx := r.Context()
	chrome := layout.ChromeFrom(ctx)
	chrome.Flash = s.popFlash(ctx)
	chrome.Refused = status == http.StatusUnprocessableEntity || status == http.StatusRequestEntityTooLarge
	if chrome.User != nil && chrome.User.Memberships == nil && s.sessions.GetInt(ctx, keyOrgCount) > 1 {
		ms, err := s.Accounts.Memberships(ctx, chrome.User.Actor.UserID)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		chrome.User.Memberships = ms
	}
	buf := pageBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooledPage {
			pageBuffers.Put(buf)
		}
	}()
	if err := c.Render(ctx, buf); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// pageBuffers keeps the buffers pages are drawn into: grown a doubling at a
// time, a fresh one cost each page about twice its size in allocations
// (64 KB for the curators' queue), a third of what a request allocated.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledPage is the largest buffer kept for the next page: a rare huge
// page is not held on to.
const maxPooledPage = 1 << 20

// errorPage draws a friendly error page; key names its messages.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, key string) {
	s.renderError(w, r, errorpage.View{Status: status, Key: key})
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, v errorpage.View) {
	ctx := r.Context()
	var buf bytes.Buffer
	if err := errorpage.Page(v).Render(ctx, &buf); err != nil {
		s.Log.Error("error page failed", "request_id", requestIDFrom(ctx), "err", err)
		http.Error(w, http.StatusText(v.Status), v.Status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(v.Status)
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusNotFound, "error.page.404")
}

func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusMethodNotAllowed, "error.page.405")
}

// serverError logs err and draws the 500 page. The person sees the request
// id to quote, never the error.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	id := requestIDFrom(r.Context())
	if errors.Is(err, context.Canceled) {
		s.Log.Info("request cancelled", "request_id", id)
		return
	}
	if s.overloaded(w, r, err) {
		return
	}
	if errors.Is(err, database.ErrSessionChanged) {
		// The page went on with its session as last read, and it has
		// changed: this answer is dropped, and the request answered again
		// from a fresh read of the session (withHolder).
		return
	}
	s.Log.Error("server error", "request_id", id, "err", err)
	s.renderError(w, r, errorpage.View{Status: http.StatusInternalServerError, Key: "error.page.500",
		Extra: "error.page.request_id", ExtraArgs: []any{id}})
}

// domainError maps the errors of domain packages to pages.
func (s *Server) domainError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, database.ErrNotFound):
		s.notFound(w, r)
	case errors.Is(err, database.ErrForbidden):
		s.errorPage(w, r, http.StatusForbidden, "error.page.403")
	case errors.Is(err, database.ErrStale), errors.Is(err, database.ErrConflict):
		s.errorPage(w, r, http.StatusConflict, "error.page.409")
	case errors.Is(err, database.ErrInvalid):
		// A value the form should have refused: logged, so that the form
		// learns to check it.
		s.Log.Warn("invalid value reached the database", "request_id", requestIDFrom(r.Context()), "err", err)
		s.errorPage(w, r, http.StatusUnprocessableEntity, "error.page.422")
	default:
		s.serverError(w, r, err)
	}
}

// fieldErrors reports whether err carries field errors and, if so, puts them
// in f.
func fieldErrors(err error, f *component.Form) bool {
	var verrs validation.Errors
	if errors.As(err, &verrs) {
		f.Errors = verrs
		return true
	}
	return false
}

// retryAfter sets Retry-After to d rounded up to whole seconds and returns
// the wait in minutes, rounded up, for the message.
func retryAfter(w http.ResponseWriter, d time.Duration) int {
	secs := int((d + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return (secs + 59) / 60
}

func newForm() component.Form { return component.NewForm() }

func errorView(status int, key string, args ...any) errorpage.View {
	return errorpage.View{Status: status, Key: key, Extra: key + ".detail", ExtraArgs: args}
}
