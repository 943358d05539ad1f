-- The demand's page reads a bounded few producers, not all (issue 8).
--
-- The page plans what a demand still needs on every view. It read every
-- listed producer of the product (37,411 for cloth masks at 200,000
-- suppliers) and every accepted order of the product for their sums: 51
-- views a second, 14 ms of server and 23 ms of Postgres each.
--
-- The planner prefers, for each site, producers of its regency, then its
-- province, its island, then elsewhere, and within each class the most
-- free capacity first. Package order now reads each class in order of
-- monthly capacity, which bounds the free capacity of every producer not
-- yet read, a batch at a time, and planner.MakeFrom says which classes need
-- more: the plan is the plan over all, from the producers it could reach.
-- These indexes serve those reads (a regency, a province, an island of one
-- product, micro businesses or the others, most capable first), and the commitments are summed for the
-- producers read only (order_commitments, over every producer of the
-- product, stays for the demo's story, which plans as of past days).
--
-- +goose Up
-- +goose StatementBegin
-- island_of is planner.Island: the island group of a province by its
-- code's first digit, '' for an unknown code. A test holds the two equal
-- for every province.
CREATE FUNCTION island_of(province_code text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE left(province_code, 1)
    WHEN '1' THEN 'Sumatera' WHEN '2' THEN 'Sumatera' WHEN '3' THEN 'Jawa'
    WHEN '5' THEN 'Bali dan Nusa Tenggara' WHEN '6' THEN 'Kalimantan' WHEN '7' THEN 'Sulawesi'
    WHEN '8' THEN 'Maluku' WHEN '9' THEN 'Papua' ELSE '' END
$$;
-- +goose StatementEnd
GRANT EXECUTE ON FUNCTION island_of(text) TO pasokan_app;

-- Micro businesses and the others apart: a buyer may favour micro
-- businesses, and they are mostly the smaller producers, so a read of
-- micro businesses along capacity alone would pass over most others first.
-- The id, which orders producers of equal capacity, is left out on
-- purpose: with it, the province's index held every column a catalogue
-- search's count joins on (product, province, id), and the count's generic
-- plan hashed the product's whole range of it (187,895 entries at
-- 1,000,000 suppliers, 300 ms) instead of probing the entries it walked.
CREATE INDEX catalog_entries_plan_regency_idx
    ON catalog_entries (product_type, regency_code, (size_class = 'mikro'), monthly_capacity DESC);
CREATE INDEX catalog_entries_plan_province_idx
    ON catalog_entries (product_type, province_code, (size_class = 'mikro'), monthly_capacity DESC);
CREATE INDEX catalog_entries_plan_island_idx
    ON catalog_entries (product_type, island_of(province_code), (size_class = 'mikro'), monthly_capacity DESC);

-- +goose StatementBegin
-- What each of the given producers of a product has already committed:
-- the quantity of its accepted, unfinished orders, whichever buyer placed
-- them. A buyer planning a demand reads these sums (the planner's
-- "committed"), never the orders of another buyer: the function runs as
-- the owner and returns nothing but the sums, for the producers the
-- caller names.
CREATE FUNCTION order_commitments_of(p_product text, p_suppliers bigint[])
RETURNS TABLE (supplier_org_id bigint, committed bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
BEGIN
    -- The tables are under forced row-level security, their owner
    -- included: the sums are read as the portal, then the caller's mode
    -- comes back.
    PERFORM set_config('pasokan.mode', 'system', true);
    RETURN QUERY
    SELECT o.supplier_org_id, sum(o.quantity)::bigint
      FROM orders o
     WHERE o.product_type = p_product AND o.supplier_org_id = ANY (p_suppliers)
       AND o.status IN ('accepted', 'in_production', 'shipped')
     GROUP BY o.supplier_org_id;
    PERFORM set_config('pasokan.mode', mode, true);
END
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION order_commitments_of(text, bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION order_commitments_of(text, bigint[]) TO pasokan_app;

-- +goose Down
DROP FUNCTION order_commitments_of(text, bigint[]);
DROP INDEX catalog_entries_plan_island_idx;
DROP INDEX catalog_entries_plan_province_idx;
DROP INDEX catalog_entries_plan_regency_idx;
DROP FUNCTION island_of(text);
