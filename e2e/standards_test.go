package e2e

import (
	"net/http"
	"strings"
	"testing"
)

// TestApplicantReadsTheStandardsOnPhone: on a 360px phone, without
// JavaScript, someone thinking of applying follows the help page's link to
// what curators check, opens the cloth mask's checklist (version 3, in
// force since 6 December 2026), then its first version (before 16 September
// 2020), which says it is no longer in force and links back; every page is checked as every
// journey's are (nothing scrolls sideways, no serious accessibility
// violation). The respirator's versions before and after 1 July 2020 read
// as well.
func TestApplicantReadsTheStandardsOnPhone(t *testing.T) {
	t.Parallel()
	app := startApp(t)
	o := phone
	o.NoJS = true
	b := newBrowser(t, app, o)
	if st := b.open("/help"); st != http.StatusOK {
		t.Fatalf("/help: %d", st)
	}
	if st := b.click(`[data-testid="help-documents"] a[href="/standards"]`); st != http.StatusOK {
		t.Fatalf("the help page's link to the standards: %d", st)
	}
	b.wantPath("/standards")
	b.wantText("main h1", msg("standards.heading"))
	wantReadable(t, b)
	b.screenshot("standards-phone-0-index")
	if st := b.click(`[data-testid="standards-masker-kain"] a`); st != http.StatusOK {
		t.Fatalf("the cloth mask's checklist: %d", st)
	}
	b.wantPath("/standards/masker-kain")
	if got := b.text(`[data-testid="standards-shown"]`); !strings.Contains(got, "Versi 3") || !strings.Contains(got, "6 Desember 2026") {
		t.Errorf("the cloth mask's page shows %q, want version 3 from 6 December 2026", got)
	}
	wantReadable(t, b)
	b.screenshot("standards-phone-1-cloth-mask")
	if st := b.click(`[data-testid="standards-versions"] a[href="/standards/masker-kain?version=1"]`); st != http.StatusOK {
		t.Fatalf("version 1: %d", st)
	}
	if got := b.text(`[data-testid="standards-not-current"]`); !strings.Contains(got, msg("standards.not_current")) {
		t.Errorf("version 1 does not say it is no longer in force: %q", got)
	}
	if n := b.count(`[data-testid="erratum"]`); n == 0 {
		t.Error("version 1 shows no erratum")
	}
	wantReadable(t, b)
	b.screenshot("standards-phone-2-cloth-mask-v1")
	// The respirator before and after GB 2626-2019 (1 July 2020).
	for v, want := range map[string]string{"1": "GB 2626-2006", "2": "GB 2626-2019"} {
		if st := b.open("/standards/respirator?version=" + v); st != http.StatusOK {
			t.Fatalf("respirator version %s: %d", v, st)
		}
		if n := b.count(`[data-testid="source-` + want + `"]`); n != 1 {
			t.Errorf("respirator version %s does not rest on %s", v, want)
		}
		wantReadable(t, b)
	}
}
