package server_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/testapp"
)

// TestKeptTablesFollowTheRowsChanged: a statement that changes many rows
// at once (a seed's chunk, a bulk correction) has the triggers that keep
// application_places and session_holders read those tables by key, as
// many rows as the statement touches, never the whole table. Planned
// under their policies, the triggers had walked the kept table once for
// the statement and compared it with every changed row (a seed's chunks
// grew with the square of the suppliers). What the transaction read of
// each table comes from Postgres's own counters
// (pg_stat_xact_user_tables), not from a clock.
func TestKeptTablesFollowTheRowsChanged(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 600)
	ctx := context.Background()
	cases := []struct {
		what, table string
		// touched counts the kept table's rows the change concerns, before
		// it runs; change makes it, on the 120 lowest organisations (or
		// applications) of a kind.
		touched, change string
	}{
		{"supplier profiles moved to another province", "application_places",
			`SELECT count(*) FROM applications WHERE organization_id IN (
   SELECT organization_id FROM supplier_profiles WHERE province_code <> '33' ORDER BY organization_id LIMIT 120)`,
			`UPDATE supplier_profiles SET province_code = '33', regency_code = '33.74'
 WHERE organization_id IN (SELECT organization_id FROM supplier_profiles WHERE province_code <> '33' ORDER BY organization_id LIMIT 120)`},
		{"applications taken into review", "application_places",
			`SELECT least(count(*), 120) FROM applications WHERE status = 'submitted'`,
			`UPDATE applications SET status = 'in_review'
 WHERE id IN (SELECT id FROM applications WHERE status = 'submitted' ORDER BY id LIMIT 120)`},
		{"organisations renamed", "session_holders",
			`SELECT count(*) FROM memberships WHERE organization_id IN (SELECT id FROM organizations ORDER BY id LIMIT 120)`,
			`UPDATE organizations SET name = name || ' (baru)' WHERE id IN (SELECT id FROM organizations ORDER BY id LIMIT 120)`},
		{"users renamed", "session_holders",
			`SELECT count(*) FROM memberships WHERE user_id IN (SELECT id FROM users ORDER BY id LIMIT 120)`,
			`UPDATE users SET name = name || ' Baru' WHERE id IN (SELECT id FROM users ORDER BY id LIMIT 120)`},
		{"memberships removed", "session_holders",
			`SELECT count(*) FROM (SELECT 1 FROM memberships m JOIN organizations o ON o.id = m.organization_id
  WHERE o.kind = 'supplier' ORDER BY m.organization_id LIMIT 120) x`,
			`DELETE FROM memberships WHERE (user_id, organization_id) IN (
   SELECT m.user_id, m.organization_id FROM memberships m JOIN organizations o ON o.id = m.organization_id
    WHERE o.kind = 'supplier' ORDER BY m.organization_id LIMIT 120)`},
	}
	for _, c := range cases {
		err := app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
			var touched, whole int64
			if err := tx.QueryRow(ctx, c.touched).Scan(&touched); err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+c.table).Scan(&whole); err != nil {
				return err
			}
			read := func() (n int64) {
				if err := tx.QueryRow(ctx, `SELECT coalesce(sum(seq_tup_read + coalesce(idx_tup_fetch, 0)), 0)
  FROM pg_stat_xact_user_tables WHERE relname = $1`, c.table).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			before := read()
			tag, err := tx.Exec(ctx, c.change)
			if err != nil {
				return err
			}
			got := read() - before
			t.Logf("%s: %d rows changed, %d rows of %s concerned, %d read, of %d", c.what, tag.RowsAffected(), touched, c.table, got, whole)
			if touched < 50 || whole < 3*touched {
				t.Errorf("%s: %d rows concerned of %d; the case shows nothing", c.what, touched, whole)
			}
			if got > 2*touched {
				t.Errorf("%s: the triggers read %d rows of %s for %d concerned (of %d)", c.what, got, c.table, touched, whole)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
	}
}
