package server_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"

	"pasokan/internal/database"
	"pasokan/internal/demo"
	"pasokan/internal/testapp"
)

// The ministry's lists of material and permit requests download as CSV and
// XLSX holding every request of the filter shown, and nobody else
// downloads them.
func TestSupportListsDownloadWhatTheyShow(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	sup := app.Client(t)
	sup.Login("umkm@pasokan.test", demo.Password, "/supplier")
	due := time.Now().AddDate(0, 0, 20).Format(time.DateOnly)
	for _, m := range []string{"spunbond", "elastic", "spunbond"} {
		r := sup.Post("/supplier/materials", url.Values{"material": {m}, "quantity": {"500"}, "unit": {"m"}, "needed_by": {due}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("asking for %s: %d", m, r.StatusCode)
		}
	}
	products := systemStrings(t, app, `SELECT ap.product_type FROM application_products ap JOIN memberships m ON m.organization_id = ap.organization_id
  JOIN users u ON u.id = m.user_id WHERE u.email = 'umkm@pasokan.test' ORDER BY 1 LIMIT 1`)
	if len(products) == 0 {
		t.Fatal("the demo supplier has no product")
	}
	if r := sup.Post("/supplier/permits", url.Values{"product_type": {products[0]}, "permit_kind": {"lab_test"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("asking for permit help: %d", r.StatusCode)
	}

	admin := app.Client(t)
	admin.Login("admin@pasokan.test", demo.Password, "/admin")
	for _, c := range []struct{ list, query, where, csv string }{
		{"materials", "material=spunbond", `SELECT id FROM material_requests WHERE material = 'spunbond' ORDER BY needed_by, id`, "bahan-baku"},
		{"materials", "", `SELECT id FROM material_requests WHERE status IN ('requested', 'sourcing') ORDER BY needed_by, id`, "bahan-baku"},
		{"permits", "kind=lab_test", `SELECT id FROM permit_requests WHERE permit_kind = 'lab_test' ORDER BY status_changed_at, id`, "bantuan-izin"},
	} {
		want := idStrings(systemIDs(t, app, c.where))
		page := admin.Get("/admin/" + c.list + "?" + c.query)
		link := "/admin/" + c.list + ".csv"
		if c.query != "" {
			link += "?" + c.query
		}
		if !strings.Contains(page.Body, `href="`+link+`"`) {
			t.Errorf("the %s page does not link %s", c.list, link)
		}
		rows, records := readExportCSV(t, download(t, admin, link, "text/csv; charset=utf-8", c.csv, "csv"), csvHeader(t, admin, link))
		if got := exportIDs(rows, "request_id"); !slices.Equal(got, want) || len(want) == 0 {
			t.Errorf("%s?%s: the CSV holds %v, the tables %v", c.list, c.query, got, want)
		}
		f, err := excelize.OpenReader(strings.NewReader(download(t, admin, strings.Replace(link, ".csv", ".xlsx", 1),
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", c.csv, "xlsx")))
		if err != nil {
			t.Fatal(err)
		}
		sheet, err := f.GetRows(f.GetSheetName(0))
		f.Close()
		if err != nil || len(sheet) != len(records) {
			t.Errorf("%s: the workbook has %d rows, the CSV %d (%v)", c.list, len(sheet), len(records), err)
		}
	}
	for _, p := range []string{"/admin/materials.csv", "/admin/permits.xlsx"} {
		if r := sup.Get(p); r.StatusCode != http.StatusNotFound {
			t.Errorf("the supplier GET %s: %d", p, r.StatusCode)
		}
	}
}

// csvHeader reads the first line of a CSV download.
func csvHeader(t *testing.T, c *testapp.Client, path string) []string {
	t.Helper()
	body := strings.TrimPrefix(c.Get(path).Body, "\ufeff")
	line, _, _ := strings.Cut(body, "\n")
	return strings.Split(strings.TrimRight(line, "\r"), ",")
}

// systemStrings runs q, which selects one text column, over every row.
func systemStrings(t *testing.T, app *testapp.App, q string) []string {
	t.Helper()
	var out []string
	err := app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(context.Background(), q)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The ministry's lists of material and permit requests go on page after
// page by their links, keeping the filter: every request of the filter
// once, in the list's order; a later page links back to the first.
func TestSupportListsPageOnWithTheirFilters(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 40)
	app.AddMaterialRequests(t, 200)
	app.AddPermitRequests(t)
	admin := app.Client(t)
	admin.Login("admin@pasokan.test", demo.Password, "/admin")
	next := regexp.MustCompile(`<a rel="next" href="([^"]+)"`)
	for _, c := range []struct{ first, where, row string }{
		{"/admin/materials?material=spunbond",
			`SELECT id FROM material_requests WHERE material = 'spunbond' AND status IN ('requested', 'sourcing') ORDER BY needed_by, id`,
			`data-testid="material-row-(\d+)"`},
		{"/admin/permits?kind=sni",
			`SELECT id FROM permit_requests WHERE permit_kind = 'sni' AND status IN ('requested', 'documents_complete', 'submitted', 'questions')
 ORDER BY status_changed_at, id`,
			`<a href="/admin/permits/(\d+)"`},
	} {
		want := idStrings(systemIDs(t, app, c.where))
		var got []string
		pages := 0
		for addr := c.first; addr != ""; pages++ {
			if pages > len(want) {
				t.Fatalf("%s: the pages do not end", c.first)
			}
			r := admin.Get(addr)
			if r.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d", addr, r.StatusCode)
			}
			for _, m := range regexp.MustCompile(c.row).FindAllStringSubmatch(r.Body, -1) {
				got = append(got, m[1])
			}
			if pages > 0 && !strings.Contains(r.Body, `href="`+html.EscapeString(c.first)+`"`) {
				t.Errorf("%s: the later page %s does not link back to the first", c.first, addr)
			}
			addr = ""
			if m := next.FindStringSubmatch(r.Body); m != nil {
				addr = html.UnescapeString(m[1])
				if !strings.Contains(addr, strings.SplitN(c.first, "?", 2)[1]) {
					t.Errorf("%s: the next page %s lost the filter", c.first, addr)
				}
			}
		}
		if pages < 2 || !slices.Equal(got, want) {
			t.Errorf("%s: %d pages hold %v, want %v", c.first, pages, got, want)
		}
	}
}

// A cursor typed by hand with a time no date or time column holds, or
// none, shows the list from its start: never a refusal or an error.
func TestSupportListsTakeAnyCursor(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	admin := app.Client(t)
	admin.Login("admin@pasokan.test", demo.Password, "/admin")
	for _, p := range []string{"/admin/materials", "/admin/permits", "/admin/audit"} {
		for _, c := range []string{"-9223372036854775808_1", "9223372036854775807_1", "253402300800000000_1",
			"-211000000000000000_1", "0_1", "1_9223372036854775807", "_", "x_1"} {
			if r := admin.Get(p + "?after=" + c); r.StatusCode != http.StatusOK {
				t.Errorf("%s?after=%s: %d", p, c, r.StatusCode)
			}
		}
	}
}
