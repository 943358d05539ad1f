-- E-mails are delivered by River jobs (docs/DESIGN.md, "Background work"):
-- the job inserted with an e-mail, or with a notification to be e-mailed,
-- names its row. The writer may not read that row back (a tenant adds to the
-- outbox, and a curator to a supplier's notifications, without reading
-- them: INSERT ... RETURNING would be refused by the read policies), so it
-- learns the id with currval() from the sequence its insert just drew from,
-- which needs SELECT on the sequence (not USAGE: the application role draws
-- ids only by inserting).
--
-- River schedules the retries now: the outbox keeps what happened (status,
-- attempts, the last error), no longer when to try again.

-- +goose Up
GRANT SELECT ON SEQUENCE email_outbox_id_seq, notifications_id_seq TO pasokan_app;
DROP INDEX email_outbox_due_idx;
ALTER TABLE email_outbox DROP COLUMN next_attempt_at;
-- The sweep (notify.Outbox.Sweep) walks what is still pending.
CREATE INDEX email_outbox_pending_idx ON email_outbox (id) WHERE status = 'pending';

-- +goose Down
DROP INDEX email_outbox_pending_idx;
ALTER TABLE email_outbox ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX email_outbox_due_idx ON email_outbox (next_attempt_at) WHERE status = 'pending';
REVOKE SELECT ON SEQUENCE email_outbox_id_seq, notifications_id_seq FROM pasokan_app;
