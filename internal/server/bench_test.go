package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"pasokan/internal/account"
	"pasokan/internal/testapp"
)

// benchPage measures one logged-in page through the whole handler chain:
// session read, actor load (one scoped transaction), templ render.
func benchPage(b *testing.B, email, home string) {
	app := testapp.New(b)
	c := app.Client(b)
	c.Login(email, "pasokan-demo", home)
	cookie := &http.Cookie{Name: "pasokan_session", Value: c.Cookie("pasokan_session")}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodGet, home, nil)
			req.AddCookie(cookie)
			w := httptest.NewRecorder()
			app.Server.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d", w.Code)
			}
		}
	})
}

func BenchmarkSupplierDashboard(b *testing.B) { benchPage(b, "umkm@pasokan.test", "/supplier") }

func BenchmarkHomeVisitor(b *testing.B) {
	app := testapp.New(b)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			w := httptest.NewRecorder()
			app.Server.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
			if w.Code != http.StatusOK {
				b.Fatalf("status %d", w.Code)
			}
		}
	})
}

// BenchmarkLoginFailure compares the time of a wrong password and of an
// unknown e-mail address: they should be about equal (both hash once).
func BenchmarkLoginFailure(b *testing.B) {
	for _, bc := range []struct{ name, email string }{
		{"wrong-password", "umkm@pasokan.test"},
		{"unknown-email", "tidak.ada@contoh.id"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			app := testapp.New(b)
			store := app.Accounts
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				// A new client address each time keeps the address throttle out
				// of the way; the account throttle would block after 5.
				addr := "10.1." + itoa(int64(i/250%250)) + "." + itoa(int64(i%250))
				_, _ = store.Authenticate(ctx, account.Attempt{Email: bc.email, Password: "salah sekali", Addr: addr})
				if i%4 == 3 {
					_ = resetThrottle(app)
				}
			}
		})
	}
}

func resetThrottle(app *testapp.App) error {
	_, err := app.DB.App.Pool.Exec(context.Background(), `DELETE FROM login_throttle`)
	return err
}

// benchSupplierPage measures a supplier page with a filled application and
// reports the page's compressed weight as well as its server time.
func benchSupplierPage(b *testing.B, path string) {
	app := testapp.New(b)
	c := app.Client(b)
	if r := c.Post("/register", registerForm("siti@contoh.id")); r.StatusCode != http.StatusSeeOther {
		b.Fatal(r.StatusCode)
	}
	c.Post("/supplier/profile", profileForm)
	c.Post("/supplier/application/products", productForm)
	c.Post("/supplier/application/products", url.Values{"product_type": {"gaun-isolasi"}, "monthly_capacity": {"2000"}, "price_min": {"35000"}, "price_max": {"60000"}})
	upload(b, c, app, "photo", "foto.png", pngFile(b, 1))
	upload(b, c, app, "nib", "nib.pdf", minimalPDF)
	cookie := &http.Cookie{Name: "pasokan_session", Value: c.Cookie("pasokan_session")}

	// Weight: the HTML as sent gzipped.
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(cookie)
	req.Header.Set("Accept-Encoding", "gzip")
	w := httptest.NewRecorder()
	app.Server.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		b.Fatalf("status %d", w.Code)
	}
	weight := w.Body.Len()

	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.AddCookie(cookie)
			w := httptest.NewRecorder()
			app.Server.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d", w.Code)
			}
		}
	})
	// After the loop: ResetTimer drops reported metrics.
	b.ReportMetric(float64(weight), "html-gzip-B")
}

func BenchmarkProfilePage(b *testing.B)     { benchSupplierPage(b, "/supplier/profile") }
func BenchmarkApplicationPage(b *testing.B) { benchSupplierPage(b, "/supplier/application") }

// BenchmarkCurationQueue measures the curators' queue with about 10,000
// applications assigned to the organisation (the 2020 story at 14,000
// suppliers): the first page, a province filter, a name search, and a page
// deep in the list reached by its cursor.
func BenchmarkCurationQueue(b *testing.B) {
	app := testapp.NewScale(b, 14000)
	c := app.Client(b)
	c.Login("kurator@pasokan.test", "pasokan-demo", "/curation")
	cookie := &http.Cookie{Name: "pasokan_session", Value: c.Cookie("pasokan_session")}
	var total string
	if m := regexp.MustCompile(`([0-9.]+) pengajuan ditugaskan`).FindStringSubmatch(c.Get("/curation?status=curated").Body); m != nil {
		total = m[1]
	}
	b.Logf("applications assigned to the organisation: %s", total)
	// A cursor deep in the list: follow "next" 20 times.
	deep := "/curation"
	for range 20 {
		m := regexp.MustCompile(`href="(/curation\?cursor=[^"]+)"`).FindStringSubmatch(c.Get(deep).Body)
		if m == nil {
			break
		}
		deep = strings.ReplaceAll(m[1], "&amp;", "&")
	}
	for _, bc := range []struct{ name, path string }{
		{"first-page", "/curation"},
		{"province", "/curation?province=33"},
		{"search", "/curation?q=Koperasi"},
		{"all-curated", "/curation?status=curated"},
		{"deep-page", deep},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, bc.path, nil)
				req.AddCookie(cookie)
				w := httptest.NewRecorder()
				app.Server.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}

// BenchmarkCatalogPage is the buyers' catalogue, first page (the demo's 80
// curated suppliers; make loadtest measures it at scale).
func BenchmarkCatalogPage(b *testing.B) { benchPage(b, "pembeli@pasokan.test", "/catalog") }

// BenchmarkReviewPage is a curator's review page of an application waiting
// in the demo's queue: the case in one batch, its checklists, the page.
func BenchmarkReviewPage(b *testing.B) {
	app := testapp.New(b)
	c := app.Client(b)
	c.Login("kurator@pasokan.test", "pasokan-demo", "/curation")
	m := regexp.MustCompile(`href="(/curation/applications/\d+)"`).FindStringSubmatch(c.Get("/curation").Body)
	if m == nil {
		b.Fatal("no application in the queue")
	}
	benchLoggedIn(b, app, c, m[1])
}

// benchLoggedIn measures path for the client's session, in parallel.
func benchLoggedIn(b *testing.B, app *testapp.App, c *testapp.Client, path string) {
	cookie := &http.Cookie{Name: "pasokan_session", Value: c.Cookie("pasokan_session")}
	srv := app.Server
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.AddCookie(cookie)
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d", w.Code)
			}
		}
	})
}

// BenchmarkAuditLog is the ministry's audit log, first page (the demo's
// trail).
func BenchmarkAuditLog(b *testing.B) {
	app := testapp.New(b)
	c := app.Client(b)
	c.Login("admin@pasokan.test", "pasokan-demo", "/admin")
	benchLoggedIn(b, app, c, "/admin/audit")
}
