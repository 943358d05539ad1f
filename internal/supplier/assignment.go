package supplier

import (
	"context"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
)

// The writes other packages make to applications and their products, in
// the caller's transaction: this package owns the tables (docs/DESIGN.md,
// "Who writes what"); curation assigns, claims and records outcomes only
// through these. The caller has checked who may; row-level security checks
// again.

// AssignOrganization gives an application to a curator organisation,
// without a curator yet, and returns its organisation and version.
func AssignOrganization(ctx context.Context, tx pgx.Tx, appID, curatorOrg int64) (orgID int64, version int, err error) {
	type row struct {
		OrganizationID int64
		Version        int
	}
	rows, _ := tx.Query(ctx, `UPDATE applications SET assigned_org_id = $2, assigned_user_id = NULL, updated_at = now()
 WHERE id = $1 RETURNING organization_id, version`, appID, curatorOrg)
	r, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[row])
	return r.OrganizationID, r.Version, err
}

// SetAssignee makes userID the curator of an application; 0 leaves it to
// nobody.
func SetAssignee(ctx context.Context, tx pgx.Tx, appID, userID int64) error {
	_, err := tx.Exec(ctx, `UPDATE applications SET assigned_user_id = nullif($2, 0), updated_at = now() WHERE id = $1`, appID, userID)
	return err
}

// Assigned is an application given to a curator by AssignCurator.
type Assigned struct {
	ID             int64
	OrganizationID int64
	Version        int
}

// AssignCurator gives the open applications among appIDs that are assigned
// to curatorOrg to the curator userID, and returns those it moved.
func AssignCurator(ctx context.Context, tx pgx.Tx, appIDs []int64, curatorOrg, userID int64) ([]Assigned, error) {
	rows, err := tx.Query(ctx, `UPDATE applications SET assigned_user_id = $3, updated_at = now()
 WHERE id = ANY($1) AND assigned_org_id = $2 AND status IN ('submitted', 'in_review', 'revision_requested')
RETURNING id, organization_id, version`, appIDs, curatorOrg, userID)
	if err != nil {
		return nil, err
	}
	return database.CollectRows[Assigned](rows)
}

// SetProductCuration records a product's outcome ("curated" or
// "not_curated") on an application.
func SetProductCuration(ctx context.Context, tx pgx.Tx, appID int64, productType, outcome string) error {
	_, err := tx.Exec(ctx, `UPDATE application_products SET curation = $3 WHERE application_id = $1 AND product_type = $2`,
		appID, productType, outcome)
	return err
}
