-- The orders behind the dashboard's figures (issue 12): a product's units
-- ordered, shipped and accepted, and a week's orders. Each list walks its
-- own index in order and stops after a page; without them a list read
-- every order of the country (1,000,000 at national scale).

-- +goose Up
CREATE INDEX orders_product_idx ON orders (product_type, id);
CREATE INDEX orders_created_idx ON orders (created_at, id);

-- +goose Down
DROP INDEX orders_created_idx;
DROP INDEX orders_product_idx;
