package server_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"

	"pasokan/internal/database"
	"pasokan/internal/demo"
	"pasokan/internal/figures"
	"pasokan/internal/material"
	"pasokan/internal/order"
	"pasokan/internal/permit"
	"pasokan/internal/server"
	"pasokan/internal/testapp"
)

// direct is the dashboard counted straight from the tables, as a person
// with the database and no trust in the triggers would count it.
func direct(t *testing.T, app *testapp.App, from time.Time) figures.National {
	t.Helper()
	ctx := context.Background()
	n := figures.National{ByStatus: map[string]int{}, Materials: map[string]int{}, Permits: map[string]int{}}
	err := app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM organizations WHERE kind = 'supplier'`).Scan(&n.Suppliers); err != nil {
			return err
		}
		type figure struct {
			Province string `db:"province"`
			Status   string `db:"status"`
			N        int    `db:"n"`
		}
		rows, _ := tx.Query(ctx, `SELECT coalesce(p.province_code, '') AS province, a.status, count(*)::int AS n
  FROM applications a LEFT JOIN supplier_profiles p ON p.organization_id = a.organization_id GROUP BY 1, 2 ORDER BY 1, 2`)
		fs, err := pgx.CollectRows(rows, pgx.RowToStructByName[figure])
		if err != nil {
			return err
		}
		for _, f := range fs {
			if len(n.Provinces) == 0 || n.Provinces[len(n.Provinces)-1].Code != f.Province {
				n.Provinces = append(n.Provinces, figures.Province{Code: f.Province, ByStatus: map[string]int{}})
			}
			n.Provinces[len(n.Provinces)-1].ByStatus[f.Status] = f.N
			n.ByStatus[f.Status] += f.N
		}
		rows, _ = tx.Query(ctx, `SELECT t.code AS product_type,
       (SELECT count(*)::int FROM catalog_entries e WHERE e.product_type = t.code) AS listed,
       (SELECT coalesce(sum(monthly_capacity), 0)::bigint FROM catalog_entries e WHERE e.product_type = t.code) AS capacity,
       (SELECT coalesce(sum(quantity), 0)::bigint FROM demands d WHERE d.product_type = t.code AND d.status IN ('approved', 'planned')) AS demanded,
       (SELECT coalesce(sum(quantity), 0)::bigint FROM orders o WHERE o.product_type = t.code
           AND o.status NOT IN ('declined', 'expired', 'cancelled')) AS ordered,
       (SELECT coalesce(sum(shipped_units), 0)::bigint FROM orders o WHERE o.product_type = t.code) AS shipped,
       (SELECT coalesce(sum(accepted_units), 0)::bigint FROM orders o WHERE o.product_type = t.code) AS accepted
  FROM product_types t ORDER BY t.code`)
		all, err := pgx.CollectRows(rows, pgx.RowToStructByName[figures.Product])
		if err != nil {
			return err
		}
		for _, p := range all {
			if p.Listed != 0 || p.Demanded != 0 || p.Ordered != 0 {
				n.Products = append(n.Products, p)
			}
		}
		for i := range figures.Weeks {
			n.Weeks = append(n.Weeks, figures.Week{Monday: from.AddDate(0, 0, 7*i), N: map[string]int64{}})
		}
		type weekly struct {
			Week   time.Time `db:"week"`
			Metric string    `db:"metric"`
			N      int64     `db:"n"`
		}
		rows, _ = tx.Query(ctx, `SELECT wib_week(created_at) AS week, 'registered' AS metric, count(*) AS n FROM organizations WHERE kind = 'supplier' GROUP BY 1
UNION ALL SELECT wib_week(occurred_at), 'curated', count(*) FROM application_events WHERE action = 'application.curated' GROUP BY 1
UNION ALL SELECT wib_week(created_at), 'orders', count(*) FROM orders GROUP BY 1
UNION ALL SELECT wib_week(created_at), 'units_ordered', sum(quantity) FROM orders GROUP BY 1
UNION ALL SELECT wib_week(created_at), 'units_accepted', sum(accepted) FROM receipts GROUP BY 1`)
		ws, err := pgx.CollectRows(rows, pgx.RowToStructByName[weekly])
		if err != nil {
			return err
		}
		for _, w := range ws {
			if i := int(w.Week.Sub(from).Hours() / 24 / 7); i >= 0 && i < figures.Weeks {
				n.Weeks[i].N[w.Metric] += w.N
			}
		}
		for _, q := range []struct {
			table string
			into  map[string]int
		}{{"material_requests", n.Materials}, {"permit_requests", n.Permits}} {
			type statusCount struct {
				Status string `db:"status"`
				N      int    `db:"n"`
			}
			rows, _ = tx.Query(ctx, `SELECT status, count(*)::int AS n FROM `+q.table+
				` WHERE status IN ('requested', 'sourcing', 'documents_complete', 'submitted', 'questions') GROUP BY 1`)
			cs, err := pgx.CollectRows(rows, pgx.RowToStructByName[statusCount])
			if err != nil {
				return err
			}
			for _, c := range cs {
				q.into[c.Status] = c.N
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// sameNational compares the dashboard with the tables, figure by figure.
func sameNational(t *testing.T, when string, got, want figures.National) {
	t.Helper()
	if got.Suppliers != want.Suppliers {
		t.Errorf("%s: %d suppliers, the tables hold %d", when, got.Suppliers, want.Suppliers)
	}
	province := func(n figures.National) map[string]int {
		m := map[string]int{}
		for _, p := range n.Provinces {
			for st, c := range p.ByStatus {
				if c != 0 {
					m[p.Code+"/"+st] = c
				}
			}
		}
		return m
	}
	g, w := province(got), province(want)
	for k, v := range w {
		if g[k] != v {
			t.Errorf("%s: province/status %s: %d, the tables hold %d", when, k, g[k], v)
		}
	}
	for k, v := range g {
		if _, ok := w[k]; !ok {
			t.Errorf("%s: province/status %s: %d, the tables hold none", when, k, v)
		}
	}
	if !slices.Equal(got.Products, want.Products) {
		t.Errorf("%s: products\n%+v\nthe tables hold\n%+v", when, got.Products, want.Products)
	}
	for i := range want.Weeks {
		for _, m := range []string{"registered", "curated", "orders", "units_ordered", "units_accepted"} {
			if got.Weeks[i].N[m] != want.Weeks[i].N[m] {
				t.Errorf("%s: week of %s, %s: %d, the tables hold %d", when, want.Weeks[i].Monday.Format(time.DateOnly), m,
					got.Weeks[i].N[m], want.Weeks[i].N[m])
			}
		}
	}
	for _, m := range []struct {
		name      string
		got, want map[string]int
	}{{"materials", got.Materials, want.Materials}, {"permits", got.Permits, want.Permits}} {
		for st, c := range m.want {
			if m.got[st] != c {
				t.Errorf("%s: %s %s: %d, the tables hold %d", when, m.name, st, m.got[st], c)
			}
		}
	}
}

var applicationRowRe = regexp.MustCompile(`data-application="(\d+)"`)

// nextPageRe finds a list's link to its next page.
var nextPageRe = regexp.MustCompile(`<a rel="next" href="([^"]+)"`)

// listedPages reads a list behind a figure page by page, following each
// page's link to the next, and returns the ids row finds on them, in
// order. Each page shows at most server.FigureListRows, and every page but the last
// links the next.
func listedPages(t *testing.T, c *testapp.Client, path string, row *regexp.Regexp) []int64 {
	t.Helper()
	var out []int64
	for pages := 0; path != ""; pages++ {
		if pages > 100 {
			t.Fatalf("%s: more than 100 pages", path)
		}
		page := c.Get(path)
		if page.StatusCode != 200 {
			t.Fatalf("%s: %d", path, page.StatusCode)
		}
		rows := row.FindAllStringSubmatch(page.Body, -1)
		if len(rows) > server.FigureListRows {
			t.Errorf("%s: %d rows on one page", path, len(rows))
		}
		for _, m := range rows {
			id, _ := strconv.ParseInt(m[1], 10, 64)
			out = append(out, id)
		}
		path = ""
		if m := nextPageRe.FindStringSubmatch(page.Body); m != nil {
			path = html.UnescapeString(m[1])
			if len(rows) < server.FigureListRows {
				t.Errorf("%s: a page of %d rows links a next page", path, len(rows))
			}
		}
	}
	return out
}

// TestDashboardFiguresAreTheTables: on the demo data, and again after
// changes of every kind that moves a figure, every figure of the national
// dashboard equals the count taken from the tables; the list behind a
// figure holds exactly its rows, on the page and in its CSV and XLSX.
func TestDashboardFiguresAreTheTables(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 330)
	ctx := context.Background()
	ministry := actorOf(t, app, "admin@pasokan.test")
	from := figures.Monday(time.Now()).AddDate(0, 0, -7*(figures.Weeks-1))

	got, err := app.Figures.National(ctx, ministry)
	if err != nil {
		t.Fatal(err)
	}
	want := direct(t, app, from)
	if want.ByStatus["curated"] == 0 || len(want.Products) == 0 || want.Suppliers < 300 {
		t.Fatalf("the demo is too thin to test: %+v", want)
	}
	sameNational(t, "demo", got, want)

	// Changes: a supplier moves province, another registers this week, an
	// order is accepted and one declined, a demand is approved, material
	// and permit help is asked for.
	err = app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE supplier_profiles SET province_code = '73', regency_code = '73.71'
 WHERE organization_id = (SELECT a.organization_id FROM applications a WHERE a.status = 'curated' ORDER BY a.id LIMIT 1)`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	newSupplier(t, app, "figures-new@contoh.id")
	// A curated supplier suspended, and one of those waiting sent back.
	err = app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE applications SET status = CASE status WHEN 'curated' THEN 'suspended' ELSE 'revision_requested' END
 WHERE id IN ((SELECT id FROM applications WHERE status = 'curated' ORDER BY id DESC LIMIT 1),
              (SELECT id FROM applications WHERE status = 'submitted' ORDER BY id DESC LIMIT 1))`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// The demo's orders are past answering: change them as the system.
	err = app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE orders SET status = 'cancelled', reason = 'Uji angka'
 WHERE id = (SELECT id FROM orders WHERE status = 'accepted' ORDER BY id LIMIT 1)`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE orders SET shipped_units = shipped_units + 7
 WHERE id = (SELECT id FROM orders WHERE status = 'in_production' AND shipped_units + 7 <= quantity ORDER BY id LIMIT 1)`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	umkm := actorOf(t, app, "umkm@pasokan.test")
	if _, err := app.Materials.Create(ctx, umkm, material.Input{Material: "elastic", Quantity: "300", Unit: "roll",
		NeededBy: time.Now().AddDate(0, 0, 9).Format(time.DateOnly)}); err != nil {
		t.Fatal(err)
	}
	if _, err := app.Permits.Create(ctx, umkm, permit.Input{ProductType: "masker-kain", Kind: "lab_test"}); err != nil {
		t.Fatal(err)
	}
	buyer := actorOf(t, app, "pembeli@pasokan.test")
	demandID, err := app.Orders.CreateDemand(ctx, buyer, order.DemandInput{Title: "Masker untuk uji angka", ProductType: "masker-kain",
		Deadline: time.Now().AddDate(0, 0, 40).Format(time.DateOnly), Sites: []order.SiteInput{
			{ProvinceCode: "31", RegencyCode: "31.71", Address: "Gudang Jakarta Pusat", Quantity: "12.000"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Orders.Approve(ctx, buyer, demandID, 1); err != nil {
		t.Fatal(err)
	}
	got, err = app.Figures.National(ctx, ministry)
	if err != nil {
		t.Fatal(err)
	}
	after := direct(t, app, from)
	sameNational(t, "after changes", got, after)
	// The lists' walk (application_places) holds every application with
	// its supplier's province and its status, as the tables do.
	if off := systemIDs(t, app, `SELECT coalesce(a.id, x.application_id) FROM applications a
  LEFT JOIN supplier_profiles p ON p.organization_id = a.organization_id
  FULL JOIN application_places x ON x.application_id = a.id
 WHERE a.id IS NULL OR x.application_id IS NULL
    OR x.province_code <> coalesce(p.province_code, '') OR x.status <> a.status ORDER BY 1`); len(off) > 0 {
		t.Errorf("application_places differs from the tables for applications %v", off)
	}
	// What is ordered and accepted of each demand (demand_totals), as its
	// orders say.
	if off := systemIDs(t, app, `SELECT coalesce(o.demand_id, t.demand_id) FROM (
       SELECT demand_id, buyer_org_id, coalesce(sum(quantity) FILTER (WHERE status NOT IN ('declined', 'expired', 'cancelled')), 0) AS ordered,
              coalesce(sum(quantity) FILTER (WHERE status IN ('accepted', 'in_production', 'shipped', 'completed', 'invoiced', 'paid')), 0) AS accepted
         FROM orders GROUP BY 1, 2) o
  FULL JOIN demand_totals t ON t.demand_id = o.demand_id
 WHERE o.demand_id IS NULL OR t.demand_id IS NULL OR o.buyer_org_id <> t.buyer_org_id
    OR o.ordered <> t.ordered OR o.accepted <> t.accepted ORDER BY 1`); len(off) > 0 {
		t.Errorf("demand_totals differs from the orders for demands %v", off)
	}
	if after.Suppliers != want.Suppliers+1 || after.Materials["requested"] != want.Materials["requested"]+1 {
		t.Errorf("the changes did not reach the tables: %d suppliers, %d material requests", after.Suppliers, after.Materials["requested"])
	}

	// The lists behind figures: a province's curated, the whole country's
	// curated, and the province no one gave.
	admin := app.Client(t)
	admin.Login("admin@pasokan.test", demo.Password, "/admin")
	dash := admin.Get("/admin")
	if !strings.Contains(dash.Body, `data-figure="curated"`) || !strings.Contains(dash.Body, "<svg") ||
		!strings.Contains(dash.Body, `data-testid="province-table"`) {
		t.Fatalf("the dashboard: %d", dash.StatusCode)
	}
	var big figures.Province
	for _, p := range after.Provinces {
		if p.Code != "" && p.ByStatus["curated"] > big.ByStatus["curated"] {
			big = p
		}
	}
	// The curator organisation with the most applications in review: the
	// funnel's figure of its in-review and curated applications.
	kept, err := app.Figures.National(ctx, ministry)
	if err != nil {
		t.Fatal(err)
	}
	var busy figures.Curator
	for _, c := range kept.Curators {
		if c.ByStatus["curated"] > busy.ByStatus["curated"] {
			busy = c
		}
	}
	for _, c := range []struct {
		province, status, where string
		curator                 int64
	}{
		{big.Code, "curated", "p.province_code = $1 AND a.status = $2", 0},
		{"", "curated", "$1 = '' AND a.status = $2", 0},
		{"73", "", "p.province_code = $1 AND $2 = ''", 0},
		{big.Code, "waiting", "p.province_code = $1 AND a.status IN ('submitted', 'in_review') AND $2 <> ''", 0},
		{big.Code, "suspended", "p.province_code = $1 AND a.status = $2", 0},
		{"-", "", "coalesce(p.province_code, '') = '' AND $1 <> '' AND $2 = ''", 0},
		{"", "waiting", "$1 = '' AND a.status IN ('submitted', 'in_review') AND $2 <> ''", 0},
		{"", "curated", "a.assigned_org_id = $3 AND a.status = $2", busy.OrgID},
		{"", "in_review", "a.assigned_org_id = $3 AND a.status = $2", busy.OrgID},
	} {
		ids := systemIDs(t, app, `SELECT a.id FROM applications a LEFT JOIN supplier_profiles p ON p.organization_id = a.organization_id
 WHERE `+strings.NewReplacer("$1", "'"+c.province+"'", "$2", "'"+c.status+"'", "$3", strconv.FormatInt(c.curator, 10)).Replace(c.where)+` ORDER BY a.id`)
		q := url.Values{}
		if c.curator > 0 {
			q.Set("curator", strconv.FormatInt(c.curator, 10))
			if n := busy.ByStatus[c.status]; n != len(ids) {
				t.Errorf("the funnel says %d %s for curator %d, the tables hold %d", n, c.status, c.curator, len(ids))
			}
		}
		if c.province != "" {
			q.Set("province", c.province)
		}
		if c.status != "" {
			q.Set("status", c.status)
		}
		// The figure on the dashboard links the list of as many rows.
		if (c.province != "" && c.province != "-" || c.curator > 0) && slices.Contains(figures.Statuses, c.status) && len(ids) > 0 {
			link := `href="/admin/figures/suppliers?` + q.Encode() + `"`
			if !strings.Contains(dash.Body, strings.ReplaceAll(link, "&", "&amp;")) {
				t.Errorf("the dashboard does not link %s", link)
			}
		}
		if shown := listedPages(t, admin, "/admin/figures/suppliers?"+q.Encode(), applicationRowRe); !slices.Equal(shown, ids) {
			t.Errorf("%v: the pages list %d applications, the tables hold %d", c, len(shown), len(ids))
		}
		r := admin.Get("/admin/figures/suppliers.csv?" + q.Encode())
		records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\ufeff"))).ReadAll()
		if err != nil || len(records) == 0 {
			t.Fatalf("%v: the CSV: %v", c, err)
		}
		var inCSV []int64
		for _, rec := range records[1:] {
			id, _ := strconv.ParseInt(rec[0], 10, 64)
			inCSV = append(inCSV, id)
		}
		if !slices.Equal(inCSV, ids) {
			t.Errorf("%v: the CSV holds %d applications, the tables %d", c, len(inCSV), len(ids))
		}
		x := admin.Get("/admin/figures/suppliers.xlsx?" + q.Encode())
		f, err := excelize.OpenReader(bytes.NewReader([]byte(x.Body)))
		if err != nil {
			t.Fatalf("%v: the workbook: %v", c, err)
		}
		sheet, err := f.GetRows(f.GetSheetName(0))
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		var inXLSX []int64
		for _, row := range sheet[1:] {
			id, _ := strconv.ParseInt(row[0], 10, 64)
			inXLSX = append(inXLSX, id)
		}
		if !slices.Equal(inXLSX, ids) {
			t.Errorf("%v: the workbook holds %d applications, the tables %d", c, len(inXLSX), len(ids))
		}
	}

	// The entries behind a product's suppliers listed and capacity.
	var most figures.Product
	for _, p := range after.Products {
		if p.Listed > most.Listed {
			most = p
		}
	}
	if !strings.Contains(dash.Body, `href="/admin/figures/entries?product=`+most.Type+`"`) {
		t.Errorf("the dashboard does not link the entries of %s", most.Type)
	}
	entries := listedPages(t, admin, "/admin/figures/entries?product="+most.Type, regexp.MustCompile(`data-entry="(\d+)"`))
	if n := len(entries); n != most.Listed || len(slices.Compact(slices.Sorted(slices.Values(entries)))) != n {
		t.Errorf("%s: the pages list %d entries, the figure says %d", most.Type, n, most.Listed)
	}
	var paged []int64
	for after := (figures.EntryCursor{}); ; {
		rows, err := app.Figures.Entries(ctx, ministry, most.Type, after, 7)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range rows {
			paged = append(paged, e.ID)
		}
		if len(rows) < 7 {
			break
		}
		after = figures.EntryCursor{Name: rows[len(rows)-1].Name, ID: rows[len(rows)-1].ID}
	}
	if !slices.Equal(paged, entries) {
		t.Errorf("%s: in pages of 7 the list holds %d entries, in pages of %d %d", most.Type, len(paged), server.FigureListRows, len(entries))
	}
	r := admin.Get("/admin/figures/entries.csv?product=" + most.Type)
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var capacity int64
	for _, rec := range records[1:] {
		c, _ := strconv.ParseInt(rec[6], 10, 64)
		capacity += c
	}
	if len(records)-1 != most.Listed || capacity != most.Capacity {
		t.Errorf("%s: the CSV holds %d entries of %d a month, the figures %d of %d", most.Type, len(records)-1, capacity,
			most.Listed, most.Capacity)
	}
	x := admin.Get("/admin/figures/entries.xlsx?product=" + most.Type)
	f, err := excelize.OpenReader(bytes.NewReader([]byte(x.Body)))
	if err != nil {
		t.Fatal(err)
	}
	sheet, err := f.GetRows(f.GetSheetName(0))
	f.Close()
	if err != nil || len(sheet)-1 != most.Listed {
		t.Errorf("%s: the workbook holds %d entries, the figure %d (%v)", most.Type, len(sheet)-1, most.Listed, err)
	}
	// The orders behind each product's units ordered, shipped and
	// accepted, and behind the week of the most orders and of the most
	// curations: as many, and as many units, as the figures say, on the
	// page and in the CSV.
	ordersBehind := func(what, path string, f figures.OrderFilter, wantRows int, wantUnits int64, units int) {
		t.Helper()
		listed := listedPages(t, admin, path, regexp.MustCompile(`data-order="(\d+)"`))
		if n := len(listed); n != wantRows || len(slices.Compact(slices.Sorted(slices.Values(listed)))) != n {
			t.Errorf("%s: the pages list %d orders, want %d", what, n, wantRows)
		}
		// The same list in pages of 7, each after the last's last row.
		var paged []int64
		for {
			rows, err := app.Figures.Orders(ctx, ministry, f, 7)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range rows {
				paged = append(paged, o.ID)
			}
			if len(rows) < 7 {
				break
			}
			f.After = rows[len(rows)-1].ID
		}
		if !slices.Equal(paged, listed) {
			t.Errorf("%s: in pages of 7 the list holds %d orders, in pages of %d %d", what, len(paged), server.FigureListRows, len(listed))
		}
		r := admin.Get(strings.Replace(path, "/orders?", "/orders.csv?", 1))
		records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\ufeff"))).ReadAll()
		if err != nil || len(records) == 0 {
			t.Fatalf("%s: the CSV: %v", what, err)
		}
		var sum int64
		for _, rec := range records[1:] {
			n, _ := strconv.ParseInt(rec[units], 10, 64)
			sum += n
		}
		if wantRows >= 0 && len(records)-1 != wantRows || wantUnits >= 0 && sum != wantUnits {
			t.Errorf("%s: the CSV holds %d orders of %d units, the figures say %d and %d", what, len(records)-1, sum, wantRows, wantUnits)
		}
	}
	var ordered figures.Product
	for _, p := range kept.Products {
		if p.Ordered > ordered.Ordered {
			ordered = p
		}
	}
	for _, m := range []struct {
		measure string
		units   int64
		column  int
	}{{figures.MeasureOrdered, ordered.Ordered, 5}, {figures.MeasureShipped, ordered.Shipped, 6}, {figures.MeasureAccepted, ordered.Accepted, 7}} {
		path := "/admin/figures/orders?measure=" + m.measure + "&product=" + ordered.Type
		if m.units > 0 && !strings.Contains(dash.Body, `href="`+strings.ReplaceAll(path, "&", "&amp;")+`"`) {
			t.Errorf("the dashboard does not link %s", path)
		}
		rows := systemIDs(t, app, map[string]string{
			figures.MeasureOrdered:  `SELECT id FROM orders WHERE product_type = '` + ordered.Type + `' AND status NOT IN ('declined', 'expired', 'cancelled')`,
			figures.MeasureShipped:  `SELECT id FROM orders WHERE product_type = '` + ordered.Type + `' AND shipped_units > 0`,
			figures.MeasureAccepted: `SELECT id FROM orders WHERE product_type = '` + ordered.Type + `' AND accepted_units > 0`,
		}[m.measure])
		ordersBehind(ordered.Type+"/"+m.measure, path, figures.OrderFilter{Product: ordered.Type, Measure: m.measure}, len(rows), m.units, m.column)
	}
	var busiest, curatedMost figures.Week
	for _, w := range kept.Weeks {
		if w.N["orders"] > busiest.N["orders"] {
			busiest = w
		}
		if w.N["curated"] > curatedMost.N["curated"] {
			curatedMost = w
		}
	}
	if busiest.N["orders"] > 0 {
		week := busiest.Monday.Format(time.DateOnly)
		ordersBehind("week "+week, "/admin/figures/orders?week="+week, figures.OrderFilter{Week: busiest.Monday}, int(busiest.N["orders"]),
			busiest.N["units_ordered"], 5)
	}
	if curatedMost.N["curated"] > 0 {
		week := curatedMost.Monday.Format(time.DateOnly)
		if n := len(listedPages(t, admin, "/admin/figures/suppliers?curated_week="+week, applicationRowRe)); int64(n) != curatedMost.N["curated"] {
			t.Errorf("week %s: the list holds %d curated applications, the figure %d", week, n, curatedMost.N["curated"])
		}
	} else {
		t.Log("no curation in the weeks shown")
	}
	// A cursor no page links (a name of invalid UTF-8 or a NUL byte) is
	// refused as a bad address before the list is read, never a 500.
	for _, bad := range []string{"%FF%FE", "a%00b"} {
		if r := admin.Get("/admin/figures/entries?product=" + most.Type + "&after=1&after_name=" + bad); r.StatusCode != 400 {
			t.Errorf("entries after a name %q: %d, want 400", bad, r.StatusCode)
		}
	}
	if r := admin.Get("/admin/figures/entries?product=sabun"); r.StatusCode != 404 {
		t.Errorf("an unknown product's entries: %d", r.StatusCode)
	}
}

// TestDashboardDrawnOnceInEachLanguage: while its figures are kept, the
// dashboard is drawn once per language and served again to every ministry
// admin; the next language gets its own drawing, never the first one's.
func TestDashboardDrawnOnceInEachLanguage(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.WithFiguresTTL(server.FiguresTTL))
	c := app.Client(t)
	c.Login("admin@pasokan.test", demo.Password, "/admin")
	first := c.Get("/admin")
	again := c.Get("/admin")
	if !strings.Contains(first.Body, "<h1>Dasbor nasional</h1>") || !strings.Contains(again.Body, "<h1>Dasbor nasional</h1>") ||
		!strings.Contains(again.Body, `data-testid="province-table"`) {
		t.Fatalf("the dashboard in Indonesian, then again: %d, %d", first.StatusCode, again.StatusCode)
	}
	if r := c.Post("/language", url.Values{"lang": {"en"}}); r.StatusCode != 303 {
		t.Fatalf("language: %d", r.StatusCode)
	}
	en := c.Get("/admin")
	if !strings.Contains(en.Body, "<h1>National dashboard</h1>") || strings.Contains(en.Body, "Dasbor nasional") ||
		!strings.Contains(en.Body, "Suppliers registered") {
		t.Errorf("the dashboard in English served the Indonesian drawing:\n%s", en.Body)
	}
}
