package server

import (
	"errors"
	"net/http"
	"strconv"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/material"
	"pasokan/internal/validation"
	"pasokan/web/component"
	materialpage "pasokan/web/page/material"
)

// pageWords are the names the ministry's and the support pages show: products and
// provinces in the reader's language, and the provinces as choices.
func (s *Server) pageWords(r *http.Request) (materialpage.Words, []component.Option, error) {
	names, _, err := s.productWords(r)
	if err != nil {
		return materialpage.Words{}, nil, err
	}
	regions, err := s.Regions.Load(r.Context())
	if err != nil {
		return materialpage.Words{}, nil, err
	}
	w := materialpage.Words{ProductNames: names, ProvinceNames: map[string]string{}}
	var options []component.Option
	for _, p := range regions.Provinces() {
		w.ProvinceNames[p.Code] = p.Name
		options = append(options, component.Option{Value: p.Code, Label: p.Name})
	}
	return w, options, nil
}

// supplierMaterials is the supplier's page of raw-material requests; the
// query's order picks the order the form names (from an order's page).
func (s *Server) supplierMaterials(w http.ResponseWriter, r *http.Request) {
	f := newForm()
	if o := r.URL.Query().Get("order"); o != "" {
		if _, err := strconv.ParseInt(o, 10, 64); err == nil {
			f.Values["order_id"] = o
		}
	}
	s.renderSupplierMaterials(w, r, http.StatusOK, f)
}

func (s *Server) renderSupplierMaterials(w http.ResponseWriter, r *http.Request, status int, f component.Form) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	words, _, err := s.pageWords(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	reqs, err := s.Materials.Mine(ctx, a)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	orders, err := s.Materials.Servable(ctx, a)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	f.Order = material.Fields
	s.render(w, r, status, materialpage.Supplier(materialpage.SupplierView{Words: words, Requests: reqs, Orders: orders, Form: f}))
}

// requestMaterial stores a supplier's request and shows it, with what
// happens next.
func (s *Server) requestMaterial(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		s.renderSupplierMaterials(w, r, http.StatusUnprocessableEntity, f)
	}, material.Fields...)
	if !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	id, err := s.Materials.Create(ctx, a, material.Input{Material: f.Value("material"), Quantity: f.Value("quantity"),
		Unit: f.Value("unit"), NeededBy: f.Value("needed_by"), OrderID: f.Value("order_id"), Note: f.Value("note")})
	if fieldErrors(err, &f) {
		s.renderSupplierMaterials(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.material_requested")
	http.Redirect(w, r, "/supplier/materials/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// materialRequest is one request: the supplier's own, or any for the
// ministry.
func (s *Server) materialRequest(w http.ResponseWriter, r *http.Request) {
	s.renderMaterialRequest(w, r, http.StatusOK, "", newForm(), "")
}

func (s *Server) renderMaterialRequest(w http.ResponseWriter, r *http.Request, status int, action string, f component.Form, problem string) {
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
	req, events, err := s.Materials.Request(ctx, a, id)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	s.render(w, r, status, materialpage.Request(materialpage.RequestView{Words: words, Request: req, Events: events,
		Ministry: a.Kind == account.KindMinistry, Action: action, Form: f, Problem: problem}))
}

// adminMaterials is the ministry's list of requests.
func (s *Server) adminMaterials(w http.ResponseWriter, r *http.Request) {
	s.renderAdminMaterials(w, r, http.StatusOK, newForm(), nil)
}

func (s *Server) renderAdminMaterials(w http.ResponseWriter, r *http.Request, status int, f component.Form, chosen map[string]bool) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	q := r.URL.Query()
	filter := material.Filter{Material: q.Get("material"), Province: q.Get("province"), Urgency: q.Get("urgency"), Status: q.Get("status")}
	words, provinces, err := s.pageWords(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if _, ok := words.ProvinceNames[filter.Province]; !ok {
		filter.Province = ""
	}
	var after *database.Cursor
	if c, ok := database.ParseCursor(q.Get("after")); ok {
		after = &c
	}
	p, err := s.Materials.Page(ctx, a, filter, after)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	f.Order = material.GroupFields
	v := materialpage.ListView{Words: words, Filter: filter, Requests: p.Requests, Continued: after != nil,
		Weeks: p.Weeks, Provinces: provinces, Form: f, Chosen: chosen}
	if p.Next != nil {
		v.Next = p.Next.String()
	}
	s.render(w, r, status, materialpage.Admin(v))
}

// groupMaterials gathers the ticked requests into one purchase.
func (s *Server) groupMaterials(w http.ResponseWriter, r *http.Request) {
	redraw := func(f component.Form) {
		chosen := map[string]bool{}
		for _, id := range r.PostForm["request_id"] {
			chosen[id] = true
		}
		s.renderAdminMaterials(w, r, http.StatusUnprocessableEntity, f, chosen)
	}
	f, ok := s.parseFormOr(w, r, redraw, material.GroupFields...)
	if !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	ids := r.PostForm["request_id"]
	for _, id := range ids {
		if !validation.Storable(id) {
			s.refuseInput(w, r)
			return
		}
	}
	purchase, err := s.Materials.Group(ctx, a, material.GroupInput{RequestIDs: ids, Source: f.Value("source"), Note: f.Value("note")})
	if fieldErrors(err, &f) {
		redraw(f)
		return
	}
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.material_grouped")
	http.Redirect(w, r, "/admin/materials/purchases/"+strconv.FormatInt(purchase, 10), http.StatusSeeOther)
}

// materialPurchase is one purchase with its requests.
func (s *Server) materialPurchase(w http.ResponseWriter, r *http.Request) {
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
	p, reqs, err := s.Materials.Purchase(ctx, a, id)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, materialpage.Purchase(materialpage.PurchaseView{Words: words, Purchase: p, Requests: reqs}))
}

// moveMaterial runs one of the ministry's steps on a request and returns
// to it.
func (s *Server) moveMaterial(w http.ResponseWriter, r *http.Request, action, done string, fields []string,
	run func(a account.Actor, id int64, version int, f component.Form) error) {
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		s.renderMaterialRequest(w, r, http.StatusUnprocessableEntity, action, f, "")
	}, fields...)
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
	err := run(a, id, versionOf(r), f)
	switch {
	case fieldErrors(err, &f):
		s.renderMaterialRequest(w, r, http.StatusUnprocessableEntity, action, f, "")
		return
	case errors.Is(err, database.ErrStale), errors.Is(err, material.ErrState):
		s.renderMaterialRequest(w, r, http.StatusConflict, "", newForm(), "error.material_stale")
		return
	case err != nil:
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", done)
	http.Redirect(w, r, "/admin/materials/requests/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

func (s *Server) deliverMaterial(w http.ResponseWriter, r *http.Request) {
	s.moveMaterial(w, r, "deliver", "flash.material_delivered", material.DeliveryFields, func(a account.Actor, id int64, v int, f component.Form) error {
		return s.Materials.Deliver(r.Context(), a, id, v, f.Value("quantity"), f.Value("delivered_on"))
	})
}

func (s *Server) closeMaterial(w http.ResponseWriter, r *http.Request) {
	s.moveMaterial(w, r, "close", "flash.material_closed", material.CloseFields, func(a account.Actor, id int64, v int, f component.Form) error {
		return s.Materials.Close(r.Context(), a, id, v, f.Value("reason"))
	})
}

// withdrawMaterial closes the supplier's own request it no longer needs,
// while nobody has acted on it.
func (s *Server) withdrawMaterial(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		s.renderMaterialRequest(w, r, http.StatusUnprocessableEntity, "withdraw", f, "")
	}, material.WithdrawFields...)
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
	err := s.Materials.Withdraw(ctx, a, id, versionOf(r), f.Value("reason"))
	switch {
	case fieldErrors(err, &f):
		s.renderMaterialRequest(w, r, http.StatusUnprocessableEntity, "withdraw", f, "")
		return
	case errors.Is(err, database.ErrStale), errors.Is(err, material.ErrState):
		s.renderMaterialRequest(w, r, http.StatusConflict, "", newForm(), "error.material_withdraw_late")
		return
	case err != nil:
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.material_withdrawn")
	http.Redirect(w, r, "/supplier/materials/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
