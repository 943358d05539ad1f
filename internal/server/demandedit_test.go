package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/demo"
	"pasokan/internal/testapp"
)

// A draft demand is edited until it is approved: the form comes filled,
// bad input (unstorable bytes included) is an error on its field with
// everything kept and nothing changed, a stale page is refused, the sites
// are replaced whole, the edit is an audit event; after approval the draft
// no longer changes.
func TestBuyerEditsADraftDemand(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	ctx := context.Background()
	c := app.Client(t)
	c.Login("pembeli@pasokan.test", demo.Password, "/catalog")
	deadline := time.Now().AddDate(0, 0, 30).Format(time.DateOnly)
	form := url.Values{"title": {"Masker kain tahap 2"}, "product_type": {"masker-kain"}, "deadline": {deadline},
		"standard": {"SNI 8914:2020"}, "target_price": {"4.000"}, "notes": {""},
		"site_province_code": {"31", "35"}, "site_regency_code": {"31.71", "35.78"},
		"site_address": {"Gudang Jakarta", "Gudang Surabaya"}, "site_quantity": {"60.000", "40.000"}}
	made := c.Post("/buyer/demands", form)
	if made.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", made.StatusCode)
	}
	path := made.Header.Get("Location")
	a := actorOf(t, app, "pembeli@pasokan.test")
	id := mustID(t, path)
	before, err := app.Orders.Demand(ctx, a, id)
	if err != nil {
		t.Fatal(err)
	}

	page := c.Get(path)
	if !strings.Contains(page.Body, `href="`+path+`/edit"`) {
		t.Fatal("a draft's page has no link to edit it")
	}
	edit := c.Get(path + "/edit")
	if edit.StatusCode != http.StatusOK || !strings.Contains(edit.Body, `value="Masker kain tahap 2"`) ||
		!strings.Contains(edit.Body, "Gudang Surabaya") || strings.Count(edit.Body, `data-testid="site-row"`) != 2 ||
		!strings.Contains(edit.Body, `action="`+path+`/edit"`) {
		t.Fatalf("the edit form is not filled with the draft: %d", edit.StatusCode)
	}
	version := orderVersionRe.FindStringSubmatch(edit.Body)
	if version == nil {
		t.Fatal("the edit form carries no version")
	}

	unchanged := func(when string) {
		t.Helper()
		got, err := app.Orders.Demand(ctx, a, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != before.Version || got.Title != before.Title || len(got.Sites) != len(before.Sites) {
			t.Errorf("%s changed the draft: %+v", when, got)
		}
	}
	// Bytes that cannot be stored: an error on the field, the rest kept.
	bad := withValue(form, "version", version[1])
	bad.Set("title", "Masker \xff kain")
	res := c.Post(path+"/edit", bad)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="f-title-error"`) ||
		!strings.Contains(res.Body, "Gudang Surabaya") {
		t.Errorf("an unstorable title: %d, want 422 with the error at the title", res.StatusCode)
	}
	bad = withValue(form, "version", version[1])
	bad["site_address"] = []string{"Gudang Jakarta", "Gudang \x00 Surabaya"}
	res = c.Post(path+"/edit", bad)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="f-site_address_2-error"`) {
		t.Errorf("an unstorable site address: %d, want 422 with the error at the second site", res.StatusCode)
	}
	bad = withValue(form, "version", version[1])
	bad["site_quantity"] = []string{"60.000", "banyak"}
	res = c.Post(path+"/edit", bad)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="f-site_quantity_2-error"`) ||
		!strings.Contains(res.Body, `value="banyak"`) {
		t.Errorf("a bad quantity: %d", res.StatusCode)
	}
	// One more row, without JavaScript: nothing stored.
	res = c.Post(path+"/edit", withValue(withValue(form, "version", version[1]), "add_site", "1"))
	if res.StatusCode != http.StatusOK || strings.Count(res.Body, `data-testid="site-row"`) != 3 {
		t.Errorf("add a site while editing: %d, %d rows", res.StatusCode, strings.Count(res.Body, `data-testid="site-row"`))
	}
	unchanged("refused edits")

	// The edit: a new title, one site instead of two.
	good := withValue(form, "version", version[1])
	good.Set("title", "Masker kain tahap 2 (Jakarta saja)")
	good["site_province_code"], good["site_regency_code"] = []string{"31"}, []string{"31.71"}
	good["site_address"], good["site_quantity"] = []string{"Gudang Jakarta"}, []string{"100.000"}
	if res := c.Post(path+"/edit", good); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path {
		t.Fatalf("edit: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	after, err := app.Orders.Demand(ctx, a, id)
	if err != nil {
		t.Fatal(err)
	}
	if after.Title != "Masker kain tahap 2 (Jakarta saja)" || after.Quantity != 100_000 || len(after.Sites) != 1 ||
		after.Sites[0].Quantity != 100_000 || after.Version != before.Version+1 || after.Status != "draft" {
		t.Errorf("after the edit: %+v", after)
	}
	var events int
	err = app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = 'demand.edited' AND subject_id = $1`, id).Scan(&events)
	})
	if err != nil || events != 1 {
		t.Errorf("audit events of the edit: %d (%v), want 1", events, err)
	}

	// The page the buyer kept open is stale now.
	if res := c.Post(path+"/edit", good); res.StatusCode != http.StatusConflict {
		t.Errorf("an edit on a stale version: %d, want 409", res.StatusCode)
	}

	// Approved, it no longer changes.
	page = c.Get(path)
	v := orderVersionRe.FindStringSubmatch(page.Body)
	if r := c.Post(path+"/approve", url.Values{"version": {v[1]}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d", r.StatusCode)
	}
	if res := c.Get(path + "/edit"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path {
		t.Errorf("the edit form of an approved demand: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	approved, _ := app.Orders.Demand(ctx, a, id)
	late := withValue(good, "version", versionString(approved.Version))
	late.Set("title", "Terlambat")
	if res := c.Post(path+"/edit", late); res.StatusCode != http.StatusConflict {
		t.Errorf("an edit of an approved demand: %d, want 409", res.StatusCode)
	}
	if got, _ := app.Orders.Demand(ctx, a, id); got.Title == "Terlambat" {
		t.Error("an approved demand changed")
	}

	// Nobody else edits it: a supplier's member gets 404.
	other := app.Client(t)
	other.Login("umkm@pasokan.test", demo.Password, "/supplier")
	if res := other.Get(path + "/edit"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a supplier opens a buyer's draft: %d", res.StatusCode)
	}
}

// A plan line's quantity holding bytes that cannot be stored is an error
// on that line, not a refusal of the whole page.
func TestPlanLineRefusesUnstorableBytesAtTheLine(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 330)
	c := app.Client(t)
	c.Login("pembeli@pasokan.test", demo.Password, "/catalog")
	deadline := time.Now().AddDate(0, 0, 30).Format(time.DateOnly)
	made := c.Post("/buyer/demands", url.Values{"title": {"Masker kain tahap 3"}, "product_type": {"masker-kain"},
		"deadline": {deadline}, "site_province_code": {"32"}, "site_regency_code": {"32.73"},
		"site_address": {"Gudang Bandung"}, "site_quantity": {"20.000"}})
	path := made.Header.Get("Location")
	page := c.Get(path)
	v := orderVersionRe.FindStringSubmatch(page.Body)
	if v == nil || c.Post(path+"/approve", url.Values{"version": {v[1]}}).StatusCode != http.StatusSeeOther {
		t.Fatal("approve")
	}
	page = c.Get(path)
	site := strings.SplitN(strings.SplitN(page.Body, `name="line_site" value="`, 2)[1], `"`, 2)[0]
	sup := strings.SplitN(strings.SplitN(page.Body, `name="line_supplier" value="`, 2)[1], `"`, 2)[0]
	res := c.Post(path+"/orders", url.Values{"version": {orderVersionRe.FindStringSubmatch(page.Body)[1]},
		"line_site": {site}, "line_supplier": {sup}, "line_quantity": {"1\xff000"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="f-line_quantity_1-error"`) {
		t.Errorf("an unstorable line quantity: %d, want 422 with the error at the line", res.StatusCode)
	}
	if d, err := app.Orders.Demand(context.Background(), actorOf(t, app, "pembeli@pasokan.test"), mustID(t, path)); err != nil || len(d.Orders) != 0 {
		t.Errorf("the refused plan made %d orders (%v)", len(d.Orders), err)
	}
}

// mustID is the id at the end of path.
func mustID(t *testing.T, path string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(path[strings.LastIndex(path, "/")+1:], 10, 64)
	if err != nil {
		t.Fatalf("no id in %q", path)
	}
	return id
}

func versionString(v int) string { return strconv.Itoa(v) }
