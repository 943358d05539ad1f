-- The ministry's summaries of its support work, kept (issue 8).
--
-- Three figures counted every open request on each view: the permits
-- page's count of each open step (permit/permit.go, stepsSQL), the
-- dashboard's open raw-material and permit requests (figures.openSQL), and
-- the materials page's sums by week, material and unit with the accepted
-- orders the requests serve (material/ministry.go, weeksSQL), which read
-- every open request and joined each to its order. At 200,000 suppliers
-- that is 1,664 open permit requests and 109 open material requests a view,
-- and the counts grow with the programme.
--
-- support_figures keeps how many requests of each kind are in each status,
-- as application_figures keeps applications (migration 0043): a
-- statement-level trigger adds each statement's rows, one upsert per status
-- it moves.
--
-- material_week_figures keeps the materials page's rows. A row counts the
-- accepted orders its requests serve once each, which a sum of the changed
-- rows cannot keep (a second request for the same order and week adds no
-- order), so a statement counts again each week, material and unit its
-- open requests left or entered: its row is made if missing and locked
-- first, in the keys' order, then counted from the open requests of that
-- week (an index range of material_requests_open_needed_idx) in a statement
-- that starts after the lock, so that it sees what any other transaction
-- that moved the same week committed before it. A row whose week has no
-- open request left is deleted. Both read as the ministry reads them.

-- +goose Up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '30min';

CREATE TABLE support_figures (
    kind   text    NOT NULL CHECK (kind IN ('material', 'permit')),
    status text    NOT NULL,
    n      integer NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, status)
);
ALTER TABLE support_figures ENABLE ROW LEVEL SECURITY;
ALTER TABLE support_figures FORCE ROW LEVEL SECURITY;
CREATE POLICY support_figures_ministry ON support_figures FOR SELECT USING ((SELECT app_is_ministry()));
CREATE POLICY support_figures_system ON support_figures FOR ALL USING ((SELECT app_mode()) = 'system')
    WITH CHECK ((SELECT app_mode()) = 'system');
GRANT SELECT ON support_figures TO pasokan_app;

CREATE TABLE material_week_figures (
    monday    date    NOT NULL,
    material  text    NOT NULL,
    unit      text    NOT NULL,
    requests  integer NOT NULL DEFAULT 0,
    quantity  bigint  NOT NULL DEFAULT 0,
    delivered bigint  NOT NULL DEFAULT 0,
    -- The accepted orders the requests serve, each once, and their units.
    orders    integer NOT NULL DEFAULT 0,
    units     bigint  NOT NULL DEFAULT 0,
    PRIMARY KEY (monday, material, unit)
);
ALTER TABLE material_week_figures ENABLE ROW LEVEL SECURITY;
ALTER TABLE material_week_figures FORCE ROW LEVEL SECURITY;
CREATE POLICY material_week_figures_ministry ON material_week_figures FOR SELECT USING ((SELECT app_is_ministry()));
CREATE POLICY material_week_figures_system ON material_week_figures FOR ALL USING ((SELECT app_mode()) = 'system')
    WITH CHECK ((SELECT app_mode()) = 'system');
GRANT SELECT ON material_week_figures TO pasokan_app;

-- +goose StatementBegin
CREATE FUNCTION support_figures_rows() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
    k text := CASE TG_TABLE_NAME WHEN 'material_requests' THEN 'material' ELSE 'permit' END;
BEGIN
    PERFORM set_config('pasokan.mode', 'system', true);
    IF TG_OP = 'INSERT' THEN
        INSERT INTO support_figures AS f (kind, status, n)
        SELECT k, status, count(*)::int FROM new_rows GROUP BY 2 ORDER BY 2
        ON CONFLICT (kind, status) DO UPDATE SET n = f.n + EXCLUDED.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO support_figures AS f (kind, status, n)
        SELECT k, status, -count(*)::int FROM old_rows GROUP BY 2 ORDER BY 2
        ON CONFLICT (kind, status) DO UPDATE SET n = f.n + EXCLUDED.n;
    ELSE
        INSERT INTO support_figures AS f (kind, status, n)
        SELECT k, x.status, sum(x.d)::int FROM (
            SELECT o.status, -1 AS d FROM old_rows o JOIN new_rows n USING (id) WHERE o.status IS DISTINCT FROM n.status
            UNION ALL
            SELECT n.status, 1 FROM old_rows o JOIN new_rows n USING (id) WHERE o.status IS DISTINCT FROM n.status
        ) x GROUP BY 2 HAVING sum(x.d) <> 0 ORDER BY 2
        ON CONFLICT (kind, status) DO UPDATE SET n = f.n + EXCLUDED.n;
    END IF;
    PERFORM set_config('pasokan.mode', mode, true);
    RETURN NULL;
END
$$;

CREATE FUNCTION material_week_figures_rows() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
    key_mondays date[];
    key_materials text[];
    key_units text[];
BEGIN
    PERFORM set_config('pasokan.mode', 'system', true);
    -- The weeks, materials and units whose open requests the statement moved.
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(monday), array_agg(material), array_agg(unit) INTO key_mondays, key_materials, key_units
          FROM (SELECT DISTINCT date_trunc('week', needed_by)::date AS monday, material, unit
                  FROM new_rows WHERE status IN ('requested', 'sourcing') ORDER BY 1, 2, 3) k;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(monday), array_agg(material), array_agg(unit) INTO key_mondays, key_materials, key_units
          FROM (SELECT DISTINCT date_trunc('week', needed_by)::date AS monday, material, unit
                  FROM old_rows WHERE status IN ('requested', 'sourcing') ORDER BY 1, 2, 3) k;
    ELSE
        SELECT array_agg(monday), array_agg(material), array_agg(unit) INTO key_mondays, key_materials, key_units
          FROM (SELECT DISTINCT date_trunc('week', r.needed_by)::date AS monday, r.material, r.unit
                  FROM old_rows o JOIN new_rows n USING (id)
                 CROSS JOIN LATERAL (VALUES (o.status, o.needed_by, o.material, o.unit),
                                            (n.status, n.needed_by, n.material, n.unit)) r (status, needed_by, material, unit)
                 WHERE r.status IN ('requested', 'sourcing')
                   AND (o.status, o.needed_by, o.material, o.unit, o.quantity, o.delivered, o.order_id)
                       IS DISTINCT FROM (n.status, n.needed_by, n.material, n.unit, n.quantity, n.delivered, n.order_id)
                 ORDER BY 1, 2, 3) k;
    END IF;
    IF key_mondays IS NOT NULL THEN
        -- Made if missing and locked, in the keys' order.
        INSERT INTO material_week_figures AS f (monday, material, unit)
        SELECT * FROM unnest(key_mondays, key_materials, key_units) ORDER BY 1, 2, 3
        ON CONFLICT (monday, material, unit) DO UPDATE SET requests = f.requests;
        -- Counted again, after the lock.
        UPDATE material_week_figures f
           SET requests = c.requests, quantity = c.quantity, delivered = c.delivered, orders = u.orders, units = u.units
          FROM unnest(key_mondays, key_materials, key_units) AS k (monday, material, unit)
         CROSS JOIN LATERAL (
               SELECT count(*)::int AS requests, coalesce(sum(r.quantity), 0)::bigint AS quantity,
                      coalesce(sum(r.delivered), 0)::bigint AS delivered,
                      array_agg(DISTINCT r.order_id) FILTER (WHERE r.order_id IS NOT NULL) AS ids
                 FROM material_requests r
                WHERE r.status IN ('requested', 'sourcing') AND r.needed_by >= k.monday AND r.needed_by < k.monday + 7
                  AND r.material = k.material AND r.unit = k.unit) c
         CROSS JOIN LATERAL (
               SELECT count(*)::int AS orders, coalesce(sum(o.quantity), 0)::bigint AS units
                 FROM orders o WHERE o.id = ANY (c.ids)) u
         WHERE (f.monday, f.material, f.unit) = (k.monday, k.material, k.unit);
        DELETE FROM material_week_figures f USING unnest(key_mondays, key_materials, key_units) AS k (monday, material, unit)
         WHERE (f.monday, f.material, f.unit) = (k.monday, k.material, k.unit) AND f.requests = 0;
    END IF;
    PERFORM set_config('pasokan.mode', mode, true);
    RETURN NULL;
END
$$;
-- +goose StatementEnd
REVOKE EXECUTE ON FUNCTION support_figures_rows() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION material_week_figures_rows() FROM PUBLIC;

CREATE TRIGGER support_figures_insert AFTER INSERT ON material_requests
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION support_figures_rows();
CREATE TRIGGER support_figures_delete AFTER DELETE ON material_requests
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION support_figures_rows();
CREATE TRIGGER support_figures_update AFTER UPDATE ON material_requests
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION support_figures_rows();
CREATE TRIGGER support_figures_insert AFTER INSERT ON permit_requests
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION support_figures_rows();
CREATE TRIGGER support_figures_delete AFTER DELETE ON permit_requests
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION support_figures_rows();
CREATE TRIGGER support_figures_update AFTER UPDATE ON permit_requests
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION support_figures_rows();
CREATE TRIGGER material_week_figures_insert AFTER INSERT ON material_requests
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION material_week_figures_rows();
CREATE TRIGGER material_week_figures_delete AFTER DELETE ON material_requests
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION material_week_figures_rows();
CREATE TRIGGER material_week_figures_update AFTER UPDATE ON material_requests
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION material_week_figures_rows();

-- What is there already.
SELECT set_config('pasokan.mode', 'system', true);
INSERT INTO support_figures (kind, status, n)
SELECT 'material', status, count(*)::int FROM material_requests GROUP BY 2
UNION ALL
SELECT 'permit', status, count(*)::int FROM permit_requests GROUP BY 2;
INSERT INTO material_week_figures (monday, material, unit, requests, quantity, delivered, orders, units)
SELECT w.monday, w.material, w.unit, w.requests, w.quantity, w.delivered, u.orders, u.units
  FROM (SELECT date_trunc('week', r.needed_by)::date AS monday, r.material, r.unit, count(*)::int AS requests,
               sum(r.quantity)::bigint AS quantity, sum(r.delivered)::bigint AS delivered,
               array_agg(DISTINCT r.order_id) FILTER (WHERE r.order_id IS NOT NULL) AS ids
          FROM material_requests r WHERE r.status IN ('requested', 'sourcing')
         GROUP BY 1, 2, 3) w
 CROSS JOIN LATERAL (SELECT count(*)::int AS orders, coalesce(sum(o.quantity), 0)::bigint AS units
                       FROM orders o WHERE o.id = ANY (w.ids)) u;
ANALYZE support_figures;
ANALYZE material_week_figures;

-- +goose Down
SET LOCAL lock_timeout = '5s';
DROP TRIGGER material_week_figures_update ON material_requests;
DROP TRIGGER material_week_figures_delete ON material_requests;
DROP TRIGGER material_week_figures_insert ON material_requests;
DROP TRIGGER support_figures_update ON permit_requests;
DROP TRIGGER support_figures_delete ON permit_requests;
DROP TRIGGER support_figures_insert ON permit_requests;
DROP TRIGGER support_figures_update ON material_requests;
DROP TRIGGER support_figures_delete ON material_requests;
DROP TRIGGER support_figures_insert ON material_requests;
DROP FUNCTION material_week_figures_rows(), support_figures_rows();
DROP TABLE material_week_figures;
DROP TABLE support_figures;
