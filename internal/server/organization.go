package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/web/component"
	"pasokan/web/page/organization"
)

func (s *Server) organizationPage(w http.ResponseWriter, r *http.Request) {
	s.renderOrganization(w, r, http.StatusOK, newForm())
}

func (s *Server) renderOrganization(w http.ResponseWriter, r *http.Request, status int, f component.Form) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	members, err := s.Accounts.Members(ctx, a)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := organization.View{Actor: a, Members: members, Roles: a.InvitableRoles(), Form: f}
	if a.CanManageMembers() {
		if v.Invitations, err = s.Accounts.PendingInvitations(ctx, a); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	s.render(w, r, status, organization.Page(v))
}

// invite sends a one-time link to join the actor's organisation.
func (s *Server) invite(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		s.renderOrganization(w, r, http.StatusUnprocessableEntity, f)
	}, "email", "role")
	if !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	_, err := s.Accounts.Invite(ctx, a, f.Value("email"), account.Role(f.Value("role")))
	if fieldErrors(err, &f) {
		s.renderOrganization(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.invited")
	http.Redirect(w, r, "/organization", http.StatusSeeOther)
}

func (s *Server) revokeInvitation(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	if err := s.Accounts.RevokeInvitation(ctx, a, id); err != nil {
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.invitation_revoked")
	http.Redirect(w, r, "/organization", http.StatusSeeOther)
}

// switchOrganization changes the organisation the person acts for. Naming
// an organisation they do not belong to answers 404.
func (s *Server) switchOrganization(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r, "organization_id")
	if !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	orgID, err := strconv.ParseInt(f.Value("organization_id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	next, err := s.Accounts.LoadActor(ctx, a.UserID, orgID)
	if errors.Is(err, database.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// Acting for another organisation changes what the session may do: it
	// continues under a new token.
	if err := s.sessions.RenewToken(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.Put(ctx, keyOrgID, next.OrgID)
	http.Redirect(w, r, next.Kind.Home(), http.StatusSeeOther)
}
