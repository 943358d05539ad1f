package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"

	"pasokan/internal/account"
	"pasokan/internal/curation"
	"pasokan/internal/database"
	"pasokan/internal/validation"
	"pasokan/web/component"
	"pasokan/web/page/admin"
)

// The ministry runs curation: the assignment rules (added, edited,
// reordered, retired and restored) at /admin/assignment, and at
// /admin/curation the applications waiting longest across curator
// organisations and those no rule sent anywhere, handed over by hand.

// ruleChoices are the rule form's options: the curator organisations and
// the provinces, with the provinces' names.
func (s *Server) ruleChoices(r *http.Request) (curators, provinces []component.Option, names map[string]string, err error) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	orgs, err := s.Accounts.Organizations(ctx, a, account.KindCurator, 0, maxCuratorChoices)
	if err != nil {
		return nil, nil, nil, err
	}
	return s.choicesOf(r, orgs)
}

// maxCuratorChoices bounds the curator organisations a form offers.
const maxCuratorChoices = 500

// choicesOf is ruleChoices with the curator organisations already read.
func (s *Server) choicesOf(r *http.Request, orgs []account.OrganizationSummary) (curators, provinces []component.Option, names map[string]string, err error) {
	regions, err := s.Regions.Load(r.Context())
	if err != nil {
		return nil, nil, nil, err
	}
	for _, o := range orgs {
		curators = append(curators, component.Option{Value: strconv.FormatInt(o.ID, 10), Label: o.Name})
	}
	names = map[string]string{}
	for _, p := range regions.Provinces() {
		provinces = append(provinces, component.Option{Value: p.Code, Label: p.Name})
		names[p.Code] = p.Name
	}
	return curators, provinces, names, nil
}

func (s *Server) adminRules(w http.ResponseWriter, r *http.Request) {
	s.renderRules(w, r, http.StatusOK, newForm())
}

func (s *Server) renderRules(w http.ResponseWriter, r *http.Request, status int, f component.Form) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	var v admin.RulesView
	var err error
	if v.Rules, err = s.Curation.Rules(ctx, a); err != nil {
		s.domainError(w, r, err)
		return
	}
	if v.Retired, err = s.Curation.Retired(ctx, a); err != nil {
		s.serverError(w, r, err)
		return
	}
	if v.Curators, v.Provinces, v.Names, err = s.ruleChoices(r); err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Form = f
	s.render(w, r, status, admin.Rules(v))
}

// parseRule reads a rule's form; errors are the form's.
func parseRule(f *component.Form) curation.Rule {
	org, err := strconv.ParseInt(f.Value("curator_org_id"), 10, 64)
	if err != nil {
		f.Errors.Add("curator_org_id", "error.choose_option")
	}
	priority := 0
	if v := f.Value("priority"); v != "" {
		if priority, err = strconv.Atoi(v); err != nil || priority < -1000 || priority > 1000 {
			f.Errors.Add("priority", "error.priority_invalid")
		}
	}
	return curation.Rule{CuratorOrgID: org, Category: f.Value("category"), ProvinceCode: f.Value("province_code"), Priority: priority}
}

var ruleFields = []string{"curator_org_id", "category", "province_code", "priority"}

// adminAddRule adds an assignment rule.
func (s *Server) adminAddRule(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		s.renderRules(w, r, http.StatusUnprocessableEntity, f)
	}, ruleFields...)
	if !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	rule := parseRule(&f)
	if f.Errors.Any() {
		s.renderRules(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	err := s.Curation.AddRule(ctx, a, rule)
	if fieldErrors(err, &f) {
		s.renderRules(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.rule_added")
	http.Redirect(w, r, "/admin/assignment", http.StatusSeeOther)
}

func (s *Server) adminRule(w http.ResponseWriter, r *http.Request) {
	s.renderRule(w, r, http.StatusOK, nil)
}

// renderRule draws a rule's edit page: with f, the form as sent; else the
// rule as it stands.
func (s *Server) renderRule(w http.ResponseWriter, r *http.Request, status int, f *component.Form) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	id, ok := idParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	rule, err := s.Curation.Rule(ctx, a, id)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	if rule.RetiredAt != nil {
		s.notFound(w, r)
		return
	}
	v := admin.RuleView{Rule: rule}
	if f != nil {
		v.Form = *f
	} else {
		v.Form = newForm()
		v.Form.Values["curator_org_id"] = strconv.FormatInt(rule.CuratorOrgID, 10)
		v.Form.Values["category"] = rule.Category
		v.Form.Values["province_code"] = rule.ProvinceCode
		v.Form.Values["priority"] = strconv.Itoa(rule.Priority)
	}
	if v.Curators, v.Provinces, _, err = s.ruleChoices(r); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, admin.RuleEdit(v))
}

func (s *Server) adminUpdateRule(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		s.renderRule(w, r, http.StatusUnprocessableEntity, &f)
	}, ruleFields...)
	if !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	id, ok := idParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	rule := parseRule(&f)
	if f.Errors.Any() {
		s.renderRule(w, r, http.StatusUnprocessableEntity, &f)
		return
	}
	err := s.Curation.UpdateRule(ctx, a, id, rule)
	if fieldErrors(err, &f) {
		s.renderRule(w, r, http.StatusUnprocessableEntity, &f)
		return
	}
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.rule_changed")
	http.Redirect(w, r, "/admin/assignment", http.StatusSeeOther)
}

// ruleAction runs one change of a rule from a form of one field, whose
// value must be one of allowed; a refusal is told on the rules' page.
func (s *Server) ruleAction(w http.ResponseWriter, r *http.Request, field string, allowed []string,
	run func(ctx context.Context, a account.Actor, id int64, value string) error, done func(value string) string) {
	f, ok := s.parseForm(w, r, field)
	if !ok {
		return
	}
	id, ok := idParam(r)
	value := f.Value(field)
	if !ok || !slices.Contains(allowed, value) {
		s.errorPage(w, r, http.StatusBadRequest, "error.page.400")
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	err := run(ctx, a, id, value)
	var verrs validation.Errors
	switch {
	case errors.As(err, &verrs):
		for _, key := range verrs {
			s.flash(ctx, "error", key)
		}
	case errors.Is(err, database.ErrStale):
		s.flash(ctx, "error", "error.rule_stale")
	case err != nil:
		s.domainError(w, r, err)
		return
	default:
		s.flash(ctx, "success", done(value))
	}
	http.Redirect(w, r, "/admin/assignment", http.StatusSeeOther)
}

// adminMoveRule moves a rule up or down the order in which rules are tried.
func (s *Server) adminMoveRule(w http.ResponseWriter, r *http.Request) {
	s.ruleAction(w, r, "direction", []string{"up", "down"}, func(ctx context.Context, a account.Actor, id int64, dir string) error {
		return s.Curation.MoveRule(ctx, a, id, dir == "up")
	}, func(string) string { return "flash.rule_moved" })
}

// adminRetireRule retires a rule, or restores a retired one.
func (s *Server) adminRetireRule(w http.ResponseWriter, r *http.Request) {
	s.ruleAction(w, r, "retire", []string{"true", "false"}, func(ctx context.Context, a account.Actor, id int64, retire string) error {
		return s.Curation.RetireRule(ctx, a, id, retire == "true")
	}, func(retire string) string {
		return map[string]string{"true": "flash.rule_retired", "false": "flash.rule_restored"}[retire]
	})
}

// curationWaitingRows is how many applications each list of /admin/curation
// shows: 25, as every list of the portal (docs/DESIGN.md, "A page of a
// list").
const curationWaitingRows = 25

func (s *Server) adminCuration(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	v := admin.CurationView{Rows: curationWaitingRows}
	// The lists and the curator organisations in one round trip.
	var reads database.Reads
	var orgs []account.OrganizationSummary
	if err := errors.Join(s.Curation.QueueWaitingLongest(a, &reads, curationWaitingRows, &v.Waiting, &v.Unassigned),
		s.Accounts.QueueOrganizations(a, &reads, account.KindCurator, 0, maxCuratorChoices, &orgs)); err != nil {
		s.domainError(w, r, err)
		return
	}
	if err := s.DB.Read(ctx, a.Scope(), &reads); err != nil {
		s.serverError(w, r, err)
		return
	}
	var err error
	if v.Curators, _, v.ProvinceNames, err = s.choicesOf(r, orgs); err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Now = s.Now()
	s.render(w, r, http.StatusOK, admin.Curation(v))
}

// adminHandOver gives a submitted application to a curator organisation.
func (s *Server) adminHandOver(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r, "curator_org_id")
	if !ok {
		return
	}
	id, ok := appIDParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	org, _ := strconv.ParseInt(f.Value("curator_org_id"), 10, 64)
	err := s.Curation.HandOver(ctx, a, id, org)
	switch {
	case fieldErrors(err, &f):
		s.flash(ctx, "error", f.Errors["curator_org_id"])
	case err != nil:
		s.domainError(w, r, err)
		return
	default:
		s.flash(ctx, "success", "flash.handed_over")
	}
	http.Redirect(w, r, "/admin/curation#unassigned-heading", http.StatusSeeOther)
}

// adminRecuration lists the products due for re-curation, and whether
// each waits for its curators already.
func (s *Server) adminRecuration(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	due, err := s.Curation.RecurationDue(ctx, a, s.Now(), curation.MaxRecuration)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	names, _, err := s.productWords(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, admin.Recuration(admin.RecurationView{Due: due, ProductNames: names}))
}

// adminSendRecuration sends the products due for re-curation to their
// curators as work.
func (s *Server) adminSendRecuration(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.parseForm(w, r); !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	n, err := s.Curation.SendRecuration(ctx, a, s.Now())
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	if n == 0 {
		s.flash(ctx, "info", "flash.recuration_none_sent")
	} else {
		s.flash(ctx, "success", "flash.recuration_sent")
	}
	http.Redirect(w, r, "/admin/recuration", http.StatusSeeOther)
}
