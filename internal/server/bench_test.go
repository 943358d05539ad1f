package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

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
				_, _ = store.Authenticate(ctx, bc.email, "salah sekali", addr)
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
