-- Uploads: a removed document keeps its description for the audit trail
-- (kind, name, type, size, SHA-256, who and when) but not its bytes.
--
-- The check holds both ways: a live document has its bytes, a removed one
-- has none, so bytes cannot linger whichever code removes a document.

-- +goose Up

ALTER TABLE documents ALTER COLUMN data DROP NOT NULL;
UPDATE documents SET data = NULL WHERE removed_at IS NOT NULL;
ALTER TABLE documents ADD CONSTRAINT documents_data_live CHECK ((data IS NULL) = (removed_at IS NOT NULL));

-- +goose Down
-- The bytes of removed documents are gone; they come back empty.
ALTER TABLE documents DROP CONSTRAINT documents_data_live;
UPDATE documents SET data = '\x'::bytea WHERE data IS NULL;
ALTER TABLE documents ALTER COLUMN data SET NOT NULL;
