package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/testapp"
)

const strong = "kain tiga lapis hijau"

func registerForm(email string) url.Values {
	return url.Values{"name": {"Siti Rahmawati"}, "email": {email}, "password": {strong}, "organization_name": {"Konveksi Uji"},
		"consent": {"yes"}}
}

func countUsers(t *testing.T, app *testapp.App, email string) int {
	t.Helper()
	var n int
	err := app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT count(*) FROM users WHERE email = $1`, email).Scan(&n)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRegisterLogoutLogin(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)

	r := c.Post("/register", registerForm("siti@contoh.id"))
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/supplier" {
		t.Fatalf("register: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	page := c.Get("/supplier")
	if page.StatusCode != 200 || !strings.Contains(page.Body, "Dasbor usaha") || !strings.Contains(page.Body, "Konveksi Uji") {
		t.Fatalf("dashboard: %d\n%s", page.StatusCode, page.Body)
	}
	if !strings.Contains(page.Body, "Akun dan usaha Anda sudah terdaftar") {
		t.Error("no welcome flash after sign-up")
	}
	if cc := page.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("authenticated page Cache-Control = %q", cc)
	}

	r = c.Post("/logout", nil)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Fatalf("logout: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r := c.Get("/supplier"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("dashboard after logout: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	c.Login("siti@contoh.id", strong, "/supplier")
	if r := c.Get("/supplier"); r.StatusCode != 200 {
		t.Fatalf("dashboard after login: %d", r.StatusCode)
	}
}

func TestRegisterInvalidKeepsInputAndStoresNothing(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)
	form := registerForm("siti@contoh.id")
	form.Set("password", "pendek")
	r := c.Post("/register", form)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", r.StatusCode)
	}
	for _, want := range []string{`value="Siti Rahmawati"`, `value="siti@contoh.id"`, `value="Konveksi Uji"`,
		"Kata sandi terlalu pendek", `aria-invalid="true"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(r.Body, `value="pendek"`) {
		t.Error("the password was drawn back into the page")
	}
	if n := countUsers(t, app, "siti@contoh.id"); n != 0 {
		t.Errorf("%d users stored", n)
	}
	// The same in English.
	en := app.Client(t)
	en.SetCookie("pasokan_lang", "en")
	if r := en.Post("/register", form); !strings.Contains(r.Body, "Password too short") {
		t.Error("no English message")
	}
}

func TestSessionTokenFromBeforeLoginIsDead(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)
	// Visiting a private page as a visitor leaves a session (the "please log
	// in" message): the token an attacker could plant.
	c.Get("/supplier")
	before := c.Cookie("pasokan_session")
	if before == "" {
		t.Fatal("no anonymous session")
	}
	c.Login("umkm@pasokan.test", "pasokan-demo", "/supplier")
	after := c.Cookie("pasokan_session")
	if after == "" || after == before {
		t.Fatalf("token not renewed at login: %q -> %q", before, after)
	}
	attacker := app.Client(t)
	attacker.SetCookie("pasokan_session", before)
	if r := attacker.Get("/supplier"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("old token reached the dashboard: %d", r.StatusCode)
	}
	if r := c.Get("/supplier"); r.StatusCode != 200 {
		t.Errorf("new token: %d", r.StatusCode)
	}
}

func TestCrossOriginPostIsRefusedAndChangesNothing(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	tests := []struct {
		name    string
		headers []string
	}{
		{"Sec-Fetch-Site cross-site", []string{"Sec-Fetch-Site", "cross-site"}},
		{"foreign Origin", []string{"Origin", "https://penipu.example"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := app.Client(t)
			email := "korban" + string(rune('a'+i)) + "@contoh.id"
			r := c.Post("/register", registerForm(email), tt.headers...)
			if r.StatusCode != http.StatusForbidden {
				t.Errorf("status %d, want 403", r.StatusCode)
			}
			if !strings.Contains(r.Body, "Permintaan ditolak") {
				t.Error("no friendly refusal page")
			}
			if n := countUsers(t, app, email); n != 0 {
				t.Errorf("cross-origin sign-up stored %d users", n)
			}
		})
	}
	// A logged-in person's state is protected the same way.
	c := app.Client(t)
	c.Login("umkm@pasokan.test", "pasokan-demo", "/supplier")
	r := c.Post("/logout", nil, "Sec-Fetch-Site", "cross-site")
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site logout: %d", r.StatusCode)
	}
	if r := c.Get("/supplier"); r.StatusCode != 200 {
		t.Errorf("session ended by a cross-site request: %d", r.StatusCode)
	}
	// Same-origin requests from the browser pass.
	if r := c.Post("/language", url.Values{"lang": {"en"}}, "Sec-Fetch-Site", "same-origin"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("same-origin POST: %d", r.StatusCode)
	}
}

func TestLoginThrottling(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)
	for i := range 5 {
		r := c.Post("/login", url.Values{"email": {"umkm@pasokan.test"}, "password": {"salah sekali"}})
		if r.StatusCode != http.StatusUnauthorized || !strings.Contains(r.Body, "E-mail atau kata sandi salah") {
			t.Fatalf("attempt %d: %d", i+1, r.StatusCode)
		}
	}
	r := c.Post("/login", url.Values{"email": {"umkm@pasokan.test"}, "password": {"pasokan-demo"}})
	if r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("after 5 failures: %d, want 429", r.StatusCode)
	}
	if r.Header.Get("Retry-After") == "" || !strings.Contains(r.Body, "Coba lagi dalam 1 menit") {
		t.Errorf("429 without Retry-After or message: %q", r.Header.Get("Retry-After"))
	}
	// An unknown address gets the very same answer as a wrong password.
	unknown := c.Post("/login", url.Values{"email": {"tidak.ada@contoh.id"}, "password": {"salah sekali"}})
	if unknown.StatusCode != http.StatusUnauthorized || !strings.Contains(unknown.Body, "E-mail atau kata sandi salah") {
		t.Errorf("unknown e-mail: %d", unknown.StatusCode)
	}
}

func TestIdleAndAbsoluteSessionLimits(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)

	idle := app.Client(t)
	idle.Login("umkm@pasokan.test", "pasokan-demo", "/supplier")
	active := app.Client(t)
	active.Login("kurator@pasokan.test", "pasokan-demo", "/curation")

	// Every 20 minutes the active person does something; the idle one not.
	for range 2 {
		app.Advance(20 * time.Minute)
		if r := active.Get("/curation"); r.StatusCode != 200 {
			t.Fatalf("active session ended early: %d", r.StatusCode)
		}
	}
	if r := idle.Get("/supplier"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("session idle 40 minutes still works: %d", r.StatusCode)
	}
	// Keep the active one busy until 12 hours after its login.
	for elapsed := 40 * time.Minute; elapsed+20*time.Minute < 12*time.Hour; elapsed += 20 * time.Minute {
		app.Advance(20 * time.Minute)
		if r := active.Get("/curation"); r.StatusCode != 200 {
			t.Fatalf("active session ended at %s: %d", elapsed+20*time.Minute, r.StatusCode)
		}
	}
	app.Advance(21 * time.Minute)
	if r := active.Get("/curation"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("session still alive past the 12-hour limit: %d", r.StatusCode)
	}
}

// storedToken is how the sessions table keeps a cookie's token: hashed.
func storedToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// sessionRow reads the stored session of token.
func sessionRow(t *testing.T, app *testapp.App, token string) (data []byte, expiry time.Time) {
	t.Helper()
	err := app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT data, expiry FROM sessions WHERE token = $1`, storedToken(token)).Scan(&data, &expiry)
	})
	if err != nil {
		t.Fatal(err)
	}
	return data, expiry
}

func TestReadingPagesDoesNotWriteTheSession(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)
	c.Login("umkm@pasokan.test", "pasokan-demo", "/supplier")
	c.Get("/supplier") // shows and removes nothing: there is no flash after login
	token := c.Cookie("pasokan_session")
	data, expiry := sessionRow(t, app, token)
	for range 5 {
		c.Get("/supplier")
		c.Get("/account")
	}
	data2, expiry2 := sessionRow(t, app, token)
	if string(data) != string(data2) || !expiry.Equal(expiry2) {
		t.Error("reading pages within a minute rewrote the session")
	}
	app.Advance(61 * time.Second)
	c.Get("/supplier")
	data3, _ := sessionRow(t, app, token)
	if string(data3) == string(data2) {
		t.Error("activity after a minute was not recorded")
	}
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	phone, laptop := app.Client(t), app.Client(t)
	phone.Login("umkm@pasokan.test", "pasokan-demo", "/supplier")
	laptop.Login("umkm@pasokan.test", "pasokan-demo", "/supplier")

	bad := laptop.Post("/account/password", url.Values{"current_password": {"salah"}, "new_password": {"benang merah putih"}})
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "Kata sandi saat ini salah") {
		t.Fatalf("wrong current password: %d", bad.StatusCode)
	}
	r := laptop.Post("/account/password", url.Values{"current_password": {"pasokan-demo"}, "new_password": {"benang merah putih"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: %d\n%s", r.StatusCode, r.Body)
	}
	if r := laptop.Get("/supplier"); r.StatusCode != 200 {
		t.Errorf("the session that changed the password ended: %d", r.StatusCode)
	}
	if r := phone.Get("/supplier"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the other session survived the password change: %d", r.StatusCode)
	}
	fresh := app.Client(t)
	fresh.Login("umkm@pasokan.test", "benang merah putih", "/supplier")
	// The owner is told by e-mail.
	var told bool
	for _, e := range app.Emails(t) {
		told = told || (e.To == "umkm@pasokan.test" && e.Kind == "password_changed")
	}
	if !told {
		t.Error("no e-mail about the password change")
	}
}

func TestDisablingEndsSessions(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	owner := app.Client(t)
	owner.Login("umkm@pasokan.test", "pasokan-demo", "/supplier")
	admin := app.Client(t)
	admin.Login("admin@pasokan.test", "pasokan-demo", "/admin")

	id, err := app.Accounts.UserIDByEmail(context.Background(), "umkm@pasokan.test")
	if err != nil {
		t.Fatal(err)
	}
	r := admin.Post("/admin/users/"+itoa(id)+"/disabled", url.Values{"disabled": {"true"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", r.StatusCode)
	}
	if r := owner.Get("/supplier"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("disabled user's session survived: %d", r.StatusCode)
	}
	r = app.Client(t).Post("/login", url.Values{"email": {"umkm@pasokan.test"}, "password": {"pasokan-demo"}})
	if r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "dinonaktifkan") {
		t.Errorf("disabled login: %d", r.StatusCode)
	}
	// A supplier cannot reach the admin route at all.
	if r := app.Client(t); true {
		r.Login("kurator@pasokan.test", "pasokan-demo", "/curation")
		if resp := r.Post("/admin/users/"+itoa(id)+"/disabled", url.Values{"disabled": {"false"}}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("curator disabling users: %d", resp.StatusCode)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
