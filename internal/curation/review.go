package curation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/supplier"
)

// Case is everything a curator needs to decide on one application.
type Case struct {
	AppID int64
	OrgID int64
	// OrgName is the organisation's name in the ministry's dossier; in a
	// curator's case the business's trading name (caseSQL).
	OrgName      string
	Status       supplier.Status
	Version      int
	Submissions  int
	SubmittedAt  *time.Time
	AssigneeID   int64
	AssigneeName string
	// CuratorOrgName names the curator organisation the application is
	// assigned to, for the ministry (Dossier); "" for a curator's own.
	CuratorOrgName string
	Profile        supplier.Profile
	Products       []CaseProduct
	Documents      []supplier.Document
	Signals        []supplier.Signal
	Events         []supplier.Event
	Samples        []Sample
	// Changes lists what differs from the previous submission.
	Changes []Change
	// Asked lists what curators asked to revise, by submission.
	Asked []AskedFlag
	// Conflict says the actor declared a conflict of interest (or belongs
	// to the applicant), so they cannot decide.
	Conflict bool
	// IdentityChange is the change of legal name, NIB or NPWP a curated
	// supplier proposed, waiting for a decision (none or one).
	IdentityChange []supplier.IdentityProposal
	// Lookups are the register's pages curators recorded with their
	// reviews (the permit's lookup), newest first.
	Lookups []Lookup
}

// Lookup is a link a curator recorded with a checklist item of a review.
type Lookup struct {
	ProductType string
	Link        string
	ReviewedAt  time.Time
}

// CaseProduct is a product with its curation outcome so far.
type CaseProduct struct {
	supplier.Product
	Curation string // "", curated, not_curated
}

// AskedFlag is a revision asked for at a submission.
type AskedFlag struct {
	Submission int
	supplier.Flag
}

// Change is a difference between two submissions: what (a profile field, a
// product type, a document kind), and the values before and after ("" when
// added or removed).
type Change struct {
	Target string // field, product, document
	Key    string
	Before string
	After  string
}

// caseSQL reads the assignee's name with a scalar subquery, a probe by
// primary key: joined, the users' policy misled the planner into walking
// all 200,000 users (107-167 ms; 0.28 ms by id).
//
// The two latest snapshots (for the changes since the last submission;
// none before a second submission) and whether the curator has a conflict
// come in the same statement: each statement costs Postgres more than
// these small reads do.
//
// It reads no organisation: a curator's pages name the business by its
// profile (the legal name, which submitting requires, then the trading
// name; queueCase). Joined for its name, the organisation's policies (its
// own, its members', the curators' scope) were a third of the statement's
// Postgres time at 200,000 suppliers (0.056 against 0.036-0.041 ms,
// pgbench, alternated).
const caseSQL = `SELECT a.id AS app_id, a.organization_id AS org_id, '' AS org_name, a.status, a.version,
       a.submissions, a.submitted_at, coalesce(a.assigned_user_id, 0) AS assignee_id,
       coalesce((SELECT u.name FROM users u WHERE u.id = a.assigned_user_id), '') AS assignee_name,
       '' AS curator_org_name,
       CASE WHEN a.submissions > 1
            THEN ARRAY(SELECT s.snapshot FROM application_snapshots s WHERE s.application_id = a.id
                        ORDER BY s.submission DESC LIMIT 2) END AS snapshots,
       EXISTS (SELECT 1 FROM curator_conflicts c WHERE c.application_id = a.id AND c.user_id = $3)
         OR EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = a.organization_id AND m.user_id = $3) AS conflict
  FROM applications a
 WHERE a.id = $1 AND a.assigned_org_id = $2`

// caseRow is a row of caseSQL.
type caseRow struct {
	AppID, OrgID         int64
	OrgName              string
	Status               supplier.Status
	Version, Submissions int
	SubmittedAt          *time.Time
	AssigneeID           int64
	AssigneeName         string
	CuratorOrgName       string
	// Snapshots are the two latest submissions' snapshots, newest first.
	Snapshots [][]byte
	Conflict  bool
}

// Case loads an application assigned to the actor's curator organisation.
// Any other application, and any other actor, gets database.ErrNotFound.
func (s *Store) Case(ctx context.Context, a account.Actor, appID int64) (Case, error) {
	if !isCurator(a) {
		return Case{}, database.ErrNotFound
	}
	return s.readCase(ctx, a, appID, caseSQL, appID, a.OrgID, a.UserID)
}

// dossierSQL is caseSQL for the ministry: an organisation's latest
// application that was not rejected (supplier.LatestApplicationOfSQL),
// with the name of the curator organisation it is assigned to, no conflict
// (the ministry decides nothing on it), and no snapshots (a dossier shows
// no changes).
const dossierSQL = `SELECT a.id AS app_id, a.organization_id AS org_id, o.name AS org_name, a.status, a.version,
       a.submissions, a.submitted_at, coalesce(a.assigned_user_id, 0) AS assignee_id,
       coalesce((SELECT u.name FROM users u WHERE u.id = a.assigned_user_id), '') AS assignee_name,
       coalesce((SELECT g.name FROM organizations g WHERE g.id = a.assigned_org_id), '') AS curator_org_name,
       '{}'::jsonb[] AS snapshots,
       false AS conflict
  FROM applications a
  JOIN organizations o ON o.id = a.organization_id
 WHERE a.id = ` + supplier.LatestApplicationOfSQL

// QueueDossier adds to r the statements of the dossier of organisation
// orgID's latest application that was not rejected, for a ministry admin,
// read into c once r is read; found says whether there is one (none for an
// organisation that is not a supplier). Others get database.ErrNotFound.
// The statements find the application themselves, so that the
// organisation's page reads it with the organisation, in one round trip
// (read after the application was found, it cost the page a second).
//
// A dossier is the evidence a curator reads (the profile, products,
// documents, lookups, samples and history), which the organisation's page
// shows the ministry before anyone suspends a supplier; not the curator's
// working notes (the changes since the last submission, the revisions
// asked, the signals, an identity change waiting), which that page never
// showed: reading them cost it four statements of its fourteen.
func (s *Store) QueueDossier(a account.Actor, r *database.Reads, orgID int64, c *Case, found *bool) error {
	if !a.IsMinistryAdmin() {
		return database.ErrNotFound
	}
	queueCase(r, c, caseKey{id: orgID, byOrg: true, found: found}, dossierSQL, orgID)
	return nil
}

// readCase reads an application's case in one round trip: head (caseSQL,
// with args) names the application and who may read it; what is known by
// the organisation is found through the application (its id is all the
// page has).
func (s *Store) readCase(ctx context.Context, a account.Actor, appID int64, head string, args ...any) (Case, error) {
	var c Case
	var r database.Reads
	queueCase(&r, &c, caseKey{id: appID}, head, args...)
	if err := s.db.Read(ctx, a.Scope(), &r); err != nil {
		return Case{}, fmt.Errorf("curation: case %d: %w", appID, err)
	}
	return c, nil
}

// caseKey says which application's case queueCase reads: id's, or with
// byOrg the latest of organisation id, a dossier (QueueDossier): only
// what a dossier shows, and its head may find none (found).
type caseKey struct {
	id    int64
	byOrg bool
	found *bool
}

// The statements of a case for an organisation's latest application.
var (
	caseProductsOfOrganizationSQL = ofLatestApplication(caseProductsSQL, "application_id = $1")
	samplesOfOrganizationSQL      = ofLatestApplication(samplesSQL, "application_id = $1")
	caseLookupsOfOrganizationSQL  = ofLatestApplication(caseLookupsSQL, "r.application_id = $1")
)

// ofLatestApplication is sql with the application named by its
// organisation ($1) where cond named it by its id.
func ofLatestApplication(sql, cond string) string {
	if !strings.Contains(sql, cond) {
		panic("curation: no " + cond + " in " + sql)
	}
	return strings.Replace(sql, cond, strings.TrimSuffix(cond, "$1")+supplier.LatestApplicationOfSQL, 1)
}

// queueCase adds the statements of an application's case to r, read into
// c, and the step that completes c once they are read.
func queueCase(r *database.Reads, c *Case, k caseKey, head string, args ...any) {
	var snaps [][]byte
	b := &r.Batch
	appID := k.id
	b.Queue(head, args...).Query(func(rows pgx.Rows) error {
		r, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[caseRow])
		if k.found != nil {
			*k.found = err == nil
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
		}
		if err != nil {
			return err
		}
		appID = r.AppID
		c.AppID, c.OrgID, c.OrgName, c.Status, c.Version, c.Submissions, c.SubmittedAt, c.AssigneeID, c.AssigneeName, c.Conflict =
			r.AppID, r.OrgID, r.OrgName, r.Status, r.Version, r.Submissions, r.SubmittedAt, r.AssigneeID, r.AssigneeName, r.Conflict
		c.CuratorOrgName = r.CuratorOrgName
		snaps = r.Snapshots
		return nil
	})
	// The evidence, named by the application or by its organisation.
	products, samples, lookups := caseProductsSQL, samplesSQL, caseLookupsSQL
	events, profile, documents := supplier.QueueEventsOf, supplier.QueueProfileOfApplication, supplier.QueueDocumentsOfApplication
	if k.byOrg {
		products, samples, lookups = caseProductsOfOrganizationSQL, samplesOfOrganizationSQL, caseLookupsOfOrganizationSQL
		events, profile, documents = supplier.QueueEventsOfOrganization, supplier.QueueProfileOf, supplier.QueueDocumentsOf
	}
	b.Queue(products, k.id).Query(database.Rows(&c.Products))
	events(b, k.id, &c.Events)
	b.Queue(samples, k.id).Query(database.Rows(&c.Samples))
	b.Queue(lookups, k.id).Query(database.Rows(&c.Lookups))
	profile(b, k.id, &c.Profile)
	documents(b, k.id, &c.Documents)
	if !k.byOrg {
		b.Queue(caseSignalsSQL, k.id).Query(database.Rows(&c.Signals))
		b.Queue(caseFlagsSQL, k.id).Query(database.Rows(&c.Asked))
		supplier.QueueIdentityProposalOf(b, k.id, &c.IdentityChange)
	}
	r.After(func() error {
		c.Profile.OrgID = c.OrgID
		if c.OrgName == "" {
			// A curator's case (caseSQL) is named by its profile.
			c.OrgName = c.Profile.TradingName
		}
		if len(snaps) == 2 {
			var before, after supplier.Snapshot
			if err := json.Unmarshal(snaps[1], &before); err != nil {
				return fmt.Errorf("curation: case %d: %w", appID, err)
			}
			if err := json.Unmarshal(snaps[0], &after); err != nil {
				return fmt.Errorf("curation: case %d: %w", appID, err)
			}
			c.Changes = Diff(before, after)
		}
		return nil
	})
}

const (
	// caseLookupsSQL reads the links of the application's reviews, the
	// reviews the actor may read (row-level security), the latest 20.
	caseLookupsSQL = `SELECT coalesce(r.product_type, '') AS product_type, l.value #>> '{}' AS link, r.created_at AS reviewed_at
  FROM reviews r CROSS JOIN LATERAL jsonb_each(r.links) AS l
 WHERE r.application_id = $1 AND r.links <> '{}'
 ORDER BY r.created_at DESC, r.id DESC, l.key LIMIT 20`
	caseProductsSQL = `SELECT id, product_type AS type, monthly_capacity, coalesce(lead_time_days, 0) AS lead_time_days,
       price_min, price_max, materials, material_needs, permit_number, sni_certificate, curation
  FROM application_products WHERE application_id = $1 ORDER BY id`
	caseSignalsSQL = `SELECT s.kind, s.other_organization_id AS other_org_id, coalesce(o.name, '') AS other_org_name,
       s.application_id
  FROM signals s LEFT JOIN organizations o ON o.id = s.other_organization_id
 WHERE s.application_id = $1 ORDER BY s.id`
	caseFlagsSQL = `SELECT submission, target, target_key, reason FROM application_flags
 WHERE application_id = $1 ORDER BY submission, id`
)

// Diff lists what changed between two submissions.
func Diff(before, after supplier.Snapshot) []Change {
	var out []Change
	bi, ai := before.Profile.Input(), after.Profile.Input()
	for _, f := range supplier.ProfileFields {
		if bi[f] != ai[f] {
			out = append(out, Change{Target: "field", Key: f, Before: bi[f], After: ai[f]})
		}
	}
	describe := func(p supplier.Product) string {
		return fmt.Sprintf("%d/bulan, Rp %d–%d, %s", p.MonthlyCapacity, p.PriceMin, p.PriceMax, strings.TrimSpace(p.PermitNumber))
	}
	bp := map[string]supplier.Product{}
	for _, p := range before.Products {
		bp[p.Type] = p
	}
	seen := map[string]bool{}
	for _, p := range after.Products {
		seen[p.Type] = true
		old, ok := bp[p.Type]
		switch {
		case !ok:
			out = append(out, Change{Target: "product", Key: p.Type, After: describe(p)})
		case describe(old) != describe(p) || old.Materials != p.Materials || old.LeadTimeDays != p.LeadTimeDays:
			out = append(out, Change{Target: "product", Key: p.Type, Before: describe(old), After: describe(p)})
		}
	}
	for _, p := range before.Products {
		if !seen[p.Type] {
			out = append(out, Change{Target: "product", Key: p.Type, Before: describe(p)})
		}
	}
	bd, ad := map[string]string{}, map[string]string{}
	for _, d := range before.Documents {
		bd[d.SHA256] = d.Kind + ": " + d.FileName
	}
	for _, d := range after.Documents {
		ad[d.SHA256] = d.Kind + ": " + d.FileName
	}
	var docs []Change
	for sum, name := range ad {
		if _, ok := bd[sum]; !ok {
			docs = append(docs, Change{Target: "document", Key: strings.SplitN(name, ":", 2)[0], After: name})
		}
	}
	for sum, name := range bd {
		if _, ok := ad[sum]; !ok {
			docs = append(docs, Change{Target: "document", Key: strings.SplitN(name, ":", 2)[0], Before: name})
		}
	}
	slices.SortFunc(docs, func(x, y Change) int { return strings.Compare(x.Before+x.After, y.Before+y.After) })
	return append(out, docs...)
}
