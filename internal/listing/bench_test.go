package listing_test

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/listing"
	"pasokan/internal/notify"
	"pasokan/internal/product"
	"pasokan/internal/testapp"
)

// benchStore is the catalogue to measure: the database of a load test's
// cluster when PASOKAN_BENCH_DIR names one (seeded at a scale by `make
// loadtest SUPPLIERS=N`, e.g. .data/load-200000), else a story of 2,000
// suppliers seeded for the benchmark.
func benchStore(b *testing.B) (*listing.Store, *database.DB) {
	b.Helper()
	dir := os.Getenv("PASOKAN_BENCH_DIR")
	if dir == "" {
		app := testapp.NewScale(b, 2000)
		return app.Listings, app.DB.App
	}
	ctx := context.Background()
	c, err := database.NewCluster(dir, database.ClusterOptions{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	if err := c.Start(ctx); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.Stop(context.Background()) })
	db, err := database.Open(ctx, c.AppURL(database.DatabaseName), database.Options{MaxConns: 4})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(db.Close)
	return listing.NewStore(db, product.NewStore(db), notify.NewOutbox(db)), db
}

// BenchmarkCatalogue measures the catalogue's searches, server side (the
// store's statements and their round trips): the first page, a filtered
// page, a word, a typo, a name with a filter, and the 50th page (or the
// last, on a smaller catalogue), each read and kept.
// Run: go test -run '^$' -bench Catalogue ./internal/listing/ with
// PASOKAN_BENCH_DIR=.data/load-200000 (see docs/DESIGN.md for figures).
func BenchmarkCatalogue(b *testing.B) {
	s, db := benchStore(b)
	ctx := context.Background()
	// A business name and a word of it, from the catalogue itself.
	var name string
	err := db.ReadPublic(ctx, func() *pgx.Batch {
		bt := &pgx.Batch{}
		bt.Queue(`SELECT name FROM catalog_entries WHERE product_type = 'masker-kain' ORDER BY id DESC LIMIT 1`).
			QueryRow(func(r pgx.Row) error { return r.Scan(&name) })
		return bt
	}())
	if err != nil {
		b.Fatal(err)
	}
	words := strings.Fields(name)
	typo := strings.Replace(name, words[len(words)-1], words[len(words)-1][:len(words[len(words)-1])-1], 1)
	// The cursor of the 50th page, or of the last when there are fewer (the
	// story of 2,000 suppliers has fewer); fewer than ten is a catalogue
	// too small to measure a deep page on.
	deep := listing.Filter{}
	pages := 1
	for ; pages < 50; pages++ {
		p, err := s.Search(ctx, deep)
		if err != nil {
			b.Fatalf("walking to page 50: %v", err)
		}
		if p.Next == "" {
			break
		}
		deep.Cursor = p.Next
	}
	if pages < 10 {
		b.Fatalf("the catalogue has %d pages; a deep page needs ten or more", pages)
	}
	b.Logf("the deep page is page %d", pages)
	cases := []struct {
		name string
		f    listing.Filter
	}{
		{"first-page", listing.Filter{}},
		{"product-province-by-capacity", listing.Filter{Product: "masker-kain", Province: "32", Sort: listing.SortCapacity}},
		{"regency-min-capacity", listing.Filter{Regency: "32.73", MinCapacity: 1000}},
		{"word", listing.Filter{Q: "penjahit"}},
		{"common-word", listing.Filter{Q: "masker"}},
		{"typo", listing.Filter{Q: typo}},
		{"name-and-product", listing.Filter{Q: name, Product: "masker-kain"}},
		{"page-50", deep},
	}
	// "read" is a search's first view, by a store that has kept nothing
	// (a new one each time: the generation's read, then the search's);
	// "kept" the same search asked again while the catalogue is unchanged.
	products := product.NewStore(db)
	for _, kept := range []bool{false, true} {
		for _, bc := range cases {
			name := "read/" + bc.name
			if kept {
				name = "kept/" + bc.name
			}
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					st := s
					if !kept {
						st = listing.NewStore(db, products, nil)
					}
					p, err := st.Search(ctx, bc.f)
					if err != nil {
						b.Fatal(err)
					}
					if len(p.Entries) == 0 && bc.name != "regency-min-capacity" {
						b.Fatalf("%s: nothing found", bc.name)
					}
				}
			})
		}
	}
}
