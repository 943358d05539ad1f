package e2e

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/demo"
	"pasokan/internal/i18n"
	"pasokan/internal/testapp"
)

// setValue sets a field's value as a date picker would, firing input and
// change (typing into a date field depends on the browser's locale).
func (b *browser) setValue(sel, value string) {
	b.t.Helper()
	var ok bool
	b.eval(`(() => { const e = document.querySelector(`+js(sel)+`); if (!e) return false; e.value = `+js(value)+`;
		e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`, &ok)
	if !ok {
		b.t.Fatalf("no field %q on %s", sel, b.location())
	}
}

// buyerMember adds a member (not an admin) to the demo buyer, through an
// invitation, and returns how to log in as them.
func buyerMember(t *testing.T, app *testapp.App) (email, password string) {
	t.Helper()
	ctx := context.Background()
	id, err := app.Accounts.UserIDByEmail(ctx, "pembeli@pasokan.test")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := app.Accounts.Memberships(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	owner, err := app.Accounts.LoadActor(ctx, id, ms[0].OrgID)
	if err != nil {
		t.Fatal(err)
	}
	email, password = "staf.pengadaan@contoh.id", "gudang masker rungkut"
	if _, err := app.Accounts.Invite(ctx, owner, email, account.RoleMember); err != nil {
		t.Fatal(err)
	}
	app.Deliver(t)
	link := app.LinkIn(t, email, "invitation")
	if _, _, err := app.Accounts.AcceptAsNewUser(ctx, link[strings.LastIndex(link, "/")+1:], "Staf Pengadaan", password, "id"); err != nil {
		t.Fatal(err)
	}
	return email, password
}

// orderOwner is the e-mail of the owner of the supplier an order names.
func orderOwner(t *testing.T, app *testapp.App, orderID string) string {
	t.Helper()
	ctx := context.Background()
	var email string
	if err := app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT u.email FROM orders o JOIN memberships m ON m.organization_id = o.supplier_org_id AND m.role = 'owner'
  JOIN users u ON u.id = m.user_id WHERE o.id = $1`, orderID).Scan(&email)
	}); err != nil {
		t.Fatal(err)
	}
	return email
}

// A buyer's member drafts a demand of a million cloth masks for two
// warehouses; the buyer's owner approves it, sees the plan's shortfall and
// sends the orders; one supplier accepts, one declines, one counters and
// the buyer accepts the counter; the buyer plans the declined quantity
// again in one step.
func TestBuyerSplitsAMillionMasksAcrossSuppliers(t *testing.T) {
	t.Parallel()
	requireChromium(t)
	app := testapp.NewScale(t, 120)
	member, memberPassword := buyerMember(t, app)

	m := newBrowser(t, app, laptop)
	m.open("/login")
	if st := m.login(member, memberPassword); st != http.StatusOK {
		t.Fatalf("the member's login: %d", st)
	}
	if st := m.open("/buyer/demands"); st != http.StatusOK {
		t.Fatalf("demands: %d", st)
	}
	if st := m.click(`main a[href="/buyer/demands/new"]`); st != http.StatusOK {
		t.Fatalf("the new demand's form: %d", st)
	}
	m.fill("#f-title", "Masker kain untuk Karya Nusantara")
	m.choose("#f-product_type", "masker-kain")
	m.setValue("#f-deadline", time.Now().AddDate(0, 0, 14).Format(time.DateOnly))
	m.fill("#f-standard", "SNI 8914:2020 Tipe A")
	m.fill("#f-target_price", "4.000")
	for i, site := range []struct{ province, regency, address, quantity string }{
		{"31", "31.71", "Gudang Farmasi, Jl. Percetakan Negara, Jakarta Pusat", "600.000"},
		{"35", "35.78", "Gudang Rungkut, Surabaya", "400.000"},
	} {
		n := string(rune('1' + i))
		m.choose("#f-site_province_code_"+n, site.province)
		m.choose("#f-site_regency_code_"+n, site.regency)
		m.fill("#f-site_address_"+n, site.address)
		m.fill("#f-site_quantity_"+n, site.quantity)
	}
	if st := m.click(`main form button[type="submit"]:not([name])`); st != http.StatusOK {
		t.Fatalf("save the draft: %d: %s", st, m.textOr("main", ""))
	}
	demandPath := m.path()
	if !strings.HasPrefix(demandPath, "/buyer/demands/") {
		t.Fatalf("after saving, the page is %s: %s", demandPath, m.textOr("main", ""))
	}
	m.wantText(`[data-testid="demand-status"]`, msg("demand.status.draft"))
	if m.count(`[data-testid="awaiting-approval"]`) != 1 || m.count(`form[action$="/approve"]`) != 0 {
		t.Fatal("a member is offered the approval, or is not told who approves")
	}

	// The owner approves; the plan shows what curated supply cannot make.
	o := newBrowser(t, app, laptop)
	o.open("/login")
	o.login("pembeli@pasokan.test", demo.Password)
	o.open(demandPath)
	if st := o.click(`form[action$="/approve"] button`); st != http.StatusOK {
		t.Fatalf("approve: %d", st)
	}
	o.wantText(`[data-testid="demand-status"]`, msg("demand.status.approved"))
	if o.count(`[data-testid="plan-shortfall"]`) != 1 {
		t.Fatalf("the plan shows no shortfall: %s", o.textOr(`[data-testid="plan-summary"]`, ""))
	}
	lines := o.count(`[data-testid="plan-line"]`)
	if lines < 3 {
		t.Fatalf("the plan has %d lines", lines)
	}
	o.screenshot("demand-plan")
	if st := o.click(`form[action$="/orders"] button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("send the orders: %d", st)
	}
	o.wantText(`[data-testid="demand-status"]`, msg("demand.status.planned"))
	if n := o.count(`[data-testid="order-row"]`); n != lines {
		t.Fatalf("%d orders for %d lines", n, lines)
	}
	// Three orders of three different suppliers.
	var rows []struct {
		Href     string `json:"href"`
		Supplier string `json:"supplier"`
	}
	o.eval(`[...document.querySelectorAll('[data-testid="order-row"]')].map(r => ({href: r.querySelector('a').getAttribute('href'),
		supplier: r.cells[1].innerText.trim()}))`, &rows)
	var picked []string
	seen := map[string]bool{}
	for _, r := range rows {
		if !seen[r.Supplier] && len(picked) < 3 {
			seen[r.Supplier] = true
			picked = append(picked, strings.TrimPrefix(r.Href, "/buyer/orders/"))
		}
	}
	if len(picked) < 3 {
		t.Fatalf("the plan names %d suppliers", len(picked))
	}

	// The suppliers answer, on their phones.
	answer := func(orderID string, do func(b *browser)) {
		t.Helper()
		s := newBrowser(t, app, phone)
		s.open("/login")
		s.login(orderOwner(t, app, orderID), demo.Password)
		if st := s.open("/supplier/orders"); st != http.StatusOK {
			t.Fatalf("the supplier's orders: %d", st)
		}
		if st := s.click(`a[href="/supplier/orders/` + orderID + `"]`); st != http.StatusOK {
			t.Fatalf("the supplier's order: %d", st)
		}
		s.wantFitsWidth()
		if strings.Contains(s.text("main"), "4.000 per") {
			t.Error("the supplier sees the buyer's target price")
		}
		do(s)
	}
	answer(picked[0], func(s *browser) {
		if st := s.click(`form[action$="/accept"] button`); st != http.StatusOK {
			t.Fatalf("accept: %d", st)
		}
		s.wantText(`[data-testid="order-status"]`, msg("order.status.accepted"))
	})
	answer(picked[1], func(s *browser) {
		s.step("open the decline form", chromedp.Click(chromedp.CSS(`details:has(form[action$="/decline"]) summary`)))
		s.fill(`form[action$="/decline"] textarea[name="reason"]`, "Bahan baku kain habis sampai bulan depan.")
		if st := s.click(`form[action$="/decline"] button`); st != http.StatusOK {
			t.Fatalf("decline: %d", st)
		}
		s.wantText(`[data-testid="order-status"]`, msg("order.status.declined"))
	})
	var counterQty string
	var counterN int
	answer(picked[2], func(s *browser) {
		n := quantityOf(t, s)
		counterN = n / 2
		counterQty = i18n.FormatInt(i18n.ID, int64(counterN))
		s.step("open the counter form", chromedp.Click(chromedp.CSS(`details:has(form[action$="/counter"]) summary`)))
		s.fill("#f-counter_quantity", counterQty)
		s.fill(`form[action$="/counter"] textarea[name="reason"]`, "Kami sanggup setengahnya sampai batas waktu.")
		if st := s.click(`form[action$="/counter"] button`); st != http.StatusOK {
			t.Fatalf("counter: %d", st)
		}
		s.wantText(`[data-testid="order-status"]`, msg("order.status.countered"))
	})

	// The buyer accepts the counter, then plans the declined quantity
	// again, in one step.
	o.open("/buyer/orders/" + picked[2])
	o.wantContains(`[data-testid="counter"]`, counterQty)
	if st := o.click(`button[name="decision"][value="accept"]`); st != http.StatusOK {
		t.Fatalf("accept the counter: %d", st)
	}
	o.wantText(`[data-testid="order-status"]`, msg("order.status.accepted"))
	o.wantContains(`[data-testid="order-quantity"]`, counterQty)
	o.open(demandPath)
	if o.count(`[data-testid="plan-line"]`) == 0 {
		t.Fatal("no plan for the declined quantity")
	}
	before := o.count(`[data-testid="order-row"]`)
	if st := o.click(`form[action$="/orders"] button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("send the new orders: %d", st)
	}
	if after := o.count(`[data-testid="order-row"]`); after <= before {
		t.Errorf("re-planning made no order: %d then %d", before, after)
	}
	o.open("/buyer/orders/" + picked[0])
	first := quantityOf(t, o)
	accepted := first + counterN
	o.open(demandPath)
	o.wantContains(`label[for="progress-accepted"]`, i18n.FormatInt(i18n.ID, int64(accepted)))

	// The first supplier ships in two parts, on its phone.
	today := time.Now().In(i18n.WIB).Format(time.DateOnly) // the portal dates by Jakarta's day
	part1, part2 := first/2, first-first/2
	s := newBrowser(t, app, phone)
	s.open("/login")
	s.login(orderOwner(t, app, picked[0]), demo.Password)
	for _, n := range []int{part1, part2} {
		s.open("/supplier/orders/" + picked[0])
		s.fill("#f-quantity", strconv.Itoa(n))
		s.setValue("#f-shipped_on", today)
		s.fill("#f-courier", "JNE")
		s.fill("#f-tracking", "JNE"+strconv.Itoa(n))
		if st := s.click(`form[action$="/shipments"] button`); st != http.StatusOK {
			t.Fatalf("ship %d: %d: %s", n, st, s.textOr("main", ""))
		}
	}
	s.wantText(`[data-testid="order-status"]`, msg("order.status.shipped"))
	if s.count(`form[action$="/shipments"]`) != 0 {
		t.Error("the whole order is shipped, yet the shipment form is still offered")
	}
	s.wantFitsWidth()

	// The buyer receives the first in full and rejects part of the second.
	rejected := 120
	o.open("/buyer/orders/" + picked[0])
	o.setValue("#f-received_on", today)
	if st := o.click(`form[action$="/receipts"] button`); st != http.StatusOK {
		t.Fatalf("receive the first shipment: %d", st)
	}
	o.setValue("#f-received_on", today)
	o.fill("#f-accepted", strconv.Itoa(part2-rejected))
	o.fill("#f-rejected", strconv.Itoa(rejected))
	if st := o.click(`form[action$="/receipts"] button`); st != http.StatusUnprocessableEntity {
		t.Fatalf("a rejection without a reason: %d", st)
	}
	o.wantContains(".form-errors", msg("error.reason_length"))
	o.fill(`form[action$="/receipts"] textarea[name="reason"]`, "Jahitan lepas dan tali telinga putus.")
	if st := o.click(`form[action$="/receipts"] button`); st != http.StatusOK {
		t.Fatalf("receive the second shipment: %d", st)
	}
	o.wantContains(`[data-testid="progress-received"]`, i18n.FormatInt(i18n.ID, int64(first-rejected)))
	o.wantContains(`[data-testid="progress-rejected"]`, i18n.FormatInt(i18n.ID, int64(rejected)))
	if o.count(`[data-testid="shipment"]`) != 2 || o.count(`[data-testid="not-received"]`) != 0 {
		t.Error("the shipments table does not show both receipts")
	}
	o.screenshot("order-received")

	// The printed order verifies: its code's check names the parties.
	code := o.text(`[data-testid="order-code"]`)
	v := newBrowser(t, app, phone)
	if st := v.open("/verify/order/" + code); st != http.StatusOK {
		t.Fatalf("the order's check: %d", st)
	}
	if main := v.text("main"); !strings.Contains(main, code) || strings.Contains(main, "Rp ") {
		t.Errorf("the order's check shows %q", main)
	}
	resp, err := http.Get(app.URL + "/verify/order/XXXX-XXXX-XXXX")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown code's check: %d", resp.StatusCode)
	}

	// The demand's progress counts the receipts too.
	o.open(demandPath)
	if o.count(`[data-testid="demand-received"]`) != 1 || o.count(`[data-testid="demand-rejected"]`) != 1 {
		t.Error("the demand's progress shows no receipts or no rejection")
	}
	o.wantContains(`[data-testid="demand-rejected"]`, i18n.FormatInt(i18n.ID, int64(rejected)))

	// The supplier's record on its catalogue page, and its curators' signal.
	var slug string
	var appID int64
	if err := app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT l.slug, l.application_id FROM orders o JOIN listings l ON l.organization_id = o.supplier_org_id
 WHERE o.id = $1`, picked[0]).Scan(&slug, &appID)
	}); err != nil {
		t.Fatal(err)
	}
	o.open("/catalog/" + slug)
	o.wantContains(`[data-testid="record"]`, msg("catalog.record_line", "0", "0", i18n.FormatInt(i18n.ID, int64(first-rejected)), i18n.FormatInt(i18n.ID, int64(rejected))))
	c := newBrowser(t, app, laptop)
	c.open("/login")
	c.login("kurator@pasokan.test", demo.Password)
	if st := c.open("/curation/applications/" + strconv.FormatInt(appID, 10)); st != http.StatusOK {
		t.Fatalf("the curator's review page: %d", st)
	}
	if !strings.Contains(c.text("main"), msg("curation.signal.receipt_rejected", "")[1:]) {
		t.Errorf("the curator sees no rejection signal: %s", c.textOr("main", ""))
	}
}

// quantityOf reads the quantity on an order's page.
func quantityOf(t *testing.T, b *browser) int {
	t.Helper()
	qty := strings.Fields(b.text(`[data-testid="order-quantity"]`))[0]
	n, err := strconv.Atoi(strings.ReplaceAll(qty, ".", ""))
	if err != nil {
		t.Fatalf("the order's quantity %q: %v", qty, err)
	}
	return n
}
