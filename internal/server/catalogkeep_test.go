package server_test

import (
	"strings"
	"testing"

	"pasokan/internal/testapp"
)

// TestCatalogueServedAgainInTheSessionsRoundTrip: a buyer opening the
// catalogue again while nothing in it has changed costs one round trip to
// Postgres, the session's, which also reads the catalogue's generation; no
// entry or count is read. The directory, without a session, reads the
// generation in a round trip of its own, and nothing more.
func TestCatalogueServedAgainInTheSessionsRoundTrip(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	app := testapp.NewScale(t, 100, testapp.WithTracer(rec))
	buyer := app.Client(t)
	buyer.Login("pembeli@pasokan.test", "pasokan-demo", "/catalog")
	visitor := app.Client(t)
	for _, c := range []struct {
		name  string
		get   func() int
		trips int64
	}{
		{"the buyer's /catalog", func() int { return buyer.Get("/catalog?q=masker").StatusCode }, 1},
		{"a visitor's /directory", func() int { return visitor.Get("/directory?q=masker").StatusCode }, 1},
	} {
		if code := c.get(); code != 200 {
			t.Fatalf("%s: %d", c.name, code)
		}
		rec.take()
		rec.trips.Store(0)
		rec.on.Store(true)
		code := c.get()
		rec.on.Store(false)
		if code != 200 {
			t.Fatalf("%s again: %d", c.name, code)
		}
		stmts := rec.take()
		generation := 0
		for _, st := range stmts {
			if strings.Contains(st.sql, "catalog_generation") {
				generation++
			}
			if strings.Contains(st.sql, "catalog_entries") || strings.Contains(st.sql, "catalog_words") ||
				strings.Contains(st.sql, "catalog_counts") || strings.Contains(st.sql, "catalog_lexicon") {
				t.Errorf("%s again read the catalogue: %s", c.name, firstLine(st.sql))
			}
		}
		if generation != 1 {
			t.Errorf("%s again read the generation %d times", c.name, generation)
		}
		if got := rec.trips.Load(); got != c.trips {
			t.Errorf("%s again: %d round trips, want %d", c.name, got, c.trips)
		}
	}
}
