-- What a curated supplier asks its curators to change of its identity: the
-- legal name, NIB and NPWP it was curated under (and which its certificate
-- names). Capacity, prices and contacts change on the listing at once; the
-- identity changes only by a curator's decision, and the listing stays in
-- the catalogue meanwhile (the catalogue shows the trading name; nothing
-- changes until the change is accepted). At most one change waits per
-- application: asking again replaces it with a new row, whose id is new (a
-- curator's decision names the id it was taken on, so a decision on a
-- change the supplier has since replaced, or on one decided already, is
-- stale: ids are never reused).
--
-- Owned by package supplier (the identity is the profile's); curation
-- applies or closes a change through supplier's exported functions. The
-- assigned curators may update a supplier's profile only while a change
-- waits for them, and only into the identity it proposes
-- (supplier_profiles_curator_identity): the values come from this row,
-- never from the curator.

-- +goose Up
CREATE TABLE identity_proposals (
    id              bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    application_id  bigint PRIMARY KEY REFERENCES applications (id),
    organization_id bigint NOT NULL REFERENCES organizations (id),
    curator_org_id  bigint REFERENCES organizations (id),
    legal_name      text   NOT NULL CHECK (length(legal_name) BETWEEN 1 AND 200),
    nib             text   NOT NULL CHECK (nib ~ '^[0-9]{13}$'),
    npwp            text   NOT NULL CHECK (npwp ~ '^[0-9]{15,16}$'),
    proposed_by     bigint NOT NULL REFERENCES users (id),
    proposed_at     timestamptz NOT NULL DEFAULT now()
);
-- The curators' list of what waits, oldest first.
CREATE INDEX identity_proposals_curator_idx ON identity_proposals (curator_org_id, proposed_at);

ALTER TABLE identity_proposals ENABLE ROW LEVEL SECURITY;
ALTER TABLE identity_proposals FORCE ROW LEVEL SECURITY;
-- The supplier's own; the assigned curators read and close them; the
-- ministry reads all; the portal reads all.
CREATE POLICY identity_proposals_own ON identity_proposals FOR ALL
    USING ((SELECT app_org_kind()) = 'supplier' AND organization_id = (SELECT app_org_id()))
    WITH CHECK ((SELECT app_org_kind()) = 'supplier' AND organization_id = (SELECT app_org_id()));
CREATE POLICY identity_proposals_curator ON identity_proposals FOR SELECT
    USING ((SELECT app_org_kind()) = 'curator' AND curator_org_id = (SELECT app_org_id()));
CREATE POLICY identity_proposals_curator_close ON identity_proposals FOR DELETE
    USING ((SELECT app_org_kind()) = 'curator' AND curator_org_id = (SELECT app_org_id()));
CREATE POLICY identity_proposals_ministry ON identity_proposals FOR SELECT USING ((SELECT app_is_ministry()));
CREATE POLICY identity_proposals_system ON identity_proposals FOR SELECT USING ((SELECT app_mode()) = 'system');
GRANT SELECT, INSERT, UPDATE, DELETE ON identity_proposals TO pasokan_app;

-- An accepted change is written by the curator's transaction: the assigned
-- curators may update the profile of a supplier whose identity change waits
-- for them, and the row must then carry the identity proposed.
CREATE POLICY supplier_profiles_curator_identity ON supplier_profiles FOR UPDATE
    USING ((SELECT app_org_kind()) = 'curator' AND EXISTS (
        SELECT 1 FROM identity_proposals ip
         WHERE ip.organization_id = supplier_profiles.organization_id AND ip.curator_org_id = (SELECT app_org_id())))
    WITH CHECK ((SELECT app_org_kind()) = 'curator' AND EXISTS (
        SELECT 1 FROM identity_proposals ip
         WHERE ip.organization_id = supplier_profiles.organization_id AND ip.curator_org_id = (SELECT app_org_id())
           AND ip.legal_name = supplier_profiles.legal_name AND ip.nib = supplier_profiles.nib
           AND ip.npwp = supplier_profiles.npwp));

-- +goose Down
DROP POLICY supplier_profiles_curator_identity ON supplier_profiles;
DROP TABLE identity_proposals;
