package demo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/demo"
	"pasokan/internal/i18n"
	"pasokan/internal/notify"
	"pasokan/internal/testapp"
)

// TestSeedScaleNotifiesAsThePortalDoes: a story larger than 2020's holds
// the notifications the portal sends for its events, to the organisations
// the portal sends them to, readable in both languages, none waiting to be
// e-mailed; what is unread is recent, or a curation body's notice of an
// application no curator has opened. A story seeded before the seed wrote
// notifications gets them from the seed run again, once.
func TestSeedScaleNotifiesAsThePortalDoes(t *testing.T) {
	t.Parallel()
	const n = 1000
	db, st := seeded(t, n)
	total := one(t, db, `SELECT count(*) FROM notifications`)
	if total == 0 || int64(total) != st.Rows["notifications"] {
		t.Fatalf("%d notifications, stats %d", total, st.Rows["notifications"])
	}
	byKey := counts(t, db, `SELECT key, count(*) FROM notifications GROUP BY 1`)
	events := counts(t, db, `SELECT CASE WHEN action = 'application.resubmitted' THEN 'application.submitted' ELSE action END, count(*)
  FROM application_events GROUP BY 1`)
	for key, action := range map[string]string{"application_submitted": "application.submitted",
		"curation_assigned": "application.assigned", "application_curated": "application.curated",
		"application_rejected": "application.rejected", "application_revision_requested": "application.revision_requested"} {
		if byKey[key] == 0 || byKey[key] != events[action] {
			t.Errorf("%d %s notifications for %d %s events", byKey[key], key, events[action], action)
		}
	}
	if byKey["order_offered"] == 0 || byKey["order_shipped"] == 0 || byKey["order_paid"] == 0 {
		t.Errorf("orders' notifications: %v", byKey)
	}
	// Each goes where the portal sends it: a supplier's application to the
	// supplier, its assignment to its curation body, an order's change to
	// the side that did not make it (its link says which).
	if bad := one(t, db, `SELECT count(*) FROM notifications n
  LEFT JOIN applications a ON n.link = '/curation/applications/' || a.id
  LEFT JOIN orders b ON n.link = '/buyer/orders/' || b.id
  LEFT JOIN orders s ON n.link = '/supplier/orders/' || s.id
 WHERE CASE WHEN n.key = 'curation_assigned' THEN a.assigned_org_id IS DISTINCT FROM n.organization_id
            WHEN n.key LIKE 'order\_%' THEN coalesce(b.buyer_org_id, s.supplier_org_id) IS DISTINCT FROM n.organization_id
            ELSE NOT EXISTS (SELECT 1 FROM applications x WHERE x.organization_id = n.organization_id) END`); bad != 0 {
		t.Errorf("%d notifications sent to another organisation than the portal's", bad)
	}
	if bad := one(t, db, `SELECT count(*) FROM notifications n JOIN order_events e ON e.order_id::text = split_part(n.link, '/', 4)
 WHERE n.key LIKE 'order\_%' AND n.key = 'order_' || split_part(e.action, '.', 2) AND n.created_at = e.at
   AND e.actor_org_id = n.organization_id`); bad != 0 {
		t.Errorf("%d orders' changes notified to the side that made them", bad)
	}
	if bad := one(t, db, `SELECT count(*) FROM notifications WHERE email_status <> '' OR user_id IS NOT NULL`); bad != 0 {
		t.Errorf("%d notifications to be e-mailed or for one member", bad)
	}
	if bad := one(t, db, `SELECT count(*) FROM (SELECT created_at < lag(created_at) OVER (ORDER BY id) AS early FROM notifications) x
 WHERE early`); bad != 0 {
		t.Errorf("%d notifications older than the one before them", bad)
	}
	if bad := one(t, db, `SELECT count(*) FROM notifications n
 WHERE n.read_at IS NULL AND n.created_at < now() - interval '4 days'
   AND NOT (n.key = 'curation_assigned' AND EXISTS (SELECT 1 FROM applications a
             WHERE n.link = '/curation/applications/' || a.id AND a.status = 'submitted'))`); bad != 0 {
		t.Errorf("%d old notifications left unread", bad)
	}
	if got := one(t, db, `SELECT count(*) FROM notifications n JOIN organizations o ON o.id = n.organization_id
 WHERE o.kind = 'curator' AND n.read_at IS NULL`); got < notify.UnreadCap {
		t.Errorf("%d unread notifications for the curation bodies", got)
	}
	// Every one reads as a sentence in both languages, its arguments
	// filled.
	var bad []string
	query(t, db, `SELECT DISTINCT ON (key) key, args FROM notifications ORDER BY key, id`, func(r pgx.Rows) error {
		var x notify.Notification
		if err := r.Scan(&x.Key, &x.Args); err != nil {
			return err
		}
		for _, lang := range []i18n.Lang{i18n.ID, i18n.EN} {
			if text := x.Text(lang); !i18n.Has(lang, "notification."+x.Key) || strings.Contains(text, "%!") {
				bad = append(bad, string(lang)+": "+text)
			}
		}
		return nil
	})
	if len(bad) > 0 {
		t.Errorf("notifications that do not read: %q", bad)
	}

	// Seeded before the seed notified: notified by the seed run again.
	ctx := context.Background()
	owner, err := pgx.Connect(ctx, db.OwnerURL)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(ctx)
	if _, err := owner.Exec(ctx, `TRUNCATE notifications`); err != nil {
		t.Fatal(err)
	}
	again, err := demo.SeedScale(ctx, db.App, testapp.Passwords(t), n)
	if err != nil || again.Seeded || !again.Completed || again.Rows["notifications"] != int64(total) {
		t.Fatalf("seed again without notifications: %+v, %v; want %d notifications added", again, err, total)
	}
	if got := one(t, db, `SELECT count(*) FROM notifications`); got != total {
		t.Errorf("%d notifications after the seed run again, want %d", got, total)
	}
	if again, err := demo.SeedScale(ctx, db.App, testapp.Passwords(t), n); err != nil || again.Completed {
		t.Errorf("seed again with notifications: %+v, %v; want a no-op", again, err)
	}
}
