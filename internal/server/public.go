package server

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"pasokan/internal/i18n"
	"pasokan/web/page/help"
	"pasokan/web/page/home"
)

// home is the landing page: the ministry and the programme, the national
// figures of the curated (read from kept counts, a few hundred rows
// whatever the number of suppliers), and the way to help.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	figures, err := s.Accounts.PublicFigures(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := home.View{Figures: figures}
	if a, ok := actorFrom(r.Context()); ok {
		v.LoggedIn, v.Home = true, a.Kind.Home()
	}
	s.render(w, r, http.StatusOK, home.Page(v))
}

// help answers what UMKM owners ask most, with the helpdesk's contacts
// when the deployment has set them.
func (s *Server) help(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, help.Page(help.View{Email: s.HelpdeskEmail, Phone: s.HelpdeskPhone}))
}

// healthz says the process is alive.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("ok\n"))
}

// readyz says the process can serve: the database answers.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.DB.Ping(ctx); err != nil {
		s.Log.Warn("not ready: database does not answer", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unavailable\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

// setLanguage remembers the chosen language in a cookie and, for a logged-in
// person, in their account; then returns to the page they were on.
func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r, "lang", "next")
	if !ok {
		return
	}
	lang, valid := i18n.Parse(f.Value("lang"))
	if !valid {
		s.errorPage(w, r, http.StatusBadRequest, "error.page.400")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(lang), Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.SecureCookies})
	if a, ok := actorFrom(r.Context()); ok {
		if err := s.Accounts.SetLocale(r.Context(), a, lang); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	next := safeNext(f.Value("next"))
	if next == "" {
		if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host {
			next = safeNext(ref.RequestURI())
		}
	}
	http.Redirect(w, r, or(next, "/"), http.StatusSeeOther)
}
