package database_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
)

// A unit of work acting for one organisation in the tenant mode runs as its
// kind's role; every other runs as the application's (migration 0052).
func TestEachScopeRunsAsItsRole(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	for _, c := range []struct {
		name  string
		scope database.Scope
		want  string
	}{
		{"supplier", database.Scope{UserID: 1, OrgID: 1, OrgKind: "supplier"}, "pasokan_supplier"},
		{"curator", database.Scope{UserID: 1, OrgID: 1, OrgKind: "curator"}, "pasokan_curator"},
		{"buyer", database.Scope{UserID: 1, OrgID: 1, OrgKind: "buyer"}, "pasokan_buyer"},
		{"ministry", database.Scope{UserID: 1, OrgID: 1, OrgKind: "ministry"}, "pasokan_ministry"},
		{"system", database.System(), database.AppRole},
		{"auth", database.Auth(), database.AppRole},
		{"nobody", database.Scope{}, database.AppRole},
		{"a user without an organisation", database.Scope{UserID: 1}, database.AppRole},
		{"a kind without an organisation", database.Scope{UserID: 1, OrgKind: "ministry"}, database.AppRole},
		{"a ministry's organisation in the system mode", database.Scope{UserID: 1, OrgID: 1, OrgKind: "ministry", Mode: database.ModeSystem}, database.AppRole},
		{"an unknown kind", database.Scope{UserID: 1, OrgID: 1, OrgKind: "other"}, database.AppRole},
		{"a ministry's widening transaction", database.Scope{UserID: 1, OrgID: 1, OrgKind: "ministry"}.Widening(), database.AppRole},
	} {
		var viaTx, viaRead string
		dbtest.Must(t, db.App.ReadTx(ctx, c.scope, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT current_user`).Scan(&viaTx)
		}))
		dbtest.Must(t, db.App.QueryRow(ctx, c.scope, `SELECT current_user`, nil, func(r pgx.Row) error { return r.Scan(&viaRead) }))
		if viaTx != c.want || viaRead != c.want {
			t.Errorf("%s: runs as %q in a transaction, %q in a read, want %q", c.name, viaTx, viaRead, c.want)
		}
	}
	dbtest.Must(t, db.App.CheckAppRole(ctx))

	// A kind's role cannot take another scope part-way; a widening
	// transaction, as the application's role, can.
	ministry := database.Scope{UserID: 1, OrgID: 1, OrgKind: "ministry"}
	err := db.App.Tx(ctx, ministry, func(tx pgx.Tx) error { return database.SetScope(ctx, tx, database.System()) })
	if err == nil || !strings.Contains(err.Error(), "Widening") {
		t.Errorf("the ministry's role took the system's scope: %v", err)
	}
	dbtest.Must(t, db.App.Tx(ctx, ministry.Widening(), func(tx pgx.Tx) error { return database.SetScope(ctx, tx, database.System()) }))
}

// The kind roles have exactly the application's privileges, each of the
// application's policies derived for each kind with the settings its scope
// fixes written in, and no policy of the portal's applies to everyone.
func TestKindRolesAreTheApplicationsInTheirScope(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	owner, err := pgx.Connect(ctx, db.OwnerURL)
	dbtest.Must(t, err)
	defer owner.Close(ctx)

	// Privileges: schemas, relations, columns, functions.
	const privileges = `WITH objects AS (
    SELECT 'schema ' || nspname AS object, nspacl AS acl FROM pg_namespace WHERE nspname IN ('public', 'river')
    UNION ALL
    SELECT 'relation ' || c.oid::regclass, c.relacl FROM pg_class c
     WHERE c.relnamespace IN ('public'::regnamespace, 'river'::regnamespace)
    UNION ALL
    SELECT 'column ' || c.oid::regclass || '.' || a.attname, a.attacl FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
     WHERE c.relnamespace IN ('public'::regnamespace, 'river'::regnamespace) AND a.attnum > 0
    UNION ALL
    SELECT 'function ' || f.oid::regprocedure, f.proacl FROM pg_proc f
     WHERE f.pronamespace IN ('public'::regnamespace, 'river'::regnamespace))
SELECT o.object || ' ' || e.privilege_type
  FROM objects o, aclexplode(o.acl) e
 WHERE e.grantee = $1::regrole
 ORDER BY 1`
	read := func(role string) []string {
		rows, _ := owner.Query(ctx, privileges, role)
		got, err := pgx.CollectRows(rows, pgx.RowTo[string])
		dbtest.Must(t, err)
		return got
	}
	app := read(database.AppRole)
	if len(app) < 100 {
		t.Fatalf("the application's role has %d privileges; the query reads the wrong thing", len(app))
	}
	for _, role := range database.KindRoles {
		if got := read(role); strings.Join(got, "\n") != strings.Join(app, "\n") {
			t.Errorf("%s has %d privileges, the application %d:\n%s", role, len(got), len(app), diff(app, got))
		}
	}

	// Policies: each of the application's, once per kind; none left to
	// everyone; no setting a kind's scope fixes still read in a derived one.
	var public int
	dbtest.Must(t, owner.QueryRow(ctx, `SELECT count(*) FROM pg_policy WHERE polroles = '{0}'`).Scan(&public))
	if public != 0 {
		t.Errorf("%d policies apply to every role", public)
	}
	type policy struct {
		Table, Name, Role, Expr string
	}
	rows, _ := owner.Query(ctx, `SELECT polrelid::regclass::text AS table, polname AS name, r.rolname AS role,
       coalesce(pg_get_expr(polqual, polrelid), '') || ' ' || coalesce(pg_get_expr(polwithcheck, polrelid), '') AS expr
  FROM pg_policy p, unnest(p.polroles) u(role) JOIN pg_roles r ON r.oid = u.role
 ORDER BY 1, 2, 3`)
	policies, err := pgx.CollectRows(rows, pgx.RowToStructByName[policy])
	dbtest.Must(t, err)
	sources := map[string]bool{}
	derived := map[string]bool{}
	for _, p := range policies {
		switch p.Role {
		case database.AppRole:
			sources[p.Table+" "+p.Name] = true
		case database.OwnerRole:
		default:
			kind := strings.TrimPrefix(p.Role, "pasokan_")
			if database.KindRoles[kind] != p.Role {
				t.Errorf("%s on %s applies to %s", p.Name, p.Table, p.Role)
				continue
			}
			derived[p.Table+" "+strings.TrimSuffix(p.Name, "__"+kind)+" "+kind] = true
			for _, fixed := range []string{"app_mode()", "app_org_kind()", "app_is_ministry()", "app_curator_org_id()"} {
				if strings.Contains(p.Expr, fixed) {
					t.Errorf("%s on %s still reads %s: %s", p.Name, p.Table, fixed, p.Expr)
				}
			}
			if kind != "curator" && strings.Contains(p.Expr, "app_assigned(") {
				t.Errorf("%s on %s reads a curator's assignment: %s", p.Name, p.Table, p.Expr)
			}
		}
	}
	if len(sources) < 100 {
		t.Fatalf("%d policies of the application's; the query reads the wrong thing", len(sources))
	}
	for s := range sources {
		for kind := range database.KindRoles {
			if !derived[s+" "+kind] {
				t.Errorf("policy %s is not derived for %s", s, kind)
			}
			delete(derived, s+" "+kind)
		}
	}
	for d := range derived {
		t.Errorf("derived policy %s has no source", d)
	}

	// In step: the migrator's sync has nothing left to do.
	var changed int
	dbtest.Must(t, owner.QueryRow(ctx, `SELECT app_sync_kind_roles()`).Scan(&changed))
	if changed != 0 {
		t.Errorf("the sync changed %d objects after the migrations", changed)
	}
}

// A table and policy added by a later migration are the kind roles' too
// once the migrator has run, and each kind reads through its policy what
// the application reads in that kind's scope.
func TestALaterPolicyIsDerivedForEveryKind(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	owner, err := pgx.Connect(ctx, db.OwnerURL)
	dbtest.Must(t, err)
	defer owner.Close(ctx)
	for _, q := range []string{
		`CREATE TABLE later (organization_id bigint NOT NULL, assigned_org_id bigint, note text)`,
		`ALTER TABLE later ENABLE ROW LEVEL SECURITY`,
		`GRANT SELECT ON later TO pasokan_app`,
		`GRANT UPDATE (note) ON later TO pasokan_app`,
		`CREATE POLICY later_select ON later FOR SELECT USING (organization_id = (SELECT app_org_id())
		   OR (SELECT app_is_ministry()) OR (SELECT app_mode()) = 'system'
		   OR ((SELECT app_org_kind()) = 'curator' AND assigned_org_id = (SELECT app_curator_org_id())))`,
		`INSERT INTO later VALUES (10, NULL, 'a'), (11, 12, 'b'), (13, NULL, 'c')`,
	} {
		if _, err := owner.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var before bool
	dbtest.Must(t, owner.QueryRow(ctx, `SELECT has_table_privilege('pasokan_supplier', 'later', 'SELECT')`).Scan(&before))
	if before {
		t.Fatal("the supplier's role may read the new table before the migrator ran")
	}
	dbtest.Must(t, database.Migrate(ctx, db.OwnerURL, nil))

	type want struct {
		scope database.Scope
		notes string
	}
	for _, c := range []want{
		{database.Scope{UserID: 1, OrgID: 10, OrgKind: "supplier"}, "a"},
		{database.Scope{UserID: 1, OrgID: 11, OrgKind: "buyer"}, "b"},
		{database.Scope{UserID: 1, OrgID: 12, OrgKind: "supplier"}, ""},
		{database.Scope{UserID: 1, OrgID: 12, OrgKind: "curator"}, "b"},
		{database.Scope{UserID: 1, OrgID: 99, OrgKind: "ministry"}, "a b c"},
		{database.Scope{UserID: 1, OrgID: 99, OrgKind: "curator"}, ""},
		{database.System(), "a b c"},
		{database.Scope{}, ""},
	} {
		var got string
		dbtest.Must(t, db.App.QueryRow(ctx, c.scope, `SELECT coalesce(string_agg(note, ' ' ORDER BY note), '') FROM later`, nil,
			func(r pgx.Row) error { return r.Scan(&got) }))
		if got != c.notes {
			t.Errorf("%+v reads %q, want %q", c.scope, got, c.notes)
		}
	}
	var updates bool
	dbtest.Must(t, owner.QueryRow(ctx, `SELECT has_column_privilege('pasokan_curator', 'later', 'note', 'UPDATE')
	   AND NOT has_column_privilege('pasokan_curator', 'later', 'organization_id', 'UPDATE')`).Scan(&updates))
	if !updates {
		t.Error("the curator's role does not have the application's column privileges on the new table")
	}

	// A grant taken back from the application is taken back from the kinds.
	_, err = owner.Exec(ctx, `REVOKE SELECT ON later FROM pasokan_app`)
	dbtest.Must(t, err)
	dbtest.Must(t, database.Migrate(ctx, db.OwnerURL, nil))
	var still bool
	dbtest.Must(t, owner.QueryRow(ctx, `SELECT has_table_privilege('pasokan_buyer', 'later', 'SELECT')`).Scan(&still))
	if still {
		t.Error("the buyer's role still reads the table the application may no longer read")
	}
}

func diff(want, got []string) string {
	in := func(xs []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range xs {
			m[x] = true
		}
		return m
	}
	w, g := in(want), in(got)
	var b strings.Builder
	for _, x := range want {
		if !g[x] {
			b.WriteString("  missing " + x + "\n")
		}
	}
	for _, x := range got {
		if !w[x] {
			b.WriteString("  extra " + x + "\n")
		}
	}
	return b.String()
}

// Every pool's connections plan as the pages were measured (openPool): no
// JIT, generic plans, and no parallel workers, whatever the database's
// own settings.
func TestEveryPoolPlansAsMeasured(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	for _, s := range []database.Scope{database.System(), {UserID: 1, OrgID: 1, OrgKind: "supplier"},
		{UserID: 1, OrgID: 1, OrgKind: "curator"}, {UserID: 1, OrgID: 1, OrgKind: "buyer"}, {UserID: 1, OrgID: 1, OrgKind: "ministry"}} {
		var got string
		dbtest.Must(t, db.App.QueryRow(ctx, s, `SELECT concat_ws(' ', current_user, current_setting('jit'), current_setting('plan_cache_mode'),
       current_setting('max_parallel_workers_per_gather'), current_setting('random_page_cost'))`, nil,
			func(r pgx.Row) error { return r.Scan(&got) }))
		if _, rest, _ := strings.Cut(got, " "); rest != "off force_generic_plan 0 1.1" {
			t.Errorf("%s: %q, want off force_generic_plan 0 1.1", got, rest)
		}
	}
}
