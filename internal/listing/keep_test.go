package listing_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database/dbtest"
	"pasokan/internal/testapp"
)

// TestGenerationMovesOncePerTransaction: the catalogue's generation grows
// by one for a transaction that changes entries, however many statements
// it runs, and not at all for one that rolls back or changes nothing.
func TestGenerationMovesOncePerTransaction(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 100)
	ctx := context.Background()
	owner, err := pgx.Connect(ctx, app.DB.OwnerURL)
	dbtest.Must(t, err)
	defer owner.Close(ctx)
	gen := func() (n int64) {
		dbtest.Must(t, owner.QueryRow(ctx, `SELECT sum(n)::bigint FROM catalog_generation`).Scan(&n))
		return n
	}
	change := func(times int, commit bool) {
		tx, err := owner.Begin(ctx)
		dbtest.Must(t, err)
		defer tx.Rollback(ctx)
		_, err = tx.Exec(ctx, `SELECT set_config('pasokan.mode', 'system', true)`)
		dbtest.Must(t, err)
		for range times {
			_, err := tx.Exec(ctx, `UPDATE catalog_entries SET monthly_capacity = monthly_capacity
 WHERE id = (SELECT min(id) FROM catalog_entries)`)
			dbtest.Must(t, err)
		}
		if commit {
			dbtest.Must(t, tx.Commit(ctx))
		}
	}
	var entries int
	dbtest.Must(t, owner.QueryRow(ctx, `SELECT count(*) FROM catalog_entries`).Scan(&entries))
	if entries == 0 {
		t.Fatal("no entry to change")
	}
	start := gen()
	change(5, true)
	if got := gen(); got != start+1 {
		t.Errorf("five statements in one transaction: the generation went from %d to %d, want one more", start, got)
	}
	change(3, false)
	if got := gen(); got != start+1 {
		t.Errorf("a transaction rolled back moved the generation to %d", got)
	}
	change(1, true)
	change(1, true)
	if got := gen(); got != start+3 {
		t.Errorf("two more transactions: %d, want %d", got, start+3)
	}
}
