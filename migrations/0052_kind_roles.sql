-- A database role per kind of organisation, with each table's policies
-- written for it (issue 8).
--
-- Two thirds of a statement's Postgres time was its tables' row-level
-- security policies (DESIGN.md, "What the policies cost a statement"):
-- Postgres expands every policy that applies to the reader's role, each
-- with the branches of every kind of reader (the ministry, the system mode,
-- a curator's assignment, a supplier's own rows), and builds each branch's
-- init plans on every execution whether they run or not.
--
-- A request acting for one organisation in the tenant mode now runs as a
-- role of its organisation's kind: pasokan_supplier, pasokan_curator,
-- pasokan_buyer or pasokan_ministry (the server keeps a pool of connections
-- per kind, each connection set to its role once; database.DB). Each table's
-- policies are derived for each of those roles from the application's own:
-- the same expression with what the settings are in that kind's tenant
-- scope written in as constants (the mode is the tenant's, the kind is the
-- role's; the ministry sees what the ministry sees, and only a curator has
-- assignments), which the planner folds away with the branches they decide.
-- What a kind role may read and write is therefore exactly what the
-- application's role may in that kind's tenant scope, and no more.
--
-- The derivation is app_sync_kind_roles(), run by the migrator after every
-- migration (database.Migrate), so a policy added or changed by a later
-- migration is derived again, and the kind roles are given exactly the
-- application's privileges. It also keeps each table's own policies to the
-- application's role and the table's owner (whose SECURITY DEFINER
-- functions act under them: row-level security is forced on the owner).
--
-- The roles are the cluster's, not the database's: the private cluster
-- makes them (database.Cluster), and an operator's own Postgres needs them
-- made once, with the application's role a member of each that does not
-- inherit it (README, "A real database"). The function refuses to derive
-- anything while one is missing or inherited by the application's role.

-- +goose Up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';

-- +goose StatementBegin
-- What a policy's expression is in a kind's tenant scope: each setting that
-- the scope fixes written as its value. The organisation and the user stay
-- settings (init plans evaluated once per statement).
CREATE FUNCTION app_policy_for_kind(expr text, kind text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = public, pg_temp AS $fn$
DECLARE
    e text := expr;
BEGIN
    IF e IS NULL THEN
        RETURN NULL;
    END IF;
    e := replace(e, '( SELECT app_mode() AS app_mode)', '''''::text');
    e := replace(e, '( SELECT app_org_kind() AS app_org_kind)', quote_literal(kind) || '::text');
    e := replace(e, '( SELECT app_is_ministry() AS app_is_ministry)',
                 CASE WHEN kind = 'ministry' THEN 'true' ELSE 'false' END);
    e := replace(e, '( SELECT app_curator_org_id() AS app_curator_org_id)',
                 CASE WHEN kind = 'curator' THEN '( SELECT app_org_id() AS app_org_id)' ELSE 'NULL::bigint' END);
    IF kind <> 'curator' THEN
        e := regexp_replace(e, 'app_assigned\([a-z_.]+\)', 'false', 'g');
    END IF;
    RETURN e;
END
$fn$;
-- +goose StatementEnd

-- +goose StatementBegin
-- Brings the kind roles' privileges and policies in step with the
-- application role's (see above). Returns how many objects it changed;
-- changes nothing when they are in step.
CREATE FUNCTION app_sync_kind_roles() RETURNS integer
LANGUAGE plpgsql SET search_path = public, pg_temp AS $fn$
DECLARE
    -- Bump when app_policy_for_kind changes, to derive every policy again.
    derivation constant text := '1';
    app constant oid := 'pasokan_app'::regrole;
    k text;
    r text;
    rid oid;
    n integer := 0;
    o record;
    dname text;
    e_using text;
    e_check text;
    sig text;
BEGIN
    FOREACH k IN ARRAY ARRAY['supplier', 'curator', 'buyer', 'ministry'] LOOP
        r := 'pasokan_' || k;
        SELECT oid INTO rid FROM pg_roles WHERE rolname = r;
        IF rid IS NULL THEN
            RAISE EXCEPTION 'role % is missing: make it (NOLOGIN) and grant it to pasokan_app, which must not inherit it (README, "A real database")', r;
        END IF;
        IF pg_has_role('pasokan_app', rid, 'USAGE') THEN
            RAISE EXCEPTION 'pasokan_app inherits %: make pasokan_app NOINHERIT (README, "A real database")', r;
        END IF;
        IF EXISTS (SELECT FROM pg_roles WHERE oid = rid AND (rolsuper OR rolbypassrls)) THEN
            RAISE EXCEPTION 'role % must not bypass row-level security', r;
        END IF;
    END LOOP;

    -- Each table's own policies apply to the application and the owner
    -- only (a policy made for everyone would apply to the kind roles too,
    -- all its branches with it).
    FOR o IN SELECT p.polname, c.oid::regclass AS rel, c.relowner::regrole AS owner
               FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
              WHERE p.polroles = '{0}' LOOP
        EXECUTE format('ALTER POLICY %I ON %s TO pasokan_app, %s', o.polname, o.rel, o.owner);
        n := n + 1;
    END LOOP;

    FOREACH k IN ARRAY ARRAY['supplier', 'curator', 'buyer', 'ministry'] LOOP
        r := 'pasokan_' || k;
        rid := r::regrole;

        -- The application's privileges, no more and no fewer: schemas,
        -- tables, views and sequences, columns, functions.
        FOR o IN SELECT s.nspname,
                        (SELECT string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) FROM aclexplode(s.nspacl) a WHERE a.grantee = app) AS want,
                        (SELECT string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) FROM aclexplode(s.nspacl) a WHERE a.grantee = rid) AS have
                   FROM pg_namespace s WHERE s.nspname IN ('public', 'river') LOOP
            CONTINUE WHEN o.want IS NOT DISTINCT FROM o.have;
            EXECUTE format('REVOKE ALL ON SCHEMA %I FROM %I', o.nspname, r);
            IF o.want IS NOT NULL THEN
                EXECUTE format('GRANT %s ON SCHEMA %I TO %I', o.want, o.nspname, r);
            END IF;
            n := n + 1;
        END LOOP;

        FOR o IN SELECT c.oid::regclass AS rel, CASE c.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS what,
                        (SELECT string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) FROM aclexplode(c.relacl) a WHERE a.grantee = app) AS want,
                        (SELECT string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) FROM aclexplode(c.relacl) a WHERE a.grantee = rid) AS have
                   FROM pg_class c
                  WHERE c.relnamespace IN (SELECT oid FROM pg_namespace WHERE nspname IN ('public', 'river'))
                    AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') LOOP
            CONTINUE WHEN o.want IS NOT DISTINCT FROM o.have;
            EXECUTE format('REVOKE ALL ON %s %s FROM %I', o.what, o.rel, r);
            IF o.want IS NOT NULL THEN
                EXECUTE format('GRANT %s ON %s %s TO %I', o.want, o.what, o.rel, r);
            END IF;
            n := n + 1;
        END LOOP;

        FOR o IN SELECT c.oid::regclass AS rel, t.attname,
                        (SELECT string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) FROM aclexplode(t.attacl) a WHERE a.grantee = app) AS want,
                        (SELECT string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) FROM aclexplode(t.attacl) a WHERE a.grantee = rid) AS have
                   FROM pg_class c JOIN pg_attribute t ON t.attrelid = c.oid
                  WHERE c.relnamespace IN (SELECT oid FROM pg_namespace WHERE nspname IN ('public', 'river'))
                    AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND t.attnum > 0 AND NOT t.attisdropped
                    AND t.attacl IS NOT NULL LOOP
            CONTINUE WHEN o.want IS NOT DISTINCT FROM o.have;
            EXECUTE format('REVOKE ALL (%I) ON TABLE %s FROM %I', o.attname, o.rel, r);
            IF o.want IS NOT NULL THEN
                EXECUTE format('GRANT %s ON TABLE %s TO %I',
                               (SELECT string_agg(format('%s (%I)', p, o.attname), ', ')
                                  FROM unnest(string_to_array(o.want, ', ')) p), o.rel, r);
            END IF;
            n := n + 1;
        END LOOP;

        FOR o IN SELECT f.oid::regprocedure AS fn, CASE f.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END AS what,
                        (SELECT string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) FROM aclexplode(f.proacl) a WHERE a.grantee = app) AS want,
                        (SELECT string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) FROM aclexplode(f.proacl) a WHERE a.grantee = rid) AS have
                   FROM pg_proc f
                  WHERE f.pronamespace IN (SELECT oid FROM pg_namespace WHERE nspname IN ('public', 'river'))
                    AND f.prokind IN ('f', 'p') AND f.proacl IS NOT NULL LOOP
            CONTINUE WHEN o.want IS NOT DISTINCT FROM o.have;
            EXECUTE format('REVOKE ALL ON %s %s FROM %I', o.what, o.fn, r);
            IF o.want IS NOT NULL THEN
                EXECUTE format('GRANT %s ON %s %s TO %I', o.want, o.what, o.fn, r);
            END IF;
            n := n + 1;
        END LOOP;

        -- Each of the application's policies, derived for the kind. A
        -- derived policy carries the digest of what it was derived as; one
        -- whose source changed is made again, one whose source is gone is
        -- dropped.
        FOR o IN SELECT p.polname, p.polrelid, p.polrelid::regclass AS rel,
                        CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                                      WHEN 'd' THEN 'DELETE' ELSE 'ALL' END AS cmd,
                        CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END AS how,
                        pg_get_expr(p.polqual, p.polrelid) AS q,
                        pg_get_expr(p.polwithcheck, p.polrelid) AS c
                   FROM pg_policy p
                  WHERE app = ANY (p.polroles) LOOP
            dname := o.polname || '__' || k;
            e_using := app_policy_for_kind(o.q, k);
            e_check := app_policy_for_kind(o.c, k);
            sig := 'derived ' || derivation || ' ' || md5(concat_ws(E'\n', o.cmd, o.how, coalesce(e_using, '-'), coalesce(e_check, '-')));
            CONTINUE WHEN EXISTS (SELECT FROM pg_policy d
                                   WHERE d.polrelid = o.polrelid AND d.polname = dname AND d.polroles = ARRAY[rid]
                                     AND obj_description(d.oid, 'pg_policy') = sig);
            EXECUTE format('DROP POLICY IF EXISTS %I ON %s', dname, o.rel);
            EXECUTE format('CREATE POLICY %I ON %s AS %s FOR %s TO %I%s%s', dname, o.rel, o.how, o.cmd, r,
                           CASE WHEN e_using IS NOT NULL THEN ' USING (' || e_using || ')' ELSE '' END,
                           CASE WHEN e_check IS NOT NULL THEN ' WITH CHECK (' || e_check || ')' ELSE '' END);
            EXECUTE format('COMMENT ON POLICY %I ON %s IS %L', dname, o.rel, sig);
            n := n + 1;
        END LOOP;

        FOR o IN SELECT d.polname, d.polrelid::regclass AS rel
                   FROM pg_policy d
                  WHERE d.polroles = ARRAY[rid]
                    AND NOT EXISTS (SELECT FROM pg_policy s
                                     WHERE s.polrelid = d.polrelid AND app = ANY (s.polroles)
                                       AND s.polname || '__' || k = d.polname) LOOP
            EXECUTE format('DROP POLICY %I ON %s', o.polname, o.rel);
            n := n + 1;
        END LOOP;
    END LOOP;
    RETURN n;
END
$fn$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION app_sync_kind_roles() FROM PUBLIC;
REVOKE ALL ON FUNCTION app_policy_for_kind(text, text) FROM PUBLIC;

-- +goose StatementBegin
-- Each side changes only its own part of an order (migrations 0016, 0017):
-- the check now holds for the kind roles as it did for the application's.
CREATE OR REPLACE FUNCTION orders_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF app_mode() = 'system'
       OR current_user NOT IN ('pasokan_app', 'pasokan_supplier', 'pasokan_curator', 'pasokan_buyer', 'pasokan_ministry') THEN
        RETURN NEW;
    END IF;
    IF (NEW.id, NEW.demand_id, NEW.site_id, NEW.buyer_org_id, NEW.supplier_org_id, NEW.product_type, NEW.created_by)
       IS DISTINCT FROM (OLD.id, OLD.demand_id, OLD.site_id, OLD.buyer_org_id, OLD.supplier_org_id, OLD.product_type, OLD.created_by) THEN
        RAISE EXCEPTION 'an order''s parties and demand do not change' USING ERRCODE = 'check_violation';
    END IF;
    IF app_org_kind() = 'supplier' AND (NEW.quantity, NEW.unit_price, NEW.due_date, NEW.respond_by, NEW.buyer_name, NEW.standard,
           NEW.accepted_units, NEW.rejected_units, NEW.paid_on)
       IS DISTINCT FROM (OLD.quantity, OLD.unit_price, OLD.due_date, OLD.respond_by, OLD.buyer_name, OLD.standard,
           OLD.accepted_units, OLD.rejected_units, OLD.paid_on) THEN
        RAISE EXCEPTION 'a supplier does not change what was ordered or received' USING ERRCODE = 'check_violation';
    END IF;
    IF app_org_kind() = 'buyer' AND (NEW.shipped_units, NEW.invoiced_on, NEW.invoice_amount)
       IS DISTINCT FROM (OLD.shipped_units, OLD.invoiced_on, OLD.invoice_amount) THEN
        RAISE EXCEPTION 'a buyer does not record shipments or invoices' USING ERRCODE = 'check_violation';
    END IF;
    -- The buyer may clear a counter (accepting or refusing it), not write one.
    IF app_org_kind() = 'buyer'
       AND (NEW.counter_quantity IS NOT NULL OR NEW.counter_unit_price IS NOT NULL OR NEW.counter_due_date IS NOT NULL)
       AND (NEW.counter_quantity, NEW.counter_unit_price, NEW.counter_due_date)
       IS DISTINCT FROM (OLD.counter_quantity, OLD.counter_unit_price, OLD.counter_due_date) THEN
        RAISE EXCEPTION 'a buyer does not write the supplier''s counter' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd

-- +goose Down
SET LOCAL lock_timeout = '5s';
-- +goose StatementBegin
DO $$
DECLARE
    o record;
BEGIN
    FOR o IN SELECT d.polname, d.polrelid::regclass AS rel FROM pg_policy d
              WHERE d.polroles && (SELECT array_agg(oid) FROM pg_roles
                                    WHERE rolname IN ('pasokan_supplier', 'pasokan_curator', 'pasokan_buyer', 'pasokan_ministry')) LOOP
        EXECUTE format('DROP POLICY %I ON %s', o.polname, o.rel);
    END LOOP;
    FOR o IN SELECT p.polname, p.polrelid::regclass AS rel FROM pg_policy p
              WHERE 'pasokan_app'::regrole = ANY (p.polroles) LOOP
        EXECUTE format('ALTER POLICY %I ON %s TO PUBLIC', o.polname, o.rel);
    END LOOP;
END
$$;
-- +goose StatementEnd
DROP FUNCTION app_sync_kind_roles();
DROP FUNCTION app_policy_for_kind(text, text);
