// Package static embeds Pasokan's CSS, JavaScript and images and serves them
// under fingerprinted URLs (/static/app.3f2a9c01bd.css), so browsers and
// proxies may cache them for a year: a changed file gets a new URL.
//
// Asset names, as passed to [Assets.Path] and [PathFrom], follow the folder
// the file lives in:
//
//	css/app.css      -> "app.css"          -> /static/app.<hash>.css
//	js/app.js        -> "app.js"           -> /static/app.<hash>.js
//	img/favicon.svg  -> "img/favicon.svg"  -> /static/img/favicon.<hash>.svg
//
// Files under css/ and js/ are named without their folder (the extension
// already says what they are); files under img/ keep the "img/" prefix.
package static

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
)

// files holds the assets. It is read-only, so it is not mutable state.
//
//go:embed css js img
var files embed.FS

// URLPrefix is the path under which [Assets.Handler] serves the assets.
const URLPrefix = "/static/"

// hashLen is the number of hex digits of the SHA-256 kept in URLs and ETags.
const hashLen = 10

// cacheControl lets every cache keep an asset for a year without
// revalidating: the URL changes whenever the content does.
const cacheControl = "public, max-age=31536000, immutable"

// typeOf returns the Content-Type for a file extension and whether the type
// is text worth a gzip copy (images and fonts are already compressed). Types
// are set here rather than taken from the operating system's MIME tables,
// which differ between machines; any other extension makes New fail, so
// nothing is ever served with a guessed type.
func typeOf(ext string) (contentType string, compressible, ok bool) {
	switch ext {
	case ".css":
		return "text/css; charset=utf-8", true, true
	case ".js":
		return "text/javascript; charset=utf-8", true, true
	case ".json":
		return "application/json", true, true
	case ".txt":
		return "text/plain; charset=utf-8", true, true
	case ".svg":
		return "image/svg+xml", true, true
	case ".png":
		return "image/png", false, true
	case ".jpg", ".jpeg":
		return "image/jpeg", false, true
	case ".webp":
		return "image/webp", false, true
	case ".ico":
		return "image/x-icon", false, true
	case ".woff2":
		return "font/woff2", false, true
	}
	return "", false, false
}

// asset is one embedded file with everything needed to serve it.
type asset struct {
	name        string // logical name, e.g. "app.css" or "img/favicon.svg"
	urlPath     string // e.g. "/static/app.3f2a9c01bd.css"
	hash        string // first hashLen hex digits of the SHA-256 of body
	contentType string
	body        []byte
	gzipBody    []byte // nil when gzip would not make the body smaller
}

// Assets is the table of embedded assets, built once by [New] and read-only
// afterwards, so one value can be shared by all requests.
type Assets struct {
	byName map[string]*asset // logical name -> asset
	byKey  map[string]*asset // URL path after URLPrefix -> asset
}

// New reads the embedded assets and computes their fingerprints and gzip
// copies. Call it once at start-up.
func New() (*Assets, error) {
	return newAssets(files)
}

// newAssets builds the table from any file system laid out like the
// embedded one; tests use it with fstest.MapFS.
func newAssets(fsys fs.FS) (*Assets, error) {
	a := &Assets{byName: map[string]*asset{}, byKey: map[string]*asset{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		as, err := newAsset(logicalName(p), body)
		if err != nil {
			return err
		}
		if prev, ok := a.byName[as.name]; ok {
			return fmt.Errorf("%s: name %q is already used by another file (%s)", p, as.name, prev.urlPath)
		}
		a.byName[as.name] = as
		a.byKey[strings.TrimPrefix(as.urlPath, URLPrefix)] = as
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static: %w", err)
	}
	return a, nil
}

// logicalName maps a file's path in the embedded tree to the name views
// use: css/ and js/ are dropped, other folders are kept.
func logicalName(p string) string {
	for _, dir := range []string{"css/", "js/"} {
		if rest, ok := strings.CutPrefix(p, dir); ok {
			return rest
		}
	}
	return p
}

// newAsset fingerprints one file and prepares its gzip copy.
func newAsset(name string, body []byte) (*asset, error) {
	ext := strings.ToLower(path.Ext(name))
	ctype, compress, ok := typeOf(ext)
	if !ok {
		return nil, fmt.Errorf("%s: no content type known for extension %q", name, ext)
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])[:hashLen]
	dir, base := path.Split(name)
	stem := base[:len(base)-len(ext)]
	as := &asset{
		name:        name,
		urlPath:     URLPrefix + dir + stem + "." + hash + path.Ext(name),
		hash:        hash,
		contentType: ctype,
		body:        body,
	}
	if compress {
		gz, err := gzipBytes(body)
		if err != nil {
			return nil, fmt.Errorf("%s: gzip: %w", name, err)
		}
		if len(gz) < len(body) {
			as.gzipBody = gz
		}
	}
	return as, nil
}

// gzipBytes compresses b with the best (slowest) compression: it runs once
// at start-up, and every response after that is smaller.
func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Path returns the fingerprinted URL path of the named asset, for example
// Path("app.css") == "/static/app.3f2a9c01bd.css". Names follow the rules in
// the package documentation.
//
// Path panics for an unknown name: views call it with constant names, and a
// test renders every view, so a typo fails the tests, not a visitor's page.
func (a *Assets) Path(name string) string {
	as, ok := a.byName[name]
	if !ok {
		panic(fmt.Sprintf("static: unknown asset %q (known assets: %s)", name, strings.Join(a.Names(), ", ")))
	}
	return as.urlPath
}

// Names returns the logical names of all assets, sorted.
func (a *Assets) Names() []string {
	names := make([]string, 0, len(a.byName))
	for n := range a.byName {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// ctxKey is the context key under which WithContext stores the *Assets.
type ctxKey struct{}

// WithContext returns a copy of ctx that carries a, for [PathFrom].
// Middleware calls it once per request so views can reach asset paths
// without a parameter on every component.
func (a *Assets) WithContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, ctxKey{}, a)
}

// FromContext returns the *Assets stored by [Assets.WithContext], if any.
func FromContext(ctx context.Context) (*Assets, bool) {
	a, ok := ctx.Value(ctxKey{}).(*Assets)
	return a, ok && a != nil
}

// PathFrom returns the fingerprinted URL path of the named asset, using the
// *Assets stored in ctx by [Assets.WithContext]; templ components call
// static.PathFrom(ctx, "app.css"). It panics if ctx carries no *Assets (a
// wiring mistake) or the name is unknown, like [Assets.Path].
func PathFrom(ctx context.Context, name string) string {
	a, ok := FromContext(ctx)
	if !ok {
		panic(fmt.Sprintf("static: PathFrom(%q): the context carries no *static.Assets; wrap the request context with Assets.WithContext", name))
	}
	return a.Path(name)
}

// Handler returns the handler that serves the assets at their fingerprinted
// paths. Mount it as is, with the full request path:
//
//	mux.Handle("GET /static/", assets.Handler())
//
// It looks an asset up by the part of the path after "/static/", or, when
// the path does not start with "/static/", by the path without its leading
// slash; so it also works behind http.StripPrefix("/static", ...) or
// http.StripPrefix("/static/", ...).
//
// A known path gets 200 (or 304 for a matching If-None-Match) with an
// explicit Content-Type, a one-year immutable Cache-Control, nosniff, an
// ETag of the fingerprint and, when the client accepts it, the gzip copy.
// Any other path, including an unfingerprinted name or a stale fingerprint,
// gets 404; methods other than GET and HEAD get 405.
func (a *Assets) Handler() http.Handler {
	return http.HandlerFunc(a.serveHTTP)
}

func (a *Assets) serveHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	key, ok := strings.CutPrefix(r.URL.Path, URLPrefix)
	if !ok {
		key = strings.TrimPrefix(r.URL.Path, "/")
	}
	as := a.byKey[key] // a map lookup: "..", "//" and the like never match
	if as == nil {
		// During a rolling deploy an old process may not know a new
		// fingerprint yet; a cached 404 would outlive the deploy.
		h.Set("Cache-Control", "no-store")
		http.NotFound(w, r)
		return
	}

	body, etag := as.body, `"`+as.hash+`"`
	gzipped := as.gzipBody != nil && acceptsGzip(r.Header.Values("Accept-Encoding"))
	if gzipped {
		// A different representation needs a different strong ETag.
		body, etag = as.gzipBody, `"`+as.hash+`-gzip"`
	}
	h.Set("Cache-Control", cacheControl)
	h.Set("Vary", "Accept-Encoding")
	h.Set("ETag", etag)
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatches(inm, as.hash) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", as.contentType)
	if gzipped {
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body) // a write error means the client went away
	}
}

// acceptsGzip reports whether the Accept-Encoding header values allow gzip:
// "gzip" (or "x-gzip") with a non-zero q, or, when gzip is not named, "*"
// with a non-zero q. A malformed q counts as zero: identity is always safe.
func acceptsGzip(values []string) bool {
	gzipQ, starQ := -1.0, -1.0
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			coding, params, _ := strings.Cut(part, ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			q := 1.0
			for param := range strings.SplitSeq(params, ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(param), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
					if err != nil || f < 0 || f > 1 {
						f = 0
					}
					q = f
				}
			}
			switch coding {
			case "gzip", "x-gzip":
				gzipQ = max(gzipQ, q)
			case "*":
				starQ = max(starQ, q)
			}
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}

// etagMatches reports whether an If-None-Match header names either
// representation of the asset with the given hash (weak comparison, as
// RFC 9110 requires for If-None-Match), or is "*". Both representations
// hold the same content, and it never changes under one URL.
func etagMatches(header, hash string) bool {
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == `"`+hash+`"` || tag == `"`+hash+`-gzip"` {
			return true
		}
	}
	return false
}
