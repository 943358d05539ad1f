// Package audit appends events to the audit trail. The trail is append-only:
// the server's database role may insert and read it, never change it.
package audit

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Event is one entry of the audit trail.
type Event struct {
	ActorUserID int64
	ActorOrgID  int64
	// OrgID is the tenant the event belongs to; 0 for events about a person.
	OrgID       int64
	Action      string
	SubjectType string
	SubjectID   int64
	Detail      map[string]any
}

const insertSQL = `INSERT INTO audit_events
    (actor_user_id, actor_org_id, organization_id, action, subject_type, subject_id, detail)
VALUES (nullif($1, 0), nullif($2, 0), nullif($3, 0), $4, $5, nullif($6, 0), $7)`

// Record appends e inside tx, so the event lands with the change or not at all.
func Record(ctx context.Context, tx pgx.Tx, e Event) error {
	detail := e.Detail
	if detail == nil {
		detail = map[string]any{}
	}
	b, err := json.Marshal(detail)
	if err != nil {
		return fmt.Errorf("audit: %s: %w", e.Action, err)
	}
	if _, err := tx.Exec(ctx, insertSQL, e.ActorUserID, e.ActorOrgID, e.OrgID, e.Action, e.SubjectType, e.SubjectID, b); err != nil {
		return fmt.Errorf("audit: %s: %w", e.Action, err)
	}
	return nil
}
