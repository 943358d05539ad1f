-- The ministry's list of open permit-help requests, longest waiting first.
--
-- The list (permit/permit.go, listQuery with no step chosen) asks for the
-- four open steps ordered by the time a request entered its step, and
-- permit_requests_waiting_idx (status, status_changed_at, id) gives that
-- order one step at a time: the planner read every open request, joined
-- each to its organisation and sorted them for a page of 50. With the
-- story's support work at 200,000 suppliers (1,664 open requests) the
-- generic plan hashed all 200,000 organisations instead (139 ms, cold; 4.9
-- ms of Postgres a view under the load test). This index holds the open
-- requests alone in the list's order: one walk that stops after the page.
-- +goose NO TRANSACTION
-- +goose Up
SET lock_timeout = '10min';
SET statement_timeout = '1h';
DROP INDEX CONCURRENTLY IF EXISTS permit_requests_open_order_idx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS permit_requests_open_order_idx
    ON permit_requests (status_changed_at, id)
    WHERE status IN ('requested', 'documents_complete', 'submitted', 'questions');
RESET statement_timeout;
RESET lock_timeout;

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS permit_requests_open_order_idx;
