package order_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/i18n"
	"pasokan/internal/order"
	"pasokan/internal/planner"
	"pasokan/internal/testapp"
	"pasokan/internal/validation"
)

func actor(t *testing.T, app *testapp.App, email string) account.Actor {
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

// supplierActor acts for the owner of a supplier organisation.
func supplierActor(t *testing.T, app *testapp.App, orgID int64) account.Actor {
	t.Helper()
	ctx := context.Background()
	var user int64
	dbtest.Must(t, app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT user_id FROM memberships WHERE organization_id = $1 AND role = 'owner'`, orgID).Scan(&user)
	}))
	a, err := app.Accounts.LoadActor(ctx, user, orgID)
	dbtest.Must(t, err)
	return a
}

// millionMasks is the 2020 demand: a million cloth masks for two
// warehouses, Jakarta and Surabaya.
func millionMasks(deadline time.Time) order.DemandInput {
	return order.DemandInput{Title: "Masker kain untuk Karya Nusantara", ProductType: "masker-kain",
		Deadline: deadline.Format(time.DateOnly), Standard: "SNI 8914:2020 Tipe A", TargetPrice: "Rp 4.000", Notes: "Anggaran tahap 1",
		Sites: []order.SiteInput{
			{ProvinceCode: "31", RegencyCode: "31.71", Address: "Gudang Jakarta Pusat", Quantity: "600.000"},
			{ProvinceCode: "35", RegencyCode: "35.78", Address: "Gudang Surabaya", Quantity: "400.000"},
			{}, // an empty row is no site
		}}
}

func TestDemandIsDraftedApprovedPlannedAndOffered(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 330)
	ctx := context.Background()
	s := app.Orders
	buyer := actor(t, app, "pembeli@pasokan.test")
	// Two weeks: the demo's curated producers cannot make a million
	// masks by then.
	deadline := time.Now().AddDate(0, 0, 14)

	// Bad input: each error on its field, nothing stored.
	before, err := s.Demands(ctx, buyer, order.ListQuery{})
	dbtest.Must(t, err)
	bad := millionMasks(deadline)
	bad.Deadline = "2020-01-01"
	bad.Sites[1].RegencyCode = "32.73" // Bandung is not in Jawa Timur
	bad.Sites[0].Quantity = "1,5"
	_, err = s.CreateDemand(ctx, buyer, bad)
	var errs validation.Errors
	if !errors.As(err, &errs) || errs["deadline"] == "" || errs["site_regency_code_2"] == "" || errs["site_quantity_1"] == "" {
		t.Fatalf("bad demand: %v", err)
	}
	if list, err := s.Demands(ctx, buyer, order.ListQuery{}); err != nil || len(list.Demands) != len(before.Demands) {
		t.Fatalf("after a refused demand the buyer has %d demands, had %d (%v)", len(list.Demands), len(before.Demands), err)
	}

	id, err := s.CreateDemand(ctx, buyer, millionMasks(deadline))
	dbtest.Must(t, err)
	d, err := s.Demand(ctx, buyer, id)
	dbtest.Must(t, err)
	if d.Quantity != 1_000_000 || len(d.Sites) != 2 || d.Status != order.DemandDraft || *d.TargetPrice != 4000 {
		t.Fatalf("drafted: %+v", d)
	}
	// A member drafts; only the owner or an admin approves.
	member := buyer
	member.Role = account.RoleMember
	if err := s.Approve(ctx, member, id, d.Version); !errors.Is(err, order.ErrNotApprover) {
		t.Errorf("a member approved: %v", err)
	}
	// Nothing is planned before approval.
	if p, err := s.Propose(ctx, buyer, id, planner.Options{}); err != nil || len(p.Plan.Lines) != 0 {
		t.Errorf("a draft was planned: %d lines (%v)", len(p.Plan.Lines), err)
	}
	dbtest.Must(t, s.Approve(ctx, buyer, id, d.Version))
	if err := s.Approve(ctx, buyer, id, d.Version); !errors.Is(err, database.ErrStale) {
		t.Errorf("approving on an old version: %v", err)
	}

	p, err := s.Propose(ctx, buyer, id, planner.Options{})
	dbtest.Must(t, err)
	if p.Candidates == 0 || len(p.Plan.Lines) == 0 {
		t.Fatalf("no plan: %d candidates", p.Candidates)
	}
	// The plan says how many are missing.
	if p.Plan.Shortfall <= 0 || p.Plan.Covered+p.Plan.Shortfall != 1_000_000 {
		t.Errorf("covered %d, shortfall %d", p.Plan.Covered, p.Plan.Shortfall)
	}
	t.Logf("the million-mask demand: %d producers weighed, %d lines, %d covered, %d short, in %s",
		p.Candidates, len(p.Plan.Lines), p.Plan.Covered, p.Plan.Shortfall, p.Took)

	// Confirmed as proposed, but a line above the producer's free capacity
	// is refused on its field, and nothing is offered.
	lines := make([]order.LineInput, len(p.Plan.Lines))
	for i, l := range p.Plan.Lines {
		lines[i] = order.LineInput{SiteID: d.Sites[l.Site].ID, SupplierID: l.SupplierID, Quantity: strconv.Itoa(l.Quantity)}
	}
	d, err = s.Demand(ctx, buyer, id)
	dbtest.Must(t, err)
	over := append([]order.LineInput(nil), lines...)
	over[0].Quantity = strconv.Itoa(p.Plan.Lines[0].Free + 1)
	if _, err := s.Confirm(ctx, buyer, id, d.Version, over); !errors.As(err, &errs) || errs[order.LineField(1)] == "" {
		t.Fatalf("a line over capacity: %v", err)
	}
	made, err := s.Confirm(ctx, buyer, id, d.Version, lines)
	dbtest.Must(t, err)
	if len(made) != len(lines) {
		t.Fatalf("%d orders for %d lines", len(made), len(lines))
	}
	d, err = s.Demand(ctx, buyer, id)
	dbtest.Must(t, err)
	if d.Status != order.DemandPlanned || len(d.Orders) != len(lines) {
		t.Fatalf("after confirming: %s, %d orders", d.Status, len(d.Orders))
	}

	// One accepts, one declines, one counters and the buyer accepts it.
	first, second, third := d.Orders[0], d.Orders[1], d.Orders[2]
	sup1 := supplierActor(t, app, first.SupplierOrgID)
	sup2 := supplierActor(t, app, second.SupplierOrgID)
	sup3 := supplierActor(t, app, third.SupplierOrgID)
	// A supplier does not open another's order, nor the demand.
	if first.SupplierOrgID != second.SupplierOrgID {
		if _, err := s.Order(ctx, sup2, first.ID); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("another supplier opened the order: %v", err)
		}
		if err := s.Accept(ctx, sup2, first.ID, first.Version); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("another supplier accepted the order: %v", err)
		}
	}
	if _, err := s.Demand(ctx, sup1, id); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("a supplier opened the demand: %v", err)
	}
	// Row-level security: as the supplier, no demand row (and so no target
	// price), and only its own orders.
	var demands, others int
	dbtest.Must(t, app.DB.App.ReadTx(ctx, sup1.Scope(), func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM demands`).Scan(&demands); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT count(*) FROM orders WHERE supplier_org_id <> $1`, sup1.OrgID).Scan(&others)
	}))
	if demands != 0 || others != 0 {
		t.Errorf("as a supplier: %d demands, %d orders of others", demands, others)
	}
	// A supplier cannot raise its own order's price by hand.
	err = app.DB.App.Tx(ctx, sup1.Scope(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE orders SET unit_price = unit_price * 2 WHERE id = $1`, first.ID)
		return err
	})
	if err == nil {
		t.Error("a supplier changed the price it was offered")
	}

	dbtest.Must(t, s.Accept(ctx, sup1, first.ID, first.Version))
	if err := s.Decline(ctx, sup2, second.ID, second.Version, "x"); !errors.As(err, &errs) || errs["reason"] == "" {
		t.Errorf("a decline without a reason: %v", err)
	}
	dbtest.Must(t, s.Decline(ctx, sup2, second.ID, second.Version, "Bahan baku habis bulan ini."))
	counterQty := third.Quantity / 2
	dbtest.Must(t, s.Counter(ctx, sup3, third.ID, third.Version, order.CounterInput{Quantity: strconv.Itoa(counterQty),
		UnitPrice: "4.500", Reason: "Kapasitas kami setengahnya."}))
	got, err := s.Order(ctx, buyer, third.ID)
	dbtest.Must(t, err)
	if got.Status != order.StatusCountered || *got.CounterQuantity != counterQty || *got.CounterUnitPrice != 4500 {
		t.Fatalf("countered: %+v", got)
	}
	dbtest.Must(t, s.AcceptCounter(ctx, buyer, third.ID, got.Version))
	got, err = s.Order(ctx, sup3, third.ID)
	dbtest.Must(t, err)
	if got.Status != order.StatusAccepted || got.Quantity != counterQty || got.UnitPrice != 4500 || got.CounterQuantity != nil {
		t.Errorf("the accepted counter: %+v", got)
	}
	if len(got.Events) != 3 {
		t.Errorf("the countered order's timeline has %d events, want offered, countered, accepted", len(got.Events))
	}
	// The declined quantity and the half the counter gave up return to
	// what the sites still need.
	d, err = s.Demand(ctx, buyer, id)
	dbtest.Must(t, err)
	rem := d.Remaining()
	want := p.Plan.Shortfall + second.Quantity + (third.Quantity - counterQty)
	if rem[0]+rem[1] != want {
		t.Errorf("remaining %d, want %d", rem[0]+rem[1], want)
	}

	// Unanswered past the response deadline: expired, and no answer is
	// taken any more.
	app.Advance(5 * 24 * time.Hour)
	fourth := d.Orders[3]
	sup4 := supplierActor(t, app, fourth.SupplierOrgID)
	if err := s.Accept(ctx, sup4, fourth.ID, fourth.Version); !errors.Is(err, order.ErrExpired) {
		t.Errorf("accepting after the deadline: %v", err)
	}
	n, err := s.Expire(ctx, time.Now().Add(5*24*time.Hour))
	dbtest.Must(t, err)
	if n != len(d.Orders)-3 {
		t.Errorf("%d offers expired, want %d", n, len(d.Orders)-3)
	}
	got, err = s.Order(ctx, sup4, fourth.ID)
	dbtest.Must(t, err)
	if got.Status != order.StatusExpired {
		t.Errorf("unanswered: %s", got.Status)
	}
}

// A concurrent accept and cancel of one order leave one outcome: the
// second to commit finds the version moved.
func TestConcurrentAcceptAndCancelLeaveOneOutcome(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 330)
	ctx := context.Background()
	s := app.Orders
	buyer := actor(t, app, "pembeli@pasokan.test")
	id, err := s.CreateDemand(ctx, buyer, millionMasks(time.Now().AddDate(0, 3, 0)))
	dbtest.Must(t, err)
	d, err := s.Demand(ctx, buyer, id)
	dbtest.Must(t, err)
	dbtest.Must(t, s.Approve(ctx, buyer, id, d.Version))
	p, err := s.Propose(ctx, buyer, id, planner.Options{})
	dbtest.Must(t, err)
	d, err = s.Demand(ctx, buyer, id)
	dbtest.Must(t, err)
	l := p.Plan.Lines[0]
	_, err = s.Confirm(ctx, buyer, id, d.Version, []order.LineInput{{SiteID: d.Sites[l.Site].ID, SupplierID: l.SupplierID,
		Quantity: strconv.Itoa(l.Quantity)}})
	dbtest.Must(t, err)
	d, err = s.Demand(ctx, buyer, id)
	dbtest.Must(t, err)
	o := d.Orders[0]
	sup := supplierActor(t, app, o.SupplierOrgID)
	errs := make(chan error, 2)
	go func() { errs <- s.Accept(ctx, sup, o.ID, o.Version) }()
	go func() { errs <- s.Cancel(ctx, buyer, o.ID, o.Version, "Anggaran dipotong.") }()
	e1, e2 := <-errs, <-errs
	if (e1 == nil) == (e2 == nil) {
		t.Fatalf("accept and cancel: %v and %v, want exactly one to succeed", e1, e2)
	}
	if lost := errors.Join(e1, e2); !errors.Is(lost, database.ErrStale) {
		t.Errorf("the loser's error: %v, want stale", lost)
	}
	got, err := s.Order(ctx, buyer, o.ID)
	dbtest.Must(t, err)
	if got.Status != order.StatusAccepted && got.Status != order.StatusCancelled || got.Version != o.Version+1 {
		t.Errorf("after the race: %s, version %d", got.Status, got.Version)
	}
}

// An accepted order is made, shipped in parts, received (part of it
// rejected, which signals the supplier's curators and is shipped again),
// completed, invoiced and paid; each side records only its own part.
func TestOrderIsShippedReceivedInvoicedAndPaid(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 330)
	ctx := context.Background()
	s := app.Orders
	buyer := actor(t, app, "pembeli@pasokan.test")
	id, err := s.CreateDemand(ctx, buyer, millionMasks(time.Now().AddDate(0, 1, 0)))
	dbtest.Must(t, err)
	d, err := s.Demand(ctx, buyer, id)
	dbtest.Must(t, err)
	dbtest.Must(t, s.Approve(ctx, buyer, id, d.Version))
	d, err = s.Demand(ctx, buyer, id)
	dbtest.Must(t, err)
	p, err := s.Propose(ctx, buyer, id, planner.Options{})
	dbtest.Must(t, err)
	l := p.Plan.Lines[0]
	_, err = s.Confirm(ctx, buyer, id, d.Version, []order.LineInput{{SiteID: d.Sites[l.Site].ID, SupplierID: l.SupplierID, Quantity: "10.000"}})
	dbtest.Must(t, err)
	d, err = s.Demand(ctx, buyer, id)
	dbtest.Must(t, err)
	o := d.Orders[0]
	if o.Code == nil || len(*o.Code) != 14 {
		t.Fatalf("the order has no verification code: %v", o.Code)
	}
	sup := supplierActor(t, app, o.SupplierOrgID)
	get := func(a account.Actor) order.Order {
		t.Helper()
		got, err := s.Order(ctx, a, o.ID)
		dbtest.Must(t, err)
		return got
	}
	today := time.Now().In(i18n.WIB).Format(time.DateOnly) // the portal dates by Jakarta's day
	ship := func(n string) error {
		return s.RecordShipment(ctx, sup, o.ID, get(sup).Version, order.ShipmentInput{Quantity: n, ShippedOn: today, Courier: "JNE", Tracking: "JNE123"})
	}
	// Nothing ships before the supplier accepts.
	if err := ship("1.000"); !errors.Is(err, order.ErrState) {
		t.Errorf("a shipment of an offer: %v", err)
	}
	dbtest.Must(t, s.Accept(ctx, sup, o.ID, o.Version))
	dbtest.Must(t, s.StartProduction(ctx, sup, o.ID, get(sup).Version))
	// Under the repository, the orders' trigger refuses each side's change
	// to the other side's part of the order, whatever the statement, as
	// each kind's role (migration 0052) as well as the application's.
	for _, c := range []struct {
		who   account.Actor
		scope database.Scope
		stmt  string
	}{
		{sup, sup.Scope(), `UPDATE orders SET quantity = quantity + 1 WHERE id = $1`},
		{sup, sup.Scope().Widening(), `UPDATE orders SET quantity = quantity + 1 WHERE id = $1`},
		{sup, sup.Scope(), `UPDATE orders SET paid_on = current_date WHERE id = $1`},
		{buyer, buyer.Scope(), `UPDATE orders SET shipped_units = 1 WHERE id = $1`},
		{buyer, buyer.Scope().Widening(), `UPDATE orders SET invoiced_on = current_date WHERE id = $1`},
		{buyer, buyer.Scope(), `UPDATE orders SET counter_quantity = 1 WHERE id = $1`},
	} {
		err := app.DB.App.Tx(ctx, c.scope, func(tx pgx.Tx) error {
			tag, err := tx.Exec(ctx, c.stmt, o.ID)
			if err == nil && tag.RowsAffected() == 0 {
				return errors.New("no row matched")
			}
			return err
		})
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "23514" || !strings.Contains(pgErr.Message, "does not") {
			t.Errorf("%s as %s: %v, want the trigger's refusal", c.stmt, c.who.Kind, err)
		}
	}
	// The buyer records no shipment.
	if err := s.RecordShipment(ctx, buyer, o.ID, get(buyer).Version, order.ShipmentInput{Quantity: "1", ShippedOn: today, Courier: "JNE"}); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("a buyer's shipment: %v", err)
	}
	dbtest.Must(t, ship("6.000"))
	var errs validation.Errors
	if err := ship("4.001"); !errors.As(err, &errs) || errs["quantity"] == "" {
		t.Errorf("a shipment beyond the order: %v", err)
	}
	dbtest.Must(t, ship("4.000"))
	got := get(buyer)
	if got.Status != order.StatusShipped || got.ShippedUnits != 10000 || len(got.Shipments) != 2 {
		t.Fatalf("shipped: %s, %d units, %d shipments", got.Status, got.ShippedUnits, len(got.Shipments))
	}
	receive := func(sh int64, acc, rej, reason string) error {
		return s.RecordReceipt(ctx, buyer, o.ID, get(buyer).Version, order.ReceiptInput{ShipmentID: sh, ReceivedOn: today,
			Accepted: acc, Rejected: rej, Reason: reason})
	}
	first, second := got.Shipments[0].ID, got.Shipments[1].ID
	if err := s.RecordReceipt(ctx, sup, o.ID, get(sup).Version, order.ReceiptInput{ShipmentID: first, ReceivedOn: today, Accepted: "6000"}); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("a supplier's receipt: %v", err)
	}
	if err := receive(first, "5.000", "", ""); !errors.As(err, &errs) || errs["accepted"] == "" {
		t.Errorf("a receipt that leaves units unaccounted for: %v", err)
	}
	dbtest.Must(t, receive(first, "6.000", "", ""))
	if err := receive(first, "6.000", "", ""); !errors.Is(err, order.ErrReceived) {
		t.Errorf("a second receipt of one shipment: %v", err)
	}
	if err := receive(second, "3.500", "500", ""); !errors.As(err, &errs) || errs["reason"] == "" {
		t.Errorf("a rejection without a reason: %v", err)
	}
	dbtest.Must(t, receive(second, "3.500", "500", "Jahitan lepas pada 500 masker."))
	got = get(sup)
	if got.Status != order.StatusShipped || got.AcceptedUnits != 9500 || got.RejectedUnits != 500 || got.ToShip() != 500 {
		t.Fatalf("after a rejection: %s, accepted %d, rejected %d, to ship %d", got.Status, got.AcceptedUnits, got.RejectedUnits, got.ToShip())
	}
	// The rejection is a signal to the supplier's curators.
	var signals int
	dbtest.Must(t, app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM signals WHERE organization_id = $1 AND kind = 'receipt_rejected'`, o.SupplierOrgID).Scan(&signals)
	}))
	if signals != 1 {
		t.Errorf("%d rejection signals", signals)
	}
	// The replacement completes the order.
	dbtest.Must(t, ship("500"))
	got = get(buyer)
	dbtest.Must(t, receive(got.Shipments[2].ID, "500", "0", ""))
	got = get(sup)
	if got.Status != order.StatusCompleted || got.CompletedAt == nil {
		t.Fatalf("after the replacement: %s", got.Status)
	}
	if err := s.Pay(ctx, buyer, o.ID, got.Version, today); !errors.Is(err, order.ErrState) {
		t.Errorf("paid before the invoice: %v", err)
	}
	dbtest.Must(t, s.Invoice(ctx, sup, o.ID, got.Version, today))
	got = get(buyer)
	if got.Status != order.StatusInvoiced || *got.InvoiceAmount != int64(10000)*got.UnitPrice {
		t.Fatalf("invoiced: %s, %v", got.Status, got.InvoiceAmount)
	}
	if err := s.Pay(ctx, buyer, o.ID, got.Version, "2099-01-01"); !errors.As(err, &errs) || errs["paid_on"] == "" {
		t.Errorf("paid in the future: %v", err)
	}
	dbtest.Must(t, s.Pay(ctx, buyer, o.ID, got.Version, today))
	if got = get(sup); got.Status != order.StatusPaid || got.PaidOn == nil {
		t.Errorf("paid: %s", got.Status)
	}
	// A supplier cannot mark its own order paid by hand.
	err = app.DB.App.Tx(ctx, sup.Scope(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE orders SET accepted_units = accepted_units + 1 WHERE id = $1`, o.ID)
		return err
	})
	if err == nil {
		t.Error("a supplier changed what the buyer received")
	}
}
