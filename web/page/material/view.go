// Package material draws raw-material requests: the supplier's list, form
// and request, and the ministry's list, purchases and request.
package material

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"pasokan/internal/i18n"
	domain "pasokan/internal/material"
	"pasokan/web/component"
)

// Words are the names of codes in the reader's language.
type Words struct {
	ProductNames  map[string]string
	ProvinceNames map[string]string
}

// SupplierView is the supplier's page of requests with the form for a new
// one.
type SupplierView struct {
	Words
	Requests []domain.Request
	Orders   []domain.OrderChoice
	Form     component.Form
}

// RequestView is one request with its timeline.
type RequestView struct {
	Words
	Request  domain.Request
	Events   []domain.Event
	Ministry bool
	// Action names the form that Form redraws ("deliver", "close").
	Action string
	Form   component.Form
	// Problem is a page-level error key (the request moved on meanwhile).
	Problem string
}

// FormFor is the form of action: the one redrawn, or an empty one.
func (v RequestView) FormFor(action string) component.Form {
	if v.Action == action {
		return v.Form
	}
	return component.NewForm()
}

// ListView is the ministry's list of requests.
type ListView struct {
	Words
	Filter   domain.Filter
	Requests []domain.Request
	// Next continues the list after this page ("" at its end); Continued
	// says the page is not the list's first.
	Next      string
	Continued bool
	Weeks     []domain.Week
	Provinces []component.Option
	Form      component.Form
	// Chosen are the requests ticked in the grouping form being redrawn.
	Chosen map[string]bool
}

// File is the address of the list's file of kind ext (csv, xlsx), with
// its filters.
func (v ListView) File(ext string) string {
	return strings.Replace(v.Query(), "/admin/materials", "/admin/materials."+ext, 1)
}

// PurchaseView is one purchase with its requests.
type PurchaseView struct {
	Words
	Purchase domain.Purchase
	Requests []domain.Request
}

// Totals sums a purchase's requests: quantity asked and delivered.
func (v PurchaseView) Totals() (quantity, delivered int) {
	for _, r := range v.Requests {
		quantity += r.Quantity
		delivered += r.Delivered
	}
	return quantity, delivered
}

// ID is an id as text.
func ID(n int64) string { return strconv.FormatInt(n, 10) }

// Amount is "500 m" in the reader's language.
func Amount(ctx context.Context, n int, unit string) string {
	return i18n.Int(ctx, n) + " " + i18n.T(ctx, "material.unit."+unit)
}

// MaterialName is the material's name in the reader's language; another
// material is named in the request's note, shown beside it.
func MaterialName(ctx context.Context, r domain.Request) string {
	return i18n.T(ctx, "material.name."+r.Material)
}

// OrderOptions are the orders a request may serve.
func (v SupplierView) OrderOptions(ctx context.Context) []component.Option {
	out := make([]component.Option, len(v.Orders))
	for i, o := range v.Orders {
		out[i] = component.Option{Value: ID(o.ID), Label: i18n.T(ctx, "material.order_choice", ID(o.ID), o.BuyerName,
			i18n.Int(ctx, o.Quantity), v.ProductNames[o.ProductType], i18n.Day(ctx, o.DueDate))}
	}
	return out
}

// Query is the list's address with its filters.
func (v ListView) Query() string { return v.query("") }

// NextPage is the address of the list's next page, with its filters.
func (v ListView) NextPage() string { return v.query(v.Next) }

func (v ListView) query(after string) string {
	q := url.Values{}
	if after != "" {
		q.Set("after", after)
	}
	for k, val := range map[string]string{"material": v.Filter.Material, "province": v.Filter.Province,
		"urgency": v.Filter.Urgency, "status": v.Filter.Status} {
		if val != "" {
			q.Set(k, val)
		}
	}
	if len(q) == 0 {
		return "/admin/materials"
	}
	return "/admin/materials?" + q.Encode()
}

// Groupable says whether any request on the list may still be grouped.
func (v ListView) Groupable() bool {
	for _, r := range v.Requests {
		if r.Status == domain.StatusRequested {
			return true
		}
	}
	return false
}
