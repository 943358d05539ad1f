package curation

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/validation"
)

// Sample is a physical sample a curator asked for.
type Sample struct {
	ID          int64
	ProductType string
	Note        string
	RequestedAt time.Time
	ReceivedAt  *time.Time
	TestedAt    *time.Time
	Result      string // "", pass, fail
	ResultNote  string
}

const samplesSQL = `SELECT id, coalesce(product_type, '') AS product_type, note, requested_at, received_at, tested_at,
       result, result_note
  FROM samples WHERE application_id = $1 ORDER BY id`

// appVersion is an application's organisation and version, as read before
// a change.
type appVersion struct {
	OrganizationID int64
	Version        int
}

// assignedApp locks an application assigned to the actor's organisation.
func assignedApp(ctx context.Context, tx pgx.Tx, a account.Actor, appID int64) (orgID int64, version int, err error) {
	rows, _ := tx.Query(ctx, `SELECT organization_id, version FROM applications WHERE id = $1 AND assigned_org_id = $2 FOR UPDATE`,
		appID, a.OrgID)
	app, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[appVersion])
	return app.OrganizationID, app.Version, err
}

// RequestSample asks the supplier for a physical sample of a product.
func (s *Store) RequestSample(ctx context.Context, a account.Actor, appID int64, productType, note string) error {
	if !isCurator(a) {
		return database.ErrNotFound
	}
	if errs := checkNote(&note, map[string]string{"product_type": productType}); errs.Any() {
		return errs
	}
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		orgID, version, err := assignedApp(ctx, tx, a, appID)
		if err != nil {
			return err
		}
		// Only a product the applicant declared can be sampled.
		var declared bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM application_products WHERE application_id = $1 AND product_type = $2)`,
			appID, productType).Scan(&declared); err != nil {
			return err
		}
		if !declared {
			return validation.Errors{"product_type": "error.choose_option"}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO samples (application_id, organization_id, curator_org_id, product_type, requested_by, note)
VALUES ($1, $2, $3, nullif($4, ''), $5, $6)`, appID, orgID, a.OrgID, productType, a.UserID, strings.TrimSpace(note)); err != nil {
			return err
		}
		return event(ctx, tx, a, appID, orgID, "application.sample_requested", version, strings.TrimSpace(note),
			map[string]any{"product_type": productType})
	})
	if err != nil {
		return fmt.Errorf("curation: request sample: %w", err)
	}
	return nil
}

// RecordSample records a sample's receipt, or its test result ("pass",
// "fail") with a note.
func (s *Store) RecordSample(ctx context.Context, a account.Actor, appID, sampleID int64, result, note string) error {
	if !isCurator(a) {
		return database.ErrNotFound
	}
	if result != "" && result != "pass" && result != "fail" {
		return validation.Errors{"result": "error.choose_option"}
	}
	if errs := checkNote(&note, nil); errs.Any() {
		return errs
	}
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		orgID, version, err := assignedApp(ctx, tx, a, appID)
		if err != nil {
			return err
		}
		var tag string
		var done pgconn.CommandTag
		if result == "" {
			tag = "application.sample_received"
			done, err = tx.Exec(ctx, `UPDATE samples SET received_at = coalesce(received_at, now())
 WHERE id = $1 AND application_id = $2`, sampleID, appID)
		} else {
			tag = "application.sample_tested"
			done, err = tx.Exec(ctx, `UPDATE samples SET received_at = coalesce(received_at, now()), tested_at = now(),
       result = $3, result_note = $4 WHERE id = $1 AND application_id = $2`, sampleID, appID, result, strings.TrimSpace(note))
		}
		if err != nil {
			return err
		}
		// A sample of another application: nothing changed, so no event
		// and no "recorded".
		if done.RowsAffected() == 0 {
			return database.ErrNotFound
		}
		return event(ctx, tx, a, appID, orgID, tag, version, strings.TrimSpace(note), map[string]any{"sample": sampleID, "result": result})
	})
	if err != nil {
		return fmt.Errorf("curation: record sample: %w", err)
	}
	return nil
}

// checkNote checks a sample's note (one line, optional) and the codes that
// come with it, trimming the note in place.
func checkNote(note *string, codes map[string]string) validation.Errors {
	errs := validation.Errors{}
	errs.Clean(codes)
	*note = errs.SingleLine("note", *note, 0, maxNote, "error.too_long")
	return errs
}
