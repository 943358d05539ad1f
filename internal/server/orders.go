package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/order"
	"pasokan/internal/planner"
	"pasokan/internal/validation"
	"pasokan/web/component"
	orderpage "pasokan/web/page/orders"
)

// A buyer's demands, their plans and orders (buyer), and each order as its
// supplier answers it (supplier). Package order decides; these handlers
// read forms, map refusals to messages and draw pages.

// words are the names the order pages show, in the reader's language.
func (s *Server) words(r *http.Request) (orderpage.Words, error) {
	names, units, err := s.productWords(r)
	if err != nil {
		return orderpage.Words{}, err
	}
	regions, err := s.Regions.Load(r.Context())
	if err != nil {
		return orderpage.Words{}, err
	}
	return orderpage.Words{ProductNames: names, ProductUnits: units, Regions: regions}, nil
}

func idParam(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	return id, err == nil && id > 0
}

// versionOf reads a form's version; a missing or bad one is no version (a
// stale page, to the store).
func versionOf(r *http.Request) int {
	v, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil {
		return -1
	}
	return v
}

// listQuery reads a list's status filter and page from the query string;
// a malformed page is the first.
func listQuery(r *http.Request) order.ListQuery {
	q := r.URL.Query()
	before, err := strconv.ParseInt(q.Get("before"), 10, 64)
	if err != nil || before < 0 {
		before = 0
	}
	return order.ListQuery{Status: q.Get("status"), Before: before}
}

// demandsPage lists a page of demands: the buyer's, or every buyer's at
// /admin/demands.
func (s *Server) demandsPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	q := listQuery(r)
	page, err := s.Orders.Demands(ctx, a, q)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	words, err := s.words(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, orderpage.Demands(orderpage.DemandsView{Words: words, Page: page, Query: q,
		Ministry: a.Kind == account.KindMinistry}))
}

// demandRows is how many site rows a new demand's form shows at first.
const demandRows = 2

func (s *Server) newDemandPage(w http.ResponseWriter, r *http.Request) {
	s.renderDemandForm(w, r, http.StatusOK, component.NewForm(), demandRows)
}

func (s *Server) renderDemandForm(w http.ResponseWriter, r *http.Request, status int, f component.Form, rows int) {
	ctx := r.Context()
	products, err := s.Products.Load(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	names, _ := productWordsOf(ctx, products)
	v := orderpage.DemandFormView{Form: f, Rows: rows}
	if id, ok := idParam(r); ok {
		v.EditID = id
	}
	for _, t := range products.All() {
		v.Products = append(v.Products, component.Option{Value: t.Code, Label: names[t.Code]})
	}
	places, err := s.places(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Provinces, v.Regencies = places.provinces, places.regencies
	s.render(w, r, status, orderpage.NewDemand(v))
}

// demandForm reads a demand's form: its fields, and its sites' repeated
// fields by row. A value that cannot be stored is an error on its field,
// drawn back printable (validation.KeyEncoding); ok is false, after the 422
// page, when anything else is unstorable (a field the form does not have,
// a field's name).
func (s *Server) demandForm(w http.ResponseWriter, r *http.Request) (in order.DemandInput, f component.Form, rows int, ok bool) {
	if !s.readForm(w, r) {
		return in, f, 0, false
	}
	f = component.NewForm()
	known := map[string]bool{"version": true, "rows": true, "add_site": true}
	value := func(key, v string) string {
		if !validation.Storable(v) {
			f.Errors.Add(key, validation.KeyEncoding)
			v = printable(v)
		}
		f.Values[key] = v
		return v
	}
	for _, name := range order.DemandFields {
		known[name] = true
		value(name, r.PostForm.Get(name))
	}
	in = order.DemandInput{Title: f.Value("title"), ProductType: f.Value("product_type"), Deadline: f.Value("deadline"),
		Standard: f.Value("standard"), TargetPrice: f.Value("target_price"), Notes: f.Value("notes")}
	siteFields := []string{"site_province_code", "site_regency_code", "site_address", "site_quantity"}
	rows = len(r.PostForm["site_quantity"])
	for i := range rows {
		at := func(name string) string {
			known[name] = true
			var v string
			if vs := r.PostForm[name]; i < len(vs) {
				v = vs[i]
			}
			return value(order.SiteField(name, i+1), v)
		}
		in.Sites = append(in.Sites, order.SiteInput{ProvinceCode: at(siteFields[0]), RegencyCode: at(siteFields[1]),
			Address: at(siteFields[2]), Quantity: at(siteFields[3])})
	}
	for _, name := range siteFields {
		known[name] = true
	}
	for _, name := range unstorable(r.PostForm) {
		if !known[name] || !validation.Storable(name) {
			s.refuseInput(w, r)
			return in, f, 0, false
		}
	}
	return in, f, min(max(rows, 1), order.MaxSites), true
}

// createDemand stores a draft demand; "add a site" draws the form again
// with one more row, storing nothing.
func (s *Server) createDemand(w http.ResponseWriter, r *http.Request) {
	in, f, rows, ok := s.demandForm(w, r)
	if !ok {
		return
	}
	if r.PostForm.Get("add_site") != "" {
		s.renderDemandForm(w, r, http.StatusOK, f, min(rows+1, order.MaxSites))
		return
	}
	if f.Errors.Any() {
		s.renderDemandForm(w, r, http.StatusUnprocessableEntity, f, rows)
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	id, err := s.Orders.CreateDemand(ctx, a, in)
	switch {
	case fieldErrors(err, &f):
		s.renderDemandForm(w, r, http.StatusUnprocessableEntity, f, rows)
		return
	case err != nil:
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.demand_drafted")
	http.Redirect(w, r, orderpage.DemandPath(id), http.StatusSeeOther)
}

// editDemandPage is a draft demand's form, filled with what it holds.
func (s *Server) editDemandPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	id, ok := idParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	d, err := s.Orders.Demand(ctx, a, id)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	if d.Status != order.DemandDraft {
		http.Redirect(w, r, orderpage.DemandPath(id), http.StatusSeeOther)
		return
	}
	s.renderDemandForm(w, r, http.StatusOK, orderpage.DemandFormOf(d), len(d.Sites))
}

// updateDemand stores a draft demand's edit on the version the buyer saw;
// "add a site" draws the form again with one more row, storing nothing.
func (s *Server) updateDemand(w http.ResponseWriter, r *http.Request) {
	in, f, rows, ok := s.demandForm(w, r)
	if !ok {
		return
	}
	f.Values["version"] = r.PostForm.Get("version")
	if !validation.Storable(f.Values["version"]) {
		f.Values["version"] = ""
	}
	if r.PostForm.Get("add_site") != "" {
		s.renderDemandForm(w, r, http.StatusOK, f, min(rows+1, order.MaxSites))
		return
	}
	if f.Errors.Any() {
		s.renderDemandForm(w, r, http.StatusUnprocessableEntity, f, rows)
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	id, ok := idParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	err := s.Orders.UpdateDraft(ctx, a, id, versionOf(r), in)
	switch {
	case fieldErrors(err, &f):
		s.renderDemandForm(w, r, http.StatusUnprocessableEntity, f, rows)
		return
	case errors.Is(err, database.ErrStale), errors.Is(err, order.ErrState):
		s.renderDemand(w, r, http.StatusConflict, component.NewForm(), "error.demand_changed")
		return
	case err != nil:
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.demand_edited")
	http.Redirect(w, r, orderpage.DemandPath(id), http.StatusSeeOther)
}

func (s *Server) demandPage(w http.ResponseWriter, r *http.Request) {
	s.renderDemand(w, r, http.StatusOK, component.NewForm(), "")
}

// planOptions reads the planner's options from the query string.
func planOptions(r *http.Request) planner.Options {
	q := r.URL.Query()
	return planner.Options{FavourMicro: q.Get("favour_micro") == "1", FavourOutsideJava: q.Get("favour_outside_java") == "1"}
}

func (s *Server) renderDemand(w http.ResponseWriter, r *http.Request, status int, planForm component.Form, errKey string) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	id, ok := idParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	if a.Kind == account.KindMinistry {
		s.renderDemandForMinistry(w, r, id)
		return
	}
	p, err := s.Orders.Propose(ctx, a, id, planOptions(r))
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	words, err := s.words(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := orderpage.DemandView{Words: words, Demand: p.Demand, Remaining: p.Remaining, PlanForm: planForm, Error: errKey,
		CanApprove: a.Role == account.RoleOwner || a.Role == account.RoleAdmin, Now: s.Now()}
	if p.Demand.Status == order.DemandApproved || p.Demand.Status == order.DemandPlanned {
		v.Proposal = &p
	}
	s.render(w, r, status, orderpage.Demand(v))
}

// renderDemandForMinistry shows a demand as the ministry reads it: its
// sites, progress and orders, without the plan (the buyer's to make) and
// without any form.
func (s *Server) renderDemandForMinistry(w http.ResponseWriter, r *http.Request, id int64) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	d, err := s.Orders.Demand(ctx, a, id)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	words, err := s.words(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, orderpage.Demand(orderpage.DemandView{Words: words, Ministry: true, Demand: d,
		Remaining: d.Remaining(), PlanForm: component.NewForm(), Now: s.Now()}))
}

func (s *Server) approveDemand(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.parseForm(w, r); !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	id, ok := idParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	err := s.Orders.Approve(ctx, a, id, versionOf(r))
	switch {
	case errors.Is(err, order.ErrNotApprover):
		s.renderDemand(w, r, http.StatusForbidden, component.NewForm(), "error.demand_not_approver")
		return
	case errors.Is(err, database.ErrStale), errors.Is(err, order.ErrState):
		s.renderDemand(w, r, http.StatusConflict, component.NewForm(), "error.page_stale")
		return
	case err != nil:
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.demand_approved")
	http.Redirect(w, r, orderpage.DemandPath(id), http.StatusSeeOther)
}

// confirmPlan offers the plan's lines as orders, as the buyer edited them.
func (s *Server) confirmPlan(w http.ResponseWriter, r *http.Request) {
	if !s.readForm(w, r) {
		return
	}
	// A line's quantity that cannot be stored is an error on that line;
	// anything else unstorable (the hidden ids, a name) refuses the form.
	for _, name := range unstorable(r.PostForm) {
		if name != "line_quantity" {
			s.refuseInput(w, r)
			return
		}
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	id, ok := idParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	sites, suppliers, qty := r.PostForm["line_site"], r.PostForm["line_supplier"], r.PostForm["line_quantity"]
	if len(sites) != len(suppliers) || len(sites) != len(qty) {
		s.errorPage(w, r, http.StatusBadRequest, "error.page.400")
		return
	}
	f := component.NewForm()
	lines := make([]order.LineInput, len(sites))
	for i := range sites {
		site, err1 := strconv.ParseInt(sites[i], 10, 64)
		sup, err2 := strconv.ParseInt(suppliers[i], 10, 64)
		if err1 != nil || err2 != nil {
			s.errorPage(w, r, http.StatusBadRequest, "error.page.400")
			return
		}
		lines[i] = order.LineInput{SiteID: site, SupplierID: sup, Quantity: qty[i]}
		f.Values[order.LineField(i+1)] = qty[i]
		if !validation.Storable(qty[i]) {
			f.Errors.Add(order.LineField(i+1), validation.KeyEncoding)
			f.Values[order.LineField(i+1)] = printable(qty[i])
		}
	}
	if f.Errors.Any() {
		s.renderDemand(w, r, http.StatusUnprocessableEntity, f, "")
		return
	}
	made, err := s.Orders.Confirm(ctx, a, id, versionOf(r), lines)
	switch {
	case fieldErrors(err, &f):
		s.renderDemand(w, r, http.StatusUnprocessableEntity, f, "")
		return
	case errors.Is(err, database.ErrStale), errors.Is(err, order.ErrState):
		s.renderDemand(w, r, http.StatusConflict, component.NewForm(), "error.plan_stale")
		return
	case err != nil:
		s.domainError(w, r, err)
		return
	}
	s.flashN(ctx, "success", "flash.plan_confirmed", len(made))
	http.Redirect(w, r, orderpage.DemandPath(id), http.StatusSeeOther)
}

func (s *Server) ordersPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	q := listQuery(r)
	page, err := s.Orders.Orders(ctx, a, q)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	words, err := s.words(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, orderpage.Orders(orderpage.OrdersView{Words: words, Page: page, Query: q,
		Buyer: a.Kind == account.KindBuyer, Ministry: a.Kind == account.KindMinistry}))
}

func (s *Server) orderPage(w http.ResponseWriter, r *http.Request) {
	s.renderOrder(w, r, http.StatusOK, "", component.NewForm(), "")
}

func (s *Server) renderOrder(w http.ResponseWriter, r *http.Request, status int, action string, f component.Form, errKey string) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	id, ok := idParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	o, err := s.Orders.Order(ctx, a, id)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	words, err := s.words(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, orderpage.Order(orderpage.OrderView{Words: words, Order: o, Buyer: a.Kind == account.KindBuyer,
		Ministry: a.Kind == account.KindMinistry, Action: action, Form: f, Error: errKey, Now: s.Now()}))
}

// answer runs one answer to an order from the form of action and maps its
// refusals: field errors redraw that form, a stale page or a state that no
// longer allows it says so on the order's page.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, action, done string, fields []string,
	run func(ctx context.Context, a account.Actor, id int64, version int, f component.Form) error) {
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		s.renderOrder(w, r, http.StatusUnprocessableEntity, action, f, "")
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
	err := run(ctx, a, id, versionOf(r), f)
	var verrs validation.Errors
	switch {
	case errors.As(err, &verrs):
		f.Errors = verrs
		s.renderOrder(w, r, http.StatusUnprocessableEntity, action, f, "")
		return
	case errors.Is(err, order.ErrExpired):
		s.renderOrder(w, r, http.StatusConflict, "", component.NewForm(), "error.offer_expired")
		return
	case errors.Is(err, database.ErrStale), errors.Is(err, order.ErrState):
		s.renderOrder(w, r, http.StatusConflict, "", component.NewForm(), "error.order_stale")
		return
	case err != nil:
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", done)
	http.Redirect(w, r, orderpage.OrderPath(a.Kind == account.KindBuyer, id), http.StatusSeeOther)
}

func (s *Server) acceptOrder(w http.ResponseWriter, r *http.Request) {
	s.answer(w, r, "accept", "flash.order_accepted", nil, func(ctx context.Context, a account.Actor, id int64, v int, _ component.Form) error {
		return s.Orders.Accept(ctx, a, id, v)
	})
}

func (s *Server) declineOrder(w http.ResponseWriter, r *http.Request) {
	s.answer(w, r, "decline", "flash.order_declined", []string{"reason"}, func(ctx context.Context, a account.Actor, id int64, v int, f component.Form) error {
		return s.Orders.Decline(ctx, a, id, v, f.Value("reason"))
	})
}

func (s *Server) counterOrder(w http.ResponseWriter, r *http.Request) {
	s.answer(w, r, "counter", "flash.order_countered", order.CounterFields, func(ctx context.Context, a account.Actor, id int64, v int, f component.Form) error {
		return s.Orders.Counter(ctx, a, id, v, order.CounterInput{Quantity: f.Value("counter_quantity"),
			UnitPrice: f.Value("counter_unit_price"), DueDate: f.Value("counter_due_date"), Reason: f.Value("reason")})
	})
}

// counterDecision is the buyer's answer to a counter-offer: decision
// accept, or refuse with a reason.
func (s *Server) counterDecision(w http.ResponseWriter, r *http.Request) {
	s.answer(w, r, "counter", "flash.counter_answered", []string{"decision", "reason"}, func(ctx context.Context, a account.Actor, id int64, v int, f component.Form) error {
		switch f.Value("decision") {
		case "accept":
			return s.Orders.AcceptCounter(ctx, a, id, v)
		case "refuse":
			return s.Orders.RefuseCounter(ctx, a, id, v, f.Value("reason"))
		}
		return validation.Errors{"reason": "error.choose_option"}
	})
}

func (s *Server) cancelOrder(w http.ResponseWriter, r *http.Request) {
	s.answer(w, r, "cancel", "flash.order_cancelled", []string{"reason"}, func(ctx context.Context, a account.Actor, id int64, v int, f component.Form) error {
		return s.Orders.Cancel(ctx, a, id, v, f.Value("reason"))
	})
}

func (s *Server) startProduction(w http.ResponseWriter, r *http.Request) {
	s.answer(w, r, "production", "flash.order_in_production", nil, func(ctx context.Context, a account.Actor, id int64, v int, _ component.Form) error {
		return s.Orders.StartProduction(ctx, a, id, v)
	})
}

func (s *Server) recordShipment(w http.ResponseWriter, r *http.Request) {
	s.answer(w, r, "ship", "flash.order_shipped", order.ShipmentFields, func(ctx context.Context, a account.Actor, id int64, v int, f component.Form) error {
		return s.Orders.RecordShipment(ctx, a, id, v, order.ShipmentInput{Quantity: f.Value("quantity"),
			ShippedOn: f.Value("shipped_on"), Courier: f.Value("courier"), Tracking: f.Value("tracking")})
	})
}

func (s *Server) recordReceipt(w http.ResponseWriter, r *http.Request) {
	s.answer(w, r, "receive", "flash.order_received", order.ReceiptFields, func(ctx context.Context, a account.Actor, id int64, v int, f component.Form) error {
		shipment, err := strconv.ParseInt(f.Value("shipment_id"), 10, 64)
		if err != nil || shipment <= 0 {
			return database.ErrNotFound
		}
		err = s.Orders.RecordReceipt(ctx, a, id, v, order.ReceiptInput{ShipmentID: shipment, ReceivedOn: f.Value("received_on"),
			Accepted: f.Value("accepted"), Rejected: f.Value("rejected"), Reason: f.Value("reason")})
		if errors.Is(err, order.ErrReceived) {
			return order.ErrState
		}
		return err
	})
}

func (s *Server) invoiceOrder(w http.ResponseWriter, r *http.Request) {
	s.answer(w, r, "invoice", "flash.order_invoiced", []string{"invoiced_on"}, func(ctx context.Context, a account.Actor, id int64, v int, f component.Form) error {
		return s.Orders.Invoice(ctx, a, id, v, f.Value("invoiced_on"))
	})
}

func (s *Server) payOrder(w http.ResponseWriter, r *http.Request) {
	s.answer(w, r, "pay", "flash.order_paid", []string{"paid_on"}, func(ctx context.Context, a account.Actor, id int64, v int, f component.Form) error {
		return s.Orders.Pay(ctx, a, id, v, f.Value("paid_on"))
	})
}
