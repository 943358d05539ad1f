package supplier

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
)

// duplicatesSQL finds other organisations sharing an identifier or a file
// with organisation $1. The first branch names the union's columns.
const duplicatesSQL = `WITH me AS (SELECT nib, npwp, phone FROM supplier_profiles WHERE organization_id = $1)
SELECT 'nib' AS kind, p.organization_id AS other FROM supplier_profiles p, me
 WHERE me.nib <> '' AND p.nib = me.nib AND p.organization_id <> $1
UNION
SELECT 'npwp', p.organization_id FROM supplier_profiles p, me
 WHERE me.npwp <> '' AND p.npwp = me.npwp AND p.organization_id <> $1
UNION
SELECT 'phone', p.organization_id FROM supplier_profiles p, me
 WHERE me.phone <> '' AND p.phone = me.phone AND p.organization_id <> $1
UNION
SELECT 'document', o.organization_id FROM documents d JOIN documents o ON o.sha256 = d.sha256
 WHERE d.organization_id = $1 AND o.organization_id <> $1 AND d.removed_at IS NULL AND o.removed_at IS NULL`

// recordSignalSQL records kind on the active application of organisation $1
// pointing at organisation $3 (nothing when $1 has no active application).
const recordSignalSQL = `INSERT INTO signals (application_id, organization_id, kind, other_organization_id)
SELECT a.id, a.organization_id, $2, $3 FROM applications a
 WHERE a.organization_id = $1 AND a.status <> 'rejected'
ON CONFLICT (application_id, kind, other_organization_id) DO NOTHING`

// recordSignals looks for other organisations with the same NIB, NPWP, phone
// or document bytes as orgID, and records each finding on both
// applications. It runs as the portal: the comparison spans tenants, and
// the supplier never sees the result (curators do).
func (s *Store) recordSignals(ctx context.Context, appID, orgID int64) error {
	return s.db.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, duplicatesSQL, orgID)
		if err != nil {
			return err
		}
		type dup struct {
			Kind  string
			Other int64
		}
		dups, err := database.CollectRows[dup](rows)
		if err != nil {
			return err
		}
		for _, d := range dups {
			if _, err := tx.Exec(ctx, recordSignalSQL, orgID, d.Kind, d.Other); err != nil {
				return fmt.Errorf("signal on %d: %w", appID, err)
			}
			if _, err := tx.Exec(ctx, recordSignalSQL, d.Other, d.Kind, orgID); err != nil {
				return fmt.Errorf("signal on organisation %d: %w", d.Other, err)
			}
		}
		return nil
	})
}

// Signal is a finding for curators.
type Signal struct {
	Kind          string
	OtherOrgID    int64
	OtherOrgName  string
	ApplicationID int64
}

// SignalsOf lists the signals recorded on an application, for the ministry
// (and, with curation, the assigned curators): row-level security hides
// them from the supplier.
func (s *Store) SignalsOf(ctx context.Context, sc database.Scope, appID int64) ([]Signal, error) {
	var out []Signal
	err := s.db.ReadTx(ctx, sc, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT s.kind, s.other_organization_id AS other_org_id, coalesce(o.name, '') AS other_org_name,
       s.application_id
  FROM signals s LEFT JOIN organizations o ON o.id = s.other_organization_id
 WHERE s.application_id = $1 ORDER BY s.id`, appID)
		if err != nil {
			return err
		}
		out, err = database.CollectRows[Signal](rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("supplier: signals of %d: %w", appID, err)
	}
	return out, nil
}

// SignalRejection records, inside the buyer's transaction, that a buyer
// rejected units of a supplier's delivery at receipt: a signal on the
// supplier's application for its curators. The signal is read from the
// receipt itself (receipt_rejection_signal, migration 0017), so package
// order, which records receipts, writes no signal of its own.
func SignalRejection(ctx context.Context, tx pgx.Tx, receiptID int64) error {
	if _, err := tx.Exec(ctx, `SELECT receipt_rejection_signal($1)`, receiptID); err != nil {
		return fmt.Errorf("supplier: rejection signal of receipt %d: %w", receiptID, err)
	}
	return nil
}
