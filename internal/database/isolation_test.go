package database_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
)

// tenantTables are the tables under row-level security.
var tenantTables = []string{"users", "organizations", "memberships", "invitations", "audit_events", "email_outbox",
	"supplier_profiles", "applications", "application_products", "documents", "application_events",
	"application_snapshots", "application_flags", "signals", "notifications"}

type fixture struct {
	orgA, orgB, userA, userB int64
}

// seedTwoTenants writes two supplier organisations with one owner each, and a
// row in every tenant table for each, acting as the system.
func seedTwoTenants(t *testing.T, db *database.DB) fixture {
	t.Helper()
	var f fixture
	err := db.Tx(context.Background(), database.System(), func(tx pgx.Tx) error {
		ctx := context.Background()
		for _, p := range []struct {
			org, user *int64
			slug      string
		}{{&f.orgA, &f.userA, "a"}, {&f.orgB, &f.userB, "b"}} {
			if err := tx.QueryRow(ctx, `INSERT INTO organizations (kind, name, slug) VALUES ('supplier', $1, $2) RETURNING id`,
				"Usaha "+p.slug, "usaha-"+p.slug).Scan(p.org); err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, 'x') RETURNING id`,
				p.slug+"@example.test", "Pemilik "+p.slug).Scan(p.user); err != nil {
				return err
			}
			stmts := []string{
				`INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, 'owner')`,
				`INSERT INTO invitations (organization_id, email, role, token_hash, invited_by, expires_at) VALUES ($1::bigint, 'x' || $2::bigint || '@example.test', 'member', decode(md5($2::bigint::text), 'hex'), $2::bigint, now() + interval '1 day')`,
				`INSERT INTO audit_events (organization_id, actor_user_id, action) VALUES ($1, $2, 'test.seed')`,
				`INSERT INTO email_outbox (organization_id, kind, to_address, subject, body_text) VALUES ($1::bigint, 'test', $2::bigint || '@example.test', 's', 'b')`,
				`INSERT INTO supplier_profiles (organization_id, legal_name, updated_by) VALUES ($1, 'PT Uji', $2)`,
				`INSERT INTO applications (organization_id) SELECT $1 WHERE $2::bigint > 0`,
				`INSERT INTO application_products (application_id, organization_id, product_type, monthly_capacity, price_min, price_max)
				   SELECT id, $1, 'masker-kain', 1000, 2000, 3000 FROM applications WHERE organization_id = $1 AND $2::bigint > 0`,
				`INSERT INTO documents (organization_id, application_id, kind, file_name, content_type, size_bytes, sha256, data, uploaded_by)
				   SELECT $1, id, 'photo', 'a.png', 'image/png', 1, sha256($2::bigint::text::bytea), '\x00', $2 FROM applications WHERE organization_id = $1`,
				`INSERT INTO application_events (application_id, organization_id, actor_user_id, action, version)
				   SELECT id, $1, $2, 'created', 1 FROM applications WHERE organization_id = $1`,
				`INSERT INTO application_snapshots (application_id, submission, organization_id, snapshot)
				   SELECT id, 1, $1, jsonb_build_object('by', $2::bigint) FROM applications WHERE organization_id = $1`,
				`INSERT INTO application_flags (application_id, organization_id, submission, target, target_key, reason, created_by)
				   SELECT id, $1, 1, 'field', 'nib', 'cek', $2 FROM applications WHERE organization_id = $1`,
				`INSERT INTO signals (application_id, organization_id, kind, other_organization_id)
				   SELECT id, $1, 'nib', $1 FROM applications WHERE organization_id = $1 AND $2::bigint > 0`,
				`INSERT INTO notifications (organization_id, user_id, key) VALUES ($1, $2, 'test')`,
			}
			for _, s := range stmts {
				if _, err := tx.Exec(ctx, s, *p.org, *p.user); err != nil {
					return err
				}
			}
		}
		return nil
	})
	dbtest.Must(t, err)
	return f
}

func count(t *testing.T, q pgx.Tx, table string) int {
	t.Helper()
	var n int
	if err := q.QueryRow(context.Background(), `SELECT count(*) FROM `+pgx.Identifier{table}.Sanitize()).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func TestNoTenantSetReadsNothing(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	seedTwoTenants(t, db.App)
	ctx := context.Background()

	// A bare transaction, no settings at all.
	tx, err := db.App.Pool.Begin(ctx)
	dbtest.Must(t, err)
	defer tx.Rollback(ctx)
	for _, table := range tenantTables {
		if n := count(t, tx, table); n != 0 {
			t.Errorf("%s: %d rows visible with no tenant set, want 0", table, n)
		}
	}
	// And the zero Scope through the helper is just as blind.
	err = db.App.ReadTx(ctx, database.Scope{}, func(tx pgx.Tx) error {
		for _, table := range tenantTables {
			if n := count(t, tx, table); n != 0 {
				t.Errorf("%s: %d rows visible with an empty scope, want 0", table, n)
			}
		}
		return nil
	})
	dbtest.Must(t, err)

	// The system sees both tenants: the rows are there.
	err = db.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		for _, table := range tenantTables {
			if n := count(t, tx, table); n < 2 {
				t.Errorf("system sees %d rows of %s, want at least 2", n, table)
			}
		}
		return nil
	})
	dbtest.Must(t, err)
}

func TestTenantCannotReachAnotherTenant(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	f := seedTwoTenants(t, db.App)
	asA := database.Scope{UserID: f.userA, OrgID: f.orgA, OrgKind: "supplier"}
	// As the suppliers' role, under the policies derived for it, and as the
	// application's, under the tables' own (migration 0052).
	for _, s := range []database.Scope{asA, asA.Widening()} {
		tenantCannotReachAnother(t, db, f, s)
	}
}

func tenantCannotReachAnother(t *testing.T, db *dbtest.DB, f fixture, asA database.Scope) {
	ctx := context.Background()
	err := db.App.Tx(ctx, asA, func(tx pgx.Tx) error {
		// Every tenant table shows A's rows only.
		for _, q := range []string{
			`SELECT count(*) FROM organizations WHERE id = $1`,
			`SELECT count(*) FROM memberships WHERE organization_id = $1`,
			`SELECT count(*) FROM invitations WHERE organization_id = $1`,
			`SELECT count(*) FROM audit_events WHERE organization_id = $1`,
			`SELECT count(*) FROM email_outbox WHERE organization_id = $1`,
			`SELECT count(*) FROM supplier_profiles WHERE organization_id = $1`,
			`SELECT count(*) FROM applications WHERE organization_id = $1`,
			`SELECT count(*) FROM application_products WHERE organization_id = $1`,
			`SELECT count(*) FROM documents WHERE organization_id = $1`,
			`SELECT count(*) FROM application_events WHERE organization_id = $1`,
			`SELECT count(*) FROM application_snapshots WHERE organization_id = $1`,
			`SELECT count(*) FROM application_flags WHERE organization_id = $1`,
			`SELECT count(*) FROM signals WHERE organization_id = $1`,
			`SELECT count(*) FROM notifications WHERE organization_id = $1`,
		} {
			var n int
			if err := tx.QueryRow(ctx, q, f.orgB).Scan(&n); err != nil {
				return err
			}
			if n != 0 {
				t.Errorf("%s with B's id: %d rows, want 0", q, n)
			}
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM users WHERE id = $1`, f.userB).Scan(&n); err != nil {
			return err
		}
		if n != 0 {
			t.Errorf("A sees B's user")
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM organizations WHERE id = $1`, f.orgA).Scan(&n); err != nil {
			return err
		}
		if n != 1 {
			t.Errorf("A does not see itself: %d", n)
		}
		// Updates and deletes aimed at B touch nothing.
		for _, q := range []string{
			`UPDATE organizations SET name = 'diambil alih' WHERE id = $1`,
			`UPDATE memberships SET role = 'member' WHERE organization_id = $1`,
			`UPDATE invitations SET revoked_at = now() WHERE organization_id = $1`,
			`DELETE FROM memberships WHERE organization_id = $1`,
			`UPDATE supplier_profiles SET legal_name = 'x' WHERE organization_id = $1`,
			`UPDATE applications SET status = 'curated' WHERE organization_id = $1`,
			`UPDATE documents SET removed_at = now() WHERE organization_id = $1`,
			`DELETE FROM application_products WHERE organization_id = $1`,
		} {
			tag, err := tx.Exec(ctx, q, f.orgB)
			if err != nil {
				return err
			}
			if tag.RowsAffected() != 0 {
				t.Errorf("%s: changed %d of B's rows", q, tag.RowsAffected())
			}
		}
		if tag, err := tx.Exec(ctx, `UPDATE users SET name = 'x' WHERE id = $1`, f.userB); err != nil || tag.RowsAffected() != 0 {
			t.Errorf("update of B's user: %v, %d rows", err, tag.RowsAffected())
		}
		return nil
	})
	dbtest.Must(t, err)

	// Inserting rows into B is refused outright.
	for _, q := range []string{
		`INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, 'admin')`,
		`INSERT INTO invitations (organization_id, email, role, token_hash, expires_at) VALUES ($1, 'x@example.test', 'admin', '\x01', now())`,
		`INSERT INTO audit_events (organization_id, action) VALUES ($1, 'forged')`,
		`INSERT INTO supplier_profiles (organization_id) VALUES ($1) ON CONFLICT DO NOTHING`,
		`INSERT INTO applications (organization_id, programme) VALUES ($1, 'lain')`,
	} {
		err := db.App.Tx(ctx, asA, func(tx pgx.Tx) error {
			args := []any{f.orgB}
			if q[12:23] == "memberships" {
				args = append(args, f.userA)
			}
			_, err := tx.Exec(ctx, q, args...)
			return err
		})
		if !errors.Is(err, database.ErrForbidden) {
			t.Errorf("%s: err = %v, want ErrForbidden", q, err)
		}
	}
	// A supplier cannot create organisations of other kinds either.
	err = db.App.Tx(ctx, asA, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO organizations (kind, name, slug) VALUES ('ministry', 'Palsu', 'palsu')`)
		return err
	})
	if !errors.Is(err, database.ErrForbidden) {
		t.Errorf("supplier creating a ministry: err = %v, want ErrForbidden", err)
	}

	// Nothing of B changed.
	err = db.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		var name string
		var members int
		if err := tx.QueryRow(ctx, `SELECT name, (SELECT count(*) FROM memberships WHERE organization_id = $1 AND role = 'owner') FROM organizations WHERE id = $1`, f.orgB).Scan(&name, &members); err != nil {
			return err
		}
		if name != "Usaha b" || members != 1 {
			t.Errorf("B changed: name %q, owners %d", name, members)
		}
		return nil
	})
	dbtest.Must(t, err)
}

func TestSettingsDoNotLeakAcrossTransactions(t *testing.T) {
	t.Parallel()
	tdb := dbtest.New(t)
	ctx := context.Background()
	// One connection only, so every transaction below reuses it.
	db, err := database.Open(ctx, tdb.AppURL, database.Options{MaxConns: 1})
	dbtest.Must(t, err)
	defer db.Close()
	f := seedTwoTenants(t, db)

	asA := database.Scope{UserID: f.userA, OrgID: f.orgA, OrgKind: "supplier"}
	var pidA int
	dbtest.Must(t, db.Tx(ctx, asA, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&pidA)
	}))
	// A transaction that fails half-way must not leave its settings either.
	_ = db.Tx(ctx, asA, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `SELECT 1/0`)
		return err
	})

	// The supplier's work runs on the suppliers' pool (one connection).
	tx, err := db.PoolFor(asA).Begin(ctx)
	dbtest.Must(t, err)
	defer tx.Rollback(ctx)
	rows, _ := tx.Query(ctx, `SELECT pg_backend_pid() AS pid, coalesce(current_setting('pasokan.org_id', true), '') AS org,
		coalesce(current_setting('pasokan.user_id', true), '') AS user, coalesce(current_setting('pasokan.mode', true), '') AS mode`)
	left, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[struct {
		PID             int
		Org, User, Mode string
	}])
	dbtest.Must(t, err)
	pid, org, user, mode := left.PID, left.Org, left.User, left.Mode
	if pid != pidA {
		t.Fatalf("test did not reuse the connection (pid %d then %d)", pidA, pid)
	}
	if org != "" || user != "" || mode != "" {
		t.Errorf("settings leaked to the next transaction: org %q user %q mode %q", org, user, mode)
	}
	for _, table := range tenantTables {
		if n := count(t, tx, table); n != 0 {
			t.Errorf("%s: %d rows visible after a scoped transaction ended", table, n)
		}
	}
}

func TestAppRoleCannotBypass(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	dbtest.Must(t, db.App.CheckAppRole(ctx))

	owner, err := database.Open(ctx, db.OwnerURL, database.Options{MaxConns: 1})
	dbtest.Must(t, err)
	defer owner.Close()
	if err := owner.CheckAppRole(ctx); err == nil {
		t.Error("CheckAppRole accepted the schema owner")
	}

	seedTwoTenants(t, db.App)
	// The audit trail is append-only for the server's role.
	for _, q := range []string{`UPDATE audit_events SET action = 'x'`, `DELETE FROM audit_events`, `TRUNCATE audit_events`,
		`UPDATE application_events SET action = 'x'`, `DELETE FROM application_events`, `TRUNCATE application_events`,
		`UPDATE application_snapshots SET snapshot = '{}'`, `DELETE FROM application_snapshots`,
		`UPDATE reviews SET passed = true`, `DELETE FROM reviews`} {
		err := db.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, q)
			return err
		})
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
			t.Errorf("%s as the app role: err = %v, want permission denied", q, err)
		}
	}
	// Nor can it switch row-level security off.
	err = db.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `ALTER TABLE organizations DISABLE ROW LEVEL SECURITY`)
		return err
	})
	if err == nil {
		t.Error("the app role disabled row-level security")
	}
}

// The one-round-trip read path applies the scope to its query, sees nothing
// without one, and leaves nothing behind on the connection.
func TestQueryRowIsScopedAndDoesNotLeak(t *testing.T) {
	t.Parallel()
	tdb := dbtest.New(t)
	ctx := context.Background()
	db, err := database.Open(ctx, tdb.AppURL, database.Options{MaxConns: 1})
	dbtest.Must(t, err)
	defer db.Close()
	f := seedTwoTenants(t, db)
	countOrgs := func(s database.Scope) (n int) {
		t.Helper()
		dbtest.Must(t, db.QueryRow(ctx, s, `SELECT count(*) FROM organizations`, nil, func(r pgx.Row) error { return r.Scan(&n) }))
		return n
	}
	if n := countOrgs(database.Scope{UserID: f.userA, OrgID: f.orgA, OrgKind: "supplier"}); n != 1 {
		t.Errorf("A sees %d organisations, want 1", n)
	}
	if n := countOrgs(database.Scope{}); n != 0 {
		t.Errorf("no scope sees %d organisations", n)
	}
	if n := countOrgs(database.System()); n != 2 {
		t.Errorf("system sees %d organisations", n)
	}
	var org string
	dbtest.Must(t, db.QueryRow(ctx, database.Scope{OrgID: f.orgA}, `SELECT 1`, nil, func(r pgx.Row) error { var x int; return r.Scan(&x) }))
	dbtest.Must(t, db.Pool.QueryRow(ctx, `SELECT coalesce(current_setting('pasokan.org_id', true), '')`).Scan(&org))
	if org != "" {
		t.Errorf("the batch's setting leaked: %q", org)
	}
	err = db.QueryRow(ctx, database.System(), `SELECT id FROM organizations WHERE id = -1`, nil, func(r pgx.Row) error { var x int64; return r.Scan(&x) })
	if !errors.Is(err, database.ErrNotFound) {
		t.Errorf("no row: %v, want ErrNotFound", err)
	}
}

// A supplier cannot curate itself, even with a hand-written query.
func TestSupplierCannotMoveItsApplicationPastSubmitted(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	f := seedTwoTenants(t, db.App)
	ctx := context.Background()
	asA := database.Scope{UserID: f.userA, OrgID: f.orgA, OrgKind: "supplier"}
	for _, to := range []string{"in_review", "curated", "rejected", "revision_requested"} {
		err := db.App.Tx(ctx, asA, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE applications SET status = $1 WHERE organization_id = $2`, to, f.orgA)
			return err
		})
		if !errors.Is(err, database.ErrForbidden) {
			t.Errorf("draft -> %s by the supplier: %v, want ErrForbidden", to, err)
		}
	}
	err := db.App.Tx(ctx, asA, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE applications SET status = 'submitted' WHERE organization_id = $1`, f.orgA)
		return err
	})
	dbtest.Must(t, err)
	err = db.App.Tx(ctx, asA, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO applications (organization_id, programme, status) VALUES ($1, 'lain', 'curated')`, f.orgA)
		return err
	})
	if !errors.Is(err, database.ErrForbidden) {
		t.Errorf("inserting a curated application: %v", err)
	}
}

// A supplier cannot pick its curator organisation.
func TestSupplierCannotChooseItsCurators(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	f := seedTwoTenants(t, db.App)
	ctx := context.Background()
	asA := database.Scope{UserID: f.userA, OrgID: f.orgA, OrgKind: "supplier"}
	err := db.App.Tx(ctx, asA, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE applications SET assigned_org_id = $1 WHERE organization_id = $1`, f.orgA)
		return err
	})
	if !errors.Is(err, database.ErrForbidden) {
		t.Errorf("supplier assigning its application: %v, want ErrForbidden", err)
	}
}
