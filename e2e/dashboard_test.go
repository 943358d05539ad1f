package e2e

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"pasokan/internal/demo"
	"pasokan/internal/testapp"
)

// The ministry reads the national dashboard on a phone: its charts and
// tables fit 360 px, and a figure leads to the list behind it, with as
// many rows as the figure says (each page passes the audit: axe, the
// phone's width, no script needed).
func TestMinistryDrillsDownFromTheDashboardOnAPhone(t *testing.T) {
	t.Parallel()
	requireChromium(t)
	app := testapp.NewScale(t, 40) // curated suppliers, listed

	b := newBrowser(t, app, phone)
	b.open("/login")
	if st := b.login("admin@pasokan.test", demo.Password); st != http.StatusOK {
		t.Fatalf("login: %d", st)
	}
	b.wantPath("/admin")
	if b.count("main svg.chart") < 3 {
		t.Fatalf("the dashboard draws %d charts, want province, product and week", b.count("main svg.chart"))
	}
	b.wantFitsWidth()
	figure := `[data-testid="province-table"] a[data-figure]`
	if b.count(figure) == 0 {
		t.Fatal("no province figure links its list")
	}
	want, _ := b.attr(figure, "data-figure")
	n := b.text(figure)
	if st := b.click(figure); st != http.StatusOK {
		t.Fatalf("the list behind %s: %d", want, st)
	}
	if !strings.HasPrefix(b.path(), "/admin/figures/suppliers") {
		t.Fatalf("the figure led to %s", b.path())
	}
	if got := b.count(`[data-testid="figure-list"] tbody tr`); n != "" && got == 0 || strings.TrimSpace(n) != strconv.Itoa(got) {
		t.Fatalf("the figure %s says %s, its list holds %d rows", want, n, got)
	}
	b.wantFitsWidth()
	b.open("/admin")
	if b.count(`[data-testid="product-table"] a[href^="/admin/figures/entries"]`) == 0 {
		t.Fatal("no product's supply links its entries")
	}
	if st := b.click(`[data-testid="product-table"] a[href^="/admin/figures/entries"]`); st != http.StatusOK {
		t.Fatalf("the entries behind a product: %d", st)
	}
	b.wantFitsWidth()
}
