-- The curators' queue searched by a name of several common words, flat in
-- the country's size (issue 8).
--
-- A search walks the tokens of its rarest word and probes the others
-- (0009). The names are drawn from a small vocabulary of words (Koperasi,
-- Konveksi, Maju, Jaya...), so at 1,000,000 suppliers every word of
-- "Koperasi Konveksi Sakinah Abadi" has 14,000 to 123,000 entries, the
-- whole name a handful: the walk read its bound (500 tokens per status),
-- probing the other words of each, and the page took 16 ms of Postgres.
--
-- Here each assigned application also has a token per pair of neighbouring
-- words of its names: the first word whole (its first twelve letters),
-- then a space and the next word's first three letters ("sakinah aba").
-- A search of several words stands in a name from a word's start
-- (curation.searchTokens), so every word but its last is whole there, and
-- the last begins a word: the search's pairs are the name's. The pair
-- "sakinah aba" has about 120 entries in the largest curator organisation
-- at 1,000,000 suppliers. The queue walks the rarest pair.
--
-- The pairs of the legal and the trading name are taken from the two
-- names written one after the other, so one pair spans them; a search
-- that matches only that pair is confirmed against each name and fails.
--
-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION queue_search_tokens(names text, nib text, province text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT t), '{}')
      FROM (SELECT array_remove(regexp_split_to_array(lower(coalesce(names, '')), '[^a-z0-9]+'), '') AS ws) s,
           LATERAL (
        SELECT left(w, k) AS t
          FROM unnest(s.ws) AS w, generate_series(3, least(length(w), 12)) AS k
         WHERE length(w) >= 3
        UNION ALL SELECT left(s.ws[i], 12) || ' ' || left(s.ws[i + 1], 3)
          FROM generate_series(1, cardinality(s.ws) - 1) AS i
        UNION ALL SELECT 'nib:' || nib WHERE coalesce(nib, '') <> ''
        UNION ALL SELECT 'prov:' || province WHERE coalesce(province, '') <> ''
    ) x
$$;
-- +goose StatementEnd

-- The pairs of the applications already assigned; their other tokens are
-- unchanged.
SELECT set_config('pasokan.mode', 'system', true);
INSERT INTO queue_search (application_id, assigned_org_id, token, status, submitted_at)
SELECT a.id, a.assigned_org_id, t, a.status, a.submitted_at
  FROM applications a
  JOIN supplier_profiles p ON p.organization_id = a.organization_id
 CROSS JOIN LATERAL unnest(queue_search_tokens(p.legal_name || ' ' || p.trading_name, p.nib, p.province_code)) AS t
 WHERE a.assigned_org_id IS NOT NULL AND a.submitted_at IS NOT NULL AND strpos(t, ' ') > 0
ON CONFLICT DO NOTHING;

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION queue_search_tokens(names text, nib text, province text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT t), '{}') FROM (
        SELECT left(w, k) AS t
          FROM regexp_split_to_table(lower(coalesce(names, '')), '[^a-z0-9]+') AS w,
               generate_series(3, least(length(w), 12)) AS k
         WHERE length(w) >= 3
        UNION ALL SELECT 'nib:' || nib WHERE coalesce(nib, '') <> ''
        UNION ALL SELECT 'prov:' || province WHERE coalesce(province, '') <> ''
    ) x
$$;
-- +goose StatementEnd
DELETE FROM queue_search WHERE strpos(token, ' ') > 0;
