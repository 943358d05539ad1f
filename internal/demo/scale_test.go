package demo_test

import (
	"context"
	"errors"
	"fmt"
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

// TestSeedIsDeterministicAndResumes seeds two databases and finds the
// same story: one seed that runs through, and one stopped three times
// between units, as a crash would stop it, and resumed on a later day
// (a resumed story is told as of the moment it began).
func TestSeedIsDeterministicAndResumes(t *testing.T) {
	t.Parallel()
	const n = 400
	const suppliersDigest = `SELECT md5(string_agg(concat_ws('|', o.slug, o.created_at, p.legal_name, p.nib, p.npwp, p.phone,
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
	const ordersDigest = `SELECT md5(string_agg(concat_ws('|', d.title, d.created_at, d.status, b.slug, o.code, o.status, o.quantity,
       o.unit_price, s.slug, o.created_at, o.updated_at,
       (SELECT string_agg(e.action || e.at::text, ',' ORDER BY e.at, e.action) FROM order_events e WHERE e.order_id = o.id),
       (SELECT string_agg(concat_ws('/', r.code, r.accepted, r.rejected, r.created_at), ',' ORDER BY r.created_at) FROM receipts r WHERE r.order_id = o.id)
     ), ';' ORDER BY o.code))
  FROM orders o JOIN demands d ON d.id = o.demand_id JOIN organizations b ON b.id = o.buyer_org_id
  JOIN organizations s ON s.id = o.supplier_org_id`
	const restDigest = `SELECT concat_ws('|',
       (SELECT string_agg(concat_ws('/', o.slug, s.kind, x.slug, s.created_at), ',' ORDER BY o.slug, s.kind, x.slug)
          FROM signals s JOIN organizations o ON o.id = s.organization_id JOIN organizations x ON x.id = s.other_organization_id),
       (SELECT count(*) FROM demands), (SELECT count(*) FROM audit_events), (SELECT count(*) FROM notifications),
       (SELECT string_agg(concat_ws('/', o.slug, r.material, r.quantity, r.status, r.created_at), ',' ORDER BY o.slug, r.created_at)
          FROM material_requests r JOIN organizations o ON o.id = r.organization_id),
       (SELECT string_agg(concat_ws('/', o.slug, r.status, r.created_at), ',' ORDER BY o.slug, r.created_at)
          FROM permit_requests r JOIN organizations o ON o.id = r.organization_id))`
	digest := func(db *dbtest.DB) [3]string {
		var d [3]string
		for i, q := range []string{suppliersDigest, ordersDigest, restDigest} {
			query(t, db, q, func(r pgx.Rows) error { return r.Scan(&d[i]) })
		}
		return d
	}
	ctx := context.Background()
	pw := testapp.Passwords(t)
	now := time.Now()
	whole := dbtest.New(t)
	if _, err := demo.SeedScaleAt(ctx, whole.App, pw, n, now); err != nil {
		t.Fatal(err)
	}

	// Chunks of 150 suppliers and batches of 7 demands; stopped after the
	// second chunk, after the third batch of the history, and after the
	// seed's record, before the later steps.
	parts := dbtest.New(t)
	for i, stop := range []struct {
		after string
		check string
		want  int
	}{
		{"suppliers 1", `SELECT count(*) FROM applications`, 300},
		// 2020's two demands and three batches of the history's.
		{"history 2", `SELECT count(*) FROM demands`, 2 + 3*7},
		{"record", `SELECT count(*) FROM notifications`, 0},
		{"", `SELECT count(*) FROM audit_events WHERE action = 'demo.seeded'`, 1},
	} {
		st, err := demo.SeedInUnits(ctx, parts.App, pw, n, now.Add(time.Duration(i)*49*time.Hour), 150, 7, stop.after)
		if stop.after != "" && !errors.Is(err, demo.ErrStopped) || stop.after == "" && err != nil {
			t.Fatalf("seed %d, to stop after %q: %v", i, stop.after, err)
		}
		// The last finds the story written and adds the later steps.
		if st.Seeded != (i < 3) || st.Resumed != (i == 1 || i == 2) || st.Completed != (i == 3) {
			t.Errorf("seed %d: %+v, want the story begun, resumed twice, then completed", i, st)
		}
		if got := one(t, parts, stop.check); got != stop.want {
			t.Errorf("stopped after %q: %s gives %d, want %d", stop.after, stop.check, got, stop.want)
		}
		if i == 1 {
			if _, err := demo.SeedScaleAt(ctx, parts.App, pw, n+1, now); err == nil || !strings.Contains(err.Error(), "a story of 400 suppliers") {
				t.Errorf("a seed of another size over a story begun: %v", err)
			}
		}
	}
	a, b := digest(whole), digest(parts)
	for i, what := range []string{"suppliers", "orders", "signals, counts and support work"} {
		if a[i] != b[i] {
			if len(a[i]) > 300 {
				a[i], b[i] = a[i][:300], b[i][:300]
			}
			t.Errorf("the %s of a seed that ran through and of one resumed differ:\n%s\n%s", what, a[i], b[i])
		}
	}
	if again, err := demo.SeedScaleAt(ctx, parts.App, pw, n, now); err != nil || again.Seeded || again.Completed {
		t.Errorf("a seed over a whole story: %+v, %v; want a no-op", again, err)
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
	if _, err := demo.SeedScale(context.Background(), other.App, testapp.Passwords(t), 0); err == nil || err.Error() != "demo: seed: want at least 1 supplier, not 0" {
		t.Errorf("seed of 0 suppliers: %v", err)
	}
}

// TestSeedRefusesAnotherStory: a seed resumes only the story it tells. A
// story whose last written supplier is not the one this seed tells there
// (begun by another version of the seed; here its name changed) is
// refused, not finished with another.
func TestSeedRefusesAnotherStory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.New(t)
	pw := testapp.Passwords(t)
	now := time.Now()
	if _, err := demo.SeedInUnits(ctx, db.App, pw, 400, now, 150, 7, "suppliers 0"); !errors.Is(err, demo.ErrStopped) {
		t.Fatalf("seed stopped after the first chunk: %v", err)
	}
	db.AsOwner(t, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE organizations SET name = name || ' Baru'
 WHERE id = (SELECT max(id) FROM organizations WHERE kind = 'supplier')`)
		if err == nil && tag.RowsAffected() != 1 {
			err = fmt.Errorf("renamed %d suppliers, want the last one", tag.RowsAffected())
		}
		return err
	})
	_, err := demo.SeedInUnits(ctx, db.App, pw, 400, now, 150, 7, "")
	if err == nil || !strings.Contains(err.Error(), "begun by a seed that tells it otherwise") {
		t.Fatalf("resume another story: %v", err)
	}
	if got := one(t, db, `SELECT count(*) FROM applications`); got != 150 {
		t.Errorf("%d applications after the refusal, want the 150 of the first chunk", got)
	}
}
