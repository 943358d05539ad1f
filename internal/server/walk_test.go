package server_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/material"
	"pasokan/internal/order"
	"pasokan/internal/permit"
	"pasokan/internal/testapp"
)

// The walk of every route with bad input: what it sends is in
// walk_table_test.go, what "nothing stored" means in snapshot_test.go.
// Each walker is a session of its own, walked in parallel with the others;
// the snapshots are taken before the first and after the last.

// routesOf lists the router's routes as "METHOD pattern".
func routesOf(t *testing.T, app *testapp.App) []string {
	t.Helper()
	var out []string
	err := chi.Walk(app.Server.Routes(), func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		out = append(out, method+" "+pattern)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// TestWalkEveryRouteWithBadInput is the acceptance test of issue 7's input
// findings.
func TestWalkEveryRouteWithBadInput(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	routes := routesOf(t, app)
	for _, r := range routes {
		if _, ok := walkTable[r]; !ok {
			t.Errorf("route %s is not in walkTable: list its fields (or exempt it with a reason)", r)
		}
	}
	for r := range walkTable {
		if !slices.Contains(routes, r) {
			t.Errorf("walkTable lists %s, which the router does not have", r)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	env, walkers := walkSetup(t, app)
	before := takeSnapshot(t, app)
	start := time.Now()
	var sent atomic.Int64
	t.Run("as", func(t *testing.T) {
		for _, w := range walkers {
			t.Run(w.name, func(t *testing.T) {
				t.Parallel()
				walkAll(t, app, env, w, routes, &sent)
			})
		}
	})
	t.Logf("%d requests in %s", sent.Load(), time.Since(start).Round(time.Millisecond))
	after := takeSnapshot(t, app)
	before.compare(t, after)
}

// walkSetup makes the records the walk names and logs everyone in.
func walkSetup(t *testing.T, app *testapp.App) (walkEnv, []walker) {
	t.Helper()
	ctx := context.Background()
	env := walkEnv{ids: map[string]string{"asset": "css/app.css", "certificate": "ABCD-EFGH-JKLM"}}

	// A submitted application assigned to the demo curation partner, with a
	// sample asked for.
	_, review := submittedSupplier(t, app, "walk-submitted@contoh.id", 7)
	env.ids["application"] = strings.TrimPrefix(review, "/curation/applications/")
	cur := app.Client(t)
	cur.Login("kurator@pasokan.test", "pasokan-demo", "/curation")
	if r := cur.Post(review+"/claim", vals("version", reviewVersion(t, cur.Get(review).Body))); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("claim: %d", r.StatusCode)
	}
	page := cur.Get(review)
	m := checkRe.FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatal("no checklist item on the review page")
	}
	env.ids["check"] = m[1]
	if r := cur.Post(review+"/samples", sampleForm("masker-kain", "")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sample: %d", r.StatusCode)
	}
	if r := cur.Get(review); r.StatusCode != http.StatusOK {
		t.Fatal(r.StatusCode)
	} else {
		env.ids["version"] = reviewVersion(t, r.Body)
	}
	curator := actorOf(t, app, "kurator@pasokan.test")
	env.ids["curator_org"], env.ids["curator_user"] = itoa(curator.OrgID), itoa(curator.UserID)

	// A draft supplier with a product and a document, so that everything of
	// theirs is editable and a missed check would store something.
	draft := newSupplier(t, app, "walk-draft@contoh.id")
	if r := draft.Post("/supplier/profile", profileForm); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("profile: %d", r.StatusCode)
	}
	if r := draft.Post("/supplier/application/products", productForm); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("product: %d", r.StatusCode)
	}
	if r := upload(t, draft, app, "photo", "foto.png", pngFile(t, 9)); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", r.StatusCode)
	}
	draftActor := actorOf(t, app, "walk-draft@contoh.id")
	supplierActor := actorOf(t, app, "umkm@pasokan.test")
	env.ids["supplier_org"], env.ids["supplier_user"] = itoa(supplierActor.OrgID), itoa(supplierActor.UserID)
	var curatedOrg, curatedApp, curatedVersion, sample, invitation int64
	var product, document, draftVersion int64
	// query reads one value; a row of several is read by name.
	query := func(sql string, args []any, dst any) {
		t.Helper()
		err := app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error { return tx.QueryRow(ctx, sql, args...).Scan(dst) })
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	query(`SELECT id FROM application_products WHERE organization_id = $1`, []any{draftActor.OrgID}, &product)
	query(`SELECT id FROM documents WHERE organization_id = $1`, []any{draftActor.OrgID}, &document)
	query(`SELECT version FROM applications WHERE organization_id = $1`, []any{draftActor.OrgID}, &draftVersion)
	query(`SELECT id FROM samples WHERE application_id = $1`, []any{env.ids["application"]}, &sample)
	var rule int64
	query(`SELECT min(id) FROM assignment_rules`, nil, &rule)
	env.ids["rule"] = itoa(rule)
	env.ids["product"], env.ids["document"], env.ids["draft_version"], env.ids["sample"] = itoa(product), itoa(document), itoa(draftVersion), itoa(sample)

	// A curated application, for the ministry's suspension form.
	_, curated := submittedSupplier(t, app, "walk-curated@contoh.id", 8)
	if r := cur.Post(curated+"/claim", vals("version", reviewVersion(t, cur.Get(curated).Body))); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("claim: %d", r.StatusCode)
	}
	page = cur.Get(curated)
	if r := cur.Post(curated+"/decision", allPass(page.Body, reviewVersion(t, page.Body), "curate")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("curate: %d\n%s", r.StatusCode, r.Body)
	}
	err := app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT organization_id, id, version FROM applications WHERE status = 'curated' ORDER BY id LIMIT 1`)
		a, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[struct{ OrganizationID, ID, Version int64 }])
		curatedOrg, curatedApp, curatedVersion = a.OrganizationID, a.ID, a.Version
		return err
	})
	if err != nil {
		t.Fatalf("the curated application: %v", err)
	}
	env.ids["curated_org"], env.ids["curated_application"], env.ids["curated_version"] = itoa(curatedOrg), itoa(curatedApp), itoa(curatedVersion)
	var listedSlug string
	query(`SELECT slug FROM listings WHERE organization_id = $1`, []any{curatedOrg}, &listedSlug)
	env.ids["listed_slug"] = listedSlug
	env.ids["product_type"] = "masker-kain"

	// A buyer's draft demand (for the approval form), and an approved one
	// offered to the curated supplier (for the plan's and the order's).
	buyer := actorOf(t, app, "pembeli@pasokan.test")
	var listedProduct string
	query(`SELECT product_type FROM catalog_entries WHERE organization_id = $1 LIMIT 1`, []any{curatedOrg}, &listedProduct)
	demandIn := order.DemandInput{Title: "Walk", ProductType: listedProduct, Deadline: time.Now().AddDate(0, 2, 0).Format(time.DateOnly),
		Sites: []order.SiteInput{{ProvinceCode: "32", RegencyCode: "32.73", Address: "Gudang Bandung", Quantity: "100000"}}}
	draftDemand, err := app.Orders.CreateDemand(ctx, buyer, demandIn)
	if err != nil {
		t.Fatal(err)
	}
	offered, err := app.Orders.CreateDemand(ctx, buyer, demandIn)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Orders.Approve(ctx, buyer, offered, 1); err != nil {
		t.Fatal(err)
	}
	d, err := app.Orders.Demand(ctx, buyer, offered)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.Orders.Confirm(ctx, buyer, offered, d.Version, []order.LineInput{{SiteID: d.Sites[0].ID, SupplierID: curatedOrg, Quantity: "1000"}}); err != nil {
		t.Fatal(err)
	}
	if d, err = app.Orders.Demand(ctx, buyer, offered); err != nil {
		t.Fatal(err)
	}
	env.ids["draft_demand"], env.ids["demand"], env.ids["demand_version"] = itoa(draftDemand), itoa(offered), itoa(int64(d.Version))
	env.ids["site"], env.ids["order"], env.ids["order_version"] = itoa(d.Sites[0].ID), itoa(d.Orders[0].ID), itoa(int64(d.Orders[0].Version))
	// The code printed on that order, and a second order to the curated
	// supplier, shipped and received, for the printed goods-received record
	// and its code (the first order stays an offer for the answer forms).
	var orderCode string
	query(`SELECT code FROM orders WHERE id = $1`, []any{d.Orders[0].ID}, &orderCode)
	receivedDemand, err := app.Orders.CreateDemand(ctx, buyer, demandIn)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Orders.Approve(ctx, buyer, receivedDemand, 1); err != nil {
		t.Fatal(err)
	}
	rd, err := app.Orders.Demand(ctx, buyer, receivedDemand)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.Orders.Confirm(ctx, buyer, receivedDemand, rd.Version, []order.LineInput{{SiteID: rd.Sites[0].ID, SupplierID: curatedOrg, Quantity: "10"}}); err != nil {
		t.Fatal(err)
	}
	if rd, err = app.Orders.Demand(ctx, buyer, receivedDemand); err != nil {
		t.Fatal(err)
	}
	received, curatedSupplier := rd.Orders[0], actorOf(t, app, "walk-curated@contoh.id")
	// Dates are the ministry's days (WIB), as the store reads them.
	walkToday := time.Now().In(time.FixedZone("WIB", 7*60*60)).Format(time.DateOnly)
	if err := app.Orders.Accept(ctx, curatedSupplier, received.ID, received.Version); err != nil {
		t.Fatal(err)
	}
	if err := app.Orders.RecordShipment(ctx, curatedSupplier, received.ID, received.Version+1,
		order.ShipmentInput{Quantity: "10", ShippedOn: walkToday, Courier: "JNE"}); err != nil {
		t.Fatal(err)
	}
	if received, err = app.Orders.Order(ctx, buyer, received.ID); err != nil {
		t.Fatal(err)
	}
	if err := app.Orders.RecordReceipt(ctx, buyer, received.ID, received.Version,
		order.ReceiptInput{ShipmentID: received.Shipments[0].ID, ReceivedOn: walkToday, Accepted: "10"}); err != nil {
		t.Fatal(err)
	}
	if received, err = app.Orders.Order(ctx, buyer, received.ID); err != nil {
		t.Fatal(err)
	}
	env.ids["received_order"], env.ids["receipt"] = itoa(received.ID), itoa(*received.Shipments[0].ReceiptID)
	env.ids["order_code"], env.ids["receipt_code"] = orderCode, *received.Shipments[0].ReceiptCode

	// Raw-material requests of the demo supplier: one in a purchase (being
	// sourced), one waiting to be grouped.
	needed := time.Now().AddDate(0, 0, 20).Format(time.DateOnly)
	grouped, err := app.Materials.Create(ctx, supplierActor, material.Input{Material: "spunbond", Quantity: "500", Unit: "m", NeededBy: needed})
	if err != nil {
		t.Fatal(err)
	}
	waiting, err := app.Materials.Create(ctx, supplierActor, material.Input{Material: "cotton", Quantity: "80", Unit: "m", NeededBy: needed})
	if err != nil {
		t.Fatal(err)
	}
	ministryActor := actorOf(t, app, "admin@pasokan.test")
	purchase, err := app.Materials.Group(ctx, ministryActor, material.GroupInput{RequestIDs: []string{itoa(grouped)}, Source: "PT Walk Tekstil"})
	if err != nil {
		t.Fatal(err)
	}
	sourcing, _, err := app.Materials.Request(ctx, ministryActor, grouped)
	if err != nil {
		t.Fatal(err)
	}
	env.ids["material_request"], env.ids["material_version"] = itoa(grouped), itoa(int64(sourcing.Version))
	env.ids["material_waiting"], env.ids["material_purchase"] = itoa(waiting), itoa(purchase)

	// A permit-help request of the demo supplier, past its first step.
	help, err := app.Permits.Create(ctx, supplierActor, permit.Input{ProductType: "masker-kain", Kind: "sni"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.Permits.Move(ctx, ministryActor, help, 1, permit.StepInput{Status: permit.StatusDocumentsComplete}); err != nil {
		t.Fatal(err)
	}
	env.ids["permit_request"], env.ids["permit_version"] = itoa(help), "2"

	// An open invitation, by the ministry.
	admin := app.Client(t)
	admin.Login("admin@pasokan.test", "pasokan-demo", "/admin")
	if r := admin.Post("/organization/invitations", vals("email", "walk-invited@contoh.id", "role", "member")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite: %d", r.StatusCode)
	}
	app.Deliver(t)
	link := app.LinkIn(t, "walk-invited@contoh.id", "invitation")
	env.ids["token"] = link[strings.LastIndex(link, "/")+1:]
	query(`SELECT id FROM invitations WHERE email = 'walk-invited@contoh.id'`, nil, &invitation)
	env.ids["invitation"] = itoa(invitation)

	// An open password-reset link.
	newSupplier(t, app, "walk-reset@contoh.id")
	if r := app.Client(t).Post("/password/forgot", vals("email", "walk-reset@contoh.id")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("forgot: %d", r.StatusCode)
	}
	app.Deliver(t)
	link = app.LinkIn(t, "walk-reset@contoh.id", "password_reset")
	env.ids["reset"] = link[strings.LastIndex(link, "/")+1:]

	// A notification (the curated supplier's: every other walker gets
	// 404), and every notification read, so that opening the page of
	// notifications changes nothing: the walk checks that refused requests
	// store nothing.
	var notification int64
	query(`SELECT max(id) FROM notifications WHERE organization_id = $1`, []any{curatedOrg}, &notification)
	env.ids["notification"] = itoa(notification)
	err = app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE notifications SET read_at = now() WHERE read_at IS NULL`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	walkers := []walker{{name: "visitor", c: app.Client(t)}}
	for _, p := range []struct{ name, email, password, home string }{
		{"supplier", "walk-draft@contoh.id", strong, "/supplier"},
		{"curator", "kurator@pasokan.test", "pasokan-demo", "/curation"},
		{"buyer", "pembeli@pasokan.test", "pasokan-demo", "/catalog"},
		// The supplier the walk's order is offered to.
		{"curated supplier", "walk-curated@contoh.id", strong, "/supplier"},
		{"ministry", "admin@pasokan.test", "pasokan-demo", "/admin"},
	} {
		c := app.Client(t)
		c.Login(p.email, p.password, p.home)
		walkers = append(walkers, walker{name: p.name, email: p.email, password: p.password,
			orgID: itoa(actorOf(t, app, p.email).OrgID), c: c})
	}
	return env, walkers
}

// walkAll sends every route its bad requests as w.
func walkAll(t *testing.T, app *testapp.App, env walkEnv, w walker, routes []string, sent *atomic.Int64) {
	ordered := slices.Clone(routes)
	sort.SliceStable(ordered, func(i, j int) bool { return !walkTable[ordered[i]].last && walkTable[ordered[j]].last })
	for _, key := range ordered {
		rt := walkTable[key]
		if rt.exempt != "" {
			continue
		}
		method, pattern, _ := strings.Cut(key, " ")
		send := func(what string, req *http.Request) {
			t.Helper()
			sent.Add(1)
			resp, err := w.c.Client.Do(req)
			if err != nil {
				t.Errorf("%s %s (%s): %v", method, pattern, what, err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode >= 500 {
				t.Errorf("%s %s (%s): %d", method, pattern, what, resp.StatusCode)
			}
		}
		// Path parameters, one at a time.
		for param := range rt.params {
			for _, bad := range pathValues {
				send(fmt.Sprintf("path %s=%q", param, short(bad)), walkRequest(t, app, env, w, rt, method, pattern, map[string]string{param: bad}, nil, nil))
			}
		}
		switch method {
		case http.MethodGet, http.MethodHead:
			// The declared query parameters, and one the page does not know.
			for _, f := range append(slices.Clone(rt.query), walkField{"x", inText}) {
				for _, bad := range badValues(f.kind) {
					q := url.Values{f.name: {bad}}
					send(fmt.Sprintf("query %s=%q", f.name, short(bad)), walkRequest(t, app, env, w, rt, method, pattern, nil, q, nil))
				}
			}
			q := url.Values{"\xff\x00": {"1"}}
			send("query with a bad name", walkRequest(t, app, env, w, rt, method, pattern, nil, q, nil))
		case http.MethodPost:
			base := url.Values{}
			if rt.base != nil {
				base = rt.base(env, w)
			}
			fields := rt.form
			for _, f := range fields {
				for _, bad := range badValues(f.kind) {
					form := cloneValues(base)
					form.Set(fieldName(env, f.name), bad)
					send(fmt.Sprintf("field %s=%q", f.name, short(bad)), walkRequest(t, app, env, w, rt, method, pattern, nil, nil, form))
				}
			}
			if len(fields) == 0 {
				continue // the body is not read: a valid path is a valid request
			}
			// A megabyte in the first field, a field with a bad name, and a
			// second, bad value of a field.
			form := cloneValues(base)
			name := fieldName(env, fields[0].name)
			form.Set(name, megabyte)
			send("a megabyte", walkRequest(t, app, env, w, rt, method, pattern, nil, nil, form))
			form = cloneValues(base)
			form.Set("\xff\x00", "1")
			send("a field with a bad name", walkRequest(t, app, env, w, rt, method, pattern, nil, nil, form))
			form = cloneValues(base)
			form.Add(name, "\x00")
			send("a second, bad value", walkRequest(t, app, env, w, rt, method, pattern, nil, nil, form))
		}
	}
}

// fieldName puts the real checklist item into check_ITEM.
func fieldName(env walkEnv, name string) string {
	if name == "check_ITEM" {
		return env.id("check")
	}
	return name
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = slices.Clone(x)
	}
	return out
}

func short(s string) string {
	if len(s) > 40 {
		return fmt.Sprintf("%s… (%d bytes)", s[:20], len(s))
	}
	return s
}

var paramRe = regexp.MustCompile(`\{([a-z]+)\}|\*$`)

// walkRequest builds one request: path parameters from env unless
// overridden by bad, a query, and a form (urlencoded or multipart).
func walkRequest(t *testing.T, app *testapp.App, env walkEnv, w walker, rt walkRoute, method, pattern string,
	bad map[string]string, query, form url.Values) *http.Request {
	t.Helper()
	path := paramRe.ReplaceAllStringFunc(pattern, func(m string) string {
		name := strings.Trim(m, "{}")
		if v, ok := bad[name]; ok {
			return url.PathEscape(v)
		}
		key, ok := rt.params[name]
		if !ok {
			t.Fatalf("%s: no record for path parameter %s", pattern, name)
		}
		if name == "*" {
			return env.id(key)
		}
		return url.PathEscape(env.id(key))
	})
	u := app.URL + path
	if query != nil {
		u += "?" + query.Encode()
	}
	var body io.Reader
	contentType := ""
	if method == http.MethodPost {
		if rt.multipart {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			for k, vs := range form {
				for _, v := range vs {
					_ = mw.WriteField(k, v)
				}
			}
			fw, _ := mw.CreateFormFile("file", "walk.png")
			_, _ = fw.Write(walkPNG)
			_ = mw.Close()
			body, contentType = &buf, mw.FormDataContentType()
		} else {
			body, contentType = strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"
		}
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req
}

// walkPNG is an image no one has uploaded: a document a missed check lets
// through is stored, and seen.
var walkPNG = func() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 120, 90))
	img.Set(7, 7, color.RGBA{201, 0, 0, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}()
