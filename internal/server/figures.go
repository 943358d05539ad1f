package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/auditlog"
	"pasokan/internal/database"
	"pasokan/internal/figures"
	"pasokan/internal/i18n"
	"pasokan/web/page/admin"
)

// The lists behind the dashboard's figures of applications: the page shows
// the first rows, and the CSV and the workbook hold every row behind the
// figure (up to figures.MaxList).

// figureListRows is how many rows a page of a list shows; the next page
// starts after its last row, and the files hold every row. 25, as every
// list of the portal (docs/DESIGN.md, "A page of a list").
const figureListRows = 25

// listAfter reads the row a list's page starts after (0: the first page).
func listAfter(r *http.Request) int64 {
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	return max(after, 0)
}

// figureQuery reads a list's province, status and curator organisation; a
// province the catalogue does not know lists nothing rather than
// everything, and so does a curator organisation that is not a number (one
// that is not known lists none of its own).
func (s *Server) figureQuery(r *http.Request) (f figures.SupplierFilter, names map[string]string, err error) {
	words, _, err := s.pageWords(r)
	if err != nil {
		return f, nil, err
	}
	q := r.URL.Query()
	f.Province, f.Status = q.Get("province"), q.Get("status")
	if _, ok := words.ProvinceNames[f.Province]; !ok && f.Province != "" && f.Province != figures.NoProvince {
		f.Province = "?"
	}
	if w := q.Get("curated_week"); w != "" {
		if f.CuratedWeek, err = time.Parse(time.DateOnly, w); err != nil || f.CuratedWeek.Weekday() != time.Monday {
			f.Province, f.CuratedWeek, err = "?", time.Time{}, nil
		}
	}
	if c := q.Get("curator"); c != "" {
		f.Curator, _ = strconv.ParseInt(c, 10, 64)
		if f.Curator <= 0 {
			f.Province = "?"
		}
	}
	return f, words.ProvinceNames, nil
}

func (s *Server) figureSuppliers(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	f, names, err := s.figureQuery(r)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	f.After = listAfter(r)
	// The curator organisation's name with the list, in one round trip
	// (read before it, it cost the page one more).
	var curator string
	var also []func(*pgx.Batch)
	if f.Curator > 0 {
		also = append(also, func(b *pgx.Batch) { auditlog.QueueOrganizationName(b, f.Curator, &curator) })
	}
	rows, err := s.Figures.Suppliers(ctx, a, f, figureListRows+1, also...)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	if f.Curator > 0 && curator == "" {
		rows, f.Province = nil, "?"
	}
	v := admin.SuppliersView{Province: f.Province, Status: f.Status, Curator: f.Curator, CuratorName: curator,
		CuratedWeek: f.CuratedWeek, ProvinceNames: names, Rows: rows, After: f.After}
	if len(rows) > figureListRows {
		v.Rows, v.More = rows[:figureListRows], true
	}
	s.render(w, r, http.StatusOK, admin.Suppliers(v))
}

// supplierColumns are the list's files' columns.
var supplierColumns = []exportColumn[figures.Supplier]{
	{"application_id", func(r figures.Supplier, _ exportNames) any { return r.ApplicationID }},
	{"organization_id", func(r figures.Supplier, _ exportNames) any { return r.OrgID }},
	{"name", func(r figures.Supplier, _ exportNames) any { return r.Name }},
	{"province_code", func(r figures.Supplier, _ exportNames) any { return r.ProvinceCode }},
	{"province", func(r figures.Supplier, x exportNames) any {
		p, _ := x.regions.Province(r.ProvinceCode)
		return p.Name
	}},
	{"regency_code", func(r figures.Supplier, _ exportNames) any { return r.RegencyCode }},
	{"status", func(r figures.Supplier, _ exportNames) any { return r.Status }},
	{"submitted_at", func(r figures.Supplier, _ exportNames) any { return optInstant(r.SubmittedAt) }},
	{"decided_at", func(r figures.Supplier, _ exportNames) any { return optInstant(r.DecidedAt) }},
}

// figureTable reads every row behind the figure as a table for a file.
func (s *Server) figureTable(r *http.Request) (exportTable, error) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	f, _, err := s.figureQuery(r)
	if err != nil {
		return exportTable{}, err
	}
	rows, err := s.Figures.Suppliers(ctx, a, f, figures.MaxList)
	if err != nil {
		return exportTable{}, err
	}
	x := exportNames{}
	if x.regions, err = s.Regions.Load(ctx); err != nil {
		return exportTable{}, err
	}
	return tableOf("Pemasok", "pemasok", supplierColumns, rows, x), nil
}

func (s *Server) figureSuppliersCSV(w http.ResponseWriter, r *http.Request) {
	t, err := s.figureTable(r)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	s.sendCSV(w, r, t)
}

func (s *Server) figureSuppliersXLSX(w http.ResponseWriter, r *http.Request) {
	t, err := s.figureTable(r)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	s.sendWorkbook(w, r, t)
}

// sendWorkbook sends t as a workbook of one sheet, built whole first.
func (s *Server) sendWorkbook(w http.ResponseWriter, r *http.Request, t exportTable) {
	f, err := workbook(t)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	defer f.Close()
	attachment(w, xlsxType, s.exportFile(t.file, "xlsx"))
	if err := f.Write(w); err != nil {
		s.Log.Warn("figure list download cut short", "request_id", requestIDFrom(r.Context()), "err", err)
		panic(http.ErrAbortHandler)
	}
}

// The catalogue's entries behind a product's supply figures.

// figureProduct reads a list's product; an unknown product lists nothing.
func (s *Server) figureProduct(r *http.Request) (code, name string, err error) {
	catalog, err := s.Products.Load(r.Context())
	if err != nil {
		return "", "", err
	}
	t, ok := catalog.Get(r.URL.Query().Get("product"))
	if !ok {
		return "", "", database.ErrNotFound
	}
	return t.Code, t.Name(i18n.LangFrom(r.Context())), nil
}

func (s *Server) figureEntries(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	code, name, err := s.figureProduct(r)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	words, _, err := s.pageWords(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	after := figures.EntryCursor{ID: listAfter(r), Name: r.URL.Query().Get("after_name")}
	rows, err := s.Figures.Entries(ctx, a, code, after, figureListRows+1)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	v := admin.EntriesView{Product: code, ProductName: name, ProvinceNames: words.ProvinceNames, Rows: rows, After: after}
	if len(rows) > figureListRows {
		v.Rows, v.More = rows[:figureListRows], true
	}
	s.render(w, r, http.StatusOK, admin.Entries(v))
}

// entryColumns are the entries' files' columns.
var entryColumns = []exportColumn[figures.Entry]{
	{"entry_id", func(e figures.Entry, _ exportNames) any { return e.ID }},
	{"organization_id", func(e figures.Entry, _ exportNames) any { return e.OrgID }},
	{"name", func(e figures.Entry, _ exportNames) any { return e.Name }},
	{"province_code", func(e figures.Entry, _ exportNames) any { return e.ProvinceCode }},
	{"regency_code", func(e figures.Entry, _ exportNames) any { return e.RegencyCode }},
	{"size_class", func(e figures.Entry, _ exportNames) any { return e.SizeClass }},
	{"monthly_capacity", func(e figures.Entry, _ exportNames) any { return int64(e.Capacity) }},
}

func (s *Server) entryTable(r *http.Request) (exportTable, error) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	code, _, err := s.figureProduct(r)
	if err != nil {
		return exportTable{}, err
	}
	rows, err := s.Figures.Entries(ctx, a, code, figures.EntryCursor{}, figures.MaxList)
	if err != nil {
		return exportTable{}, err
	}
	return tableOf("Produk", "produk-"+code, entryColumns, rows, exportNames{}), nil
}

func (s *Server) figureEntriesCSV(w http.ResponseWriter, r *http.Request) {
	t, err := s.entryTable(r)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	s.sendCSV(w, r, t)
}

func (s *Server) figureEntriesXLSX(w http.ResponseWriter, r *http.Request) {
	t, err := s.entryTable(r)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	s.sendWorkbook(w, r, t)
}

// The orders behind a product's units ordered, shipped and accepted, and
// behind a week's orders.

// orderFigure reads a list's product and measure, or its week; anything
// else names no figure and lists nothing.
func (s *Server) orderFigure(r *http.Request) (f figures.OrderFilter, productName string, err error) {
	q := r.URL.Query()
	if w := q.Get("week"); w != "" {
		if d, err := time.Parse(time.DateOnly, w); err == nil && d.Weekday() == time.Monday {
			f.Week = d
		}
		return f, "", nil
	}
	if q.Get("product") == "" {
		return f, "", nil
	}
	code, name, err := s.figureProduct(r)
	if err != nil {
		return f, "", err
	}
	return figures.OrderFilter{Product: code, Measure: q.Get("measure")}, name, nil
}

func (s *Server) figureOrders(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	f, name, err := s.orderFigure(r)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	f.After = listAfter(r)
	rows, err := s.Figures.Orders(ctx, a, f, figureListRows+1)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	names, _, err := s.productWords(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := admin.OrdersBehindView{Filter: f, ProductName: name, ProductNames: names, Rows: rows}
	if len(rows) > figureListRows {
		v.Rows, v.More = rows[:figureListRows], true
	}
	s.render(w, r, http.StatusOK, admin.OrdersBehind(v))
}

// orderRowColumns are the files' columns of the orders behind a figure.
var orderRowColumns = []exportColumn[figures.OrderRow]{
	{"order_id", func(o figures.OrderRow, _ exportNames) any { return o.ID }},
	{"buyer", func(o figures.OrderRow, _ exportNames) any { return o.BuyerName }},
	{"supplier_organization_id", func(o figures.OrderRow, _ exportNames) any { return o.SupplierOrgID }},
	{"supplier", func(o figures.OrderRow, _ exportNames) any { return o.SupplierName }},
	{"product_type", func(o figures.OrderRow, _ exportNames) any { return o.ProductType }},
	{"quantity", func(o figures.OrderRow, _ exportNames) any { return int64(o.Quantity) }},
	{"shipped_units", func(o figures.OrderRow, _ exportNames) any { return int64(o.Shipped) }},
	{"accepted_units", func(o figures.OrderRow, _ exportNames) any { return int64(o.Accepted) }},
	{"status", func(o figures.OrderRow, _ exportNames) any { return o.Status }},
	{"created_at", func(o figures.OrderRow, _ exportNames) any { return instant(o.CreatedAt) }},
}

func (s *Server) orderFigureTable(r *http.Request) (exportTable, error) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	f, _, err := s.orderFigure(r)
	if err != nil {
		return exportTable{}, err
	}
	rows, err := s.Figures.Orders(ctx, a, f, figures.MaxList)
	if err != nil {
		return exportTable{}, err
	}
	return tableOf("Pesanan", "pesanan", orderRowColumns, rows, exportNames{}), nil
}

func (s *Server) figureOrdersCSV(w http.ResponseWriter, r *http.Request) {
	t, err := s.orderFigureTable(r)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	s.sendCSV(w, r, t)
}

func (s *Server) figureOrdersXLSX(w http.ResponseWriter, r *http.Request) {
	t, err := s.orderFigureTable(r)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	s.sendWorkbook(w, r, t)
}
