package curation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/listing"
	"pasokan/internal/notify"
	"pasokan/internal/supplier"
	"pasokan/internal/validation"
)

// IdentityDecision is a curator's decision on a curated supplier's
// identity change: accept, or refuse with a reason. ChangeID names the
// version of the change the curator saw (supplier.IdentityProposal.ID).
type IdentityDecision struct {
	Accept   bool
	Reason   string
	ChangeID int64
}

// IdentityCase is what a curator needs to decide on an identity change:
// the change, the identity as curated now, and the certificate that names
// it.
type IdentityCase struct {
	Proposal    supplier.IdentityProposal
	Current     supplier.Identity
	Certificate string
}

// IdentityProposal returns the identity change waiting on an application
// assigned to the actor's organisation; database.ErrNotFound for any other
// application, or when none waits.
func (s *Store) IdentityProposal(ctx context.Context, a account.Actor, appID int64) (IdentityCase, error) {
	if !isCurator(a) {
		return IdentityCase{}, database.ErrNotFound
	}
	var ic IdentityCase
	var waiting []supplier.IdentityProposal
	var prof supplier.Profile
	b := &pgx.Batch{}
	supplier.QueueIdentityProposalOf(b, appID, &waiting)
	supplier.QueueProfileOfApplication(b, appID, &prof)
	b.Queue(`SELECT coalesce((SELECT code FROM certificates WHERE application_id = $1 AND revoked_at IS NULL
 ORDER BY id DESC LIMIT 1), '')`, appID).QueryRow(func(row pgx.Row) error { return row.Scan(&ic.Certificate) })
	if err := s.db.ReadBatch(ctx, a.Scope(), b); err != nil {
		return IdentityCase{}, fmt.Errorf("curation: identity change %d: %w", appID, err)
	}
	// The change's policy shows it to the curators it waits for only.
	if len(waiting) != 1 {
		return IdentityCase{}, fmt.Errorf("curation: identity change %d: %w", appID, database.ErrNotFound)
	}
	ic.Proposal, ic.Current = waiting[0], supplier.IdentityOf(prof)
	return ic, nil
}

// DecideIdentity decides on a curated supplier's identity change. Accepted,
// the profile takes the new legal name, NIB and NPWP, the certificate is
// re-issued naming them (the old one revoked as superseded), and the
// listing follows; refused, nothing changes but the timeline, and the
// refusal says why. Each step is on the application's timeline, and the
// supplier is told in the portal and by e-mail. A change the supplier
// replaced since the curator saw it (another id) is database.ErrStale;
// a supplier no longer curated, supplier.ErrTransition. It returns the new
// certificate's code when accepted.
func (s *Store) DecideIdentity(ctx context.Context, a account.Actor, appID int64, d IdentityDecision) (string, error) {
	if !isCurator(a) {
		return "", database.ErrNotFound
	}
	errs := validation.Errors{}
	d.Reason = errs.MultiLine("reason", d.Reason, 0, MaxReason, "error.too_long")
	if !d.Accept && d.Reason == "" {
		errs.Add("reason", "error.reason_required")
	}
	if errs.Any() {
		return "", errs
	}
	var code string
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT organization_id, status, version FROM applications
 WHERE id = $1 AND assigned_org_id = $2 FOR UPDATE`, appID, a.OrgID)
		app, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[struct {
			OrganizationID int64
			Status         supplier.Status
			Version        int
		}])
		if err != nil {
			return err
		}
		orgID := app.OrganizationID
		if err := conflicted(ctx, tx, a, appID, orgID); err != nil {
			return err
		}
		p, err := supplier.IdentityProposalOf(ctx, tx, appID)
		if err != nil {
			return err
		}
		if p.ID != d.ChangeID {
			return database.ErrStale
		}
		if app.Status != supplier.StatusCurated {
			return supplier.ErrTransition
		}
		action, note := "application.identity_refused", "identity_refused"
		if d.Accept {
			action, note = "application.identity_accepted", "identity_accepted"
			_, after, err := supplier.ApplyIdentity(ctx, tx, a, p.ID, app.Version)
			if err != nil {
				return err
			}
			if code, err = s.reissueCertificate(ctx, tx, a, appID, orgID, after, app.Version); err != nil {
				return err
			}
			if err := listing.Sync(ctx, tx, appID); err != nil {
				return err
			}
		}
		if err := supplier.CloseIdentityProposal(ctx, tx, p.ID); err != nil {
			return err
		}
		if err := event(ctx, tx, a, appID, orgID, action, app.Version, d.Reason, map[string]any{
			"legal_name": p.LegalName, "nib": p.NIB, "npwp": p.NPWP, "change_id": p.ID}); err != nil {
			return err
		}
		return s.outbox.Notify(ctx, tx, notify.Notification{OrgID: orgID, Key: note, Link: "/supplier/listing/identity",
			Email: true})
	})
	if err != nil {
		return "", fmt.Errorf("curation: decide identity %d: %w", appID, err)
	}
	return code, nil
}

// certificateRow is the current certificate of an application, as
// reissueCertificate reads it.
type certificateRow struct {
	Code       string
	Content    []byte
	Submission int
}

// reissueCertificate re-issues the application's certificate under a new
// identity: the same products, checked against the same versions, now
// naming the new legal name and NIB. The old certificate is revoked as
// superseded; both codes are on the timeline.
func (s *Store) reissueCertificate(ctx context.Context, tx pgx.Tx, a account.Actor, appID, orgID int64, id supplier.Identity, version int) (string, error) {
	rows, _ := tx.Query(ctx, `SELECT code, content, submission FROM certificates
 WHERE application_id = $1 AND revoked_at IS NULL ORDER BY id DESC LIMIT 1`, appID)
	cur, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[certificateRow])
	if errors.Is(err, pgx.ErrNoRows) {
		return "", errors.New("curation: a curated application without a certificate")
	}
	if err != nil {
		return "", err
	}
	var content CertificateContent
	if err := json.Unmarshal(cur.Content, &content); err != nil {
		return "", err
	}
	content.SupplierName, content.NIB = id.LegalName, id.NIB
	code, err := writeCertificate(ctx, tx, a, appID, orgID, cur.Submission, content)
	if err != nil {
		return "", err
	}
	return code, event(ctx, tx, a, appID, orgID, "application.certificate_reissued", version, "",
		map[string]any{"code": code, "replaces": cur.Code, "reason": "identity"})
}
