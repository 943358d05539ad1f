package server

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"pasokan/internal/database"
	"pasokan/internal/i18n"
	"pasokan/internal/listing"
	"pasokan/internal/product"
	"pasokan/internal/region"
	catpage "pasokan/web/page/catalog"
)

// The public directory of curated suppliers, its open data and the
// certificate check for machines: for anyone, and nothing personal. They
// read only the catalogue's public read model (package listing) and what a
// certificate says of the business, never a profile or a listing's
// contacts.

// robotsTag lets search engines index the public pages that inform (the
// home page, help, the privacy notice, the standards) and the public
// directory, and nothing else: every other page is a form, a person's own
// work, or a check by a code someone was given. An owner who searches for
// the programme finds its home page and its help.
func robotsTag(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !indexable(r.URL.Path) {
			w.Header().Set("X-Robots-Tag", "noindex")
		}
		next.ServeHTTP(w, r)
	})
}

func indexable(path string) bool {
	switch path {
	case "/", "/help", "/privacy", "/standards":
		return true
	}
	return path == "/directory" || path == "/directory.csv" || strings.HasPrefix(path, "/directory/")
}

func (s *Server) directory(w http.ResponseWriter, r *http.Request) {
	v, err := s.keptSearch(r, true)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, catpage.Directory(v))
}

func (s *Server) directorySupplier(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := s.Listings.PublicBySlug(ctx, chi.URLParam(r, "slug"))
	if errors.Is(err, database.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := catpage.PublicView{Public: p, Now: s.Now()}
	if v.ProductNames, v.ProductUnits, err = s.productWords(r); err != nil {
		s.serverError(w, r, err)
		return
	}
	if v.Regency, v.Province, err = s.placeNames(ctx, p.RegencyCode, p.ProvinceCode); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, catpage.PublicSupplier(v))
}

// exportWords are what the open data's rows need besides an entry.
type exportWords struct {
	products  *product.Catalog
	regions   *region.Catalog
	verifyURL string
}

// openDataColumn is a column of /directory.csv; its description is the
// message catalog.data.col.<name> in each language (/directory/data).
type openDataColumn struct {
	name, kind string
	value      func(e listing.Entry, x exportWords) string
}

func yesNo(b bool) string {
	if b {
		return "ya"
	}
	return "tidak"
}

// wibDay is the day of t in WIB, as YYYY-MM-DD.
func wibDay(t time.Time) string { return t.In(i18n.WIB).Format(time.DateOnly) }

// spreadsheetSafe keeps a spreadsheet from reading a name as a formula: a
// cell that starts with =, +, -, @ or a control character gets a leading
// apostrophe (the dictionary says so).
func spreadsheetSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// openDataColumns are the columns of the open data, in order. The names are
// a contract with whoever reads the file: add columns at the end, never
// rename one.
var openDataColumns = []openDataColumn{
	{"business_name", "text", func(e listing.Entry, _ exportWords) string { return spreadsheetSafe(e.Name) }},
	{"slug", "text", func(e listing.Entry, _ exportWords) string { return e.Slug }},
	{"product_type", "text", func(e listing.Entry, _ exportWords) string { return e.ProductType }},
	{"product_name", "text", func(e listing.Entry, x exportWords) string {
		t, _ := x.products.Get(e.ProductType)
		return t.NameID
	}},
	{"unit", "text", func(e listing.Entry, x exportWords) string {
		t, _ := x.products.Get(e.ProductType)
		return t.UnitID
	}},
	{"monthly_capacity", "integer", func(e listing.Entry, _ exportWords) string { return strconv.Itoa(e.MonthlyCapacity) }},
	{"lead_time_days", "integer", func(e listing.Entry, _ exportWords) string {
		if e.LeadTimeDays == nil {
			return ""
		}
		return strconv.Itoa(*e.LeadTimeDays)
	}},
	{"price_min", "integer", func(e listing.Entry, _ exportWords) string { return strconv.FormatInt(e.PriceMin, 10) }},
	{"price_max", "integer", func(e listing.Entry, _ exportWords) string { return strconv.FormatInt(e.PriceMax, 10) }},
	{"province_code", "text", func(e listing.Entry, _ exportWords) string { return e.ProvinceCode }},
	{"province_name", "text", func(e listing.Entry, x exportWords) string {
		p, _ := x.regions.Province(e.ProvinceCode)
		return p.Name
	}},
	{"regency_code", "text", func(e listing.Entry, _ exportWords) string { return e.RegencyCode }},
	{"regency_name", "text", func(e listing.Entry, x exportWords) string {
		rg, _ := x.regions.Regency(e.RegencyCode)
		return rg.Name
	}},
	{"size_class", "text", func(e listing.Entry, _ exportWords) string { return e.SizeClass }},
	{"izin_edar", "yes_no", func(e listing.Entry, _ exportWords) string { return yesNo(e.IzinEdar) }},
	{"sni", "yes_no", func(e listing.Entry, _ exportWords) string { return yesNo(e.SNI) }},
	{"curated_on", "date", func(e listing.Entry, _ exportWords) string { return wibDay(e.CuratedAt) }},
	{"confirmed_on", "date", func(e listing.Entry, _ exportWords) string { return wibDay(e.ConfirmedAt) }},
	{"certificate_code", "text", func(e listing.Entry, _ exportWords) string { return e.CertificateCode }},
	{"verify_url", "url", func(e listing.Entry, x exportWords) string {
		if e.CertificateCode == "" {
			return ""
		}
		return x.verifyURL + e.CertificateCode
	}},
}

// byteOrderMark tells spreadsheets the file is UTF-8 ("Kabupaten
// Pangkajene dan Kepulauan" is ASCII, but names of businesses may not be).
const byteOrderMark = "\ufeff"

// directoryCSV streams the directory as open data: one row per listed
// product, by business name. Nothing is written until the first page of
// the catalogue is read, so a database that does not answer gets the error
// page; a failure later cuts the download short rather than end it like a
// whole file.
func (s *Server) directoryCSV(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	products, err := s.Products.Load(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	regions, err := s.Regions.Load(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	x := exportWords{products: products, regions: regions, verifyURL: s.BaseURL + "/verify/"}
	cw := csv.NewWriter(w)
	row := make([]string, len(openDataColumns))
	started := false
	start := func() error {
		started = true
		h := w.Header()
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="pasokan-direktori.csv"`)
		if _, err := w.Write([]byte(byteOrderMark)); err != nil {
			return err
		}
		for i, c := range openDataColumns {
			row[i] = c.name
		}
		return cw.Write(row)
	}
	err = s.Listings.EachEntry(ctx, func(e listing.Entry) error {
		if !started {
			if err := start(); err != nil {
				return err
			}
		}
		for i, c := range openDataColumns {
			row[i] = c.value(e, x)
		}
		return cw.Write(row)
	})
	if err == nil && !started {
		err = start()
	}
	if err == nil {
		cw.Flush()
		err = cw.Error()
	}
	switch {
	case err == nil:
	case !started:
		s.serverError(w, r, err)
	default:
		s.Log.Warn("open data download cut short", "request_id", requestIDFrom(ctx), "err", err)
		panic(http.ErrAbortHandler)
	}
}

// directoryData documents the open data: its columns in both languages and
// its licence.
func (s *Server) directoryData(w http.ResponseWriter, r *http.Request) {
	v := catpage.DataView{CSVURL: s.BaseURL + "/directory.csv"}
	for _, c := range openDataColumns {
		v.Columns = append(v.Columns, catpage.Column{Name: c.name, Type: c.kind})
	}
	s.render(w, r, http.StatusOK, catpage.Data(v))
}

// verifyAnswer is a certificate check for machines. It says what the
// certificate says of the business and its products, never the NIB or the
// legal name of a business with a trading name.
type verifyAnswer struct {
	Code          string          `json:"code"`
	Found         bool            `json:"found"`
	Valid         bool            `json:"valid"`
	Revoked       bool            `json:"revoked"`
	RevokedReason string          `json:"revoked_reason,omitempty"`
	RevokedAt     *time.Time      `json:"revoked_at,omitempty"`
	Supplier      *verifySupplier `json:"supplier,omitempty"`
	Curator       string          `json:"curator,omitempty"`
	Products      []verifyProduct `json:"products,omitempty"`
	IssuedAt      *time.Time      `json:"issued_at,omitempty"`
	DecidedOn     string          `json:"decided_on,omitempty"`
	VerifyURL     string          `json:"verify_url,omitempty"`
}

type verifySupplier struct {
	BusinessName string `json:"business_name"`
	ProvinceCode string `json:"province_code"`
	ProvinceName string `json:"province_name"`
	RegencyCode  string `json:"regency_code"`
	RegencyName  string `json:"regency_name"`
}

type verifyProduct struct {
	ProductType      string   `json:"product_type"`
	ProductName      string   `json:"product_name"`
	ChecklistVersion int      `json:"checklist_version"`
	Standards        []string `json:"standards"`
}

// verifyCertificateJSON is GET /verify/{code}.json: the check of
// /verify/{code} for machines.
func (s *Server) verifyCertificateJSON(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	code := strings.ToUpper(strings.TrimSpace(chi.URLParam(r, "code")))
	out := verifyAnswer{Code: code}
	status := http.StatusOK
	c, err := s.Curation.Verify(ctx, code)
	switch {
	case errors.Is(err, database.ErrNotFound):
		status = http.StatusNotFound
	case err != nil:
		s.serverError(w, r, err)
		return
	default:
		products, err := s.Products.Load(ctx)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		regency, province, err := s.placeNames(ctx, c.Content.RegencyCode, c.Content.ProvinceCode)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		issued := c.IssuedAt
		out.Found, out.Valid, out.Revoked = true, c.Valid, c.RevokedAt != nil
		out.RevokedReason, out.RevokedAt, out.IssuedAt = c.RevokedReason, c.RevokedAt, &issued
		out.Curator, out.VerifyURL = c.Content.CuratorName, s.BaseURL+"/verify/"+c.Code
		if !c.Content.DecidedOn.IsZero() {
			out.DecidedOn = wibDay(c.Content.DecidedOn)
		}
		name := c.Content.TradingName
		if name == "" {
			name = c.Content.SupplierName
		}
		out.Supplier = &verifySupplier{BusinessName: name, ProvinceCode: c.Content.ProvinceCode, ProvinceName: province,
			RegencyCode: c.Content.RegencyCode, RegencyName: regency}
		out.Products = []verifyProduct{}
		for _, p := range c.Content.Products {
			t, _ := products.Get(p.ProductType)
			standards := p.Standards
			if standards == nil {
				standards = []string{}
			}
			out.Products = append(out.Products, verifyProduct{ProductType: p.ProductType, ProductName: t.NameID,
				ChecklistVersion: p.ChecklistVersion, Standards: standards})
		}
	}
	body, err := json.Marshal(out)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	// Anyone may check a certificate, from any site: the answer is the same
	// for everyone, and a browser sends no cookie to another site's "*".
	h.Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}
