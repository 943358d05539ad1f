-- Sign-up as Indonesian owners expect (issue 11): a phone/WhatsApp number,
-- consent to the privacy notice (UU No. 27 Tahun 2022, Pelindungan Data
-- Pribadi), and the e-mail address confirmed by a link before an
-- application can be submitted.
--
-- users.phone is the number given at sign-up, normalised (+62 and the
-- national number), or empty; the supplier profile's phone field starts
-- with it. users.consent_at and consent_version record when the person
-- accepted which version of the notice (/privacy); NULL and empty for
-- accounts made otherwise (seed, invitations, admin commands).
--
-- users.email_confirmed_at: when the address was confirmed. Its default is
-- now(), so every account made otherwise counts as confirmed: the demo
-- accounts, the test helpers that insert users, and invited people (they
-- followed the invitation's e-mail, which confirms the address). Existing
-- rows get the time of this migration. Only the public sign-up writes NULL
-- and e-mails a link.
--
-- email_confirmations are the one-time links: only the sha256 of the token
-- is kept (as password_resets, 0007), with the address it was sent to (a
-- link confirms that address only), for 7 days. The steps before login
-- (auth) and the portal (system) read and write them; a logged-in person
-- reads and adds their own (asking for a new link).

-- +goose Up
ALTER TABLE users
    ADD COLUMN phone              text NOT NULL DEFAULT '' CHECK (phone = '' OR phone ~ '^\+62[1-9][0-9]{7,11}$'),
    ADD COLUMN consent_at         timestamptz,
    ADD COLUMN consent_version    text NOT NULL DEFAULT '' CHECK (length(consent_version) <= 40),
    ADD COLUMN email_confirmed_at timestamptz DEFAULT now();

CREATE TABLE email_confirmations (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email      text        NOT NULL CHECK (email = lower(email)),
    token_hash bytea       NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX email_confirmations_user_idx ON email_confirmations (user_id, created_at DESC);
ALTER TABLE email_confirmations ENABLE ROW LEVEL SECURITY;
ALTER TABLE email_confirmations FORCE ROW LEVEL SECURITY;
CREATE POLICY email_confirmations_auth ON email_confirmations
    USING ((SELECT app_mode()) IN ('auth', 'system'))
    WITH CHECK ((SELECT app_mode()) IN ('auth', 'system'));
CREATE POLICY email_confirmations_own ON email_confirmations
    USING (user_id = (SELECT app_user_id()))
    WITH CHECK (user_id = (SELECT app_user_id()));
GRANT SELECT, INSERT, UPDATE, DELETE ON email_confirmations TO pasokan_app;

-- +goose Down
DROP TABLE email_confirmations;
ALTER TABLE users
    DROP COLUMN email_confirmed_at,
    DROP COLUMN consent_version,
    DROP COLUMN consent_at,
    DROP COLUMN phone;
