package order_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/i18n"
	"pasokan/internal/order"
	"pasokan/internal/planner"
	"pasokan/internal/testapp"
)

// everyCandidate reads, plainly and as the system, every listed producer
// of a product with what it has committed: its accepted, unfinished orders
// and the buyer's own offers still unanswered. It is the planner's input
// as the demand's page read it before it read a bounded few.
func everyCandidate(t *testing.T, app *testapp.App, productType string, buyer int64) []planner.Candidate {
	t.Helper()
	ctx := context.Background()
	var out []planner.Candidate
	dbtest.Must(t, app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT e.organization_id, e.name, e.size_class, e.province_code, e.regency_code,
       e.monthly_capacity, coalesce(e.lead_time_days, 0) AS lead_time_days, e.price_min, e.price_max, e.paused_until,
       coalesce((SELECT sum(o.quantity) FROM orders o
                  WHERE o.supplier_org_id = e.organization_id AND o.product_type = e.product_type
                    AND (o.status IN ('accepted', 'in_production', 'shipped')
                         OR (o.buyer_org_id = $2 AND o.status IN ('offered', 'countered')))), 0)::bigint AS committed
  FROM catalog_entries e WHERE e.product_type = $1`, productType, buyer)
		if err != nil {
			return err
		}
		type row struct {
			OrgID           int64      `db:"organization_id"`
			Name            string     `db:"name"`
			SizeClass       string     `db:"size_class"`
			ProvinceCode    string     `db:"province_code"`
			RegencyCode     string     `db:"regency_code"`
			MonthlyCapacity int        `db:"monthly_capacity"`
			LeadTimeDays    int        `db:"lead_time_days"`
			PriceMin        int64      `db:"price_min"`
			PriceMax        int64      `db:"price_max"`
			PausedUntil     *time.Time `db:"paused_until"`
			Committed       int64      `db:"committed"`
		}
		got, err := pgx.CollectRows(rows, pgx.RowToStructByName[row])
		if err != nil {
			return err
		}
		for _, r := range got {
			c := planner.Candidate{SupplierID: r.OrgID, Name: r.Name, SizeClass: r.SizeClass, ProvinceCode: r.ProvinceCode,
				RegencyCode: r.RegencyCode, MonthlyCapacity: r.MonthlyCapacity, LeadTimeDays: r.LeadTimeDays,
				PriceMin: r.PriceMin, PriceMax: r.PriceMax, Committed: int(r.Committed)}
			if r.PausedUntil != nil {
				c.AvailableFrom = r.PausedUntil.AddDate(0, 0, 1)
			}
			out = append(out, c)
		}
		return nil
	}))
	return out
}

// approvedDemand drafts and approves a demand of the buyer's.
func approvedDemand(t *testing.T, app *testapp.App, buyer account.Actor, in order.DemandInput) order.Demand {
	t.Helper()
	ctx := context.Background()
	id, err := app.Orders.CreateDemand(ctx, buyer, in)
	dbtest.Must(t, err)
	d, err := app.Orders.Demand(ctx, buyer, id)
	dbtest.Must(t, err)
	dbtest.Must(t, app.Orders.Approve(ctx, buyer, id, d.Version))
	d, err = app.Orders.Demand(ctx, buyer, id)
	dbtest.Must(t, err)
	return d
}

// TestPlanReadsFewAndIsThePlanOverAll: the demand's page reads the most
// capable producers of each site's classes, a batch at a time, and its plan
// is the plan over every listed producer of the product, whatever the
// demand's size, sites, deadline and the buyer's favours. A small demand
// reads a small share of the producers.
func TestPlanReadsFewAndIsThePlanOverAll(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 1500)
	ctx := context.Background()
	buyer := actor(t, app, "pembeli@pasokan.test")
	// Batches of two, so that the plans need many rounds of reading.
	app.Orders.PlanBatch = 2

	type site struct{ province, regency, quantity string }
	cases := []struct {
		product string
		days    int
		sites   []site
	}{
		// A small order near producers: the nearest few cover it.
		{"masker-kain", 60, []site{{"32", "32.73", "5.000"}}},
		// The 2020 million, in two warehouses.
		{"masker-kain", 45, []site{{"31", "31.71", "600.000"}, {"35", "35.78", "400.000"}}},
		// More than everyone can make: every class is read to its end.
		{"masker-kain", 20, []site{{"33", "33.74", "50.000.000"}, {"12", "12.71", "9.000.000"}}},
		// Far from Java, another product, three sites.
		{"hand-sanitizer-cair", 90, []site{{"73", "73.71", "80.000"}, {"64", "64.72", "30.000"}, {"91", "91.71", "20.000"}}},
		{"gaun-isolasi", 30, []site{{"51", "51.71", "12.000"}, {"36", "36.71", "3.000"}}},
	}
	options := []planner.Options{{}, {FavourMicro: true}, {FavourOutsideJava: true}, {FavourMicro: true, FavourOutsideJava: true}}
	small := false
	for i, c := range cases {
		in := order.DemandInput{Title: fmt.Sprintf("Rencana %d", i), ProductType: c.product,
			Deadline: time.Now().AddDate(0, 0, c.days).Format(time.DateOnly), Standard: "Standar uji", TargetPrice: "Rp 5.000"}
		for j, s := range c.sites {
			in.Sites = append(in.Sites, order.SiteInput{ProvinceCode: s.province, RegencyCode: s.regency,
				Address: fmt.Sprintf("Gudang %d", j+1), Quantity: s.quantity})
		}
		d := approvedDemand(t, app, buyer, in)
		all := everyCandidate(t, app, c.product, buyer.OrgID)
		for _, opts := range options {
			p, err := app.Orders.Propose(ctx, buyer, d.ID, opts)
			dbtest.Must(t, err)
			want := planner.Make(planner.Input{Today: wibToday(), Deadline: d.Deadline, TargetPrice: 5000,
				Sites: sitesOf(d), Candidates: all, Options: opts})
			if !reflect.DeepEqual(p.Plan, want) {
				t.Errorf("demand %d (%s, %+v): the plan from %d producers read differs from the plan over all %d: %d lines covering %d, want %d covering %d",
					i, c.product, opts, p.Read, len(all), len(p.Plan.Lines), p.Plan.Covered, len(want.Lines), want.Covered)
			}
			if p.Candidates != len(all) {
				t.Errorf("demand %d: %d producers said to list the product, %d do", i, p.Candidates, len(all))
			}
			if len(want.Lines) == 0 {
				t.Errorf("demand %d (%+v): the plan over all has no line; the case shows nothing", i, opts)
			}
			t.Logf("demand %d %+v: %d lines, %d of %d producers read", i, opts, len(p.Plan.Lines), p.Read, len(all))
			if i == 0 && p.Read*4 < len(all) {
				small = true
			}
		}
	}
	if !small {
		t.Error("a small demand read more than a quarter of the producers")
	}
}

// wibToday is the day in Jakarta, as package order plans it.
func wibToday() time.Time {
	y, m, d := time.Now().In(i18n.WIB).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// sitesOf is what each of the demand's sites still needs.
func sitesOf(d order.Demand) []planner.Site {
	rest := d.Remaining()
	var out []planner.Site
	for i, s := range d.Sites {
		out = append(out, planner.Site{ProvinceCode: s.ProvinceCode, RegencyCode: s.RegencyCode, Quantity: rest[i]})
	}
	return out
}

// TestIslandOfIsThePlannersIsland: the index the plan reads islands along
// groups provinces as the planner does, for every province and a code
// neither knows.
func TestIslandOfIsThePlannersIsland(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	dbtest.Must(t, db.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT code, island_of(code) FROM provinces UNION ALL VALUES ('', island_of('')), ('40', island_of('40'))`)
		if err != nil {
			return err
		}
		n := 0
		for rows.Next() {
			var code, island string
			if err := rows.Scan(&code, &island); err != nil {
				return err
			}
			if want := planner.Island(code); island != want {
				t.Errorf("island_of(%q) = %q, the planner says %q", code, island, want)
			}
			n++
		}
		if n < 38 {
			t.Errorf("%d provinces checked", n)
		}
		return rows.Err()
	}))
}
