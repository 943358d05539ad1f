package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/demo"
	"pasokan/internal/testapp"
)

// ownerEmail is the e-mail of a supplier organisation's owner.
func ownerEmail(t *testing.T, app *testapp.App, orgID int64) string {
	t.Helper()
	ctx := context.Background()
	var email string
	if err := app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT u.email FROM users u JOIN memberships m ON m.user_id = u.id
 WHERE m.organization_id = $1 AND m.role = 'owner'`, orgID).Scan(&email)
	}); err != nil {
		t.Fatal(err)
	}
	return email
}

var (
	orderVersionRe = regexp.MustCompile(`name="version" value="(\d+)"`)
	orderRowRe     = regexp.MustCompile(`href="/buyer/orders/(\d+)"`)
)

// A buyer drafts a demand through the form (a refused one keeps what was
// typed), approves it, sees the plan with its shortfall and sends it; the
// supplier of one order sees it and accepts it, a supplier of another
// order cannot open it.
func TestBuyerPlansADemandAndSupplierAnswers(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 330)
	c := app.Client(t)
	c.Login("pembeli@pasokan.test", demo.Password, "/catalog")
	// The demo buyer's list holds the story's demand of 2020: a million masks.
	if page := c.Get("/buyer/demands"); page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `data-testid="demands"`) ||
		!strings.Contains(page.Body, "1.000.000") {
		t.Fatalf("the list of the story's demands: %d", page.StatusCode)
	}
	if form := c.Get("/buyer/demands/new"); strings.Count(form.Body, `data-testid="site-row"`) != 2 {
		t.Errorf("the new demand form shows %d site rows, want 2", strings.Count(form.Body, `data-testid="site-row"`))
	}
	deadline := time.Now().AddDate(0, 0, 14).Format(time.DateOnly)
	form := url.Values{"title": {"Masker kain tahap 1"}, "product_type": {"masker-kain"}, "deadline": {deadline},
		"standard": {"SNI 8914:2020"}, "target_price": {"4.000"}, "notes": {"Anggaran tahap 1"},
		"site_province_code": {"31", "35"}, "site_regency_code": {"31.71", "35.78"},
		"site_address": {"Gudang Jakarta", "Gudang Surabaya"}, "site_quantity": {"600.000", "banyak"}}
	// One more row, without JavaScript: nothing stored, all kept.
	more := c.Post("/buyer/demands", withValue(form, "add_site", "1"))
	if more.StatusCode != http.StatusOK || strings.Count(more.Body, `data-testid="site-row"`) != 3 ||
		!strings.Contains(more.Body, `value="Masker kain tahap 1"`) {
		t.Fatalf("add a site: %d, %d rows", more.StatusCode, strings.Count(more.Body, `data-testid="site-row"`))
	}
	bad := c.Post("/buyer/demands", form)
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `id="f-site_quantity_2-error"`) ||
		!strings.Contains(bad.Body, `value="banyak"`) || !strings.Contains(bad.Body, "Gudang Surabaya") {
		t.Fatalf("a bad quantity: %d", bad.StatusCode)
	}
	form.Set("site_quantity", "600.000")
	form["site_quantity"] = []string{"600.000", "400.000"}
	made := c.Post("/buyer/demands", form)
	if made.StatusCode != http.StatusSeeOther || !strings.HasPrefix(made.Header.Get("Location"), "/buyer/demands/") {
		t.Fatalf("create: %d to %q", made.StatusCode, made.Header.Get("Location"))
	}
	path := made.Header.Get("Location")
	page := c.Get(path)
	if !strings.Contains(page.Body, "Draf, menunggu persetujuan") || strings.Contains(page.Body, `data-testid="plan"`) {
		t.Fatal("a draft shows no approval, or a plan")
	}
	v := orderVersionRe.FindStringSubmatch(page.Body)
	if v == nil {
		t.Fatal("no approval form for the buyer's owner")
	}
	if r := c.Post(path+"/approve", url.Values{"version": {v[1]}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d", r.StatusCode)
	}
	page = c.Get(path)
	if !strings.Contains(page.Body, `data-testid="plan-shortfall"`) || strings.Count(page.Body, `data-testid="plan-line"`) == 0 {
		t.Fatal("the approved demand shows no plan with its shortfall")
	}
	// The target price is the buyer's: on its page, marked private.
	if !strings.Contains(page.Body, "tidak terlihat oleh pemasok") {
		t.Error("the target price is not marked private")
	}
	lines := url.Values{"version": {orderVersionRe.FindStringSubmatch(page.Body)[1]}}
	for _, m := range regexp.MustCompile(`name="line_site" value="(\d+)"`).FindAllStringSubmatch(page.Body, -1) {
		lines.Add("line_site", m[1])
	}
	for _, m := range regexp.MustCompile(`name="line_supplier" value="(\d+)"`).FindAllStringSubmatch(page.Body, -1) {
		lines.Add("line_supplier", m[1])
	}
	for _, m := range regexp.MustCompile(`name="line_quantity" value="(\d+)"`).FindAllStringSubmatch(page.Body, -1) {
		lines.Add("line_quantity", m[1])
	}
	if len(lines["line_site"]) == 0 || len(lines["line_site"]) != len(lines["line_quantity"]) {
		t.Fatalf("the plan's form: %d sites, %d quantities", len(lines["line_site"]), len(lines["line_quantity"]))
	}
	// A quantity beyond what the producer can make: refused on its line,
	// with what was typed.
	over := url.Values{}
	for k, vs := range lines {
		over[k] = append([]string(nil), vs...)
	}
	over["line_quantity"][0] = "99999999"
	if r := c.Post(path+"/orders", over); r.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, `id="f-line_quantity_1-error"`) || !strings.Contains(r.Body, `value="99999999"`) {
		t.Fatalf("a line over capacity: %d", r.StatusCode)
	}
	if r := c.Post(path+"/orders", lines); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d", r.StatusCode)
	}
	page = c.Get(path)
	ids := orderRowRe.FindAllStringSubmatch(page.Body, -1)
	if len(ids) != len(lines["line_site"]) {
		t.Fatalf("%d orders on the demand's page, want %d", len(ids), len(lines["line_site"]))
	}

	// The first order's supplier sees it and accepts it; the second's
	// cannot open it.
	ctx := context.Background()
	var first, second int64
	if err := app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT (SELECT supplier_org_id FROM orders WHERE id = $1), (SELECT supplier_org_id FROM orders WHERE id = $2)`,
			ids[0][1], ids[1][1]).Scan(&first, &second)
	}); err != nil {
		t.Fatal(err)
	}
	sup := app.Client(t)
	sup.Login(ownerEmail(t, app, first), demo.Password, "/supplier")
	list := sup.Get("/supplier/orders")
	if !strings.Contains(list.Body, `href="/supplier/orders/`+ids[0][1]+`"`) {
		t.Fatal("the supplier's list does not show its order")
	}
	own := sup.Get("/supplier/orders/" + ids[0][1])
	if own.StatusCode != http.StatusOK || !strings.Contains(own.Body, `data-testid="answer"`) || strings.Contains(own.Body, "4.000 per") ||
		strings.Contains(own.Body, "Anggaran tahap 1") {
		t.Fatalf("the supplier's order page: %d", own.StatusCode)
	}
	if second != first {
		if r := sup.Get("/supplier/orders/" + ids[1][1]); r.StatusCode != http.StatusNotFound {
			t.Errorf("another supplier's order: %d", r.StatusCode)
		}
	}
	if r := sup.Get("/buyer/orders/" + ids[0][1]); r.StatusCode == http.StatusOK {
		t.Error("a supplier opened the buyer's order page")
	}
	r := sup.Post("/supplier/orders/"+ids[0][1]+"/decline", url.Values{"version": {orderVersionRe.FindStringSubmatch(own.Body)[1]}, "reason": {"x"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="f-reason-error"`) {
		t.Errorf("a decline without a reason: %d", r.StatusCode)
	}
	r = sup.Post("/supplier/orders/"+ids[0][1]+"/accept", url.Values{"version": {orderVersionRe.FindStringSubmatch(own.Body)[1]}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d", r.StatusCode)
	}
	// Accepting again, on the old page: the order moved on.
	if r := sup.Post("/supplier/orders/"+ids[0][1]+"/accept", url.Values{"version": {orderVersionRe.FindStringSubmatch(own.Body)[1]}}); r.StatusCode != http.StatusConflict {
		t.Errorf("a second accept: %d", r.StatusCode)
	}
	if page := c.Get("/buyer/orders/" + ids[0][1]); !strings.Contains(page.Body, "Pesanan diterima pemasok") {
		t.Error("the buyer's order page does not show the acceptance")
	}
}

func withValue(v url.Values, k, value string) url.Values {
	out := url.Values{}
	for key, vs := range v {
		out[key] = append([]string(nil), vs...)
	}
	out.Set(k, value)
	return out
}

// A demand whose deadline has passed (the demo's million masks, due in May
// 2020) says so, rather than show a shortfall as if capacity were missing.
func TestDemandPastItsDeadlineSaysSo(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 330)
	ctx := context.Background()
	var id int64
	if err := app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT id FROM demands WHERE quantity = 1000000 ORDER BY id LIMIT 1`).Scan(&id)
	}); err != nil {
		t.Fatal(err)
	}
	c := app.Client(t)
	c.Login("pembeli@pasokan.test", demo.Password, "/catalog")
	page := c.Get("/buyer/demands/" + strconv.FormatInt(id, 10))
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `data-testid="plan-late"`) ||
		strings.Contains(page.Body, `data-testid="plan-shortfall"`) {
		t.Errorf("the demand past its deadline: %d, late %v", page.StatusCode, strings.Contains(page.Body, `data-testid="plan-late"`))
	}
}
