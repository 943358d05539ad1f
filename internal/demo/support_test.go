package demo_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/demo"
	"pasokan/internal/testapp"
)

// TestSeedScaleSupportsAsTheMinistryDoes: a story larger than 2020's holds
// the ministry's support work at its steps: raw-material requests for the
// orders their suppliers accepted, sourced through purchases of their
// material, each with the events of its steps; permit-help requests, each
// with an event a step; nothing after the story's present. A story seeded
// before the seed wrote them gets them from the seed run again, once.
func TestSeedScaleSupportsAsTheMinistryDoes(t *testing.T) {
	t.Parallel()
	const n = 1000
	db, st := seeded(t, n)
	materials, permits := one(t, db, `SELECT count(*) FROM material_requests`), one(t, db, `SELECT count(*) FROM permit_requests`)
	if materials == 0 || permits == 0 || int64(materials) != st.Rows["material_requests"] || int64(permits) != st.Rows["permit_requests"] {
		t.Fatalf("%d material and %d permit requests, stats %v", materials, permits, st.Rows)
	}
	if got := counts(t, db, `SELECT status, count(*) FROM permit_requests GROUP BY 1`); got["issued"] == 0 || got["refused"] == 0 ||
		got["requested"]+got["documents_complete"]+got["submitted"]+got["questions"] == 0 {
		t.Errorf("permit requests by step: %v", got)
	}
	if got := counts(t, db, `SELECT status, count(*) FROM material_requests GROUP BY 1`); got["delivered"] == 0 {
		t.Errorf("material requests by step: %v", got)
	}
	for _, c := range []struct{ what, q string }{
		{"material requests for another supplier's order", `SELECT count(*) FROM material_requests r JOIN orders o ON o.id = r.order_id
 WHERE o.supplier_org_id <> r.organization_id`},
		{"material requests sourced without a purchase of their material", `SELECT count(*) FROM material_requests r
  LEFT JOIN material_purchases p ON p.id = r.purchase_id
 WHERE r.status IN ('sourcing', 'delivered') AND (p.id IS NULL OR p.material <> r.material OR p.unit <> r.unit)`},
		{"material requests whose delivery is not their status's", `SELECT count(*) FROM material_requests
 WHERE (status = 'delivered') <> (delivered = quantity AND delivered > 0)`},
		{"material requests whose last event is not their step", `SELECT count(*) FROM material_requests r
 WHERE r.status <> (SELECT e.action FROM material_events e WHERE e.request_id = r.id ORDER BY e.created_at DESC, e.id DESC LIMIT 1)
    OR (SELECT e.action FROM material_events e WHERE e.request_id = r.id ORDER BY e.id LIMIT 1) <> 'requested'`},
		{"permit requests whose events are not their steps", `SELECT count(*) FROM permit_requests r
 WHERE r.version <> (SELECT count(*) FROM permit_events e WHERE e.request_id = r.id)
    OR r.status <> (SELECT e.status FROM permit_events e WHERE e.request_id = r.id ORDER BY e.created_at DESC, e.id DESC LIMIT 1)`},
		{"requests or steps after the story's present", `SELECT (SELECT count(*) FROM material_events WHERE created_at > now())
     + (SELECT count(*) FROM material_requests WHERE updated_at > now())
     + (SELECT count(*) FROM permit_events WHERE created_at > now())
     + (SELECT count(*) FROM permit_requests WHERE status_changed_at > now() OR issued_on > current_date)`},
		{"requests by someone not their supplier's owner", `SELECT (SELECT count(*) FROM material_requests r
  WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = r.organization_id AND m.user_id = r.created_by AND m.role = 'owner'))
     + (SELECT count(*) FROM permit_requests r
  WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = r.organization_id AND m.user_id = r.created_by AND m.role = 'owner'))`},
	} {
		if bad := one(t, db, c.q); bad != 0 {
			t.Errorf("%d %s", bad, c.what)
		}
	}

	// Seeded before the seed wrote them: written by the seed run again.
	ctx := context.Background()
	owner, err := pgx.Connect(ctx, db.OwnerURL)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(ctx)
	if _, err := owner.Exec(ctx, `TRUNCATE material_events, material_requests, material_purchases, permit_events, permit_requests`); err != nil {
		t.Fatal(err)
	}
	again, err := demo.SeedScale(ctx, db.App, testapp.Passwords(t), n)
	if err != nil || again.Seeded || !again.Completed || again.Rows["material_requests"] != int64(materials) ||
		again.Rows["permit_requests"] != int64(permits) || again.Rows["notifications"] != 0 {
		t.Fatalf("seed again without the support work: %+v, %v; want %d material and %d permit requests added", again, err, materials, permits)
	}
}
