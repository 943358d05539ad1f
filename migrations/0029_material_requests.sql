-- Raw-material requests (bahan baku, issue 12): a supplier asks the
-- ministry for a material it needs to produce, with the quantity, the unit,
-- the day it is needed and, when it serves an accepted order, that order.
-- The ministry groups requests for the same material into one purchase
-- (one buy of spunbond for twenty producers), records where it comes from,
-- records what reaches each producer, and closes the request.
--
-- Owned by package material; no other package writes these tables. A
-- supplier's members read their own organisation's requests and events; the
-- ministry reads all and moves them; purchases are the ministry's alone (the
-- supplier sees the purchase's source copied onto its request).
--
-- A request keeps the running sum of what was delivered, and the province
-- of its supplier when it was made, so that the ministry's list filters and
-- the supplier's list read one row per request.

-- +goose Up
CREATE TABLE material_purchases (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    material   text   NOT NULL,
    unit       text   NOT NULL,
    -- Where the material comes from: a producer, a state company, a donor.
    source     text   NOT NULL CHECK (length(source) BETWEEN 2 AND 200),
    note       text   NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    created_by bigint NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE material_requests (
    id              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id bigint  NOT NULL REFERENCES organizations (id),
    province_code   text    NOT NULL DEFAULT '',
    material        text    NOT NULL CHECK (material IN ('spunbond', 'meltblown', 'cotton', 'elastic', 'thread',
        'ethanol96', 'isopropanol', 'glycerol', 'peroxide3', 'packaging', 'other')),
    quantity        integer NOT NULL CHECK (quantity BETWEEN 1 AND 100000000),
    unit            text    NOT NULL CHECK (unit IN ('m', 'kg', 'l', 'pcs', 'roll')),
    needed_by       date    NOT NULL,
    order_id        bigint  REFERENCES orders (id),
    note            text    NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    status          text    NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'sourcing', 'delivered', 'closed')),
    purchase_id     bigint  REFERENCES material_purchases (id),
    source          text    NOT NULL DEFAULT '' CHECK (length(source) <= 200),
    delivered       integer NOT NULL DEFAULT 0 CHECK (delivered >= 0),
    reason          text    NOT NULL DEFAULT '' CHECK (length(reason) <= 1000),
    version         integer NOT NULL DEFAULT 1,
    created_by      bigint  NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- Sourcing and delivery happen through a purchase.
    CHECK (status IN ('requested', 'closed') OR purchase_id IS NOT NULL),
    CHECK (material <> 'other' OR length(note) >= 3)
);
CREATE INDEX material_requests_org_idx ON material_requests (organization_id, id);
CREATE INDEX material_requests_status_idx ON material_requests (status, needed_by, id);
CREATE INDEX material_requests_purchase_idx ON material_requests (purchase_id, id) WHERE purchase_id IS NOT NULL;

-- Each step of a request, for the supplier to follow: requested, sourcing
-- (grouped into a purchase), delivered (a quantity on a day), closed.
CREATE TABLE material_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id      bigint NOT NULL REFERENCES material_requests (id),
    organization_id bigint NOT NULL REFERENCES organizations (id),
    action          text   NOT NULL CHECK (action IN ('requested', 'sourcing', 'delivered', 'closed')),
    quantity        integer,
    on_date         date,
    note            text   NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    actor_user_id   bigint REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX material_events_request_idx ON material_events (request_id, id);

ALTER TABLE material_purchases ENABLE ROW LEVEL SECURITY;
ALTER TABLE material_purchases FORCE ROW LEVEL SECURITY;
ALTER TABLE material_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE material_requests FORCE ROW LEVEL SECURITY;
ALTER TABLE material_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE material_events FORCE ROW LEVEL SECURITY;

CREATE POLICY material_purchases_ministry ON material_purchases FOR ALL
    USING ((SELECT app_is_ministry()) OR (SELECT app_mode()) = 'system')
    WITH CHECK ((SELECT app_is_ministry()) OR (SELECT app_mode()) = 'system');

CREATE POLICY material_requests_select ON material_requests FOR SELECT USING (
    ((SELECT app_org_kind()) = 'supplier' AND organization_id = (SELECT app_org_id()))
    OR (SELECT app_is_ministry()) OR (SELECT app_mode()) = 'system');
CREATE POLICY material_requests_insert ON material_requests FOR INSERT WITH CHECK (
    ((SELECT app_org_kind()) = 'supplier' AND organization_id = (SELECT app_org_id()))
    OR (SELECT app_mode()) = 'system');
CREATE POLICY material_requests_update ON material_requests FOR UPDATE
    USING ((SELECT app_is_ministry()) OR (SELECT app_mode()) = 'system')
    WITH CHECK ((SELECT app_is_ministry()) OR (SELECT app_mode()) = 'system');

CREATE POLICY material_events_select ON material_events FOR SELECT USING (
    ((SELECT app_org_kind()) = 'supplier' AND organization_id = (SELECT app_org_id()))
    OR (SELECT app_is_ministry()) OR (SELECT app_mode()) = 'system');
CREATE POLICY material_events_insert ON material_events FOR INSERT WITH CHECK (
    ((SELECT app_org_kind()) = 'supplier' AND organization_id = (SELECT app_org_id()) AND action = 'requested')
    OR (SELECT app_is_ministry()) OR (SELECT app_mode()) = 'system');

GRANT SELECT, INSERT ON material_purchases, material_events TO pasokan_app;
GRANT SELECT, INSERT, UPDATE ON material_requests TO pasokan_app;

-- +goose Down
DROP TABLE material_events;
DROP TABLE material_requests;
DROP TABLE material_purchases;
