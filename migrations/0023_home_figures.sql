-- The home page's live figures (issue 11): curated suppliers, the provinces
-- they are in, the product types curated and what they can make in a month,
-- whatever the size of the country.
--
-- The counts of listed products per (product type, province) are kept
-- already (catalog_counts, 0012); this keeps their monthly capacity beside
-- them, moved by catalog_refresh in the same statement and by the same
-- differences, so that the home page sums a few hundred rows rather than
-- every listed product (200,000 suppliers list some 300,000). Each entry a
-- refresh removes or adds is carried as 'product/province/capacity'; a
-- supplier who changes a capacity moves the sum, not the count. The rest of
-- catalog_refresh is 0012's, unchanged: one organisation at a time, the
-- counts moved once per call.
--
-- +goose Up
ALTER TABLE catalog_counts ADD COLUMN capacity bigint NOT NULL DEFAULT 0;

UPDATE catalog_counts c SET capacity = s.capacity
  FROM (SELECT product_type, province_code, sum(monthly_capacity)::bigint AS capacity
          FROM catalog_entries GROUP BY 1, 2) s
 WHERE s.product_type = c.product_type AND s.province_code = c.province_code;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION catalog_refresh(orgs bigint[]) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
    org bigint;
    words_gone text[] := '{}';
    words_added text[] := '{}';
    entries_gone text[] := '{}';
    entries_added text[] := '{}';
    emptied text[];
    gone_word text;
    l listings%ROWTYPE;
BEGIN
    IF cardinality(orgs) = 0 THEN
        RETURN;
    END IF;
    PERFORM set_config('pasokan.mode', 'system', true);
    FOREACH org IN ARRAY orgs LOOP
        WITH gone AS (
            DELETE FROM catalog_words WHERE organization_id = org RETURNING word
        )
        SELECT words_gone || coalesce(array_agg(word), '{}') INTO words_gone FROM gone;
        WITH gone AS (
            DELETE FROM catalog_entries WHERE organization_id = org RETURNING product_type, province_code, monthly_capacity
        )
        SELECT entries_gone || coalesce(array_agg(product_type || '/' || province_code || '/' || monthly_capacity), '{}')
          INTO entries_gone FROM gone;
        -- The listing by its key alone: a condition on withdrawn_at in the
        -- statement let a plan cached while the table was small walk the
        -- partial index of the listed instead.
        SELECT * INTO l FROM listings WHERE organization_id = org;
        IF FOUND AND l.withdrawn_at IS NULL AND l.lapsed_at IS NULL THEN
            WITH added AS (
                INSERT INTO catalog_entries (id, organization_id, slug, name, product_type, size_class, province_code,
                                             regency_code, monthly_capacity, lead_time_days, price_min, price_max,
                                             izin_edar, sni, paused_until, curated_at, confirmed_at, certificate_code,
                                             search)
                SELECT lp.id, org, l.slug, l.name, lp.product_type, l.size_class,
                       coalesce(l.province_code, ''), coalesce(l.regency_code, ''), lp.monthly_capacity,
                       lp.lead_time_days, lp.price_min, lp.price_max, lp.permit_number <> '', lp.sni_certificate <> '',
                       l.paused_until, lp.curated_at, l.confirmed_at, l.certificate_code,
                       setweight(to_tsvector('indonesian', l.name), 'A')
                         || to_tsvector('indonesian', pt.name_id
                              || ' ' || coalesce((SELECT r.name FROM regencies r WHERE r.code = l.regency_code), '')
                              || ' ' || coalesce((SELECT pv.name FROM provinces pv WHERE pv.code = l.province_code), ''))
                  FROM listing_products lp
                  JOIN product_types pt ON pt.code = lp.product_type
                 WHERE lp.organization_id = org
                RETURNING product_type, province_code, monthly_capacity
            )
            SELECT entries_added || coalesce(array_agg(product_type || '/' || province_code || '/' || monthly_capacity), '{}')
              INTO entries_added FROM added;
        END IF;
        WITH added AS (
            INSERT INTO catalog_words (word, id, organization_id, name, monthly_capacity, curated_at)
            SELECT w, e.id, e.organization_id, e.name, e.monthly_capacity, e.curated_at
              FROM catalog_entries e,
                   LATERAL (SELECT unnest(tsvector_to_array(e.search))
                            UNION
                            -- Each pair of neighbouring words of the name.
                            SELECT p.pair FROM (
                                SELECT t.lexeme || ' ' || lead(t.lexeme) OVER (ORDER BY pos) AS pair
                                  FROM unnest(to_tsvector('indonesian', e.name)) AS t(lexeme, positions, weights),
                                       unnest(t.positions) AS pos) p
                             WHERE p.pair IS NOT NULL) AS x(w)
             WHERE e.organization_id = org
            RETURNING word
        )
        SELECT words_added || coalesce(array_agg(word), '{}') INTO words_added FROM added;
    END LOOP;

    WITH moved AS (
        INSERT INTO catalog_lexicon AS c (word, n)
        SELECT word, sum(d) FROM (SELECT unnest(words_added) AS word, 1 AS d
                                  UNION ALL SELECT unnest(words_gone), -1) x
         GROUP BY 1 HAVING sum(d) <> 0
        ON CONFLICT (word) DO UPDATE SET n = c.n + EXCLUDED.n
        RETURNING c.word, c.n
    )
    SELECT array_agg(word) INTO emptied FROM moved WHERE n <= 0;
    FOREACH gone_word IN ARRAY coalesce(emptied, '{}') LOOP
        DELETE FROM catalog_lexicon WHERE word = gone_word;
    END LOOP;

    -- Each entry is 'product/province/capacity': a changed capacity moves
    -- the sum and not the count.
    INSERT INTO catalog_counts AS c (product_type, province_code, n, capacity)
    SELECT split_part(k, '/', 1), split_part(k, '/', 2), sum(d), sum(d * split_part(k, '/', 3)::bigint)
      FROM (SELECT unnest(entries_added) AS k, 1 AS d UNION ALL SELECT unnest(entries_gone), -1) x
     GROUP BY 1, 2 HAVING sum(d) <> 0 OR sum(d * split_part(k, '/', 3)::bigint) <> 0
    ON CONFLICT (product_type, province_code) DO UPDATE SET n = c.n + EXCLUDED.n, capacity = c.capacity + EXCLUDED.capacity;
    -- A few hundred rows at most (product types by provinces).
    DELETE FROM catalog_counts WHERE n <= 0;
    PERFORM set_config('pasokan.mode', mode, true);
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION catalog_refresh(orgs bigint[]) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
    org bigint;
    words_gone text[] := '{}';
    words_added text[] := '{}';
    entries_gone text[] := '{}';
    entries_added text[] := '{}';
    emptied text[];
    gone_word text;
    l listings%ROWTYPE;
BEGIN
    IF cardinality(orgs) = 0 THEN
        RETURN;
    END IF;
    PERFORM set_config('pasokan.mode', 'system', true);
    FOREACH org IN ARRAY orgs LOOP
        WITH gone AS (
            DELETE FROM catalog_words WHERE organization_id = org RETURNING word
        )
        SELECT words_gone || coalesce(array_agg(word), '{}') INTO words_gone FROM gone;
        WITH gone AS (
            DELETE FROM catalog_entries WHERE organization_id = org RETURNING product_type, province_code
        )
        SELECT entries_gone || coalesce(array_agg(product_type || '/' || province_code), '{}') INTO entries_gone FROM gone;
        -- The listing by its key alone: a condition on withdrawn_at in the
        -- statement let a plan cached while the table was small walk the
        -- partial index of the listed instead.
        SELECT * INTO l FROM listings WHERE organization_id = org;
        IF FOUND AND l.withdrawn_at IS NULL AND l.lapsed_at IS NULL THEN
            WITH added AS (
                INSERT INTO catalog_entries (id, organization_id, slug, name, product_type, size_class, province_code,
                                             regency_code, monthly_capacity, lead_time_days, price_min, price_max,
                                             izin_edar, sni, paused_until, curated_at, confirmed_at, certificate_code,
                                             search)
                SELECT lp.id, org, l.slug, l.name, lp.product_type, l.size_class,
                       coalesce(l.province_code, ''), coalesce(l.regency_code, ''), lp.monthly_capacity,
                       lp.lead_time_days, lp.price_min, lp.price_max, lp.permit_number <> '', lp.sni_certificate <> '',
                       l.paused_until, lp.curated_at, l.confirmed_at, l.certificate_code,
                       setweight(to_tsvector('indonesian', l.name), 'A')
                         || to_tsvector('indonesian', pt.name_id
                              || ' ' || coalesce((SELECT r.name FROM regencies r WHERE r.code = l.regency_code), '')
                              || ' ' || coalesce((SELECT pv.name FROM provinces pv WHERE pv.code = l.province_code), ''))
                  FROM listing_products lp
                  JOIN product_types pt ON pt.code = lp.product_type
                 WHERE lp.organization_id = org
                RETURNING product_type, province_code
            )
            SELECT entries_added || coalesce(array_agg(product_type || '/' || province_code), '{}')
              INTO entries_added FROM added;
        END IF;
        WITH added AS (
            INSERT INTO catalog_words (word, id, organization_id, name, monthly_capacity, curated_at)
            SELECT w, e.id, e.organization_id, e.name, e.monthly_capacity, e.curated_at
              FROM catalog_entries e,
                   LATERAL (SELECT unnest(tsvector_to_array(e.search))
                            UNION
                            -- Each pair of neighbouring words of the name.
                            SELECT p.pair FROM (
                                SELECT t.lexeme || ' ' || lead(t.lexeme) OVER (ORDER BY pos) AS pair
                                  FROM unnest(to_tsvector('indonesian', e.name)) AS t(lexeme, positions, weights),
                                       unnest(t.positions) AS pos) p
                             WHERE p.pair IS NOT NULL) AS x(w)
             WHERE e.organization_id = org
            RETURNING word
        )
        SELECT words_added || coalesce(array_agg(word), '{}') INTO words_added FROM added;
    END LOOP;

    WITH moved AS (
        INSERT INTO catalog_lexicon AS c (word, n)
        SELECT word, sum(d) FROM (SELECT unnest(words_added) AS word, 1 AS d
                                  UNION ALL SELECT unnest(words_gone), -1) x
         GROUP BY 1 HAVING sum(d) <> 0
        ON CONFLICT (word) DO UPDATE SET n = c.n + EXCLUDED.n
        RETURNING c.word, c.n
    )
    SELECT array_agg(word) INTO emptied FROM moved WHERE n <= 0;
    FOREACH gone_word IN ARRAY coalesce(emptied, '{}') LOOP
        DELETE FROM catalog_lexicon WHERE word = gone_word;
    END LOOP;

    INSERT INTO catalog_counts AS c (product_type, province_code, n)
    SELECT split_part(k, '/', 1), split_part(k, '/', 2), sum(d)
      FROM (SELECT unnest(entries_added) AS k, 1 AS d UNION ALL SELECT unnest(entries_gone), -1) x
     GROUP BY 1, 2 HAVING sum(d) <> 0
    ON CONFLICT (product_type, province_code) DO UPDATE SET n = c.n + EXCLUDED.n;
    -- A few hundred rows at most (product types by provinces).
    DELETE FROM catalog_counts WHERE n <= 0;
    PERFORM set_config('pasokan.mode', mode, true);
END
$$;
-- +goose StatementEnd

ALTER TABLE catalog_counts DROP COLUMN capacity;
