-- The audit log searched by the ministry (issue 12): by organisation, by
-- person (who acted), by action and by date, newest first, page by page.
--
-- Entries are listed by when they happened, then by id, and a page
-- continues after the last entry shown: each filter walks an index in that
-- order and stops after a page, whatever the trail's size. The organisation
-- and person indexes of 0001, by id, served no read; these replace them.
-- Actions are matched by equality (leakproof, so the index serves it under
-- row-level security); the list of actions to choose from is read by
-- skipping along the action index, one probe per action.

-- +goose Up
CREATE INDEX audit_events_time_idx ON audit_events (occurred_at, id);
CREATE INDEX audit_events_org_time_idx ON audit_events (organization_id, occurred_at, id);
CREATE INDEX audit_events_actor_time_idx ON audit_events (actor_user_id, occurred_at, id);
CREATE INDEX audit_events_action_time_idx ON audit_events (action, occurred_at, id);
DROP INDEX audit_events_org_idx;
DROP INDEX audit_events_actor_idx;

-- +goose Down
CREATE INDEX audit_events_org_idx ON audit_events (organization_id, id DESC);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_user_id, id DESC);
DROP INDEX audit_events_action_time_idx;
DROP INDEX audit_events_actor_time_idx;
DROP INDEX audit_events_org_time_idx;
DROP INDEX audit_events_time_idx;
