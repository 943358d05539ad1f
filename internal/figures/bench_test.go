package figures_test

import (
	"context"
	"log/slog"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/figures"
	"pasokan/internal/testapp"
)

// benchStore is the dashboard to measure: the database of a load test's
// cluster when PASOKAN_BENCH_DIR names one (e.g. .data/load-200000, seeded
// by `make loadtest SUPPLIERS=200000`), else a story of 2,000 suppliers.
// It returns a ministry admin to read it as.
func benchStore(b *testing.B) (*figures.Store, account.Actor) {
	b.Helper()
	ctx := context.Background()
	var db *database.DB
	if dir := os.Getenv("PASOKAN_BENCH_DIR"); dir == "" {
		db = testapp.NewScale(b, 2000).DB.App
	} else {
		c, err := database.NewCluster(dir, database.ClusterOptions{Log: slog.New(slog.DiscardHandler)})
		if err != nil {
			b.Fatal(err)
		}
		if err := c.Start(ctx); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = c.Stop(context.Background()) })
		if db, err = database.Open(ctx, c.AppURL(database.DatabaseName), database.Options{MaxConns: 4}); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(db.Close)
	}
	a := account.Actor{Kind: account.KindMinistry, Role: account.RoleAdmin}
	err := db.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT u.id, m.organization_id FROM users u JOIN memberships m ON m.user_id = u.id
 WHERE u.email = 'admin@pasokan.test'`).Scan(&a.UserID, &a.OrgID)
	})
	if err != nil {
		b.Fatal(err)
	}
	return figures.NewStore(db), a
}

// BenchmarkNational measures the national dashboard's figures, read
// whole (as the dashboard reads them once its kept copy expires), and the
// first page of the list behind a large figure (a province's curated) and
// behind the whole country's rejected.
// Run: PASOKAN_BENCH_DIR=.data/load-200000 go test -run '^$' -bench National ./internal/figures/
func BenchmarkNational(b *testing.B) {
	s, a := benchStore(b)
	ctx := context.Background()
	b.Run("figures", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.National(ctx, a); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, c := range []struct{ name, province, status string }{
		{"list-province-curated", "32", "curated"},
		{"list-rejected", "", "rejected"},
		{"list-waiting", "", figures.StatusWaiting},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Suppliers(ctx, a, figures.SupplierFilter{Province: c.province, Status: c.status}, 201); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
