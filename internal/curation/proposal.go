package curation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/listing"
	"pasokan/internal/notify"
	"pasokan/internal/supplier"
	"pasokan/internal/validation"
)

// ProposalDecision is a curator's decision on what a curated supplier
// proposed for one product: Accept with the product's checklist answered
// (a new product: the checklist decides), or refuse with a reason.
type ProposalDecision struct {
	Accept bool
	Reason string
	Checks map[int64]Answer
	// Links are the register's pages read, by item id (link_<id>).
	Links map[int64]string
}

// ProposalOutcome is what a decision on a proposal did.
type ProposalOutcome struct {
	Curated     bool
	Certificate string
}

// DecideProposal decides on a curated supplier's proposal for one product,
// alone: the rest of the listing stays as it is. A new product that passes
// its checklist is curated, added to a re-issued certificate and listed at
// once; accepted permits are written on the product and listed; a refusal
// says why. Each decision is on the application's timeline and tells the
// supplier.
func (s *Store) DecideProposal(ctx context.Context, a account.Actor, appID int64, productType string, d ProposalDecision) (ProposalOutcome, error) {
	if !isCurator(a) {
		return ProposalOutcome{}, database.ErrNotFound
	}
	errs := validation.Errors{}
	d.Reason = errs.MultiLine("reason", d.Reason, 0, MaxReason, "error.too_long")
	if !d.Accept && d.Reason == "" {
		errs.Add("reason", "error.reason_required")
	}
	for item, ans := range d.Checks {
		if ans != "" && !ans.Valid() {
			errs.Add("check_"+strconv.FormatInt(item, 10), "error.choose_option")
		}
	}
	if errs.Any() {
		return ProposalOutcome{}, errs
	}
	var out ProposalOutcome
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		orgID, version, err := assignedApp(ctx, tx, a, appID)
		if err != nil {
			return err
		}
		if err := conflicted(ctx, tx, a, appID, orgID); err != nil {
			return err
		}
		proposals, err := supplier.ProposalsOf(ctx, tx, appID)
		if err != nil {
			return err
		}
		var p *supplier.Proposal
		for i := range proposals {
			if proposals[i].ProductType == productType {
				p = &proposals[i]
			}
		}
		if p == nil {
			return database.ErrNotFound
		}
		action, note := "application.proposal_refused", "proposal_refused"
		switch {
		case p.Kind == supplier.ProposalRecheck:
			// Checked again against the checklist in force: passed, it stays
			// curated and its certificate line names the new version;
			// failed or refused, it is no longer curated nor listed.
			passed := false
			if d.Accept {
				if passed, err = s.reviewProduct(ctx, tx, a, appID, orgID, productType, d); err != nil {
					return err
				}
			}
			outcome := "not_curated"
			action, note = "application.product_not_recurated", "product_not_recurated"
			if passed {
				outcome, action, note, out.Curated = "curated", "application.product_recurated", "product_recurated", true
				if p.PermitNumber != "" || p.SNICertificate != "" {
					if err := supplier.SetPermits(ctx, tx, appID, productType, p.PermitNumber, p.SNICertificate); err != nil {
						return err
					}
				}
			}
			if err := supplier.SetProductCuration(ctx, tx, appID, productType, outcome); err != nil {
				return err
			}
			if out.Certificate, err = recertify(ctx, tx, a, appID, orgID, productType, passed, s); err != nil {
				return err
			}
		case !d.Accept && p.Kind == supplier.ProposalProduct:
			if err := supplier.SetProductCuration(ctx, tx, appID, productType, "not_curated"); err != nil {
				return err
			}
		case !d.Accept:
		case p.Kind == supplier.ProposalPermits:
			if err := supplier.SetPermits(ctx, tx, appID, productType, p.PermitNumber, p.SNICertificate); err != nil {
				return err
			}
			action, note, out.Curated = "application.permits_accepted", "permits_accepted", true
		default:
			passed, err := s.reviewProduct(ctx, tx, a, appID, orgID, productType, d)
			if err != nil {
				return err
			}
			outcome := "not_curated"
			if passed {
				outcome, action, note, out.Curated = "curated", "application.product_curated", "product_curated", true
			} else {
				action = "application.product_not_curated"
			}
			if err := supplier.SetProductCuration(ctx, tx, appID, productType, outcome); err != nil {
				return err
			}
			if passed {
				if out.Certificate, err = extendCertificate(ctx, tx, a, appID, orgID, productType, s); err != nil {
					return err
				}
			}
		}
		if err := supplier.CloseProposal(ctx, tx, appID, productType); err != nil {
			return err
		}
		if err := event(ctx, tx, a, appID, orgID, action, version, d.Reason, map[string]any{"product_type": productType}); err != nil {
			return err
		}
		if err := listing.Sync(ctx, tx, appID); err != nil {
			return err
		}
		return s.outbox.Notify(ctx, tx, notify.Notification{OrgID: orgID, Key: note, Args: []string{productType},
			Link: "/supplier/listing", Email: true})
	})
	if err != nil {
		return ProposalOutcome{}, fmt.Errorf("curation: decide proposal %d/%s: %w", appID, productType, err)
	}
	return out, nil
}

// reviewProduct scores a proposed product against its checklist in force
// and records the review; it says whether the product passed.
func (s *Store) reviewProduct(ctx context.Context, tx pgx.Tx, a account.Actor, appID, orgID int64, productType string, d ProposalDecision) (bool, error) {
	cl, err := s.checklists.InForce(ctx, productType, time.Now())
	if err != nil {
		return false, err
	}
	errs := validation.Errors{}
	res, answers := evaluate(cl, d.Checks, errs)
	checkLinks(d.Links, errs)
	links := linksFor(cl, answers, d.Links, errs)
	if errs.Any() {
		return false, errs
	}
	var submission int
	if err := tx.QueryRow(ctx, `SELECT submissions FROM applications WHERE id = $1`, appID).Scan(&submission); err != nil {
		return false, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO reviews (application_id, organization_id, curator_org_id, curator_user_id,
    submission, product_type, checklist_id, answers, score, passed, decision, notes, links)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`, appID, orgID, a.OrgID, a.UserID, submission,
		productType, cl.ID, answers, res.Score, res.Passed, DecisionCurate, d.Reason, links); err != nil {
		return false, err
	}
	return res.Passed, nil
}

// extendCertificate re-issues the application's certificate with one more
// product, checked against the checklist in force today; the products
// already on it keep the versions they were curated against.
func extendCertificate(ctx context.Context, tx pgx.Tx, a account.Actor, appID, orgID int64, productType string, s *Store) (string, error) {
	content, submission, err := currentCertificate(ctx, tx, appID)
	if err != nil {
		return "", err
	}
	cl, err := s.checklists.InForce(ctx, productType, time.Now())
	if err != nil {
		return "", err
	}
	content.Products = append(content.Products, CertificateLine{ProductType: productType, ChecklistVersion: cl.Version,
		Standards: standardsOf(cl)})
	return writeCertificate(ctx, tx, a, appID, orgID, submission, content)
}

// currentCertificate reads the application's certificate in force and the
// submission it was issued for.
func currentCertificate(ctx context.Context, tx pgx.Tx, appID int64) (CertificateContent, int, error) {
	var raw []byte
	var submission int
	var content CertificateContent
	err := tx.QueryRow(ctx, `SELECT content, submission FROM certificates
 WHERE application_id = $1 AND revoked_at IS NULL ORDER BY id DESC LIMIT 1`, appID).Scan(&raw, &submission)
	if errors.Is(err, pgx.ErrNoRows) {
		return content, 0, errors.New("curation: a curated application without a certificate")
	}
	if err != nil {
		return content, 0, err
	}
	return content, submission, json.Unmarshal(raw, &content)
}

// recertify re-issues the application's certificate after a product was
// checked again: kept, its line names the checklist in force today;
// otherwise the line is taken off. The other products keep their lines.
func recertify(ctx context.Context, tx pgx.Tx, a account.Actor, appID, orgID int64, productType string, keep bool, s *Store) (string, error) {
	content, submission, err := currentCertificate(ctx, tx, appID)
	if err != nil {
		return "", err
	}
	cl, err := s.checklists.InForce(ctx, productType, time.Now())
	if err != nil {
		return "", err
	}
	var lines []CertificateLine
	for _, l := range content.Products {
		switch {
		case l.ProductType != productType:
			lines = append(lines, l)
		case keep:
			lines = append(lines, CertificateLine{ProductType: productType, ChecklistVersion: cl.Version, Standards: standardsOf(cl)})
		}
	}
	content.Products = lines
	return writeCertificate(ctx, tx, a, appID, orgID, submission, content)
}

// MaxProposals bounds the proposals the queue shows at once.
const MaxProposals = 50

// Proposals lists what curated suppliers proposed to the actor's curator
// organisation, oldest first (at most MaxProposals).
func (s *Store) Proposals(ctx context.Context, a account.Actor) ([]supplier.Proposal, error) {
	if !isCurator(a) {
		return nil, database.ErrNotFound
	}
	var out []supplier.Proposal
	b := &pgx.Batch{}
	supplier.QueueProposals(b, a.OrgID, MaxProposals, &out)
	if err := s.db.ReadBatch(ctx, a.Scope(), b); err != nil {
		return nil, fmt.Errorf("curation: proposals: %w", err)
	}
	return out, nil
}

// ProposalCase is what a curator needs to decide on a proposal: the
// proposal, the product as the supplier declared it, what is curated of it
// now (for permits), and the product's checklist in force (for a new
// product).
type ProposalCase struct {
	Proposal  supplier.Proposal
	Product   supplier.Product
	Checklist Checklist
}

// Proposal returns a proposal waiting on an application assigned to the
// actor's organisation; database.ErrNotFound for any other.
func (s *Store) Proposal(ctx context.Context, a account.Actor, appID int64, productType string) (ProposalCase, error) {
	if !isCurator(a) {
		return ProposalCase{}, database.ErrNotFound
	}
	var pc ProposalCase
	err := s.db.ReadTx(ctx, a.Scope(), func(tx pgx.Tx) error {
		var assigned bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM applications WHERE id = $1 AND assigned_org_id = $2)`,
			appID, a.OrgID).Scan(&assigned); err != nil {
			return err
		}
		if !assigned {
			return database.ErrNotFound
		}
		ps, err := supplier.ProposalsOf(ctx, tx, appID)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if p.ProductType == productType {
				pc.Proposal = p
			}
		}
		if pc.Proposal.ProductType == "" {
			return database.ErrNotFound
		}
		products, err := supplier.ProductsOf(ctx, tx, appID)
		if err != nil {
			return err
		}
		for _, p := range products {
			if p.Type == productType {
				pc.Product = p
			}
		}
		return nil
	})
	if err != nil {
		return ProposalCase{}, fmt.Errorf("curation: proposal %d/%s: %w", appID, productType, err)
	}
	if pc.Proposal.Kind == supplier.ProposalProduct || pc.Proposal.Kind == supplier.ProposalRecheck {
		if pc.Checklist, err = s.checklists.InForce(ctx, productType, time.Now()); err != nil {
			return ProposalCase{}, err
		}
	}
	return pc, nil
}
