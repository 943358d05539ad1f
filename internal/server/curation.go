package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"pasokan/internal/curation"
	"pasokan/internal/database"
	"pasokan/internal/supplier"
	"pasokan/internal/validation"
	"pasokan/web/component"
	"pasokan/web/layout"
	curpage "pasokan/web/page/curation"
)

func (s *Server) curationQueue(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	q := r.URL.Query()
	f := curation.QueueFilter{Q: q.Get("q"), Status: q.Get("status"), Product: q.Get("product"), Province: q.Get("province"),
		Assignee: q.Get("assignee"), Signals: q.Get("signals") == "1", Cursor: q.Get("cursor")}
	if f.Status != "" && !validStatus(f.Status) {
		f.Status = ""
	}
	page, err := s.Curation.Queue(ctx, a, f)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	curators := page.Curators
	names, _, err := s.productWords(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	regions, err := s.Regions.Load(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := curpage.QueueView{OrgName: a.OrgName, IsLead: a.Role == "lead" || a.CanManageMembers(), Page: page, Filter: f,
		Now: s.Now(), ProductNames: names, Provinces: map[string]string{}, Curators: curators, UserID: a.UserID}
	for _, p := range regions.Provinces() {
		v.Provinces[p.Code] = p.Name
		v.ProvinceOpts = append(v.ProvinceOpts, component.Option{Value: p.Code, Label: p.Name})
	}
	catalog, err := s.Products.Load(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, t := range catalog.All() {
		v.Products = append(v.Products, component.Option{Value: t.Code, Label: names[t.Code]})
	}
	s.render(w, r, http.StatusOK, s.withDecidedName(ctx, curpage.Queue(v)))
}

// sampleError is the message above the review page for a refused sample
// form: the problem of the note, the address or the day, or otherwise key.
func sampleError(f component.Form, key string) string {
	for _, field := range []string{"note", "send_to", "due_on"} {
		if k := f.Error(field); k != "" {
			return k
		}
	}
	return key
}

func validStatus(st string) bool {
	for _, s := range supplier.Statuses {
		if string(s) == st {
			return true
		}
	}
	return false
}

func appIDParam(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	return id, err == nil && id > 0
}

func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request) {
	s.renderReview(w, r, http.StatusOK, newForm(), "")
}

func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, status int, f component.Form, errKey string) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	id, ok := appIDParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	c, err := s.Curation.Case(ctx, a, id)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	var types []string
	for _, p := range c.Products {
		types = append(types, p.Type)
	}
	cc, err := s.Curation.ChecklistsFor(ctx, types, s.Now())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	names, units, err := s.productWords(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	regions, err := s.Regions.Load(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := curpage.ReviewView{Case: c, Checklists: cc, ProductNames: names, ProductUnits: units, Form: f, Error: errKey, UserID: a.UserID,
		Drawn: &s.checklists}
	if p, ok := regions.Province(c.Profile.ProvinceCode); ok {
		v.Province = p.Name
	}
	if rg, ok := regions.Regency(c.Profile.RegencyCode); ok {
		v.Regency = rg.Name
	}
	s.render(w, r, status, s.withDecidedName(ctx, curpage.Review(v)))
}

func (s *Server) claim(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r, "version")
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
	version, _ := strconv.Atoi(f.Value("version"))
	err := s.Curation.Claim(ctx, a, id, version)
	switch {
	case errors.Is(err, database.ErrStale):
		s.flash(ctx, "error", "flash.claim_stale")
	case errors.Is(err, curation.ErrConflictOfInterest):
		s.flash(ctx, "error", "flash.conflict_of_interest")
	case err != nil:
		s.domainError(w, r, err)
		return
	default:
		s.flash(ctx, "success", "flash.claimed")
	}
	http.Redirect(w, r, "/curation/applications/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

func (s *Server) assignCurators(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.parseForm(w, r); !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	var ids []int64
	for _, v := range r.PostForm["application_id"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	user, _ := strconv.ParseInt(r.PostForm.Get("user_id"), 10, 64)
	n, err := s.Curation.AssignCurator(ctx, a, ids, user)
	switch {
	case errors.Is(err, curation.ErrNotLead):
		s.errorPage(w, r, http.StatusForbidden, "error.page.403")
		return
	case err != nil:
		s.domainError(w, r, err)
		return
	}
	s.flashN(ctx, "success", "flash.assigned", n)
	http.Redirect(w, r, "/curation", http.StatusSeeOther)
}

// itemFields reads a decision form's fields named <prefix><item id>
// (check_12, link_12) into a map by item id, as T, leaving out those with
// an error of their own.
func itemFields[T ~string](f component.Form, prefix string) map[int64]T {
	out := map[int64]T{}
	for k, v := range f.Values {
		item, ok := strings.CutPrefix(k, prefix)
		if !ok || f.Errors[k] != "" {
			continue
		}
		if n, err := strconv.ParseInt(item, 10, 64); err == nil {
			out[n] = T(v)
		}
	}
	return out
}

// checksOf reads a decision form's answers (check_<item id>).
func checksOf(f component.Form) map[int64]curation.Answer {
	return itemFields[curation.Answer](f, "check_")
}

// linksOf reads a decision form's links to the register's pages
// (link_<item id>).
func linksOf(f component.Form) map[int64]string { return itemFields[string](f, "link_") }

// redrawFunc draws a decision's page again with a status, the form and an
// error's key.
type redrawFunc func(w http.ResponseWriter, r *http.Request, status int, f component.Form, errKey string)

// decisionRefused answers a decision the domain refused by drawing its page
// again, and says whether it did (false when err is nil): the form's field
// errors, a failed gate, a page gone stale, a conflict of interest, a
// colleague's claim; anything else is the domain's error page.
func (s *Server) decisionRefused(w http.ResponseWriter, r *http.Request, err error, f component.Form, redraw redrawFunc) bool {
	switch {
	case err == nil:
		return false
	case fieldErrors(err, &f):
		redraw(w, r, http.StatusUnprocessableEntity, f, "")
	case errors.Is(err, curation.ErrGateFailed):
		redraw(w, r, http.StatusUnprocessableEntity, f, "error.gate_failed")
	case errors.Is(err, database.ErrStale), errors.Is(err, supplier.ErrTransition):
		redraw(w, r, http.StatusConflict, newForm(), "error.decision_stale")
	case errors.Is(err, curation.ErrConflictOfInterest):
		redraw(w, r, http.StatusForbidden, f, "error.conflict_of_interest")
	case errors.Is(err, curation.ErrClaimedByOther):
		redraw(w, r, http.StatusConflict, f, "error.claimed_by_other")
	default:
		s.domainError(w, r, err)
	}
	return true
}

// decide records a decision. Field names: decision, reason, version,
// check_<item id>, link_<item id>, revise_<field|product|document>_<key>.
func (s *Server) decide(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	id, ok := appIDParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	f, ok := s.parseOpenForm(w, r)
	if !ok {
		return
	}
	d := curation.Decision{Checks: checksOf(f), Links: linksOf(f)}
	for k, v := range f.Values {
		rest, ok := strings.CutPrefix(k, "revise_")
		if !ok || v == "" || f.Errors[k] != "" {
			continue
		}
		if target, key, ok := strings.Cut(rest, "_"); ok {
			d.Flags = append(d.Flags, supplier.Flag{Target: target, TargetKey: key, Reason: v})
		}
	}
	if f.Errors.Any() {
		s.renderReview(w, r, http.StatusUnprocessableEntity, f, "")
		return
	}
	d.Kind, d.Reason = f.Value("decision"), f.Value("reason")
	d.Version, _ = strconv.Atoi(f.Value("version"))
	out, err := s.Curation.Decide(ctx, a, id, d)
	if s.decisionRefused(w, r, err, f, s.renderReview) {
		return
	}
	// Straight on to the next application waiting for this curator; the
	// queue when none waits. The decision is saved either way.
	next, ok, err := s.Curation.NextWaiting(ctx, a, id)
	if err != nil {
		s.Log.Error("next waiting application", "request_id", requestIDFrom(ctx), "err", err)
	}
	s.flashDecided(ctx, out, !ok)
	if !ok {
		http.Redirect(w, r, "/curation", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/curation/applications/"+strconv.FormatInt(next, 10), http.StatusSeeOther)
}

// keyDecidedName is the session key carrying the name of the applicant a
// decision was just made on, for its confirmation on the next page.
const keyDecidedName = "review.decided_name"

// flashDecided leaves the confirmation of a decision: "Keputusan untuk
// <name> tersimpan", saying too when nothing else waits (last).
func (s *Server) flashDecided(ctx context.Context, out curation.Outcome, last bool) {
	key := "review.decided." + string(out.Status)
	if last {
		key += ".last"
	}
	s.sessions.Put(ctx, keyDecidedName, out.Name)
	s.flash(ctx, "success", key)
}

// withDecidedName puts the applicant's name into the confirmation of a
// decision that the page's frame shows (the one-time message carries only
// its key). Without the name the message says what was decided unnamed.
func (s *Server) withDecidedName(ctx context.Context, c templ.Component) templ.Component {
	if !s.sessions.Exists(ctx, keyDecidedName) {
		return c
	}
	name := s.sessions.PopString(ctx, keyDecidedName)
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		if f := layout.ChromeFrom(ctx).Flash; f != nil {
			if status, ok := strings.CutPrefix(f.Key, "review.decided."); ok && len(f.Args) == 0 {
				if name != "" {
					f.Args = []any{name}
				} else {
					f.Key = "flash.decided_" + strings.TrimSuffix(status, ".last")
				}
			}
		}
		return c.Render(ctx, w)
	})
}

func (s *Server) requestSample(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		s.renderReview(w, r, http.StatusUnprocessableEntity, f, sampleError(f, "error.sample_product"))
	}, "product_type", "note", "send_to", "due_on")
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
	err := s.Curation.RequestSample(ctx, a, id, curation.SampleRequest{ProductType: f.Value("product_type"),
		Note: f.Value("note"), SendTo: f.Value("send_to"), DueOn: f.Value("due_on")})
	if fieldErrors(err, &f) {
		s.renderReview(w, r, http.StatusUnprocessableEntity, f, sampleError(f, "error.sample_product"))
		return
	}
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.sample_requested")
	http.Redirect(w, r, "/curation/applications/"+strconv.FormatInt(id, 10)+"#samples-heading", http.StatusSeeOther)
}

func (s *Server) recordSample(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		s.renderReview(w, r, http.StatusUnprocessableEntity, f, sampleError(f, "error.sample_result"))
	}, "result", "note")
	if !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	id, ok := appIDParam(r)
	sample, err := strconv.ParseInt(chi.URLParam(r, "sample"), 10, 64)
	if !ok || err != nil {
		s.notFound(w, r)
		return
	}
	err = s.Curation.RecordSample(ctx, a, id, sample, f.Value("result"), f.Value("note"))
	if fieldErrors(err, &f) {
		s.renderReview(w, r, http.StatusUnprocessableEntity, f, sampleError(f, "error.sample_result"))
		return
	}
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.sample_recorded")
	http.Redirect(w, r, "/curation/applications/"+strconv.FormatInt(id, 10)+"#samples-heading", http.StatusSeeOther)
}

func (s *Server) declareConflict(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		s.renderReview(w, r, http.StatusUnprocessableEntity, f, "")
	}, "conflict_reason")
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
	err := s.Curation.DeclareConflict(ctx, a, id, f.Value("conflict_reason"))
	if fieldErrors(err, &f) {
		f.Errors = validation.Errors{"conflict_reason": f.Errors["reason"]}
		s.renderReview(w, r, http.StatusUnprocessableEntity, f, "")
		return
	}
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.conflict_declared")
	http.Redirect(w, r, "/curation", http.StatusSeeOther)
}

func (s *Server) suspension(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		s.renderReview(w, r, http.StatusUnprocessableEntity, f, "")
	}, "suspend_reason", "version")
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
	version, _ := strconv.Atoi(f.Value("version"))
	c, err := s.Curation.Case(ctx, a, id)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	if c.Status == supplier.StatusCurated {
		err = s.Curation.Suspend(ctx, a, id, version, f.Value("suspend_reason"))
	} else {
		err = s.Curation.Reinstate(ctx, a, id, version, f.Value("suspend_reason"))
	}
	switch {
	case fieldErrors(err, &f):
		f.Errors = validation.Errors{"suspend_reason": f.Errors["reason"]}
		s.renderReview(w, r, http.StatusUnprocessableEntity, f, "")
		return
	case errors.Is(err, database.ErrStale), errors.Is(err, supplier.ErrTransition):
		s.renderReview(w, r, http.StatusConflict, newForm(), "error.decision_stale")
		return
	case err != nil:
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.suspension_"+string(map[bool]string{true: "suspended", false: "reinstated"}[c.Status == supplier.StatusCurated]))
	http.Redirect(w, r, "/curation/applications/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
