-- What a curated supplier proposes to its curators: a new product, or new
-- permits (izin edar, SNI certificate) for a curated one. What was curated
-- changes only by a curator's decision, for that product alone; the rest of
-- the listing stays in the catalogue meanwhile. A new product waits in
-- application_products (curation '') as well, so the supplier sees it; new
-- permits wait here only, and the product stays listed as curated.
--
-- Owned by package supplier (proposals are part of the application);
-- curation closes them through supplier's exported functions.

-- +goose Up
CREATE TABLE product_proposals (
    application_id  bigint NOT NULL REFERENCES applications (id),
    organization_id bigint NOT NULL REFERENCES organizations (id),
    curator_org_id  bigint REFERENCES organizations (id),
    product_type    text   NOT NULL REFERENCES product_types (code),
    kind            text   NOT NULL CHECK (kind IN ('product', 'permits')),
    permit_number   text   NOT NULL DEFAULT '',
    sni_certificate text   NOT NULL DEFAULT '' CHECK (length(sni_certificate) <= 100),
    proposed_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (application_id, product_type)
);
-- The curators' list of what waits, oldest first.
CREATE INDEX product_proposals_curator_idx ON product_proposals (curator_org_id, proposed_at);

ALTER TABLE product_proposals ENABLE ROW LEVEL SECURITY;
ALTER TABLE product_proposals FORCE ROW LEVEL SECURITY;
-- The supplier's own; the assigned curators read and close them; the
-- ministry reads all.
CREATE POLICY product_proposals_own ON product_proposals FOR ALL
    USING ((SELECT app_org_kind()) = 'supplier' AND organization_id = (SELECT app_org_id()))
    WITH CHECK ((SELECT app_org_kind()) = 'supplier' AND organization_id = (SELECT app_org_id()));
CREATE POLICY product_proposals_curator ON product_proposals FOR SELECT
    USING ((SELECT app_org_kind()) = 'curator' AND curator_org_id = (SELECT app_org_id()));
CREATE POLICY product_proposals_curator_close ON product_proposals FOR DELETE
    USING ((SELECT app_org_kind()) = 'curator' AND curator_org_id = (SELECT app_org_id()));
CREATE POLICY product_proposals_ministry ON product_proposals FOR SELECT USING ((SELECT app_is_ministry()));
CREATE POLICY product_proposals_system ON product_proposals FOR SELECT USING ((SELECT app_mode()) = 'system');
GRANT SELECT, INSERT, UPDATE, DELETE ON product_proposals TO pasokan_app;

-- A supplier tells the curators its application is assigned to that a
-- proposal waits (and no other organisation).
CREATE POLICY notifications_supplier_to_curator ON notifications FOR INSERT WITH CHECK (
    (SELECT app_org_kind()) = 'supplier' AND EXISTS (
        SELECT 1 FROM applications a
         WHERE a.organization_id = (SELECT app_org_id()) AND a.assigned_org_id = notifications.organization_id));

-- +goose Down
DROP POLICY notifications_supplier_to_curator ON notifications;
DROP TABLE product_proposals;
