package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database/dbtest"
	"pasokan/internal/demo"
	"pasokan/internal/testapp"
)

// TestSeedIsInThePresent: the 2020 story keeps its shape but happens now.
// Its end lies within the day before the seed, and its last steps a few
// days before that; the applications
// waiting for the curators have waited days, not years; the million masks
// are due on the story's 15 May, moved; no offer is left unanswered past
// its deadline, which the expire_offers job would expire at once; and
// certificates and listings are of the last weeks.
func TestSeedIsInThePresent(t *testing.T) {
	t.Parallel()
	// A Friday morning in Jakarta: the story's last moment (a Sunday at
	// 20:00 in 2020) lands on Thursday evening.
	now := time.Date(2026, time.December, 4, 9, 30, 0, 0, time.UTC)
	db := dbtest.New(t)
	if _, err := demo.SeedScaleAt(context.Background(), db.App, testapp.Passwords(t), demo.DefaultSuppliers, now); err != nil {
		t.Fatal(err)
	}
	wib := time.FixedZone("WIB", 7*60*60)
	storyEnd := time.Date(2020, time.May, 31, 20, 0, 0, 0, wib)
	days := daysMoved(t, db)
	if end := storyEnd.AddDate(0, 0, days); end.After(now) || now.Sub(end) >= 24*time.Hour {
		t.Fatalf("moved %d days: the story ends %s, want within the day before %s", days, end, now)
	}

	var last time.Time
	query(t, db, `SELECT greatest((SELECT max(occurred_at) FROM application_events), (SELECT max(at) FROM order_events),
       (SELECT max(occurred_at) FROM audit_events WHERE action NOT IN ('demo.seeding', 'demo.seeded')),
       (SELECT max(created_at) FROM shipments), (SELECT max(issued_at) FROM certificates))`,
		func(r pgx.Rows) error { return r.Scan(&last) })
	// The story's last steps (the end of May's deliveries and drafts) were
	// a few days before its end.
	if last.After(now) || now.Sub(last) > 5*24*time.Hour {
		t.Errorf("the story's last step is at %s, want within five days before %s", last, now)
	}
	if n := one(t, db, `SELECT count(*) FROM application_events WHERE occurred_at < $1`, now.AddDate(0, -3, 0)); n != 0 {
		t.Errorf("%d application events more than three months old", n)
	}

	// Waiting applications waited days.
	var oldestS, newestS float64
	query(t, db, `SELECT extract(epoch FROM $1::timestamptz - min(submitted_at))::float8,
       extract(epoch FROM $1::timestamptz - max(submitted_at))::float8
  FROM applications WHERE status IN ('submitted', 'in_review')`,
		func(r pgx.Rows) error { return r.Scan(&oldestS, &newestS) }, now)
	oldest, newest := time.Duration(oldestS*float64(time.Second)), time.Duration(newestS*float64(time.Second))
	if newest <= 0 || newest > 14*24*time.Hour || oldest > 60*24*time.Hour {
		t.Errorf("waiting applications waited %s to %s, want days to weeks", newest, oldest)
	}
	var submitted time.Time
	query(t, db, `SELECT a.submitted_at FROM applications a JOIN memberships m ON m.organization_id = a.organization_id
  JOIN users u ON u.id = m.user_id WHERE u.email = 'umkm@pasokan.test'`,
		func(r pgx.Rows) error { return r.Scan(&submitted) })
	if want := time.Date(2020, time.May, 26, 9, 14, 0, 0, wib).AddDate(0, 0, days); !submitted.Equal(want) {
		t.Errorf("the demo supplier submitted at %s, want %s", submitted, want)
	}

	// The million masks' deadline, moved with the story.
	var deadline time.Time
	query(t, db, `SELECT deadline FROM demands WHERE title LIKE 'Masker kain 1.000.000%'`,
		func(r pgx.Rows) error { return r.Scan(&deadline) })
	if want := time.Date(2020, time.May, 15, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days); !deadline.Equal(want) {
		t.Errorf("the million masks are due %s, want %s", deadline.Format(time.DateOnly), want.Format(time.DateOnly))
	}
	// Offers: none waits past its deadline; the story's expired one
	// expired after its deadline.
	if n := one(t, db, `SELECT count(*) FROM orders WHERE status = 'offered' AND respond_by < $1`, now); n != 0 {
		t.Errorf("%d offers left unanswered past their deadline", n)
	}
	if n := one(t, db, `SELECT count(*) FROM orders o WHERE o.status = 'expired' AND NOT EXISTS (
    SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.action = 'order.expired' AND e.at > o.respond_by AND e.at <= $1)`, now); n != 0 {
		t.Errorf("%d expired orders without an expiry after their deadline", n)
	}
	// Certificates and listings of the last weeks (curated in the story's
	// April), and every listing confirmed: none lapses on the first sweep.
	if n := one(t, db, `SELECT count(*) FROM certificates WHERE issued_at < $1 OR issued_at > $2`, now.AddDate(0, 0, -70), now); n != 0 {
		t.Errorf("%d certificates not issued in the last ten weeks", n)
	}
	if n := one(t, db, `SELECT count(*) FROM listings WHERE curated_at < $1`, now.AddDate(0, 0, -70)); n != 0 {
		t.Errorf("%d listings curated more than ten weeks ago", n)
	}
}
