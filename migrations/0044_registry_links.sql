-- The permit looked up in the Ministry of Health's public register (issue
-- 14): a permit number alone proves nothing, so the curator records the
-- link of the register's page they read, with the item, not in the notes.
--
-- - checklist_items.asks_link marks an item whose answer needs that link
--   (the permit_registry items of migration 0040);
-- - reviews.links holds the links given, by item key, as answers holds the
--   answers: {"permit_registry": "https://…kemkes.go.id/…"}.
--
-- The items' text said the link went into the curation notes; it now says
-- it is recorded with the item, an erratum: what is checked is unchanged.

-- +goose Up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';
ALTER TABLE checklist_items ADD COLUMN asks_link boolean NOT NULL DEFAULT false;
ALTER TABLE reviews ADD COLUMN links jsonb NOT NULL DEFAULT '{}';
UPDATE checklist_items SET asks_link = true,
    text_id = replace(text_id, 'Tautan yang dipakai dicatat di catatan kurasi.', 'Tautan halaman daftar yang dibaca dicatat pada butir ini.'),
    text_en = replace(text_en, 'The link used goes in the curation notes.', 'The link of the register''s page read is recorded with this item.'),
    erratum_id = 'Ralat 6 Desember 2026: tautan daftar izin edar dicatat pada butir ini, bukan lagi di catatan kurasi; yang diperiksa tidak berubah.',
    erratum_en = 'Erratum of 6 December 2026: the register''s link is recorded with this item, no longer in the curation notes; what is checked is unchanged.'
 WHERE key = 'permit_registry';

-- +goose Down
SET LOCAL lock_timeout = '5s';
UPDATE checklist_items SET
    text_id = replace(text_id, 'Tautan halaman daftar yang dibaca dicatat pada butir ini.', 'Tautan yang dipakai dicatat di catatan kurasi.'),
    text_en = replace(text_en, 'The link of the register''s page read is recorded with this item.', 'The link used goes in the curation notes.'),
    erratum_id = '', erratum_en = ''
 WHERE key = 'permit_registry';
ALTER TABLE reviews DROP COLUMN links;
ALTER TABLE checklist_items DROP COLUMN asks_link;
