package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"pasokan/internal/account"
	"pasokan/web/component"
	"pasokan/web/page/admin"
)

const adminPageSize = 50

func (s *Server) adminDashboard(w http.ResponseWriter, r *http.Request) {
	figures, err := s.Accounts.PublicFigures(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, admin.Dashboard(admin.DashboardView{Figures: figures}))
}

func (s *Server) adminOrganizations(w http.ResponseWriter, r *http.Request) {
	s.renderAdminOrganizations(w, r, http.StatusOK, newForm())
}

func (s *Server) renderAdminOrganizations(w http.ResponseWriter, r *http.Request, status int, f component.Form) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	kind := account.Kind(r.URL.Query().Get("kind"))
	if !kind.Valid() {
		kind = ""
	}
	cursor, _ := strconv.ParseInt(r.URL.Query().Get("cursor"), 10, 64)
	orgs, err := s.Accounts.Organizations(ctx, a, kind, cursor, adminPageSize+1)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	v := admin.OrganizationsView{Kind: string(kind), Form: f}
	if len(orgs) > adminPageSize {
		orgs = orgs[:adminPageSize]
		v.NextCursor = orgs[len(orgs)-1].ID
	}
	v.Organizations = orgs
	s.render(w, r, status, admin.Organizations(v))
}

// adminCreateOrganization opens a curator, buyer or ministry organisation
// and invites its first admin.
func (s *Server) adminCreateOrganization(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r, "kind", "name", "admin_email")
	if !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	org, err := s.Accounts.CreateOrganization(ctx, a, account.NewOrganization{
		Kind: account.Kind(f.Value("kind")), Name: f.Value("name"), AdminEmail: f.Value("admin_email")})
	if fieldErrors(err, &f) {
		s.renderAdminOrganizations(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	s.Kick()
	s.flash(ctx, "success", "flash.organization_created")
	http.Redirect(w, r, "/admin/organizations/"+strconv.FormatInt(org.ID, 10), http.StatusSeeOther)
}

func (s *Server) adminOrganization(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	org, members, err := s.Accounts.OrganizationWithMembers(ctx, a, id)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, admin.Organization(admin.OrganizationView{Organization: org, Members: members}))
}

// adminSetUserDisabled disables or re-enables an account; disabling ends its
// sessions at once.
func (s *Server) adminSetUserDisabled(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r, "disabled", "organization_id")
	if !ok {
		return
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	disabled := f.Value("disabled") == "true"
	if disabled && id == a.UserID {
		s.errorPage(w, r, http.StatusConflict, "error.page.disable_self")
		return
	}
	if err := s.Accounts.SetDisabled(ctx, a.Scope(), id, disabled); err != nil {
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", map[bool]string{true: "flash.user_disabled", false: "flash.user_enabled"}[disabled])
	back := "/admin/organizations"
	if orgID, err := strconv.ParseInt(f.Value("organization_id"), 10, 64); err == nil {
		back += "/" + strconv.FormatInt(orgID, 10)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

func (s *Server) adminOutbox(w http.ResponseWriter, r *http.Request) {
	if !s.DevMailbox {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	cursor, _ := strconv.ParseInt(r.URL.Query().Get("cursor"), 10, 64)
	emails, err := s.Outbox.Recent(ctx, a.Scope(), cursor, adminPageSize+1)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := admin.OutboxView{}
	if len(emails) > adminPageSize {
		emails = emails[:adminPageSize]
		v.NextCursor = emails[len(emails)-1].ID
	}
	v.Emails = emails
	s.render(w, r, http.StatusOK, admin.Outbox(v))
}
