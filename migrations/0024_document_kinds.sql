-- One file, several document kinds (issue 11). One scan often holds several
-- papers (the NIB and the NPWP on one page). Such an upload stores one
-- document per kind, each with the same bytes: every reader of a document's
-- kind (the checklist, a curator's revision flag on one kind, the snapshot of
-- a submission, the review page) keeps working on one row per kind, and
-- removing one kind leaves the others.
--
-- The same file twice for one kind is still recognised and not stored twice;
-- the same file for another kind is now allowed. The upload quota counts a
-- file's bytes once however many kinds it serves (supplier.documentBytesSQL),
-- so the bytes in Postgres are bounded by the quota times the number of kinds
-- (five).

-- +goose Up

DROP INDEX documents_org_sha256_key;
CREATE UNIQUE INDEX documents_org_sha256_kind_key ON documents (organization_id, sha256, kind) WHERE removed_at IS NULL;

-- +goose Down
-- A file serving several kinds keeps its first; the others are removed.
UPDATE documents d SET removed_at = now(), data = NULL
 WHERE d.removed_at IS NULL AND EXISTS (SELECT 1 FROM documents o WHERE o.organization_id = d.organization_id
   AND o.sha256 = d.sha256 AND o.removed_at IS NULL AND o.id < d.id);
DROP INDEX documents_org_sha256_kind_key;
CREATE UNIQUE INDEX documents_org_sha256_key ON documents (organization_id, sha256) WHERE removed_at IS NULL;
