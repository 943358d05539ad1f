package main

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestGetPageLogsInAgainWhenTheSessionEnded: a logged-in page that answers
// with the login page's redirect (its session ended while other pages ran)
// is read again after its person logs in again, and measured with the new
// session; a page that redirects whatever the session is an error, not a
// page measured.
func TestGetPageLogsInAgainWhenTheSessionEnded(t *testing.T) {
	logins.Store("pasokan_session=ended", "umkm@pasokan.test")
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("email") != "umkm@pasokan.test" {
			http.Error(w, "who?", http.StatusUnprocessableEntity)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "pasokan_session", Value: "fresh"})
		http.Redirect(w, r, "/supplier", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /notifications", func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("pasokan_session"); err != nil || c.Value != "fresh" {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		w.Write([]byte("the notifications"))
	})
	mux.HandleFunc("GET /elsewhere", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	p := page{name: "supplier-notifications", path: "/notifications", cookie: "pasokan_session=ended"}
	body, err := getPage(srv.URL, &p)
	if err != nil || body != "the notifications" || p.cookie != "pasokan_session=fresh" {
		t.Errorf("an ended session: %q, %v, cookie %q; want the page read with a fresh session", body, err, p.cookie)
	}
	p = page{name: "elsewhere", path: "/elsewhere", cookie: "pasokan_session=fresh"}
	if body, err := getPage(srv.URL, &p); !errors.Is(err, errRedirected) {
		t.Errorf("a page that always redirects: %q, %v; want an error", body, err)
	}
}
