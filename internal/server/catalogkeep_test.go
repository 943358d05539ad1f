package server_test

import (
	"net/url"
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

// TestCatalogueDrawnOnceInEachLanguage: the search a process keeps drawn
// is the reader's language's, and a change to the catalogue shows on the
// next view of the same search.
func TestCatalogueDrawnOnceInEachLanguage(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 40)
	c := buyer(t, app)
	results := func() string {
		body := c.Get("/catalog?q=masker").Body
		i := strings.Index(body, `id="results-heading"`)
		if i < 0 {
			t.Fatal("no results on the page")
		}
		return body[i : i+40]
	}
	if got := results(); !strings.Contains(got, "Hasil") || !strings.Contains(results(), "Hasil") {
		t.Fatalf("in Indonesian: %q", got)
	}
	if r := c.Post("/language", url.Values{"lang": {"en"}, "next": {"/catalog?q=masker"}}); r.StatusCode != 303 {
		t.Fatalf("language: %d", r.StatusCode)
	}
	if got := results(); !strings.Contains(got, "Results") {
		t.Errorf("in English, the same search: %q", got)
	}
	// A supplier's new capacity shows on the next view of the same search.
	l := listedSuppliers(t, app)[0]
	before := c.Get("/catalog?q=" + url.QueryEscape(l.name)).Body
	if strings.Contains(before, "987.654") || strings.Contains(before, "987,654") {
		t.Fatal("the capacity is there before it is set")
	}
	sup := app.Client(t)
	sup.Login(l.owner, "pasokan-demo", "/supplier")
	if r := sup.Post("/supplier/listing", url.Values{"product_type": {l.products[0]}, "monthly_capacity": {"987654"},
		"price_min": {"1000"}, "price_max": {"2000"}}); r.StatusCode != 303 {
		t.Fatalf("listing: %d", r.StatusCode)
	}
	if after := c.Get("/catalog?q=" + url.QueryEscape(l.name)).Body; !strings.Contains(after, "987,654") {
		t.Error("the new capacity is not on the next view of the same search")
	}
}
