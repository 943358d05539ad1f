-- Notifications that work (issue 11): a page of them for every reader, what
-- each has read, a count of the unread on every page, and sample requests
-- that say what to send, where and by when.
--
-- Who reads a notification. A row is addressed to the members of one
-- organisation (user_id NULL) or to one of them. They read it while acting
-- for that organisation, and no one else does: until now the ministry read
-- every organisation's (0003), which no page needs, so a ministry member
-- guessing another organisation's id was stopped by the repository alone.
-- Now the policy stops it as well. The portal (the system mode) still reads
-- them all: the e-mail worker and the sweep.
--
-- What was read is the row's read_at, shared by everyone the row is
-- addressed to. One member reading an organisation's notification reads it
-- for all, as in a shared inbox: whoever looks next does not act on it
-- again. A reader may change only that column. The portal may also change
-- the e-mail state. Policies cannot name columns, so column grants do it.
--
-- The count on every page (the navigation's "Notifikasi (3)") is read with
-- the session's holder (account.SessionStore) and stops at 10 (shown as
-- "9+"). It walks only the unread rows, along an index that holds
-- everything the count and its policy read (organisation, id, user), so the
-- walk reads the index alone. The same index serves "mark all read" up to
-- an id.
--
-- Samples: a curator's request says where the sample goes (send_to, the
-- address as the curator writes it) and the last day it may arrive
-- (due_on, a day in WIB). Older requests have neither.

-- +goose Up
ALTER POLICY notifications_select ON notifications
    USING ((((organization_id = (SELECT app_org_id())) AND ((user_id IS NULL) OR (user_id = (SELECT app_user_id()))))
            OR ((SELECT app_mode()) = 'system'::text)));
REVOKE UPDATE ON notifications FROM pasokan_app;
GRANT UPDATE (read_at, email_status) ON notifications TO pasokan_app;
CREATE INDEX notifications_unread_idx ON notifications (organization_id, id) INCLUDE (user_id) WHERE read_at IS NULL;

ALTER TABLE samples
    ADD COLUMN send_to text NOT NULL DEFAULT '' CHECK (length(send_to) <= 500),
    ADD COLUMN due_on  date;

-- +goose Down
ALTER TABLE samples DROP COLUMN due_on, DROP COLUMN send_to;
DROP INDEX notifications_unread_idx;
REVOKE UPDATE ON notifications FROM pasokan_app;
GRANT UPDATE ON notifications TO pasokan_app;
ALTER POLICY notifications_select ON notifications
    USING ((((organization_id = (SELECT app_org_id())) AND ((user_id IS NULL) OR (user_id = (SELECT app_user_id()))))
            OR (SELECT app_is_ministry()) OR ((SELECT app_mode()) = 'system'::text)));
