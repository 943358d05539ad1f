package testapp

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
)

// AddMaterialRequests stores n raw-material requests of the first supplier
// behind the portal's back (in its system mode), so that the ministry's
// list runs to several pages: needed over the next week, many on the same
// day; every third spunbond, the rest elastic; every tenth closed.
func (a *App) AddMaterialRequests(t testing.TB, n int) {
	t.Helper()
	ctx := context.Background()
	if err := a.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO material_requests (organization_id, material, quantity, unit, needed_by, status, created_by)
SELECT o.id, CASE WHEN g % 3 = 0 THEN 'spunbond' ELSE 'elastic' END, 10 + g, 'kg',
       current_date + (g % 7), CASE WHEN g % 10 = 0 THEN 'closed' ELSE 'requested' END, o.user_id
  FROM generate_series(1, $1::int) g
 CROSS JOIN (SELECT m.organization_id AS id, m.user_id FROM memberships m JOIN organizations g ON g.id = m.organization_id
              WHERE g.kind = 'supplier' ORDER BY g.id, m.user_id LIMIT 1) o`, n)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// AddPermitRequests stores a permit-help request of each kind for each of
// the first two product types of every supplier that has none open for
// them, behind the portal's back, so that the ministry's list runs to
// several pages: their steps began on one of three days, many at the same
// time; every fourth supplier's have been submitted, the others' wait.
func (a *App) AddPermitRequests(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	if err := a.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO permit_requests (organization_id, product_type, permit_kind, status, status_changed_at, created_by)
SELECT o.id, p.code, k.kind, CASE WHEN o.n % 4 = 0 THEN 'submitted' ELSE 'requested' END,
       date_trunc('day', now()) - (o.n % 3) * interval '1 day', o.user_id
  FROM (SELECT g.id, m.user_id, row_number() OVER (ORDER BY g.id) AS n
          FROM organizations g JOIN LATERAL (SELECT user_id FROM memberships WHERE organization_id = g.id LIMIT 1) m ON true
         WHERE g.kind = 'supplier') o
 CROSS JOIN (SELECT code FROM product_types ORDER BY code LIMIT 2) p
 CROSS JOIN (VALUES ('akd'), ('pkd'), ('sni'), ('lab_test')) k (kind)
 WHERE NOT EXISTS (SELECT 1 FROM permit_requests r WHERE r.organization_id = o.id AND r.product_type = p.code
                      AND r.permit_kind = k.kind)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}
