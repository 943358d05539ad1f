package server

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"pasokan/internal/account"
	"pasokan/internal/i18n"
	"pasokan/web/component"
	"pasokan/web/page/auth"
	"pasokan/web/page/errorpage"
)

func (s *Server) forgotForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, auth.Forgot(auth.ForgotView{Form: newForm()}))
}

// forgotPassword e-mails a reset link. It answers the same whether or not
// the address has an account, so the form lists no accounts.
func (s *Server) forgotPassword(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		s.render(w, r, http.StatusUnprocessableEntity, auth.Forgot(auth.ForgotView{Form: f}))
	}, "email")
	if !ok {
		return
	}
	ctx := r.Context()
	err := s.Accounts.RequestPasswordReset(ctx, f.Value("email"), s.clientAddr(r), string(i18n.LangFrom(ctx)))
	var throttled *account.ThrottledError
	switch {
	case fieldErrors(err, &f):
		s.render(w, r, http.StatusUnprocessableEntity, auth.Forgot(auth.ForgotView{Form: f}))
		return
	case errors.As(err, &throttled):
		minutes := retryAfter(w, throttled.Wait)
		s.render(w, r, http.StatusTooManyRequests, auth.Forgot(auth.ForgotView{Form: f,
			Message: "password.forgot.throttled", MessageArgs: []any{minutes}}))
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/password/forgot/sent", http.StatusSeeOther)
}

func (s *Server) forgotSent(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, auth.ForgotSent())
}

// resetLinkInvalid tells that a link is used or expired, and leads to a new
// one.
func (s *Server) resetLinkInvalid(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, errorpage.View{Status: http.StatusNotFound, Key: "error.page.reset_link", Next: "/password/forgot",
		NextKey: "password.reset.ask_again"})
}

func (s *Server) resetForm(w http.ResponseWriter, r *http.Request) {
	token := chi.URLParam(r, "token")
	err := s.Accounts.CheckPasswordReset(r.Context(), token)
	if errors.Is(err, account.ErrResetInvalid) {
		s.resetLinkInvalid(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, auth.Reset(auth.ResetView{Form: newForm(), Token: token}))
}

// resetPassword sets the new password; every session of the account ends,
// and the person logs in with it.
func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) {
	token := chi.URLParam(r, "token")
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		delete(f.Values, "password")
		s.render(w, r, http.StatusUnprocessableEntity, auth.Reset(auth.ResetView{Form: f, Token: token}))
	}, "password")
	if !ok {
		return
	}
	ctx := r.Context()
	err := s.Accounts.ResetPassword(ctx, token, f.Value("password"))
	delete(f.Values, "password")
	switch {
	case fieldErrors(err, &f):
		s.render(w, r, http.StatusUnprocessableEntity, auth.Reset(auth.ResetView{Form: f, Token: token}))
		return
	case errors.Is(err, account.ErrResetInvalid):
		s.resetLinkInvalid(w, r)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	// Whoever was logged in on this browser is logged out with the rest.
	if err := s.sessions.Destroy(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.password_reset")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
