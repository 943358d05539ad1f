// Package catalog draws the catalogue of curated suppliers: the buyers'
// search and supplier pages (contacts included), the public directory and
// its open data's dictionary (nothing personal).
package catalog

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"pasokan/internal/i18n"
	"pasokan/internal/listing"
	"pasokan/web/component"
)

// SearchView is a page of the catalogue: the buyers' (/catalog) or the
// public directory's (/directory).
type SearchView struct {
	// Public says the page is the directory: its filters are q, product and
	// province, its entries link to /directory/{slug} and show nothing a
	// buyer alone may see.
	Public bool
	// OrgName is the buyer organisation the person acts for (the buyers'
	// catalogue only).
	OrgName string
	// Filter is the search as run; Form the filters as typed, with an error
	// on a minimum capacity that is not a whole number.
	Filter listing.Filter
	Form   component.Form
	Page   listing.Page
	Now    time.Time
	// Choices of the filters.
	Products  []component.Option
	Provinces []component.Option
	// Regencies are the chosen province's: the regency filter is offered
	// once a province is chosen (every regency of the country was 28 KB of
	// a 47 KB page).
	Regencies []component.Option
	// Words for codes, in the reader's language.
	ProductNames  map[string]string
	ProductUnits  map[string]string
	ProvinceNames map[string]string
	RegencyNames  map[string]string
	// Drawn is the search, form and results, already drawn (kept by the
	// server); the page draws it as is.
	Drawn string
}

// DrawSearch draws v's search, form and results, for the server to keep.
func DrawSearch(ctx context.Context, v SearchView) (string, error) {
	var b strings.Builder
	err := search(v).Render(ctx, &b)
	return b.String(), err
}

// Filtered says whether any filter narrows the search.
func (v SearchView) Filtered() bool {
	f := v.Filter
	return f.Q != "" || f.Product != "" || f.Province != "" || f.Regency != "" || f.SizeClass != "" ||
		f.Permit != "" || f.MinCapacity > 0 || v.Form.Value("min_capacity") != ""
}

func (v SearchView) base() string {
	if v.Public {
		return "/directory"
	}
	return "/catalog"
}

// link is the page of the search with change applied to a copy of its
// filter, on its first page unless change sets a cursor.
func (v SearchView) link(change func(f *listing.Filter)) string {
	f := v.Filter
	f.Cursor = ""
	if change != nil {
		change(&f)
	}
	q := url.Values{}
	set := func(k, val string) {
		if val != "" {
			q.Set(k, val)
		}
	}
	set("q", f.Q)
	set("product", f.Product)
	set("province", f.Province)
	if !v.Public {
		set("regency", f.Regency)
		if f.MinCapacity > 0 {
			q.Set("min_capacity", strconv.Itoa(f.MinCapacity))
		}
		set("size_class", f.SizeClass)
		set("permit", f.Permit)
		if f.Sort != listing.SortName {
			set("sort", f.Sort)
		}
	}
	set("cursor", f.Cursor)
	if len(q) == 0 {
		return v.base()
	}
	return v.base() + "?" + q.Encode()
}

func (v SearchView) nextLink() string {
	return v.link(func(f *listing.Filter) { f.Cursor = v.Page.Next })
}

func (v SearchView) productLink(code string) string {
	return v.link(func(f *listing.Filter) { f.Product = code })
}

func (v SearchView) provinceLink(code string) string {
	return v.link(func(f *listing.Filter) { f.Province, f.Regency = code, "" })
}

func (v SearchView) entryLink(e listing.Entry) string {
	return v.base() + "/" + url.PathEscape(e.Slug)
}

// sortOptions are the catalogue's orders.
func sortOptions(ctx context.Context) []component.Option {
	return []component.Option{
		{Value: listing.SortName, Label: i18n.T(ctx, "catalog.sort.name")},
		{Value: listing.SortCapacity, Label: i18n.T(ctx, "catalog.sort.capacity")},
		{Value: listing.SortCurated, Label: i18n.T(ctx, "catalog.sort.curated")},
	}
}

// permitOptions are the permit filters.
func permitOptions(ctx context.Context) []component.Option {
	return []component.Option{
		{Value: listing.PermitIzinEdar, Label: i18n.T(ctx, "catalog.permit.izin_edar")},
		{Value: listing.PermitSNI, Label: i18n.T(ctx, "catalog.permit.sni")},
	}
}

// sizeOptions are the business sizes.
func sizeOptions(ctx context.Context, sizes []string) []component.Option {
	out := make([]component.Option, 0, len(sizes))
	for _, s := range sizes {
		out = append(out, component.Option{Value: s, Label: i18n.T(ctx, "size_class."+s)})
	}
	return out
}

// PausedOn says whether a supplier paused until (inclusive) takes no
// orders on the day of now, in WIB: the day a person means when they type a
// date.
func PausedOn(until *time.Time, now time.Time) bool {
	if until == nil {
		return false
	}
	y, m, d := now.In(i18n.WIB).Date()
	uy, um, ud := until.Date() // a date column: midnight UTC of the day typed
	return !time.Date(uy, um, ud, 0, 0, 0, 0, time.UTC).Before(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// place is "Kota Bandung, Jawa Barat", or whichever part is known.
func place(regency, province string) string {
	switch {
	case regency != "" && province != "":
		return regency + ", " + province
	case regency != "":
		return regency
	}
	return province
}

// capacity is "50.000 lembar per bulan".
func capacity(ctx context.Context, n int, unit string) string {
	return i18n.T(ctx, "catalog.capacity_month", i18n.Int(ctx, n), unit)
}

// leadTime is "siap kirim dalam 7 hari", or that it is not stated.
func leadTime(ctx context.Context, days int) string {
	if days <= 0 {
		return i18n.T(ctx, "catalog.lead_time_unknown")
	}
	return i18n.T(ctx, "catalog.lead_time", days)
}

// checkedParts is what a product was curated against, in pieces that a
// narrow column may wrap between: after each slash of a standard's code
// ("WHO/2019-nCoV/IPC_Masks/2020.4" is one word to a browser, wider than a
// phone's card).
func checkedParts(ctx context.Context, version int, standards []string) []string {
	text := strings.Join(standards, ", ")
	switch {
	case version > 0 && text != "":
		text = i18n.T(ctx, "catalog.checklist_only", version) + ": " + text
	case version > 0:
		text = i18n.T(ctx, "catalog.checklist_only", version)
	case text == "":
		text = "—"
	}
	return strings.SplitAfter(text, "/")
}

// provinceHint is the province filter's hint: on the buyers' catalogue,
// before a province is chosen, that choosing one offers its regencies.
func (v SearchView) provinceHint() string {
	if v.Public || v.Filter.Province != "" {
		return ""
	}
	return "hint.catalog_province"
}
