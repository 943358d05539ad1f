package server

import (
	"errors"
	"net/http"

	"pasokan/internal/account"
	"pasokan/web/component"
	"pasokan/web/page/accountpage"
)

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	s.renderAccount(w, r, http.StatusOK, newForm())
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, f component.Form) {
	a, _ := actorFrom(r.Context())
	s.render(w, r, status, accountpage.Page(accountpage.View{Actor: a, Form: f}))
}

// changePassword replaces the password and ends every other session: this
// one continues under a new token and the new epoch.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		f.Values = map[string]string{}
		s.renderAccount(w, r, http.StatusUnprocessableEntity, f)
	}, "current_password", "new_password")
	if !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	epoch, err := s.Accounts.ChangePassword(ctx, a, f.Value("current_password"), f.Value("new_password"), s.clientAddr(r))
	f.Values = map[string]string{}
	var throttled *account.ThrottledError
	switch {
	case fieldErrors(err, &f):
		s.renderAccount(w, r, http.StatusUnprocessableEntity, f)
		return
	case errors.As(err, &throttled):
		// Repeated wrong passwords: whoever holds this session may not be
		// its owner. End it; the owner logs in again.
		if err := s.sessions.Destroy(ctx); err != nil {
			s.serverError(w, r, err)
			return
		}
		s.flash(ctx, "error", "flash.password_change_throttled")
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.Put(ctx, keyEpoch, epoch)
	s.flash(ctx, "success", "flash.password_changed")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}

// endSessions logs the person out everywhere, here included.
func (s *Server) endSessions(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	if err := s.Accounts.EndSessions(ctx, a); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.sessions.Destroy(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.sessions_ended")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
