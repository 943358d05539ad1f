package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"pasokan/internal/testapp"
)

// A refused form's page says so first: its title begins with "Galat:"
// ("Error:" in English), the error summary has a heading, and it lists the
// errors in the order of the form's fields (the NIB before the KBLI, which
// comes later on the page though earlier in the alphabet).
func TestRefusedFormTitleAndSummary(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := newSupplier(t, app, "rina@contoh.id")
	bad := url.Values{}
	for k, v := range profileForm {
		bad[k] = v
	}
	bad.Set("nib", "123")
	bad.Set("kbli", "abc")
	res := c.Post("/supplier/profile", bad)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a bad profile: %d", res.StatusCode)
	}
	title := regexp.MustCompile(`(?s)<title>\s*(.*?)\s*</title>`).FindStringSubmatch(res.Body)
	if title == nil || !strings.HasPrefix(strings.Join(strings.Fields(title[1]), " "), "Galat: ") {
		t.Errorf("the refused page's title: %q, want it to begin with Galat:", title)
	}
	if !strings.Contains(res.Body, `<h2 class="form-errors-title">`) {
		t.Error("the error summary has no heading")
	}
	nib, kbli := strings.Index(res.Body, `href="#f-nib"`), strings.Index(res.Body, `href="#f-kbli"`)
	if nib < 0 || kbli < 0 || nib > kbli {
		t.Errorf("the summary lists the NIB at %d and the KBLI at %d, want the form's order", nib, kbli)
	}
	// A message written for any field names its field in the summary.
	bad.Set("address", "Jl. Dago \x00 No. 5")
	res = c.Post("/supplier/profile", bad)
	if !strings.Contains(res.Body, `<a href="#f-address">Alamat tempat produksi: `) {
		t.Errorf("the summary's line for the unreadable address does not name the field:\n%s", errorSummary(res.Body))
	}
	// A page that refused nothing has a plain title.
	ok := c.Get("/supplier/profile")
	if strings.Contains(ok.Body, "Galat:") {
		t.Error("a page without errors is titled as refused")
	}
}

// errorSummary is the error summary's markup in body, or a note that there
// is none.
func errorSummary(body string) string {
	if m := regexp.MustCompile(`(?s)<div class="form-errors".*?</div>`).FindString(body); m != "" {
		return m
	}
	return "(no error summary)"
}
