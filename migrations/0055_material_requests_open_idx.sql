-- The ministry's list of open raw-material requests, most urgent first.
--
-- The list (material/ministry.go, listSQL with no status chosen) asks for
-- the waiting and the sourced ordered by the day needed, and
-- material_requests_status_idx (status, needed_by, id) gives that order one
-- status at a time: the planner read every open request and its
-- organisation and sorted them for a page of 50. This index holds the open
-- requests alone in the list's order: one walk that stops after the page.
-- +goose NO TRANSACTION
-- +goose Up
SET lock_timeout = '10min';
SET statement_timeout = '1h';
DROP INDEX CONCURRENTLY IF EXISTS material_requests_open_needed_idx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS material_requests_open_needed_idx
    ON material_requests (needed_by, id)
    WHERE status IN ('requested', 'sourcing');
RESET statement_timeout;
RESET lock_timeout;

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS material_requests_open_needed_idx;
