-- What the curators' queue shows of each application, kept in one row.
--
-- A queue page read, for each of its 25 rows, the organisation, the
-- profile, the products and the signals, each through its own policy, and
-- each of those policies probed the applications again to see that the
-- curator may read it: about 30 index pages a row, 1.1 ms of Postgres for
-- the page's main statement at 200,000 suppliers. Here the name, NIB,
-- province, products and the count of signals of every assigned
-- application sit in one row, kept by triggers on what they come from, and
-- the page reads one row per application by primary key. Status, version,
-- submission time and assignee stay in applications, which the page walks.
-- A search the tokens cannot settle alone (several words, short words)
-- checks the names here too: the profiles' policy probed the applications
-- again for every row it looked at.

-- +goose Up
CREATE TABLE queue_cards (
    application_id  bigint  PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
    assigned_org_id bigint  NOT NULL,
    name            text    NOT NULL,
    trading_name    text    NOT NULL,
    nib             text    NOT NULL,
    province_code   text    NOT NULL,
    products        text[]  NOT NULL,
    signals         integer NOT NULL
);

-- Curators read their organisation's cards (as they read its
-- applications), the ministry and the portal all. Only the owner's
-- triggers below write them.
ALTER TABLE queue_cards ENABLE ROW LEVEL SECURITY;
CREATE POLICY queue_cards_select ON queue_cards FOR SELECT USING (
    ((SELECT app_org_kind()) = 'curator' AND assigned_org_id = (SELECT app_org_id()))
    OR (SELECT app_is_ministry()) OR (SELECT app_mode()) = 'system');
GRANT SELECT ON queue_cards TO pasokan_app;

-- queue_cards_refresh rewrites the cards of applications ids, in the
-- portal's mode (a supplier whose change set it off may not read the
-- signals about their own organisation, and the card must count them all).
-- Reads go by primary key, one at a time, as in queue_search_refresh.
-- +goose StatementBegin
CREATE FUNCTION queue_cards_refresh(ids bigint[]) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
BEGIN
    PERFORM set_config('pasokan.mode', 'system', true);
    DELETE FROM queue_cards WHERE application_id = ANY (ids);
    INSERT INTO queue_cards (application_id, assigned_org_id, name, trading_name, nib, province_code, products, signals)
    SELECT a.id, a.assigned_org_id, coalesce(nullif(p.legal_name, ''), o.name), coalesce(p.trading_name, ''), coalesce(p.nib, ''),
           coalesce(p.province_code, ''),
           coalesce((SELECT array_agg(ap.product_type ORDER BY ap.id) FROM application_products ap
                      WHERE ap.application_id = a.id), '{}'),
           (SELECT count(*) FROM signals s WHERE s.application_id = a.id AND s.organization_id = a.organization_id)
      FROM applications a
      JOIN organizations o ON o.id = a.organization_id
      LEFT JOIN supplier_profiles p ON p.organization_id = a.organization_id
     WHERE a.id = ANY (ids) AND a.assigned_org_id IS NOT NULL;
    -- Back to the caller's mode (an error ends the transaction, and the
    -- setting with it).
    PERFORM set_config('pasokan.mode', mode, true);
END
$$;
-- +goose StatementEnd
-- Only the owner's triggers call the refreshes. queue_search_refresh
-- (migration 0009) was left callable by anyone: run by the application's
-- role with ids of applications it may not read, it would delete their
-- search tokens and write none back.
REVOKE EXECUTE ON FUNCTION queue_cards_refresh(bigint[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION queue_search_refresh(bigint[]) FROM PUBLIC;

-- +goose StatementBegin
CREATE FUNCTION queue_cards_applications() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM queue_cards_refresh(ARRAY(SELECT id FROM new_rows WHERE assigned_org_id IS NOT NULL));
    ELSE
        PERFORM queue_cards_refresh(ARRAY(
            SELECT n.id FROM new_rows n JOIN old_rows o USING (id)
             WHERE n.assigned_org_id IS DISTINCT FROM o.assigned_org_id));
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION queue_cards_profiles() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    PERFORM queue_cards_refresh(ARRAY(
        SELECT c.application_id FROM new_rows n JOIN old_rows o USING (organization_id)
          JOIN applications a ON a.organization_id = n.organization_id
          JOIN queue_cards c ON c.application_id = a.id
         WHERE (n.legal_name, n.trading_name, n.nib, n.province_code)
               IS DISTINCT FROM (o.legal_name, o.trading_name, o.nib, o.province_code)));
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION queue_cards_organizations() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    PERFORM queue_cards_refresh(ARRAY(
        SELECT c.application_id FROM new_rows n JOIN old_rows o USING (id)
          JOIN applications a ON a.organization_id = n.id
          JOIN queue_cards c ON c.application_id = a.id
         WHERE n.name IS DISTINCT FROM o.name));
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- queue_cards_parts follows the products and the signals of applications
-- that have a card: rows added, removed, or moved to another product.
-- +goose StatementBegin
CREATE FUNCTION queue_cards_parts() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM queue_cards_refresh(ARRAY(
            SELECT DISTINCT c.application_id FROM new_rows n JOIN queue_cards c ON c.application_id = n.application_id));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM queue_cards_refresh(ARRAY(
            SELECT DISTINCT c.application_id FROM old_rows o JOIN queue_cards c ON c.application_id = o.application_id));
    ELSIF TG_TABLE_NAME = 'application_products' THEN
        PERFORM queue_cards_refresh(ARRAY(
            SELECT DISTINCT c.application_id FROM new_rows n JOIN old_rows o USING (id)
              JOIN queue_cards c ON c.application_id = n.application_id
             WHERE n.product_type IS DISTINCT FROM o.product_type));
    ELSE
        PERFORM queue_cards_refresh(ARRAY(
            SELECT DISTINCT c.application_id FROM new_rows n JOIN old_rows o USING (id)
              JOIN queue_cards c ON c.application_id IN (n.application_id, o.application_id)
             WHERE (n.application_id, n.organization_id) IS DISTINCT FROM (o.application_id, o.organization_id)));
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER queue_cards_insert AFTER INSERT ON applications
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_cards_applications();
CREATE TRIGGER queue_cards_update AFTER UPDATE ON applications
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_cards_applications();
CREATE TRIGGER queue_cards_profiles AFTER UPDATE ON supplier_profiles
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_cards_profiles();
CREATE TRIGGER queue_cards_organizations AFTER UPDATE ON organizations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_cards_organizations();
CREATE TRIGGER queue_cards_products_insert AFTER INSERT ON application_products
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_cards_parts();
CREATE TRIGGER queue_cards_products_update AFTER UPDATE ON application_products
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_cards_parts();
CREATE TRIGGER queue_cards_products_delete AFTER DELETE ON application_products
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_cards_parts();
CREATE TRIGGER queue_cards_signals_insert AFTER INSERT ON signals
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_cards_parts();
CREATE TRIGGER queue_cards_signals_update AFTER UPDATE ON signals
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_cards_parts();
CREATE TRIGGER queue_cards_signals_delete AFTER DELETE ON signals
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_cards_parts();

SELECT set_config('pasokan.mode', 'system', true);
SELECT queue_cards_refresh(ARRAY(SELECT id FROM applications WHERE assigned_org_id IS NOT NULL));
ANALYZE queue_cards;

-- +goose Down
DROP TRIGGER queue_cards_signals_delete ON signals;
DROP TRIGGER queue_cards_signals_update ON signals;
DROP TRIGGER queue_cards_signals_insert ON signals;
DROP TRIGGER queue_cards_products_delete ON application_products;
DROP TRIGGER queue_cards_products_update ON application_products;
DROP TRIGGER queue_cards_products_insert ON application_products;
DROP TRIGGER queue_cards_organizations ON organizations;
DROP TRIGGER queue_cards_profiles ON supplier_profiles;
DROP TRIGGER queue_cards_update ON applications;
DROP TRIGGER queue_cards_insert ON applications;
DROP FUNCTION queue_cards_parts(), queue_cards_organizations(), queue_cards_profiles(), queue_cards_applications(),
    queue_cards_refresh(bigint[]);
DROP TABLE queue_cards;
GRANT EXECUTE ON FUNCTION queue_search_refresh(bigint[]) TO PUBLIC;
