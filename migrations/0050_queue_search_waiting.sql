-- The waiting applications' search tokens in the order curators read them.
--
-- The queue's tab of the waiting (submitted and in review) searched by a
-- word or filtered by a province walked the tokens once per status along
-- queue_search_walk_idx (organisation, token, status, time) and merged the
-- two walks: a page of 26 probed 52 applications, and its count read up to
-- 201 entries of each status. This index holds the waiting tokens alone in
-- the page's order (organisation, token, time), as applications_waiting_idx
-- (0019) does for the unfiltered queue: one walk that stops after the page
-- (curation/queuesql.go, queueWaitingByTokenSQL), one count to 201.
-- About two fifths of the tokens are of waiting applications in the seeded
-- story.
-- +goose NO TRANSACTION
-- +goose Up
SET lock_timeout = '10min';
SET statement_timeout = '1h';
DROP INDEX CONCURRENTLY IF EXISTS queue_search_waiting_idx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS queue_search_waiting_idx
    ON queue_search (assigned_org_id, token, submitted_at, application_id)
    WHERE status IN ('submitted', 'in_review');
RESET statement_timeout;
RESET lock_timeout;

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS queue_search_waiting_idx;
