package static

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// setup builds the real asset table; every test gets its own.
func setup(t *testing.T) *Assets {
	t.Helper()
	a, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return a
}

// embedded returns the original bytes of the file behind a logical name.
func embedded(t *testing.T, name string) []byte {
	t.Helper()
	p := name
	switch {
	case strings.HasSuffix(name, ".css"):
		p = "css/" + name
	case strings.HasSuffix(name, ".js"):
		p = "js/" + name
	}
	b, err := files.ReadFile(p)
	if err != nil {
		t.Fatalf("read %s: %v", p, err)
	}
	return b
}

func hashOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])[:hashLen]
}

func serve(a *Assets, method, target string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	a.Handler().ServeHTTP(rec, req)
	return rec
}

// TestNamesUsedByViews lists every name the views pass to Path or PathFrom;
// add a name here when a view starts using it.
func TestNamesUsedByViews(t *testing.T) {
	t.Parallel()
	a := setup(t)
	for _, name := range []string{"app.css", "app.js", "img/favicon.svg"} {
		if p := a.Path(name); !strings.HasPrefix(p, URLPrefix) {
			t.Errorf("Path(%q) = %q", name, p)
		}
	}
}

func TestPath(t *testing.T) {
	t.Parallel()
	a := setup(t)
	tests := []struct {
		name string
		want string // pattern with HASH for the expected fingerprint
	}{
		{"app.css", `/static/app.HASH.css`},
		{"app.js", `/static/app.HASH.js`},
		{"img/favicon.svg", `/static/img/favicon.HASH.svg`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := a.Path(tt.name)
			want := strings.Replace(tt.want, "HASH", hashOf(embedded(t, tt.name)), 1)
			if got != want {
				t.Errorf("Path(%q) = %q, want %q", tt.name, got, want)
			}
			if !regexp.MustCompile(`^/static/([a-z]+/)?[a-z0-9-]+\.[0-9a-f]{10}\.[a-z0-9]+$`).MatchString(got) {
				t.Errorf("Path(%q) = %q: not name.<10 hex>.ext", tt.name, got)
			}
		})
	}
}

func TestPathUnknownPanics(t *testing.T) {
	t.Parallel()
	a := setup(t)
	for _, name := range []string{"missing.css", "css/app.css", "favicon.svg", ""} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				r := recover()
				msg, _ := r.(string)
				if !strings.Contains(msg, "unknown asset") || !strings.Contains(msg, "app.css") {
					t.Errorf("Path(%q) panic = %v, want a message naming the known assets", name, r)
				}
			}()
			a.Path(name)
		})
	}
}

func TestPathFrom(t *testing.T) {
	t.Parallel()
	a := setup(t)
	ctx := a.WithContext(context.Background())
	if got, want := PathFrom(ctx, "app.css"), a.Path("app.css"); got != want {
		t.Errorf("PathFrom = %q, want %q", got, want)
	}
	if got, ok := FromContext(ctx); !ok || got != a {
		t.Errorf("FromContext = %p, %v; want %p, true", got, ok, a)
	}

	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, "WithContext") {
			t.Errorf("PathFrom without Assets: panic %q, want a hint at WithContext", msg)
		}
	}()
	PathFrom(context.Background(), "app.css")
}

func TestServeEveryAsset(t *testing.T) {
	t.Parallel()
	a := setup(t)
	wantType := map[string]string{
		"app.css":         "text/css; charset=utf-8",
		"app.js":          "text/javascript; charset=utf-8",
		"upload.js":       "text/javascript; charset=utf-8",
		"img/favicon.svg": "image/svg+xml",
	}
	for _, name := range a.Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := serve(a, http.MethodGet, a.Path(name), nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s: status %d", a.Path(name), rec.Code)
			}
			h := rec.Header()
			want, ok := wantType[name]
			if !ok {
				t.Fatalf("add %q to wantType", name)
			}
			for k, v := range map[string]string{
				"Content-Type":           want,
				"Cache-Control":          "public, max-age=31536000, immutable",
				"X-Content-Type-Options": "nosniff",
				"Vary":                   "Accept-Encoding",
				"ETag":                   `"` + hashOf(embedded(t, name)) + `"`,
				"Content-Encoding":       "",
			} {
				if got := h.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if !bytes.Equal(rec.Body.Bytes(), embedded(t, name)) {
				t.Errorf("body differs from the embedded file")
			}
		})
	}
}

func TestGzip(t *testing.T) {
	t.Parallel()
	a := setup(t)
	tests := []struct {
		accept   string
		wantGzip bool
	}{
		{"", false},
		{"gzip", true},
		{"gzip, deflate, br, zstd", true},
		{"br;q=1.0, gzip;q=0.8, *;q=0.1", true},
		{"GZIP", true},
		{"x-gzip", true},
		{"*", true},
		{"gzip;q=0", false},
		{"gzip;q=0, *", false},
		{"*;q=0", false},
		{"identity", false},
		{"br, deflate", false},
		{"gzip;q=bogus", false},
	}
	for _, tt := range tests {
		t.Run(tt.accept, func(t *testing.T) {
			t.Parallel()
			rec := serve(a, http.MethodGet, a.Path("app.css"), map[string]string{"Accept-Encoding": tt.accept})
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d", rec.Code)
			}
			body := rec.Body.Bytes()
			if got := rec.Header().Get("Content-Encoding") == "gzip"; got != tt.wantGzip {
				t.Fatalf("Accept-Encoding %q: gzip = %v, want %v", tt.accept, got, tt.wantGzip)
			}
			if rec.Header().Get("Vary") != "Accept-Encoding" {
				t.Errorf("Vary = %q", rec.Header().Get("Vary"))
			}
			if tt.wantGzip {
				if etag := rec.Header().Get("ETag"); !strings.HasSuffix(etag, `-gzip"`) {
					t.Errorf("gzip ETag = %q, want one distinct from the identity ETag", etag)
				}
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatalf("gzip reader: %v", err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatalf("gunzip: %v", err)
				}
			}
			if !bytes.Equal(body, embedded(t, "app.css")) {
				t.Errorf("body does not match app.css")
			}
		})
	}
}

// TestGzipOnlyWhenSmaller uses a file too small to gain from compression.
func TestGzipOnlyWhenSmaller(t *testing.T) {
	t.Parallel()
	a, err := newAssets(fstest.MapFS{"css/tiny.css": {Data: []byte("a{}")}})
	if err != nil {
		t.Fatal(err)
	}
	rec := serve(a, http.MethodGet, a.Path("tiny.css"), map[string]string{"Accept-Encoding": "gzip"})
	if rec.Header().Get("Content-Encoding") != "" || rec.Body.String() != "a{}" {
		t.Errorf("tiny file: Content-Encoding %q, body %q; want identity", rec.Header().Get("Content-Encoding"), rec.Body.String())
	}
}

func TestNotModified(t *testing.T) {
	t.Parallel()
	a := setup(t)
	h := hashOf(embedded(t, "app.css"))
	tests := []struct {
		ifNoneMatch string
		want        int
	}{
		{`"` + h + `"`, http.StatusNotModified},
		{`W/"` + h + `"`, http.StatusNotModified},
		{`"` + h + `-gzip"`, http.StatusNotModified},
		{`"other", "` + h + `"`, http.StatusNotModified},
		{`*`, http.StatusNotModified},
		{`"0000000000"`, http.StatusOK},
		{h, http.StatusOK}, // unquoted is not a valid entity tag
	}
	for _, tt := range tests {
		t.Run(tt.ifNoneMatch, func(t *testing.T) {
			t.Parallel()
			rec := serve(a, http.MethodGet, a.Path("app.css"), map[string]string{"If-None-Match": tt.ifNoneMatch})
			if rec.Code != tt.want {
				t.Fatalf("If-None-Match %s: status %d, want %d", tt.ifNoneMatch, rec.Code, tt.want)
			}
			if tt.want == http.StatusNotModified {
				if rec.Body.Len() != 0 {
					t.Errorf("304 with a body of %d bytes", rec.Body.Len())
				}
				if rec.Header().Get("ETag") == "" || rec.Header().Get("Cache-Control") == "" {
					t.Errorf("304 without ETag or Cache-Control: %v", rec.Header())
				}
			}
		})
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	a := setup(t)
	css := a.Path("app.css")
	stale := strings.Replace(css, hashOf(embedded(t, "app.css")), "0123456789", 1)
	for _, target := range []string{
		"/static/app.css",                      // not fingerprinted
		"/static/css/app.css",                  // the embedded path
		"/static/css/" + css[len("/static/"):], // fingerprint under the folder
		stale,                                  // an old fingerprint
		"/static/missing.0123456789.css",       // unknown
		"/static/",
		"/static",
		"/static/../static.go",
		"/static/..%2fstatic.go",
		"/static/../css/app.css",
		"/static//" + css[len("/static/"):],
		"/static/img/../" + css[len("/static/"):],
		"/static/" + strings.ToUpper(css[len("/static/"):]),
		css + "/",
		css + ".gz",
	} {
		t.Run(target, func(t *testing.T) {
			t.Parallel()
			rec := serve(a, http.MethodGet, target, nil)
			if rec.Code != http.StatusNotFound {
				t.Errorf("GET %s: status %d, want 404", target, rec.Code)
			}
			if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
				t.Errorf("GET %s: Cache-Control %q, want no-store", target, cc)
			}
		})
	}
}

func TestMethods(t *testing.T) {
	t.Parallel()
	a := setup(t)
	css := a.Path("app.css")
	tests := []struct {
		method string
		want   int
	}{
		{http.MethodGet, http.StatusOK},
		{http.MethodHead, http.StatusOK},
		{http.MethodPost, http.StatusMethodNotAllowed},
		{http.MethodPut, http.StatusMethodNotAllowed},
		{http.MethodDelete, http.StatusMethodNotAllowed},
		{http.MethodOptions, http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			t.Parallel()
			rec := serve(a, tt.method, css, nil)
			if rec.Code != tt.want {
				t.Fatalf("%s: status %d, want %d", tt.method, rec.Code, tt.want)
			}
			if tt.want == http.StatusMethodNotAllowed && rec.Header().Get("Allow") != "GET, HEAD" {
				t.Errorf("Allow = %q", rec.Header().Get("Allow"))
			}
			if tt.method == http.MethodHead {
				if rec.Body.Len() != 0 {
					t.Errorf("HEAD returned a body")
				}
				if cl := rec.Header().Get("Content-Length"); cl == "" || cl == "0" {
					t.Errorf("HEAD: Content-Length %q, want the body's length", cl)
				}
			}
		})
	}
}

// TestMounting serves through a real server, mounted both ways the
// Handler documentation allows.
func TestMounting(t *testing.T) {
	t.Parallel()
	a := setup(t)
	plain := http.NewServeMux()
	plain.Handle("GET /static/", a.Handler())
	stripped := http.NewServeMux()
	stripped.Handle("/static/", http.StripPrefix("/static", a.Handler()))
	strippedSlash := http.NewServeMux()
	strippedSlash.Handle("/static/", http.StripPrefix("/static/", a.Handler()))

	for name, mux := range map[string]*http.ServeMux{"plain": plain, "StripPrefix(/static)": stripped, "StripPrefix(/static/)": strippedSlash} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(mux)
			t.Cleanup(srv.Close)
			for path, want := range map[string]int{
				a.Path("app.css"):         http.StatusOK,
				a.Path("img/favicon.svg"): http.StatusOK,
				"/static/app.css":         http.StatusNotFound,
			} {
				resp, err := srv.Client().Get(srv.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != want {
					t.Errorf("GET %s: status %d, want %d", path, resp.StatusCode, want)
				}
				// The client asked for gzip itself and decoded it transparently.
				if want == http.StatusOK && len(body) == 0 {
					t.Errorf("GET %s: empty body", path)
				}
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]fstest.MapFS{
		"unknown extension": {"img/data.bin": {Data: []byte{1}}},
		"no extension":      {"img/README": {Data: []byte("x")}},
		"same name twice": {
			"css/img/a.svg": {Data: []byte("<svg/>")},
			"img/a.svg":     {Data: []byte("<svg></svg>")},
		},
	}
	for name, fsys := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := newAssets(fsys); err == nil {
				t.Errorf("newAssets succeeded, want an error")
			}
		})
	}
}

// TestCSSHasNoExternalURLs keeps the stylesheet self-contained: no web
// fonts, no third-party hosts, no @import.
func TestCSSHasNoExternalURLs(t *testing.T) {
	t.Parallel()
	css := string(embedded(t, "app.css"))
	for _, bad := range []string{"http://", "https://", "@import", "@font-face", "url(//"} {
		if strings.Contains(css, bad) {
			t.Errorf("app.css contains %q", bad)
		}
	}
}

// TestJSIsCSPSafe guards the rules the Content-Security-Policy relies on.
func TestJSIsCSPSafe(t *testing.T) {
	t.Parallel()
	js := string(embedded(t, "app.js"))
	for _, bad := range []string{"eval(", "new Function", "innerHTML", ".onclick", "setAttribute(\"on"} {
		if strings.Contains(js, bad) {
			t.Errorf("app.js contains %q", bad)
		}
	}
}
