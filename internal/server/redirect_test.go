package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"pasokan/internal/server"
	"pasokan/internal/testapp"
	"pasokan/internal/validation"
)

// redirectPayloads are ways to leave the site through a "next" parameter,
// each as the decoded value a handler receives.
var redirectPayloads = []string{
	"//evil.example/x",
	"/\\evil.example/x",
	"/./\\evil.example/x",
	"/.//evil.example/x",
	"/a/..//evil.example/x",
	"/\t/evil.example/x",
	"/\n/evil.example/x",
	"/\r\n/evil.example",
	"\\\\evil.example/x",
	"/%5Cevil.example/x",
	"/%2F/evil.example/x",
	"/%09/evil.example",
	"https://evil.example/x",
	"http:/evil.example",
	"javascript:alert(1)",
	"/@evil.example",
	"//user@evil.example",
	" /evil",
	"evil.example",
	"/\x00/evil",
	"/\xff/evil",
}

// browserHost is the host a browser goes to: the value after http.Redirect, read
// the way browsers read it (backslash as slash, tabs and newlines dropped).
func browserHost(base *url.URL, loc string) string {
	loc = strings.NewReplacer("\\", "/", "\t", "", "\n", "", "\r", "").Replace(loc)
	u, err := base.Parse(loc)
	if err != nil {
		return "unparsable"
	}
	return u.Host
}

func TestSafeNextKeepsRedirectsOnSite(t *testing.T) {
	t.Parallel()
	base, _ := url.Parse("http://portal.example")
	for _, p := range redirectPayloads {
		got := server.SafeNext(p)
		if got == "" {
			continue
		}
		if h := browserHost(base, got); h != base.Host || strings.ContainsAny(got, "\\\t\r\n\x00") {
			t.Errorf("safeNext(%q) = %q, which a browser follows to %q", p, got, h)
		}
	}
	for in, want := range map[string]string{
		"/supplier":                "/supplier",
		"/curation?status=waiting": "/curation?status=waiting",
		"/supplier/../curation":    "/curation",
		"/supplier/":               "/supplier/",
		"/":                        "/",
		"/supplier#products":       "/supplier#products",
	} {
		if got := server.SafeNext(in); got != want {
			t.Errorf("SafeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRedirectPayloadsStayOnSite sends each payload where the site takes a
// "next": the login page when logged in, the login form and the language
// form, and follows the Location as a browser would.
func TestRedirectPayloadsStayOnSite(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	base, _ := url.Parse(app.URL)
	in := app.Client(t)
	in.Login("umkm@pasokan.test", "pasokan-demo", "/supplier")
	check := func(how string, r *testapp.Response) {
		t.Helper()
		loc := r.Header.Get("Location")
		// Bytes that are not text are refused before any handler (400 in a
		// query, 422 in a form): no redirect at all.
		if !validation.Storable(how) &&
			(r.StatusCode == http.StatusBadRequest || r.StatusCode == http.StatusUnprocessableEntity) && loc == "" {
			return
		}
		if r.StatusCode != http.StatusSeeOther {
			t.Errorf("%s: status %d", how, r.StatusCode)
			return
		}
		if h := browserHost(base, loc); h != base.Host {
			t.Errorf("%s: Location %q leads to %q", how, loc, h)
		}
	}
	for _, p := range redirectPayloads {
		check("GET /login?next="+p, in.Get("/login?next="+url.QueryEscape(p)))
		check("POST /language next="+p, in.Post("/language", url.Values{"lang": {"id"}, "next": {p}}))
		out := app.Client(t)
		check("POST /login next="+p, out.Post("/login", url.Values{"email": {"umkm@pasokan.test"},
			"password": {"pasokan-demo"}, "next": {p}}))
	}
	// The reported payload, as the raw query the attacker sent.
	if r := in.Get("/login?next=/./%5Cevil.example/x"); r.Header.Get("Location") != "/supplier" {
		t.Errorf("reported payload: Location %q, want /supplier", r.Header.Get("Location"))
	}
	// A path on the site still works.
	if r := in.Get("/login?next=" + url.QueryEscape("/supplier/profile?x=1")); r.Header.Get("Location") != "/supplier/profile?x=1" {
		t.Errorf("same-site next: %q", r.Header.Get("Location"))
	}
}
