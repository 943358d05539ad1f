-- The ministry's national dashboard (issue 12), kept as things change so
-- that a view reads a few hundred rows of figures, never the tables behind
-- them (DESIGN.md, "Figures kept as things change"):
--
-- - application_figures: applications by their supplier's province and
--   status. A trigger on applications counts each change of status under
--   the supplier's province; a trigger on supplier_profiles moves an
--   organisation's applications when its province changes.
-- - product_figures: per product, what is listed (entries and monthly
--   capacity, from catalog_entries), what buyers posted (approved and
--   planned demands), ordered (open orders), shipped and accepted.
-- - weekly_figures: per week (Monday, WIB), suppliers registered,
--   applications curated, orders and units ordered, units accepted on
--   receipt; from inserts only (organizations, application_events,
--   orders, receipts), so a week's figure never changes once it is past.
--
-- Like application_counts, they hold no tenant's data, only sums, and the
-- ministry's pages read them; the triggers read what they need in the
-- system's mode and give the caller's mode back.

-- +goose Up
CREATE TABLE application_figures (
    province_code text    NOT NULL,
    status        text    NOT NULL,
    n             integer NOT NULL,
    PRIMARY KEY (province_code, status)
);
CREATE TABLE product_figures (
    product_type text   PRIMARY KEY,
    listed       integer NOT NULL DEFAULT 0,
    capacity     bigint  NOT NULL DEFAULT 0,
    demanded     bigint  NOT NULL DEFAULT 0,
    ordered      bigint  NOT NULL DEFAULT 0,
    shipped      bigint  NOT NULL DEFAULT 0,
    accepted     bigint  NOT NULL DEFAULT 0
);
CREATE TABLE weekly_figures (
    week   date   NOT NULL,
    metric text   NOT NULL CHECK (metric IN ('registered', 'curated', 'orders', 'units_ordered', 'units_accepted')),
    n      bigint NOT NULL,
    PRIMARY KEY (metric, week)
);
GRANT SELECT ON application_figures, product_figures, weekly_figures TO pasokan_app;
-- The list behind a province's figure walks its suppliers.
CREATE INDEX supplier_profiles_province_idx ON supplier_profiles (province_code, organization_id);

-- +goose StatementBegin
CREATE FUNCTION wib_week(t timestamptz) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT date_trunc('week', t AT TIME ZONE 'Asia/Jakarta')::date
$$;

CREATE FUNCTION application_figures_add(org bigint, st text, d integer) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
    prov text;
BEGIN
    PERFORM set_config('pasokan.mode', 'system', true);
    SELECT p.province_code INTO prov FROM supplier_profiles p WHERE p.organization_id = org;
    INSERT INTO application_figures AS f (province_code, status, n) VALUES (coalesce(prov, ''), st, d)
    ON CONFLICT (province_code, status) DO UPDATE SET n = f.n + d;
    PERFORM set_config('pasokan.mode', mode, true);
END
$$;

CREATE FUNCTION application_figures_keep() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM application_figures_add(OLD.organization_id, OLD.status, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM application_figures_add(NEW.organization_id, NEW.status, 1);
    END IF;
    RETURN NULL;
END
$$;

-- A supplier's province changes: its applications move with it.
CREATE FUNCTION application_figures_move() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
    was text := '';
BEGIN
    IF TG_OP = 'UPDATE' THEN
        was := OLD.province_code;
    END IF;
    PERFORM set_config('pasokan.mode', 'system', true);
    WITH apps AS (
        SELECT a.status, count(*)::int AS n FROM applications a WHERE a.organization_id = NEW.organization_id GROUP BY a.status
    ), moved AS (
        SELECT was AS province_code, status, -n AS n FROM apps
        UNION ALL SELECT NEW.province_code, status, n FROM apps
    )
    INSERT INTO application_figures AS f (province_code, status, n)
    SELECT province_code, status, sum(n) FROM moved GROUP BY 1, 2
    ON CONFLICT (province_code, status) DO UPDATE SET n = f.n + EXCLUDED.n;
    PERFORM set_config('pasokan.mode', mode, true);
    RETURN NULL;
END
$$;

CREATE FUNCTION product_figures_add(pt text, listed integer, capacity bigint, demanded bigint, ordered bigint,
    shipped bigint, accepted bigint) RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
    INSERT INTO product_figures AS f (product_type, listed, capacity, demanded, ordered, shipped, accepted)
    VALUES (pt, listed, capacity, demanded, ordered, shipped, accepted)
    ON CONFLICT (product_type) DO UPDATE SET listed = f.listed + EXCLUDED.listed, capacity = f.capacity + EXCLUDED.capacity,
        demanded = f.demanded + EXCLUDED.demanded, ordered = f.ordered + EXCLUDED.ordered,
        shipped = f.shipped + EXCLUDED.shipped, accepted = f.accepted + EXCLUDED.accepted
$$;

CREATE FUNCTION product_figures_entries() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM product_figures_add(OLD.product_type, -1, -OLD.monthly_capacity, 0, 0, 0, 0);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM product_figures_add(NEW.product_type, 1, NEW.monthly_capacity, 0, 0, 0, 0);
    END IF;
    RETURN NULL;
END
$$;

-- A demand counts once approved (approved, then planned); a draft or a
-- closed demand does not.
CREATE FUNCTION product_figures_demands() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IN ('approved', 'planned') THEN
        PERFORM product_figures_add(OLD.product_type, 0, 0, -OLD.quantity, 0, 0, 0);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status IN ('approved', 'planned') THEN
        PERFORM product_figures_add(NEW.product_type, 0, 0, NEW.quantity, 0, 0, 0);
    END IF;
    RETURN NULL;
END
$$;

-- An order counts as ordered while it is open (not declined, expired or
-- cancelled: package order's Open); what was shipped and accepted counts
-- whatever became of it.
CREATE FUNCTION product_figures_orders() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM product_figures_add(OLD.product_type, 0, 0, 0,
            CASE WHEN OLD.status IN ('declined', 'expired', 'cancelled') THEN 0 ELSE -OLD.quantity END,
            -OLD.shipped_units, -OLD.accepted_units);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM product_figures_add(NEW.product_type, 0, 0, 0,
            CASE WHEN NEW.status IN ('declined', 'expired', 'cancelled') THEN 0 ELSE NEW.quantity END,
            NEW.shipped_units, NEW.accepted_units);
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM weekly_figures_add(NEW.created_at, 'orders', 1);
        PERFORM weekly_figures_add(NEW.created_at, 'units_ordered', NEW.quantity);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION weekly_figures_add(t timestamptz, m text, d bigint) RETURNS void LANGUAGE sql SECURITY DEFINER
SET search_path = public AS $$
    INSERT INTO weekly_figures AS f (week, metric, n) VALUES (wib_week(t), m, d)
    ON CONFLICT (metric, week) DO UPDATE SET n = f.n + d
$$;

CREATE FUNCTION weekly_figures_keep() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    CASE TG_TABLE_NAME
    WHEN 'organizations' THEN
        PERFORM weekly_figures_add(NEW.created_at, 'registered', 1);
    WHEN 'application_events' THEN
        PERFORM weekly_figures_add(NEW.occurred_at, 'curated', 1);
    WHEN 'receipts' THEN
        PERFORM weekly_figures_add(NEW.created_at, 'units_accepted', NEW.accepted);
    END CASE;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- Only the triggers call the adders.
REVOKE EXECUTE ON FUNCTION application_figures_add(bigint, text, integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION product_figures_add(text, integer, bigint, bigint, bigint, bigint, bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION weekly_figures_add(timestamptz, text, bigint) FROM PUBLIC;

CREATE TRIGGER application_figures_keep AFTER INSERT OR DELETE ON applications
    FOR EACH ROW EXECUTE FUNCTION application_figures_keep();
CREATE TRIGGER application_figures_status AFTER UPDATE OF status ON applications
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION application_figures_keep();
CREATE TRIGGER application_figures_new_profile AFTER INSERT ON supplier_profiles
    FOR EACH ROW WHEN (NEW.province_code <> '') EXECUTE FUNCTION application_figures_move();
CREATE TRIGGER application_figures_province AFTER UPDATE OF province_code ON supplier_profiles
    FOR EACH ROW WHEN (OLD.province_code IS DISTINCT FROM NEW.province_code) EXECUTE FUNCTION application_figures_move();
CREATE TRIGGER product_figures_entries AFTER INSERT OR DELETE OR UPDATE OF product_type, monthly_capacity ON catalog_entries
    FOR EACH ROW EXECUTE FUNCTION product_figures_entries();
CREATE TRIGGER product_figures_demands AFTER INSERT OR DELETE OR UPDATE OF status, quantity, product_type ON demands
    FOR EACH ROW EXECUTE FUNCTION product_figures_demands();
CREATE TRIGGER product_figures_orders AFTER INSERT OR DELETE OR UPDATE OF status, quantity, shipped_units, accepted_units ON orders
    FOR EACH ROW EXECUTE FUNCTION product_figures_orders();
CREATE TRIGGER weekly_figures_registered AFTER INSERT ON organizations
    FOR EACH ROW WHEN (NEW.kind = 'supplier') EXECUTE FUNCTION weekly_figures_keep();
CREATE TRIGGER weekly_figures_curated AFTER INSERT ON application_events
    FOR EACH ROW WHEN (NEW.action = 'application.curated') EXECUTE FUNCTION weekly_figures_keep();
CREATE TRIGGER weekly_figures_accepted AFTER INSERT ON receipts
    FOR EACH ROW EXECUTE FUNCTION weekly_figures_keep();

-- What is there already.
SELECT set_config('pasokan.mode', 'system', true);
INSERT INTO application_figures (province_code, status, n)
SELECT coalesce(p.province_code, ''), a.status, count(*)
  FROM applications a LEFT JOIN supplier_profiles p ON p.organization_id = a.organization_id
 GROUP BY 1, 2;
INSERT INTO product_figures (product_type) SELECT code FROM product_types;
UPDATE product_figures f SET listed = e.listed, capacity = e.capacity
  FROM (SELECT product_type, count(*) AS listed, sum(monthly_capacity) AS capacity FROM catalog_entries GROUP BY 1) e
 WHERE e.product_type = f.product_type;
UPDATE product_figures f SET demanded = d.demanded
  FROM (SELECT product_type, sum(quantity) AS demanded FROM demands WHERE status IN ('approved', 'planned') GROUP BY 1) d
 WHERE d.product_type = f.product_type;
UPDATE product_figures f SET ordered = o.ordered, shipped = o.shipped, accepted = o.accepted
  FROM (SELECT product_type, sum(quantity) FILTER (WHERE status NOT IN ('declined', 'expired', 'cancelled')) AS ordered,
               sum(shipped_units) AS shipped, sum(accepted_units) AS accepted
          FROM orders GROUP BY 1) o
 WHERE o.product_type = f.product_type;
UPDATE product_figures SET ordered = coalesce(ordered, 0);
INSERT INTO weekly_figures (week, metric, n)
SELECT wib_week(created_at), 'registered', count(*) FROM organizations WHERE kind = 'supplier' GROUP BY 1
UNION ALL
SELECT wib_week(occurred_at), 'curated', count(*) FROM application_events WHERE action = 'application.curated' GROUP BY 1
UNION ALL
SELECT wib_week(created_at), 'orders', count(*) FROM orders GROUP BY 1
UNION ALL
SELECT wib_week(created_at), 'units_ordered', sum(quantity) FROM orders GROUP BY 1
UNION ALL
SELECT wib_week(created_at), 'units_accepted', sum(accepted) FROM receipts GROUP BY 1;
ANALYZE application_figures, product_figures, weekly_figures;

-- +goose Down
DROP TRIGGER weekly_figures_accepted ON receipts;
DROP TRIGGER weekly_figures_curated ON application_events;
DROP TRIGGER weekly_figures_registered ON organizations;
DROP TRIGGER product_figures_orders ON orders;
DROP TRIGGER product_figures_demands ON demands;
DROP TRIGGER product_figures_entries ON catalog_entries;
DROP TRIGGER application_figures_province ON supplier_profiles;
DROP TRIGGER application_figures_new_profile ON supplier_profiles;
DROP TRIGGER application_figures_status ON applications;
DROP TRIGGER application_figures_keep ON applications;
DROP FUNCTION weekly_figures_keep(), weekly_figures_add(timestamptz, text, bigint), product_figures_orders(),
    product_figures_demands(), product_figures_entries(), product_figures_add(text, integer, bigint, bigint, bigint, bigint, bigint),
    application_figures_move(), application_figures_keep(), application_figures_add(bigint, text, integer), wib_week(timestamptz);
DROP INDEX supplier_profiles_province_idx;
DROP TABLE weekly_figures, product_figures, application_figures;
