-- The catalogue's pages kept in each process, exact (issue 9).
--
-- Every buyer who opens /catalog, and every visitor of /directory, reads the
-- same public entries; a process may keep a search's result and serve it
-- again while nothing in the catalogue has changed. catalog_generation says
-- whether anything has: any statement that writes catalog_entries adds one,
-- once per transaction, to one of sixteen slots (by backend, so that
-- writers seldom wait on each other), in that transaction; a reader sums
-- the slots. The sum grows with every commit that changed an entry, and a
-- change is visible to a reader only with its increment, so a result kept
-- under the sum it was read after is served only while no change has
-- committed since. Other processes see it the same way: no message to lose.
--
-- +goose Up
CREATE TABLE catalog_generation (
    slot smallint PRIMARY KEY,
    n    bigint   NOT NULL
);
INSERT INTO catalog_generation SELECT g, 0 FROM generate_series(0, 15) g;
GRANT SELECT ON catalog_generation TO pasokan_app;

-- +goose StatementBegin
CREATE FUNCTION catalog_generation_bump() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    -- Once per transaction (the slot's version is this transaction's when
    -- it added one already): a bulk load that writes the catalogue
    -- organisation by organisation in one transaction would otherwise pile
    -- up versions of one row, each next update stepping over all of them.
    -- A setting would not do: one set inside a function with a SET clause,
    -- as catalog_refresh has, is undone when that function returns.
    UPDATE catalog_generation SET n = n + 1
     WHERE slot = pg_backend_pid() % 16 AND xmin <> pg_current_xact_id()::xid;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER catalog_entries_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON catalog_entries
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_generation_bump();

-- +goose Down
DROP TRIGGER catalog_entries_generation ON catalog_entries;
DROP FUNCTION catalog_generation_bump();
DROP TABLE catalog_generation;
