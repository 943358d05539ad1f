-- What is ordered and accepted of each demand, kept (issue 8). The lists of
-- demands (the buyer's, the ministry's) summed each demand's orders on
-- every view: a page of 50 demands read 1,020 orders at 10,000 suppliers,
-- and a demand of a million units split across two thousand producers
-- would have read two thousand for its line alone. demand_totals keeps the
-- two sums per demand, as product_figures keeps them per product (migration
-- 0043): statement-level triggers on orders add each statement's rows'
-- sums, one upsert per demand it moves, in the demands' order (two
-- statements moving the same demands lock them in the same order).
--
-- ordered: the units of the demand's orders not declined, expired or
-- cancelled; accepted: those of orders accepted and on (in production,
-- shipped, completed, invoiced, paid). The demand's buyer and the ministry
-- read them, as they read the demand.

-- +goose Up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '30min';

CREATE TABLE demand_totals (
    demand_id    bigint PRIMARY KEY,
    buyer_org_id bigint NOT NULL,
    ordered      bigint NOT NULL DEFAULT 0,
    accepted     bigint NOT NULL DEFAULT 0
);
ALTER TABLE demand_totals ENABLE ROW LEVEL SECURITY;
ALTER TABLE demand_totals FORCE ROW LEVEL SECURITY;
CREATE POLICY demand_totals_buyer ON demand_totals FOR SELECT
    USING ((SELECT app_org_kind()) = 'buyer' AND buyer_org_id = (SELECT app_org_id()));
CREATE POLICY demand_totals_ministry ON demand_totals FOR SELECT USING ((SELECT app_is_ministry()));
CREATE POLICY demand_totals_system ON demand_totals FOR ALL USING ((SELECT app_mode()) = 'system')
    WITH CHECK ((SELECT app_mode()) = 'system');
GRANT SELECT ON demand_totals TO pasokan_app;

-- +goose StatementBegin
CREATE FUNCTION demand_totals_ordered(status text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT status NOT IN ('declined', 'expired', 'cancelled')
$$;
CREATE FUNCTION demand_totals_accepted(status text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT status IN ('accepted', 'in_production', 'shipped', 'completed', 'invoiced', 'paid')
$$;

CREATE FUNCTION demand_totals_rows() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
BEGIN
    PERFORM set_config('pasokan.mode', 'system', true);
    IF TG_OP = 'INSERT' THEN
        INSERT INTO demand_totals AS t (demand_id, buyer_org_id, ordered, accepted)
        SELECT demand_id, buyer_org_id,
               coalesce(sum(quantity) FILTER (WHERE demand_totals_ordered(status)), 0),
               coalesce(sum(quantity) FILTER (WHERE demand_totals_accepted(status)), 0)
          FROM new_rows GROUP BY 1, 2 ORDER BY 1
        ON CONFLICT (demand_id) DO UPDATE SET ordered = t.ordered + EXCLUDED.ordered, accepted = t.accepted + EXCLUDED.accepted;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO demand_totals AS t (demand_id, buyer_org_id, ordered, accepted)
        SELECT demand_id, buyer_org_id,
               -coalesce(sum(quantity) FILTER (WHERE demand_totals_ordered(status)), 0),
               -coalesce(sum(quantity) FILTER (WHERE demand_totals_accepted(status)), 0)
          FROM old_rows GROUP BY 1, 2 ORDER BY 1
        ON CONFLICT (demand_id) DO UPDATE SET ordered = t.ordered + EXCLUDED.ordered, accepted = t.accepted + EXCLUDED.accepted;
    ELSE
        INSERT INTO demand_totals AS t (demand_id, buyer_org_id, ordered, accepted)
        SELECT demand_id, buyer_org_id, sum(o), sum(a) FROM (
            SELECT o.demand_id, o.buyer_org_id,
                   -CASE WHEN demand_totals_ordered(o.status) THEN o.quantity ELSE 0 END AS o,
                   -CASE WHEN demand_totals_accepted(o.status) THEN o.quantity ELSE 0 END AS a
              FROM old_rows o JOIN new_rows n USING (id)
             WHERE o.status IS DISTINCT FROM n.status OR o.quantity IS DISTINCT FROM n.quantity
                OR o.demand_id IS DISTINCT FROM n.demand_id
            UNION ALL
            SELECT n.demand_id, n.buyer_org_id,
                   CASE WHEN demand_totals_ordered(n.status) THEN n.quantity ELSE 0 END,
                   CASE WHEN demand_totals_accepted(n.status) THEN n.quantity ELSE 0 END
              FROM old_rows o JOIN new_rows n USING (id)
             WHERE o.status IS DISTINCT FROM n.status OR o.quantity IS DISTINCT FROM n.quantity
                OR o.demand_id IS DISTINCT FROM n.demand_id
        ) x GROUP BY 1, 2 HAVING sum(o) <> 0 OR sum(a) <> 0 ORDER BY 1
        ON CONFLICT (demand_id) DO UPDATE SET ordered = t.ordered + EXCLUDED.ordered, accepted = t.accepted + EXCLUDED.accepted;
    END IF;
    PERFORM set_config('pasokan.mode', mode, true);
    RETURN NULL;
END
$$;
-- +goose StatementEnd
REVOKE EXECUTE ON FUNCTION demand_totals_rows() FROM PUBLIC;

CREATE TRIGGER demand_totals_insert AFTER INSERT ON orders
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION demand_totals_rows();
CREATE TRIGGER demand_totals_delete AFTER DELETE ON orders
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION demand_totals_rows();
CREATE TRIGGER demand_totals_update AFTER UPDATE ON orders
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION demand_totals_rows();

-- What is there already.
SELECT set_config('pasokan.mode', 'system', true);
INSERT INTO demand_totals (demand_id, buyer_org_id, ordered, accepted)
SELECT demand_id, buyer_org_id,
       coalesce(sum(quantity) FILTER (WHERE demand_totals_ordered(status)), 0),
       coalesce(sum(quantity) FILTER (WHERE demand_totals_accepted(status)), 0)
  FROM orders GROUP BY 1, 2;
ANALYZE demand_totals;

-- +goose Down
SET LOCAL lock_timeout = '5s';
DROP TRIGGER demand_totals_update ON orders;
DROP TRIGGER demand_totals_delete ON orders;
DROP TRIGGER demand_totals_insert ON orders;
DROP FUNCTION demand_totals_rows(), demand_totals_accepted(text), demand_totals_ordered(text);
DROP TABLE demand_totals;
