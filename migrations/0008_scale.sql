-- Scale: row-level security that Postgres evaluates once per query, not
-- once per row.
--
-- Every policy read the tenant settings through app_*() function calls,
-- evaluated for each row and each policy: at 200,000 suppliers the home
-- page's count of organisations evaluated them 200,000 times, and the
-- subplans they made inflated the planner's estimates until it
-- JIT-compiled the query on every request. Written as scalar subqueries,
-- (SELECT app_org_id()), each setting becomes an init plan: read once per
-- query, a constant for every row. The conditions are unchanged; the
-- isolation tests prove it.

-- +goose Up
ALTER POLICY application_events_curator ON application_events
    USING ((((SELECT app_org_kind()) = 'curator'::text) AND (EXISTS ( SELECT 1
   FROM applications a
  WHERE ((a.organization_id = application_events.organization_id) AND (a.assigned_org_id = (SELECT app_org_id())))))));
ALTER POLICY application_events_curator_insert ON application_events
    WITH CHECK (app_assigned(organization_id));
ALTER POLICY application_events_insert ON application_events
    WITH CHECK (((organization_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY application_events_select ON application_events
    USING (((organization_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY application_flags_curator ON application_flags
    USING ((((SELECT app_org_kind()) = 'curator'::text) AND (EXISTS ( SELECT 1
   FROM applications a
  WHERE ((a.organization_id = application_flags.organization_id) AND (a.assigned_org_id = (SELECT app_org_id())))))));
ALTER POLICY application_flags_curator_insert ON application_flags
    WITH CHECK (app_assigned(organization_id));
ALTER POLICY application_flags_insert ON application_flags
    WITH CHECK (((SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY application_flags_select ON application_flags
    USING (((organization_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY application_products_all ON application_products
    USING (((organization_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)))
    WITH CHECK (((organization_id = (SELECT app_org_id())) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY application_products_curator ON application_products
    USING ((((SELECT app_org_kind()) = 'curator'::text) AND (EXISTS ( SELECT 1
   FROM applications a
  WHERE ((a.organization_id = application_products.organization_id) AND (a.assigned_org_id = (SELECT app_org_id())))))));
ALTER POLICY application_products_curator_update ON application_products
    USING (app_assigned(organization_id))
    WITH CHECK (app_assigned(organization_id));
ALTER POLICY application_snapshots_curator ON application_snapshots
    USING ((((SELECT app_org_kind()) = 'curator'::text) AND (EXISTS ( SELECT 1
   FROM applications a
  WHERE ((a.organization_id = application_snapshots.organization_id) AND (a.assigned_org_id = (SELECT app_org_id())))))));
ALTER POLICY application_snapshots_insert ON application_snapshots
    WITH CHECK (((organization_id = (SELECT app_org_id())) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY application_snapshots_select ON application_snapshots
    USING (((organization_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY applications_all ON applications
    USING (((organization_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)))
    WITH CHECK (((organization_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY applications_curator ON applications
    USING ((((SELECT app_org_kind()) = 'curator'::text) AND (assigned_org_id = (SELECT app_org_id()))))
    WITH CHECK ((((SELECT app_org_kind()) = 'curator'::text) AND (assigned_org_id = (SELECT app_org_id()))));
ALTER POLICY assignment_rules_select ON assignment_rules
    USING (((curator_org_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text) OR ((SELECT app_org_kind()) = 'supplier'::text)));
ALTER POLICY assignment_rules_write ON assignment_rules
    USING (((SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)))
    WITH CHECK (((SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY audit_events_insert ON audit_events
    WITH CHECK (((organization_id IS NULL) OR (organization_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = ANY (ARRAY['auth'::text, 'system'::text]))));
ALTER POLICY audit_events_select ON audit_events
    USING (((organization_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text) OR ((organization_id IS NULL) AND (actor_user_id = (SELECT app_user_id())))));
ALTER POLICY certificates_insert ON certificates
    WITH CHECK ((((curator_org_id = (SELECT app_org_id())) AND app_assigned(organization_id)) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY certificates_select ON certificates
    USING (((organization_id = (SELECT app_org_id())) OR (curator_org_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY certificates_update ON certificates
    USING ((((curator_org_id = (SELECT app_org_id())) AND app_assigned(organization_id)) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY curator_conflicts_all ON curator_conflicts
    USING (((curator_org_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)))
    WITH CHECK (((curator_org_id = (SELECT app_org_id())) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY documents_all ON documents
    USING (((organization_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)))
    WITH CHECK (((organization_id = (SELECT app_org_id())) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY documents_curator ON documents
    USING ((((SELECT app_org_kind()) = 'curator'::text) AND (EXISTS ( SELECT 1
   FROM applications a
  WHERE ((a.organization_id = documents.organization_id) AND (a.assigned_org_id = (SELECT app_org_id())))))));
ALTER POLICY email_outbox_insert ON email_outbox
    WITH CHECK (((organization_id IS NULL) OR (organization_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = ANY (ARRAY['auth'::text, 'system'::text]))));
ALTER POLICY email_outbox_select ON email_outbox
    USING (((SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY email_outbox_update ON email_outbox
    USING (((SELECT app_mode()) = 'system'::text));
ALTER POLICY invitations_insert ON invitations
    WITH CHECK (((organization_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY invitations_select ON invitations
    USING (((organization_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = ANY (ARRAY['auth'::text, 'system'::text]))));
ALTER POLICY invitations_update ON invitations
    USING (((organization_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = ANY (ARRAY['auth'::text, 'system'::text]))));
ALTER POLICY memberships_delete ON memberships
    USING (((organization_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY memberships_insert ON memberships
    WITH CHECK (((organization_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = ANY (ARRAY['auth'::text, 'system'::text]))));
ALTER POLICY memberships_select ON memberships
    USING (((user_id = (SELECT app_user_id())) OR (organization_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = ANY (ARRAY['auth'::text, 'system'::text]))));
ALTER POLICY memberships_update ON memberships
    USING (((organization_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY notifications_curator_insert ON notifications
    WITH CHECK (app_assigned(organization_id));
ALTER POLICY notifications_insert ON notifications
    WITH CHECK (((organization_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = ANY (ARRAY['auth'::text, 'system'::text]))));
ALTER POLICY notifications_select ON notifications
    USING ((((organization_id = (SELECT app_org_id())) AND ((user_id IS NULL) OR (user_id = (SELECT app_user_id())))) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY notifications_update ON notifications
    USING ((((organization_id = (SELECT app_org_id())) AND ((user_id IS NULL) OR (user_id = (SELECT app_user_id())))) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY organizations_curator ON organizations
    USING ((((SELECT app_org_kind()) = 'curator'::text) AND (EXISTS ( SELECT 1
   FROM applications a
  WHERE ((a.organization_id = organizations.id) AND (a.assigned_org_id = (SELECT app_org_id())))))));
ALTER POLICY organizations_insert ON organizations
    WITH CHECK ((((SELECT app_mode()) = 'system'::text) OR (((SELECT app_mode()) = 'auth'::text) AND (kind = 'supplier'::text)) OR ((SELECT app_is_ministry()) AND (kind = ANY (ARRAY['curator'::text, 'buyer'::text, 'ministry'::text])))));
ALTER POLICY organizations_select ON organizations
    USING (((id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = ANY (ARRAY['auth'::text, 'system'::text])) OR (EXISTS ( SELECT 1
   FROM memberships m
  WHERE ((m.organization_id = organizations.id) AND (m.user_id = (SELECT app_user_id())))))));
ALTER POLICY organizations_update ON organizations
    USING (((id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY reviews_insert ON reviews
    WITH CHECK ((((curator_org_id = (SELECT app_org_id())) AND app_assigned(organization_id)) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY reviews_select ON reviews
    USING (((curator_org_id = (SELECT app_org_id())) OR (organization_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY samples_all ON samples
    USING (((curator_org_id = (SELECT app_org_id())) OR (organization_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)))
    WITH CHECK ((((curator_org_id = (SELECT app_org_id())) AND app_assigned(organization_id)) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY signals_curator ON signals
    USING ((((SELECT app_org_kind()) = 'curator'::text) AND (EXISTS ( SELECT 1
   FROM applications a
  WHERE ((a.organization_id = signals.organization_id) AND (a.assigned_org_id = (SELECT app_org_id())))))));
ALTER POLICY signals_insert ON signals
    WITH CHECK (((SELECT app_mode()) = 'system'::text));
ALTER POLICY signals_select ON signals
    USING (((SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY supplier_profiles_all ON supplier_profiles
    USING (((organization_id = (SELECT app_org_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)))
    WITH CHECK (((organization_id = (SELECT app_org_id())) OR ((SELECT app_mode()) = 'system'::text)));
ALTER POLICY supplier_profiles_curator ON supplier_profiles
    USING ((((SELECT app_org_kind()) = 'curator'::text) AND (EXISTS ( SELECT 1
   FROM applications a
  WHERE ((a.organization_id = supplier_profiles.organization_id) AND (a.assigned_org_id = (SELECT app_org_id())))))));
ALTER POLICY users_insert ON users
    WITH CHECK (((SELECT app_mode()) = ANY (ARRAY['auth'::text, 'system'::text])));
ALTER POLICY users_select ON users
    USING (((id = (SELECT app_user_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = ANY (ARRAY['auth'::text, 'system'::text])) OR (EXISTS ( SELECT 1
   FROM memberships m
  WHERE ((m.user_id = users.id) AND (m.organization_id = (SELECT app_org_id())))))));
ALTER POLICY users_update ON users
    USING (((id = (SELECT app_user_id())) OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = ANY (ARRAY['auth'::text, 'system'::text]))));

-- Figures kept up to date as things change, so that no page counts a
-- table that grows with the country.

-- Organisations by kind (the home page's and the dashboard's figures).
-- Statement-level triggers over transition tables: one upsert per
-- statement, not per row (the seed inserts thousands at once). Each
-- backend adds to a slot of its own, so concurrent sign-ups do not queue on
-- one counter row; the figure is the sum of the slots.
CREATE TABLE organization_counts (
    kind text     NOT NULL,
    slot smallint NOT NULL,
    n    bigint   NOT NULL,
    PRIMARY KEY (kind, slot)
);
-- +goose StatementBegin
CREATE FUNCTION organization_counts_keep() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    -- Each branch names only the transition table its trigger has.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO organization_counts AS c (kind, slot, n)
        SELECT kind, (pg_backend_pid() % 8)::smallint, count(*) FROM new_rows WHERE disabled_at IS NULL GROUP BY kind
        ON CONFLICT (kind, slot) DO UPDATE SET n = c.n + excluded.n;
    ELSE
        INSERT INTO organization_counts AS c (kind, slot, n)
        SELECT kind, (pg_backend_pid() % 8)::smallint, -count(*) FROM old_rows WHERE disabled_at IS NULL GROUP BY kind
        ON CONFLICT (kind, slot) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION organization_counts_change() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    -- Only rows whose kind or enabled state changed move a count.
    INSERT INTO organization_counts AS c (kind, slot, n)
    SELECT kind, (pg_backend_pid() % 8)::smallint, sum(d) FROM (
        SELECT o.kind, -1 AS d FROM old_rows o JOIN new_rows n USING (id)
         WHERE o.disabled_at IS NULL AND (n.kind <> o.kind OR n.disabled_at IS NOT NULL)
        UNION ALL
        SELECT n.kind, 1 FROM old_rows o JOIN new_rows n USING (id)
         WHERE n.disabled_at IS NULL AND (n.kind <> o.kind OR o.disabled_at IS NOT NULL)
    ) x GROUP BY kind HAVING sum(d) <> 0
    ON CONFLICT (kind, slot) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER organization_counts_insert AFTER INSERT ON organizations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION organization_counts_keep();
CREATE TRIGGER organization_counts_delete AFTER DELETE ON organizations
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION organization_counts_keep();
CREATE TRIGGER organization_counts_update AFTER UPDATE ON organizations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION organization_counts_change();

-- Applications per curator organisation and status (migration 0004) are
-- counted once per statement, not once per row: within one transaction
-- every row-level update of the same counter left a version behind that
-- the next one had to step over, and seeding a million suppliers (a
-- million updates of some forty counters) slowed to seconds per thousand.
DROP TRIGGER application_counts_keep ON applications;
DROP FUNCTION application_counts_keep();
-- +goose StatementBegin
CREATE FUNCTION application_counts_keep() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    -- Each branch names only the transition tables its trigger has.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO application_counts AS c (assigned_org_id, status, n)
        SELECT assigned_org_id, status, count(*) FROM new_rows WHERE assigned_org_id IS NOT NULL GROUP BY 1, 2
        ON CONFLICT (assigned_org_id, status) DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE application_counts c SET n = c.n - x.n
          FROM (SELECT assigned_org_id, status, count(*) AS n FROM old_rows WHERE assigned_org_id IS NOT NULL GROUP BY 1, 2) x
         WHERE c.assigned_org_id = x.assigned_org_id AND c.status = x.status;
    ELSE
        INSERT INTO application_counts AS c (assigned_org_id, status, n)
        SELECT org, st, sum(d) FROM (
            SELECT o.assigned_org_id AS org, o.status AS st, -1 AS d FROM old_rows o JOIN new_rows n USING (id)
             WHERE o.assigned_org_id IS NOT NULL
               AND (o.assigned_org_id, o.status) IS DISTINCT FROM (n.assigned_org_id, n.status)
            UNION ALL
            SELECT n.assigned_org_id, n.status, 1 FROM old_rows o JOIN new_rows n USING (id)
             WHERE n.assigned_org_id IS NOT NULL
               AND (o.assigned_org_id, o.status) IS DISTINCT FROM (n.assigned_org_id, n.status)
        ) x GROUP BY 1, 2 HAVING sum(d) <> 0
        ON CONFLICT (assigned_org_id, status) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER application_counts_insert AFTER INSERT ON applications
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION application_counts_keep();
CREATE TRIGGER application_counts_delete AFTER DELETE ON applications
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION application_counts_keep();
CREATE TRIGGER application_counts_update AFTER UPDATE ON applications
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION application_counts_keep();

-- Time from submission to decision per curator organisation, as a
-- histogram: quarter hours up to two days, then six-hour steps up to about
-- seven weeks (the last bucket holds everything longer). The dashboard
-- reads a few hundred buckets instead of pairing the whole curation
-- history (1.0-1.2 s at 200,000 suppliers).
CREATE TABLE decision_time_buckets (
    curator_org_id bigint   NOT NULL,
    bucket         smallint NOT NULL CHECK (bucket BETWEEN 0 AND 399),
    n              bigint   NOT NULL,
    PRIMARY KEY (curator_org_id, bucket)
);
-- +goose StatementBegin
CREATE FUNCTION decision_hours_bucket(hours double precision) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (CASE WHEN hours < 48 THEN greatest(floor(hours * 4), 0)
                 ELSE 192 + least(floor((hours - 48) / 6), 207) END)::smallint
$$;
-- +goose StatementEnd
-- +goose StatementBegin
-- Read by primary key and along the events' index, one decision at a
-- time: within a bulk load the statistics are stale, and a hash join would
-- read every application for each statement.
CREATE FUNCTION decision_times_keep() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
BEGIN
    INSERT INTO decision_time_buckets AS b (curator_org_id, bucket, n)
    SELECT a.assigned_org_id, decision_hours_bucket(extract(epoch FROM d.occurred_at - s.occurred_at) / 3600), count(*)
      FROM new_rows d
      JOIN applications a ON a.id = d.application_id AND a.assigned_org_id IS NOT NULL
      CROSS JOIN LATERAL (SELECT e.occurred_at FROM application_events e
                           WHERE e.application_id = d.application_id AND e.id < d.id
                             AND e.action IN ('application.submitted', 'application.resubmitted')
                           ORDER BY e.id DESC LIMIT 1) s
     WHERE d.action IN ('application.curated', 'application.rejected', 'application.revision_requested')
     GROUP BY 1, 2
    ON CONFLICT (curator_org_id, bucket) DO UPDATE SET n = b.n + excluded.n;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER decision_times_keep AFTER INSERT ON application_events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION decision_times_keep();

-- The figures of what is already there.
SELECT set_config('pasokan.mode', 'system', true);
INSERT INTO organization_counts (kind, slot, n)
SELECT kind, 0, count(*) FROM organizations WHERE disabled_at IS NULL GROUP BY kind;
INSERT INTO decision_time_buckets (curator_org_id, bucket, n)
SELECT a.assigned_org_id, decision_hours_bucket(extract(epoch FROM d.occurred_at - s.occurred_at) / 3600), count(*)
  FROM application_events d
  JOIN applications a ON a.id = d.application_id AND a.assigned_org_id IS NOT NULL
  CROSS JOIN LATERAL (SELECT e.occurred_at FROM application_events e
                       WHERE e.application_id = d.application_id AND e.id < d.id
                         AND e.action IN ('application.submitted', 'application.resubmitted')
                       ORDER BY e.id DESC LIMIT 1) s
 WHERE d.action IN ('application.curated', 'application.rejected', 'application.revision_requested')
 GROUP BY 1, 2;
-- Public numbers, no personal data: no row-level security, read only.
GRANT SELECT ON organization_counts, decision_time_buckets TO pasokan_app;

-- Suppliers due for re-curation are found from the few replaced checklist
-- versions, along the curating reviews of each in application order.
CREATE INDEX reviews_curated_checklist_idx ON reviews (checklist_id, application_id) INCLUDE (submission)
    WHERE decision = 'curate';

-- +goose Down
DROP INDEX reviews_curated_checklist_idx;
DROP TRIGGER application_counts_insert ON applications;
DROP TRIGGER application_counts_delete ON applications;
DROP TRIGGER application_counts_update ON applications;
DROP FUNCTION application_counts_keep();
-- +goose StatementBegin
CREATE FUNCTION application_counts_keep() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.assigned_org_id IS NOT NULL THEN
        UPDATE application_counts SET n = n - 1 WHERE assigned_org_id = OLD.assigned_org_id AND status = OLD.status;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.assigned_org_id IS NOT NULL THEN
        INSERT INTO application_counts AS c (assigned_org_id, status, n) VALUES (NEW.assigned_org_id, NEW.status, 1)
        ON CONFLICT (assigned_org_id, status) DO UPDATE SET n = c.n + 1;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER application_counts_keep AFTER INSERT OR DELETE OR UPDATE OF status, assigned_org_id ON applications
    FOR EACH ROW EXECUTE FUNCTION application_counts_keep();
DROP TRIGGER decision_times_keep ON application_events;
DROP TRIGGER organization_counts_insert ON organizations;
DROP TRIGGER organization_counts_delete ON organizations;
DROP TRIGGER organization_counts_update ON organizations;
DROP FUNCTION decision_times_keep(), decision_hours_bucket(double precision), organization_counts_keep(), organization_counts_change();
DROP TABLE decision_time_buckets, organization_counts;
-- The policies keep their scalar subqueries: the per-row calls would only
-- make the portal slower.
