-- Re-curation as work sent to curators (issue 12). When a standard
-- changes, the ministry sends each product curated on the replaced
-- checklist version back to its curators: a proposal of kind 'recheck'
-- (0013), which waits in their queue with the others. The product stays
-- curated and listed until a curator checks it against the checklist now in
-- force: passed, its certificate line names the new version; failed, it is
-- no longer curated nor listed.

-- +goose Up
ALTER TABLE product_proposals DROP CONSTRAINT product_proposals_kind_check;
ALTER TABLE product_proposals ADD CONSTRAINT product_proposals_kind_check CHECK (kind IN ('product', 'permits', 'recheck'));

-- +goose Down
DELETE FROM product_proposals WHERE kind = 'recheck';
ALTER TABLE product_proposals DROP CONSTRAINT product_proposals_kind_check;
ALTER TABLE product_proposals ADD CONSTRAINT product_proposals_kind_check CHECK (kind IN ('product', 'permits'));
