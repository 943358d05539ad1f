-- A supplier withdraws its own raw-material request while nobody has acted
-- on it yet (issue 12): status requested, not grouped into a purchase.
-- The request closes with the supplier's reason and a 'withdrawn' step on
-- its timeline. Row-level security lets the supplier's members make that
-- one change to their own organisation's requests, and write that one step.

-- +goose Up
ALTER TABLE material_events DROP CONSTRAINT material_events_action_check;
ALTER TABLE material_events ADD CONSTRAINT material_events_action_check
    CHECK (action IN ('requested', 'sourcing', 'delivered', 'closed', 'withdrawn'));
CREATE POLICY material_requests_withdraw ON material_requests FOR UPDATE
    USING ((SELECT app_org_kind()) = 'supplier' AND organization_id = (SELECT app_org_id())
           AND status = 'requested' AND purchase_id IS NULL)
    WITH CHECK ((SELECT app_org_kind()) = 'supplier' AND organization_id = (SELECT app_org_id())
                AND status = 'closed' AND purchase_id IS NULL);
ALTER POLICY material_events_insert ON material_events WITH CHECK (
    ((SELECT app_org_kind()) = 'supplier' AND organization_id = (SELECT app_org_id()) AND action IN ('requested', 'withdrawn'))
    OR (SELECT app_is_ministry()) OR (SELECT app_mode()) = 'system');

-- +goose Down
ALTER POLICY material_events_insert ON material_events WITH CHECK (
    ((SELECT app_org_kind()) = 'supplier' AND organization_id = (SELECT app_org_id()) AND action = 'requested')
    OR (SELECT app_is_ministry()) OR (SELECT app_mode()) = 'system');
DROP POLICY material_requests_withdraw ON material_requests;
ALTER TABLE material_events DROP CONSTRAINT material_events_action_check;
ALTER TABLE material_events ADD CONSTRAINT material_events_action_check
    CHECK (action IN ('requested', 'sourcing', 'delivered', 'closed'));
