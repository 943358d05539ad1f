-- Accounts, organisations (the tenants), memberships, invitations, sessions,
-- login throttling, the e-mail outbox and the audit trail.
--
-- Two roles are kept apart: pasokan_owner owns everything here and runs the
-- migrations; pasokan_app, which the server connects as, owns nothing, is no
-- superuser, has no BYPASSRLS and gets only the grants below. Both roles must
-- exist before this runs (the private cluster creates them; see README).

-- +goose Up

-- The tenant settings, written by the transaction helper with
-- set_config(..., true) and read by every policy. Unset or empty means
-- "nobody", so a policy with nothing set lets nothing through.
-- +goose StatementBegin
CREATE FUNCTION app_user_id() RETURNS bigint LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT nullif(current_setting('pasokan.user_id', true), '')::bigint
$$;
CREATE FUNCTION app_org_id() RETURNS bigint LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT nullif(current_setting('pasokan.org_id', true), '')::bigint
$$;
CREATE FUNCTION app_org_kind() RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(current_setting('pasokan.org_kind', true), '')
$$;
CREATE FUNCTION app_mode() RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(current_setting('pasokan.mode', true), '')
$$;
CREATE FUNCTION app_is_ministry() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT app_org_id() IS NOT NULL AND app_org_kind() = 'ministry'
$$;
-- +goose StatementEnd

CREATE TABLE users (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email             text        NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    name              text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    password_hash     text        NOT NULL,
    locale            text        NOT NULL DEFAULT 'id' CHECK (locale IN ('id', 'en')),
    -- Sessions remember the epoch they were made in; raising it ends them all
    -- (logout everywhere, password change, disabling).
    session_epoch     integer     NOT NULL DEFAULT 1,
    disabled_at       timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE organizations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text        NOT NULL CHECK (kind IN ('supplier', 'curator', 'buyer', 'ministry')),
    name        text        NOT NULL CHECK (length(name) BETWEEN 2 AND 200),
    slug        text        NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
    created_at  timestamptz NOT NULL DEFAULT now(),
    disabled_at timestamptz
);
CREATE UNIQUE INDEX organizations_slug_key ON organizations (slug);
CREATE INDEX organizations_kind_idx ON organizations (kind, id);

CREATE TABLE memberships (
    organization_id bigint      NOT NULL REFERENCES organizations (id),
    user_id         bigint      NOT NULL REFERENCES users (id),
    role            text        NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'lead')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

CREATE TABLE invitations (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id bigint      NOT NULL REFERENCES organizations (id),
    email           text        NOT NULL CHECK (email = lower(email)),
    role            text        NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'lead')),
    -- Only the sha256 of the one-time token is kept.
    token_hash      bytea       NOT NULL,
    invited_by      bigint      REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    accepted_at     timestamptz,
    accepted_by     bigint      REFERENCES users (id),
    revoked_at      timestamptz
);
CREATE UNIQUE INDEX invitations_token_key ON invitations (token_hash);
CREATE INDEX invitations_org_idx ON invitations (organization_id, created_at DESC);

-- The append-only audit trail. The server's role may add and read, never
-- change or remove.
CREATE TABLE audit_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at     timestamptz NOT NULL DEFAULT now(),
    actor_user_id   bigint,
    actor_org_id    bigint,
    -- The tenant the event belongs to; NULL for events about a person only.
    organization_id bigint,
    action          text        NOT NULL,
    subject_type    text        NOT NULL DEFAULT '',
    subject_id      bigint,
    detail          jsonb       NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_org_idx ON audit_events (organization_id, id DESC);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_user_id, id DESC);

-- The transactional outbox of e-mails: written in the same transaction as the
-- change that causes it, delivered by the background worker.
CREATE TABLE email_outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id bigint,
    kind            text        NOT NULL,
    to_address      text        NOT NULL,
    subject         text        NOT NULL,
    body_text       text        NOT NULL,
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz
);
CREATE INDEX email_outbox_due_idx ON email_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX email_outbox_recent_idx ON email_outbox (id DESC);

-- Sessions, in the layout the scs pgx store reads and writes.
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea       NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- Failed-login counters per account and per client address. Keys are hashed
-- so that no e-mail address sits here in clear.
CREATE TABLE login_throttle (
    key           text PRIMARY KEY,
    failures      integer     NOT NULL,
    window_start  timestamptz NOT NULL,
    blocked_until timestamptz
);

-- Row-level security, forced so that it binds the owner too.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organizations FORCE ROW LEVEL SECURITY;
ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
ALTER TABLE email_outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE email_outbox FORCE ROW LEVEL SECURITY;

-- memberships first: the other policies look through it, and its own
-- policies must not look back (no recursion).
CREATE POLICY memberships_select ON memberships FOR SELECT USING (
    user_id = app_user_id() OR organization_id = app_org_id()
    OR app_is_ministry() OR app_mode() IN ('auth', 'system'));
CREATE POLICY memberships_insert ON memberships FOR INSERT WITH CHECK (
    organization_id = app_org_id() OR app_is_ministry() OR app_mode() IN ('auth', 'system'));
CREATE POLICY memberships_update ON memberships FOR UPDATE USING (
    organization_id = app_org_id() OR app_is_ministry() OR app_mode() = 'system');
CREATE POLICY memberships_delete ON memberships FOR DELETE USING (
    organization_id = app_org_id() OR app_is_ministry() OR app_mode() = 'system');

CREATE POLICY organizations_select ON organizations FOR SELECT USING (
    id = app_org_id() OR app_is_ministry() OR app_mode() IN ('auth', 'system')
    OR EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = organizations.id AND m.user_id = app_user_id()));
CREATE POLICY organizations_insert ON organizations FOR INSERT WITH CHECK (
    app_mode() = 'system'
    OR (app_mode() = 'auth' AND kind = 'supplier')
    OR (app_is_ministry() AND kind IN ('curator', 'buyer', 'ministry')));
CREATE POLICY organizations_update ON organizations FOR UPDATE USING (
    id = app_org_id() OR app_is_ministry() OR app_mode() = 'system');

CREATE POLICY users_select ON users FOR SELECT USING (
    id = app_user_id() OR app_is_ministry() OR app_mode() IN ('auth', 'system')
    OR EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.organization_id = app_org_id()));
CREATE POLICY users_insert ON users FOR INSERT WITH CHECK (app_mode() IN ('auth', 'system'));
CREATE POLICY users_update ON users FOR UPDATE USING (
    id = app_user_id() OR app_is_ministry() OR app_mode() IN ('auth', 'system'));

CREATE POLICY invitations_select ON invitations FOR SELECT USING (
    organization_id = app_org_id() OR app_is_ministry() OR app_mode() IN ('auth', 'system'));
CREATE POLICY invitations_insert ON invitations FOR INSERT WITH CHECK (
    organization_id = app_org_id() OR app_is_ministry() OR app_mode() = 'system');
CREATE POLICY invitations_update ON invitations FOR UPDATE USING (
    organization_id = app_org_id() OR app_is_ministry() OR app_mode() IN ('auth', 'system'));

CREATE POLICY audit_events_select ON audit_events FOR SELECT USING (
    organization_id = app_org_id() OR app_is_ministry() OR app_mode() = 'system'
    OR (organization_id IS NULL AND actor_user_id = app_user_id()));
CREATE POLICY audit_events_insert ON audit_events FOR INSERT WITH CHECK (
    organization_id IS NULL OR organization_id = app_org_id()
    OR app_is_ministry() OR app_mode() IN ('auth', 'system'));

CREATE POLICY email_outbox_select ON email_outbox FOR SELECT USING (
    app_is_ministry() OR app_mode() = 'system');
CREATE POLICY email_outbox_insert ON email_outbox FOR INSERT WITH CHECK (
    organization_id IS NULL OR organization_id = app_org_id()
    OR app_is_ministry() OR app_mode() IN ('auth', 'system'));
CREATE POLICY email_outbox_update ON email_outbox FOR UPDATE USING (app_mode() = 'system');

-- What the server's role may do. Nothing here is DELETE on a tenant table
-- but memberships (leaving an organisation), and nothing at all on the
-- audit trail but INSERT and SELECT.
GRANT USAGE ON SCHEMA public TO pasokan_app;
GRANT EXECUTE ON FUNCTION app_user_id(), app_org_id(), app_org_kind(), app_mode(), app_is_ministry() TO pasokan_app;
GRANT SELECT, INSERT, UPDATE ON users, organizations, invitations TO pasokan_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON memberships TO pasokan_app;
GRANT SELECT, INSERT ON audit_events TO pasokan_app;
GRANT SELECT, INSERT, UPDATE ON email_outbox TO pasokan_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions, login_throttle TO pasokan_app;

-- +goose Down
DROP TABLE login_throttle, sessions, email_outbox, audit_events, invitations, memberships, organizations, users;
DROP FUNCTION app_is_ministry(), app_mode(), app_org_kind(), app_org_id(), app_user_id();
