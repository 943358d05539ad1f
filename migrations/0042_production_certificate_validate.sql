-- Validates the widened document-kind check of 0041: a scan that takes a
-- SHARE UPDATE EXCLUSIVE lock, so uploads go on meanwhile.

-- +goose Up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '10min';
ALTER TABLE documents VALIDATE CONSTRAINT documents_kind_check;

-- +goose Down
SELECT 1;
