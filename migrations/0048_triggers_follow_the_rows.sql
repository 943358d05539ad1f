-- Statement-level triggers that keep a table from others (migrations 0045
-- and 0047) joined the rows a statement changed to the kept table in one
-- statement. The tables' policies make the planner guess that a quarter of
-- a percent of their rows are visible (25 of 10,000), so for a statement
-- of many rows it walked the kept table whole, once, and compared it with
-- every changed row: at 10,000 suppliers, 3,000 new supplier profiles
-- compared 30,000,000 pairs in application_places (2.1 s), 3,000 renamed
-- organisations 39,000,000 in session_holders (11.5 s), and a seed's
-- chunks grew with the square of the suppliers (a 200,000 seed ran past an
-- hour and was stopped). A statement of one row was planned well; one of
-- many was not.
--
-- Each function now reads what the changed rows name by index (an
-- application by its organisation, a holder by its user or organisation)
-- and writes the kept table by key, one row at a time: the work follows
-- the rows changed, for one row or a seed's chunk. No statement of them
-- joins a large table any more, so they no longer turn hash joins off,
-- which had made even the join of a statement's old rows with its new
-- ones compare every pair (3,000 renamed organisations: 0.73 s).

-- +goose Up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION application_places_rows() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
    r record;
BEGIN
    PERFORM set_config('pasokan.mode', 'system', true);
    IF TG_OP = 'INSERT' THEN
        INSERT INTO application_places (application_id, province_code, status)
        SELECT n.id, coalesce((SELECT p.province_code FROM supplier_profiles p WHERE p.organization_id = n.organization_id), ''),
               n.status
          FROM new_rows n;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM application_places WHERE application_id = ANY (ARRAY(SELECT id FROM old_rows));
    ELSE
        FOR r IN
            SELECT n.id, n.status,
                   coalesce((SELECT p.province_code FROM supplier_profiles p WHERE p.organization_id = n.organization_id), '') AS province_code
              FROM old_rows o JOIN new_rows n USING (id)
             WHERE o.status IS DISTINCT FROM n.status OR o.organization_id IS DISTINCT FROM n.organization_id
        LOOP
            UPDATE application_places SET province_code = r.province_code, status = r.status
             WHERE application_id = r.id;
        END LOOP;
    END IF;
    PERFORM set_config('pasokan.mode', mode, true);
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION application_places_profiles() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
    r record;
BEGIN
    PERFORM set_config('pasokan.mode', 'system', true);
    IF TG_OP = 'INSERT' THEN
        FOR r IN
            SELECT a.id, coalesce(n.province_code, '') AS province_code
              FROM new_rows n CROSS JOIN LATERAL (
                   SELECT a.id FROM applications a WHERE a.organization_id = n.organization_id OFFSET 0) a
        LOOP
            UPDATE application_places SET province_code = r.province_code
             WHERE application_id = r.id AND province_code IS DISTINCT FROM r.province_code;
        END LOOP;
    ELSE
        FOR r IN
            SELECT a.id, coalesce(n.province_code, '') AS province_code
              FROM old_rows o JOIN new_rows n USING (organization_id)
             CROSS JOIN LATERAL (
                   SELECT a.id FROM applications a WHERE a.organization_id = n.organization_id OFFSET 0) a
             WHERE o.province_code IS DISTINCT FROM n.province_code
        LOOP
            UPDATE application_places SET province_code = r.province_code
             WHERE application_id = r.id;
        END LOOP;
    END IF;
    PERFORM set_config('pasokan.mode', mode, true);
    RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION session_holders_memberships() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
    r record;
BEGIN
    PERFORM set_config('pasokan.mode', 'system', true);
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        FOR r IN SELECT user_id, organization_id FROM old_rows LOOP
            DELETE FROM session_holders WHERE user_id = r.user_id AND organization_id = r.organization_id;
        END LOOP;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM session_holders_put(array_agg(user_id), array_agg(organization_id)) FROM new_rows;
    END IF;
    PERFORM set_config('pasokan.mode', mode, true);
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION session_holders_users() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
    r record;
BEGIN
    PERFORM set_config('pasokan.mode', 'system', true);
    FOR r IN
        SELECT n.* FROM old_rows o JOIN new_rows n USING (id)
         WHERE (o.name, o.email, o.locale, o.session_epoch, o.disabled_at IS NULL, o.email_confirmed_at IS NULL)
               IS DISTINCT FROM (n.name, n.email, n.locale, n.session_epoch, n.disabled_at IS NULL, n.email_confirmed_at IS NULL)
    LOOP
        UPDATE session_holders SET user_name = r.name, email = r.email, locale = r.locale, session_epoch = r.session_epoch,
               user_disabled = r.disabled_at IS NOT NULL, email_confirmed = r.email_confirmed_at IS NOT NULL
         WHERE user_id = r.id;
    END LOOP;
    PERFORM set_config('pasokan.mode', mode, true);
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION session_holders_organizations() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
    r record;
BEGIN
    PERFORM set_config('pasokan.mode', 'system', true);
    FOR r IN
        SELECT n.* FROM old_rows o JOIN new_rows n USING (id)
         WHERE (o.name, o.slug, o.kind, o.disabled_at IS NULL) IS DISTINCT FROM (n.name, n.slug, n.kind, n.disabled_at IS NULL)
    LOOP
        UPDATE session_holders SET org_name = r.name, org_slug = r.slug, kind = r.kind, org_disabled = r.disabled_at IS NOT NULL
         WHERE organization_id = r.id;
    END LOOP;
    PERFORM set_config('pasokan.mode', mode, true);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose Down
SET LOCAL lock_timeout = '5s';

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION application_places_rows() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
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

CREATE OR REPLACE FUNCTION application_places_profiles() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
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

CREATE OR REPLACE FUNCTION session_holders_memberships() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
BEGIN
    PERFORM set_config('pasokan.mode', 'system', true);
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM session_holders h USING old_rows m
         WHERE h.user_id = m.user_id AND h.organization_id = m.organization_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM session_holders_put(array_agg(user_id), array_agg(organization_id)) FROM new_rows;
    END IF;
    PERFORM set_config('pasokan.mode', mode, true);
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION session_holders_users() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
BEGIN
    PERFORM set_config('pasokan.mode', 'system', true);
    UPDATE session_holders h SET user_name = n.name, email = n.email, locale = n.locale, session_epoch = n.session_epoch,
           user_disabled = n.disabled_at IS NOT NULL, email_confirmed = n.email_confirmed_at IS NOT NULL
      FROM old_rows o JOIN new_rows n USING (id)
     WHERE h.user_id = n.id
       AND (o.name, o.email, o.locale, o.session_epoch, o.disabled_at IS NULL, o.email_confirmed_at IS NULL)
           IS DISTINCT FROM (n.name, n.email, n.locale, n.session_epoch, n.disabled_at IS NULL, n.email_confirmed_at IS NULL);
    PERFORM set_config('pasokan.mode', mode, true);
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION session_holders_organizations() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
BEGIN
    PERFORM set_config('pasokan.mode', 'system', true);
    UPDATE session_holders h SET org_name = n.name, org_slug = n.slug, kind = n.kind, org_disabled = n.disabled_at IS NOT NULL
      FROM old_rows o JOIN new_rows n USING (id)
     WHERE h.organization_id = n.id
       AND (o.name, o.slug, o.kind, o.disabled_at IS NULL) IS DISTINCT FROM (n.name, n.slug, n.kind, n.disabled_at IS NULL);
    PERFORM set_config('pasokan.mode', mode, true);
    RETURN NULL;
END
$$;
-- +goose StatementEnd
