-- Deliveries: what a supplier ships against an order, what the buyer
-- receives of each shipment (the goods-received record, Berita Acara Serah
-- Terima), and the order's invoice and payment.
--
-- Owned by package order, like orders (migration 0016), and seen the same
-- way: the buyer's members and the one supplier the order names read them;
-- the ministry reads all. The supplier records shipments, the buyer
-- receipts; each only for its own side's orders.
--
-- The order keeps running sums (shipped, accepted and rejected units) so
-- that its page, its list and the supplier's record read one row; package
-- order updates them in the transaction that adds a shipment or a receipt.

-- +goose Up
ALTER TABLE orders
    ADD COLUMN shipped_units  integer NOT NULL DEFAULT 0 CHECK (shipped_units >= 0),
    ADD COLUMN accepted_units integer NOT NULL DEFAULT 0 CHECK (accepted_units >= 0),
    ADD COLUMN rejected_units integer NOT NULL DEFAULT 0 CHECK (rejected_units >= 0),
    ADD COLUMN completed_at   timestamptz,
    ADD COLUMN invoiced_on    date,
    ADD COLUMN invoice_amount bigint CHECK (invoice_amount IS NULL OR invoice_amount >= 0),
    ADD COLUMN paid_on        date,
    -- The verification code printed on the order (Surat Pesanan).
    ADD COLUMN code           text UNIQUE;
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN ('offered', 'countered', 'accepted', 'declined',
    'expired', 'in_production', 'shipped', 'completed', 'invoiced', 'paid', 'cancelled'));
-- Units never leave more in transit than the order and its replacements.
ALTER TABLE orders ADD CONSTRAINT orders_units_check
    CHECK (accepted_units + rejected_units <= shipped_units AND shipped_units <= quantity + rejected_units);

CREATE TABLE shipments (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id        bigint  NOT NULL REFERENCES orders (id),
    buyer_org_id    bigint  NOT NULL REFERENCES organizations (id),
    supplier_org_id bigint  NOT NULL REFERENCES organizations (id),
    quantity        integer NOT NULL CHECK (quantity BETWEEN 1 AND 100000000),
    shipped_on      date    NOT NULL,
    courier         text    NOT NULL CHECK (length(courier) BETWEEN 1 AND 100),
    -- The courier's receipt (nomor resi), when there is one.
    tracking        text    NOT NULL DEFAULT '' CHECK (length(tracking) <= 100),
    created_by      bigint  NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shipments_order_idx ON shipments (order_id, id);

CREATE TABLE receipts (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shipment_id     bigint  NOT NULL UNIQUE REFERENCES shipments (id),
    order_id        bigint  NOT NULL REFERENCES orders (id),
    buyer_org_id    bigint  NOT NULL REFERENCES organizations (id),
    supplier_org_id bigint  NOT NULL REFERENCES organizations (id),
    received_on     date    NOT NULL,
    accepted        integer NOT NULL CHECK (accepted >= 0),
    rejected        integer NOT NULL CHECK (rejected >= 0),
    reason          text    NOT NULL DEFAULT '' CHECK (length(reason) <= 1000),
    -- The verification code printed on the goods-received record.
    code            text    NOT NULL UNIQUE,
    created_by      bigint  NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (accepted + rejected > 0),
    CHECK (rejected = 0 OR length(reason) >= 5)
);
CREATE INDEX receipts_order_idx ON receipts (order_id, id);

ALTER TABLE shipments ENABLE ROW LEVEL SECURITY;
ALTER TABLE shipments FORCE ROW LEVEL SECURITY;
ALTER TABLE receipts ENABLE ROW LEVEL SECURITY;
ALTER TABLE receipts FORCE ROW LEVEL SECURITY;

CREATE POLICY shipments_parties ON shipments FOR SELECT USING (
    ((SELECT app_org_kind()) = 'buyer' AND buyer_org_id = (SELECT app_org_id()))
    OR ((SELECT app_org_kind()) = 'supplier' AND supplier_org_id = (SELECT app_org_id())));
CREATE POLICY shipments_supplier_insert ON shipments FOR INSERT WITH CHECK (
    (SELECT app_org_kind()) = 'supplier' AND supplier_org_id = (SELECT app_org_id()));
CREATE POLICY shipments_ministry ON shipments FOR SELECT USING ((SELECT app_is_ministry()));
CREATE POLICY shipments_system ON shipments FOR ALL USING ((SELECT app_mode()) = 'system')
    WITH CHECK ((SELECT app_mode()) = 'system');

CREATE POLICY receipts_parties ON receipts FOR SELECT USING (
    ((SELECT app_org_kind()) = 'buyer' AND buyer_org_id = (SELECT app_org_id()))
    OR ((SELECT app_org_kind()) = 'supplier' AND supplier_org_id = (SELECT app_org_id())));
CREATE POLICY receipts_buyer_insert ON receipts FOR INSERT WITH CHECK (
    (SELECT app_org_kind()) = 'buyer' AND buyer_org_id = (SELECT app_org_id()));
CREATE POLICY receipts_ministry ON receipts FOR SELECT USING ((SELECT app_is_ministry()));
CREATE POLICY receipts_system ON receipts FOR ALL USING ((SELECT app_mode()) = 'system')
    WITH CHECK ((SELECT app_mode()) = 'system');

GRANT SELECT, INSERT ON shipments, receipts TO pasokan_app;

-- +goose StatementBegin
-- Each side changes only its own part of an order (migration 0016), now
-- with the deliveries: the supplier records shipments and its invoice, the
-- buyer the goods received and the payment.
CREATE OR REPLACE FUNCTION orders_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF app_mode() = 'system' OR current_user <> 'pasokan_app' THEN
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

-- Units rejected at receipt are a signal to the supplier's curators (on
-- its application, as the duplicate signals are). The buyer's transaction
-- asks for it through package supplier (supplier.SignalRejection); the
-- function reads everything it writes from the receipt itself, so a caller
-- can only add the signal a real rejection justifies.
ALTER TABLE signals DROP CONSTRAINT signals_kind_check;
ALTER TABLE signals ADD CONSTRAINT signals_kind_check
    CHECK (kind IN ('nib', 'npwp', 'phone', 'document', 'receipt_rejected'));
-- +goose StatementBegin
CREATE FUNCTION receipt_rejection_signal(p_receipt bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
BEGIN
    -- As the portal (the tables' row-level security binds their owner
    -- too), then back to the caller's mode.
    PERFORM set_config('pasokan.mode', 'system', true);
    INSERT INTO signals (application_id, organization_id, kind, other_organization_id)
    SELECT a.id, a.organization_id, 'receipt_rejected', r.buyer_org_id
      FROM receipts r JOIN applications a ON a.organization_id = r.supplier_org_id AND a.status <> 'rejected'
     WHERE r.id = p_receipt AND r.rejected > 0
    ON CONFLICT (application_id, kind, other_organization_id) DO NOTHING;
    PERFORM set_config('pasokan.mode', mode, true);
END
$$;

-- A supplier's record with buyers, for its catalogue page: orders
-- completed, how many of them by their delivery date, units accepted and
-- rejected at receipt. Sums only: no buyer, no order.
CREATE FUNCTION supplier_order_record(p_org bigint)
RETURNS TABLE (completed bigint, on_time bigint, accepted bigint, rejected bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
BEGIN
    PERFORM set_config('pasokan.mode', 'system', true);
    RETURN QUERY
    SELECT count(*) FILTER (WHERE o.completed_at IS NOT NULL),
           count(*) FILTER (WHERE o.completed_at IS NOT NULL AND (o.completed_at AT TIME ZONE 'Asia/Jakarta')::date <= o.due_date),
           coalesce(sum(o.accepted_units), 0)::bigint, coalesce(sum(o.rejected_units), 0)::bigint
      FROM orders o WHERE o.supplier_org_id = p_org;
    PERFORM set_config('pasokan.mode', mode, true);
END
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION receipt_rejection_signal(bigint), supplier_order_record(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION receipt_rejection_signal(bigint), supplier_order_record(bigint) TO pasokan_app;

-- +goose Down
DROP FUNCTION supplier_order_record(bigint);
DROP FUNCTION receipt_rejection_signal(bigint);
ALTER TABLE signals DROP CONSTRAINT signals_kind_check;
ALTER TABLE signals ADD CONSTRAINT signals_kind_check CHECK (kind IN ('nib', 'npwp', 'phone', 'document'));
DROP TABLE receipts;
DROP TABLE shipments;
ALTER TABLE orders DROP CONSTRAINT orders_units_check;
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN ('offered', 'countered', 'accepted',
    'declined', 'expired', 'in_production', 'shipped', 'completed', 'cancelled'));
ALTER TABLE orders DROP COLUMN paid_on, DROP COLUMN invoice_amount, DROP COLUMN invoiced_on, DROP COLUMN completed_at,
    DROP COLUMN rejected_units, DROP COLUMN accepted_units, DROP COLUMN shipped_units, DROP COLUMN code;
