package server_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/demo"
	"pasokan/internal/i18n"
	"pasokan/internal/order"
	"pasokan/internal/planner"
	"pasokan/internal/testapp"
)

// exportOrderHeader and exportShipmentHeader are the files' columns: a
// contract with the spreadsheets people build on them, so a rename fails
// here.
var (
	exportOrderHeader = []string{"id", "code", "status", "buyer_name", "supplier_name", "product_type", "product_name",
		"quantity", "unit_price", "value", "due_date", "site_province_code", "site_province_name", "site_regency_code",
		"site_regency_name", "site_address", "shipped_units", "accepted_units", "rejected_units", "created_at",
		"completed_at", "invoiced_on", "invoice_amount", "paid_on"}
	exportShipmentHeader = []string{"order_id", "order_code", "shipment_id", "quantity", "shipped_on", "courier", "tracking",
		"created_at", "receipt_id", "received_on", "accepted_units", "rejected_units", "rejection_reason", "receipt_code"}
	// exportNumbers are the columns the workbook keeps as numbers.
	exportOrderNumbers    = []string{"id", "quantity", "unit_price", "value", "shipped_units", "accepted_units", "rejected_units"}
	exportShipmentNumbers = []string{"order_id", "shipment_id", "quantity", "receipt_id", "accepted_units", "rejected_units"}
)

// exportNotes is the demand's internal note: no supplier's file may hold it.
const exportNotes = "Catatan internal: anggaran tahap 1"

// exportStory is a buyer's demand split into orders of different
// suppliers: the first accepted, shipped twice and the first shipment
// received with a rejection; the second declined; any others offered.
type exportStory struct {
	app    *testapp.App
	buyer  account.Actor
	orders []order.Order // as confirmed, one per supplier
	first  account.Actor // the supplier of orders[0]
	second account.Actor // the supplier of orders[1]
}

func newExportStory(t *testing.T) exportStory {
	t.Helper()
	app := testapp.NewScale(t, 330)
	ctx := context.Background()
	s := app.Orders
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	buyer := actorOf(t, app, "pembeli@pasokan.test")
	id, err := s.CreateDemand(ctx, buyer, order.DemandInput{Title: "Masker kain tahap 1", ProductType: "masker-kain",
		Deadline: time.Now().AddDate(0, 1, 0).Format(time.DateOnly), TargetPrice: "Rp 4.000", Notes: exportNotes,
		Sites: []order.SiteInput{
			{ProvinceCode: "31", RegencyCode: "31.71", Address: "Gudang Jakarta Pusat", Quantity: "600.000"},
			{ProvinceCode: "35", RegencyCode: "35.78", Address: "Gudang Surabaya", Quantity: "400.000"},
		}})
	must(err)
	d, err := s.Demand(ctx, buyer, id)
	must(err)
	must(s.Approve(ctx, buyer, id, d.Version))
	p, err := s.Propose(ctx, buyer, id, planner.Options{})
	must(err)
	d, err = s.Demand(ctx, buyer, id)
	must(err)
	// Three lines of three different suppliers, a thousand masks each at
	// most: enough for a supplier's file to have others' orders to leave
	// out.
	var lines []order.LineInput
	seen := map[int64]bool{}
	for _, l := range p.Plan.Lines {
		if seen[l.SupplierID] || len(lines) == 3 {
			continue
		}
		seen[l.SupplierID] = true
		lines = append(lines, order.LineInput{SiteID: d.Sites[l.Site].ID, SupplierID: l.SupplierID,
			Quantity: strconv.Itoa(min(l.Quantity, 1000))})
	}
	if len(lines) < 2 {
		t.Fatalf("the plan has %d suppliers, want at least 2", len(lines))
	}
	_, err = s.Confirm(ctx, buyer, id, d.Version, lines)
	must(err)
	d, err = s.Demand(ctx, buyer, id)
	must(err)
	st := exportStory{app: app, buyer: buyer, orders: d.Orders}
	st.first = actorOf(t, app, ownerEmail(t, app, d.Orders[0].SupplierOrgID))
	st.second = actorOf(t, app, ownerEmail(t, app, d.Orders[1].SupplierOrgID))

	o := d.Orders[0]
	if o.Quantity < 4 {
		t.Fatalf("the first order is of %d units, too few to ship in parts", o.Quantity)
	}
	get := func(a account.Actor) order.Order {
		t.Helper()
		got, err := s.Order(ctx, a, o.ID)
		must(err)
		return got
	}
	today := time.Now().In(i18n.WIB).Format(time.DateOnly)
	must(s.Accept(ctx, st.first, o.ID, o.Version))
	must(s.RecordShipment(ctx, st.first, o.ID, get(st.first).Version, order.ShipmentInput{
		Quantity: strconv.Itoa(o.Quantity / 2), ShippedOn: today, Courier: "JNE", Tracking: "JNE-0001"}))
	must(s.RecordShipment(ctx, st.first, o.ID, get(st.first).Version, order.ShipmentInput{
		Quantity: strconv.Itoa(o.Quantity / 4), ShippedOn: today, Courier: "SiCepat"}))
	got := get(st.buyer)
	must(s.RecordReceipt(ctx, buyer, o.ID, got.Version, order.ReceiptInput{ShipmentID: got.Shipments[0].ID, ReceivedOn: today,
		Accepted: strconv.Itoa(o.Quantity/2 - 1), Rejected: "1", Reason: "Jahitan lepas pada satu masker."}))
	must(s.Decline(ctx, st.second, d.Orders[1].ID, d.Orders[1].Version, "Bahan baku habis bulan ini."))
	return st
}

// download fetches path and fails the test unless it is an attachment of
// contentType named stem-YYYY-MM-DD.ext.
func download(t *testing.T, c *testapp.Client, path, contentType, stem, ext string) string {
	t.Helper()
	r := c.Get(path)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, r.StatusCode)
	}
	if got := r.Header.Get("Content-Type"); got != contentType {
		t.Errorf("GET %s: Content-Type %q, want %q", path, got, contentType)
	}
	name := regexp.MustCompile(`^attachment; filename="` + stem + `-\d{4}-\d{2}-\d{2}\.` + ext + `"$`)
	if got := r.Header.Get("Content-Disposition"); !name.MatchString(got) {
		t.Errorf("GET %s: Content-Disposition %q", path, got)
	}
	if !strings.Contains(r.Header.Get("Cache-Control"), "no-store") {
		t.Errorf("GET %s: Cache-Control %q: a party's orders were left for caches", path, r.Header.Get("Cache-Control"))
	}
	return r.Body
}

// readExportCSV checks the byte-order mark and the header of a CSV
// download and returns its rows, each as a map by column name, and the
// records as read (header first).
func readExportCSV(t *testing.T, body string, header []string) ([]map[string]string, [][]string) {
	t.Helper()
	rest, ok := strings.CutPrefix(body, "\ufeff")
	if !ok {
		t.Fatalf("the CSV does not start with the UTF-8 byte-order mark: %q", body[:min(len(body), 20)])
	}
	records, err := csv.NewReader(strings.NewReader(rest)).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v", err)
	}
	if len(records) == 0 || !slices.Equal(records[0], header) {
		t.Fatalf("the CSV's header: %q, want %q", records[0], header)
	}
	var rows []map[string]string
	for _, rec := range records[1:] {
		m := map[string]string{}
		for i, name := range header {
			m[name] = rec[i]
		}
		rows = append(rows, m)
	}
	return rows, records
}

// readSheet returns a sheet's rows as records, with the empty cells that
// excelize leaves off the end of a row put back, so that they compare with
// the CSV's; and checks that the number columns hold numbers, not text.
func readSheet(t *testing.T, f *excelize.File, sheet string, header, numbers []string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("sheet %q: %v", sheet, err)
	}
	for i := range rows {
		for len(rows[i]) < len(header) {
			rows[i] = append(rows[i], "")
		}
	}
	for r := 2; r <= len(rows); r++ {
		for _, name := range numbers {
			col := slices.Index(header, name) + 1
			cell, _ := excelize.CoordinatesToCellName(col, r)
			if rows[r-1][col-1] == "" {
				continue // an empty cell: a shipment not received yet
			}
			ty, err := f.GetCellType(sheet, cell)
			if err != nil {
				t.Fatal(err)
			}
			// A number is stored without a type (or "n"); text is a
			// string type.
			if ty != excelize.CellTypeUnset && ty != excelize.CellTypeNumber {
				t.Errorf("sheet %q, %s (%s) is of type %v, want a number", sheet, cell, name, ty)
			}
		}
	}
	return rows
}

func openWorkbook(t *testing.T, body string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Pesanan", "Pengiriman"}) {
		t.Fatalf("the workbook's sheets: %q, want Pesanan and Pengiriman", got)
	}
	return f
}

func exportIDs(rows []map[string]string, column string) []string {
	var ids []string
	for _, r := range rows {
		ids = append(ids, r[column])
	}
	return ids
}

// allOrders reads every order a may read, page by page, newest first.
func allOrders(t *testing.T, app *testapp.App, a account.Actor) []order.Order {
	t.Helper()
	var out []order.Order
	q := order.ListQuery{}
	for {
		page, err := app.Orders.Orders(context.Background(), a, q)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Orders...)
		if page.Next == 0 {
			return out
		}
		q.Before = page.Next
	}
}

// exportShipmentIDs are the ids of every shipment of a's orders, as its
// order pages show them, in the order they were recorded.
func exportShipmentIDs(t *testing.T, app *testapp.App, a account.Actor) []string {
	t.Helper()
	ctx := context.Background()
	list := allOrders(t, app, a)
	var ids []int64
	for _, o := range list {
		got, err := app.Orders.Order(ctx, a, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, sh := range got.Shipments {
			ids = append(ids, sh.ID)
		}
	}
	slices.Sort(ids)
	var out []string
	for _, id := range ids {
		out = append(out, itoa(id))
	}
	return out
}

const xlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func TestOrderExport(t *testing.T) {
	t.Parallel()
	st := newExportStory(t)
	app, ctx := st.app, context.Background()
	buyerClient := app.Client(t)
	buyerClient.Login("pembeli@pasokan.test", demo.Password, "/catalog")

	// The buyer's file: one row per order, oldest first, with what the
	// store says of each.
	t.Run("buyer CSV", func(t *testing.T) {
		t.Parallel()
		rows, _ := readExportCSV(t, download(t, buyerClient, "/buyer/orders.csv", "text/csv; charset=utf-8", "pesanan", "csv"),
			exportOrderHeader)
		want := allOrders(t, app, st.buyer)
		slices.Reverse(want) // the list is newest first, the file oldest first
		if len(rows) != len(want) || len(want) < len(st.orders) {
			t.Fatalf("%d rows, want %d orders (%d made here)", len(rows), len(want), len(st.orders))
		}
		for i, o := range want {
			r := rows[i]
			if r["id"] != itoa(o.ID) || r["quantity"] != strconv.Itoa(o.Quantity) || r["status"] != o.Status ||
				r["unit_price"] != itoa(o.UnitPrice) || r["value"] != itoa(o.Value()) || r["code"] != *o.Code {
				t.Errorf("row %d: %v, want order %d (%d units, %s)", i+1, r, o.ID, o.Quantity, o.Status)
			}
			if r["supplier_name"] != o.SupplierName || r["buyer_name"] != o.BuyerName || r["product_type"] != o.ProductType ||
				r["product_name"] == "" || o.ProductType == "masker-kain" && r["product_name"] != "Masker kain" ||
				r["due_date"] != o.DueDate.Format(time.DateOnly) || r["site_regency_code"] != o.SiteRegency ||
				r["site_regency_name"] == "" || r["site_province_name"] == "" || r["site_address"] != o.SiteAddress {
				t.Errorf("row %d: %v", i+1, r)
			}
			if r["shipped_units"] != strconv.Itoa(o.ShippedUnits) || r["accepted_units"] != strconv.Itoa(o.AcceptedUnits) ||
				r["rejected_units"] != strconv.Itoa(o.RejectedUnits) {
				t.Errorf("row %d: units %s/%s/%s, want %d/%d/%d", i+1, r["shipped_units"], r["accepted_units"],
					r["rejected_units"], o.ShippedUnits, o.AcceptedUnits, o.RejectedUnits)
			}
			at, err := time.Parse(time.RFC3339, r["created_at"])
			if err != nil || !strings.HasSuffix(r["created_at"], "+07:00") || !at.Equal(o.CreatedAt.Truncate(time.Second)) {
				t.Errorf("row %d: created_at %q, want %s in WIB (%v)", i+1, r["created_at"], o.CreatedAt, err)
			}
			// Completion, invoice and payment: empty until they happen
			// (the demo's older orders are paid).
			wantDone, wantInvoiced, wantAmount, wantPaid := "", "", "", ""
			if o.CompletedAt != nil {
				wantDone = o.CompletedAt.In(i18n.WIB).Format(time.RFC3339)
			}
			if o.InvoicedOn != nil {
				wantInvoiced, wantAmount = o.InvoicedOn.Format(time.DateOnly), itoa(*o.InvoiceAmount)
			}
			if o.PaidOn != nil {
				wantPaid = o.PaidOn.Format(time.DateOnly)
			}
			if r["completed_at"] != wantDone || r["invoiced_on"] != wantInvoiced || r["invoice_amount"] != wantAmount || r["paid_on"] != wantPaid {
				t.Errorf("row %d: completed %q, invoiced %q for %q, paid %q; want %q, %q, %q, %q", i+1, r["completed_at"],
					r["invoiced_on"], r["invoice_amount"], r["paid_on"], wantDone, wantInvoiced, wantAmount, wantPaid)
			}
		}
		// Every status is exported: the story's shipped, declined and
		// offered orders among them.
		status := map[string]string{}
		for _, r := range rows {
			status[r["id"]] = r["status"]
		}
		if status[itoa(st.orders[0].ID)] != order.StatusShipped || status[itoa(st.orders[1].ID)] != order.StatusDeclined {
			t.Errorf("statuses %q, %q; want shipped, declined", status[itoa(st.orders[0].ID)], status[itoa(st.orders[1].ID)])
		}
		if len(st.orders) > 2 && status[itoa(st.orders[2].ID)] != order.StatusOffered {
			t.Errorf("the offered order: %q", status[itoa(st.orders[2].ID)])
		}
	})

	// The reader's language names the product.
	t.Run("English CSV", func(t *testing.T) {
		t.Parallel()
		c := app.Client(t)
		c.SetCookie("pasokan_lang", "en")
		c.Login("pembeli@pasokan.test", demo.Password, "/catalog")
		rows, _ := readExportCSV(t, download(t, c, "/buyer/orders.csv", "text/csv; charset=utf-8", "pesanan", "csv"), exportOrderHeader)
		masks := 0
		for _, r := range rows {
			if r["product_type"] == "masker-kain" {
				masks++
				if r["product_name"] != "Cloth mask" {
					t.Errorf("in English, order %s's product is %q", r["id"], r["product_name"])
				}
			}
		}
		if masks < len(st.orders) {
			t.Errorf("in English, %d orders of cloth masks, want at least %d", masks, len(st.orders))
		}
	})

	// One row per shipment with its receipt's fields, empty while none is
	// recorded.
	t.Run("buyer shipments CSV", func(t *testing.T) {
		t.Parallel()
		rows, _ := readExportCSV(t, download(t, buyerClient, "/buyer/shipments.csv", "text/csv; charset=utf-8", "pengiriman", "csv"),
			exportShipmentHeader)
		if got, want := exportIDs(rows, "shipment_id"), exportShipmentIDs(t, app, st.buyer); !slices.Equal(got, want) {
			t.Fatalf("shipment rows %v, want the buyer's shipments %v", got, want)
		}
		o, err := app.Orders.Order(ctx, st.buyer, st.orders[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		var mine []map[string]string
		for _, r := range rows {
			if r["order_id"] == itoa(o.ID) {
				mine = append(mine, r)
			}
		}
		if len(mine) != len(o.Shipments) || len(mine) != 2 {
			t.Fatalf("%d shipment rows of order %d, want %d", len(mine), o.ID, len(o.Shipments))
		}
		rows = mine
		for i, sh := range o.Shipments {
			r := rows[i]
			if r["order_id"] != itoa(o.ID) || r["order_code"] != *o.Code || r["shipment_id"] != itoa(sh.ID) ||
				r["quantity"] != strconv.Itoa(sh.Quantity) || r["courier"] != sh.Courier || r["tracking"] != sh.Tracking ||
				r["shipped_on"] != sh.ShippedOn.Format(time.DateOnly) {
				t.Errorf("shipment row %d: %v", i+1, r)
			}
		}
		got, rec := rows[0], o.Shipments[0]
		if got["receipt_id"] != itoa(*rec.ReceiptID) || got["accepted_units"] != strconv.Itoa(*rec.Accepted) ||
			got["rejected_units"] != "1" || got["rejection_reason"] != *rec.Reason || got["receipt_code"] != *rec.ReceiptCode ||
			got["received_on"] != rec.ReceivedOn.Format(time.DateOnly) {
			t.Errorf("the received shipment: %v", got)
		}
		if r := rows[1]; r["receipt_id"] != "" || r["received_on"] != "" || r["accepted_units"] != "" || r["receipt_code"] != "" {
			t.Errorf("a shipment not received has receipt fields: %v", r)
		}
	})

	// The workbook holds the two files as sheets, cell for cell, with
	// numbers as numbers.
	t.Run("buyer XLSX", func(t *testing.T) {
		t.Parallel()
		_, orders := readExportCSV(t, download(t, buyerClient, "/buyer/orders.csv", "text/csv; charset=utf-8", "pesanan", "csv"),
			exportOrderHeader)
		_, shipments := readExportCSV(t, download(t, buyerClient, "/buyer/shipments.csv", "text/csv; charset=utf-8", "pengiriman", "csv"),
			exportShipmentHeader)
		f := openWorkbook(t, download(t, buyerClient, "/buyer/orders.xlsx", xlsxContentType, "pesanan", "xlsx"))
		if got := readSheet(t, f, "Pesanan", exportOrderHeader, exportOrderNumbers); !slices.EqualFunc(got, orders, slices.Equal) {
			t.Errorf("the Pesanan sheet:\n%q\nthe CSV:\n%q", got, orders)
		}
		if got := readSheet(t, f, "Pengiriman", exportShipmentHeader, exportShipmentNumbers); !slices.EqualFunc(got, shipments, slices.Equal) {
			t.Errorf("the Pengiriman sheet:\n%q\nthe CSV:\n%q", got, shipments)
		}
	})

	// A supplier's files hold its own orders, every status, and nothing of
	// another supplier's or of the buyer's demand.
	t.Run("supplier files", func(t *testing.T) {
		t.Parallel()
		for _, sup := range []account.Actor{st.first, st.second} {
			c := app.Client(t)
			c.Login(ownerEmail(t, app, sup.OrgID), demo.Password, "/supplier")
			own := allOrders(t, app, sup)
			var want, others []string
			for _, o := range st.orders {
				if o.SupplierOrgID != sup.OrgID {
					others = append(others, itoa(o.ID))
				}
			}
			for _, o := range slices.Backward(own) {
				want = append(want, itoa(o.ID))
			}
			body := download(t, c, "/supplier/orders.csv", "text/csv; charset=utf-8", "pesanan", "csv")
			rows, records := readExportCSV(t, body, exportOrderHeader)
			ids := exportIDs(rows, "id")
			if !slices.Equal(ids, want) || len(ids) == 0 {
				t.Errorf("supplier %d's file has orders %v, want %v", sup.OrgID, ids, want)
			}
			for _, id := range others {
				if slices.Contains(ids, id) {
					t.Errorf("supplier %d's file has another supplier's order %s", sup.OrgID, id)
				}
			}
			for _, r := range rows {
				if r["buyer_name"] == "" || r["supplier_name"] != own[0].SupplierName {
					t.Errorf("supplier %d's row: %v", sup.OrgID, r)
				}
			}
			// The header has no target price (exportOrderHeader), and the
			// demand's words are nowhere.
			if strings.Contains(body, exportNotes) || strings.Contains(body, "Masker kain tahap 1") {
				t.Errorf("supplier %d's file holds the buyer's demand (its notes or title)", sup.OrgID)
			}
			srows, shipments := readExportCSV(t, download(t, c, "/supplier/shipments.csv", "text/csv; charset=utf-8", "pengiriman", "csv"),
				exportShipmentHeader)
			for _, r := range srows {
				if !slices.Contains(want, r["order_id"]) {
					t.Errorf("supplier %d's shipments name order %s", sup.OrgID, r["order_id"])
				}
			}
			if got, want := exportIDs(srows, "shipment_id"), exportShipmentIDs(t, app, sup); !slices.Equal(got, want) {
				t.Errorf("supplier %d's shipment rows %v, want %v", sup.OrgID, got, want)
			}
			f := openWorkbook(t, download(t, c, "/supplier/orders.xlsx", xlsxContentType, "pesanan", "xlsx"))
			if got := readSheet(t, f, "Pesanan", exportOrderHeader, exportOrderNumbers); !slices.EqualFunc(got, records, slices.Equal) {
				t.Errorf("supplier %d's Pesanan sheet:\n%q\nits CSV:\n%q", sup.OrgID, got, records)
			}
			if got := readSheet(t, f, "Pengiriman", exportShipmentHeader, exportShipmentNumbers); !slices.EqualFunc(got, shipments, slices.Equal) {
				t.Errorf("supplier %d's Pengiriman sheet:\n%q\nits CSV:\n%q", sup.OrgID, got, shipments)
			}
			// The buyer's downloads are not a supplier's.
			for _, path := range []string{"/buyer/orders.csv", "/buyer/orders.xlsx", "/buyer/shipments.csv"} {
				if r := c.Get(path); r.StatusCode != http.StatusNotFound {
					t.Errorf("supplier GET %s: %d, want 404", path, r.StatusCode)
				}
			}
		}
	})

	// A visitor is sent to log in; any other kind of organisation gets the
	// kind guard's 404, and the store has nothing to export for it.
	t.Run("guards", func(t *testing.T) {
		t.Parallel()
		paths := []string{"/buyer/orders.csv", "/buyer/orders.xlsx", "/buyer/shipments.csv",
			"/supplier/orders.csv", "/supplier/orders.xlsx", "/supplier/shipments.csv"}
		visitor := app.Client(t)
		curator := app.Client(t)
		curator.Login("kurator@pasokan.test", demo.Password, "/curation")
		for _, path := range paths {
			r := visitor.Get(path)
			if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
				t.Errorf("visitor GET %s: %d to %q, want 303 to /login", path, r.StatusCode, r.Header.Get("Location"))
			}
			if r := curator.Get(path); r.StatusCode != http.StatusNotFound || strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
				t.Errorf("curator GET %s: %d (%s), want 404", path, r.StatusCode, r.Header.Get("Content-Disposition"))
			}
		}
		for _, path := range paths[3:] {
			if r := buyerClient.Get(path); r.StatusCode != http.StatusNotFound {
				t.Errorf("buyer GET %s: %d, want 404", path, r.StatusCode)
			}
		}
		if _, err := app.Orders.Export(ctx, actorOf(t, app, "kurator@pasokan.test")); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("a curator's export: %v, want not found", err)
		}
	})
}
