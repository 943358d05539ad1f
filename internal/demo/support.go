package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// The ministry's support work in a story larger than 2020's: raw-material
// requests for the orders suppliers accepted, and help with a permit for
// the products they were ordered, each at its step as of the story's
// present, so that the ministry's lists and their summaries are measured
// at a national programme's size (the load test's stories held none).
//
// One accepted order in fifty asks for a material (the one its product is
// mostly made of, in proportion to its units), needed a week before the
// order is due: still waiting or being sourced while the order is in
// production, delivered once it was shipped, closed if it was cancelled.
// The ministry sources them in purchases of one material a week. One
// order in sixty gives its supplier a reason to ask for help with the
// product's permit (one request a supplier and product): those of the last
// 45 days are at a step on the way, older ones issued, or one in four
// refused.

// supportMaterialsSQL writes the material requests, their purchases and
// their events. $1 is the story's present.
const supportMaterialsSQL = `WITH admin AS (SELECT id FROM users WHERE email = 'admin@pasokan.test'),
chosen AS (
  SELECT o.id AS order_id, o.supplier_org_id AS org, p.province_code, o.status AS order_status, o.due_date,
         acc.at + interval '2 hours' AS at, own.user_id AS owner, o.quantity AS units,
         (ARRAY['cotton', 'elastic', 'thread', 'spunbond', 'meltblown'])[1 + (o.id / 50) % 5] AS material
    FROM orders o
    JOIN supplier_profiles p ON p.organization_id = o.supplier_org_id
    CROSS JOIN LATERAL (SELECT e.at FROM order_events e WHERE e.order_id = o.id
                          AND e.action IN ('order.accepted', 'order.counter_accepted') ORDER BY e.id LIMIT 1) acc
    CROSS JOIN LATERAL (SELECT m.user_id FROM memberships m WHERE m.organization_id = o.supplier_org_id
                          AND m.role = 'owner' ORDER BY m.user_id LIMIT 1) own
   WHERE o.id % 50 = 7 AND acc.at < $1::timestamptz),
shaped AS (
  SELECT c.*,
         CASE c.material WHEN 'spunbond' THEN 'kg' WHEN 'meltblown' THEN 'kg' WHEN 'thread' THEN 'roll' ELSE 'm' END AS unit,
         greatest(1, CASE c.material WHEN 'cotton' THEN c.units / 4 WHEN 'elastic' THEN c.units * 2 / 5
                                     WHEN 'thread' THEN c.units / 2000 WHEN 'spunbond' THEN c.units * 3 / 1000
                                     ELSE c.units / 1000 END) AS quantity,
         CASE WHEN c.order_status IN ('cancelled', 'declined', 'expired') THEN 'closed'
              WHEN c.order_status IN ('accepted', 'in_production') AND (c.order_id / 50) % 3 = 0 THEN 'requested'
              -- Not yet sourced: the week's purchase is still to come.
              WHEN date_trunc('week', c.at) + interval '7 days 10 hours' > $1::timestamptz THEN 'requested'
              WHEN c.order_status IN ('accepted', 'in_production')
                OR date_trunc('week', c.at) + interval '12 days 10 hours' > $1::timestamptz THEN 'sourcing'
              ELSE 'delivered' END AS status
    FROM chosen c),
purchases AS (
  INSERT INTO material_purchases (material, unit, source, created_by, created_at)
  SELECT s.material, s.unit, 'PT Tekstil Nusantara (BUMN)', (SELECT id FROM admin),
         date_trunc('week', s.at) + interval '7 days 10 hours'
    FROM shaped s WHERE s.status IN ('sourcing', 'delivered')
   GROUP BY s.material, s.unit, date_trunc('week', s.at)
   ORDER BY 4, 1, 2
  RETURNING id, material, unit, created_at),
requests AS (
  INSERT INTO material_requests (organization_id, province_code, material, quantity, unit, needed_by, order_id,
                                 status, purchase_id, source, delivered, reason, version, created_by, created_at, updated_at)
  SELECT s.org, s.province_code, s.material, s.quantity, s.unit, s.due_date - 7, s.order_id, s.status, pu.id,
         CASE WHEN pu.id IS NULL THEN '' ELSE 'PT Tekstil Nusantara (BUMN)' END,
         CASE WHEN s.status = 'delivered' THEN s.quantity ELSE 0 END,
         CASE WHEN s.status = 'closed' THEN 'Pesanan dibatalkan.' ELSE '' END,
         CASE s.status WHEN 'requested' THEN 1 WHEN 'closed' THEN 2 WHEN 'sourcing' THEN 2 ELSE 3 END,
         s.owner, s.at, coalesce(pu.created_at, s.at)
    FROM shaped s
    LEFT JOIN purchases pu ON s.status IN ('sourcing', 'delivered') AND pu.material = s.material AND pu.unit = s.unit
         AND pu.created_at = date_trunc('week', s.at) + interval '7 days 10 hours'
   ORDER BY s.at, s.order_id
  RETURNING id, organization_id, quantity, status, created_by, created_at, updated_at, needed_by)
INSERT INTO material_events (request_id, organization_id, action, quantity, on_date, note, actor_user_id, created_at)
SELECT e.* FROM (
  SELECT r.id, r.organization_id, 'requested', r.quantity, NULL::date, '', r.created_by, r.created_at FROM requests r
  UNION ALL
  SELECT r.id, r.organization_id, 'sourcing', NULL, NULL, 'PT Tekstil Nusantara (BUMN)', (SELECT id FROM admin), r.updated_at
    FROM requests r WHERE r.status IN ('sourcing', 'delivered')
  UNION ALL
  SELECT r.id, r.organization_id, 'delivered', r.quantity, (r.updated_at + interval '5 days')::date, '',
         (SELECT id FROM admin), r.updated_at + interval '5 days'
    FROM requests r WHERE r.status = 'delivered'
  UNION ALL
  SELECT r.id, r.organization_id, 'closed', NULL, NULL, 'Pesanan dibatalkan.', (SELECT id FROM admin),
         least(r.created_at + interval '1 day', $1::timestamptz - interval '1 minute')
    FROM requests r WHERE r.status = 'closed'
) e (request_id, organization_id, action, quantity, on_date, note, actor_user_id, created_at)
 ORDER BY e.created_at, e.request_id`

// supportPermitsSQL writes the permit-help requests and their events. $1
// is the story's present.
const supportPermitsSQL = `WITH admin AS (SELECT id FROM users WHERE email = 'admin@pasokan.test'),
chosen AS (
  SELECT DISTINCT ON (o.supplier_org_id, o.product_type)
         o.supplier_org_id AS org, p.province_code, o.product_type, o.created_at + interval '1 day' AS at, o.id AS order_id,
         own.user_id AS owner
    FROM orders o
    JOIN supplier_profiles p ON p.organization_id = o.supplier_org_id
    CROSS JOIN LATERAL (SELECT m.user_id FROM memberships m WHERE m.organization_id = o.supplier_org_id
                          AND m.role = 'owner' ORDER BY m.user_id LIMIT 1) own
   WHERE o.id % 60 = 11 AND o.created_at + interval '1 day' < $1::timestamptz
   ORDER BY o.supplier_org_id, o.product_type, o.id DESC),
shaped AS (
  SELECT c.*,
         (ARRAY['akd', 'pkd', 'sni', 'lab_test'])[1 + (c.order_id / 60) % 4] AS kind,
         CASE WHEN c.at >= $1::timestamptz - interval '45 days'
              THEN (ARRAY['requested', 'documents_complete', 'submitted', 'questions'])[1 + (c.order_id / 60) % 4]
              WHEN (c.order_id / 60) % 4 = 3 THEN 'refused'
              ELSE 'issued' END AS status,
         CASE WHEN c.at >= $1::timestamptz - interval '45 days'
              THEN 1 + (c.order_id / 60) % 4 ELSE 4 END AS steps,
         -- The steps of a request on the way fall before the present.
         CASE WHEN c.at >= $1::timestamptz - interval '45 days'
              THEN ($1::timestamptz - c.at) / 5 ELSE interval '8 days' END AS gap
    FROM chosen c),
requests AS (
  INSERT INTO permit_requests (organization_id, province_code, product_type, permit_kind, status, permit_number, issued_on,
                               reason, version, status_changed_at, created_by, created_at, updated_at)
  SELECT s.org, s.province_code, s.product_type, s.kind, s.status,
         CASE WHEN s.status = 'issued' THEN upper(replace(s.kind, '_', ' ')) || ' ' || (20901000000 + s.order_id) ELSE '' END,
         CASE WHEN s.status = 'issued' THEN (s.at + (s.steps - 1) * s.gap)::date END,
         CASE WHEN s.status = 'refused' THEN 'Hasil uji laboratorium tidak memenuhi syarat.' ELSE '' END,
         s.steps, s.at + (s.steps - 1) * s.gap, s.owner, s.at, s.at + (s.steps - 1) * s.gap
    FROM shaped s
   ORDER BY s.at, s.org
  RETURNING id, organization_id, status, version, created_by, created_at, updated_at)
INSERT INTO permit_events (request_id, organization_id, status, note, actor_user_id, created_at)
SELECT r.id, r.organization_id,
       CASE WHEN n = r.version THEN r.status
            ELSE (ARRAY['requested', 'documents_complete', 'submitted', 'questions'])[n] END,
       '', CASE WHEN n = 1 THEN r.created_by ELSE (SELECT id FROM admin) END,
       r.created_at + (n - 1) * (r.updated_at - r.created_at) / greatest(r.version - 1, 1)
  FROM requests r CROSS JOIN LATERAL generate_series(1, r.version) n
 ORDER BY 6, r.id, n`

// supportStory writes the ministry's support work (supportMaterialsSQL,
// supportPermitsSQL) as of now and adds the rows written to rows.
func supportStory(ctx context.Context, tx pgx.Tx, now time.Time, rows map[string]int64) error {
	tag, err := tx.Exec(ctx, supportMaterialsSQL, now)
	if err != nil {
		return fmt.Errorf("insert material requests: %w", err)
	}
	rows["material_events"] += tag.RowsAffected()
	tag, err = tx.Exec(ctx, supportPermitsSQL, now)
	if err != nil {
		return fmt.Errorf("insert permit requests: %w", err)
	}
	rows["permit_events"] += tag.RowsAffected()
	type written struct{ MaterialRequests, PermitRequests, MaterialPurchases int64 }
	counted, _ := tx.Query(ctx, `SELECT (SELECT count(*) FROM material_requests) AS material_requests,
       (SELECT count(*) FROM permit_requests) AS permit_requests, (SELECT count(*) FROM material_purchases) AS material_purchases`)
	w, err := pgx.CollectOneRow(counted, pgx.RowToStructByName[written])
	if err != nil {
		return fmt.Errorf("count the support work: %w", err)
	}
	rows["material_requests"], rows["permit_requests"], rows["material_purchases"] = w.MaterialRequests, w.PermitRequests, w.MaterialPurchases
	return nil
}

// laterStep is a part of a story larger than 2020's written after the
// story itself, from it, in one set-based statement or a few: a story
// seeded before the seed wrote it gets it from the seed run again, when
// its table is empty.
type laterStep struct {
	table string
	write func(ctx context.Context, tx pgx.Tx, now time.Time, rows map[string]int64) error
}

// laterSteps are the later steps, in order.
var laterSteps = []laterStep{
	{"notifications", func(ctx context.Context, tx pgx.Tx, now time.Time, rows map[string]int64) error {
		k, err := notifyStory(ctx, tx, now)
		rows["notifications"] += k
		return err
	}},
	{"material_requests", supportStory},
}

// LaterTables are the tables the later steps write, for the statistics
// after a story is completed.
var LaterTables = []string{"notifications", "material_requests", "material_events", "material_purchases",
	"permit_requests", "permit_events"}
