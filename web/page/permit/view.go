// Package permit draws permit and certification help: the supplier's
// requests and form, and the ministry's list and steps.
package permit

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"pasokan/internal/i18n"
	domain "pasokan/internal/permit"
	"pasokan/web/component"
)

// SupplierView is the supplier's page of requests with the form for a new
// one.
type SupplierView struct {
	ProductNames map[string]string
	Products     []component.Option
	Requests     []domain.Request
	Form         component.Form
}

// RequestView is one request with its timeline; the ministry's copy
// carries the forms of its next steps.
type RequestView struct {
	ProductNames  map[string]string
	ProvinceNames map[string]string
	Request       domain.Request
	Events        []domain.Event
	Ministry      bool
	// Action is the step whose form Form redraws.
	Action  string
	Form    component.Form
	Problem string
}

// FormFor is the form of a step: the one redrawn, or an empty one.
func (v RequestView) FormFor(step string) component.Form {
	if v.Action == step {
		return v.Form
	}
	return component.NewForm()
}

// ListView is the ministry's list.
type ListView struct {
	ProductNames  map[string]string
	ProvinceNames map[string]string
	Filter        domain.Filter
	Steps         []domain.Step
	Requests      []domain.Request
	// Next continues the list after this page ("" at its end); Continued
	// says the page is not the list's first.
	Next      string
	Continued bool
	Now       time.Time
}

// Query is the list's filter as a query string, for its files.
func (v ListView) Query() string { return v.query("") }

// NextPage is the address of the list's next page, with its filters.
func (v ListView) NextPage() string { return "/admin/permits" + v.query(v.Next) }

func (v ListView) query(after string) string {
	q := url.Values{}
	if after != "" {
		q.Set("after", after)
	}
	if v.Filter.Status != "" {
		q.Set("status", v.Filter.Status)
	}
	if v.Filter.Kind != "" {
		q.Set("kind", v.Filter.Kind)
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// ID is an id as text.
func ID(n int64) string { return strconv.FormatInt(n, 10) }

// Days is a wait in whole days, "3 hari".
func Days(ctx context.Context, d time.Duration) string {
	return i18n.T(ctx, "permit.days", i18n.Int(ctx, int(d.Hours()/24)))
}
