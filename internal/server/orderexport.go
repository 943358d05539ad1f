package server

import (
	"encoding/csv"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"pasokan/internal/i18n"
	"pasokan/internal/order"
	"pasokan/internal/product"
	"pasokan/internal/region"
)

// A buyer's or a supplier's orders as files for its own books: CSV (one
// file of orders, one of shipments) and one XLSX workbook holding both as
// sheets. Each organisation downloads its own side only (package order
// names it; row-level security says it again), so the same handlers serve
// /buyer and /supplier, and the route group's kind guard decides who comes
// in.

// exportNames are what the rows need besides an order: the names of
// products in the reader's language and of places.
type exportNames struct {
	products *product.Catalog
	regions  *region.Catalog
	lang     i18n.Lang
}

// A cell of an export is a string (text), an int64 (a number, kept a
// number in the workbook) or nil (empty). The CSV writes all of them as
// text; the workbook keeps their kinds, so a spreadsheet sums quantities
// and amounts without converting them.

// day is a date column as YYYY-MM-DD. Dates in Postgres are days without a
// time zone (pgx reads them as midnight UTC), so no zone is applied.
func day(t time.Time) any { return t.Format(time.DateOnly) }

// optDay is day for a date that may be missing.
func optDay(t *time.Time) any {
	if t == nil {
		return nil
	}
	return day(*t)
}

// instant is a moment as RFC 3339 in WIB, the ministry's time zone: the
// offset is written, so a reader in Makassar or Jayapura converts it
// without guessing.
func instant(t time.Time) any { return t.In(i18n.WIB).Format(time.RFC3339) }

func optInstant(t *time.Time) any {
	if t == nil {
		return nil
	}
	return instant(*t)
}

func optText(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func optInt(n *int) any {
	if n == nil {
		return nil
	}
	return int64(*n)
}

func optInt64(n *int64) any {
	if n == nil {
		return nil
	}
	return *n
}

// exportColumn is a column of an export: its name in the header row and
// its value for one row.
type exportColumn[T any] struct {
	name  string
	value func(row T, x exportNames) any
}

// orderColumns are the columns of pesanan-*.csv and of the workbook's
// "Pesanan" sheet, one row per order. The names are a contract with the
// spreadsheets people build on the file: add columns at the end, never
// rename one. Codes (status, product type, places) are the portal's stable
// codes; product_name is in the reader's language.
var orderColumns = []exportColumn[order.Order]{
	{"id", func(o order.Order, _ exportNames) any { return o.ID }},
	{"code", func(o order.Order, _ exportNames) any { return optText(o.Code) }},
	{"status", func(o order.Order, _ exportNames) any { return o.Status }},
	{"buyer_name", func(o order.Order, _ exportNames) any { return o.BuyerName }},
	{"supplier_name", func(o order.Order, _ exportNames) any { return o.SupplierName }},
	{"product_type", func(o order.Order, _ exportNames) any { return o.ProductType }},
	{"product_name", func(o order.Order, x exportNames) any {
		t, _ := x.products.Get(o.ProductType)
		return t.Name(x.lang)
	}},
	{"quantity", func(o order.Order, _ exportNames) any { return int64(o.Quantity) }},
	{"unit_price", func(o order.Order, _ exportNames) any { return o.UnitPrice }},
	{"value", func(o order.Order, _ exportNames) any { return o.Value() }},
	{"due_date", func(o order.Order, _ exportNames) any { return day(o.DueDate) }},
	{"site_province_code", func(o order.Order, _ exportNames) any { return o.SiteProvince }},
	{"site_province_name", func(o order.Order, x exportNames) any {
		p, _ := x.regions.Province(o.SiteProvince)
		return p.Name
	}},
	{"site_regency_code", func(o order.Order, _ exportNames) any { return o.SiteRegency }},
	{"site_regency_name", func(o order.Order, x exportNames) any {
		rg, _ := x.regions.Regency(o.SiteRegency)
		return rg.Name
	}},
	{"site_address", func(o order.Order, _ exportNames) any { return o.SiteAddress }},
	{"shipped_units", func(o order.Order, _ exportNames) any { return int64(o.ShippedUnits) }},
	{"accepted_units", func(o order.Order, _ exportNames) any { return int64(o.AcceptedUnits) }},
	{"rejected_units", func(o order.Order, _ exportNames) any { return int64(o.RejectedUnits) }},
	{"created_at", func(o order.Order, _ exportNames) any { return instant(o.CreatedAt) }},
	{"completed_at", func(o order.Order, _ exportNames) any { return optInstant(o.CompletedAt) }},
	{"invoiced_on", func(o order.Order, _ exportNames) any { return optDay(o.InvoicedOn) }},
	{"invoice_amount", func(o order.Order, _ exportNames) any { return optInt64(o.InvoiceAmount) }},
	{"paid_on", func(o order.Order, _ exportNames) any { return optDay(o.PaidOn) }},
}

// shipmentColumns are the columns of pengiriman-*.csv and of the
// workbook's "Pengiriman" sheet, one row per shipment with the fields of
// its goods-received record (empty while none is recorded). The same
// contract holds: add at the end, never rename.
var shipmentColumns = []exportColumn[order.ExportShipment]{
	{"order_id", func(s order.ExportShipment, _ exportNames) any { return s.OrderID }},
	{"order_code", func(s order.ExportShipment, _ exportNames) any { return optText(s.OrderCode) }},
	{"shipment_id", func(s order.ExportShipment, _ exportNames) any { return s.ID }},
	{"quantity", func(s order.ExportShipment, _ exportNames) any { return int64(s.Quantity) }},
	{"shipped_on", func(s order.ExportShipment, _ exportNames) any { return day(s.ShippedOn) }},
	{"courier", func(s order.ExportShipment, _ exportNames) any { return s.Courier }},
	{"tracking", func(s order.ExportShipment, _ exportNames) any { return s.Tracking }},
	{"created_at", func(s order.ExportShipment, _ exportNames) any { return instant(s.CreatedAt) }},
	{"receipt_id", func(s order.ExportShipment, _ exportNames) any { return optInt64(s.ReceiptID) }},
	{"received_on", func(s order.ExportShipment, _ exportNames) any { return optDay(s.ReceivedOn) }},
	{"accepted_units", func(s order.ExportShipment, _ exportNames) any { return optInt(s.Accepted) }},
	{"rejected_units", func(s order.ExportShipment, _ exportNames) any { return optInt(s.Rejected) }},
	{"rejection_reason", func(s order.ExportShipment, _ exportNames) any { return optText(s.Reason) }},
	{"receipt_code", func(s order.ExportShipment, _ exportNames) any { return optText(s.ReceiptCode) }},
}

// exportTable is one file, or one sheet of the workbook: its header and
// a way to fill any of its rows, so that no copy of the whole export is
// made as text.
type exportTable struct {
	sheet, file string
	header      []string
	rows        int
	row         func(i int, out []any)
}

func tableOf[T any](sheet, file string, columns []exportColumn[T], rows []T, x exportNames) exportTable {
	t := exportTable{sheet: sheet, file: file, rows: len(rows)}
	for _, c := range columns {
		t.header = append(t.header, c.name)
	}
	t.row = func(i int, out []any) {
		for j, c := range columns {
			out[j] = c.value(rows[i], x)
		}
	}
	return t
}

// orderTables reads the actor's export and returns its two tables. Nothing
// has been written to w when it fails, so the caller answers with an error
// page.
func (s *Server) orderTables(r *http.Request) (orders, shipments exportTable, err error) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	e, err := s.Orders.Export(ctx, a)
	if err != nil {
		return exportTable{}, exportTable{}, err
	}
	if e.Truncated {
		s.Log.Warn("order export cut at its bound", "request_id", requestIDFrom(ctx), "org_id", a.OrgID,
			"orders", len(e.Orders), "shipments", len(e.Shipments))
	}
	x := exportNames{lang: i18n.LangFrom(ctx)}
	if x.products, err = s.Products.Load(ctx); err != nil {
		return exportTable{}, exportTable{}, err
	}
	if x.regions, err = s.Regions.Load(ctx); err != nil {
		return exportTable{}, exportTable{}, err
	}
	return tableOf("Pesanan", "pesanan", orderColumns, e.Orders, x),
		tableOf("Pengiriman", "pengiriman", shipmentColumns, e.Shipments, x), nil
}

// exportFile names a download after what it holds and the day in WIB it
// was made: "pesanan-2026-05-04.csv".
func (s *Server) exportFile(stem, ext string) string {
	return stem + "-" + wibDay(s.Now()) + "." + ext
}

func attachment(w http.ResponseWriter, contentType, name string) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store, private")
}

func (s *Server) ordersCSV(w http.ResponseWriter, r *http.Request) {
	orders, _, err := s.orderTables(r)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	s.sendCSV(w, r, orders)
}

func (s *Server) shipmentsCSV(w http.ResponseWriter, r *http.Request) {
	_, shipments, err := s.orderTables(r)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	s.sendCSV(w, r, shipments)
}

// sendCSV writes t as CSV in UTF-8 with a byte-order mark, as the
// directory's open data is, so that a spreadsheet shows names with
// accents as they are. The rows are read already, so the only failure left
// is a client that went away: the connection is then cut, so that no one
// mistakes a partial file for a whole one.
func (s *Server) sendCSV(w http.ResponseWriter, r *http.Request, t exportTable) {
	attachment(w, "text/csv; charset=utf-8", s.exportFile(t.file, "csv"))
	if err := writeCSV(w, t); err != nil {
		s.Log.Warn("order export download cut short", "request_id", requestIDFrom(r.Context()), "err", err)
		panic(http.ErrAbortHandler)
	}
}

func writeCSV(w io.Writer, t exportTable) error {
	if _, err := io.WriteString(w, byteOrderMark); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(t.header); err != nil {
		return err
	}
	cells, text := make([]any, len(t.header)), make([]string, len(t.header))
	for i := range t.rows {
		t.row(i, cells)
		for j, c := range cells {
			text[j] = csvText(c)
		}
		if err := cw.Write(text); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvText is a cell as CSV text. Text that a spreadsheet would read as a
// formula (a name or an address someone typed starting with "=") is made
// harmless, as in the directory; the workbook needs no such care, since
// its text cells are never formulas.
func csvText(c any) string {
	switch v := c.(type) {
	case nil:
		return ""
	case int64:
		return strconv.FormatInt(v, 10)
	case string:
		return spreadsheetSafe(v)
	}
	panic("server: an export cell of an unexpected type")
}

// xlsxType is the workbook's content type.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// ordersXLSX sends one workbook with the orders and the shipments as two
// sheets, with the CSVs' columns; numbers stay numbers. The workbook is
// built whole before anything is sent, so a failure to build it gets the
// error page.
func (s *Server) ordersXLSX(w http.ResponseWriter, r *http.Request) {
	orders, shipments, err := s.orderTables(r)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	f, err := workbook(orders, shipments)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// The stream writer may spill large sheets to temporary files; Close
	// removes them.
	defer f.Close()
	attachment(w, xlsxType, s.exportFile(orders.file, "xlsx"))
	if err := f.Write(w); err != nil {
		s.Log.Warn("order export download cut short", "request_id", requestIDFrom(r.Context()), "err", err)
		panic(http.ErrAbortHandler)
	}
}

// workbook builds the workbook of tables, one sheet each, in order. Sheets
// are written with excelize's stream writer, which holds a row at a time
// rather than a tree of every cell.
func workbook(tables ...exportTable) (*excelize.File, error) {
	f := excelize.NewFile()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		f.Close()
		return nil, err
	}
	for i, t := range tables {
		if err := writeSheet(f, i, t, bold); err != nil {
			f.Close()
			return nil, err
		}
	}
	return f, nil
}

func writeSheet(f *excelize.File, i int, t exportTable, headerStyle int) error {
	// A new file has one sheet ("Sheet1"): the first table takes it.
	if i == 0 {
		if err := f.SetSheetName(f.GetSheetName(0), t.sheet); err != nil {
			return err
		}
	} else if _, err := f.NewSheet(t.sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(t.sheet)
	if err != nil {
		return err
	}
	// The header stays in view while scrolling down a long list.
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(t.header))
	for j, name := range t.header {
		header[j] = excelize.Cell{StyleID: headerStyle, Value: name}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	cells := make([]any, len(t.header))
	for n := range t.rows {
		t.row(n, cells)
		at, err := excelize.CoordinatesToCellName(1, n+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(at, cells); err != nil {
			return err
		}
	}
	return sw.Flush()
}
