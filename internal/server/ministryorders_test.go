package server_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/demo"
	"pasokan/internal/order"
	"pasokan/internal/testapp"
)

// orderLink finds the order links of a list page, in the page's order.
var orderLink = regexp.MustCompile(`href="/(?:admin|buyer|supplier)/orders/(\d+)"`)

// demandLink finds the demand links of the ministry's list.
var demandLink = regexp.MustCompile(`href="/admin/demands/(\d+)"`)

// listAll follows a list's pages from path and returns the ids link finds
// on them, in order; more pages than want ids fill fails the test.
func listAll(t *testing.T, c *testapp.Client, path string, link *regexp.Regexp, want int) []int64 {
	t.Helper()
	var got []int64
	for pages := 0; path != ""; pages++ {
		if pages > want/order.PageSize+1 {
			t.Fatalf("more pages than %d rows fill", want)
		}
		res := c.Get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		for _, m := range link.FindAllStringSubmatch(res.Body, -1) {
			id, _ := strconv.ParseInt(m[1], 10, 64)
			got = append(got, id)
		}
		path = ""
		if m := nextLink.FindStringSubmatch(res.Body); m != nil {
			path = strings.ReplaceAll(m[1], "&amp;", "&")
		}
	}
	return got
}

// nextLink finds a list page's link to the page after it.
var nextLink = regexp.MustCompile(`rel="next" href="([^"]+)"`)

// systemIDs runs q, which selects one bigint column, over every row.
func systemIDs(t *testing.T, app *testapp.App, q string) []int64 {
	t.Helper()
	return app.DB.IDs(t, q)
}

// The ministry reads every demand and order, of every buyer and supplier,
// page by page, and changes none; no other kind of organisation reaches
// its pages.
func TestMinistryReadsEveryOrderAndChangesNone(t *testing.T) {
	app := testapp.NewScale(t, 400) // beyond 2020: a few hundred orders, several pages
	ctx := context.Background()

	want := systemIDs(t, app, `SELECT id FROM orders ORDER BY id DESC`)
	buyers := len(systemIDs(t, app, `SELECT DISTINCT buyer_org_id FROM orders`))
	if len(want) <= order.PageSize || buyers < 2 {
		t.Fatalf("the demo holds %d orders of %d buyers: too few to test pages of %d across buyers", len(want), buyers, order.PageSize)
	}

	ministry := app.Client(t)
	ministry.Login("admin@pasokan.test", demo.Password, "/admin")

	// Every order, newest first, each once, across pages.
	if got := listAll(t, ministry, "/admin/orders", orderLink, len(want)); !slices.Equal(got, want) {
		t.Errorf("the ministry's pages list %d orders, want all %d newest first", len(got), len(want))
	}

	// One status: only orders of that status.
	declined := systemIDs(t, app, `SELECT id FROM orders WHERE status = 'declined' ORDER BY id DESC`)
	if len(declined) == 0 {
		t.Fatal("the demo has no declined order")
	}
	if got := listAll(t, ministry, "/admin/orders?status=declined", orderLink, len(declined)); !slices.Equal(got, declined) {
		t.Errorf("declined orders listed: %v, want %v", got, declined)
	}

	// An order's page: both parties, its timeline, and no form to change it.
	type shippedOrder struct {
		ID           int64  `db:"id"`
		DemandID     int64  `db:"demand_id"`
		SupplierName string `db:"supplier_name"`
		BuyerName    string `db:"buyer_name"`
	}
	var shipped shippedOrder
	err := app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, demand_id, supplier_name, buyer_name FROM orders
 WHERE shipped_units > 0 ORDER BY id LIMIT 1`)
		if err != nil {
			return err
		}
		shipped, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[shippedOrder])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	delivered, demandID, supplierName, buyerName := shipped.ID, shipped.DemandID, shipped.SupplierName, shipped.BuyerName
	res := ministry.Get("/admin/orders/" + strconv.FormatInt(delivered, 10))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the ministry opens a delivered order: %d", res.StatusCode)
	}
	for _, want := range []string{supplierName, buyerName, `data-testid="shipments"`, `data-testid="timeline"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("the ministry's order page lacks %q", want)
		}
	}
	if strings.Contains(res.Body, `method="post" action="/admin/orders`) || strings.Contains(res.Body, `action="/buyer/`) ||
		strings.Contains(res.Body, `action="/supplier/`) {
		t.Error("the ministry's order page offers a form that changes the order")
	}
	pdf := ministry.Get("/admin/orders/" + strconv.FormatInt(delivered, 10) + "/document.pdf")
	if pdf.StatusCode != http.StatusOK || pdf.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("the ministry's order PDF: %d %s", pdf.StatusCode, pdf.Header.Get("Content-Type"))
	}

	// The demand: progress and orders, neither the plan nor approval.
	res = ministry.Get("/admin/demands/" + strconv.FormatInt(demandID, 10))
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `data-testid="orders"`) {
		t.Fatalf("the ministry opens the demand: %d", res.StatusCode)
	}
	if strings.Contains(res.Body, `action="/buyer/`) || strings.Contains(res.Body, `name="line_quantity"`) {
		t.Error("the ministry's demand page offers the plan or the approval")
	}
	demands := systemIDs(t, app, `SELECT id FROM demands ORDER BY id DESC`)
	if got := listAll(t, ministry, "/admin/demands", demandLink, len(demands)); !slices.Equal(got, demands) {
		t.Errorf("the ministry's demand pages list %v, want %v", got, demands)
	}

	// The store refuses the ministry any change.
	a := actorOf(t, app, "admin@pasokan.test")
	o, err := app.Orders.Order(ctx, a, delivered)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Orders.Cancel(ctx, a, delivered, o.Version, "Uji coba kementerian"); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("the ministry cancelled an order: %v", err)
	}

	// Nobody else reaches the ministry's pages: 404, as for any page one
	// may not see.
	for email, home := range map[string]string{"pembeli@pasokan.test": "/catalog", "umkm@pasokan.test": "/supplier",
		"kurator@pasokan.test": "/curation"} {
		c := app.Client(t)
		c.Login(email, demo.Password, home)
		for _, p := range []string{"/admin/orders", "/admin/orders/" + strconv.FormatInt(delivered, 10), "/admin/demands",
			"/admin/demands/" + strconv.FormatInt(demandID, 10)} {
			if res := c.Get(p); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s GET %s: %d, want 404", email, p, res.StatusCode)
			}
		}
	}
}

// A list's page and status arrive in the address: a malformed page is the
// first, an unknown status no filter, and the buyer's list pages through
// its own orders only.
func TestOrderListPages(t *testing.T) {
	app := testapp.NewScale(t, 400) // beyond 2020: a few hundred orders, several pages
	buyer := app.Client(t)
	buyer.Login("pembeli@pasokan.test", demo.Password, "/catalog")
	a := actorOf(t, app, "pembeli@pasokan.test")
	mine := map[int64]bool{}
	for _, o := range allOrders(t, app, a) {
		mine[o.ID] = true
	}
	for _, q := range []string{"", "?before=abc", "?before=-4", "?status=nonsense", "?status=" + url.QueryEscape("'; DROP TABLE orders; --")} {
		res := buyer.Get("/buyer/orders" + q)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET /buyer/orders%s: %d", q, res.StatusCode)
			continue
		}
		links := orderLink.FindAllStringSubmatch(res.Body, -1)
		if len(links) == 0 || len(links) > order.PageSize {
			t.Errorf("GET /buyer/orders%s lists %d orders", q, len(links))
		}
		for _, m := range links {
			id, _ := strconv.ParseInt(m[1], 10, 64)
			if !mine[id] {
				t.Errorf("GET /buyer/orders%s lists order %d of another buyer", q, id)
			}
		}
	}
	// A status with no order says so and offers the way back.
	res := buyer.Get("/buyer/orders?status=paid&before=1")
	if !strings.Contains(res.Body, `data-testid="orders-empty"`) || !strings.Contains(res.Body, `href="/buyer/orders"`) {
		t.Error("an empty filtered page does not say so with a link to the whole list")
	}
}
