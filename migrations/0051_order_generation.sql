-- A demand's plan kept in each process, exact (issue 8).
--
-- A buyer's demand page plans what the demand still needs on every view:
-- at 200,000 suppliers the plan's read (the most capable producers of each
-- site's regency, province and island, and what each has committed) was
-- 1.3 ms of the page's 1.45 ms of Postgres. The plan is a function of the
-- demand's remaining need, its deadline and the day (read with the demand
-- on every view), the catalogue's entries (catalog_generation, 0028) and
-- the orders (what producers have committed, and the buyer's own offers
-- still unanswered). order_generation says whether any order has changed,
-- as catalog_generation does for the entries: a statement that writes
-- orders adds one, once per transaction, to one of sixteen slots (by
-- backend), in that transaction; a reader sums the slots. A plan kept under
-- both sums it was read after is served only while no change has committed
-- since, in any process (package order, keptPlans).
--
-- Unlike the entries' generation, a statement that wrote no row adds
-- nothing: the job that expires unanswered offers runs every few minutes
-- and most runs expire none.
--
-- +goose Up
-- The triggers take a lock on orders that waits for its writers.
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';
CREATE TABLE order_generation (
    slot smallint PRIMARY KEY,
    n    bigint   NOT NULL
);
INSERT INTO order_generation SELECT g, 0 FROM generate_series(0, 15) g;
GRANT SELECT ON order_generation TO pasokan_app;

-- +goose StatementBegin
CREATE FUNCTION order_generation_bump() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM FROM old_rows LIMIT 1;
    ELSE
        PERFORM FROM new_rows LIMIT 1;
    END IF;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    -- Once per transaction, as catalog_generation_bump does.
    UPDATE order_generation SET n = n + 1
     WHERE slot = pg_backend_pid() % 16 AND xmin <> pg_current_xact_id()::xid;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
REVOKE EXECUTE ON FUNCTION order_generation_bump() FROM PUBLIC;
CREATE TRIGGER orders_generation_insert AFTER INSERT ON orders
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION order_generation_bump();
CREATE TRIGGER orders_generation_update AFTER UPDATE ON orders
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION order_generation_bump();
CREATE TRIGGER orders_generation_delete AFTER DELETE ON orders
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION order_generation_bump();

-- +goose Down
SET LOCAL lock_timeout = '5s';
DROP TRIGGER orders_generation_delete ON orders;
DROP TRIGGER orders_generation_update ON orders;
DROP TRIGGER orders_generation_insert ON orders;
DROP FUNCTION order_generation_bump();
DROP TABLE order_generation;
