-- Words of two letters are search tokens too (the prefixes of two letters
-- of every word, beside those of three to twelve).
--
-- The commonest first words of Indonesian business names have two letters:
-- "CV" (a quarter of the load test's suppliers), "UD", "PT". A search for
-- one of them had no token to walk, so the queue walked each status from
-- its oldest and checked every application's names against the text, at
-- most 500 a status: at 200,000 suppliers "CV" read 211 applications and
-- their cards for a page of 26 (0.89 ms), said the search may have stopped
-- short, and the ministry's search of organisations asked for three
-- letters. With the tokens both walk "cv" along their indexes like any word
-- (queue_search_walk_idx, organization_search_pkey) and stop after a page.
-- About three tokens more per application (472,192 for 145,452 assigned
-- applications at 200,000 suppliers; twelve before).
--
-- The rows there are get theirs here, in this migration's transaction:
-- inserts block neither reads nor other writes. Until it commits, the
-- running release writes tokens without the new ones (the old function), so
-- an application changed meanwhile may keep its two-letter tokens of
-- before the change until its next change; the queue checks a page's
-- statuses on the application itself. At 1,000,000 suppliers this inserts
-- about 6 million rows: run it with `pasokan migrate` before a rollout
-- (MIGRATIONS.md, "Long migrations").
--
-- The walks and counts along the tokens read their index alone only where
-- the visibility map says a page's rows are visible to all, which a vacuum
-- sets. By default autovacuum vacuums a table for inserts after a fifth of
-- it is new: the 472,192 rows here are 16 % of queue_search at 200,000
-- suppliers, and until a vacuum the queue's count of "cv" looked up every
-- entry it counted in the table (402 heap fetches, 0.48 ms instead of
-- 0.1). The token tables grow by inserts (a submission, a new name), so
-- they are vacuumed after 2 % new rows. (ALTER TABLE ... SET takes a lock
-- that blocks neither reads nor writes.)

-- +goose Up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '30min';

ALTER TABLE queue_search SET (autovacuum_vacuum_insert_scale_factor = 0.02);
ALTER TABLE organization_search SET (autovacuum_vacuum_insert_scale_factor = 0.02);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION queue_search_tokens(names text, nib text, province text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT t), '{}')
      FROM (SELECT array_remove(regexp_split_to_array(lower(coalesce(names, '')), '[^a-z0-9]+'), '') AS ws) s,
           LATERAL (
        SELECT left(w, k) AS t
          FROM unnest(s.ws) AS w, generate_series(2, least(length(w), 12)) AS k
         WHERE length(w) >= 2
        UNION ALL SELECT left(s.ws[i], 12) || ' ' || left(s.ws[i + 1], 3)
          FROM generate_series(1, cardinality(s.ws) - 1) AS i
        UNION ALL SELECT 'nib:' || nib WHERE coalesce(nib, '') <> ''
        UNION ALL SELECT 'prov:' || province WHERE coalesce(province, '') <> ''
    ) x
$$;
-- +goose StatementEnd

-- The two-letter tokens of what is already kept: the assigned applications
-- (as queue_search_refresh writes them) and every organisation (as
-- organization_search_refresh does). A token of two characters is never a
-- pair ("a b" has three), an NIB's or a province's.
SELECT set_config('pasokan.mode', 'system', true);
INSERT INTO queue_search (application_id, assigned_org_id, token, status, submitted_at)
SELECT a.id, a.assigned_org_id, t, a.status, a.submitted_at
  FROM applications a
  JOIN supplier_profiles p ON p.organization_id = a.organization_id
 CROSS JOIN LATERAL unnest(queue_search_tokens(p.legal_name || ' ' || p.trading_name, p.nib, p.province_code)) AS t
 WHERE a.assigned_org_id IS NOT NULL AND a.submitted_at IS NOT NULL AND length(t) = 2
ON CONFLICT DO NOTHING;

INSERT INTO organization_search (token, organization_id, kind)
SELECT DISTINCT t, o.id, o.kind
  FROM organizations o
  LEFT JOIN supplier_profiles p ON p.organization_id = o.id
 CROSS JOIN LATERAL unnest(queue_search_tokens(
       o.name || ' ' || coalesce(p.legal_name, '') || ' ' || coalesce(p.trading_name, ''), p.nib, NULL)) AS t
 WHERE length(t) = 2
ON CONFLICT DO NOTHING;

-- +goose Down
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '30min';

ALTER TABLE queue_search RESET (autovacuum_vacuum_insert_scale_factor);
ALTER TABLE organization_search RESET (autovacuum_vacuum_insert_scale_factor);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION queue_search_tokens(names text, nib text, province text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT t), '{}')
      FROM (SELECT array_remove(regexp_split_to_array(lower(coalesce(names, '')), '[^a-z0-9]+'), '') AS ws) s,
           LATERAL (
        SELECT left(w, k) AS t
          FROM unnest(s.ws) AS w, generate_series(3, least(length(w), 12)) AS k
         WHERE length(w) >= 3
        UNION ALL SELECT left(s.ws[i], 12) || ' ' || left(s.ws[i + 1], 3)
          FROM generate_series(1, cardinality(s.ws) - 1) AS i
        UNION ALL SELECT 'nib:' || nib WHERE coalesce(nib, '') <> ''
        UNION ALL SELECT 'prov:' || province WHERE coalesce(province, '') <> ''
    ) x
$$;
-- +goose StatementEnd
SELECT set_config('pasokan.mode', 'system', true);
DELETE FROM queue_search WHERE length(token) = 2;
DELETE FROM organization_search WHERE length(token) = 2;
