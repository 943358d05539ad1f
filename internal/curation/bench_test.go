package curation_test

import (
	"context"
	"log/slog"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/app"
	"pasokan/internal/curation"
	"pasokan/internal/database"
	"pasokan/internal/testapp"
)

// benchQueue is the queue to measure and its curator: the database of a
// load test's cluster when PASOKAN_BENCH_DIR names one (seeded by `make
// loadtest SUPPLIERS=N`, e.g. .data/load-10000, and migrated by its
// server), else a story of 2,000 suppliers seeded for the benchmark.
func benchQueue(b *testing.B) (*curation.Store, account.Actor, *database.DB) {
	b.Helper()
	ctx := context.Background()
	var db *database.DB
	var accounts *account.Store
	var store *curation.Store
	if dir := os.Getenv("PASOKAN_BENCH_DIR"); dir == "" {
		a := testapp.NewScale(b, 2000)
		db, accounts, store = a.DB.App, a.Accounts, a.Curation
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
		portal, err := app.New(db, app.Options{})
		if err != nil {
			b.Fatal(err)
		}
		accounts, store = portal.Accounts, portal.Curation
	}
	id, err := accounts.UserIDByEmail(ctx, "kurator@pasokan.test")
	if err != nil {
		b.Fatal(err)
	}
	ms, err := accounts.Memberships(ctx, id)
	if err != nil {
		b.Fatal(err)
	}
	a, err := accounts.LoadActor(ctx, id, ms[0].OrgID)
	if err != nil {
		b.Fatal(err)
	}
	return store, a, db
}

// BenchmarkQueue measures the queue's pages server side (the store's
// statements and round trips, not the rendering): the waiting queue, a
// status, a name, an NIB whole and in groups, a province, the unclaimed,
// a product. Run: go test -run '^$' -bench Queue ./internal/curation/ with
// PASOKAN_BENCH_DIR=.data/load-10000 (see docs/DESIGN.md for figures).
func BenchmarkQueue(b *testing.B) {
	store, a, db := benchQueue(b)
	ctx := context.Background()
	// A waiting applicant's legal name and NIB, from the organisation's
	// own queue.
	var name, nib string
	err := db.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT p.legal_name, p.nib FROM supplier_profiles p
  JOIN applications x ON x.organization_id = p.organization_id
 WHERE x.assigned_org_id = $1 AND x.status IN ('submitted', 'in_review') ORDER BY x.id DESC LIMIT 1`, a.OrgID).Scan(&name, &nib)
	})
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		f    curation.QueueFilter
	}{
		{"waiting", curation.QueueFilter{}},
		{"status", curation.QueueFilter{Status: "curated"}},
		{"name", curation.QueueFilter{Q: name}},
		{"nib", curation.QueueFilter{Q: nib}},
		{"nib-in-groups", curation.QueueFilter{Q: nib[:4] + " " + nib[4:8] + " " + nib[8:12] + " " + nib[12:]}},
		{"province", curation.QueueFilter{Province: "32"}},
		{"unclaimed", curation.QueueFilter{Assignee: "none"}},
		{"product", curation.QueueFilter{Product: "masker-kain"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := store.Queue(ctx, a, bc.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
