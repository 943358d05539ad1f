package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/i18n"
	"pasokan/internal/permit"
	"pasokan/internal/product"
	"pasokan/web/component"
	permitpage "pasokan/web/page/permit"
)

// permitKinds names, per product type that needs a distribution permit,
// the permit help a supplier asks for ("akd", "pkd").
func (s *Server) permitKinds(ctx context.Context) (map[string]string, error) {
	catalog, err := s.Products.Load(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, t := range catalog.All() {
		if t.PermitKind != product.PermitNone {
			out[t.Code] = strings.ToLower(string(t.PermitKind))
		}
	}
	return out, nil
}

// supplierPermits is the supplier's page of permit-help requests; the
// query may choose the product and the permit (from a product's result).
func (s *Server) supplierPermits(w http.ResponseWriter, r *http.Request) {
	f := newForm()
	q := r.URL.Query()
	for _, field := range []string{"product_type", "permit_kind"} {
		if v := q.Get(field); v != "" && len(v) <= 40 {
			f.Values[field] = v
		}
	}
	s.renderSupplierPermits(w, r, http.StatusOK, f)
}

func (s *Server) renderSupplierPermits(w http.ResponseWriter, r *http.Request, status int, f component.Form) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	catalog, err := s.Products.Load(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	reqs, err := s.Permits.Mine(ctx, a)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	lang := i18n.LangFrom(ctx)
	v := permitpage.SupplierView{ProductNames: map[string]string{}, Requests: reqs, Form: f}
	for _, t := range catalog.All() {
		v.ProductNames[t.Code] = t.Name(lang)
		v.Products = append(v.Products, component.Option{Value: t.Code, Label: t.Name(lang)})
	}
	v.Form.Order = permit.Fields
	s.render(w, r, status, permitpage.Supplier(v))
}

// requestPermit stores a supplier's request and shows it.
func (s *Server) requestPermit(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		s.renderSupplierPermits(w, r, http.StatusUnprocessableEntity, f)
	}, permit.Fields...)
	if !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	id, err := s.Permits.Create(ctx, a, permit.Input{ProductType: f.Value("product_type"), Kind: f.Value("permit_kind"), Note: f.Value("note")})
	if fieldErrors(err, &f) {
		s.renderSupplierPermits(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.permit_requested")
	http.Redirect(w, r, "/supplier/permits/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// permitRequest is one request: the supplier's own, or any for the
// ministry, with the forms of its next steps.
func (s *Server) permitRequest(w http.ResponseWriter, r *http.Request) {
	s.renderPermitRequest(w, r, http.StatusOK, "", newForm(), "")
}

func (s *Server) renderPermitRequest(w http.ResponseWriter, r *http.Request, status int, action string, f component.Form, problem string) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	id, ok := idParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	words, _, err := s.pageWords(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	req, events, err := s.Permits.Request(ctx, a, id)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	s.render(w, r, status, permitpage.Request(permitpage.RequestView{ProductNames: words.ProductNames,
		ProvinceNames: words.ProvinceNames, Request: req, Events: events, Ministry: a.Kind == account.KindMinistry,
		Action: action, Form: f, Problem: problem}))
}

// adminPermits is the ministry's list: where requests wait, longest first.
func (s *Server) adminPermits(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	q := r.URL.Query()
	filter := permit.Filter{Status: q.Get("status"), Kind: q.Get("kind")}
	words, _, err := s.pageWords(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var after *database.Cursor
	if c, ok := database.ParseCursor(q.Get("after")); ok {
		after = &c
	}
	p, err := s.Permits.Page(ctx, a, filter, after)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	v := permitpage.ListView{ProductNames: words.ProductNames, ProvinceNames: words.ProvinceNames, Filter: filter,
		Steps: p.Steps, Requests: p.Requests, Continued: after != nil, Now: s.Now()}
	if p.Next != nil {
		v.Next = p.Next.String()
	}
	s.render(w, r, http.StatusOK, permitpage.Admin(v))
}

// movePermit takes a request to the step its form names.
func (s *Server) movePermit(w http.ResponseWriter, r *http.Request) {
	step := ""
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		s.renderPermitRequest(w, r, http.StatusUnprocessableEntity, f.Value("status"), f, "")
	}, permit.StepFields...)
	if !ok {
		return
	}
	step = f.Value("status")
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	id, ok := idParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	proposed, err := s.Permits.Move(ctx, a, id, versionOf(r), permit.StepInput{Status: step, Note: f.Value("note"),
		PermitNumber: f.Value("permit_number"), IssuedOn: f.Value("issued_on"), Reason: f.Value("reason")})
	switch {
	case fieldErrors(err, &f):
		s.renderPermitRequest(w, r, http.StatusUnprocessableEntity, step, f, "")
		return
	case errors.Is(err, database.ErrStale), errors.Is(err, permit.ErrState):
		s.renderPermitRequest(w, r, http.StatusConflict, "", newForm(), "error.permit_stale")
		return
	case err != nil:
		s.domainError(w, r, err)
		return
	}
	done := "flash.permit_moved"
	if proposed {
		done = "flash.permit_proposed"
	}
	s.flash(ctx, "success", done)
	http.Redirect(w, r, "/admin/permits/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
