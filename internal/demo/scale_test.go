package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database/dbtest"
	"pasokan/internal/demo"
	"pasokan/internal/testapp"
)

// TestSeedScaleKeepsTheProportions tells the story at 3,000 suppliers:
// statuses and provinces in the proportions of the 330 of 2020.
func TestSeedScaleKeepsTheProportions(t *testing.T) {
	t.Parallel()
	const n = 3000
	db, st := seeded(t, n)
	if st.Rows["applications"] != n {
		t.Errorf("stats: %d applications", st.Rows["applications"])
	}
	if got := one(t, db, `SELECT count(*) FROM organizations WHERE kind = 'supplier'`); got != n {
		t.Errorf("supplier organisations: %d, want %d", got, n)
	}
	// Of 330: 80 curated, 3 suspended, 22 rejected, 30 revision requested,
	// 45 in review, 60 submitted and the demo supplier's, 89 drafts.
	want := map[string]int{"curated": n * 80 / 330, "suspended": n * 3 / 330, "rejected": n * 22 / 330,
		"revision_requested": n * 30 / 330, "in_review": n * 45 / 330, "submitted": n*60/330 + 1}
	drafts := n
	for _, c := range want {
		drafts -= c
	}
	want["draft"] = drafts
	byStatus := counts(t, db, `SELECT status, count(*) FROM applications GROUP BY 1`)
	for s, c := range want {
		if byStatus[s] != c {
			t.Errorf("%s: %d, want %d", s, byStatus[s], c)
		}
	}
	byProv := counts(t, db, `SELECT province_code, count(*) FROM supplier_profiles GROUP BY 1`)
	if len(byProv) != 16 {
		t.Errorf("provinces: %v", byProv)
	}
	// Jawa Barat has 60 of 330, Aceh 6.
	if c := byProv["32"]; c < n*60/330 || c > n*60/330+1 {
		t.Errorf("Jawa Barat: %d of %d", c, n)
	}
	if c := byProv["11"]; c < n*6/330 || c > n*6/330+1 {
		t.Errorf("Aceh: %d of %d", c, n)
	}
	// Rejections at receipt in the order history signal too.
	if pairs := one(t, db, `SELECT count(*) FROM signals WHERE kind <> 'receipt_rejected'`) / 2; pairs != n*4/330 {
		t.Errorf("%d duplicate pairs, want %d", pairs, n*4/330)
	}
	// Beyond 2020's 330, five regional curation bodies join the partner.
	if got := one(t, db, `SELECT count(DISTINCT slug) FROM organizations`); got != n+4+5 {
		t.Errorf("%d slugs for %d organisations", got, n+4+5)
	}
	perCurator := counts(t, db, `SELECT o.name, count(*) FROM applications a JOIN organizations o ON o.id = a.assigned_org_id GROUP BY 1`)
	if len(perCurator) != 6 {
		t.Errorf("applications assigned to %d curator organisations, want 6: %v", len(perCurator), perCurator)
	}
	// Every application, review, sample and certificate is the curation body
	// of the supplier's province's.
	if bad := one(t, db, `SELECT count(*) FROM applications a
  JOIN supplier_profiles p ON p.organization_id = a.organization_id
  JOIN assignment_rules r ON r.province_code = p.province_code
 WHERE a.assigned_org_id <> r.curator_org_id`); bad != 0 {
		t.Errorf("%d applications assigned against their province's rule", bad)
	}
	if bad := one(t, db, `SELECT (SELECT count(*) FROM reviews r JOIN applications a ON a.id = r.application_id WHERE r.curator_org_id <> a.assigned_org_id)
     + (SELECT count(*) FROM samples s JOIN applications a ON a.id = s.application_id WHERE s.curator_org_id <> a.assigned_org_id)
     + (SELECT count(*) FROM certificates c JOIN applications a ON a.id = c.application_id JOIN organizations o ON o.id = c.curator_org_id
         WHERE c.curator_org_id <> a.assigned_org_id OR c.content->>'curator_name' <> o.name)`); bad != 0 {
		t.Errorf("%d reviews, samples or certificates by another curation body than the application's", bad)
	}
	if got := one(t, db, `SELECT count(*) FROM users WHERE email ~ '^umkm[0-9]{3,}@pasokan\.test$'`); got != n-1 {
		t.Errorf("%d umkmNNNN users", got)
	}
	// The curation follows the checklists at any scale.
	c := checkCuration(t, db)
	if c.curated != want["curated"] || c.certificates != want["curated"]+want["suspended"] {
		t.Errorf("%d curated with %d certificates, want %d and %d", c.curated, c.certificates, want["curated"], want["curated"]+want["suspended"])
	}
	t.Logf("%d reviews, %d certificates, %d samples; %d curated with a product left out", c.reviews, c.certificates, c.samples, c.partial)
}

// TestSeedIsDeterministic seeds two databases and finds the same story.
func TestSeedIsDeterministic(t *testing.T) {
	t.Parallel()
	const digest = `SELECT md5(string_agg(concat_ws('|', o.slug, o.created_at, p.legal_name, p.nib, p.npwp, p.phone,
       p.regency_code, p.workforce, a.status, a.version, a.submitted_at,
       (SELECT string_agg(e.action || e.occurred_at::text, ',' ORDER BY e.id) FROM application_events e WHERE e.application_id = a.id),
       (SELECT string_agg(encode(d.sha256, 'hex'), ',' ORDER BY d.id) FROM documents d WHERE d.organization_id = o.id),
       (SELECT string_agg(s.snapshot::text, ',' ORDER BY s.submission) FROM application_snapshots s WHERE s.application_id = a.id),
       (SELECT string_agg(concat_ws('/', r.product_type, r.answers::text, r.score, r.created_at), ',' ORDER BY r.id) FROM reviews r WHERE r.application_id = a.id),
       (SELECT string_agg(concat_ws('/', c.code, c.content::text, c.revoked_at), ',' ORDER BY c.id) FROM certificates c WHERE c.application_id = a.id),
       (SELECT string_agg(concat_ws('/', s.product_type, s.requested_at, s.result), ',' ORDER BY s.id) FROM samples s WHERE s.application_id = a.id),
       (SELECT string_agg(p.curation, ',' ORDER BY p.id) FROM application_products p WHERE p.application_id = a.id)
     ), ';' ORDER BY o.slug))
  FROM organizations o JOIN supplier_profiles p ON p.organization_id = o.id JOIN applications a ON a.organization_id = o.id`
	var sums [2]string
	now := time.Now()
	for i := range sums {
		// Both on one day: a seed moves the story to the day it runs.
		db := dbtest.New(t)
		if _, err := demo.SeedScaleAt(context.Background(), db.App, testapp.Passwords(t), 400, now); err != nil {
			t.Fatal(err)
		}
		query(t, db, digest, func(r pgx.Rows) error { return r.Scan(&sums[i]) })
	}
	if sums[0] != sums[1] {
		t.Errorf("two seeds differ: %s, %s", sums[0], sums[1])
	}
}

// TestSeedScaleOne is the demo supplier alone.
func TestSeedScaleOne(t *testing.T) {
	t.Parallel()
	db, _ := seeded(t, 1)
	if got := counts(t, db, `SELECT status, count(*) FROM applications GROUP BY 1`); len(got) != 1 || got["submitted"] != 1 {
		t.Errorf("statuses: %v", got)
	}
	other := dbtest.New(t)
	if _, err := demo.SeedScale(context.Background(), other.App, testapp.Passwords(t), 0); err == nil || !strings.Contains(err.Error(), "at least 1") {
		t.Errorf("seed of 0 suppliers: %v", err)
	}
}
