package curation

import (
	"context"

	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/listing"
	"pasokan/internal/notify"
	"pasokan/internal/supplier"
	"pasokan/internal/validation"
)

// Decision kinds, as the form's `decision` field names them.
const (
	DecisionCurate = "curate"
	DecisionRevise = "revise"
	DecisionReject = "reject"
)

// Decision is what a curator decides on an application.
type Decision struct {
	Kind    string
	Reason  string
	Version int
	// Checks are the answers by checklist item id (form fields check_<id>).
	Checks map[int64]Answer
	// Links are the register's pages read, by checklist item id (form
	// fields link_<id>), for the items that ask one.
	Links map[int64]string
	// Flags are what to revise (with Kind revise).
	Flags []supplier.Flag
}

// Outcome is what a decision did.
type Outcome struct {
	Status supplier.Status
	// Name is the applicant's name as the queue shows it, for the message
	// that confirms the decision.
	Name            string
	CuratedProducts []string
	Certificate     string
}

// CaseChecklists are the checklists in force for an application on a day:
// the general one and one per product.
type CaseChecklists struct {
	On       time.Time
	General  Checklist
	Products map[string]Checklist
}

// All lists the checklists, the general one first.
func (c CaseChecklists) All() []Checklist {
	out := []Checklist{c.General}
	for _, cl := range c.Products {
		out = append(out, cl)
	}
	return out
}

// ChecklistsFor returns the checklists in force on day on for the products.
func (s *Store) ChecklistsFor(ctx context.Context, products []string, on time.Time) (CaseChecklists, error) {
	cc := CaseChecklists{On: on, Products: map[string]Checklist{}}
	var err error
	if cc.General, err = s.checklists.InForce(ctx, "", on); err != nil {
		return cc, fmt.Errorf("curation: general checklist: %w", err)
	}
	for _, p := range products {
		cl, err := s.checklists.InForce(ctx, p, on)
		if err != nil {
			return cc, fmt.Errorf("curation: checklist of %s: %w", p, err)
		}
		cc.Products[p] = cl
	}
	return cc, nil
}

// evaluate scores one checklist with the answers given by item id, and
// renames its field errors to the form's check_<id>.
func evaluate(cl Checklist, checks map[int64]Answer, errs validation.Errors) (Result, map[string]Answer) {
	byKey := map[string]Answer{}
	idOf := map[string]int64{}
	for _, it := range cl.Items {
		idOf[it.Key] = it.ID
		if v, ok := checks[it.ID]; ok {
			byKey[it.Key] = v
		}
	}
	res, verrs := cl.Evaluate(byKey)
	for field, key := range verrs {
		if id, ok := idOf[strings.TrimPrefix(field, "check_")]; ok {
			errs.Add("check_"+strconv.FormatInt(id, 10), key)
		} else {
			errs.Add(field, key)
		}
	}
	return res, byKey
}

// Lengths of what curators write, as the forms' maxlength says.
const (
	// MaxReason bounds a decision's or a suspension's reason.
	MaxReason = 2000
	// maxFlagReason bounds the reason of one thing to revise.
	maxFlagReason = 500
	// maxNote bounds a conflict's reason and a sample's note.
	maxNote = 500
)

// flagKey is what a revise_<target>_<key> field may name: a profile field,
// a product type code or a document kind.
var flagKey = regexp.MustCompile(`^[a-z0-9_-]{1,64}$`)

// checkReason checks a reason typed into field: written, at most max
// characters, clean multi-line text.
func checkReason(errs validation.Errors, field, s string, max int) string {
	s = errs.MultiLine(field, s, 0, max, "error.too_long")
	if s == "" {
		errs.Add(field, "error.reason_required")
	}
	return s
}

// Decide records a curator's decision in one transaction: the version
// check (two curators at once: one wins, the other gets ErrStale), the
// reviews with the checklist versions used, the status change and its
// event, per-product outcomes and the certificate when curating, and the
// supplier's notification.
func (s *Store) Decide(ctx context.Context, a account.Actor, appID int64, d Decision) (Outcome, error) {
	if !isCurator(a) {
		return Outcome{}, database.ErrNotFound
	}
	errs := validation.Errors{}
	d.Reason = errs.MultiLine("reason", d.Reason, 0, MaxReason, "error.too_long")
	for i, f := range d.Flags {
		if !flagKey.MatchString(f.TargetKey) {
			errs.Add("flags", "error.flags_required")
			continue
		}
		d.Flags[i].Reason = errs.SingleLine("revise_"+f.Target+"_"+f.TargetKey, f.Reason, 0, maxFlagReason, "error.too_long")
	}
	// An answer the form does not offer is refused whatever the decision,
	// not ignored because a rejection does not read the checklist.
	for item, ans := range d.Checks {
		if ans != "" && !ans.Valid() {
			errs.Add("check_"+strconv.FormatInt(item, 10), "error.choose_option")
		}
	}
	checkLinks(d.Links, errs)
	switch d.Kind {
	case DecisionCurate:
	case DecisionRevise:
		if !supplier.ValidFlags(d.Flags) {
			errs.Add("flags", "error.flags_required")
		}
	case DecisionReject:
		if d.Reason == "" {
			errs.Add("reason", "error.reason_required")
		}
	default:
		errs.Add("decision", "error.choose_option")
	}
	// Curating reads the checklists inside the transaction: their errors
	// join these, so that a refused page lists every problem at once.
	if errs.Any() && d.Kind != DecisionCurate {
		return Outcome{}, errs
	}
	var out Outcome
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT organization_id, status, version, submissions,
       coalesce(assigned_user_id, 0) AS assigned_user_id,
       coalesce((SELECT c.name FROM queue_cards c WHERE c.application_id = applications.id), '') AS name
  FROM applications WHERE id = $1 AND assigned_org_id = $2 FOR UPDATE`, appID, a.OrgID)
		app, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[struct {
			OrganizationID       int64
			Status               supplier.Status
			Version, Submissions int
			AssignedUserID       int64
			Name                 string
		}])
		if err != nil {
			return err
		}
		out.Name = app.Name
		orgID, submission, assignee := app.OrganizationID, app.Submissions, app.AssignedUserID
		if app.Version != d.Version {
			return database.ErrStale
		}
		// A claim reserves the decision for the claimant; a lead may still
		// decide (a colleague away, a queue to clear).
		if assignee != 0 && assignee != a.UserID && a.Role != account.RoleLead {
			return ErrClaimedByOther
		}
		if err := conflicted(ctx, tx, a, appID, orgID); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT product_type FROM application_products WHERE application_id = $1 ORDER BY id`, appID)
		if err != nil {
			return err
		}
		products, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		cc, err := s.ChecklistsFor(ctx, products, time.Now())
		if err != nil {
			return err
		}
		reviews, err := s.review(d, cc, products, errs)
		if err != nil {
			return err
		}
		to, action := supplier.StatusRejected, "application.rejected"
		switch d.Kind {
		case DecisionCurate:
			to, action = supplier.StatusCurated, "application.curated"
		case DecisionRevise:
			to, action = supplier.StatusRevisionRequested, "application.revision_requested"
		}
		if _, err := supplier.Transition(ctx, tx, a, appID, d.Version, to, action, d.Reason,
			map[string]any{"reviews": len(reviews)}); err != nil {
			return err
		}
		out.Status = to
		for _, r := range reviews {
			if _, err := tx.Exec(ctx, `INSERT INTO reviews (application_id, organization_id, curator_org_id, curator_user_id,
    submission, product_type, checklist_id, answers, score, passed, decision, notes, links)
VALUES ($1, $2, $3, $4, $5, nullif($6, ''), $7, $8, $9, $10, $11, $12, $13)`, appID, orgID, a.OrgID, a.UserID, submission,
				r.product, r.checklist.ID, r.answers, r.result.Score, r.result.Passed, d.Kind, d.Reason, r.links); err != nil {
				return err
			}
		}
		switch d.Kind {
		case DecisionCurate:
			for _, r := range reviews {
				if r.product == "" {
					continue
				}
				outcome := "not_curated"
				if r.result.Passed {
					outcome = "curated"
					out.CuratedProducts = append(out.CuratedProducts, r.product)
				}
				if err := supplier.SetProductCuration(ctx, tx, appID, r.product, outcome); err != nil {
					return err
				}
			}
			if out.Certificate, err = issueCertificate(ctx, tx, a, appID, orgID, submission, cc, out.CuratedProducts); err != nil {
				return err
			}
			// Listed at once: buyers find it in the catalogue.
			if err := listing.Sync(ctx, tx, appID); err != nil {
				return err
			}
		case DecisionRevise:
			if err := supplier.AddFlags(ctx, tx, a, appID, orgID, submission, d.Flags); err != nil {
				return err
			}
		}
		// The message leads to the next step: the first thing to fix, or
		// the certificate.
		link := "/supplier/application"
		switch d.Kind {
		case DecisionRevise:
			link = supplier.FirstToFix(d.Flags)
		case DecisionCurate:
			link = "/supplier/certificate"
		}
		return s.outbox.Notify(ctx, tx, notify.Notification{OrgID: orgID, Key: "application_" + string(to),
			Link: link, Email: true})
	})
	if err != nil {
		return Outcome{}, fmt.Errorf("curation: decide %d: %w", appID, err)
	}
	return out, nil
}

type checkedList struct {
	product   string
	checklist Checklist
	result    Result
	answers   map[string]Answer
	links     map[string]string
}

// review evaluates the answers. Curating needs every item answered, the
// general gates passed and at least one product passing; a revision or a
// rejection keeps the answers of any checklist answered in full.
func (s *Store) review(d Decision, cc CaseChecklists, products []string, errs validation.Errors) ([]checkedList, error) {
	lists := []checkedList{{checklist: cc.General}}
	for _, p := range products {
		lists = append(lists, checkedList{product: p, checklist: cc.Products[p]})
	}
	var out []checkedList
	for _, l := range lists {
		listErrs := validation.Errors{}
		l.result, l.answers = evaluate(l.checklist, d.Checks, listErrs)
		l.links = linksFor(l.checklist, l.answers, d.Links, listErrs)
		if listErrs.Any() {
			l.result.Passed = false
		}
		if d.Kind == DecisionCurate {
			for f, k := range listErrs {
				errs.Add(f, k)
			}
			out = append(out, l)
		} else if !listErrs.Any() {
			out = append(out, l)
		}
	}
	if d.Kind != DecisionCurate {
		return out, nil
	}
	if errs.Any() {
		return nil, errs
	}
	anyProduct := false
	for _, l := range out {
		if l.product == "" && !l.result.Passed {
			return nil, ErrGateFailed
		}
		anyProduct = anyProduct || (l.product != "" && l.result.Passed)
	}
	if !anyProduct {
		return nil, ErrGateFailed
	}
	return out, nil
}
