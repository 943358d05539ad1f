-- The curators' queue in one walk bounded by its page (issue 11).
--
-- The waiting queue (submitted and in review), the page every curator
-- opens, was read as one walk per status along applications_assigned_idx
-- (assigned_org_id, status, submitted_at, id), a page of each, then sorted
-- together. The waiting ones have an index of their own, in the queue's
-- order, and the page is the first rows of one walk. The queue's statement
-- names the two statuses as this predicate does, so that a generic plan
-- may use it.
--
-- The unclaimed (assignee filter "none") were asked for as
-- "assigned_user_id IS NULL" along applications_assignee_idx (org, status,
-- assignee, time, id): IS NULL is no equality to the planner, so the walk
-- lost the index's order and read every unclaimed application of a status
-- to sort them for a page (347 per status at 10,000 suppliers, growing with
-- them). They have a partial index in the queue's order.

-- +goose Up
CREATE INDEX applications_waiting_idx ON applications (assigned_org_id, submitted_at, id)
    WHERE status IN ('submitted', 'in_review');
CREATE INDEX applications_unclaimed_idx ON applications (assigned_org_id, status, submitted_at, id)
    WHERE assigned_user_id IS NULL;

-- +goose Down
DROP INDEX applications_unclaimed_idx;
DROP INDEX applications_waiting_idx;
