-- Curators' policies that cost one init plan, not seven (issue 8).
--
-- A curator may read an applicant's organisation, profile, documents,
-- products, snapshots, events, flags and signals while one of its
-- applications is assigned to the curator's organisation. Each of those
-- policies asked so by probing the applications, and that probe carried
-- the applications' own policies: six init plans and a filter, inside the
-- policy's subplan, for every table a statement names. Postgres builds
-- every init plan of a statement each time it runs it, whether it is
-- evaluated or not: on the review page, starting the executor took 45 % of
-- Postgres's time, and building init plans' Result nodes 22 % (perf, at
-- 200,000 suppliers), though each statement reads a few rows by key.
-- Three of the review page's statements cost 220-260 µs of Postgres run by
-- a role that bypasses row-level security, 370-550 µs by the portal's role.
--
-- curator_scope keeps, for each assigned application, its organisation and
-- the curator organisation it is assigned to, written by a trigger on
-- applications in the statement that assigns. Its one policy reads one
-- setting (app_curator_org_id(): the organisation when it is a curator's,
-- else nothing), and the curators' policies probe it by (organisation,
-- curator organisation) along its index. The condition is the one it
-- replaces: an application of the organisation assigned to the curator's.
--
-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION app_curator_org_id() RETURNS bigint LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN app_org_kind() = 'curator' THEN app_org_id() END
$$;
-- +goose StatementEnd
GRANT EXECUTE ON FUNCTION app_curator_org_id() TO pasokan_app;

CREATE TABLE curator_scope (
    application_id  bigint PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
    organization_id bigint NOT NULL,
    assigned_org_id bigint NOT NULL
);
CREATE INDEX curator_scope_org_idx ON curator_scope (organization_id, assigned_org_id);
CREATE INDEX curator_scope_assigned_idx ON curator_scope (assigned_org_id);

-- Curators read their own organisation's rows; nobody else reads any (the
-- ministry's and the portal's policies on the tables themselves let them
-- through). Row-level security is enabled but not forced: only the owner's
-- trigger below writes it.
ALTER TABLE curator_scope ENABLE ROW LEVEL SECURITY;
CREATE POLICY curator_scope_select ON curator_scope FOR SELECT USING (assigned_org_id = (SELECT app_curator_org_id()));
GRANT SELECT ON curator_scope TO pasokan_app;

-- A row trigger, fired only when an application's assignment (or
-- organisation) changes: a statement trigger ran on every update of an
-- application (each claim, decision, new version) and cost 2 ms a
-- statement at 1,000,000 suppliers for nothing to do.
-- +goose StatementBegin
CREATE FUNCTION curator_scope_application() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF NEW.assigned_org_id IS NULL THEN
        DELETE FROM curator_scope WHERE application_id = NEW.id;
    ELSE
        INSERT INTO curator_scope (application_id, organization_id, assigned_org_id)
        VALUES (NEW.id, NEW.organization_id, NEW.assigned_org_id)
        ON CONFLICT (application_id) DO UPDATE
           SET organization_id = EXCLUDED.organization_id, assigned_org_id = EXCLUDED.assigned_org_id;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
REVOKE EXECUTE ON FUNCTION curator_scope_application() FROM PUBLIC;
CREATE TRIGGER curator_scope_insert AFTER INSERT ON applications
    FOR EACH ROW WHEN (NEW.assigned_org_id IS NOT NULL) EXECUTE FUNCTION curator_scope_application();
CREATE TRIGGER curator_scope_update AFTER UPDATE OF assigned_org_id, organization_id ON applications
    FOR EACH ROW WHEN (OLD.assigned_org_id IS DISTINCT FROM NEW.assigned_org_id OR OLD.organization_id IS DISTINCT FROM NEW.organization_id)
    EXECUTE FUNCTION curator_scope_application();

SELECT set_config('pasokan.mode', 'system', true);
INSERT INTO curator_scope (application_id, organization_id, assigned_org_id)
SELECT id, organization_id, assigned_org_id FROM applications WHERE assigned_org_id IS NOT NULL;
ANALYZE curator_scope;

ALTER POLICY applications_curator ON applications
    USING (assigned_org_id = (SELECT app_curator_org_id()))
    WITH CHECK (assigned_org_id = (SELECT app_curator_org_id()));
ALTER POLICY application_events_curator ON application_events
    USING (((SELECT app_org_kind()) = 'curator' AND EXISTS (SELECT 1 FROM curator_scope c WHERE c.organization_id = application_events.organization_id)));
ALTER POLICY application_flags_curator ON application_flags
    USING (((SELECT app_org_kind()) = 'curator' AND EXISTS (SELECT 1 FROM curator_scope c WHERE c.organization_id = application_flags.organization_id)));
ALTER POLICY application_products_curator ON application_products
    USING (((SELECT app_org_kind()) = 'curator' AND EXISTS (SELECT 1 FROM curator_scope c WHERE c.organization_id = application_products.organization_id)));
ALTER POLICY application_snapshots_curator ON application_snapshots
    USING (((SELECT app_org_kind()) = 'curator' AND EXISTS (SELECT 1 FROM curator_scope c WHERE c.organization_id = application_snapshots.organization_id)));
ALTER POLICY documents_curator ON documents
    USING (((SELECT app_org_kind()) = 'curator' AND EXISTS (SELECT 1 FROM curator_scope c WHERE c.organization_id = documents.organization_id)));
ALTER POLICY organizations_curator ON organizations
    USING (((SELECT app_org_kind()) = 'curator' AND EXISTS (SELECT 1 FROM curator_scope c WHERE c.organization_id = organizations.id)));
ALTER POLICY signals_curator ON signals
    USING (((SELECT app_org_kind()) = 'curator' AND EXISTS (SELECT 1 FROM curator_scope c WHERE c.organization_id = signals.organization_id)));
ALTER POLICY supplier_profiles_curator ON supplier_profiles
    USING (((SELECT app_org_kind()) = 'curator' AND EXISTS (SELECT 1 FROM curator_scope c WHERE c.organization_id = supplier_profiles.organization_id)));

-- +goose Down
ALTER POLICY applications_curator ON applications
    USING ((((SELECT app_org_kind()) = 'curator'::text) AND (assigned_org_id = (SELECT app_org_id()))))
    WITH CHECK ((((SELECT app_org_kind()) = 'curator'::text) AND (assigned_org_id = (SELECT app_org_id()))));
ALTER POLICY application_events_curator ON application_events
    USING ((((SELECT app_org_kind()) = 'curator'::text) AND (EXISTS (SELECT 1 FROM applications a
      WHERE a.organization_id = application_events.organization_id AND a.assigned_org_id = (SELECT app_org_id())))));
ALTER POLICY application_flags_curator ON application_flags
    USING ((((SELECT app_org_kind()) = 'curator'::text) AND (EXISTS (SELECT 1 FROM applications a
      WHERE a.organization_id = application_flags.organization_id AND a.assigned_org_id = (SELECT app_org_id())))));
ALTER POLICY application_products_curator ON application_products
    USING ((((SELECT app_org_kind()) = 'curator'::text) AND (EXISTS (SELECT 1 FROM applications a
      WHERE a.organization_id = application_products.organization_id AND a.assigned_org_id = (SELECT app_org_id())))));
ALTER POLICY application_snapshots_curator ON application_snapshots
    USING ((((SELECT app_org_kind()) = 'curator'::text) AND (EXISTS (SELECT 1 FROM applications a
      WHERE a.organization_id = application_snapshots.organization_id AND a.assigned_org_id = (SELECT app_org_id())))));
ALTER POLICY documents_curator ON documents
    USING ((((SELECT app_org_kind()) = 'curator'::text) AND (EXISTS (SELECT 1 FROM applications a
      WHERE a.organization_id = documents.organization_id AND a.assigned_org_id = (SELECT app_org_id())))));
ALTER POLICY organizations_curator ON organizations
    USING ((((SELECT app_org_kind()) = 'curator'::text) AND (EXISTS (SELECT 1 FROM applications a
      WHERE a.organization_id = organizations.id AND a.assigned_org_id = (SELECT app_org_id())))));
ALTER POLICY signals_curator ON signals
    USING ((((SELECT app_org_kind()) = 'curator'::text) AND (EXISTS (SELECT 1 FROM applications a
      WHERE a.organization_id = signals.organization_id AND a.assigned_org_id = (SELECT app_org_id())))));
ALTER POLICY supplier_profiles_curator ON supplier_profiles
    USING ((((SELECT app_org_kind()) = 'curator'::text) AND (EXISTS (SELECT 1 FROM applications a
      WHERE a.organization_id = supplier_profiles.organization_id AND a.assigned_org_id = (SELECT app_org_id())))));
DROP TRIGGER curator_scope_update ON applications;
DROP TRIGGER curator_scope_insert ON applications;
DROP FUNCTION curator_scope_application();
DROP TABLE curator_scope;
DROP FUNCTION app_curator_org_id();
