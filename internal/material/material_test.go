package material_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/i18n"
	"pasokan/internal/material"
	"pasokan/internal/testapp"
	"pasokan/internal/validation"
)

// servingOrder is an accepted order of the demo and its supplier.
type servingOrder struct {
	ID         int64 `db:"id"`
	SupplierID int64 `db:"supplier_org_id"`
}

func systemRow[T any](t *testing.T, app *testapp.App, q string, args ...any) T {
	t.Helper()
	var out T
	dbtest.Must(t, app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), q, args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[T])
		return err
	}))
	return out
}

// count counts rows in the system's scope.
func count(t *testing.T, app *testapp.App, q string, args ...any) int {
	t.Helper()
	var n int
	dbtest.Must(t, app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), q, args...).Scan(&n)
	}))
	return n
}

// ownerOf acts for the owner of an organisation.
func ownerOf(t *testing.T, app *testapp.App, orgID int64) account.Actor {
	t.Helper()
	ctx := context.Background()
	var user int64
	dbtest.Must(t, app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT user_id FROM memberships WHERE organization_id = $1 ORDER BY role = 'owner' DESC, user_id LIMIT 1`, orgID).Scan(&user)
	}))
	a, err := app.Accounts.LoadActor(ctx, user, orgID)
	dbtest.Must(t, err)
	return a
}

func actorByEmail(t *testing.T, app *testapp.App, email string) account.Actor {
	t.Helper()
	ctx := context.Background()
	id, err := app.Accounts.UserIDByEmail(ctx, email)
	dbtest.Must(t, err)
	ms, err := app.Accounts.Memberships(ctx, id)
	dbtest.Must(t, err)
	a, err := app.Accounts.LoadActor(ctx, id, ms[0].OrgID)
	dbtest.Must(t, err)
	return a
}

// requests is the first page of the ministry's list.
func requests(ctx context.Context, s *material.Store, a account.Actor, f material.Filter) ([]material.Request, error) {
	p, err := s.Page(ctx, a, f, nil)
	return p.Requests, err
}

func day(d int) string {
	y, m, dd := time.Now().In(i18n.WIB).AddDate(0, 0, d).Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// keptAreTheRequests checks what migration 0056 keeps of the raw-material
// requests (the ministry's weeks, the count of each status) against the
// requests counted afresh.
func keptAreTheRequests(t *testing.T, app *testapp.App, when string) {
	t.Helper()
	if n := count(t, app, `WITH fresh AS (
  SELECT w.monday, w.material, w.unit, w.requests, w.quantity, w.delivered, u.orders, u.units
    FROM (SELECT date_trunc('week', r.needed_by)::date AS monday, r.material, r.unit, count(*)::int AS requests,
                 sum(r.quantity)::bigint AS quantity, sum(r.delivered)::bigint AS delivered,
                 array_agg(DISTINCT r.order_id) FILTER (WHERE r.order_id IS NOT NULL) AS ids
            FROM material_requests r WHERE r.status IN ('requested', 'sourcing') GROUP BY 1, 2, 3) w
   CROSS JOIN LATERAL (SELECT count(*)::int AS orders, coalesce(sum(o.quantity), 0)::bigint AS units
                         FROM orders o WHERE o.id = ANY (w.ids)) u
), kept AS (
  SELECT monday, material, unit, requests, quantity, delivered, orders, units FROM material_week_figures
)
SELECT count(*) FROM ((SELECT * FROM fresh EXCEPT ALL SELECT * FROM kept)
                      UNION ALL (SELECT * FROM kept EXCEPT ALL SELECT * FROM fresh)) d`); n != 0 {
		t.Errorf("%s: material_week_figures differs from the open requests in %d rows", when, n)
	}
	if n := count(t, app, `SELECT count(*) FROM (
  (SELECT status, count(*)::int FROM material_requests GROUP BY 1
   EXCEPT ALL SELECT status, n FROM support_figures WHERE kind = 'material' AND n <> 0)
  UNION ALL
  (SELECT status, n FROM support_figures WHERE kind = 'material' AND n <> 0
   EXCEPT ALL SELECT status, count(*)::int FROM material_requests GROUP BY 1)) d`); n != 0 {
		t.Errorf("%s: support_figures differs from the material requests in %d statuses", when, n)
	}
}

// A supplier asks for spunbond for an accepted order; bad input stores
// nothing; nobody else reads the request; the ministry groups it with
// another supplier's, records deliveries until it is delivered, and closes
// a third; each step is on the timeline, in the audit log and told to the
// supplier.
func TestRequestIsGroupedDeliveredAndClosed(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 330) // the 2020 story, with its orders
	ctx := context.Background()
	s := app.Materials
	served := systemRow[servingOrder](t, app, `SELECT id, supplier_org_id FROM orders
 WHERE status IN ('accepted', 'in_production') ORDER BY id LIMIT 1`)
	other := systemRow[servingOrder](t, app, `SELECT id, supplier_org_id FROM orders
 WHERE supplier_org_id <> $1 ORDER BY id LIMIT 1`, served.SupplierID)
	sup := ownerOf(t, app, served.SupplierID)
	sup2 := ownerOf(t, app, other.SupplierID)
	ministry := actorByEmail(t, app, "admin@pasokan.test")
	buyer := actorByEmail(t, app, "pembeli@pasokan.test")

	// Bad input: each error on its field, nothing stored.
	before := count(t, app, `SELECT count(*) FROM material_requests`)
	cases := []struct {
		in    material.Input
		field string
	}{
		{material.Input{Material: "kapas", Quantity: "500", Unit: "m", NeededBy: day(10)}, "material"},
		{material.Input{Material: "spunbond", Quantity: "0", Unit: "m", NeededBy: day(10)}, "quantity"},
		{material.Input{Material: "spunbond", Quantity: "1,5", Unit: "m", NeededBy: day(10)}, "quantity"},
		{material.Input{Material: "spunbond", Quantity: "500", Unit: "yard", NeededBy: day(10)}, "unit"},
		{material.Input{Material: "spunbond", Quantity: "500", Unit: "m", NeededBy: day(-1)}, "needed_by"},
		{material.Input{Material: "spunbond", Quantity: "500", Unit: "m", NeededBy: day(400)}, "needed_by"},
		{material.Input{Material: "spunbond", Quantity: "500", Unit: "m", NeededBy: "31/12/2026"}, "needed_by"},
		{material.Input{Material: "other", Quantity: "5", Unit: "kg", NeededBy: day(10)}, "note"},
		// Another supplier's order, and an order not accepted.
		{material.Input{Material: "spunbond", Quantity: "500", Unit: "m", NeededBy: day(10), OrderID: strconv.FormatInt(other.ID, 10)}, "order_id"},
		{material.Input{Material: "spunbond", Quantity: "500", Unit: "m", NeededBy: day(10), OrderID: "abc"}, "order_id"},
	}
	for _, c := range cases {
		_, err := s.Create(ctx, sup, c.in)
		var errs validation.Errors
		if !errors.As(err, &errs) || errs[c.field] == "" {
			t.Errorf("%+v: %v, want an error on %s", c.in, err, c.field)
		}
	}
	if n := count(t, app, `SELECT count(*) FROM material_requests`); n != before {
		t.Fatalf("bad requests stored %d rows", n-before)
	}
	// Only a supplier asks.
	if _, err := s.Create(ctx, buyer, material.Input{Material: "spunbond", Quantity: "500", Unit: "m", NeededBy: day(10)}); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("a buyer's request: %v", err)
	}

	// 500 m of spunbond for the accepted order.
	id, err := s.Create(ctx, sup, material.Input{Material: "spunbond", Quantity: "500", Unit: "m", NeededBy: day(14),
		OrderID: strconv.FormatInt(served.ID, 10), Note: "Lebar 160 cm, 25 gsm"})
	dbtest.Must(t, err)
	id2, err := s.Create(ctx, sup2, material.Input{Material: "spunbond", Quantity: "1.200", Unit: "m", NeededBy: day(7)})
	dbtest.Must(t, err)
	id3, err := s.Create(ctx, sup2, material.Input{Material: "ethanol96", Quantity: "40", Unit: "l", NeededBy: day(3)})
	dbtest.Must(t, err)
	keptAreTheRequests(t, app, "three requests")
	r, events, err := s.Request(ctx, sup, id)
	dbtest.Must(t, err)
	if r.Quantity != 500 || r.Unit != "m" || r.OrderID != served.ID || r.Status != material.StatusRequested || len(events) != 1 {
		t.Fatalf("request as stored: %+v, %d events", r, len(events))
	}

	// Nobody else reads it, by guessing its id or by listing.
	for _, a := range []account.Actor{sup2, buyer} {
		if _, _, err := s.Request(ctx, a, id); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("%s reads another's request: %v", a.OrgName, err)
		}
	}
	mine, err := s.Mine(ctx, sup2)
	dbtest.Must(t, err)
	if len(mine) != 2 || mine[0].ID != id3 || mine[1].ID != id2 {
		t.Errorf("the second supplier's list: %+v", mine)
	}
	// Row-level security says the same without the store's filter.
	var seen int
	dbtest.Must(t, app.DB.App.ReadTx(ctx, sup2.Scope(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM material_requests WHERE id = $1`, id).Scan(&seen)
	}))
	if seen != 0 {
		t.Error("row-level security lets a supplier read another's request")
	}

	// The ministry's list: open requests, most urgent first; the filters.
	list, err := requests(ctx, s, ministry, material.Filter{})
	dbtest.Must(t, err)
	if len(list) != 3 || list[0].ID != id3 || list[1].ID != id2 || list[2].ID != id {
		t.Errorf("open requests by urgency: %+v", list)
	}
	list, err = requests(ctx, s, ministry, material.Filter{Material: "spunbond", Urgency: "week"})
	dbtest.Must(t, err)
	if len(list) != 1 || list[0].ID != id2 {
		t.Errorf("spunbond within a week: %+v", list)
	}
	if _, err := s.Page(ctx, sup, material.Filter{}, nil); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("a supplier reads the ministry's list: %v", err)
	}

	// The roll-up counts the accepted order once, with its units.
	page, err := s.Page(ctx, ministry, material.Filter{}, nil)
	dbtest.Must(t, err)
	weeks := page.Weeks
	var spun int64
	orders := 0
	for _, w := range weeks {
		if w.Material == "spunbond" {
			spun += w.Quantity
			orders += w.Orders
		}
	}
	if spun != 1700 || orders != 1 {
		t.Errorf("weeks: %d m of spunbond, %d orders; want 1,700 and 1 (%+v)", spun, orders, weeks)
	}

	// Grouping: different materials refused, nothing changed.
	_, err = s.Group(ctx, ministry, material.GroupInput{RequestIDs: []string{strconv.FormatInt(id, 10), strconv.FormatInt(id3, 10)}, Source: "PT Tekstil Nusantara"})
	var errs validation.Errors
	if !errors.As(err, &errs) || errs["request_id"] != "error.material_mixed" {
		t.Errorf("mixed group: %v", err)
	}
	_, err = s.Group(ctx, ministry, material.GroupInput{Source: "PT Tekstil Nusantara"})
	if !errors.As(err, &errs) || errs["request_id"] == "" {
		t.Errorf("an empty group: %v", err)
	}
	if n := count(t, app, `SELECT count(*) FROM material_purchases`); n != 0 {
		t.Fatalf("refused groups stored %d purchases", n)
	}
	purchase, err := s.Group(ctx, ministry, material.GroupInput{RequestIDs: []string{strconv.FormatInt(id, 10), strconv.FormatInt(id2, 10)},
		Source: "PT Tekstil Nusantara", Note: "Satu pembelian untuk Jawa Barat"})
	dbtest.Must(t, err)
	keptAreTheRequests(t, app, "grouped")
	// Grouped once only.
	_, err = s.Group(ctx, ministry, material.GroupInput{RequestIDs: []string{strconv.FormatInt(id, 10)}, Source: "CV Lain"})
	if !errors.As(err, &errs) || errs["request_id"] != "error.material_taken" {
		t.Errorf("grouped twice: %v", err)
	}
	p, reqs, err := s.Purchase(ctx, ministry, purchase)
	dbtest.Must(t, err)
	if p.Material != "spunbond" || len(reqs) != 2 {
		t.Errorf("purchase: %+v with %d requests", p, len(reqs))
	}

	// Deliveries: over the quantity refused; in part, then the rest.
	r, _, err = s.Request(ctx, sup, id)
	dbtest.Must(t, err)
	if r.Status != material.StatusSourcing || r.Source != "PT Tekstil Nusantara" {
		t.Fatalf("after grouping: %+v", r)
	}
	if err := s.Deliver(ctx, ministry, id, r.Version, "501", day(0)); !errors.As(err, &errs) || errs["quantity"] != "error.delivery_over" {
		t.Errorf("over-delivery: %v", err)
	}
	if err := s.Deliver(ctx, ministry, id, r.Version, "200", day(1)); !errors.As(err, &errs) || errs["delivered_on"] == "" {
		t.Errorf("a delivery tomorrow: %v", err)
	}
	if err := s.Deliver(ctx, sup, id, r.Version, "200", day(0)); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("a supplier records its own delivery: %v", err)
	}
	dbtest.Must(t, s.Deliver(ctx, ministry, id, r.Version, "200", day(0)))
	if err := s.Deliver(ctx, ministry, id, r.Version, "300", day(0)); !errors.Is(err, database.ErrStale) {
		t.Errorf("a delivery from a stale page: %v", err)
	}
	r, _, err = s.Request(ctx, sup, id)
	dbtest.Must(t, err)
	if r.Status != material.StatusSourcing || r.Delivered != 200 {
		t.Errorf("after 200 m: %+v", r)
	}
	keptAreTheRequests(t, app, "200 m delivered")
	dbtest.Must(t, s.Deliver(ctx, ministry, id, r.Version, "300", day(0)))
	r, events, err = s.Request(ctx, sup, id)
	dbtest.Must(t, err)
	if r.Status != material.StatusDelivered || r.Delivered != 500 {
		t.Errorf("after 500 m: %+v", r)
	}
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action)
	}
	if want := []string{"requested", "sourcing", "delivered", "delivered"}; !slices.Equal(actions, want) {
		t.Errorf("timeline %v, want %v", actions, want)
	}
	if err := s.Close(ctx, ministry, id, r.Version, "Sudah selesai"); !errors.Is(err, material.ErrState) {
		t.Errorf("closing a delivered request: %v", err)
	}

	// Closing: a reason is required.
	r3, _, err := s.Request(ctx, ministry, id3)
	dbtest.Must(t, err)
	if err := s.Close(ctx, ministry, id3, r3.Version, " "); !errors.As(err, &errs) || errs["reason"] == "" {
		t.Errorf("closing without a reason: %v", err)
	}
	dbtest.Must(t, s.Close(ctx, ministry, id3, r3.Version, "Etanol tidak tersedia di pemasok BUMN bulan ini."))
	keptAreTheRequests(t, app, "delivered and closed")
	// Left open: the second supplier's 1,200 m, being sourced for no order;
	// the weeks the others left are gone.
	page, err = s.Page(ctx, ministry, material.Filter{}, nil)
	dbtest.Must(t, err)
	if len(page.Weeks) != 1 || page.Weeks[0].Material != "spunbond" || page.Weeks[0].Quantity != 1200 ||
		page.Weeks[0].Delivered != 0 || page.Weeks[0].Requests != 1 || page.Weeks[0].Orders != 0 {
		t.Errorf("weeks with one request open: %+v", page.Weeks)
	}

	// Each change is audited, and the suppliers were told.
	if n := count(t, app, `SELECT count(*) FROM audit_events WHERE action LIKE 'material.%'`); n != 3+1+2+1 {
		t.Errorf("%d audit events of materials, want 7", n)
	}
	if n := count(t, app, `SELECT count(*) FROM notifications WHERE organization_id = $1 AND key LIKE 'material_%'`, sup.OrgID); n != 3 {
		t.Errorf("the first supplier was told %d times, want 3 (sourcing, two deliveries)", n)
	}
	if n := count(t, app, `SELECT count(*) FROM notifications WHERE organization_id = $1 AND key = 'material_closed'`, sup2.OrgID); n != 1 {
		t.Errorf("the second supplier was told of the closing %d times", n)
	}
}

// A supplier withdraws its own request while nobody has acted on it; not
// another's, not a stale page, not once the ministry has grouped it; the
// ministry's list no longer shows it open, and the step is on its timeline
// and in the audit trail.
func TestSupplierWithdrawsARequestNobodyActedOn(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	ctx := context.Background()
	s := app.Materials
	sup := actorByEmail(t, app, "umkm@pasokan.test")
	ministry := actorByEmail(t, app, "admin@pasokan.test")
	other := actorByEmail(t, app, "pembeli@pasokan.test")
	first, err := s.Create(ctx, sup, material.Input{Material: "spunbond", Quantity: "500", Unit: "m", NeededBy: day(14)})
	dbtest.Must(t, err)
	second, err := s.Create(ctx, sup, material.Input{Material: "elastic", Quantity: "200", Unit: "m", NeededBy: day(14)})
	dbtest.Must(t, err)

	if err := s.Withdraw(ctx, sup, first, 2, ""); !errors.Is(err, database.ErrStale) {
		t.Errorf("a stale page: %v", err)
	}
	if err := s.Withdraw(ctx, other, first, 1, ""); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("a buyer withdrawing: %v", err)
	}
	if err := s.Withdraw(ctx, sup, first, 1, strings.Repeat("x", 1001)); err == nil {
		t.Error("a reason of 1,001 characters was taken")
	}
	dbtest.Must(t, s.Withdraw(ctx, sup, first, 1, "Sudah dapat dari pemasok lain."))
	keptAreTheRequests(t, app, "withdrawn")
	r, events, err := s.Request(ctx, sup, first)
	dbtest.Must(t, err)
	if r.Status != material.StatusClosed || r.Reason != "Sudah dapat dari pemasok lain." || events[len(events)-1].Action != "withdrawn" {
		t.Errorf("withdrawn: %s %q, last step %s", r.Status, r.Reason, events[len(events)-1].Action)
	}
	if err := s.Withdraw(ctx, sup, first, r.Version, ""); !errors.Is(err, material.ErrState) {
		t.Errorf("withdrawing twice: %v", err)
	}
	// Grouped by the ministry, it is the ministry's to close.
	_, err = s.Group(ctx, ministry, material.GroupInput{RequestIDs: []string{strconv.FormatInt(second, 10)}, Source: "Koperasi Tekstil Bandung"})
	dbtest.Must(t, err)
	r2, _, err := s.Request(ctx, sup, second)
	dbtest.Must(t, err)
	if err := s.Withdraw(ctx, sup, second, r2.Version, ""); !errors.Is(err, material.ErrState) {
		t.Errorf("withdrawing a grouped request: %v", err)
	}
	// Row-level security alone refuses the supplier's change of a grouped
	// request, whatever the code does.
	err = app.DB.App.Tx(ctx, sup.Scope(), func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE material_requests SET status = 'closed' WHERE id = $1`, second)
		if err == nil && tag.RowsAffected() > 0 {
			return errors.New("updated")
		}
		return nil
	})
	if err != nil {
		t.Errorf("the supplier closed a grouped request directly: %v", err)
	}
	list, err := requests(ctx, s, ministry, material.Filter{})
	dbtest.Must(t, err)
	for _, l := range list {
		if l.ID == first {
			t.Error("the ministry's open list shows the withdrawn request")
		}
	}
	if n := count(t, app, `SELECT count(*) FROM audit_events WHERE action = 'material.withdrawn' AND subject_id = $1`, first); n != 1 {
		t.Errorf("%d audit events for the withdrawal", n)
	}
}

// Two requests for a week and material that has one made at once: the
// second statement's count waits for the first's transaction and counts
// what it committed, so the ministry's week holds all three.
func TestKeptWeekCountsRequestsMadeAtOnce(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	ctx := context.Background()
	sup := actorByEmail(t, app, "umkm@pasokan.test")
	ministry := actorByEmail(t, app, "admin@pasokan.test")

	// The week's row is there before: the two find it, not make it.
	_, err := app.Materials.Create(ctx, sup, material.Input{Material: "spunbond", Quantity: "300", Unit: "m", NeededBy: day(14)})
	dbtest.Must(t, err)

	inserted, release, done := make(chan error, 1), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO material_requests (organization_id, material, quantity, unit, needed_by, created_by)
SELECT $1, 'spunbond', 700, 'm', $2::date, $3`, sup.OrgID, day(14), sup.UserID)
			inserted <- err
			if err == nil {
				<-release
			}
			return err
		})
	}()
	dbtest.Must(t, <-inserted)
	second := make(chan error, 1)
	go func() {
		_, err := app.Materials.Create(ctx, sup, material.Input{Material: "spunbond", Quantity: "500", Unit: "m", NeededBy: day(14)})
		second <- err
	}()
	// The second waits on the week's row, which the first holds.
	deadline := time.Now().Add(30 * time.Second)
	for count(t, app, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`) == 0 {
		if time.Now().After(deadline) {
			close(release)
			t.Fatal("the second request did not wait for the first")
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(release)
	dbtest.Must(t, <-done)
	dbtest.Must(t, <-second)
	keptAreTheRequests(t, app, "two at once")
	page, err := app.Materials.Page(ctx, ministry, material.Filter{}, nil)
	dbtest.Must(t, err)
	var spun int64
	for _, w := range page.Weeks {
		if w.Material == "spunbond" {
			spun += w.Quantity
		}
	}
	if spun != 1500 {
		t.Errorf("the week holds %d m of spunbond, want 1,500 (300, then 700 and 500 at once)", spun)
	}
}

// The ministry's list goes on page after page: every open request once, in
// the list's order (the day needed, then the id, many on the same day),
// with a filter as without, and the last page says it is the last.
func TestMinistryListPagesThroughEveryOpenRequest(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	ctx := context.Background()
	ministry := actorByEmail(t, app, "admin@pasokan.test")
	app.AddMaterialRequests(t, 200)
	// The supplier's own list shows its latest OrgListSize, as the
	// ministry's page of it does; the ministry's list pages on.
	sup := actorByEmail(t, app, "umkm@pasokan.test")
	own, err := app.Materials.Of(ctx, ministry, sup.OrgID)
	dbtest.Must(t, err)
	if len(own) != material.OrgListSize {
		t.Errorf("the organisation's list holds %d requests, want its latest %d", len(own), material.OrgListSize)
	}
	for _, f := range []material.Filter{{}, {Material: "spunbond"}} {
		want := app.DB.IDs(t, `SELECT id FROM material_requests
 WHERE status IN ('requested', 'sourcing') AND ($1 = '' OR material = $1) ORDER BY needed_by, id`, f.Material)
		t.Run(fmt.Sprintf("%+v", f), func(t *testing.T) {
			dbtest.WalkPages(t, material.PageSize, want, func(after *database.Cursor) ([]int64, *database.Cursor, error) {
				p, err := app.Materials.Page(ctx, ministry, f, after)
				var ids []int64
				for _, r := range p.Requests {
					ids = append(ids, r.ID)
				}
				return ids, p.Next, err
			})
		})
	}
}
