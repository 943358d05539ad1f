-- Permit and certification help (issue 12): a supplier asks the ministry
-- for help obtaining a permit for a product: the Ministry of Health's
-- distribution permit (izin edar AKD for a medical device, PKD for a
-- household health supply, PKRT), an SNI certificate, or a laboratory test.
-- The ministry moves the request through its steps (documents complete,
-- submitted to the issuing body, questions, then issued with its number and
-- date, or refused with a reason). An issued permit lands on the supplier's
-- product, which goes back to its curator for that item only (package
-- supplier, ProposeIssuedPermit).
--
-- Owned by package permit. A supplier's members read their own requests
-- and make them; the ministry reads all and moves them. A request keeps
-- when it entered its current step, so that the ministry sees where
-- requests wait longest without reading their timelines.

-- +goose Up
CREATE TABLE permit_requests (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id   bigint  NOT NULL REFERENCES organizations (id),
    province_code     text    NOT NULL DEFAULT '',
    product_type      text    NOT NULL REFERENCES product_types (code),
    permit_kind       text    NOT NULL CHECK (permit_kind IN ('akd', 'pkd', 'sni', 'lab_test')),
    note              text    NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    status            text    NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'documents_complete',
        'submitted', 'questions', 'issued', 'refused')),
    permit_number     text    NOT NULL DEFAULT '' CHECK (length(permit_number) <= 100),
    issued_on         date,
    reason            text    NOT NULL DEFAULT '' CHECK (length(reason) <= 1000),
    -- Whether the issued permit went back to the product's curator.
    proposed          boolean NOT NULL DEFAULT false,
    version           integer NOT NULL DEFAULT 1,
    status_changed_at timestamptz NOT NULL DEFAULT now(),
    created_by        bigint  NOT NULL REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'issued') = (issued_on IS NOT NULL AND permit_number <> '')),
    CHECK (status <> 'refused' OR length(reason) >= 5)
);
CREATE INDEX permit_requests_org_idx ON permit_requests (organization_id, id);
CREATE INDEX permit_requests_waiting_idx ON permit_requests (status, status_changed_at, id);
-- One open request per product and permit.
CREATE UNIQUE INDEX permit_requests_open_idx ON permit_requests (organization_id, product_type, permit_kind)
    WHERE status NOT IN ('issued', 'refused');

CREATE TABLE permit_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id      bigint NOT NULL REFERENCES permit_requests (id),
    organization_id bigint NOT NULL REFERENCES organizations (id),
    status          text   NOT NULL,
    note            text   NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    actor_user_id   bigint REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX permit_events_request_idx ON permit_events (request_id, id);

ALTER TABLE permit_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE permit_requests FORCE ROW LEVEL SECURITY;
ALTER TABLE permit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE permit_events FORCE ROW LEVEL SECURITY;

CREATE POLICY permit_requests_select ON permit_requests FOR SELECT USING (
    ((SELECT app_org_kind()) = 'supplier' AND organization_id = (SELECT app_org_id()))
    OR (SELECT app_is_ministry()) OR (SELECT app_mode()) = 'system');
CREATE POLICY permit_requests_insert ON permit_requests FOR INSERT WITH CHECK (
    ((SELECT app_org_kind()) = 'supplier' AND organization_id = (SELECT app_org_id()))
    OR (SELECT app_mode()) = 'system');
CREATE POLICY permit_requests_update ON permit_requests FOR UPDATE
    USING ((SELECT app_is_ministry()) OR (SELECT app_mode()) = 'system')
    WITH CHECK ((SELECT app_is_ministry()) OR (SELECT app_mode()) = 'system');

CREATE POLICY permit_events_select ON permit_events FOR SELECT USING (
    ((SELECT app_org_kind()) = 'supplier' AND organization_id = (SELECT app_org_id()))
    OR (SELECT app_is_ministry()) OR (SELECT app_mode()) = 'system');
CREATE POLICY permit_events_insert ON permit_events FOR INSERT WITH CHECK (
    ((SELECT app_org_kind()) = 'supplier' AND organization_id = (SELECT app_org_id()) AND status = 'requested')
    OR (SELECT app_is_ministry()) OR (SELECT app_mode()) = 'system');

-- An issued permit is proposed on the supplier's behalf by the system
-- (package supplier, ProposeIssuedPermit): product proposals were written
-- by suppliers only.
CREATE POLICY product_proposals_system_write ON product_proposals FOR ALL
    USING ((SELECT app_mode()) = 'system') WITH CHECK ((SELECT app_mode()) = 'system');

GRANT SELECT, INSERT ON permit_events TO pasokan_app;
GRANT SELECT, INSERT, UPDATE ON permit_requests TO pasokan_app;

-- +goose Down
DROP POLICY product_proposals_system_write ON product_proposals;
DROP TABLE permit_events;
DROP TABLE permit_requests;
