// Package orders draws the buyer's demands, their plans and orders, and
// each order as its buyer and its supplier see it.
package orders

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"pasokan/internal/i18n"
	"pasokan/internal/order"
	"pasokan/internal/planner"
	"pasokan/internal/region"
	domain "pasokan/internal/supplier"
	"pasokan/web/component"
)

// Words are the names of codes in the reader's language.
type Words struct {
	ProductNames map[string]string
	ProductUnits map[string]string
	Regions      *region.Catalog
}

// Place is "Kota Bandung, Jawa Barat".
func (w Words) Place(regency, province string) string {
	var r, p string
	if rg, ok := w.Regions.Regency(regency); ok {
		r = rg.Name
	}
	if pr, ok := w.Regions.Province(province); ok {
		p = pr.Name
	}
	switch {
	case r != "" && p != "":
		return r + ", " + p
	case r != "":
		return r
	}
	return p
}

// DemandsView is a list of demands: the buyer's, or every buyer's for the
// ministry.
type DemandsView struct {
	Words
	Page     order.DemandPage
	Query    order.ListQuery
	Ministry bool
}

// Root is the list's section: "/buyer" or "/admin".
func (v DemandsView) Root() string { return root(v.Ministry, true) }

// NextPage is the address of the page after this one.
func (v DemandsView) NextPage() string {
	return pageLink(v.Root()+"/demands", v.Query.Status, v.Page.Next)
}

// StatusOptions are the list's status filter's choices.
func (v DemandsView) StatusOptions(ctx context.Context) []component.Option {
	return statusOptions(ctx, "demand.status.", order.DemandStatuses)
}

// DemandFormView is the form of a new demand, or of a draft's edit.
type DemandFormView struct {
	Form component.Form
	// EditID is the draft being edited; 0 for a new demand.
	EditID    int64
	Rows      int
	Products  []component.Option
	Provinces []component.Option
	Regencies *component.PrerenderedGroups
}

// Action is where the form posts.
func (v DemandFormView) Action() string {
	if v.EditID != 0 {
		return DemandPath(v.EditID) + "/edit"
	}
	return "/buyer/demands"
}

// Title is the form's heading.
func (v DemandFormView) Title() string {
	if v.EditID != 0 {
		return "demand.edit_title"
	}
	return "demand.new_title"
}

// DemandFormOf is a draft demand's form, filled with what it holds.
func DemandFormOf(d order.Demand) component.Form {
	f := component.NewForm()
	f.Values["title"] = d.Title
	f.Values["product_type"] = d.ProductType
	f.Values["deadline"] = d.Deadline.Format(time.DateOnly)
	f.Values["standard"] = d.Standard
	if d.TargetPrice != nil {
		f.Values["target_price"] = strconv.FormatInt(*d.TargetPrice, 10)
	}
	f.Values["notes"] = d.Notes
	f.Values["version"] = strconv.Itoa(d.Version)
	for i, s := range d.Sites {
		f.Values[order.SiteField("site_province_code", i+1)] = s.ProvinceCode
		f.Values[order.SiteField("site_regency_code", i+1)] = s.RegencyCode
		f.Values[order.SiteField("site_address", i+1)] = s.Address
		f.Values[order.SiteField("site_quantity", i+1)] = strconv.Itoa(s.Quantity)
	}
	return f
}

// RowNumbers are the site rows' positions, 1-based.
func (v DemandFormView) RowNumbers() []int {
	out := make([]int, v.Rows)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// DemandView is one demand: its sites, its approval, its plan and orders.
// The ministry reads it without the plan and without any form.
type DemandView struct {
	Words
	Ministry   bool
	Demand     order.Demand
	Remaining  []int
	CanApprove bool
	// Proposal is the plan of what remains (approved or planned demands).
	Proposal *order.Proposal
	// PlanForm holds the lines as typed when a confirmation was refused.
	PlanForm component.Form
	// Error is a message on the whole page (a stale version, say).
	Error string
	Now   time.Time
}

// Planning says whether the demand may be planned now.
func (v DemandView) Planning() bool {
	return v.Proposal != nil && (v.Demand.Status == order.DemandApproved || v.Demand.Status == order.DemandPlanned)
}

// RemainingTotal is what the sites still need together.
func (v DemandView) RemainingTotal() int {
	n := 0
	for _, r := range v.Remaining {
		n += r
	}
	return n
}

// LineQuantity is the quantity shown in line i's field (1-based): as typed
// after a refusal, else as planned.
func (v DemandView) LineQuantity(i int, l planner.Line) string {
	if s, ok := v.PlanForm.Values[order.LineField(i)]; ok {
		return s
	}
	return strconv.Itoa(l.Quantity)
}

// SiteID is the id of the site a plan line serves.
func (v DemandView) SiteID(l planner.Line) string {
	return strconv.FormatInt(v.Demand.Sites[l.Site].ID, 10)
}

// SupplierName names a planned producer.
func (v DemandView) SupplierName(id int64) string {
	if v.Proposal != nil {
		if c, ok := v.Proposal.Suppliers[id]; ok {
			return c.Name
		}
	}
	return ""
}

// Progress is a demand's progress per status group, for bars.
type Progress struct {
	Demand, Offered, Accepted int
	// Shipped, Received (accepted at receipt) and Rejected units.
	Shipped, Received, Rejected int
}

// ProgressOf sums a demand's orders.
func ProgressOf(d order.Demand) Progress {
	p := Progress{Demand: d.Quantity}
	for _, o := range d.Orders {
		switch o.Status {
		case order.StatusOffered, order.StatusCountered:
			p.Offered += o.Quantity
		case order.StatusAccepted, order.StatusInProduction, order.StatusShipped, order.StatusCompleted,
			order.StatusInvoiced, order.StatusPaid:
			p.Accepted += o.Quantity
		}
		p.Shipped += o.ShippedUnits
		p.Received += o.AcceptedUnits
		p.Rejected += o.RejectedUnits
	}
	return p
}

// Percent is n of total as a whole percentage for a bar (0–100).
func Percent(n, total int) string {
	if total <= 0 {
		return "0"
	}
	return strconv.Itoa(min(100, n*100/total))
}

// OrdersView is a page of orders: the buyer's, a supplier's own, or every
// order for the ministry.
type OrdersView struct {
	Words
	Page     order.OrderPage
	Query    order.ListQuery
	Buyer    bool
	Ministry bool
}

// Root is the list's section: "/buyer", "/supplier" or "/admin".
func (v OrdersView) Root() string { return root(v.Ministry, v.Buyer) }

// NextPage is the address of the page after this one.
func (v OrdersView) NextPage() string {
	return pageLink(v.Root()+"/orders", v.Query.Status, v.Page.Next)
}

// StatusOptions are the list's status filter's choices.
func (v OrdersView) StatusOptions(ctx context.Context) []component.Option {
	return statusOptions(ctx, "order.status.", order.Statuses)
}

// Filtered says whether the list shows one status or a later page.
func (v OrdersView) Filtered() bool { return v.Query.Status != "" || v.Query.Before > 0 }

// FilterForm holds the list's filter as chosen.
func (v OrdersView) FilterForm() component.Form { return filterForm(v.Query) }

// FilterForm holds the list's filter as chosen.
func (v DemandsView) FilterForm() component.Form { return filterForm(v.Query) }

// Filtered says whether the list shows one status or a later page.
func (v DemandsView) Filtered() bool { return v.Query.Status != "" || v.Query.Before > 0 }

func filterForm(q order.ListQuery) component.Form {
	f := component.NewForm()
	f.Values["status"] = q.Status
	return f
}

// root is a reader's section of the site.
func root(ministry, buyer bool) string {
	switch {
	case ministry:
		return "/admin"
	case buyer:
		return "/buyer"
	}
	return "/supplier"
}

// pageLink is a list's address with its status filter and the id the next
// page starts below.
func pageLink(path, status string, before int64) string {
	q := url.Values{}
	if status != "" {
		q.Set("status", status)
	}
	q.Set("before", strconv.FormatInt(before, 10))
	return path + "?" + q.Encode()
}

// statusOptions are the statuses, named in the reader's language.
func statusOptions(ctx context.Context, prefix string, statuses []string) []component.Option {
	var out []component.Option
	for _, s := range statuses {
		out = append(out, component.Option{Value: s, Label: i18n.T(ctx, prefix+s)})
	}
	return out
}

// OrderView is one order, for its buyer, its supplier or the ministry
// (which reads it without any form).
type OrderView struct {
	Words
	Order    order.Order
	Buyer    bool
	Ministry bool
	// Form is the answer that was refused, with its errors; Action names
	// which form it was (decline, counter, refuse, cancel).
	Form   component.Form
	Action string
	Error  string
	Now    time.Time
}

// Supplier says whether the reader is the order's supplier.
func (v OrderView) Supplier() bool { return !v.Buyer && !v.Ministry }

// Root is the reader's section: "/buyer", "/supplier" or "/admin".
func (v OrderView) Root() string { return root(v.Ministry, v.Buyer) }

// Answerable says whether the supplier may still answer the offer.
func (v OrderView) Answerable() bool {
	return v.Supplier() && v.Order.Status == order.StatusOffered && v.Now.Before(v.Order.RespondBy)
}

// Cancellable says whether the reader may cancel the order.
func (v OrderView) Cancellable() bool {
	if v.Ministry {
		return false
	}
	switch v.Order.Status {
	case order.StatusAccepted, order.StatusInProduction:
		return true
	case order.StatusOffered, order.StatusCountered:
		return v.Buyer
	}
	return false
}

// FormFor is the form of action: the refused one, or an empty one.
func (v OrderView) FormFor(action string) component.Form {
	if v.Action == action {
		return v.Form
	}
	return component.NewForm()
}

// Base is the order's path for its reader.
func (v OrderView) Base() string { return v.Root() + "/orders/" + strconv.FormatInt(v.Order.ID, 10) }

// DemandHref is the path of the order's demand for its reader: the buyer's
// or the ministry's page of it.
func (v OrderView) DemandHref() string { return v.Root() + "/demands/" + ID(v.Order.DemandID) }

// OrderPath is an order's path for a buyer or a supplier.
func OrderPath(buyer bool, id int64) string {
	if buyer {
		return "/buyer/orders/" + strconv.FormatInt(id, 10)
	}
	return "/supplier/orders/" + strconv.FormatInt(id, 10)
}

// DemandPath is a demand's path for its buyer.
func DemandPath(id int64) string { return "/buyer/demands/" + strconv.FormatInt(id, 10) }

// Href is the demand's path for its reader: the buyer's page or the
// ministry's.
func (v DemandView) Href() string { return root(v.Ministry, true) + "/demands/" + ID(v.Demand.ID) }

// Rupiah is "Rp 4.000".
func Rupiah(n int64) string { return domain.FormatRupiah(n) }

// Distance names a plan line's distance class.
func Distance(ctx context.Context, class int) string {
	return i18n.T(ctx, "plan.distance."+strconv.Itoa(class))
}

// Version is a version as a form value.
func Version(n int) string { return strconv.Itoa(n) }

// ID is an id as text.
func ID(n int64) string { return strconv.FormatInt(n, 10) }

// Delivering says whether the order is past the offer: its deliveries are
// shown.
func (v OrderView) Delivering() bool {
	switch v.Order.Status {
	case order.StatusAccepted, order.StatusInProduction, order.StatusShipped, order.StatusCompleted,
		order.StatusInvoiced, order.StatusPaid:
		return true
	}
	return false
}

// CanShip says whether the supplier may record a shipment now.
func (v OrderView) CanShip() bool {
	switch v.Order.Status {
	case order.StatusAccepted, order.StatusInProduction, order.StatusShipped:
		return v.Supplier() && v.Order.ToShip() > 0
	}
	return false
}

// ReceiptForm is the receipt form of one shipment: the refused one with
// its errors when it was this shipment's, else a new one with the
// shipment's units as accepted.
func (v OrderView) ReceiptForm(shipment int64) component.Form {
	if v.Action == "receive" && v.Form.Value("shipment_id") == ID(shipment) {
		return v.Form
	}
	f := component.NewForm()
	for _, sh := range v.Order.Shipments {
		if sh.ID == shipment {
			f.Values["accepted"] = strconv.Itoa(sh.Quantity)
			f.Values["rejected"] = "0"
		}
	}
	return f
}

// NextReceipt is the oldest shipment the buyer has not received yet: one
// goods-received record at a time.
func (v OrderView) NextReceipt() (order.Shipment, bool) {
	if !v.Buyer || v.Order.Status != order.StatusShipped {
		return order.Shipment{}, false
	}
	for _, sh := range v.Order.Shipments {
		if sh.ReceiptID == nil {
			return sh, true
		}
	}
	return order.Shipment{}, false
}

// ExportBase is the reader's side's path for downloads ("/buyer/").
func (v OrdersView) ExportBase() string { return v.Root() + "/" }

// DeadlinePassed says whether the demand's deadline is today or past: no
// producer can make anything by it, and the page says so rather than show
// a shortfall as if capacity were missing.
func (v DemandView) DeadlinePassed() bool {
	y, m, d := v.Now.In(i18n.WIB).Date()
	return !v.Demand.Deadline.After(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}
