-- The session's holder in one row (issue 8). Every logged-in request reads
-- who holds its session: the user, the membership, the organisation and the
-- user's other organisations for the switcher. Read through the policies of
-- users, memberships and organizations, that statement carried 70 init
-- plans for one row and cost about 0.1 ms of Postgres on every page, a fifth
-- of a page's budget (DESIGN.md, "The statement every logged-in page runs").
--
-- session_holders keeps a row per membership with what the holder's
-- statement shows of its user and organisation, under one policy: a user
-- reads their own rows. Statement-level triggers keep it in the same
-- transaction as its sources, so that a disabled user, a disabled
-- organisation, a changed role or a removed membership takes effect at once:
-- memberships inserted, deleted or changed; users' name, e-mail, locale,
-- session epoch, disabling and confirmation; organisations' name, slug,
-- kind and disabling.

-- +goose Up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '30min';

CREATE TABLE session_holders (
    user_id         bigint  NOT NULL,
    organization_id bigint  NOT NULL,
    role            text    NOT NULL,
    user_name       text    NOT NULL,
    email           text    NOT NULL,
    locale          text    NOT NULL,
    session_epoch   integer NOT NULL,
    user_disabled   boolean NOT NULL,
    email_confirmed boolean NOT NULL,
    org_name        text    NOT NULL,
    org_slug        text    NOT NULL,
    kind            text    NOT NULL,
    org_disabled    boolean NOT NULL,
    PRIMARY KEY (user_id, organization_id)
);
ALTER TABLE session_holders ENABLE ROW LEVEL SECURITY;
ALTER TABLE session_holders FORCE ROW LEVEL SECURITY;
CREATE POLICY session_holders_own ON session_holders FOR SELECT USING (user_id = (SELECT app_user_id()));
CREATE POLICY session_holders_system ON session_holders FOR ALL USING ((SELECT app_mode()) = 'system')
    WITH CHECK ((SELECT app_mode()) = 'system');
GRANT SELECT ON session_holders TO pasokan_app;

-- +goose StatementBegin
-- The rows of the memberships named, from their sources.
CREATE FUNCTION session_holders_put(p_users bigint[], p_orgs bigint[]) RETURNS void LANGUAGE sql
SET search_path = public SET enable_hashjoin = off SET enable_mergejoin = off AS $$
    INSERT INTO session_holders AS h (user_id, organization_id, role, user_name, email, locale, session_epoch,
                                      user_disabled, email_confirmed, org_name, org_slug, kind, org_disabled)
    SELECT m.user_id, m.organization_id, m.role, u.name, u.email, u.locale, u.session_epoch,
           u.disabled_at IS NOT NULL, u.email_confirmed_at IS NOT NULL, o.name, o.slug, o.kind, o.disabled_at IS NOT NULL
      FROM unnest(p_users, p_orgs) AS k (user_id, organization_id)
      JOIN memberships m ON m.user_id = k.user_id AND m.organization_id = k.organization_id
      JOIN users u ON u.id = m.user_id
      JOIN organizations o ON o.id = m.organization_id
     ORDER BY 1, 2
    ON CONFLICT (user_id, organization_id) DO UPDATE SET role = EXCLUDED.role, user_name = EXCLUDED.user_name,
        email = EXCLUDED.email, locale = EXCLUDED.locale, session_epoch = EXCLUDED.session_epoch,
        user_disabled = EXCLUDED.user_disabled, email_confirmed = EXCLUDED.email_confirmed,
        org_name = EXCLUDED.org_name, org_slug = EXCLUDED.org_slug, kind = EXCLUDED.kind,
        org_disabled = EXCLUDED.org_disabled;
$$;

CREATE FUNCTION session_holders_memberships() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
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

CREATE FUNCTION session_holders_users() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
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

CREATE FUNCTION session_holders_organizations() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
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
REVOKE EXECUTE ON FUNCTION session_holders_put(bigint[], bigint[]), session_holders_memberships(),
    session_holders_users(), session_holders_organizations() FROM PUBLIC;

CREATE TRIGGER session_holders_insert AFTER INSERT ON memberships
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION session_holders_memberships();
CREATE TRIGGER session_holders_delete AFTER DELETE ON memberships
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION session_holders_memberships();
CREATE TRIGGER session_holders_update AFTER UPDATE ON memberships
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION session_holders_memberships();
CREATE TRIGGER session_holders_users AFTER UPDATE ON users
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION session_holders_users();
CREATE TRIGGER session_holders_organizations AFTER UPDATE ON organizations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION session_holders_organizations();

-- What is there already.
SELECT set_config('pasokan.mode', 'system', true);
INSERT INTO session_holders (user_id, organization_id, role, user_name, email, locale, session_epoch,
                             user_disabled, email_confirmed, org_name, org_slug, kind, org_disabled)
SELECT m.user_id, m.organization_id, m.role, u.name, u.email, u.locale, u.session_epoch,
       u.disabled_at IS NOT NULL, u.email_confirmed_at IS NOT NULL, o.name, o.slug, o.kind, o.disabled_at IS NOT NULL
  FROM memberships m JOIN users u ON u.id = m.user_id JOIN organizations o ON o.id = m.organization_id;
-- An organisation's rows, when it changes.
CREATE INDEX session_holders_org_idx ON session_holders (organization_id);
ANALYZE session_holders;

-- +goose Down
SET LOCAL lock_timeout = '5s';
DROP TRIGGER session_holders_organizations ON organizations;
DROP TRIGGER session_holders_users ON users;
DROP TRIGGER session_holders_update ON memberships;
DROP TRIGGER session_holders_delete ON memberships;
DROP TRIGGER session_holders_insert ON memberships;
DROP FUNCTION session_holders_organizations(), session_holders_users(), session_holders_memberships(),
    session_holders_put(bigint[], bigint[]);
DROP TABLE session_holders;
