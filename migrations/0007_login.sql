-- +goose Up

-- Devices (by the hash of a long-lived cookie's token) and client addresses
-- an account has logged in from. The login throttle lets a correct password
-- from them through while strangers hammer the account, so that an attacker
-- cannot lock the owner out. Nothing here is a credential: a device token
-- only chooses which throttle counter applies.
CREATE TABLE known_logins (
    user_id        bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind           text        NOT NULL CHECK (kind IN ('device', 'address')),
    value          text        NOT NULL CHECK (length(value) BETWEEN 1 AND 100),
    first_login_at timestamptz NOT NULL DEFAULT now(),
    last_login_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, kind, value)
);
CREATE INDEX known_logins_last_login_idx ON known_logins (last_login_at);

-- Only the steps before login (auth) and the portal itself read or write it.
ALTER TABLE known_logins ENABLE ROW LEVEL SECURITY;
ALTER TABLE known_logins FORCE ROW LEVEL SECURITY;
CREATE POLICY known_logins_auth ON known_logins
    USING ((SELECT app_mode()) IN ('auth', 'system'))
    WITH CHECK ((SELECT app_mode()) IN ('auth', 'system'));
GRANT SELECT, INSERT, UPDATE, DELETE ON known_logins TO pasokan_app;

-- One-time links to set a new password, e-mailed on request. Only the
-- sha256 of the token is kept; a link works once, for an hour.
CREATE TABLE password_resets (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash bytea       NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id, created_at DESC);
ALTER TABLE password_resets ENABLE ROW LEVEL SECURITY;
ALTER TABLE password_resets FORCE ROW LEVEL SECURITY;
CREATE POLICY password_resets_auth ON password_resets
    USING ((SELECT app_mode()) IN ('auth', 'system'))
    WITH CHECK ((SELECT app_mode()) IN ('auth', 'system'));
GRANT SELECT, INSERT, UPDATE, DELETE ON password_resets TO pasokan_app;

-- +goose Down
DROP TABLE password_resets, known_logins;
