-- Order and demand lists in pages by status, and drafts that change.
--
-- Lists in pages by status: the buyer's, a supplier's
-- own, and the ministry's view of every order. A list of one status walks
-- (party, status, id) backwards and stops at the page; without these
-- indexes a rare status (the three countered offers among a buyer's
-- 688,000 orders, say) read every order of the party to find them.

-- +goose Up
CREATE INDEX orders_buyer_status_idx ON orders (buyer_org_id, status, id DESC);
CREATE INDEX orders_supplier_status_idx ON orders (supplier_org_id, status, id DESC);
CREATE INDEX orders_status_idx ON orders (status, id DESC);
CREATE INDEX demands_status_idx ON demands (status, id DESC);

-- A draft demand's sites are replaced whole when its buyer edits it. Row
-- security keeps them to the buyer's own; an order names its site, so a
-- site with an order cannot go (and only drafts, which have none, are
-- edited).
GRANT DELETE ON demand_sites TO pasokan_app;

-- +goose Down
REVOKE DELETE ON demand_sites FROM pasokan_app;
DROP INDEX demands_status_idx;
DROP INDEX orders_status_idx;
DROP INDEX orders_supplier_status_idx;
DROP INDEX orders_buyer_status_idx;
