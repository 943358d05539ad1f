package e2e

import (
	"context"
	"net/http"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/notify"
)

// TestNotificationsOnPhoneWithoutJavaScript: an UMKM owner on a 360px phone
// with JavaScript off sees the unread count in the navigation, opens the
// notifications (readable, unread ones marked in words), follows one to
// what it is about, and the count is gone.
func TestNotificationsOnPhoneWithoutJavaScript(t *testing.T) {
	t.Parallel()
	app := startApp(t)
	ctx := context.Background()
	_, orgID := actorFor(t, app, "umkm@pasokan.test")
	err := app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE notifications SET read_at = now() WHERE read_at IS NULL`); err != nil {
			return err
		}
		for _, n := range []notify.Notification{
			{OrgID: orgID, Key: "application_revision_requested", Link: "/supplier/application"},
			{OrgID: orgID, Key: "listing_confirm"},
		} {
			if err := app.Portal.Outbox.Notify(ctx, tx, n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	o := phone
	o.NoJS = true
	b := newBrowser(t, app, o)
	b.open("/login")
	if st := b.login("umkm@pasokan.test", "pasokan-demo"); st != http.StatusOK {
		t.Fatalf("login: %d", st)
	}
	nav := `.site-nav a[href="/notifications"]`
	b.wantText(nav, msg("nav.notifications_unread", "2"))
	if st := b.click(nav); st != http.StatusOK {
		t.Fatalf("the notifications: %d", st)
	}
	b.wantPath("/notifications")
	b.screenshot("notifications-phone-nojs")
	wantReadable(t, b)
	if n := b.count(`[data-testid="notification"][data-unread="true"] [data-testid="unread"]`); n != 2 {
		t.Errorf("%d notifications marked unread in words, want 2", n)
	}
	b.wantText(`[data-testid="notification"] [data-testid="unread"]`, msg("notifications.unread"))
	b.wantText(nav, msg("nav.notifications"))
	link := `[data-testid="notification"] a[href^="/notifications/"]`
	b.wantText(link, msg("notification.application_revision_requested"))
	if st := b.click(link); st != http.StatusOK {
		t.Fatalf("following the notification: %d", st)
	}
	b.wantPath("/supplier/application")
	b.wantText(nav, msg("nav.notifications"))
	b.open("/notifications")
	if n := b.count(`[data-testid="unread"]`); n != 0 {
		t.Errorf("%d notifications still marked unread once read", n)
	}
}
