-- The curators' queue searched and filtered along an index, at any size.
--
-- A name search could not use an index under row-level security: ILIKE is
-- not leakproof, so Postgres applies the policies to every row before it
-- (668 ms at 200,000 suppliers with a trigram index in place). Here each
-- assigned application has search tokens (every word prefix of three to
-- twelve letters of its legal and trading names, its NIB, its province),
-- kept by triggers, and the queue walks (curator organisation, token,
-- status, submission time) for each status shown: equality on text is
-- leakproof, so the index condition runs below the policy, and each walk
-- stops after a page. (Without the status, a walk for the waiting ones read
-- through every older, decided application first: 10,157 rows at 200,000
-- suppliers for one page.)

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION queue_search_tokens(names text, nib text, province text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT t), '{}') FROM (
        SELECT left(w, k) AS t
          FROM regexp_split_to_table(lower(coalesce(names, '')), '[^a-z0-9]+') AS w,
               generate_series(3, least(length(w), 12)) AS k
         WHERE length(w) >= 3
        UNION ALL SELECT 'nib:' || nib WHERE coalesce(nib, '') <> ''
        UNION ALL SELECT 'prov:' || province WHERE coalesce(province, '') <> ''
    ) x
$$;
-- +goose StatementEnd

CREATE TABLE queue_search (
    application_id  bigint      NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    assigned_org_id bigint      NOT NULL,
    token           text        NOT NULL,
    status          text        NOT NULL,
    submitted_at    timestamptz NOT NULL,
    PRIMARY KEY (application_id, token)
);
CREATE INDEX queue_search_walk_idx ON queue_search (assigned_org_id, token, status, submitted_at, application_id);

-- Curators read their organisation's tokens (as they read its
-- applications), the ministry and the portal all. Row-level security is
-- enabled but not forced: only the owner's triggers below write it.
ALTER TABLE queue_search ENABLE ROW LEVEL SECURITY;
CREATE POLICY queue_search_select ON queue_search FOR SELECT USING (
    ((SELECT app_org_kind()) = 'curator' AND assigned_org_id = (SELECT app_org_id()))
    OR (SELECT app_is_ministry()) OR (SELECT app_mode()) = 'system');
GRANT SELECT ON queue_search TO pasokan_app;

-- queue_search_refresh rewrites the tokens of applications ids. It runs as
-- the owner, for whoever changed them, and reads the applications and
-- profiles through their (forced) policies as that person: a supplier
-- re-submitting, the portal assigning. It reads them by primary key, one
-- at a time: within a bulk load the statistics are stale, and a hash join
-- would read every profile for each statement (the seed slowed to
-- seconds per thousand suppliers at 500,000).
-- +goose StatementBegin
CREATE FUNCTION queue_search_refresh(ids bigint[]) RETURNS void LANGUAGE sql SECURITY DEFINER
SET search_path = public SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
    DELETE FROM queue_search WHERE application_id = ANY (ids);
    INSERT INTO queue_search (application_id, assigned_org_id, token, status, submitted_at)
    SELECT a.id, a.assigned_org_id, t, a.status, a.submitted_at
      FROM applications a
      JOIN supplier_profiles p ON p.organization_id = a.organization_id
     CROSS JOIN LATERAL unnest(queue_search_tokens(p.legal_name || ' ' || p.trading_name, p.nib, p.province_code)) AS t
     WHERE a.id = ANY (ids) AND a.assigned_org_id IS NOT NULL AND a.submitted_at IS NOT NULL;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION queue_search_applications() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM queue_search_refresh(ARRAY(SELECT id FROM new_rows WHERE assigned_org_id IS NOT NULL));
    ELSE
        PERFORM queue_search_refresh(ARRAY(
            SELECT n.id FROM new_rows n JOIN old_rows o USING (id)
             WHERE n.assigned_org_id IS DISTINCT FROM o.assigned_org_id OR n.submitted_at IS DISTINCT FROM o.submitted_at));
        -- A decision moves only the status.
        UPDATE queue_search q SET status = n.status
          FROM new_rows n JOIN old_rows o USING (id)
         WHERE q.application_id = n.id AND n.status <> o.status
           AND n.assigned_org_id IS NOT DISTINCT FROM o.assigned_org_id AND n.submitted_at IS NOT DISTINCT FROM o.submitted_at;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION queue_search_profiles() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    PERFORM queue_search_refresh(ARRAY(
        SELECT a.id FROM new_rows n JOIN old_rows o USING (organization_id)
          JOIN applications a ON a.organization_id = n.organization_id
         WHERE a.assigned_org_id IS NOT NULL
           AND (n.legal_name, n.trading_name, n.nib, n.province_code) IS DISTINCT FROM (o.legal_name, o.trading_name, o.nib, o.province_code)));
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER queue_search_insert AFTER INSERT ON applications
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_search_applications();
CREATE TRIGGER queue_search_update AFTER UPDATE ON applications
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_search_applications();
-- A profile is created before its application is assigned, so only its
-- changes matter.
CREATE TRIGGER queue_search_profiles AFTER UPDATE ON supplier_profiles
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_search_profiles();

-- Submitted applications waiting for a curator organisation: the
-- assignment loop reads them every few seconds, and walked every
-- submitted application to find none (3.4 s at 1,000,000 suppliers).
CREATE INDEX applications_unassigned_idx ON applications (submitted_at, id) WHERE status = 'submitted' AND assigned_org_id IS NULL;

-- The queue of one curator's claims, or of the unclaimed, along an index.
CREATE INDEX applications_assignee_idx ON applications (assigned_org_id, status, assigned_user_id, submitted_at, id);

SELECT set_config('pasokan.mode', 'system', true);
SELECT queue_search_refresh(ARRAY(SELECT id FROM applications WHERE assigned_org_id IS NOT NULL));

-- +goose Down
DROP INDEX applications_assignee_idx;
DROP INDEX applications_unassigned_idx;
DROP TRIGGER queue_search_profiles ON supplier_profiles;
DROP TRIGGER queue_search_update ON applications;
DROP TRIGGER queue_search_insert ON applications;
DROP FUNCTION queue_search_profiles(), queue_search_applications(), queue_search_refresh(bigint[]);
DROP TABLE queue_search;
DROP FUNCTION queue_search_tokens(text, text, text);
