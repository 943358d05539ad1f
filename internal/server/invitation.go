package server

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"pasokan/internal/account"
	"pasokan/internal/i18n"
	"pasokan/web/component"
	"pasokan/web/page/invitation"
)

// invitation shows what the link offers and how to accept it.
func (s *Server) invitation(w http.ResponseWriter, r *http.Request) {
	s.renderInvitation(w, r, http.StatusOK, newForm())
}

func (s *Server) renderInvitation(w http.ResponseWriter, r *http.Request, status int, f component.Form) {
	ctx := r.Context()
	token := chi.URLParam(r, "token")
	inv, hasAccount, err := s.Accounts.InvitationByToken(ctx, token)
	if errors.Is(err, account.ErrInvitationInvalid) {
		s.errorPage(w, r, http.StatusNotFound, "error.page.invitation")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := invitation.View{Token: token, Invitation: inv, HasAccount: hasAccount, Form: f}
	if a, ok := actorFrom(ctx); ok {
		v.LoggedInAs = a.Email
	}
	s.render(w, r, status, invitation.Page(v))
}

// acceptInvitation makes the membership: for the logged-in person when the
// invitation is theirs, else for a new account made here.
func (s *Server) acceptInvitation(w http.ResponseWriter, r *http.Request) {
	redraw := func(f component.Form) {
		delete(f.Values, "password")
		s.renderInvitation(w, r, http.StatusUnprocessableEntity, f)
	}
	f, ok := s.parseFormOr(w, r, redraw, "name", "password")
	if !ok {
		return
	}
	ctx := r.Context()
	token := chi.URLParam(r, "token")
	if a, ok := actorFrom(ctx); ok {
		inv, err := s.Accounts.AcceptAsUser(ctx, token, a.UserID)
		switch {
		case errors.Is(err, account.ErrInvitationInvalid):
			s.errorPage(w, r, http.StatusNotFound, "error.page.invitation")
			return
		case errors.Is(err, account.ErrInvitationOtherEmail):
			s.renderInvitation(w, r, http.StatusConflict, f)
			return
		case err != nil:
			s.serverError(w, r, err)
			return
		}
		// A new membership is a new privilege: a new token.
		if err := s.sessions.RenewToken(ctx); err != nil {
			s.serverError(w, r, err)
			return
		}
		s.sessions.Put(ctx, keyOrgID, inv.OrgID)
		s.sessions.Put(ctx, keyOrgCount, s.sessions.GetInt(ctx, keyOrgCount)+1)
		s.flash(ctx, "success", "flash.joined")
		http.Redirect(w, r, inv.OrgKind.Home(), http.StatusSeeOther)
		return
	}
	u, inv, err := s.Accounts.AcceptAsNewUser(ctx, token, f.Value("name"), f.Value("password"), string(i18n.LangFrom(ctx)))
	if errors.Is(err, account.ErrInvitationInvalid) {
		s.errorPage(w, r, http.StatusNotFound, "error.page.invitation")
		return
	}
	if fieldErrors(err, &f) {
		redraw(f)
		return
	}
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	if err := s.startSession(ctx, u, inv.OrgID, 1); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.joined")
	http.Redirect(w, r, inv.OrgKind.Home(), http.StatusSeeOther)
}
