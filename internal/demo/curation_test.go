package demo_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"pasokan/internal/curation"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/demo"
	"pasokan/internal/notify"
	"pasokan/internal/supplier"
)

func TestSeedCurationFollowsTheChecklists(t *testing.T) {
	t.Parallel()
	db, _ := seeded(t, demo.DefaultSuppliers)
	c := checkCuration(t, db)
	if c.curated != 80 {
		t.Errorf("%d curated applications checked, want 80", c.curated)
	}
	// Every kind of thing the curators do shows in the 2020 story.
	for what, n := range map[string]int{
		"curated applications with a product not curated": c.partial,
		"samples asked for":                   c.samples,
		"samples received":                    c.received,
		"samples tested pass":                 c.tested["pass"],
		"samples tested fail":                 c.tested["fail"],
		"applications in review claimed":      c.claimedInReview,
		"applications in review not claimed":  c.unclaimedInReview,
		"revision rounds":                     c.rounds,
		"rejections":                          c.rejections,
		"reviews with a weighted item failed": c.weightedFails,
		"reviews with an item not applicable": c.notApplicable,
	} {
		if n == 0 {
			t.Errorf("no %s", what)
		}
	}
	t.Logf("%d reviews, %d certificates, %d samples; %d curated with a product left out", c.reviews, c.certificates, c.samples, c.partial)

	// The portal's own code reads the certificates: curated ones stand,
	// suspended ones do not.
	store := curation.NewStore(db.App, notify.NewOutbox(db.App), slog.New(slog.DiscardHandler), "http://pasokan.test")
	for code, valid := range c.codes {
		cert, err := store.Verify(context.Background(), code)
		dbtest.Must(t, err)
		if cert.Valid != valid || len(cert.Content.Products) == 0 {
			t.Errorf("verify %s: valid %v, want %v; %+v", code, cert.Valid, valid, cert.Content)
		}
	}
}

// curationCheck counts what checkCuration saw.
type curationCheck struct {
	curated, partial, reviews, certificates, rounds, rejections int
	samples, received                                           int
	tested                                                      map[string]int
	claimedInReview, unclaimedInReview                          int
	weightedFails, notApplicable                                int
	// codes are the certificates' codes, with whether each should stand.
	codes map[string]bool
}

var certificateCode = regexp.MustCompile(`^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{4}-[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{4}-[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{4}$`)

// checkCuration checks that the seeded curation is what curation.Decide
// and its neighbours would have written: the reviews of every decision in
// the checklist versions in force on its day, answered in line with the
// decision and scored by Checklist.Evaluate; the outcome per product and
// the certificates of the curated; the assignment rule; samples and claims
// with their events.
func checkCuration(t *testing.T, db *dbtest.DB) curationCheck {
	t.Helper()
	ctx := context.Background()
	jakarta := time.FixedZone("WIB", 7*60*60) // Asia/Jakarta in 2020
	// A review uses the checklist in force on the story's own day, before
	// the seed moved it into the present.
	days := daysMoved(t, db)
	lists := curation.NewChecklists(db.App)
	partner := int64(one(t, db, `SELECT id FROM organizations WHERE name = $1`, demo.Accounts[1].Org))
	curator := int64(one(t, db, `SELECT id FROM users WHERE email = 'kurator@pasokan.test'`))
	out := curationCheck{tested: map[string]int{}, codes: map[string]bool{}}

	// One rule sends everything to the partner; a story larger than 2020's
	// adds one per province of each regional curation body, which wins.
	if n := one(t, db, `SELECT count(*) FROM assignment_rules WHERE curator_org_id = $1 AND category IS NULL AND province_code IS NULL`, partner); n != 1 ||
		one(t, db, `SELECT count(*) FROM assignment_rules WHERE curator_org_id <> $1 AND (province_code IS NULL OR priority <= 0)`, partner) != 0 {
		t.Errorf("assignment rules: %d for everything to the partner, want the one rule and regional ones by province", n)
	}
	// The lead of each curation body: who decides its applications.
	leads := map[int64]int64{partner: curator}
	names := counts(t, db, `SELECT name, id FROM organizations WHERE kind = 'curator'`)
	nameOf := map[int64]string{}
	for name, id := range names {
		nameOf[int64(id)] = name
	}
	each(t, db, `SELECT m.organization_id, m.user_id FROM memberships m JOIN organizations o ON o.id = m.organization_id
 WHERE o.kind = 'curator' AND m.role = 'lead' AND o.id <> $1`, func(r struct{ OrganizationID, UserID int64 }) error {
		leads[r.OrganizationID] = r.UserID
		return nil
	}, partner)

	type ev struct {
		action, reason, detail string
		actorUser              *int64
		at                     time.Time
	}
	type product struct {
		typ, curation, permit string
	}
	type rev struct {
		submission int
		product    string
		checklist  int64
		answers    map[string]curation.Answer
		score      int
		passed     bool
		decision   string
		notes      string
		at         time.Time
		curatorOrg int64
		curator    int64
	}
	type cert struct {
		code, reason string
		submission   int
		content      curation.CertificateContent
		issued       time.Time
		revoked      *time.Time
	}
	type app struct {
		id           int64
		status       supplier.Status
		submissions  int
		assignee     int64
		curatorOrg   int64
		legal, trade string
		nib          string
		prov, reg    string
		events       []ev
		products     []product
		reviews      []rev
		certs        []cert
		flags        map[int][][2]string // by submission: target, key
		flagReasons  map[int][]string
	}
	apps := map[int64]*app{}
	var order []int64
	each(t, db, `SELECT a.id, a.status, a.submissions, coalesce(a.assigned_user_id, 0) AS assigned_user_id,
       coalesce(a.assigned_org_id, 0) AS assigned_org_id, p.legal_name, p.trading_name, p.nib, p.province_code, p.regency_code
  FROM applications a JOIN supplier_profiles p ON p.organization_id = a.organization_id ORDER BY a.id`, func(r struct {
		ID                                                     int64
		Status                                                 supplier.Status
		Submissions                                            int
		AssignedUserID, AssignedOrgID                          int64
		LegalName, TradingName, NIB, ProvinceCode, RegencyCode string
	}) error {
		a := &app{id: r.ID, status: r.Status, submissions: r.Submissions, assignee: r.AssignedUserID, curatorOrg: r.AssignedOrgID,
			legal: r.LegalName, trade: r.TradingName, nib: r.NIB, prov: r.ProvinceCode, reg: r.RegencyCode,
			flags: map[int][][2]string{}, flagReasons: map[int][]string{}}
		apps[a.id] = a
		order = append(order, a.id)
		return nil
	})
	each(t, db, `SELECT application_id, action, reason, detail::text AS detail, actor_user_id, occurred_at
  FROM application_events ORDER BY id`, func(r struct {
		ApplicationID          int64
		Action, Reason, Detail string
		ActorUserID            *int64
		OccurredAt             time.Time
	}) error {
		apps[r.ApplicationID].events = append(apps[r.ApplicationID].events,
			ev{action: r.Action, reason: r.Reason, detail: r.Detail, actorUser: r.ActorUserID, at: r.OccurredAt})
		return nil
	})
	each(t, db, `SELECT application_id, product_type, curation, permit_number FROM application_products ORDER BY id`, func(r struct {
		ApplicationID                       int64
		ProductType, Curation, PermitNumber string
	}) error {
		apps[r.ApplicationID].products = append(apps[r.ApplicationID].products,
			product{typ: r.ProductType, curation: r.Curation, permit: r.PermitNumber})
		return nil
	})
	each(t, db, `SELECT application_id, submission, coalesce(product_type, '') AS product_type, checklist_id, answers, score,
       passed, decision, notes, created_at, curator_org_id, coalesce(curator_user_id, 0) AS curator_user_id
  FROM reviews ORDER BY id`, func(r struct {
		ApplicationID               int64
		Submission                  int
		ProductType                 string
		ChecklistID                 int64
		Answers                     []byte
		Score                       int
		Passed                      bool
		Decision, Notes             string
		CreatedAt                   time.Time
		CuratorOrgID, CuratorUserID int64
	}) error {
		v := rev{submission: r.Submission, product: r.ProductType, checklist: r.ChecklistID, score: r.Score, passed: r.Passed,
			decision: r.Decision, notes: r.Notes, at: r.CreatedAt, curatorOrg: r.CuratorOrgID, curator: r.CuratorUserID}
		out.reviews++
		if err := json.Unmarshal(r.Answers, &v.answers); err != nil {
			return err
		}
		apps[r.ApplicationID].reviews = append(apps[r.ApplicationID].reviews, v)
		return nil
	})
	each(t, db, `SELECT application_id, code, submission, content, issued_at, revoked_at, revoked_reason FROM certificates ORDER BY id`, func(r struct {
		ApplicationID int64
		Code          string
		Submission    int
		Content       []byte
		IssuedAt      time.Time
		RevokedAt     *time.Time
		RevokedReason string
	}) error {
		c := cert{code: r.Code, submission: r.Submission, issued: r.IssuedAt, revoked: r.RevokedAt, reason: r.RevokedReason}
		out.certificates++
		if err := json.Unmarshal(r.Content, &c.content); err != nil {
			return err
		}
		apps[r.ApplicationID].certs = append(apps[r.ApplicationID].certs, c)
		return nil
	})
	each(t, db, `SELECT application_id, submission, target, target_key, reason FROM application_flags ORDER BY id`, func(r struct {
		ApplicationID             int64
		Submission                int
		Target, TargetKey, Reason string
	}) error {
		a := apps[r.ApplicationID]
		a.flags[r.Submission] = append(a.flags[r.Submission], [2]string{r.Target, r.TargetKey})
		a.flagReasons[r.Submission] = append(a.flagReasons[r.Submission], r.Reason)
		return nil
	})

	checklist := func(id int64) curation.Checklist {
		cl, err := lists.Get(ctx, id)
		dbtest.Must(t, err)
		return cl
	}
	// gates returns the answers to cl's gates that are not pass.
	gatesNotPassed := func(cl curation.Checklist, answers map[string]curation.Answer) []string {
		var out []string
		for _, it := range cl.Items {
			if it.Gate && answers[it.Key] != curation.AnswerPass {
				out = append(out, it.Key)
			}
		}
		return out
	}
	failed := func(answers map[string]curation.Answer, key string) bool { return answers[key] == curation.AnswerFail }

	for _, id := range order {
		a := apps[id]
		// Every stored review is what Evaluate makes of its answers, on
		// the checklist in force on its day of the story, by the demo
		// curator.
		for _, v := range a.reviews {
			cl := checklist(v.checklist)
			inForce, err := lists.InForce(ctx, v.product, v.at.AddDate(0, 0, -days).In(jakarta))
			dbtest.Must(t, err)
			if cl.ProductType != v.product || inForce.ID != v.checklist {
				t.Errorf("application %d: review of %q on %s uses checklist %d (%q v%d), in force %d", a.id, v.product,
					v.at.In(jakarta).Format(time.DateOnly), v.checklist, cl.ProductType, cl.Version, inForce.ID)
			}
			res, errs := cl.Evaluate(v.answers)
			if errs.Any() || len(v.answers) != len(cl.Items) {
				t.Errorf("application %d: review of %q: answers %v do not fill checklist %d: %v", a.id, v.product, v.answers, cl.ID, errs)
			}
			if res.Score != v.score || res.Passed != v.passed {
				t.Errorf("application %d: review of %q stores score %d passed %v, Evaluate gives %d %v", a.id, v.product,
					v.score, v.passed, res.Score, res.Passed)
			}
			if v.curatorOrg != a.curatorOrg || v.curator != leads[a.curatorOrg] {
				t.Errorf("application %d: review by %d of %d", a.id, v.curator, v.curatorOrg)
			}
			for k, ans := range v.answers {
				if it, _ := cl.Item(k); !it.Gate && ans == curation.AnswerFail {
					out.weightedFails++
				}
				if ans == curation.AnswerNA {
					out.notApplicable++
				}
			}
		}

		// The decisions on the path and their reviews: a general one and
		// one per product each time.
		subs, matched := 0, 0
		var curatedAt, suspendedAt *time.Time
		assigned, claims := 0, 0
		for k, e := range a.events {
			var decision string
			switch e.action {
			case "application.submitted", "application.resubmitted":
				subs++
				continue
			case "application.assigned":
				assigned++
				if e.actorUser != nil || e.detail != `{"curator_org": `+itoa(a.curatorOrg)+`}` || subs != 1 {
					t.Errorf("application %d: assignment %+v", a.id, e)
				}
				continue
			case "application.claimed":
				claims++
				if k+1 >= len(a.events) || a.events[k+1].action != "application.review_started" || !a.events[k+1].at.Equal(e.at) {
					t.Errorf("application %d: a claim not with the start of a review", a.id)
				}
				continue
			case "application.suspended":
				at := e.at
				suspendedAt = &at
				continue
			case "application.revision_requested":
				decision = curation.DecisionRevise
			case "application.rejected":
				decision = curation.DecisionReject
			case "application.curated":
				decision = curation.DecisionCurate
				at := e.at
				curatedAt = &at
			default:
				continue
			}
			var these []rev
			for _, v := range a.reviews {
				if v.at.Equal(e.at) {
					these = append(these, v)
				}
			}
			matched += len(these)
			var types []string
			for _, p := range a.products {
				types = append(types, p.typ)
			}
			var got []string
			var general *rev
			for j, v := range these {
				if v.decision != decision || v.submission != subs || v.notes != e.reason {
					t.Errorf("application %d: %s review at %s: decision %s, submission %d (want %d), notes %q (want %q)",
						a.id, decision, e.at, v.decision, v.submission, subs, v.notes, e.reason)
				}
				if v.product == "" {
					general = &these[j]
				} else {
					got = append(got, v.product)
				}
			}
			if general == nil || !slices.Equal(got, types) {
				t.Errorf("application %d: %s at %s has reviews of %v (general %v), want %v", a.id, decision, e.at, got, general != nil, types)
				continue
			}
			if e.detail != `{"reviews": `+itoa(int64(len(these)))+`}` {
				t.Errorf("application %d: %s event's detail %s, %d reviews", a.id, e.action, e.detail, len(these))
			}
			switch decision {
			case curation.DecisionCurate:
				if g := gatesNotPassed(checklist(general.checklist), general.answers); len(g) > 0 || !general.passed {
					t.Errorf("application %d: curated with the general gates %v not passed", a.id, g)
				}
				curatedOne := false
				for _, v := range these {
					if v.product == "" {
						continue
					}
					var outcome string
					for _, p := range a.products {
						if p.typ == v.product {
							outcome = p.curation
						}
					}
					g := gatesNotPassed(checklist(v.checklist), v.answers)
					if (outcome == "curated") != (len(g) == 0 && v.passed) || (outcome != "curated" && outcome != "not_curated") {
						t.Errorf("application %d: product %s is %q with gates %v not passed, passed %v", a.id, v.product, outcome, g, v.passed)
					}
					curatedOne = curatedOne || outcome == "curated"
				}
				if !curatedOne {
					t.Errorf("application %d: curated without a curated product", a.id)
				}
			case curation.DecisionReject:
				out.rejections++
				var g []string
				for _, v := range these {
					g = append(g, gatesNotPassed(checklist(v.checklist), v.answers)...)
				}
				if len(g) == 0 || e.reason == "" {
					t.Errorf("application %d: rejected (%q) with no gate failing", a.id, e.reason)
				}
			case curation.DecisionRevise:
				out.rounds++
				flags := a.flags[subs]
				if len(flags) == 0 {
					t.Errorf("application %d: revision of submission %d flags nothing", a.id, subs)
				}
				for fi, f := range flags {
					var ok bool
					switch {
					case f == [2]string{"field", "address"}:
						ok = failed(general.answers, "nib_valid")
					case f == [2]string{"field", "workforce"}:
						ok = failed(general.answers, "capacity_credible")
					case f == [2]string{"document", "photo"}:
						ok = failed(general.answers, "sample_photo_dated")
					case f[0] == "product":
						// Capacity is the applicant's; a permit the product's; a price no checklist's.
						ok = failed(general.answers, "capacity_credible") || strings.Contains(a.flagReasons[subs][fi], "arga")
						for _, v := range these {
							if v.product == f[1] {
								ok = ok || len(gatesNotPassed(checklist(v.checklist), v.answers)) > 0
							}
						}
					}
					if !ok {
						t.Errorf("application %d: flag %v of submission %d: no failing item in %v", a.id, f, subs, these)
					}
				}
			}
		}
		if matched != len(a.reviews) {
			t.Errorf("application %d: %d reviews, %d at its decisions", a.id, len(a.reviews), matched)
		}
		if (a.status == supplier.StatusDraft) != (assigned == 0) || assigned > 1 {
			t.Errorf("application %d (%s): %d assignment events", a.id, a.status, assigned)
		}
		if lead := leads[a.curatorOrg]; (claims > 0) != (a.assignee == lead && lead != 0) || (a.assignee != 0 && a.assignee != lead) {
			t.Errorf("application %d (%s): %d claims, assignee %d", a.id, a.status, claims, a.assignee)
		}
		if a.status == supplier.StatusInReview {
			if claims > 0 {
				out.claimedInReview++
			} else {
				out.unclaimedInReview++
			}
		}

		// The outcome per product and the certificates.
		curatedStatus := a.status == supplier.StatusCurated || a.status == supplier.StatusSuspended
		var curatedTypes []string
		for _, p := range a.products {
			if curatedStatus != (p.curation != "") {
				t.Errorf("application %d (%s): product %s curation %q", a.id, a.status, p.typ, p.curation)
			}
			if p.curation == "curated" {
				curatedTypes = append(curatedTypes, p.typ)
			}
		}
		if !curatedStatus {
			if len(a.certs) > 0 {
				t.Errorf("application %d (%s) holds a certificate", a.id, a.status)
			}
			continue
		}
		if a.status == supplier.StatusCurated {
			out.curated++
		}
		if len(curatedTypes) < len(a.products) {
			out.partial++
		}
		var standing []cert
		for _, c := range a.certs {
			if c.revoked == nil {
				standing = append(standing, c)
			} else if a.status != supplier.StatusSuspended || c.reason != "suspended" || suspendedAt == nil || !c.revoked.Equal(*suspendedAt) {
				t.Errorf("application %d (%s): certificate %s revoked %v (%q)", a.id, a.status, c.code, c.revoked, c.reason)
			}
			out.codes[c.code] = c.revoked == nil
		}
		if a.status == supplier.StatusCurated && len(standing) != 1 || a.status == supplier.StatusSuspended && (len(standing) != 0 || len(a.certs) == 0) {
			t.Errorf("application %d (%s): %d certificates, %d standing", a.id, a.status, len(a.certs), len(standing))
		}
		for _, c := range a.certs {
			if !certificateCode.MatchString(c.code) {
				t.Errorf("application %d: certificate code %q", a.id, c.code)
			}
			if curatedAt == nil || !c.issued.Equal(*curatedAt) || c.submission != a.submissions {
				t.Errorf("application %d: certificate issued %s for submission %d; curated %v, %d submissions", a.id, c.issued, c.submission, curatedAt, a.submissions)
			}
			cc := c.content
			if cc.SupplierName != a.legal || cc.TradingName != a.trade || cc.NIB != a.nib || cc.ProvinceCode != a.prov ||
				cc.RegencyCode != a.reg || cc.CuratorName != nameOf[a.curatorOrg] || curatedAt == nil || !cc.DecidedOn.Equal(*curatedAt) {
				t.Errorf("application %d: certificate says %+v", a.id, cc)
			}
			var lines []string
			for _, l := range cc.Products {
				lines = append(lines, l.ProductType)
				for _, v := range a.reviews {
					if v.product != l.ProductType || !v.at.Equal(c.issued) {
						continue
					}
					cl := checklist(v.checklist)
					var codes []string
					for _, s := range cl.Standards() {
						codes = append(codes, s.Code)
					}
					if l.ChecklistVersion != cl.Version || !slices.Equal(l.Standards, codes) {
						t.Errorf("application %d: certificate line %+v, checklist v%d on %v", a.id, l, cl.Version, codes)
					}
				}
			}
			if !slices.Equal(lines, curatedTypes) {
				t.Errorf("application %d: certificate lists %v, curated products %v", a.id, lines, curatedTypes)
			}
			for _, v := range a.reviews {
				if v.product == "" && v.at.Equal(c.issued) && checklist(v.checklist).Version != cc.GeneralVersion {
					t.Errorf("application %d: certificate's general version %d", a.id, cc.GeneralVersion)
				}
			}
		}
	}
	if n := len(out.codes); n != out.certificates {
		t.Errorf("%d certificates, %d codes", out.certificates, n)
	}
	if out.partial == 0 || out.partial*100 > out.curated*20 {
		t.Errorf("%d of %d curated have a product not curated; want a few", out.partial, out.curated)
	}

	// Samples, asked for by the demo curator on applications in review or
	// curated, with their events.
	type sampleRow struct {
		ID, ApplicationID         int64
		Status                    supplier.Status
		ProductType               string
		RequestedBy, CuratorOrgID int64
		RequestedAt               time.Time
		ReceivedAt, TestedAt      *time.Time
		Result                    string
		Products                  int
		Requests, Receipts, Tests int
		SampleEvents              int
		CuratedAt                 *time.Time
	}
	each(t, db, `SELECT s.id, s.application_id, a.status, coalesce(s.product_type, '') AS product_type, s.requested_by,
       s.curator_org_id, s.requested_at, s.received_at, s.tested_at, s.result,
       (SELECT count(*) FROM application_products p WHERE p.application_id = s.application_id AND p.product_type = s.product_type) AS products,
       (SELECT count(*) FROM application_events e WHERE e.application_id = s.application_id AND e.action = 'application.sample_requested'
           AND e.occurred_at = s.requested_at AND e.detail->>'product_type' = s.product_type) AS requests,
       (SELECT count(*) FROM application_events e WHERE e.application_id = s.application_id AND e.action = 'application.sample_received'
           AND e.occurred_at = s.received_at AND (e.detail->>'sample')::bigint = s.id) AS receipts,
       (SELECT count(*) FROM application_events e WHERE e.application_id = s.application_id AND e.action = 'application.sample_tested'
           AND e.occurred_at = s.tested_at AND (e.detail->>'sample')::bigint = s.id AND e.detail->>'result' = s.result) AS tests,
       (SELECT count(*) FROM application_events e WHERE e.application_id = s.application_id AND e.action LIKE 'application.sample_%') AS sample_events,
       (SELECT max(e.occurred_at) FROM application_events e WHERE e.application_id = s.application_id AND e.action = 'application.curated') AS curated_at
  FROM samples s JOIN applications a ON a.id = s.application_id`, func(r sampleRow) error {
		var (
			id, app, by, org               = r.ID, r.ApplicationID, r.RequestedBy, r.CuratorOrgID
			status, typ, result            = r.Status, r.ProductType, r.Result
			received, tested, curatedAt    = r.ReceivedAt, r.TestedAt, r.CuratedAt
			isProduct, req, rec, tst, evts = r.Products, r.Requests, r.Receipts, r.Tests, r.SampleEvents
		)
		out.samples++
		if received != nil {
			out.received++
		}
		if tested != nil {
			out.tested[result]++
		}
		want := 1
		switch {
		case status != supplier.StatusInReview && status != supplier.StatusCurated && status != supplier.StatusSuspended:
			t.Errorf("sample %d on a %s application", id, status)
		case by != leads[org] || org != apps[app].curatorOrg || isProduct != 1 || req != 1:
			t.Errorf("sample %d of %q by %d of %d: %d products, %d request events", id, typ, by, org, isProduct, req)
		case (tested != nil) != (result != "") || (tested != nil && received == nil):
			t.Errorf("sample %d: received %v, tested %v, result %q", id, received, tested, result)
		case curatedAt != nil && (tested == nil || !tested.Before(*curatedAt)):
			t.Errorf("sample %d: tested %v, curated %v", id, tested, curatedAt)
		}
		if received != nil {
			want++
			if rec != 1 {
				t.Errorf("sample %d: %d receipt events", id, rec)
			}
		}
		if tested != nil {
			want++
			if tst != 1 {
				t.Errorf("sample %d: %d test events", id, tst)
			}
		}
		if evts != want {
			t.Errorf("sample %d: %d sample events, want %d", id, evts, want)
		}
		return nil
	})
	if n := one(t, db, `SELECT count(*) FROM application_events WHERE action LIKE 'application.sample_%'`); n != out.samples+out.received+out.tested["pass"]+out.tested["fail"] {
		t.Errorf("%d sample events for %d samples", n, out.samples)
	}
	return out
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
