package order_test

import (
	"context"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database/dbtest"
	"pasokan/internal/order"
	"pasokan/internal/planner"
	"pasokan/internal/testapp"
)

// TestKeptPlanIsServedUntilTheCatalogueOrTheOrdersChange: a demand's plan
// is made once and served again while nothing it read has changed; an
// offer made on another demand of the buyer (its producers' free capacity
// for this one shrinks) and a producer's pause (its capacity in the window
// shrinks) each make the next view plan again, and the plan is then the
// plan over every listed producer as they are now. What a caller changes
// in a plan it got is not in the next.
func TestKeptPlanIsServedUntilTheCatalogueOrTheOrdersChange(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 330)
	ctx := context.Background()
	s := app.Orders
	buyer := actor(t, app, "pembeli@pasokan.test")
	in := order.DemandInput{Title: "Masker untuk Bandung", ProductType: "masker-kain",
		Deadline: time.Now().AddDate(0, 0, 60).Format(time.DateOnly), Standard: "SNI 8914:2020", TargetPrice: "Rp 5.000",
		Sites: []order.SiteInput{{ProvinceCode: "32", RegencyCode: "32.73", Address: "Gudang Bandung", Quantity: "20.000"}}}
	a := approvedDemand(t, app, buyer, in)
	in.Title = "Masker untuk Bandung, tahap 2"
	b := approvedDemand(t, app, buyer, in)

	// What the plan over every listed producer is now.
	planOverAll := func() planner.Plan {
		return planner.Make(planner.Input{Today: wibToday(), Deadline: b.Deadline, TargetPrice: 5000,
			Sites: sitesOf(b), Candidates: everyCandidate(t, app, "masker-kain", buyer.OrgID)})
	}
	propose := func(id int64) order.Proposal {
		t.Helper()
		p, err := s.Propose(ctx, buyer, id, planner.Options{})
		dbtest.Must(t, err)
		return p
	}

	// replanned proposes b after a change, what: the plan kept before it
	// is not served, the new one is the plan over every listed producer as
	// they are now, and it differs from before.
	replanned := func(what string, before planner.Plan) order.Proposal {
		t.Helper()
		hits := s.PlansKept()
		p := propose(b.ID)
		if s.PlansKept() != hits {
			t.Fatalf("the plan kept before %s was served after it", what)
		}
		if want := planOverAll(); !reflect.DeepEqual(p.Plan, want) {
			t.Fatalf("after %s: %+v, the plan over all is %+v", what, p.Plan, want)
		}
		if reflect.DeepEqual(p.Plan, before) {
			t.Fatalf("%s changed nothing in the plan: the case shows nothing", what)
		}
		return p
	}

	first := propose(b.ID)
	if len(first.Plan.Lines) == 0 {
		t.Fatal("no plan: the case shows nothing")
	}
	hits := s.PlansKept()
	again := propose(b.ID)
	if s.PlansKept() != hits+1 {
		t.Fatalf("the second view made the plan again (%d plans served again, want %d)", s.PlansKept(), hits+1)
	}
	if !reflect.DeepEqual(again.Plan, first.Plan) || again.Read != first.Read || !reflect.DeepEqual(again.Suppliers, first.Suppliers) {
		t.Fatalf("the kept plan differs from the plan made: %+v, made %+v", again.Plan, first.Plan)
	}
	again.Plan.Lines[0].Quantity = -1
	delete(again.Suppliers, again.Plan.Lines[0].SupplierID)
	if third := propose(b.ID); !reflect.DeepEqual(third.Plan, first.Plan) || !reflect.DeepEqual(third.Suppliers, first.Suppliers) {
		t.Fatalf("what a caller changed in a kept plan was served again: %+v", third.Plan.Lines[0])
	}
	// Another set of favours is another plan.
	hits = s.PlansKept()
	if _, err := s.Propose(ctx, buyer, b.ID, planner.Options{FavourMicro: true}); err != nil || s.PlansKept() != hits {
		t.Fatalf("the plan favouring micro businesses was served from the plain one (%v)", err)
	}

	// The buyer offers demand a's plan: the same producers have less free
	// for b.
	pa := propose(a.ID)
	lines := make([]order.LineInput, len(pa.Plan.Lines))
	for i, l := range pa.Plan.Lines {
		lines[i] = order.LineInput{SiteID: a.Sites[l.Site].ID, SupplierID: l.SupplierID, Quantity: strconv.Itoa(l.Quantity)}
	}
	_, err := s.Confirm(ctx, buyer, a.ID, a.Version, lines)
	dbtest.Must(t, err)
	afterOffers := replanned("the offers", first.Plan)

	// A producer the plan names pauses for a month.
	named := afterOffers.Plan.Lines[0].SupplierID
	until := time.Now().AddDate(0, 1, 0).Format(time.DateOnly)
	dbtest.Must(t, app.Listings.Pause(ctx, supplierActor(t, app, named), until, time.Now()))
	replanned("the pause", afterOffers.Plan)
}

// TestOrderGenerationMovesOncePerTransactionThatWritesAnOrder: the orders'
// generation grows by one for a transaction that changes orders, however
// many statements it runs, and not at all for one that rolls back or whose
// statements write no order (the expiry job's run that finds none).
func TestOrderGenerationMovesOncePerTransactionThatWritesAnOrder(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 330)
	ctx := context.Background()
	owner, err := pgx.Connect(ctx, app.DB.OwnerURL)
	dbtest.Must(t, err)
	defer owner.Close(ctx)
	gen := func() (n int64) {
		dbtest.Must(t, owner.QueryRow(ctx, `SELECT sum(n)::bigint FROM order_generation`).Scan(&n))
		return n
	}
	// An order to change: the buyer offers a small demand's plan.
	buyer := actor(t, app, "pembeli@pasokan.test")
	d := approvedDemand(t, app, buyer, order.DemandInput{Title: "Masker", ProductType: "masker-kain",
		Deadline: time.Now().AddDate(0, 0, 60).Format(time.DateOnly), Standard: "SNI 8914:2020",
		Sites: []order.SiteInput{{ProvinceCode: "32", RegencyCode: "32.73", Address: "Gudang Bandung", Quantity: "5.000"}}})
	p, err := app.Orders.Propose(ctx, buyer, d.ID, planner.Options{})
	dbtest.Must(t, err)
	if len(p.Plan.Lines) == 0 {
		t.Fatal("no plan to offer")
	}
	l := p.Plan.Lines[0]
	_, err = app.Orders.Confirm(ctx, buyer, d.ID, d.Version, []order.LineInput{{SiteID: d.Sites[0].ID, SupplierID: l.SupplierID, Quantity: strconv.Itoa(l.Quantity)}})
	dbtest.Must(t, err)
	change := func(stmt string, times int, commit bool) {
		t.Helper()
		tx, err := owner.Begin(ctx)
		dbtest.Must(t, err)
		defer tx.Rollback(ctx)
		_, err = tx.Exec(ctx, `SELECT set_config('pasokan.mode', 'system', true)`)
		dbtest.Must(t, err)
		for range times {
			_, err := tx.Exec(ctx, stmt)
			dbtest.Must(t, err)
		}
		if commit {
			dbtest.Must(t, tx.Commit(ctx))
		}
	}
	const touch = `UPDATE orders SET updated_at = updated_at WHERE id = (SELECT min(id) FROM orders)`
	start := gen()
	change(touch, 4, true)
	if got := gen(); got != start+1 {
		t.Errorf("four statements in one transaction: the generation went from %d to %d, want one more", start, got)
	}
	change(touch, 2, false)
	if got := gen(); got != start+1 {
		t.Errorf("a transaction rolled back moved the generation to %d", got)
	}
	change(`UPDATE orders SET status = 'expired' WHERE false`, 1, true)
	change(`DELETE FROM orders WHERE false`, 1, true)
	if got := gen(); got != start+1 {
		t.Errorf("statements that wrote no order moved the generation to %d", got)
	}
	change(touch, 1, true)
	if got := gen(); got != start+2 {
		t.Errorf("one more transaction: %d, want %d", got, start+2)
	}
}
