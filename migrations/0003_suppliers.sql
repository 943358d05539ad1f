-- Supplier profiles, applications with their products and documents, the
-- application's audit trail and submitted snapshots, revision flags, signals
-- for curators, and in-app notifications.
--
-- Every table here belongs to a supplier organisation (organization_id) and
-- is under forced row-level security. Curators' access to the applications
-- assigned to them arrives with curation.

-- +goose Up

CREATE TABLE supplier_profiles (
    organization_id bigint PRIMARY KEY REFERENCES organizations (id),
    legal_name      text    NOT NULL DEFAULT '' CHECK (length(legal_name) <= 200),
    trading_name    text    NOT NULL DEFAULT '' CHECK (length(trading_name) <= 200),
    legal_form      text    NOT NULL DEFAULT '' CHECK (legal_form IN ('', 'perorangan', 'cv', 'pt', 'koperasi')),
    size_class      text    NOT NULL DEFAULT '' CHECK (size_class IN ('', 'mikro', 'kecil', 'menengah')),
    nib             text    NOT NULL DEFAULT '' CHECK (nib = '' OR nib ~ '^[0-9]{13}$'),
    npwp            text    NOT NULL DEFAULT '' CHECK (npwp = '' OR npwp ~ '^[0-9]{15,16}$'),
    kbli            text[]  NOT NULL DEFAULT '{}',
    kbli_edition    text    NOT NULL DEFAULT '2020',
    original_sector text    NOT NULL DEFAULT '' CHECK (length(original_sector) <= 200),
    province_code   text    REFERENCES provinces (code),
    regency_code    text    REFERENCES regencies (code),
    address         text    NOT NULL DEFAULT '' CHECK (length(address) <= 500),
    phone           text    NOT NULL DEFAULT '' CHECK (phone = '' OR phone ~ '^\+62[1-9][0-9]{7,11}$'),
    workforce       integer CHECK (workforce IS NULL OR workforce BETWEEN 1 AND 100000),
    equipment       text    NOT NULL DEFAULT '' CHECK (length(equipment) <= 1000),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    updated_by      bigint REFERENCES users (id),
    CHECK (regency_code IS NULL OR (province_code IS NOT NULL AND starts_with(regency_code, province_code || '.')))
);
-- For the duplicate signals: the same identifier in another organisation.
CREATE INDEX supplier_profiles_nib_idx ON supplier_profiles (nib) WHERE nib <> '';
CREATE INDEX supplier_profiles_npwp_idx ON supplier_profiles (npwp) WHERE npwp <> '';
CREATE INDEX supplier_profiles_phone_idx ON supplier_profiles (phone) WHERE phone <> '';

CREATE TABLE applications (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id   bigint  NOT NULL REFERENCES organizations (id),
    programme         text    NOT NULL DEFAULT 'apd-2020',
    status            text    NOT NULL DEFAULT 'draft'
                      CHECK (status IN ('draft', 'submitted', 'in_review', 'revision_requested', 'curated', 'rejected', 'suspended')),
    -- Optimistic locking: every change of status raises it.
    version           integer NOT NULL DEFAULT 1,
    -- How many times it has been submitted; snapshots are numbered by it.
    submissions       integer NOT NULL DEFAULT 0,
    submitted_at      timestamptz,
    decided_at        timestamptz,
    assigned_org_id   bigint REFERENCES organizations (id),
    assigned_user_id  bigint REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
-- A supplier moves its own application only from draft (or revision
-- requested) to submitted; everything else is the curators', the ministry's
-- or the portal's. Held in the database too, so no query can skip it.
-- +goose StatementBegin
CREATE FUNCTION applications_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF app_mode() = 'system' OR app_org_kind() IN ('curator', 'ministry') THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' AND NEW.status <> 'draft' THEN
        RAISE EXCEPTION 'a new application starts as a draft' USING ERRCODE = '42501';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.status IS DISTINCT FROM OLD.status
       AND NOT (NEW.status = 'submitted' AND OLD.status IN ('draft', 'revision_requested')) THEN
        RAISE EXCEPTION 'a supplier cannot move its application from % to %', OLD.status, NEW.status
            USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER applications_guard BEFORE INSERT OR UPDATE ON applications
    FOR EACH ROW EXECUTE FUNCTION applications_guard();

-- One active application per supplier and programme.
CREATE UNIQUE INDEX applications_active_key ON applications (organization_id, programme) WHERE status <> 'rejected';
CREATE INDEX applications_queue_idx ON applications (status, submitted_at, id);

CREATE TABLE application_products (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id   bigint  NOT NULL REFERENCES applications (id),
    organization_id  bigint  NOT NULL REFERENCES organizations (id),
    product_type     text    NOT NULL REFERENCES product_types (code),
    monthly_capacity integer NOT NULL CHECK (monthly_capacity BETWEEN 1 AND 100000000),
    lead_time_days   integer CHECK (lead_time_days IS NULL OR lead_time_days BETWEEN 1 AND 365),
    price_min        bigint  NOT NULL CHECK (price_min BETWEEN 1 AND 100000000000),
    price_max        bigint  NOT NULL CHECK (price_max >= price_min AND price_max <= 100000000000),
    materials        text    NOT NULL DEFAULT '' CHECK (length(materials) <= 1000),
    material_needs   text    NOT NULL DEFAULT '' CHECK (length(material_needs) <= 1000),
    permit_number    text    NOT NULL DEFAULT '',
    sni_certificate  text    NOT NULL DEFAULT '' CHECK (length(sni_certificate) <= 100),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (application_id, product_type)
);
CREATE INDEX application_products_org_idx ON application_products (organization_id);

-- Uploaded files, bytes in Postgres (no local files: several processes).
CREATE TABLE documents (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id        bigint  NOT NULL REFERENCES organizations (id),
    application_id         bigint  REFERENCES applications (id),
    application_product_id bigint  REFERENCES application_products (id) ON DELETE SET NULL,
    kind                   text    NOT NULL CHECK (kind IN ('nib', 'npwp', 'permit', 'lab_result', 'photo')),
    file_name              text    NOT NULL CHECK (length(file_name) BETWEEN 1 AND 120),
    content_type           text    NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png', 'image/webp')),
    size_bytes             integer NOT NULL CHECK (size_bytes > 0),
    sha256                 bytea   NOT NULL CHECK (length(sha256) = 32),
    width                  integer,
    height                 integer,
    taken_on               date,
    data                   bytea   NOT NULL,
    uploaded_by            bigint  REFERENCES users (id),
    created_at             timestamptz NOT NULL DEFAULT now(),
    removed_at             timestamptz
);
-- The files are compressed already: store them out of line, uncompressed.
ALTER TABLE documents ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE INDEX documents_org_idx ON documents (organization_id, id);
CREATE INDEX documents_sha256_idx ON documents (sha256);
-- The same file twice in one organisation is recognised, not stored twice.
CREATE UNIQUE INDEX documents_org_sha256_key ON documents (organization_id, sha256) WHERE removed_at IS NULL;

-- The application's audit trail: append-only for the server's role.
CREATE TABLE application_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id  bigint  NOT NULL REFERENCES applications (id),
    organization_id bigint  NOT NULL REFERENCES organizations (id),
    actor_user_id   bigint,
    actor_org_id    bigint,
    action          text    NOT NULL,
    from_status     text    NOT NULL DEFAULT '',
    to_status       text    NOT NULL DEFAULT '',
    version         integer NOT NULL,
    reason          text    NOT NULL DEFAULT '',
    detail          jsonb   NOT NULL DEFAULT '{}'::jsonb,
    occurred_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX application_events_app_idx ON application_events (application_id, id);

-- What was submitted each time, kept so curators can see what changed.
CREATE TABLE application_snapshots (
    application_id  bigint  NOT NULL REFERENCES applications (id),
    submission      integer NOT NULL,
    organization_id bigint  NOT NULL REFERENCES organizations (id),
    snapshot        jsonb   NOT NULL,
    submitted_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (application_id, submission)
);

-- What a curator asked to revise: a profile field, a product or a document.
CREATE TABLE application_flags (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id  bigint  NOT NULL REFERENCES applications (id),
    organization_id bigint  NOT NULL REFERENCES organizations (id),
    submission      integer NOT NULL,
    target          text    NOT NULL CHECK (target IN ('field', 'product', 'document')),
    target_key      text    NOT NULL,
    reason          text    NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    created_by      bigint REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX application_flags_app_idx ON application_flags (application_id, submission);

-- Signals for curators: the same NIB, NPWP, phone or document bytes in
-- another organisation. Recorded on both applications, never blocking.
CREATE TABLE signals (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id        bigint NOT NULL REFERENCES applications (id),
    organization_id       bigint NOT NULL REFERENCES organizations (id),
    kind                  text   NOT NULL CHECK (kind IN ('nib', 'npwp', 'phone', 'document')),
    other_organization_id bigint NOT NULL REFERENCES organizations (id),
    created_at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (application_id, kind, other_organization_id)
);

-- In-app notifications: an i18n key and its arguments, for the members of
-- an organisation (user_id NULL) or one person.
CREATE TABLE notifications (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id bigint NOT NULL REFERENCES organizations (id),
    user_id         bigint REFERENCES users (id),
    key             text   NOT NULL,
    args            jsonb  NOT NULL DEFAULT '[]'::jsonb,
    link            text   NOT NULL DEFAULT '',
    -- 'pending': the worker also e-mails it to the recipients (the owners,
    -- or user_id), each in their language; then 'queued'.
    email_status    text   NOT NULL DEFAULT '' CHECK (email_status IN ('', 'pending', 'queued')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    read_at         timestamptz
);
CREATE INDEX notifications_org_idx ON notifications (organization_id, id DESC);
CREATE INDEX notifications_email_idx ON notifications (id) WHERE email_status = 'pending';

ALTER TABLE supplier_profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE supplier_profiles FORCE ROW LEVEL SECURITY;
ALTER TABLE applications ENABLE ROW LEVEL SECURITY;
ALTER TABLE applications FORCE ROW LEVEL SECURITY;
ALTER TABLE application_products ENABLE ROW LEVEL SECURITY;
ALTER TABLE application_products FORCE ROW LEVEL SECURITY;
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE documents FORCE ROW LEVEL SECURITY;
ALTER TABLE application_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE application_events FORCE ROW LEVEL SECURITY;
ALTER TABLE application_snapshots ENABLE ROW LEVEL SECURITY;
ALTER TABLE application_snapshots FORCE ROW LEVEL SECURITY;
ALTER TABLE application_flags ENABLE ROW LEVEL SECURITY;
ALTER TABLE application_flags FORCE ROW LEVEL SECURITY;
ALTER TABLE signals ENABLE ROW LEVEL SECURITY;
ALTER TABLE signals FORCE ROW LEVEL SECURITY;
ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE notifications FORCE ROW LEVEL SECURITY;

-- The supplier's own members, the ministry and the system. (Curators of an
-- assigned application are added with curation.)
CREATE POLICY supplier_profiles_all ON supplier_profiles FOR ALL
    USING (organization_id = app_org_id() OR app_is_ministry() OR app_mode() = 'system')
    WITH CHECK (organization_id = app_org_id() OR app_mode() = 'system');
CREATE POLICY applications_all ON applications FOR ALL
    USING (organization_id = app_org_id() OR app_is_ministry() OR app_mode() = 'system')
    WITH CHECK (organization_id = app_org_id() OR app_is_ministry() OR app_mode() = 'system');
CREATE POLICY application_products_all ON application_products FOR ALL
    USING (organization_id = app_org_id() OR app_is_ministry() OR app_mode() = 'system')
    WITH CHECK (organization_id = app_org_id() OR app_mode() = 'system');
CREATE POLICY documents_all ON documents FOR ALL
    USING (organization_id = app_org_id() OR app_is_ministry() OR app_mode() = 'system')
    WITH CHECK (organization_id = app_org_id() OR app_mode() = 'system');
CREATE POLICY application_events_select ON application_events FOR SELECT
    USING (organization_id = app_org_id() OR app_is_ministry() OR app_mode() = 'system');
CREATE POLICY application_events_insert ON application_events FOR INSERT
    WITH CHECK (organization_id = app_org_id() OR app_is_ministry() OR app_mode() = 'system');
CREATE POLICY application_snapshots_select ON application_snapshots FOR SELECT
    USING (organization_id = app_org_id() OR app_is_ministry() OR app_mode() = 'system');
CREATE POLICY application_snapshots_insert ON application_snapshots FOR INSERT
    WITH CHECK (organization_id = app_org_id() OR app_mode() = 'system');
CREATE POLICY application_flags_select ON application_flags FOR SELECT
    USING (organization_id = app_org_id() OR app_is_ministry() OR app_mode() = 'system');
CREATE POLICY application_flags_insert ON application_flags FOR INSERT
    WITH CHECK (app_is_ministry() OR app_mode() = 'system');
-- Signals are for curators and the ministry, not for the supplier.
CREATE POLICY signals_select ON signals FOR SELECT
    USING (app_is_ministry() OR app_mode() = 'system');
CREATE POLICY signals_insert ON signals FOR INSERT
    WITH CHECK (app_mode() = 'system');
CREATE POLICY notifications_select ON notifications FOR SELECT
    USING ((organization_id = app_org_id() AND (user_id IS NULL OR user_id = app_user_id()))
           OR app_is_ministry() OR app_mode() = 'system');
CREATE POLICY notifications_insert ON notifications FOR INSERT
    WITH CHECK (organization_id = app_org_id() OR app_is_ministry() OR app_mode() IN ('auth', 'system'));
CREATE POLICY notifications_update ON notifications FOR UPDATE
    USING ((organization_id = app_org_id() AND (user_id IS NULL OR user_id = app_user_id())) OR app_mode() = 'system');

GRANT SELECT, INSERT, UPDATE ON supplier_profiles, applications TO pasokan_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON application_products TO pasokan_app;
GRANT SELECT, INSERT, UPDATE ON documents TO pasokan_app;
GRANT SELECT, INSERT ON application_events, application_snapshots, application_flags, signals TO pasokan_app;
GRANT SELECT, INSERT, UPDATE ON notifications TO pasokan_app;

-- +goose Down
DROP TABLE notifications, signals, application_flags, application_snapshots, application_events,
    documents, application_products, applications, supplier_profiles;
DROP FUNCTION applications_guard();
