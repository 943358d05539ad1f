-- Who holds each session, beside its data, so that reading a session can
-- read its holder in the same round trip: the session's statement sets the
-- tenant settings from these columns, and the actor and the memberships are
-- read under them (account.SessionStore). Before, a logged-in request made
-- six round trips before the page's own work (the session, the actor, and
-- the organisation switcher in a transaction of its own): 0.41 ms of
-- Postgres CPU per request at 200,000 suppliers, on a page that read
-- nothing else. Sessions written before this have no holder here and are
-- read as before.

-- +goose Up
ALTER TABLE sessions ADD COLUMN user_id bigint, ADD COLUMN org_id bigint;

-- +goose Down
ALTER TABLE sessions DROP COLUMN user_id, DROP COLUMN org_id;
