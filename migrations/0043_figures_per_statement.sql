-- The national dashboard's figures (migration 0031) are kept once per
-- statement, not once per row, as application_counts has been since
-- migration 0008: within one transaction every row-level update of the same
-- figure left a version behind that the next update had to step over. The
-- seed of 1,000,000 suppliers is one transaction that inserts about five
-- million orders into some ten rows of product_figures and a few hundred of
-- weekly_figures, so each insert walked a longer chain than the last: at
-- 200,000 suppliers it had written 18 % of its orders after 47 minutes. A
-- statement now adds its rows' sums, one update per figure it moves.
--
-- Transition tables allow one event per trigger and no column list, so each
-- event has its trigger and the update triggers skip rows whose counted
-- columns did not change (their sums are zero and HAVING drops them).
-- The row-level functions of 0031 stay for the way down.

-- +goose Up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '60s';

DROP TRIGGER application_figures_keep ON applications;
DROP TRIGGER application_figures_status ON applications;
DROP TRIGGER application_figures_new_profile ON supplier_profiles;
DROP TRIGGER application_figures_province ON supplier_profiles;
DROP TRIGGER product_figures_entries ON catalog_entries;
DROP TRIGGER product_figures_demands ON demands;
DROP TRIGGER product_figures_orders ON orders;
DROP TRIGGER weekly_figures_registered ON organizations;
DROP TRIGGER weekly_figures_curated ON application_events;
DROP TRIGGER weekly_figures_accepted ON receipts;

-- +goose StatementBegin
-- Applications by their supplier's province and status; each branch names
-- only the transition tables its trigger has.
CREATE FUNCTION application_figures_rows() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
BEGIN
    PERFORM set_config('pasokan.mode', 'system', true);
    IF TG_OP = 'INSERT' THEN
        INSERT INTO application_figures AS f (province_code, status, n)
        SELECT coalesce(p.province_code, ''), r.status, count(*)::int
          FROM new_rows r LEFT JOIN supplier_profiles p ON p.organization_id = r.organization_id
         GROUP BY 1, 2
        ON CONFLICT (province_code, status) DO UPDATE SET n = f.n + EXCLUDED.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO application_figures AS f (province_code, status, n)
        SELECT coalesce(p.province_code, ''), r.status, -count(*)::int
          FROM old_rows r LEFT JOIN supplier_profiles p ON p.organization_id = r.organization_id
         GROUP BY 1, 2
        ON CONFLICT (province_code, status) DO UPDATE SET n = f.n + EXCLUDED.n;
    ELSE
        INSERT INTO application_figures AS f (province_code, status, n)
        SELECT coalesce(p.province_code, ''), x.status, sum(x.d)::int FROM (
            SELECT o.organization_id, o.status, -1 AS d FROM old_rows o JOIN new_rows n USING (id)
             WHERE o.status IS DISTINCT FROM n.status OR o.organization_id IS DISTINCT FROM n.organization_id
            UNION ALL
            SELECT n.organization_id, n.status, 1 FROM old_rows o JOIN new_rows n USING (id)
             WHERE o.status IS DISTINCT FROM n.status OR o.organization_id IS DISTINCT FROM n.organization_id
        ) x LEFT JOIN supplier_profiles p ON p.organization_id = x.organization_id
         GROUP BY 1, 2 HAVING sum(x.d) <> 0
        ON CONFLICT (province_code, status) DO UPDATE SET n = f.n + EXCLUDED.n;
    END IF;
    PERFORM set_config('pasokan.mode', mode, true);
    RETURN NULL;
END
$$;

-- A supplier's province is set or changes: its applications move with it.
CREATE FUNCTION application_figures_profiles() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
BEGIN
    PERFORM set_config('pasokan.mode', 'system', true);
    IF TG_OP = 'INSERT' THEN
        WITH apps AS (
            SELECT ''::text AS was, r.province_code AS now, a.status, count(*)::int AS n
              FROM new_rows r JOIN applications a ON a.organization_id = r.organization_id
             WHERE r.province_code <> ''
             GROUP BY 1, 2, 3
        ), moved AS (
            SELECT was AS province_code, status, -n AS n FROM apps
            UNION ALL SELECT now, status, n FROM apps
        )
        INSERT INTO application_figures AS f (province_code, status, n)
        SELECT province_code, status, sum(n) FROM moved GROUP BY 1, 2 HAVING sum(n) <> 0
        ON CONFLICT (province_code, status) DO UPDATE SET n = f.n + EXCLUDED.n;
    ELSE
        WITH apps AS (
            SELECT coalesce(o.province_code, '') AS was, coalesce(r.province_code, '') AS now, a.status, count(*)::int AS n
              FROM old_rows o JOIN new_rows r USING (organization_id)
              JOIN applications a ON a.organization_id = r.organization_id
             WHERE o.province_code IS DISTINCT FROM r.province_code
             GROUP BY 1, 2, 3
        ), moved AS (
            SELECT was AS province_code, status, -n AS n FROM apps
            UNION ALL SELECT now, status, n FROM apps
        )
        INSERT INTO application_figures AS f (province_code, status, n)
        SELECT province_code, status, sum(n) FROM moved GROUP BY 1, 2 HAVING sum(n) <> 0
        ON CONFLICT (province_code, status) DO UPDATE SET n = f.n + EXCLUDED.n;
    END IF;
    PERFORM set_config('pasokan.mode', mode, true);
    RETURN NULL;
END
$$;

-- What is listed per product: every old row is taken away and every new
-- one added, and products whose sums did not move are left alone.
CREATE FUNCTION product_figures_entry_rows() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO product_figures AS f (product_type, listed, capacity)
        SELECT product_type, count(*)::int, sum(monthly_capacity) FROM new_rows GROUP BY 1
        ON CONFLICT (product_type) DO UPDATE SET listed = f.listed + EXCLUDED.listed, capacity = f.capacity + EXCLUDED.capacity;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO product_figures AS f (product_type, listed, capacity)
        SELECT product_type, -count(*)::int, -sum(monthly_capacity) FROM old_rows GROUP BY 1
        ON CONFLICT (product_type) DO UPDATE SET listed = f.listed + EXCLUDED.listed, capacity = f.capacity + EXCLUDED.capacity;
    ELSE
        INSERT INTO product_figures AS f (product_type, listed, capacity)
        SELECT product_type, sum(l)::int, sum(c) FROM (
            SELECT product_type, -1 AS l, -monthly_capacity AS c FROM old_rows
            UNION ALL SELECT product_type, 1, monthly_capacity FROM new_rows
        ) x GROUP BY 1 HAVING sum(l) <> 0 OR sum(c) <> 0
        ON CONFLICT (product_type) DO UPDATE SET listed = f.listed + EXCLUDED.listed, capacity = f.capacity + EXCLUDED.capacity;
    END IF;
    RETURN NULL;
END
$$;

-- A demand counts once approved (approved, then planned); a draft or a
-- closed demand does not.
CREATE FUNCTION product_figures_demand_rows() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO product_figures AS f (product_type, demanded)
        SELECT product_type, sum(quantity) FROM new_rows WHERE status IN ('approved', 'planned') GROUP BY 1
        ON CONFLICT (product_type) DO UPDATE SET demanded = f.demanded + EXCLUDED.demanded;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO product_figures AS f (product_type, demanded)
        SELECT product_type, -sum(quantity) FROM old_rows WHERE status IN ('approved', 'planned') GROUP BY 1
        ON CONFLICT (product_type) DO UPDATE SET demanded = f.demanded + EXCLUDED.demanded;
    ELSE
        INSERT INTO product_figures AS f (product_type, demanded)
        SELECT product_type, sum(q) FROM (
            SELECT product_type, -quantity AS q FROM old_rows WHERE status IN ('approved', 'planned')
            UNION ALL SELECT product_type, quantity FROM new_rows WHERE status IN ('approved', 'planned')
        ) x GROUP BY 1 HAVING sum(q) <> 0
        ON CONFLICT (product_type) DO UPDATE SET demanded = f.demanded + EXCLUDED.demanded;
    END IF;
    RETURN NULL;
END
$$;

-- An order counts as ordered while it is open (not declined, expired or
-- cancelled: package order's Open); what was shipped and accepted counts
-- whatever became of it. Inserted orders also count in their week.
CREATE FUNCTION product_figures_order_rows() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO product_figures AS f (product_type, ordered, shipped, accepted)
        SELECT product_type, coalesce(sum(quantity) FILTER (WHERE status NOT IN ('declined', 'expired', 'cancelled')), 0),
               sum(shipped_units), sum(accepted_units)
          FROM new_rows GROUP BY 1
        ON CONFLICT (product_type) DO UPDATE SET ordered = f.ordered + EXCLUDED.ordered,
            shipped = f.shipped + EXCLUDED.shipped, accepted = f.accepted + EXCLUDED.accepted;
        INSERT INTO weekly_figures AS f (week, metric, n)
        SELECT wib_week(created_at), m.metric, sum(CASE m.metric WHEN 'orders' THEN 1 ELSE quantity END)
          FROM new_rows CROSS JOIN (VALUES ('orders'), ('units_ordered')) AS m (metric)
         GROUP BY 1, 2
        ON CONFLICT (metric, week) DO UPDATE SET n = f.n + EXCLUDED.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO product_figures AS f (product_type, ordered, shipped, accepted)
        SELECT product_type, -coalesce(sum(quantity) FILTER (WHERE status NOT IN ('declined', 'expired', 'cancelled')), 0),
               -sum(shipped_units), -sum(accepted_units)
          FROM old_rows GROUP BY 1
        ON CONFLICT (product_type) DO UPDATE SET ordered = f.ordered + EXCLUDED.ordered,
            shipped = f.shipped + EXCLUDED.shipped, accepted = f.accepted + EXCLUDED.accepted;
    ELSE
        INSERT INTO product_figures AS f (product_type, ordered, shipped, accepted)
        SELECT product_type, sum(o), sum(s), sum(a) FROM (
            SELECT product_type, CASE WHEN status IN ('declined', 'expired', 'cancelled') THEN 0 ELSE -quantity END AS o,
                   -shipped_units AS s, -accepted_units AS a FROM old_rows
            UNION ALL
            SELECT product_type, CASE WHEN status IN ('declined', 'expired', 'cancelled') THEN 0 ELSE quantity END,
                   shipped_units, accepted_units FROM new_rows
        ) x GROUP BY 1 HAVING sum(o) <> 0 OR sum(s) <> 0 OR sum(a) <> 0
        ON CONFLICT (product_type) DO UPDATE SET ordered = f.ordered + EXCLUDED.ordered,
            shipped = f.shipped + EXCLUDED.shipped, accepted = f.accepted + EXCLUDED.accepted;
    END IF;
    RETURN NULL;
END
$$;

-- The weeks of suppliers registered, applications curated and units
-- accepted, from inserts only.
CREATE FUNCTION weekly_figures_rows() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    CASE TG_TABLE_NAME
    WHEN 'organizations' THEN
        INSERT INTO weekly_figures AS f (week, metric, n)
        SELECT wib_week(created_at), 'registered', count(*) FROM new_rows WHERE kind = 'supplier' GROUP BY 1
        ON CONFLICT (metric, week) DO UPDATE SET n = f.n + EXCLUDED.n;
    WHEN 'application_events' THEN
        INSERT INTO weekly_figures AS f (week, metric, n)
        SELECT wib_week(occurred_at), 'curated', count(*) FROM new_rows WHERE action = 'application.curated' GROUP BY 1
        ON CONFLICT (metric, week) DO UPDATE SET n = f.n + EXCLUDED.n;
    WHEN 'receipts' THEN
        INSERT INTO weekly_figures AS f (week, metric, n)
        SELECT wib_week(created_at), 'units_accepted', sum(accepted) FROM new_rows GROUP BY 1
        ON CONFLICT (metric, week) DO UPDATE SET n = f.n + EXCLUDED.n;
    END CASE;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

REVOKE EXECUTE ON FUNCTION application_figures_rows(), application_figures_profiles(), product_figures_entry_rows(),
    product_figures_demand_rows(), product_figures_order_rows(), weekly_figures_rows() FROM PUBLIC;

CREATE TRIGGER application_figures_insert AFTER INSERT ON applications
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION application_figures_rows();
CREATE TRIGGER application_figures_delete AFTER DELETE ON applications
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION application_figures_rows();
CREATE TRIGGER application_figures_update AFTER UPDATE ON applications
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION application_figures_rows();
CREATE TRIGGER application_figures_new_profiles AFTER INSERT ON supplier_profiles
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION application_figures_profiles();
CREATE TRIGGER application_figures_profiles AFTER UPDATE ON supplier_profiles
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION application_figures_profiles();
CREATE TRIGGER product_figures_entries_insert AFTER INSERT ON catalog_entries
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION product_figures_entry_rows();
CREATE TRIGGER product_figures_entries_delete AFTER DELETE ON catalog_entries
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION product_figures_entry_rows();
CREATE TRIGGER product_figures_entries_update AFTER UPDATE ON catalog_entries
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION product_figures_entry_rows();
CREATE TRIGGER product_figures_demands_insert AFTER INSERT ON demands
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION product_figures_demand_rows();
CREATE TRIGGER product_figures_demands_delete AFTER DELETE ON demands
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION product_figures_demand_rows();
CREATE TRIGGER product_figures_demands_update AFTER UPDATE ON demands
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION product_figures_demand_rows();
CREATE TRIGGER product_figures_orders_insert AFTER INSERT ON orders
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION product_figures_order_rows();
CREATE TRIGGER product_figures_orders_delete AFTER DELETE ON orders
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION product_figures_order_rows();
CREATE TRIGGER product_figures_orders_update AFTER UPDATE ON orders
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION product_figures_order_rows();
CREATE TRIGGER weekly_figures_registered AFTER INSERT ON organizations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION weekly_figures_rows();
CREATE TRIGGER weekly_figures_curated AFTER INSERT ON application_events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION weekly_figures_rows();
CREATE TRIGGER weekly_figures_accepted AFTER INSERT ON receipts
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION weekly_figures_rows();

-- +goose Down
SET LOCAL lock_timeout = '5s';
DROP TRIGGER weekly_figures_accepted ON receipts;
DROP TRIGGER weekly_figures_curated ON application_events;
DROP TRIGGER weekly_figures_registered ON organizations;
DROP TRIGGER product_figures_orders_update ON orders;
DROP TRIGGER product_figures_orders_delete ON orders;
DROP TRIGGER product_figures_orders_insert ON orders;
DROP TRIGGER product_figures_demands_update ON demands;
DROP TRIGGER product_figures_demands_delete ON demands;
DROP TRIGGER product_figures_demands_insert ON demands;
DROP TRIGGER product_figures_entries_update ON catalog_entries;
DROP TRIGGER product_figures_entries_delete ON catalog_entries;
DROP TRIGGER product_figures_entries_insert ON catalog_entries;
DROP TRIGGER application_figures_profiles ON supplier_profiles;
DROP TRIGGER application_figures_new_profiles ON supplier_profiles;
DROP TRIGGER application_figures_update ON applications;
DROP TRIGGER application_figures_delete ON applications;
DROP TRIGGER application_figures_insert ON applications;
DROP FUNCTION weekly_figures_rows(), product_figures_order_rows(), product_figures_demand_rows(),
    product_figures_entry_rows(), application_figures_profiles(), application_figures_rows();
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
