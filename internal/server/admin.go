package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"

	"pasokan/internal/account"
	"pasokan/internal/curation"
	"pasokan/internal/database"
	"pasokan/internal/figures"
	"pasokan/internal/i18n"
	"pasokan/internal/material"
	"pasokan/internal/order"
	"pasokan/internal/permit"
	"pasokan/internal/supplier"
	"pasokan/web/component"
	"pasokan/web/page/admin"
	curpage "pasokan/web/page/curation"
)

// adminPageSize is how many rows a page of the ministry's lists of
// organisations and e-mails shows: 25, as every list of the portal
// (docs/DESIGN.md, "A page of a list").
const adminPageSize = 25

func (s *Server) adminDashboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	f, err := s.nationalFigures(ctx, a)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := admin.DashboardView{Figures: f.figures, National: f.national, DecisionTimes: f.decisionTimes, Recuration: f.recuration,
		At: f.at, Kept: s.FiguresTTL}
	// The figures' page is drawn once per language while they are kept:
	// the same for every ministry admin (the frame around it is theirs).
	lang := i18n.LangFrom(ctx)
	if drawn, ok := f.drawn.Load(lang); ok {
		v.Drawn = drawn.(string)
		s.render(w, r, http.StatusOK, admin.Dashboard(v))
		return
	}
	if v.ProductNames, _, err = s.productWords(r); err != nil {
		s.serverError(w, r, err)
		return
	}
	words, _, err := s.pageWords(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.ProvinceNames = words.ProvinceNames
	var body strings.Builder
	if err := admin.DashboardBody(v).Render(ctx, &body); err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Drawn = body.String()
	if s.FiguresTTL > 0 {
		f.drawn.Store(lang, v.Drawn)
	}
	s.render(w, r, http.StatusOK, admin.Dashboard(v))
}

// FiguresTTL is how long the serving portal keeps the ministry
// dashboard's figures: fresh enough for a national picture, and a
// dashboard left open by a room of officials costs one count every
// quarter minute.
const FiguresTTL = 15 * time.Second

// nationalFigures are the ministry dashboard's figures: the same for every
// ministry admin, and the costliest reads of any page (1.5 ms of Postgres
// per view at 200,000 suppliers, most of it the decision-time histograms
// of every curator organisation and the re-curation list).
type nationalFigures struct {
	at            time.Time
	figures       account.Figures
	national      figures.National
	decisionTimes []curation.DecisionTime
	recuration    []curation.Recuration
	// drawn is the dashboard drawn in each language (i18n.Lang to string),
	// kept with the figures.
	drawn sync.Map
}

// nationalFigures reads the figures, or returns those read less than
// FiguresTTL ago. Only ministry admins reach it (the route says so). Two
// views that find them expired at once may both read them: that costs a
// read, never a wait.
func (s *Server) nationalFigures(ctx context.Context, a account.Actor) (*nationalFigures, error) {
	now := s.Now()
	if f := s.figures.Load(); f != nil && now.Sub(f.at) < s.FiguresTTL {
		return f, nil
	}
	f := &nationalFigures{at: now}
	var err error
	if f.figures, err = s.Accounts.PublicFigures(ctx); err != nil {
		return nil, err
	}
	if f.national, err = s.Figures.National(ctx, a); err != nil {
		return nil, err
	}
	if f.decisionTimes, err = s.Curation.DecisionTimes(ctx, a); err != nil {
		return nil, err
	}
	if f.recuration, err = s.Curation.RecurationDue(ctx, a, now, 50); err != nil {
		return nil, err
	}
	if s.FiguresTTL > 0 {
		s.figures.Store(f)
	}
	return f, nil
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
	v := admin.OrganizationsView{Kind: string(kind), Form: f, Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	var orgs []account.OrganizationSummary
	var stoppedAt int64
	var err error
	switch {
	case v.Query == "":
		orgs, err = s.Accounts.Organizations(ctx, a, kind, cursor, adminPageSize+1)
	case strings.Contains(v.Query, "@"):
		orgs, _, err = s.Accounts.SearchOrganizations(ctx, a, account.OrganizationQuery{Email: v.Query, Kind: kind, Before: cursor}, adminPageSize+1)
	default:
		tokens, _ := curation.SearchTokens(v.Query)
		v.TooShort = len(tokens) == 0
		orgs, stoppedAt, err = s.Accounts.SearchOrganizations(ctx, a, account.OrganizationQuery{Tokens: tokens, Kind: kind, Before: cursor}, adminPageSize+1)
	}
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	if len(orgs) > adminPageSize {
		orgs = orgs[:adminPageSize]
		v.NextCursor = orgs[len(orgs)-1].ID
	} else if stoppedAt > 0 {
		// The search read as far as it may for a page: it goes on from
		// where it stopped.
		v.NextCursor, v.StoppedShort = stoppedAt, true
	}
	v.Organizations = orgs
	s.render(w, r, status, admin.Organizations(v))
}

// adminCreateOrganization opens a curator, buyer or ministry organisation
// and invites its first admin.
func (s *Server) adminCreateOrganization(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		s.renderAdminOrganizations(w, r, http.StatusUnprocessableEntity, f)
	}, "kind", "name", "admin_email")
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
	names, units, err := s.productWords(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// One round trip: the organisation, its people, and what the page
	// shows of each kind of organisation, all named by the organisation
	// (a supplier's dossier through its latest application): read after
	// the organisation's kind was known, they cost a second trip. What
	// the page does not show of the kind it finds reads nothing, or is
	// left unread: a buyer has no dossier, and an organisation's orders
	// are those it supplies or those it buys.
	var org account.Organization
	var members []account.Member
	var c curation.Case
	var hasApp bool
	var materials []material.Request
	var permits []permit.Request
	var page order.LinePage
	before, _ := strconv.ParseInt(r.URL.Query().Get("orders_before"), 10, 64)
	var reads database.Reads
	if err := errors.Join(s.Accounts.QueueOrganizationWithMembers(a, &reads, id, &org, &members),
		s.Curation.QueueDossier(a, &reads, id, &c, &hasApp),
		s.Materials.QueueOf(a, &reads, id, &materials), s.Permits.QueueOf(a, &reads, id, &permits),
		s.Orders.QueueOrderLinesOf(a, &reads, id, before, &page)); err != nil {
		s.domainError(w, r, err)
		return
	}
	if err := s.DB.Read(ctx, a.Scope(), &reads); err != nil {
		s.domainError(w, r, err)
		return
	}
	v := admin.OrganizationView{Organization: org, Members: members, Roles: account.RolesOf(org.Kind), ProductNames: names}
	if org.Kind == account.KindSupplier {
		v.Materials, v.Permits = materials, permits
	}
	v.Orders, v.OrdersNext = page.Lines, page.Next
	if hasApp && org.Kind == account.KindSupplier {
		if v.Case, err = s.dossier(r, c, names, units); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, admin.Organization(v))
}

// dossier is a supplier's application as its curator sees it, to read on
// the ministry's page of the organisation.
func (s *Server) dossier(r *http.Request, c curation.Case, names, units map[string]string) (*curpage.ReviewView, error) {
	regions, err := s.Regions.Load(r.Context())
	if err != nil {
		return nil, err
	}
	v := &curpage.ReviewView{Case: c, ProductNames: names, ProductUnits: units, ReadOnly: true}
	if p, ok := regions.Province(c.Profile.ProvinceCode); ok {
		v.Province = p.Name
	}
	if rg, ok := regions.Regency(c.Profile.RegencyCode); ok {
		v.Regency = rg.Name
	}
	return v, nil
}

// adminSetRole changes a person's role in an organisation.
func (s *Server) adminSetRole(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r, "role", "organization_id")
	if !ok {
		return
	}
	userID, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	orgID, orgErr := strconv.ParseInt(f.Value("organization_id"), 10, 64)
	if err != nil || orgErr != nil || orgID <= 0 {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	err = s.Accounts.SetRole(ctx, a, orgID, userID, account.Role(f.Value("role")))
	switch {
	case fieldErrors(err, &f):
		s.flash(ctx, "error", f.Errors["role"])
	case err != nil:
		s.domainError(w, r, err)
		return
	default:
		s.flash(ctx, "success", "flash.role_changed")
	}
	http.Redirect(w, r, "/admin/organizations/"+strconv.FormatInt(orgID, 10)+"#members-heading", http.StatusSeeOther)
}

// adminSuspension suspends or reinstates a supplier's curation by the
// ministry's hand, with a reason.
func (s *Server) adminSuspension(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r, "version", "suspend_reason", "organization_id")
	if !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	id, ok := appIDParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	orgID, _ := strconv.ParseInt(f.Value("organization_id"), 10, 64)
	_, st, _, err := s.Curation.SupplierApplication(ctx, a, orgID)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	version, _ := strconv.Atoi(f.Value("version"))
	if st == "curated" {
		err = s.Curation.Suspend(ctx, a, id, version, f.Value("suspend_reason"))
	} else {
		err = s.Curation.Reinstate(ctx, a, id, version, f.Value("suspend_reason"))
	}
	back := "/admin/organizations/" + strconv.FormatInt(orgID, 10)
	switch {
	case fieldErrors(err, &f):
		s.flash(ctx, "error", f.Errors["reason"])
	case errors.Is(err, database.ErrStale), errors.Is(err, supplier.ErrTransition):
		s.flash(ctx, "error", "error.decision_stale")
	case err != nil:
		s.domainError(w, r, err)
		return
	default:
		s.flash(ctx, "success", map[bool]string{true: "flash.suspension_suspended", false: "flash.suspension_reinstated"}[st == "curated"])
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
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
	// The form sends "true" or "false" and the organisation to return to;
	// anything else is not this form, and changes nothing.
	disabled := f.Value("disabled") == "true"
	orgID, orgErr := strconv.ParseInt(f.Value("organization_id"), 10, 64)
	if (!disabled && f.Value("disabled") != "false") || (f.Value("organization_id") != "" && (orgErr != nil || orgID <= 0)) {
		s.errorPage(w, r, http.StatusBadRequest, "error.page.400")
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
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
	if orgID > 0 {
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
