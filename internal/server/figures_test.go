package server_test

import (
	"strings"
	"testing"
	"time"

	"pasokan/internal/server"
	"pasokan/internal/testapp"
)

// The ministry dashboard's figures are counted once per FiguresTTL: a view
// within it reads none of them and says when they were counted; a view
// after it counts them again and shows what changed.
func TestDashboardFiguresAreKeptForAWhile(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	app := testapp.New(t, testapp.WithTracer(rec), testapp.WithFiguresTTL(server.FiguresTTL))
	admin := app.Client(t)
	admin.Login("admin@pasokan.test", "pasokan-demo", "/admin")
	figureReads := func() (page string, reads int) {
		t.Helper()
		rec.take()
		rec.on.Store(true)
		r := admin.Get("/admin")
		rec.on.Store(false)
		if r.StatusCode != 200 {
			t.Fatalf("/admin: %d", r.StatusCode)
		}
		for _, st := range rec.take() {
			if strings.Contains(st.sql, "decision_time_buckets") || strings.Contains(st.sql, "organization_counts") {
				reads++
			}
		}
		return r.Body, reads
	}
	first, reads := figureReads()
	if reads == 0 {
		t.Fatal("the first view read no figures")
	}
	if !strings.Contains(first, "Angka per ") {
		t.Error("the dashboard does not say when its figures were counted")
	}
	suppliers := func(page string) string {
		i := strings.Index(page, `<p class="figure-value">`)
		if i < 0 {
			t.Fatal("no figure on the dashboard")
		}
		rest := page[i+len(`<p class="figure-value">`):]
		return rest[:strings.Index(rest, "<")]
	}
	// A supplier signs up: the kept figures do not show it yet.
	r := app.Client(t).Post("/register", registerForm("baru.angka@contoh.id"))
	if r.StatusCode != 303 {
		t.Fatalf("sign-up: %d\n%s", r.StatusCode, r.Body)
	}
	kept, reads := figureReads()
	if reads != 0 {
		t.Errorf("a view within %s read the figures %d times", server.FiguresTTL, reads)
	}
	if suppliers(kept) != suppliers(first) {
		t.Errorf("kept figures changed: %s -> %s", suppliers(first), suppliers(kept))
	}
	app.Advance(server.FiguresTTL + time.Second)
	fresh, reads := figureReads()
	if reads == 0 {
		t.Errorf("a view after %s did not count the figures again", server.FiguresTTL)
	}
	if suppliers(fresh) == suppliers(first) {
		t.Errorf("the new supplier is not counted after %s: %s", server.FiguresTTL, suppliers(fresh))
	}
}
