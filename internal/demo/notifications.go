package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// notifiedOrderDays is how far back a story larger than 2020's keeps the
// notifications of its orders: every change of an order notifies the
// other party, and at 1,000,000 suppliers the orders' 29 million events
// would make 29 million notifications (six gigabytes) that no page reads
// past its newest 25. The applications' notifications are all kept.
const notifiedOrderDays = 90

// unreadDays is how recent a notification is that its organisation has
// not read yet; older ones were read a day after they came, but for a
// curation body's notice of an application that no curator has opened.
const unreadDays = 3

// storyNotificationsSQL writes the notifications the portal sends for the
// story's events, as the portal words them (the keys, arguments and links
// of the services that notify: supplier.Submit, curation.Assign, a
// curator's decision, order.Store's changes and the expiry of offers),
// oldest first, so that their ids follow their time as the portal's do.
// None is to be e-mailed. $1 is the story's present, $2 the first moment
// whose orders' changes are notified.
const storyNotificationsSQL = `INSERT INTO notifications (organization_id, key, args, link, created_at, read_at)
SELECT n.org, n.key, n.args, n.link, n.at,
       CASE WHEN n.at < $1::timestamptz - make_interval(days => $3) AND NOT n.waiting
            THEN n.at + interval '1 day' END
  FROM (
    SELECT e.organization_id AS org, 'application_submitted' AS key, '[]'::jsonb AS args,
           '/supplier/application' AS link, e.occurred_at AS at, false AS waiting, e.id AS event, 0 AS part
      FROM application_events e
     WHERE e.action IN ('application.submitted', 'application.resubmitted')
    UNION ALL
    SELECT (e.detail->>'curator_org')::bigint, 'curation_assigned', '[]',
           '/curation/applications/' || e.application_id, e.occurred_at, a.status = 'submitted', e.id, 0
      FROM application_events e JOIN applications a ON a.id = e.application_id
     WHERE e.action = 'application.assigned'
    UNION ALL
    SELECT e.organization_id, 'application_' || e.to_status, '[]',
           CASE e.to_status WHEN 'curated' THEN '/supplier/certificate' ELSE '/supplier/application' END,
           e.occurred_at, false, e.id, 0
      FROM application_events e
     WHERE e.action IN ('application.curated', 'application.rejected', 'application.revision_requested',
                        'application.suspended')
    UNION ALL
    SELECT CASE WHEN e.action = 'order.offered' OR e.actor_org_id = e.buyer_org_id THEN e.supplier_org_id
                ELSE e.buyer_org_id END,
           'order_' || split_part(e.action, '.', 2),
           CASE WHEN e.action = 'order.offered' THEN jsonb_build_array(o.buyer_name, o.quantity::text)
                WHEN e.action = 'order.expired' THEN jsonb_build_array(o.id::text)
                WHEN e.actor_org_id = e.buyer_org_id THEN jsonb_build_array(o.id::text, o.buyer_name)
                ELSE jsonb_build_array(o.id::text, o.supplier_name) END,
           CASE WHEN e.action = 'order.offered' OR e.actor_org_id = e.buyer_org_id THEN '/supplier/orders/'
                ELSE '/buyer/orders/' END || o.id,
           e.at, false, e.id, 1
      FROM order_events e JOIN orders o ON o.id = e.order_id
     WHERE e.at >= $2
    UNION ALL
    -- An offer that expires tells both sides (the buyer above).
    SELECT e.supplier_org_id, 'order_expired', jsonb_build_array(o.id::text), '/supplier/orders/' || o.id,
           e.at, false, e.id, 2
      FROM order_events e JOIN orders o ON o.id = e.order_id
     WHERE e.at >= $2 AND e.action = 'order.expired'
  ) n
 ORDER BY n.at, n.part, n.event`

// notifyStory writes the story's notifications (storyNotificationsSQL) as
// of now and returns how many.
func notifyStory(ctx context.Context, tx pgx.Tx, now time.Time) (int64, error) {
	tag, err := tx.Exec(ctx, storyNotificationsSQL, now, now.AddDate(0, 0, -notifiedOrderDays), unreadDays)
	if err != nil {
		return 0, fmt.Errorf("insert notifications: %w", err)
	}
	return tag.RowsAffected(), nil
}
