package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"pasokan/internal/demo"
	"pasokan/internal/testapp"
)

// A supplier on a phone asks for elastic, then no longer needs it and
// withdraws the request from its page: the request closes with the reason
// and the withdrawal is on its timeline; the form is gone.
func TestSupplierWithdrawsAMaterialRequestOnAPhone(t *testing.T) {
	t.Parallel()
	requireChromium(t)
	app := testapp.New(t)
	s := newBrowser(t, app, phone)
	s.open("/login")
	if st := s.login("umkm@pasokan.test", demo.Password); st != http.StatusOK {
		t.Fatalf("login: %d", st)
	}
	s.open("/supplier/materials")
	s.choose("#f-material", "elastic")
	s.fill("#f-quantity", "200")
	s.choose("#f-unit", "m")
	s.setValue("#f-needed_by", time.Now().AddDate(0, 0, 10).Format(time.DateOnly))
	if st := s.click(`main form[action="/supplier/materials"] button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("the request: %d", st)
	}
	if !strings.HasPrefix(s.path(), "/supplier/materials/") {
		t.Fatalf("after asking, the page is %s", s.path())
	}
	var opened bool
	s.eval(`(() => { const d = document.querySelector('[data-testid="material-withdraw"]').closest('details'); d.open = true; return d.open; })()`, &opened)
	if !opened {
		t.Fatal("the withdrawal form does not open")
	}
	s.fill("#f-reason", "Karet sudah dapat dari toko dekat bengkel.")
	if st := s.click(`[data-testid="material-withdraw"]`); st != http.StatusOK {
		t.Fatalf("withdrawing: %d", st)
	}
	s.wantText("main .flash-success", msg("flash.material_withdrawn"))
	s.wantText(`[data-testid="material-status"]`, msg("material.status.closed"))
	s.wantContains(`[data-testid="timeline"]`, msg("material.event.withdrawn"))
	s.wantContains(`[data-testid="timeline"]`, "Karet sudah dapat dari toko dekat bengkel.")
	if s.count(`[data-testid="material-withdraw"]`) != 0 {
		t.Error("a closed request still offers to be withdrawn")
	}
	s.wantFitsWidth()
}
