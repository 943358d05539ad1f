package curation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/listing"
	"pasokan/internal/notify"
	"pasokan/internal/supplier"
	"pasokan/internal/validation"
	"pasokan/internal/vcode"
)

// CertificateContent is what a certificate says.
type CertificateContent struct {
	SupplierName   string            `json:"supplier_name"`
	TradingName    string            `json:"trading_name"`
	NIB            string            `json:"nib"`
	ProvinceCode   string            `json:"province_code"`
	RegencyCode    string            `json:"regency_code"`
	CuratorName    string            `json:"curator_name"`
	GeneralVersion int               `json:"general_checklist_version"`
	Products       []CertificateLine `json:"products"`
	DecidedOn      time.Time         `json:"decided_on"`
}

// CertificateLine is one curated product with the checklist version and the
// standards (code and version) it was checked against.
type CertificateLine struct {
	ProductType      string   `json:"product_type"`
	ChecklistVersion int      `json:"checklist_version"`
	Standards        []string `json:"standards"`
}

// Certificate is an issued certificate.
type Certificate struct {
	Code          string
	AppID         int64
	OrgID         int64
	Content       CertificateContent
	IssuedAt      time.Time
	RevokedAt     *time.Time
	RevokedReason string
	// Valid says the certificate stands: not revoked, the application curated.
	Valid bool
}

// newCode draws a certificate code.
var newCode = vcode.New

func standardsOf(cl Checklist) []string {
	var out []string
	for _, it := range cl.Items {
		if it.Standard.Code != "" && !slices.Contains(out, it.Standard.Code) {
			out = append(out, it.Standard.Code)
		}
	}
	return out
}

// issueCertificate writes the certificate of a curation inside tx, revoking
// any earlier one of the application.
func issueCertificate(ctx context.Context, tx pgx.Tx, a account.Actor, appID, orgID int64, submission int, cc CaseChecklists, curated []string) (string, error) {
	p, err := supplier.ProfileOf(ctx, tx, orgID)
	if err != nil {
		return "", err
	}
	content := CertificateContent{SupplierName: p.LegalName, TradingName: p.TradingName, NIB: p.NIB,
		ProvinceCode: p.ProvinceCode, RegencyCode: p.RegencyCode, CuratorName: a.OrgName,
		GeneralVersion: cc.General.Version, DecidedOn: cc.On}
	for _, prod := range curated {
		cl := cc.Products[prod]
		content.Products = append(content.Products, CertificateLine{ProductType: prod, ChecklistVersion: cl.Version,
			Standards: standardsOf(cl)})
	}
	return writeCertificate(ctx, tx, a, appID, orgID, submission, content)
}

// writeCertificate issues a certificate of content, revoking the one it
// replaces.
func writeCertificate(ctx context.Context, tx pgx.Tx, a account.Actor, appID, orgID int64, submission int, content CertificateContent) (string, error) {
	b, err := json.Marshal(content)
	if err != nil {
		return "", err
	}
	if _, err := tx.Exec(ctx, `UPDATE certificates SET revoked_at = now(), revoked_reason = 'superseded'
 WHERE application_id = $1 AND revoked_at IS NULL`, appID); err != nil {
		return "", err
	}
	for range 5 {
		code := newCode()
		tag, err := tx.Exec(ctx, `INSERT INTO certificates (code, application_id, organization_id, curator_org_id, submission, content)
VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING`, code, appID, orgID, a.OrgID, submission, b)
		if err != nil {
			return "", err
		}
		if tag.RowsAffected() == 1 {
			return code, nil
		}
	}
	return "", errors.New("curation: no free certificate code")
}

// certificateSQL reads a Certificate by name; pgx decodes the content
// (jsonb) into CertificateContent.
const certificateSQL = `SELECT c.code, c.application_id AS app_id, c.organization_id AS org_id, c.content, c.issued_at,
       c.revoked_at, c.revoked_reason, c.revoked_at IS NULL AND a.status = 'curated' AS valid
  FROM certificates c JOIN applications a ON a.id = c.application_id`

// CertificateOf returns the supplier's current certificate (the newest).
func (s *Store) CertificateOf(ctx context.Context, a account.Actor) (Certificate, error) {
	var c Certificate
	err := s.db.ReadTx(ctx, a.Scope(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, certificateSQL+` WHERE c.organization_id = $1 ORDER BY c.id DESC LIMIT 1`, a.OrgID)
		var err error
		c, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[Certificate])
		return err
	})
	if err != nil {
		return Certificate{}, fmt.Errorf("curation: certificate of %d: %w", a.OrgID, err)
	}
	return c, nil
}

// Verify looks a certificate up by its code, for anyone: it answers whether
// it stands and what it covers. It runs as the portal.
func (s *Store) Verify(ctx context.Context, code string) (Certificate, error) {
	c, err := database.ReadOne[Certificate](ctx, s.db.Stale(ctx), database.System(), certificateSQL+` WHERE c.code = $1`, code)
	if err != nil {
		return Certificate{}, fmt.Errorf("curation: verify: %w", err)
	}
	return c, nil
}

// Suspend takes a curated supplier out of the catalogue at once, with a
// reason: the ministry or the curator organisation may. The certificate is
// revoked and the supplier told.
func (s *Store) Suspend(ctx context.Context, a account.Actor, appID int64, version int, reason string) error {
	return s.suspension(ctx, a, appID, version, reason, supplier.StatusSuspended, "application.suspended", "application_suspended")
}

// Reinstate puts a suspended supplier back, with its certificate.
func (s *Store) Reinstate(ctx context.Context, a account.Actor, appID int64, version int, reason string) error {
	return s.suspension(ctx, a, appID, version, reason, supplier.StatusCurated, "application.reinstated", "application_reinstated")
}

func (s *Store) suspension(ctx context.Context, a account.Actor, appID int64, version int, reason string, to supplier.Status, action, note string) error {
	if !isCurator(a) && !a.IsMinistryAdmin() {
		return database.ErrNotFound
	}
	errs := validation.Errors{}
	if reason = checkReason(errs, "reason", reason, MaxReason); errs.Any() {
		return errs
	}
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		if isCurator(a) {
			if _, _, err := assignedApp(ctx, tx, a, appID); err != nil {
				return err
			}
		}
		m, err := supplier.Transition(ctx, tx, a, appID, version, to, action, reason, nil)
		if err != nil {
			return err
		}
		if to == supplier.StatusSuspended {
			_, err = tx.Exec(ctx, `UPDATE certificates SET revoked_at = now(), revoked_reason = 'suspended'
 WHERE application_id = $1 AND revoked_at IS NULL`, appID)
		} else {
			_, err = tx.Exec(ctx, `UPDATE certificates SET revoked_at = NULL, revoked_reason = ''
 WHERE id = (SELECT max(id) FROM certificates WHERE application_id = $1) AND revoked_reason = 'suspended'`, appID)
		}
		if err != nil {
			return err
		}
		// Out of the catalogue and the directory at once, or back in.
		if err := listing.Sync(ctx, tx, appID); err != nil {
			return err
		}
		return s.outbox.Notify(ctx, tx, notify.Notification{OrgID: m.OrgID, Key: note, Link: "/supplier", Email: true})
	})
	if err != nil {
		return fmt.Errorf("curation: %s %d: %w", action, appID, err)
	}
	return nil
}

// SupplierApplication returns a supplier organisation's active application
// (id, status, version) for the ministry, which may suspend or reinstate it.
// supplierApplicationSQL reads a supplier's application: the latest not
// rejected.
const supplierApplicationSQL = `SELECT id, status, version FROM applications WHERE id = ` + supplier.LatestApplicationOfSQL

func (s *Store) SupplierApplication(ctx context.Context, a account.Actor, orgID int64) (int64, supplier.Status, int, error) {
	if !a.IsMinistryAdmin() {
		return 0, "", 0, database.ErrNotFound
	}
	app, err := database.ReadOne[AppRef](ctx, s.db, a.Scope(), supplierApplicationSQL, orgID)
	if err != nil {
		return 0, "", 0, fmt.Errorf("curation: application of %d: %w", orgID, err)
	}
	return app.ID, app.Status, app.Version, nil
}

// AppRef names a supplier's application.
type AppRef struct {
	ID      int64
	Status  supplier.Status
	Version int
}
