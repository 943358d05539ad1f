-- Demands and orders: a buyer's need (a million cloth masks by a date, for
-- several delivery sites), and the offers it splits into, one per curated
-- producer and site, followed from the offer to the goods received and the
-- payment.
--
-- The first records two organisations share (docs/DESIGN.md, "Records seen
-- by several organisations"):
--
-- * demands and demand_sites belong to package order and to the buyer: its
--   members read and write them; the ministry reads all. A demand's target
--   price and internal notes live only here, so no supplier can read them:
--   suppliers have no policy on demands at all.
-- * orders belong to package order too. The buyer's members read and move
--   theirs (orders_buyer), the one supplier an order names reads and moves
--   its own line only (orders_supplier), never another supplier's line of
--   the same demand; the ministry reads all; nothing of an order is public.
--   What each side may change is guarded twice: by the repository's state
--   machine, and by a trigger that refuses a supplier's change to what the
--   buyer set (quantity, price, due date, site) and a buyer's change to
--   what the supplier records (its counter, shipments), whatever the
--   statement.
-- * A supplier reads the delivery site of its own orders (it must deliver
--   there), through a policy of its own on demand_sites; never the other
--   sites of the demand.
-- * order_events is each order's timeline, readable by both parties; it is
--   append-only, like the audit trail.

-- +goose Up
CREATE TABLE demands (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    buyer_org_id  bigint  NOT NULL REFERENCES organizations (id),
    title         text    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    product_type  text    NOT NULL REFERENCES product_types (code),
    -- The sum of the sites' quantities (the repository keeps it so).
    quantity      integer NOT NULL CHECK (quantity BETWEEN 1 AND 100000000),
    deadline      date    NOT NULL,
    -- The standard the goods must meet, as the buyer words it
    -- ("SNI 8914:2020, Tipe A").
    standard      text    NOT NULL DEFAULT '' CHECK (length(standard) <= 200),
    -- Rupiah per unit; never shown to suppliers.
    target_price  bigint  CHECK (target_price IS NULL OR target_price BETWEEN 1 AND 100000000000),
    notes         text    NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
    status        text    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'planned', 'closed')),
    version       integer NOT NULL DEFAULT 1,
    created_by    bigint  NOT NULL REFERENCES users (id),
    approved_by   bigint  REFERENCES users (id),
    approved_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX demands_buyer_idx ON demands (buyer_org_id, id DESC);

CREATE TABLE demand_sites (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    demand_id     bigint  NOT NULL REFERENCES demands (id),
    buyer_org_id  bigint  NOT NULL REFERENCES organizations (id),
    position      integer NOT NULL CHECK (position BETWEEN 1 AND 50),
    province_code text    NOT NULL REFERENCES provinces (code),
    regency_code  text    NOT NULL REFERENCES regencies (code),
    address       text    NOT NULL CHECK (length(address) BETWEEN 1 AND 500),
    quantity      integer NOT NULL CHECK (quantity BETWEEN 1 AND 100000000),
    UNIQUE (demand_id, position)
);

CREATE TABLE orders (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    demand_id       bigint  NOT NULL REFERENCES demands (id),
    site_id         bigint  NOT NULL REFERENCES demand_sites (id),
    buyer_org_id    bigint  NOT NULL REFERENCES organizations (id),
    supplier_org_id bigint  NOT NULL REFERENCES organizations (id),
    -- Copied from the demand and the buyer when offered: the supplier reads
    -- them here, not on the demand.
    buyer_name      text    NOT NULL,
    supplier_name   text    NOT NULL,
    product_type    text    NOT NULL REFERENCES product_types (code),
    standard        text    NOT NULL DEFAULT '',
    quantity        integer NOT NULL CHECK (quantity BETWEEN 1 AND 100000000),
    unit_price      bigint  NOT NULL CHECK (unit_price BETWEEN 1 AND 100000000000),
    due_date        date    NOT NULL,
    -- An offer not answered by then expires.
    respond_by      timestamptz NOT NULL,
    status          text    NOT NULL DEFAULT 'offered' CHECK (status IN ('offered', 'countered', 'accepted',
                        'declined', 'expired', 'in_production', 'shipped', 'completed', 'cancelled')),
    -- The supplier's counter-offer, while countered.
    counter_quantity   integer CHECK (counter_quantity IS NULL OR counter_quantity BETWEEN 1 AND 100000000),
    counter_unit_price bigint  CHECK (counter_unit_price IS NULL OR counter_unit_price BETWEEN 1 AND 100000000000),
    counter_due_date   date,
    -- Why it was declined, refused or cancelled.
    reason          text    NOT NULL DEFAULT '' CHECK (length(reason) <= 1000),
    version         integer NOT NULL DEFAULT 1,
    created_by      bigint  NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_buyer_idx ON orders (buyer_org_id, id DESC);
CREATE INDEX orders_supplier_idx ON orders (supplier_org_id, id DESC);
CREATE INDEX orders_demand_idx ON orders (demand_id, id);
-- A buyer's offers still unanswered, per product: the planner counts them
-- as taken (at a million orders, reading the buyer's orders for them took
-- 1.4 s).
CREATE INDEX orders_pending_idx ON orders (buyer_org_id, product_type, supplier_org_id)
    WHERE status IN ('offered', 'countered');
-- For the expiry job: offers by their response deadline.
CREATE INDEX orders_respond_by_idx ON orders (respond_by) WHERE status = 'offered';
-- What a producer has already committed (the planner's "committed").
CREATE INDEX orders_committed_idx ON orders (product_type, supplier_org_id)
    WHERE status IN ('accepted', 'in_production', 'shipped');

CREATE TABLE order_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id        bigint  NOT NULL REFERENCES orders (id),
    buyer_org_id    bigint  NOT NULL REFERENCES organizations (id),
    supplier_org_id bigint  NOT NULL REFERENCES organizations (id),
    -- NULL for the portal's own work (an offer expiring).
    actor_user_id   bigint  REFERENCES users (id),
    actor_org_id    bigint  REFERENCES organizations (id),
    action          text    NOT NULL,
    from_status     text    NOT NULL DEFAULT '',
    to_status       text    NOT NULL DEFAULT '',
    reason          text    NOT NULL DEFAULT '',
    detail          jsonb   NOT NULL DEFAULT '{}',
    at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_events_order_idx ON order_events (order_id, id);

ALTER TABLE demands ENABLE ROW LEVEL SECURITY;
ALTER TABLE demands FORCE ROW LEVEL SECURITY;
ALTER TABLE demand_sites ENABLE ROW LEVEL SECURITY;
ALTER TABLE demand_sites FORCE ROW LEVEL SECURITY;
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE orders FORCE ROW LEVEL SECURITY;
ALTER TABLE order_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE order_events FORCE ROW LEVEL SECURITY;

-- Demands: the buyer's own; the ministry reads; the portal all.
CREATE POLICY demands_buyer ON demands FOR ALL
    USING ((SELECT app_org_kind()) = 'buyer' AND buyer_org_id = (SELECT app_org_id()))
    WITH CHECK ((SELECT app_org_kind()) = 'buyer' AND buyer_org_id = (SELECT app_org_id()));
CREATE POLICY demands_ministry ON demands FOR SELECT USING ((SELECT app_is_ministry()));
CREATE POLICY demands_system ON demands FOR ALL USING ((SELECT app_mode()) = 'system')
    WITH CHECK ((SELECT app_mode()) = 'system');

CREATE POLICY demand_sites_buyer ON demand_sites FOR ALL
    USING ((SELECT app_org_kind()) = 'buyer' AND buyer_org_id = (SELECT app_org_id()))
    WITH CHECK ((SELECT app_org_kind()) = 'buyer' AND buyer_org_id = (SELECT app_org_id()));
-- A supplier: the sites it delivers to, no other.
CREATE POLICY demand_sites_supplier ON demand_sites FOR SELECT USING (
    (SELECT app_org_kind()) = 'supplier' AND EXISTS (
        SELECT 1 FROM orders o WHERE o.site_id = demand_sites.id AND o.supplier_org_id = (SELECT app_org_id())));
CREATE POLICY demand_sites_ministry ON demand_sites FOR SELECT USING ((SELECT app_is_ministry()));
CREATE POLICY demand_sites_system ON demand_sites FOR ALL USING ((SELECT app_mode()) = 'system')
    WITH CHECK ((SELECT app_mode()) = 'system');

-- Orders: the buyer offers and moves its own; the supplier named moves its
-- own line; neither deletes.
CREATE POLICY orders_buyer ON orders FOR SELECT
    USING ((SELECT app_org_kind()) = 'buyer' AND buyer_org_id = (SELECT app_org_id()));
CREATE POLICY orders_buyer_insert ON orders FOR INSERT
    WITH CHECK ((SELECT app_org_kind()) = 'buyer' AND buyer_org_id = (SELECT app_org_id()));
CREATE POLICY orders_buyer_update ON orders FOR UPDATE
    USING ((SELECT app_org_kind()) = 'buyer' AND buyer_org_id = (SELECT app_org_id()))
    WITH CHECK ((SELECT app_org_kind()) = 'buyer' AND buyer_org_id = (SELECT app_org_id()));
CREATE POLICY orders_supplier ON orders FOR SELECT
    USING ((SELECT app_org_kind()) = 'supplier' AND supplier_org_id = (SELECT app_org_id()));
CREATE POLICY orders_supplier_update ON orders FOR UPDATE
    USING ((SELECT app_org_kind()) = 'supplier' AND supplier_org_id = (SELECT app_org_id()))
    WITH CHECK ((SELECT app_org_kind()) = 'supplier' AND supplier_org_id = (SELECT app_org_id()));
CREATE POLICY orders_ministry ON orders FOR SELECT USING ((SELECT app_is_ministry()));
CREATE POLICY orders_system ON orders FOR ALL USING ((SELECT app_mode()) = 'system')
    WITH CHECK ((SELECT app_mode()) = 'system');

-- The timeline: both parties read it and append to it as themselves.
CREATE POLICY order_events_parties ON order_events FOR SELECT USING (
    ((SELECT app_org_kind()) = 'buyer' AND buyer_org_id = (SELECT app_org_id()))
    OR ((SELECT app_org_kind()) = 'supplier' AND supplier_org_id = (SELECT app_org_id())));
CREATE POLICY order_events_insert ON order_events FOR INSERT WITH CHECK (
    actor_org_id = (SELECT app_org_id()) AND actor_user_id = (SELECT app_user_id())
    AND (buyer_org_id = (SELECT app_org_id()) OR supplier_org_id = (SELECT app_org_id())));
CREATE POLICY order_events_ministry ON order_events FOR SELECT USING ((SELECT app_is_ministry()));
CREATE POLICY order_events_system ON order_events FOR ALL USING ((SELECT app_mode()) = 'system')
    WITH CHECK ((SELECT app_mode()) = 'system');

-- +goose StatementBegin
-- Each side changes only its own part of an order, whatever the statement:
-- the buyer sets what is ordered (and accepts a counter into it), the
-- supplier answers and records its counter. The portal's own work (system
-- mode: an offer expiring) and the owner are not checked here.
CREATE FUNCTION orders_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF app_mode() = 'system' OR current_user <> 'pasokan_app' THEN
        RETURN NEW;
    END IF;
    IF (NEW.id, NEW.demand_id, NEW.site_id, NEW.buyer_org_id, NEW.supplier_org_id, NEW.product_type, NEW.created_by)
       IS DISTINCT FROM (OLD.id, OLD.demand_id, OLD.site_id, OLD.buyer_org_id, OLD.supplier_org_id, OLD.product_type, OLD.created_by) THEN
        RAISE EXCEPTION 'an order''s parties and demand do not change' USING ERRCODE = 'check_violation';
    END IF;
    IF app_org_kind() = 'supplier' AND (NEW.quantity, NEW.unit_price, NEW.due_date, NEW.respond_by, NEW.buyer_name, NEW.standard)
       IS DISTINCT FROM (OLD.quantity, OLD.unit_price, OLD.due_date, OLD.respond_by, OLD.buyer_name, OLD.standard) THEN
        RAISE EXCEPTION 'a supplier does not change what was ordered' USING ERRCODE = 'check_violation';
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
CREATE TRIGGER orders_guard BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION orders_guard();

-- The parties notify each other (an offer, an answer): a member of one side
-- may add a notification for the other side of an order it can read.
CREATE POLICY notifications_order_party ON notifications FOR INSERT WITH CHECK (
    EXISTS (SELECT 1 FROM orders o
             WHERE (o.buyer_org_id = (SELECT app_org_id()) AND o.supplier_org_id = notifications.organization_id)
                OR (o.supplier_org_id = (SELECT app_org_id()) AND o.buyer_org_id = notifications.organization_id)));
CREATE INDEX orders_parties_idx ON orders (buyer_org_id, supplier_org_id);

-- +goose StatementBegin
-- What each producer of a product has already committed: the quantity of
-- its accepted, unfinished orders, whichever buyer placed them. A buyer
-- planning a demand reads these sums (the planner's "committed"), never the
-- orders of another buyer: the function runs as the owner and returns
-- nothing but the sums.
CREATE FUNCTION order_commitments(p_product text) RETURNS TABLE (supplier_org_id bigint, committed bigint)
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
     WHERE o.product_type = p_product AND o.status IN ('accepted', 'in_production', 'shipped')
     GROUP BY o.supplier_org_id;
    PERFORM set_config('pasokan.mode', mode, true);
END
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION order_commitments(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION order_commitments(text) TO pasokan_app;

GRANT SELECT, INSERT, UPDATE ON demands, demand_sites, orders TO pasokan_app;
GRANT SELECT, INSERT ON order_events TO pasokan_app;

-- +goose Down
DROP FUNCTION order_commitments(text);
DROP POLICY notifications_order_party ON notifications;
DROP TABLE order_events;
DROP TABLE orders;
DROP FUNCTION orders_guard();
DROP TABLE demand_sites;
DROP TABLE demands;
