-- The lists behind the dashboard's figures of applications (issue 8): the
-- suppliers of a province in a status, by application. The list joined
-- applications to their suppliers' profiles and walked the province's
-- profiles (supplier_profiles_province_idx), keeping those of the status:
-- at 10,000 suppliers all 1,818 of Jawa Barat for a page of 200, and the
-- suspended of a province at a million would have read every profile of
-- it. No index can serve a filter on one table and an order on another.
--
-- application_places keeps each application with its supplier's province
-- and its status, so that a list is one walk of (province, status,
-- application) that stops after its page. Kept as application_figures is
-- (migration 0043): statement-level triggers on applications (inserted,
-- deleted, their status or organisation changed) and on supplier_profiles
-- (a province given or changed). It holds each application's status, the
-- supplier's business: only the ministry and the portal's own work read
-- it.

-- +goose Up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '30min';

CREATE TABLE application_places (
    application_id bigint PRIMARY KEY,
    province_code  text   NOT NULL,
    status         text   NOT NULL
);
ALTER TABLE application_places ENABLE ROW LEVEL SECURITY;
ALTER TABLE application_places FORCE ROW LEVEL SECURITY;
CREATE POLICY application_places_ministry ON application_places FOR SELECT USING ((SELECT app_is_ministry()));
CREATE POLICY application_places_system ON application_places FOR ALL USING ((SELECT app_mode()) = 'system')
    WITH CHECK ((SELECT app_mode()) = 'system');
GRANT SELECT ON application_places TO pasokan_app;

-- +goose StatementBegin
CREATE FUNCTION application_places_rows() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
BEGIN
    PERFORM set_config('pasokan.mode', 'system', true);
    IF TG_OP = 'INSERT' THEN
        INSERT INTO application_places (application_id, province_code, status)
        SELECT r.id, coalesce(p.province_code, ''), r.status
          FROM new_rows r LEFT JOIN supplier_profiles p ON p.organization_id = r.organization_id;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM application_places x USING old_rows r WHERE x.application_id = r.id;
    ELSE
        UPDATE application_places x SET province_code = coalesce(p.province_code, ''), status = n.status
          FROM old_rows o JOIN new_rows n USING (id)
          LEFT JOIN supplier_profiles p ON p.organization_id = n.organization_id
         WHERE x.application_id = n.id
           AND (o.status IS DISTINCT FROM n.status OR o.organization_id IS DISTINCT FROM n.organization_id);
    END IF;
    PERFORM set_config('pasokan.mode', mode, true);
    RETURN NULL;
END
$$;

-- A supplier's province is given or changes: its applications move.
CREATE FUNCTION application_places_profiles() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
BEGIN
    PERFORM set_config('pasokan.mode', 'system', true);
    IF TG_OP = 'INSERT' THEN
        UPDATE application_places x SET province_code = coalesce(r.province_code, '')
          FROM new_rows r JOIN applications a ON a.organization_id = r.organization_id
         WHERE x.application_id = a.id AND x.province_code IS DISTINCT FROM coalesce(r.province_code, '');
    ELSE
        UPDATE application_places x SET province_code = coalesce(r.province_code, '')
          FROM old_rows o JOIN new_rows r USING (organization_id)
          JOIN applications a ON a.organization_id = r.organization_id
         WHERE x.application_id = a.id AND o.province_code IS DISTINCT FROM r.province_code;
    END IF;
    PERFORM set_config('pasokan.mode', mode, true);
    RETURN NULL;
END
$$;
-- +goose StatementEnd
REVOKE EXECUTE ON FUNCTION application_places_rows(), application_places_profiles() FROM PUBLIC;

CREATE TRIGGER application_places_insert AFTER INSERT ON applications
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION application_places_rows();
CREATE TRIGGER application_places_delete AFTER DELETE ON applications
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION application_places_rows();
CREATE TRIGGER application_places_update AFTER UPDATE ON applications
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION application_places_rows();
CREATE TRIGGER application_places_new_profiles AFTER INSERT ON supplier_profiles
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION application_places_profiles();
CREATE TRIGGER application_places_profiles AFTER UPDATE ON supplier_profiles
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION application_places_profiles();

-- What is there already.
SELECT set_config('pasokan.mode', 'system', true);
INSERT INTO application_places (application_id, province_code, status)
SELECT a.id, coalesce(p.province_code, ''), a.status
  FROM applications a LEFT JOIN supplier_profiles p ON p.organization_id = a.organization_id;
-- A province's applications of a status, and all of a province's.
CREATE INDEX application_places_status_idx ON application_places (province_code, status, application_id);
CREATE INDEX application_places_province_idx ON application_places (province_code, application_id);
ANALYZE application_places;

-- +goose Down
SET LOCAL lock_timeout = '5s';
DROP TRIGGER application_places_profiles ON supplier_profiles;
DROP TRIGGER application_places_new_profiles ON supplier_profiles;
DROP TRIGGER application_places_update ON applications;
DROP TRIGGER application_places_delete ON applications;
DROP TRIGGER application_places_insert ON applications;
DROP FUNCTION application_places_profiles(), application_places_rows();
DROP TABLE application_places;
