-- The ministry finds an organisation by name, NIB or e-mail (issue 12),
-- flat in the country's size.
--
-- ILIKE is not leakproof, so under row-level security Postgres applies the
-- policies to every organisation before it and no index serves it (DESIGN.md,
-- "Search that an index can serve under row-level security"). As for the
-- curators' queue (0009, 0025), each organisation keeps its search tokens:
-- the prefixes of the words of its name and, for a supplier, of its legal
-- and trading names (three to twelve letters), each pair of neighbouring
-- words ("sakinah aba"), and its NIB ("nib:..."), from queue_search_tokens.
-- A search walks its rarest token with text equality, which is leakproof,
-- and probes the others. An e-mail address is found through users' unique
-- index.
--
-- Only the ministry reads the tokens; triggers write them in the system's
-- mode and give the caller's mode back.

-- +goose Up
CREATE TABLE organization_search (
    token           text   NOT NULL,
    organization_id bigint NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    kind            text   NOT NULL,
    PRIMARY KEY (token, organization_id)
);
CREATE INDEX organization_search_org_idx ON organization_search (organization_id);
ALTER TABLE organization_search ENABLE ROW LEVEL SECURITY;
ALTER TABLE organization_search FORCE ROW LEVEL SECURITY;
CREATE POLICY organization_search_select ON organization_search FOR SELECT
    USING ((SELECT app_is_ministry()) OR (SELECT app_mode()) = 'system');
CREATE POLICY organization_search_write ON organization_search FOR ALL
    USING ((SELECT app_mode()) = 'system') WITH CHECK ((SELECT app_mode()) = 'system');
GRANT SELECT ON organization_search TO pasokan_app;

-- +goose StatementBegin
CREATE FUNCTION organization_search_refresh(org bigint) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
BEGIN
    PERFORM set_config('pasokan.mode', 'system', true);
    DELETE FROM organization_search WHERE organization_id = org;
    INSERT INTO organization_search (token, organization_id, kind)
    SELECT DISTINCT t, o.id, o.kind
      FROM organizations o
      LEFT JOIN supplier_profiles p ON p.organization_id = o.id
     CROSS JOIN LATERAL unnest(queue_search_tokens(
           o.name || ' ' || coalesce(p.legal_name, '') || ' ' || coalesce(p.trading_name, ''), p.nib, NULL)) AS t
     WHERE o.id = org;
    PERFORM set_config('pasokan.mode', mode, true);
END
$$;

CREATE FUNCTION organization_search_keep() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    PERFORM organization_search_refresh(NEW.organization_id);
    RETURN NULL;
END
$$;

CREATE FUNCTION organization_search_keep_org() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    PERFORM organization_search_refresh(NEW.id);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER organization_search_org AFTER INSERT OR UPDATE OF name ON organizations
    FOR EACH ROW EXECUTE FUNCTION organization_search_keep_org();
CREATE TRIGGER organization_search_profile AFTER INSERT OR UPDATE OF legal_name, trading_name, nib ON supplier_profiles
    FOR EACH ROW EXECUTE FUNCTION organization_search_keep();

-- The organisations there are.
SELECT set_config('pasokan.mode', 'system', true);
INSERT INTO organization_search (token, organization_id, kind)
SELECT DISTINCT t, o.id, o.kind
  FROM organizations o
  LEFT JOIN supplier_profiles p ON p.organization_id = o.id
 CROSS JOIN LATERAL unnest(queue_search_tokens(
       o.name || ' ' || coalesce(p.legal_name, '') || ' ' || coalesce(p.trading_name, ''), p.nib, NULL)) AS t;

-- +goose Down
DROP TRIGGER organization_search_profile ON supplier_profiles;
DROP TRIGGER organization_search_org ON organizations;
DROP FUNCTION organization_search_keep_org();
DROP FUNCTION organization_search_keep();
DROP FUNCTION organization_search_refresh(bigint);
DROP TABLE organization_search;
