package server

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"pasokan/internal/database"
	"pasokan/internal/i18n"
	"pasokan/internal/listing"
	"pasokan/internal/order"
	"pasokan/internal/product"
	"pasokan/internal/region"
	"pasokan/internal/supplier"
	"pasokan/internal/validation"
	"pasokan/web/component"
	catpage "pasokan/web/page/catalog"
)

// The catalogue of curated suppliers: the buyers' search and supplier
// pages (homes.go's catalog is the buyers' home), and the public directory
// (directory.go) share the search of package listing.

// maxQuery bounds the search words read: the form allows 100 characters.
const maxQuery = 100

// maxCursor bounds a cursor: ours are a name of at most a few hundred
// bytes and an id, base64-encoded.
const maxCursor = 1024

// searchFilter reads a catalogue search from the query string: a choice that
// is not one of the catalogue's is dropped, a minimum capacity that is not a
// whole number is an error on its field (and dropped). public reads the
// directory's filters only (q, product, province, cursor).
func searchFilter(q url.Values, public bool, products *product.Catalog, regions *region.Catalog) (listing.Filter, component.Form) {
	form := component.NewForm()
	f := listing.Filter{Sort: listing.SortName}
	f.Q = strings.TrimSpace(q.Get("q"))
	if utf8.RuneCountInString(f.Q) > maxQuery {
		f.Q = string([]rune(f.Q)[:maxQuery])
	}
	form.Values["q"] = f.Q
	if code := q.Get("product"); code != "" {
		if _, ok := products.Get(code); ok {
			f.Product = code
		}
	}
	if code := q.Get("province"); code != "" {
		if _, ok := regions.Province(code); ok {
			f.Province = code
		}
	}
	f.Cursor = cursorParam(q.Get("cursor"))
	form.Values["product"], form.Values["province"] = f.Product, f.Province
	if public {
		return f, form
	}
	if code := q.Get("regency"); code != "" {
		// A regency names its province: the form offers a province's
		// regencies once the province is chosen.
		if rg, ok := regions.Regency(code); ok && (f.Province == "" || f.Province == rg.ProvinceCode) {
			f.Regency, f.Province = code, rg.ProvinceCode
			form.Values["province"] = f.Province
		}
	}
	if s := q.Get("size_class"); slices.Contains(supplier.SizeClasses, s) {
		f.SizeClass = s
	}
	if p := q.Get("permit"); p == listing.PermitIzinEdar || p == listing.PermitSNI {
		f.Permit = p
	}
	if s := q.Get("sort"); s == listing.SortCapacity || s == listing.SortCurated {
		f.Sort = s
	}
	if typed := strings.TrimSpace(q.Get("min_capacity")); typed != "" {
		form.Values["min_capacity"] = typed
		if n, ok := validation.WholeNumber(typed); ok && n <= supplier.MaxMonthlyCapacity {
			f.MinCapacity = int(n)
		} else {
			form.Errors.Add("min_capacity", "error.min_capacity_invalid")
		}
	}
	form.Values["regency"], form.Values["size_class"], form.Values["permit"] = f.Regency, f.SizeClass, f.Permit
	form.Values["sort"] = f.Sort
	return f, form
}

// cursorParam keeps a cursor that could be one of ours: base64 of text
// Postgres can compare. Anything else reads as the first page, as package
// listing reads a cursor it cannot decode (a cursor holding bytes that are
// not UTF-8 reached Postgres as a name to compare, and failed the page).
func cursorParam(c string) string {
	if c == "" || len(c) > maxCursor {
		return ""
	}
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !utf8.Valid(raw) || strings.ContainsRune(string(raw), 0) {
		return ""
	}
	return c
}

// keptSearches bounds the rendered searches a process keeps (a few tens of
// kilobytes each).
const keptSearches = 1024

// searchKey is what a rendered search depends on: the catalogue's
// generation, the query as sent, the reader's language, the day (a pause
// ends on a date), and whether it is the directory. Nothing of the reader:
// the buyer's organisation is drawn around it.
type searchKey struct {
	gen    int64
	public bool
	lang   i18n.Lang
	day    string
	query  string
}

// keptSearch is the search of r, drawn: kept from an earlier request while
// nothing it depends on has changed (listing.Store.Search keeps the pages
// the same way; drawing 25 entries with their facets and form was 40 % of
// the server's CPU for /catalog), else searched and drawn now.
func (s *Server) keptSearch(r *http.Request, public bool) (catpage.SearchView, error) {
	ctx := r.Context()
	gen, err := s.Listings.Generation(ctx)
	if err != nil {
		return catpage.SearchView{}, err
	}
	key := searchKey{gen: gen, public: public, lang: i18n.LangFrom(ctx),
		day: s.Now().In(i18n.WIB).Format(time.DateOnly), query: r.URL.RawQuery}
	if html, ok := s.searches.Get(key); ok {
		return catpage.SearchView{Public: public, Drawn: html}, nil
	}
	ctx = listing.WithGeneration(ctx, &listing.Generation{N: gen, Read: true})
	v, err := s.searchView(r.WithContext(ctx), public)
	if err != nil {
		return catpage.SearchView{}, err
	}
	if v.Drawn, err = catpage.DrawSearch(ctx, v); err != nil {
		return catpage.SearchView{}, err
	}
	s.searches.Add(key, v.Drawn)
	return v, nil
}

// searchView runs the search of r and fills the page's model.
func (s *Server) searchView(r *http.Request, public bool) (catpage.SearchView, error) {
	ctx := r.Context()
	products, err := s.Products.Load(ctx)
	if err != nil {
		return catpage.SearchView{}, err
	}
	regions, err := s.Regions.Load(ctx)
	if err != nil {
		return catpage.SearchView{}, err
	}
	f, form := searchFilter(r.URL.Query(), public, products, regions)
	page, err := s.Listings.Search(ctx, f)
	if err != nil {
		return catpage.SearchView{}, err
	}
	v := catpage.SearchView{Public: public, Filter: f, Form: form, Page: page, Now: s.Now(),
		RegencyNames: map[string]string{}}
	v.ProductNames, v.ProductUnits = productWordsOf(ctx, products)
	for _, t := range products.All() {
		v.Products = append(v.Products, component.Option{Value: t.Code, Label: v.ProductNames[t.Code]})
	}
	places, err := s.places(ctx)
	if err != nil {
		return catpage.SearchView{}, err
	}
	v.Provinces = places.provinces
	if !public && f.Province != "" {
		for _, rg := range regions.Regencies(f.Province) {
			v.Regencies = append(v.Regencies, component.Option{Value: rg.Code, Label: rg.Name})
		}
	}
	v.ProvinceNames = make(map[string]string, len(places.provinces))
	for _, p := range places.provinces {
		v.ProvinceNames[p.Value] = p.Label
	}
	// Facets in the order of the filters' choices: products as the
	// catalogue lists them, provinces by name.
	order := func(opts []component.Option) func(a, b listing.Facet) int {
		at := make(map[string]int, len(opts))
		for i, o := range opts {
			at[o.Value] = i
		}
		return func(a, b listing.Facet) int { return at[a.Code] - at[b.Code] }
	}
	slices.SortStableFunc(v.Page.Products, order(v.Products))
	slices.SortStableFunc(v.Page.Provinces, order(v.Provinces))
	for _, e := range page.Entries {
		if rg, ok := regions.Regency(e.RegencyCode); ok {
			v.RegencyNames[e.RegencyCode] = rg.Name
		}
	}
	return v, nil
}

// productWordsOf maps product type codes to their names and units in the
// language of ctx.
func productWordsOf(ctx context.Context, c *product.Catalog) (names, units map[string]string) {
	lang := i18n.LangFrom(ctx)
	names, units = map[string]string{}, map[string]string{}
	for _, t := range c.All() {
		names[t.Code], units[t.Code] = t.Name(lang), t.Unit(lang)
	}
	return names, units
}

// placeNames returns the names of a regency and a province ("" when
// unknown).
func (s *Server) placeNames(ctx context.Context, regencyCode, provinceCode string) (regency, province string, err error) {
	regions, err := s.Regions.Load(ctx)
	if err != nil {
		return "", "", err
	}
	if rg, ok := regions.Regency(regencyCode); ok {
		regency = rg.Name
	}
	if p, ok := regions.Province(provinceCode); ok {
		province = p.Name
	}
	return regency, province, nil
}

// catalogSupplier is a listed supplier's page for buyers, contacts
// included; a supplier that is not listed is not found.
func (s *Server) catalogSupplier(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	slug := chi.URLParam(r, "slug")
	// The listing and the supplier's record in one round trip.
	v := catpage.SupplierView{Now: s.Now()}
	var reads database.Reads
	err := s.Listings.QueueForBuyer(a, &reads, slug, &v.Listing)
	if err == nil {
		order.QueueRecordOf(&reads, listing.OrganizationOfSlugSQL, slug, &v.Record)
		err = s.DB.Read(ctx, a.Scope(), &reads)
	}
	if errors.Is(err, database.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	l := v.Listing
	if v.ProductNames, v.ProductUnits, err = s.productWords(r); err != nil {
		s.serverError(w, r, err)
		return
	}
	if v.Regency, v.Province, err = s.placeNames(ctx, l.RegencyCode, l.ProvinceCode); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, catpage.Supplier(v))
}
