-- The audit log holds every step of every application (issue 12).
--
-- An application's steps (submitted, assigned, curated, suspended...) are
-- written to application_events, its timeline, in the transaction of the
-- step; the audit trail had only the other changes (accounts, orders,
-- materials, permits), so the ministry's log could not answer "who curated
-- this supplier, and when". Each application event is now also an audit
-- event, by a trigger in the same transaction: subject the application,
-- detail the event's own with its statuses, reason and version. The steps
-- taken before are copied once.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION application_trail_keep() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    mode text := coalesce(current_setting('pasokan.mode', true), '');
BEGIN
    PERFORM set_config('pasokan.mode', 'system', true);
    INSERT INTO audit_events (occurred_at, actor_user_id, actor_org_id, organization_id, action, subject_type, subject_id, detail)
    VALUES (NEW.occurred_at, NEW.actor_user_id, NEW.actor_org_id, NEW.organization_id, NEW.action, 'application', NEW.application_id,
            NEW.detail || jsonb_strip_nulls(jsonb_build_object('from', nullif(NEW.from_status, ''), 'to', nullif(NEW.to_status, ''),
                                                               'reason', nullif(NEW.reason, ''), 'version', NEW.version)));
    PERFORM set_config('pasokan.mode', mode, true);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER application_trail AFTER INSERT ON application_events
    FOR EACH ROW EXECUTE FUNCTION application_trail_keep();

SELECT set_config('pasokan.mode', 'system', true);
INSERT INTO audit_events (occurred_at, actor_user_id, actor_org_id, organization_id, action, subject_type, subject_id, detail)
SELECT e.occurred_at, e.actor_user_id, e.actor_org_id, e.organization_id, e.action, 'application', e.application_id,
       e.detail || jsonb_strip_nulls(jsonb_build_object('from', nullif(e.from_status, ''), 'to', nullif(e.to_status, ''),
                                                        'reason', nullif(e.reason, ''), 'version', e.version))
  FROM application_events e
 ORDER BY e.id;

-- +goose Down
DROP TRIGGER application_trail ON application_events;
DROP FUNCTION application_trail_keep();
-- The copies stay: the trail is append-only.
