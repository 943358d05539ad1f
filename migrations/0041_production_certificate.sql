-- A document kind of its own for the production certificate a
-- distribution permit requires (issue 14): CPAKB for medical devices,
-- CPPKRTB for household health supplies. The kinds' check is widened: the
-- new check is added NOT VALID (enforced for new rows at once, no scan
-- under the table's lock) and validated by the next migration, which
-- scans without blocking writes.

-- +goose Up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';
ALTER TABLE documents DROP CONSTRAINT documents_kind_check;
ALTER TABLE documents ADD CONSTRAINT documents_kind_check
    CHECK (kind IN ('nib', 'npwp', 'permit', 'production_certificate', 'lab_result', 'photo')) NOT VALID;

-- +goose Down
SET LOCAL lock_timeout = '5s';
ALTER TABLE documents DROP CONSTRAINT documents_kind_check;
ALTER TABLE documents ADD CONSTRAINT documents_kind_check
    CHECK (kind IN ('nib', 'npwp', 'permit', 'lab_result', 'photo')) NOT VALID;
