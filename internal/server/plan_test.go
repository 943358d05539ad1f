package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/order"
	"pasokan/internal/server"
	"pasokan/internal/testapp"
)

// recorder is a pgx tracer that keeps the statements run while it is on,
// with their arguments, in order.
type recorder struct {
	on    atomic.Bool
	mu    sync.Mutex
	stmts []statement
	// trips counts round trips: each batch is one, each other query one.
	trips atomic.Int64
}

type statement struct {
	sql  string
	args []any
}

func (r *recorder) keep(sql string, args []any) {
	if !r.on.Load() {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stmts = append(r.stmts, statement{sql: sql, args: args})
}

func (r *recorder) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	if r.on.Load() {
		r.trips.Add(1)
	}
	r.keep(d.SQL, d.Args)
	return ctx
}

func (r *recorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (r *recorder) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	if r.on.Load() {
		r.trips.Add(1)
	}
	return ctx
}

func (r *recorder) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	r.keep(d.SQL, d.Args)
}

func (r *recorder) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// take returns the statements recorded since the last take.
func (r *recorder) take() []statement {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.stmts
	r.stmts = nil
	return out
}

// growing are the tables that grow with the number of suppliers: a plan
// may read them only along an index.
var growing = map[string]bool{"organizations": true, "users": true, "memberships": true, "supplier_profiles": true,
	"applications": true, "application_products": true, "documents": true, "application_events": true,
	"application_snapshots": true, "application_flags": true, "reviews": true, "samples": true, "certificates": true,
	"signals": true, "queue_search": true, "notifications": true, "audit_events": true, "sessions": true,
	"email_outbox": true, "known_logins": true, "login_throttle": true, "listings": true, "listing_products": true,
	"catalog_entries": true, "catalog_words": true, "product_proposals": true,
	"identity_proposals": true, "demands": true, "demand_sites": true, "orders": true, "order_events": true,
	"shipments": true, "receipts": true}

// perRowPolicy finds a tenant setting read through a function call inside a
// filter: evaluated for every row, where an init plan reads it once.
var perRowPolicy = regexp.MustCompile(`\bapp_(org_id|user_id|org_kind|mode|is_ministry|assigned)\(|current_setting\(`)

// planNode is the part of EXPLAIN's JSON the check reads.
type planNode struct {
	NodeType     string     `json:"Node Type"`
	RelationName string     `json:"Relation Name"`
	IndexCond    string     `json:"Index Cond"`
	Filter       string     `json:"Filter"`
	Rows         float64    `json:"Actual Rows"`
	Loops        float64    `json:"Actual Loops"`
	Removed      float64    `json:"Rows Removed by Filter"`
	Plans        []planNode `json:"Plans"`
}

// scopeLiterals reads the scope a transaction's BEGIN sets.
var scopeLiterals = regexp.MustCompile(`set_config\('pasokan\.user_id', '(\d*)', true\),\s*set_config\('pasokan\.org_id', '(\d*)', true\),\s*` +
	`set_config\('pasokan\.org_kind', '([a-z_]*)', true\),\s*set_config\('pasokan\.mode', '([a-z_]*)', true\)`)

// maxRowsRead bounds the rows one plan node may read of a growing table
// (returned and filtered out, over all its loops): a page of 25, with its
// probes, reads far fewer; a walk that filters its way through an
// organisation's applications reads thousands even at 10,000 suppliers.
const maxRowsRead = 1000

// outline draws the plan's nodes, one a line.
func (n planNode) outline(indent string) string {
	s := fmt.Sprintf("%s%s %s rows=%.0f removed=%.0f loops=%.0f %s\n", indent, n.NodeType, n.RelationName, n.Rows, n.Removed, n.Loops, n.IndexCond)
	for _, c := range n.Plans {
		s += c.outline(indent + "  ")
	}
	return s
}

// problems lists what is wrong with a plan.
func (n planNode) problems() []string {
	var out []string
	switch {
	case n.NodeType == "Seq Scan" && growing[n.RelationName]:
		out = append(out, "sequential scan of "+n.RelationName)
	case growing[n.RelationName] && (n.Rows+n.Removed)*n.Loops > maxRowsRead:
		out = append(out, fmt.Sprintf("%.0f rows of %s read for %.0f kept", (n.Rows+n.Removed)*n.Loops, n.RelationName, n.Rows*n.Loops))
	}
	if perRowPolicy.MatchString(n.Filter) {
		out = append(out, "policy function per row in "+n.NodeType+" "+n.RelationName+": "+n.Filter)
	}
	for _, c := range n.Plans {
		out = append(out, c.problems()...)
	}
	return out
}

// TestMainPagesPlanIndexWalks opens the main pages on a story of 10,000
// suppliers (analyzed: large enough that the planner walks what it must
// walk at scale), records every statement each page runs, and fails
// when one of them scans a table that grows with the suppliers
// sequentially, reads more than maxRowsRead rows of one in a step (a whole
// index, or a walk that filters most of what it reads), or evaluates a
// policy function per row. Each statement is explained in the
// tenant scope its page ran it in, with sequential scans priced out (in a
// test database the tables are small enough that Postgres would rightly
// prefer them, so what is left is a statement no index can serve), as the
// generic plan the server's connections use, and run to count the rows
// each step reads.
func TestMainPagesPlanIndexWalks(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	// The dashboard's figures kept as the serving portal keeps them, so
	// that its page seen again is served as it is then.
	app := testapp.NewScale(t, 10000, testapp.WithTracer(rec), testapp.WithFiguresTTL(server.FiguresTTL))
	ctx := context.Background()
	owner, err := pgx.Connect(ctx, app.DB.OwnerURL)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(ctx)
	if _, err := owner.Exec(ctx, "ANALYZE"); err != nil {
		t.Fatal(err)
	}

	visitor := app.Client(t)
	supplier := app.Client(t)
	supplier.Login("umkm@pasokan.test", "pasokan-demo", "/supplier")
	curator := app.Client(t)
	curator.Login("kurator@pasokan.test", "pasokan-demo", "/curation")
	ministry := app.Client(t)
	ministry.Login("admin@pasokan.test", "pasokan-demo", "/admin")
	review := regexp.MustCompile(`href="(/curation/applications/\d+)"`).FindStringSubmatch(curator.Get("/curation").Body)
	if review == nil {
		t.Fatal("no application in the queue")
	}
	buyer := app.Client(t)
	buyer.Login("pembeli@pasokan.test", "pasokan-demo", "/catalog")
	var code, name, slug string
	err = app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT code FROM certificates WHERE revoked_at IS NULL ORDER BY id LIMIT 1`).Scan(&code); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT name FROM catalog_entries ORDER BY id DESC LIMIT 1`).Scan(&name); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT slug FROM catalog_entries ORDER BY id DESC LIMIT 1`).Scan(&slug)
	})
	if err != nil {
		t.Fatal(err)
	}
	// A demand the buyer may plan now: its page plans on every view.
	b := actorOf(t, app, "pembeli@pasokan.test")
	demand, err := app.Orders.CreateDemand(ctx, b, order.DemandInput{Title: "Masker kain", ProductType: "masker-kain",
		Deadline: time.Now().AddDate(0, 0, 60).Format(time.DateOnly), Standard: "SNI 8914:2020", TargetPrice: "Rp 4.000",
		Sites: []order.SiteInput{{ProvinceCode: "31", RegencyCode: "31.71", Address: "Gudang Jakarta", Quantity: "600.000"},
			{ProvinceCode: "73", RegencyCode: "73.71", Address: "Gudang Makassar", Quantity: "200.000"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Orders.Approve(ctx, b, demand, 1); err != nil {
		t.Fatal(err)
	}
	// A supplier with orders, a curator organisation, a week with orders
	// and curations, and an order: what the ministry's lists are behind.
	var subjects struct {
		Busy, QuietBuyer, CuratorOrg, OrderID int64
		Week, CuratedWeek, Product            string
	}
	err = app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT (SELECT supplier_org_id FROM orders GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1) AS busy,
       (SELECT buyer_org_id FROM orders GROUP BY 1 ORDER BY count(*), 1 LIMIT 1) AS quiet_buyer,
       (SELECT id FROM organizations WHERE kind = 'curator' ORDER BY id LIMIT 1) AS curator_org,
       (SELECT max(id) FROM orders WHERE buyer_org_id = (SELECT organization_id FROM memberships m JOIN users u ON u.id = m.user_id
                                                         WHERE u.email = 'pembeli@pasokan.test' ORDER BY m.organization_id LIMIT 1)) AS order_id,
       (SELECT to_char(date_trunc('week', max(created_at) AT TIME ZONE 'Asia/Jakarta'), 'YYYY-MM-DD') FROM orders) AS week,
       (SELECT to_char(date_trunc('week', max(occurred_at) AT TIME ZONE 'Asia/Jakarta'), 'YYYY-MM-DD') FROM audit_events
         WHERE action = 'application.curated') AS curated_week,
       (SELECT product_type FROM orders GROUP BY 1 ORDER BY count(*) DESC LIMIT 1) AS product`)
		var err error
		subjects, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[struct {
			Busy, QuietBuyer, CuratorOrg, OrderID int64
			Week, CuratedWeek, Product            string
		}])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	busy, curatorOrg, orderID := subjects.Busy, subjects.CuratorOrg, subjects.OrderID
	week, curatedWeek, product := subjects.Week, subjects.CuratedWeek, subjects.Product
	supplierOfOrder := app.Client(t)
	var ownerEmail string
	err = app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT u.email FROM orders o JOIN memberships m ON m.organization_id = o.supplier_org_id
  JOIN users u ON u.id = m.user_id WHERE o.id = $1 ORDER BY m.user_id LIMIT 1`, orderID).Scan(&ownerEmail)
	})
	if err != nil {
		t.Fatal(err)
	}
	supplierOfOrder.Login(ownerEmail, "pasokan-demo", "/supplier")
	// A typo of the name: its last word short of a letter.
	words := strings.Fields(name)
	typo := strings.Join(append(words[:len(words)-1:len(words)-1], words[len(words)-1][:len(words[len(words)-1])-1]), " ")
	// A place in the ministry's lists of requests, for their later pages:
	// the day needed and the time a step began are both times.
	later := database.Cursor{At: time.Now().UTC().Truncate(24 * time.Hour), ID: 1}

	pages := []struct {
		name string
		c    *testapp.Client
		path string
	}{
		{"home", visitor, "/"},
		{"verify", visitor, "/verify/" + code},
		{"supplier dashboard", supplier, "/supplier"},
		{"supplier application", supplier, "/supplier/application"},
		{"supplier profile", supplier, "/supplier/profile"},
		{"queue", curator, "/curation"},
		{"queue by province", curator, "/curation?province=32"},
		{"queue by name", curator, "/curation?q=Konveksi+Maju"},
		{"queue by a name of several words (the rarest pair walked)", curator, "/curation?q=Koperasi+Konveksi+Maju+Jaya"},
		{"queue by a word", curator, "/curation?q=jahit"},
		{"queue by two letters", curator, "/curation?q=cv"},
		{"queue by two letters that match nothing", curator, "/curation?q=zq"},
		{"queue by one letter", curator, "/curation?q=k"},
		{"curated queue by province", curator, "/curation?province=32&status=curated"},
		{"queue by a rare product", curator, "/curation?product=respirator"},
		{"queue by product", curator, "/curation?product=masker-kain"},
		{"queue of curated", curator, "/curation?status=curated"},
		{"queue unassigned", curator, "/curation?assignee=none"},
		{"queue by an NIB typed in groups", curator, "/curation?q=9120+0012+3456+7"},
		{"review", curator, review[1]},
		{"dashboard", ministry, "/admin"},
		{"organisations", ministry, "/admin/organizations"},
		{"curator organisations", ministry, "/admin/organizations?kind=curator"},
		{"buyer organisations", ministry, "/admin/organizations?kind=buyer"},
		{"supplier organisations", ministry, "/admin/organizations?kind=supplier"},
		{"organisations by a name", ministry, "/admin/organizations?q=Koperasi+Konveksi+Maju"},
		{"organisations by a word", ministry, "/admin/organizations?q=konveksi"},
		{"organisations by two letters", ministry, "/admin/organizations?q=cv"},
		{"curation across curators", ministry, "/admin/curation"},
		{"a supplier's organisation", ministry, fmt.Sprintf("/admin/organizations/%d", busy)},
		{"the organisation of the buyer with the fewest orders", ministry, fmt.Sprintf("/admin/organizations/%d", subjects.QuietBuyer)},
		{"audit log", ministry, "/admin/audit"},
		{"an organisation's audit log", ministry, fmt.Sprintf("/admin/audit?org=%d", busy)},
		{"figure: a province's curated", ministry, "/admin/figures/suppliers?province=32&status=curated"},
		{"figure: a province's rejected", ministry, "/admin/figures/suppliers?province=32&status=rejected"},
		{"figure: a province", ministry, "/admin/figures/suppliers?province=32"},
		{"figure: waiting", ministry, "/admin/figures/suppliers?status=waiting"},
		{"figure: a curator's", ministry, fmt.Sprintf("/admin/figures/suppliers?curator=%d&status=curated", curatorOrg)},
		{"figure: a week's curations", ministry, "/admin/figures/suppliers?curated_week=" + curatedWeek},
		{"figure: a product's listings", ministry, "/admin/figures/entries?product=" + product},
		{"figure: a product's orders", ministry, "/admin/figures/orders?measure=ordered&product=" + product},
		{"figure: a week's orders", ministry, "/admin/figures/orders?week=" + week},
		{"orders", ministry, "/admin/orders"},
		{"orders shipped", ministry, "/admin/orders?status=shipped"},
		{"an order", ministry, fmt.Sprintf("/admin/orders/%d", orderID)},
		{"demands", ministry, "/admin/demands"},
		{"materials", ministry, "/admin/materials"},
		{"materials, a later page", ministry, "/admin/materials?after=" + later.String()},
		{"permits", ministry, "/admin/permits"},
		{"permits, a later page", ministry, "/admin/permits?after=" + later.String()},
		{"buyer's orders", buyer, "/buyer/orders"},
		{"buyer's countered orders", buyer, "/buyer/orders?status=countered"},
		{"buyer's order", buyer, fmt.Sprintf("/buyer/orders/%d", orderID)},
		{"buyer's demands", buyer, "/buyer/demands"},
		{"supplier's orders", supplierOfOrder, "/supplier/orders"},
		{"supplier's order", supplierOfOrder, fmt.Sprintf("/supplier/orders/%d", orderID)},
		{"catalogue", buyer, "/catalog"},
		{"catalogue by product and province", buyer, "/catalog?product=masker-kain&province=32&sort=capacity"},
		{"catalogue by regency and capacity", buyer, "/catalog?regency=32.73&min_capacity=1000"},
		{"catalogue by a word", buyer, "/catalog?q=penjahit"},
		{"catalogue by a name and product", buyer, "/catalog?q=" + url.QueryEscape(name) + "&product=masker-kain"},
		{"catalogue by a typo", buyer, "/catalog?q=" + url.QueryEscape(typo)},
		{"catalogue by size and permit", buyer, "/catalog?size_class=mikro&permit=izin_edar&sort=curated"},
		{"catalogue supplier", buyer, "/catalog/" + slug},
		{"directory", visitor, "/directory"},
		{"directory by a word", visitor, "/directory?q=konveksi"},
		{"directory supplier", visitor, "/directory/" + slug},
		{"demand's plan", buyer, fmt.Sprintf("/buyer/demands/%d", demand)},
		{"demand's plan, favouring micro and outside Java", buyer, fmt.Sprintf("/buyer/demands/%d?favour_micro=1&favour_outside_java=1", demand)},
		// The story notifies as the portal does (demo.notifyStory): a
		// supplier's, a curation body's (thousands unread) and a buyer's.
		{"supplier's notifications", supplierOfOrder, "/notifications"},
		{"curator's notifications", curator, "/notifications"},
		{"buyer's notifications", buyer, "/notifications"},
	}
	for _, p := range pages {
		rec.take()
		trips := rec.trips.Load()
		rec.on.Store(true)
		r := p.c.Get(p.path)
		rec.on.Store(false)
		if r.StatusCode != 200 {
			t.Errorf("%s: %d", p.name, r.StatusCode)
			continue
		}
		stmts := rec.take()
		t.Logf("%s: %d round trips, %d statements", p.name, rec.trips.Load()-trips, len(stmts))
		if os.Getenv("PLAN_STATEMENTS") == p.name {
			for _, st := range stmts {
				t.Logf("  %s", firstLine(st.sql))
			}
		}
		explained := 0
		var scope []any
		var settings []string
		for _, st := range stmts {
			if strings.Contains(st.sql, "FROM sessions WHERE token") {
				// The session's statement sets the scope itself, from the
				// holder kept beside the session: the statements after it
				// run as that holder.
				rows, _ := app.DB.App.Pool.Query(ctx, `SELECT coalesce(user_id::text, '') AS user_id, coalesce(org_id::text, '') AS org_id
  FROM sessions WHERE token = $1`, st.args...)
				holder, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[struct{ UserID, OrgID string }])
				if err != nil {
					t.Fatalf("%s: the session's holder: %v", p.name, err)
				}
				scope, settings = []any{holder.UserID, holder.OrgID, "", ""}, nil
			} else if strings.Contains(st.sql, "set_config('pasokan.user_id'") {
				scope, settings = st.args, nil
				if m := scopeLiterals.FindStringSubmatch(st.sql); m != nil {
					// A transaction's BEGIN writes the scope as literals.
					scope = []any{m[1], m[2], m[3], m[4]}
				}
				continue
			}
			if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(st.sql)), "SET LOCAL") {
				settings = append(settings, st.sql)
				continue
			}
			trimmed := strings.ToUpper(strings.TrimSpace(st.sql))
			if !strings.HasPrefix(trimmed, "SELECT") && !strings.HasPrefix(trimmed, "WITH") {
				continue
			}
			plan, err := explain(ctx, app, scope, settings, st)
			if err != nil {
				t.Errorf("%s: explain %q: %v", p.name, firstLine(st.sql), err)
				continue
			}
			explained++
			problems := plan.problems()
			for _, problem := range problems {
				t.Errorf("%s: %s\n  in %s", p.name, problem, firstLine(st.sql))
			}
			if len(problems) > 0 {
				t.Logf("%s: the plan:\n%s", p.name, plan.outline(""))
			}
		}
		if explained == 0 {
			t.Errorf("%s: no statement recorded", p.name)
		}
		// Seen again, as most views are (what a process keeps drawn or
		// counted is kept), a page costs the session's round trip and its
		// own, a visitor's page its own: each round trip costs Postgres and
		// the server CPU of its own, whatever it reads (docs/SCALE.md).
		trips = rec.trips.Load()
		rec.on.Store(true)
		r = p.c.Get(p.path)
		rec.on.Store(false)
		rec.take()
		want := int64(2)
		if p.c == visitor {
			want = 1
		}
		if got := rec.trips.Load() - trips; r.StatusCode != 200 || got > want {
			t.Errorf("%s seen again: %d round trips to Postgres (status %d), want at most %d", p.name, got, r.StatusCode, want)
		}
	}
	// The assignment job reads the applications waiting for a curator
	// organisation every few seconds (River's own statements go through a
	// pool of their own, not recorded).
	rec.take()
	rec.on.Store(true)
	app.Assign(t)
	rec.on.Store(false)
	assignment := 0
	for _, st := range rec.take() {
		if !strings.Contains(st.sql, "FOR UPDATE SKIP LOCKED") {
			continue
		}
		assignment++
		plan, err := explain(ctx, app, []any{"", "", "", "system"}, nil, st)
		if err != nil {
			t.Errorf("assignment: explain: %v", err)
			continue
		}
		for _, problem := range plan.problems() {
			t.Errorf("assignment: %s\n  in %s", problem, firstLine(st.sql))
		}
	}
	if assignment == 0 {
		t.Error("the assignment's statement was not recorded")
	}
}

func firstLine(sql string) string {
	sql = strings.Join(strings.Fields(sql), " ")
	return sql[:min(len(sql), 120)]
}

// explain plans st in the scope its page set (the arguments of the scope
// statement) and with the settings its transaction made, as the role the
// server ran it as (the kind's, for an organisation's tenant scope).
func explain(ctx context.Context, app *testapp.App, scope []any, settings []string, st statement) (planNode, error) {
	var out planNode
	conn, err := app.DB.App.Pool.Acquire(ctx)
	if err != nil {
		return out, err
	}
	defer conn.Release()
	tx, err := conn.Begin(ctx)
	if err != nil {
		return out, err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
		return out, err
	}
	for _, set := range settings {
		if _, err := tx.Exec(ctx, set); err != nil {
			return out, err
		}
	}
	if scope != nil {
		// As the server runs it: a tenant scope of an organisation as its
		// kind's role, under the policies derived for it (migration 0052),
		// whose plans may differ from the application role's.
		if org, kind, mode := fmt.Sprint(scope[1]), fmt.Sprint(scope[2]), fmt.Sprint(scope[3]); mode == "" && org != "" && database.KindRoles[kind] != "" {
			if _, err := tx.Exec(ctx, `SET LOCAL ROLE `+pgx.Identifier{database.KindRoles[kind]}.Sanitize()); err != nil {
				return out, err
			}
		}
		if _, err := tx.Exec(ctx, `SELECT set_config('pasokan.user_id', $1, true), set_config('pasokan.org_id', $2, true),
       set_config('pasokan.org_kind', $3, true), set_config('pasokan.mode', $4, true)`, scope...); err != nil {
			return out, err
		}
	}
	// The server's connections use generic plans (plan_cache_mode): explain
	// the generic plan of the statement prepared as pgx prepares it.
	sql, args := st.sql, st.args
	if len(args) == 1 {
		if named, ok := args[0].(pgx.NamedArgs); ok {
			if sql, args, err = named.RewriteQuery(ctx, conn.Conn(), sql, args); err != nil {
				return out, err
			}
		}
	}
	if _, err := tx.Exec(ctx, `SET LOCAL plan_cache_mode = force_generic_plan`); err != nil {
		return out, err
	}
	if _, err := tx.Conn().Prepare(ctx, "plan_check", sql); err != nil {
		return out, err
	}
	defer func() { _ = conn.Conn().Deallocate(context.WithoutCancel(ctx), "plan_check") }()
	// EXECUTE takes its arguments as text: pgx writes them in (the simple
	// protocol), quoted.
	execute := "EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE plan_check"
	if len(args) > 0 {
		params := make([]string, len(args))
		for i := range args {
			params[i] = fmt.Sprintf("$%d", i+1)
		}
		execute += "(" + strings.Join(params, ", ") + ")"
	}
	var raw []byte
	if err := tx.QueryRow(ctx, execute, append([]any{pgx.QueryExecModeSimpleProtocol}, args...)...).Scan(&raw); err != nil {
		return out, err
	}
	var plans []struct {
		Plan planNode `json:"Plan"`
	}
	if err := json.Unmarshal(raw, &plans); err != nil || len(plans) != 1 {
		return out, fmt.Errorf("plan %s: %v", raw, err)
	}
	return plans[0].Plan, nil
}
