-- Listings: what a curated supplier offers buyers, kept current by the
-- supplier; and the catalogue, the public read model of the listings.
--
-- The first records that one organisation owns and others read
-- (docs/DESIGN.md, "Records seen by several organisations"):
--
-- * listings and listing_products belong to package listing. The supplier
--   reads its own and changes what changes week to week (capacity, lead
--   time, prices, contacts, a pause) through column grants: what was curated
--   (identity, a product's type and permits) it cannot change here. Buyers
--   read the listed ones, contacts included, through a policy of their own;
--   the ministry reads all. Nobody else reads them.
-- * catalog_entries holds one row per listed product and nothing personal:
--   no owner or member, no phone, e-mail, street address, NIB or NPWP. A row
--   exists only while its supplier is listed, so the table needs no policy:
--   anyone may read all of it (buyers' search, the public directory, the
--   open data). Only the owner's triggers write it. Without a policy, every
--   condition can lead an index walk (under row-level security a
--   non-leakproof one such as @@ or ILIKE cannot).

-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE listings (
    organization_id  bigint PRIMARY KEY REFERENCES organizations (id),
    application_id   bigint NOT NULL REFERENCES applications (id),
    slug             text   NOT NULL,
    -- The business name (the trading name, else the legal name).
    name             text   NOT NULL,
    legal_name       text   NOT NULL DEFAULT '',
    legal_form       text   NOT NULL DEFAULT '',
    size_class       text   NOT NULL DEFAULT '',
    province_code    text   REFERENCES provinces (code),
    regency_code     text   REFERENCES regencies (code),
    certificate_code text   NOT NULL DEFAULT '',
    curated_at       timestamptz NOT NULL,
    -- Contacts, for buyers only: the supplier keeps them current.
    phone            text   NOT NULL DEFAULT '' CHECK (phone = '' OR phone ~ '^\+62[1-9][0-9]{7,11}$'),
    email            text   NOT NULL DEFAULT '' CHECK (length(email) <= 254),
    address          text   NOT NULL DEFAULT '' CHECK (length(address) <= 500),
    -- Not taking orders until this day (inclusive).
    paused_until     date,
    -- When the supplier last said the listing is true; after 90 days
    -- without, it leaves the catalogue until confirmed.
    confirmed_at     timestamptz NOT NULL DEFAULT now(),
    reminded_at      timestamptz,
    lapsed_at        timestamptz,
    -- Set when the application is no longer curated (suspended).
    withdrawn_at     timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX listings_slug_key ON listings (slug);
CREATE INDEX listings_application_idx ON listings (application_id);
-- For the reminders: listed, by the last confirmation.
CREATE INDEX listings_confirmed_idx ON listings (confirmed_at) WHERE withdrawn_at IS NULL;

CREATE TABLE listing_products (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id   bigint  NOT NULL REFERENCES listings (organization_id),
    product_type      text    NOT NULL REFERENCES product_types (code),
    monthly_capacity  integer NOT NULL CHECK (monthly_capacity BETWEEN 1 AND 100000000),
    lead_time_days    integer CHECK (lead_time_days IS NULL OR lead_time_days BETWEEN 1 AND 365),
    price_min         bigint  NOT NULL CHECK (price_min BETWEEN 1 AND 100000000000),
    price_max         bigint  NOT NULL CHECK (price_max >= price_min AND price_max <= 100000000000),
    -- What was curated: changed only by a new curation.
    permit_number     text    NOT NULL DEFAULT '',
    sni_certificate   text    NOT NULL DEFAULT '',
    checklist_version integer NOT NULL DEFAULT 0,
    standards         text[]  NOT NULL DEFAULT '{}',
    curated_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, product_type)
);

ALTER TABLE listings ENABLE ROW LEVEL SECURITY;
ALTER TABLE listings FORCE ROW LEVEL SECURITY;
ALTER TABLE listing_products ENABLE ROW LEVEL SECURITY;
ALTER TABLE listing_products FORCE ROW LEVEL SECURITY;

-- The supplier's own (read, and update through the column grants below).
CREATE POLICY listings_own ON listings FOR SELECT USING (
    (SELECT app_org_kind()) = 'supplier' AND organization_id = (SELECT app_org_id()));
CREATE POLICY listings_own_update ON listings FOR UPDATE USING (
    (SELECT app_org_kind()) = 'supplier' AND organization_id = (SELECT app_org_id()));
-- Buyers: listed suppliers only, contacts included.
CREATE POLICY listings_buyer ON listings FOR SELECT USING (
    (SELECT app_org_kind()) = 'buyer' AND withdrawn_at IS NULL AND lapsed_at IS NULL);
-- The ministry reads all; the portal's own work (sync, reminders) all.
CREATE POLICY listings_ministry ON listings FOR SELECT USING ((SELECT app_is_ministry()));
CREATE POLICY listings_system ON listings FOR ALL USING ((SELECT app_mode()) = 'system')
    WITH CHECK ((SELECT app_mode()) = 'system');

CREATE POLICY listing_products_own ON listing_products FOR SELECT USING (
    (SELECT app_org_kind()) = 'supplier' AND organization_id = (SELECT app_org_id()));
CREATE POLICY listing_products_own_update ON listing_products FOR UPDATE USING (
    (SELECT app_org_kind()) = 'supplier' AND organization_id = (SELECT app_org_id()));
CREATE POLICY listing_products_buyer ON listing_products FOR SELECT USING (
    (SELECT app_org_kind()) = 'buyer' AND EXISTS (
        SELECT 1 FROM listings l WHERE l.organization_id = listing_products.organization_id
           AND l.withdrawn_at IS NULL AND l.lapsed_at IS NULL));
CREATE POLICY listing_products_ministry ON listing_products FOR SELECT USING ((SELECT app_is_ministry()));
CREATE POLICY listing_products_system ON listing_products FOR ALL USING ((SELECT app_mode()) = 'system')
    WITH CHECK ((SELECT app_mode()) = 'system');

GRANT SELECT ON listings, listing_products TO pasokan_app;
-- What a supplier changes without a new curation; the rest only the sync
-- (as the owner) writes.
GRANT UPDATE (phone, email, address, paused_until, confirmed_at, reminded_at, lapsed_at, updated_at) ON listings TO pasokan_app;
GRANT UPDATE (monthly_capacity, lead_time_days, price_min, price_max, updated_at) ON listing_products TO pasokan_app;

-- The public read model: one row per listed product, nothing personal.
CREATE TABLE catalog_entries (
    id               bigint  PRIMARY KEY,   -- listing_products.id
    organization_id  bigint  NOT NULL,
    slug             text    NOT NULL,
    name             text    NOT NULL,
    product_type     text    NOT NULL,
    size_class       text    NOT NULL,
    province_code    text    NOT NULL,
    regency_code     text    NOT NULL,
    monthly_capacity integer NOT NULL,
    lead_time_days   integer,
    price_min        bigint  NOT NULL,
    price_max        bigint  NOT NULL,
    izin_edar        boolean NOT NULL,
    sni              boolean NOT NULL,
    paused_until     date,
    curated_at       timestamptz NOT NULL,
    confirmed_at     timestamptz NOT NULL,
    -- The curation certificate's code: anyone may check it at /verify.
    certificate_code text    NOT NULL,
    -- The business name (weight A), the product's, regency's and
    -- province's names, stemmed as Indonesian ("penjahit" finds "jahit").
    search           tsvector NOT NULL
);
-- Keyset walks: each sort alone and under each filter that may lead the
-- walk (the product type, the province, the regency), so that a page reads
-- along one index and stops (package listing chooses which).
CREATE INDEX catalog_entries_name_idx ON catalog_entries (name, id);
CREATE INDEX catalog_entries_capacity_idx ON catalog_entries (monthly_capacity DESC, id);
CREATE INDEX catalog_entries_curated_idx ON catalog_entries (curated_at DESC, id);
CREATE INDEX catalog_entries_product_name_idx ON catalog_entries (product_type, name, id);
CREATE INDEX catalog_entries_product_capacity_idx ON catalog_entries (product_type, monthly_capacity DESC, id);
CREATE INDEX catalog_entries_product_curated_idx ON catalog_entries (product_type, curated_at DESC, id);
CREATE INDEX catalog_entries_province_name_idx ON catalog_entries (province_code, name, id);
CREATE INDEX catalog_entries_province_capacity_idx ON catalog_entries (province_code, monthly_capacity DESC, id);
CREATE INDEX catalog_entries_province_curated_idx ON catalog_entries (province_code, curated_at DESC, id);
CREATE INDEX catalog_entries_regency_name_idx ON catalog_entries (regency_code, name, id);
CREATE INDEX catalog_entries_regency_capacity_idx ON catalog_entries (regency_code, monthly_capacity DESC, id);
CREATE INDEX catalog_entries_regency_curated_idx ON catalog_entries (regency_code, curated_at DESC, id);
CREATE INDEX catalog_entries_org_idx ON catalog_entries (organization_id, id);
CREATE INDEX catalog_entries_slug_idx ON catalog_entries (slug);
GRANT SELECT ON catalog_entries TO pasokan_app;

-- Listed products per (product type, province), kept with the entries: the
-- catalogue's facets and totals without counting per view.
CREATE TABLE catalog_counts (
    product_type  text    NOT NULL,
    province_code text    NOT NULL,
    n             integer NOT NULL,
    PRIMARY KEY (product_type, province_code)
);
GRANT SELECT ON catalog_counts TO pasokan_app;

-- The words of each entry (the lexemes of its search vector, and each pair
-- of neighbouring words of its name), with its sort keys: a search walks one word's entries in the page's order and stops
-- after a page, whatever the number of suppliers. A bitmap of all matches
-- then a sort grew with them ("penjahit" matched 8,093 entries at 200,000
-- suppliers), and walking the name order with the search as a filter read
-- 31,667 entries for one page when the matches sat late in the alphabet.
CREATE TABLE catalog_words (
    word             text    NOT NULL,
    id               bigint  NOT NULL,
    organization_id  bigint  NOT NULL,
    name             text    NOT NULL,
    monthly_capacity integer NOT NULL,
    curated_at       timestamptz NOT NULL
);
CREATE INDEX catalog_words_name_idx ON catalog_words (word, name, id);
CREATE INDEX catalog_words_capacity_idx ON catalog_words (word, monthly_capacity DESC, id);
CREATE INDEX catalog_words_curated_idx ON catalog_words (word, curated_at DESC, id);
CREATE INDEX catalog_words_org_idx ON catalog_words (organization_id);
-- The other words of a search are probed by entry, in the index alone.
CREATE UNIQUE INDEX catalog_words_entry_key ON catalog_words (id, word);
GRANT SELECT ON catalog_words TO pasokan_app;

-- Every word in the catalogue with the number of entries that have it: the
-- rarest word of a search is walked, and a word that is in no entry is
-- taken for a typo and replaced by the nearest word here (trigrams).
-- Its counts change with every listing's change: room on each page keeps
-- those updates in place (HOT), without new index entries.
CREATE TABLE catalog_lexicon (
    word text    PRIMARY KEY,
    n    integer NOT NULL
) WITH (fillfactor = 50);
-- Typos are corrected to single words only. The index holds only those:
-- it stays small, and a lookup of a word or pair by equality cannot take it
-- for the primary key (pg_trgm's operator class serves = too, and a plan did
-- read 880 pages of it for two words).
CREATE INDEX catalog_lexicon_trgm_idx ON catalog_lexicon USING gist (word gist_trgm_ops)
    WHERE word NOT LIKE '% %';
GRANT SELECT ON catalog_lexicon TO pasokan_app;

-- catalog_refresh rewrites the entries of organisations orgs from their
-- listings, and moves the counts by the difference. It reads and writes one
-- organisation at a time, each statement naming it by key, so that every plan
-- is a walk of that organisation's rows whatever the statistics say: a bulk
-- load in one transaction has none, and set-wise statements (= ANY) were
-- planned as walks of whole tables per call, which made the seed quadratic.
-- The lexicon and the counts move once per call, by the sum of the changes:
-- a row updated again and again in one transaction leaves versions that
-- each next update steps over. The lexicon loses only the words it emptied.
-- +goose StatementBegin
CREATE FUNCTION catalog_refresh(orgs bigint[]) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
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
REVOKE EXECUTE ON FUNCTION catalog_refresh(bigint[]) FROM PUBLIC;

-- +goose StatementBegin
CREATE FUNCTION catalog_listings() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    -- listing_sync refreshes what it changed once, at its end.
    IF current_setting('pasokan.syncing', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        PERFORM catalog_refresh(ARRAY(SELECT DISTINCT organization_id FROM old_rows));
    ELSE
        PERFORM catalog_refresh(ARRAY(SELECT DISTINCT organization_id FROM new_rows));
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER catalog_listings_insert AFTER INSERT ON listings
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION catalog_listings();
CREATE TRIGGER catalog_listings_update AFTER UPDATE ON listings
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION catalog_listings();
CREATE TRIGGER catalog_products_insert AFTER INSERT ON listing_products
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION catalog_listings();
CREATE TRIGGER catalog_products_update AFTER UPDATE ON listing_products
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION catalog_listings();
CREATE TRIGGER catalog_products_delete AFTER DELETE ON listing_products
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION catalog_listings();

-- listing_sync mirrors applications ids into the listings: a curated one is
-- listed (its curated products, with what was curated about them; what the
-- supplier keeps current stays as they last set it), any other is withdrawn.
-- It only ever copies what curation decided, so the application's role may
-- call it (package listing's Sync, in the caller's transaction). Like
-- catalog_refresh it works one application at a time, each statement naming
-- it by key, and refreshes the catalogue once for all of them at its end.
-- +goose StatementBegin
CREATE FUNCTION listing_sync(ids bigint[]) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
    app bigint;
    org bigint;
    st text;
    listed boolean;
    orgs bigint[] := '{}';
BEGIN
    PERFORM set_config('pasokan.mode', 'system', true);
    PERFORM set_config('pasokan.syncing', 'on', true);
    FOREACH app IN ARRAY ids LOOP
        SELECT a.organization_id, a.status INTO org, st FROM applications a WHERE a.id = app;
        IF NOT FOUND THEN
            CONTINUE;
        END IF;
        orgs := orgs || org;
        IF st <> 'curated' THEN
            -- By the key alone, as in catalog_refresh.
            SELECT l.application_id = app AND l.withdrawn_at IS NULL INTO listed
              FROM listings l WHERE l.organization_id = org;
            IF listed THEN
                UPDATE listings SET withdrawn_at = now(), updated_at = now() WHERE organization_id = org;
            END IF;
            CONTINUE;
        END IF;

        INSERT INTO listings AS l (organization_id, application_id, slug, name, legal_name, legal_form, size_class,
                                   province_code, regency_code, certificate_code, curated_at, phone, email, address)
        SELECT org, app, o.slug,
               coalesce(nullif(p.trading_name, ''), nullif(p.legal_name, ''), o.name),
               coalesce(p.legal_name, ''), coalesce(p.legal_form, ''), coalesce(p.size_class, ''),
               p.province_code, p.regency_code,
               coalesce((SELECT ce.code FROM certificates ce
                          WHERE ce.application_id = app AND ce.revoked_at IS NULL
                          ORDER BY ce.issued_at DESC LIMIT 1), ''),
               coalesce((SELECT a.decided_at FROM applications a WHERE a.id = app), now()),
               coalesce(p.phone, ''),
               coalesce((SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
                          WHERE m.organization_id = org AND m.role = 'owner' ORDER BY u.id LIMIT 1), ''),
               coalesce(p.address, '')
          FROM organizations o
          LEFT JOIN supplier_profiles p ON p.organization_id = org
         WHERE o.id = org
        ON CONFLICT (organization_id) DO UPDATE
           SET application_id = EXCLUDED.application_id, slug = EXCLUDED.slug, name = EXCLUDED.name,
               legal_name = EXCLUDED.legal_name, legal_form = EXCLUDED.legal_form, size_class = EXCLUDED.size_class,
               province_code = EXCLUDED.province_code, regency_code = EXCLUDED.regency_code,
               certificate_code = EXCLUDED.certificate_code, curated_at = EXCLUDED.curated_at,
               withdrawn_at = NULL, lapsed_at = NULL, confirmed_at = now(), updated_at = now();

        DELETE FROM listing_products lp
         WHERE lp.organization_id = org
           AND NOT EXISTS (SELECT 1 FROM application_products ap
                            WHERE ap.application_id = app AND ap.product_type = lp.product_type
                              AND ap.curation = 'curated');

        INSERT INTO listing_products AS lp (organization_id, product_type, monthly_capacity, lead_time_days,
                                            price_min, price_max, permit_number, sni_certificate,
                                            checklist_version, standards, curated_at)
        SELECT org, ap.product_type, ap.monthly_capacity, ap.lead_time_days, ap.price_min, ap.price_max,
               ap.permit_number, ap.sni_certificate, coalesce(line.version, 0), coalesce(line.standards, '{}'),
               coalesce((SELECT a.decided_at FROM applications a WHERE a.id = app), now())
          FROM application_products ap
          LEFT JOIN LATERAL (
                SELECT (x->>'checklist_version')::integer AS version,
                       ARRAY(SELECT jsonb_array_elements_text(x->'standards')) AS standards
                  FROM certificates ce, jsonb_array_elements(ce.content->'products') AS x
                 WHERE ce.application_id = app AND ce.revoked_at IS NULL AND x->>'product_type' = ap.product_type
                 ORDER BY ce.issued_at DESC LIMIT 1) line ON true
         WHERE ap.application_id = app AND ap.curation = 'curated'
        ON CONFLICT (organization_id, product_type) DO UPDATE
           SET permit_number = EXCLUDED.permit_number, sni_certificate = EXCLUDED.sni_certificate,
               checklist_version = EXCLUDED.checklist_version, standards = EXCLUDED.standards,
               curated_at = EXCLUDED.curated_at, updated_at = now();
    END LOOP;
    PERFORM set_config('pasokan.syncing', '', true);
    PERFORM catalog_refresh(ARRAY(SELECT DISTINCT x FROM unnest(orgs) AS x));
    PERFORM set_config('pasokan.mode', mode, true);
END
$$;
-- +goose StatementEnd
REVOKE EXECUTE ON FUNCTION listing_sync(bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION listing_sync(bigint[]) TO pasokan_app;

-- Every curated application as it stands (read in the portal's mode: the
-- owner is under the policies too).
SELECT set_config('pasokan.mode', 'system', true);
SELECT listing_sync(ARRAY(SELECT id FROM applications WHERE status = 'curated'));
ANALYZE listings, listing_products, catalog_entries, catalog_counts, catalog_words, catalog_lexicon;

-- +goose Down
DROP TRIGGER catalog_products_delete ON listing_products;
DROP TRIGGER catalog_products_update ON listing_products;
DROP TRIGGER catalog_products_insert ON listing_products;
DROP TRIGGER catalog_listings_update ON listings;
DROP TRIGGER catalog_listings_insert ON listings;
DROP FUNCTION listing_sync(bigint[]), catalog_listings(), catalog_refresh(bigint[]);
DROP TABLE catalog_lexicon, catalog_words, catalog_counts, catalog_entries, listing_products, listings;
