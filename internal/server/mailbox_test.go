package server_test

import (
	"net/http"
	"strings"
	"testing"

	"pasokan/internal/testapp"
)

// TestDevMailboxOnlyWhenChosen: without the development mailbox (a
// deployment with a relay), the outbox page does not exist, even for the
// ministry, and no link leads to it.
func TestDevMailboxOnlyWhenChosen(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		opts    []testapp.Option
		mailbox bool
	}{
		{"chosen", nil, true},
		{"not chosen", []testapp.Option{testapp.WithoutDevMailbox()}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app := testapp.New(t, tc.opts...)
			admin := app.Client(t)
			admin.Login("admin@pasokan.test", "pasokan-demo", "/admin")
			want := map[bool]int{true: http.StatusOK, false: http.StatusNotFound}[tc.mailbox]
			if r := admin.Get("/admin/outbox"); r.StatusCode != want {
				t.Errorf("GET /admin/outbox: %d, want %d", r.StatusCode, want)
			}
			if page := admin.Get("/admin"); strings.Contains(page.Body, `href="/admin/outbox"`) != tc.mailbox {
				t.Errorf("a link to the mailbox on /admin: %v, want %v", !tc.mailbox, tc.mailbox)
			}
			supplier := app.Client(t)
			supplier.Login("umkm@pasokan.test", "pasokan-demo", "/supplier")
			if r := supplier.Get("/admin/outbox"); r.StatusCode != http.StatusNotFound {
				t.Errorf("a supplier's GET /admin/outbox: %d, want 404", r.StatusCode)
			}
		})
	}
}
