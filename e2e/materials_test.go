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

	"pasokan/internal/database"
	"pasokan/internal/demo"
	"pasokan/internal/material"
	"pasokan/internal/testapp"
)

// systemInt reads one number in the system's scope.
func systemInt(t *testing.T, app *testapp.App, q string, args ...any) int64 {
	t.Helper()
	ctx := context.Background()
	var n int64
	if err := app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, q, args...).Scan(&n)
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// A supplier with an accepted order asks, on its phone, for 500 m of
// spunbond for that order; the ministry groups it with another supplier's
// request for spunbond, records where it comes from and the delivery; the
// supplier sees it delivered, with its source and each step.
func TestSupplierAsksForSpunbondAndTheMinistryDeliversIt(t *testing.T) {
	t.Parallel()
	requireChromium(t)
	app := testapp.NewScale(t, 330) // the 2020 story, with accepted orders
	orderID := systemInt(t, app, `SELECT id FROM orders WHERE status IN ('accepted', 'in_production') ORDER BY id LIMIT 1`)
	order := strconv.FormatInt(orderID, 10)
	owner := orderOwner(t, app, order)

	// Another supplier has asked for spunbond already.
	otherOrg := systemInt(t, app, `SELECT supplier_org_id FROM orders WHERE supplier_org_id <> (SELECT supplier_org_id FROM orders WHERE id = $1)
 ORDER BY id LIMIT 1`, orderID)
	otherOwner := systemInt(t, app, `SELECT user_id FROM memberships WHERE organization_id = $1 AND role = 'owner'`, otherOrg)
	other, err := app.Accounts.LoadActor(context.Background(), otherOwner, otherOrg)
	if err != nil {
		t.Fatal(err)
	}
	needed := time.Now().AddDate(0, 0, 14).Format(time.DateOnly)
	otherID, err := app.Materials.Create(context.Background(), other, material.Input{Material: "spunbond", Quantity: "1.200", Unit: "m", NeededBy: needed})
	if err != nil {
		t.Fatal(err)
	}

	// The supplier, from its order, on a phone.
	s := newBrowser(t, app, phone)
	s.open("/login")
	if st := s.login(owner, demo.Password); st != http.StatusOK {
		t.Fatalf("login: %d", st)
	}
	if st := s.open("/supplier/orders/" + order); st != http.StatusOK {
		t.Fatalf("the order: %d", st)
	}
	if st := s.click(`[data-testid="ask-material"] a`); st != http.StatusOK {
		t.Fatalf("the raw-material page: %d", st)
	}
	if got, _ := s.attr(`#f-order_id option[selected]`, "value"); got != order {
		t.Fatalf("the form names order %q, want the order it came from, %s", got, order)
	}
	// Missing the material and the date: the errors, and what was typed kept.
	s.fill("#f-quantity", "500")
	if st := s.click(`main form[action="/supplier/materials"] button[type="submit"]`); st != http.StatusUnprocessableEntity {
		t.Fatalf("an incomplete request: %d", st)
	}
	if s.count(`.form-errors a[href="#f-material"]`) != 1 || s.count(`.form-errors a[href="#f-needed_by"]`) != 1 {
		t.Fatalf("the error summary: %s", s.textOr(".form-errors", "(none)"))
	}
	if got, _ := s.attr("#f-quantity", "value"); got != "500" {
		t.Fatalf("the quantity typed was lost: %q", got)
	}
	s.choose("#f-material", "spunbond")
	s.choose("#f-unit", "m")
	s.setValue("#f-needed_by", needed)
	s.fill("#f-note", "Lebar 160 cm, 25 gsm, putih")
	if st := s.click(`main form[action="/supplier/materials"] button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("the request: %d", st)
	}
	requestPath := s.path()
	if !strings.HasPrefix(requestPath, "/supplier/materials/") {
		t.Fatalf("after asking, the page is %s", requestPath)
	}
	id := strings.TrimPrefix(requestPath, "/supplier/materials/")
	s.wantText(`[data-testid="material-status"]`, msg("material.status.requested"))
	s.wantText(`[data-testid="material-next"]`, msg("material.next.requested"))
	s.wantFitsWidth()

	// The ministry, on a laptop: spunbond requests, grouped into one buy.
	m := newBrowser(t, app, laptop)
	m.open("/login")
	m.login("admin@pasokan.test", demo.Password)
	if st := m.click(`.site-nav a[href="/admin/materials"]`); st != http.StatusOK {
		t.Fatalf("the ministry's requests: %d", st)
	}
	m.choose("#filter-material", "spunbond")
	if st := m.click(`form[action="/admin/materials"][method="get"] button`); st != http.StatusOK {
		t.Fatalf("filter: %d", st)
	}
	if n := m.count(`[data-testid="material-list"] tbody tr`); n != 2 {
		t.Fatalf("%d spunbond requests listed, want 2", n)
	}
	if m.count(`[data-testid="material-weeks"] tbody tr`) == 0 {
		t.Fatal("no week-by-week needs")
	}
	for _, r := range []string{id, strconv.FormatInt(otherID, 10)} {
		m.step("tick request "+r, chromedp.Click(chromedp.CSS("#req-"+r)))
	}
	m.fill("#f-source", "PT Tekstil Nusantara (BUMN)")
	if st := m.click(`form[action="/admin/materials/purchases"] button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("group: %d", st)
	}
	if !strings.HasPrefix(m.path(), "/admin/materials/purchases/") {
		t.Fatalf("after grouping, the page is %s", m.path())
	}
	m.wantText(`[data-testid="purchase-source"]`, "PT Tekstil Nusantara (BUMN)")
	if n := m.count(`[data-testid="purchase-list"] tbody tr`); n != 2 {
		t.Fatalf("the purchase holds %d requests", n)
	}
	if st := m.click(`a[href="/admin/materials/requests/` + id + `"]`); st != http.StatusOK {
		t.Fatalf("the request: %d", st)
	}
	m.fill("#f-quantity", "500")
	m.setValue("#f-delivered_on", time.Now().In(time.FixedZone("WIB", 7*60*60)).Format(time.DateOnly))
	if st := m.click(`form[action$="/deliveries"] button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("record the delivery: %d", st)
	}
	m.wantText(`[data-testid="material-status"]`, msg("material.status.delivered"))

	// The supplier sees it delivered, where from, and each step.
	if st := s.open(requestPath); st != http.StatusOK {
		t.Fatalf("the request again: %d", st)
	}
	s.wantText(`[data-testid="material-status"]`, msg("material.status.delivered"))
	s.wantText(`[data-testid="material-source"]`, "PT Tekstil Nusantara (BUMN)")
	s.wantContains(`[data-testid="material-delivered"]`, "500")
	if n := s.count(`[data-testid="timeline"] li`); n != 3 {
		t.Fatalf("the timeline has %d steps, want requested, sourcing, delivered", n)
	}
	if st := s.open("/notifications"); st != http.StatusOK {
		t.Fatalf("notifications: %d", st)
	}
	s.wantContains("main", msg("notification.material_delivered", id, "spunbond", "500", "m"))
	s.screenshot("material-delivered")
}
