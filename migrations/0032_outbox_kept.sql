-- The development mailbox is honest (issue 12): an e-mail the local mailer
-- rendered and kept in the outbox, with no relay to carry it, is "kept",
-- never "sent".

-- +goose Up
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_status_check;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_status_check CHECK (status IN ('pending', 'sent', 'kept', 'failed'));

-- +goose Down
UPDATE email_outbox SET status = 'sent' WHERE status = 'kept';
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_status_check;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_status_check CHECK (status IN ('pending', 'sent', 'failed'));
