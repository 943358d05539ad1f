package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"pasokan/internal/account"
	"pasokan/internal/curation"
)

// The curators' side of the story, as curation.Decide writes it: for every
// decision (each revision round, each rejection, each curation) a review of
// the general checklist and one per product, in the versions in force on
// the decision's day, answered in line with the decision and scored by
// curation's own Checklist.Evaluate; for each curation the products'
// outcomes and a certificate.

// jakarta is the time zone a decision is dated in: Asia/Jakarta, which was
// UTC+7 throughout 2020 (the story's WIB).
var jakarta = wib

// listInfo is a checklist in force with what the seed looks up in it.
type listInfo struct {
	cl curation.Checklist
	// standards are the codes of the standards its items rest on.
	standards []string
	// permitGate is the gate that asks for the product's permit number,
	// "" when none does; permitItem the gate on the permit (that one, or
	// one a declaration can pass too), what a flag on the permit fails;
	// qualityGate the first gate about the product itself, the one a
	// failed sample fails.
	permitGate, permitItem, qualityGate string
}

// checklists answers which checklist was in force for a product type on a
// day, through curation.Checklists.InForce, keeping each answer: the story
// asks for a few checklists on a few dozen days, hundreds of thousands of
// times at national scale.
type checklists struct {
	ctx context.Context
	src *curation.Checklists
	// cal maps a moved day back to the story's: the checklists are those
	// of the story's own days (see calendar).
	cal calendar

	mu    sync.Mutex
	cache map[listKey]*listInfo
	err   error
}

type listKey struct {
	productType string
	day         string
}

func newChecklists(ctx context.Context, src *curation.Checklists, cal calendar) (*checklists, error) {
	// Read them now, outside the seed's transaction.
	if _, err := src.All(ctx); err != nil {
		return nil, err
	}
	return &checklists{ctx: ctx, src: src, cal: cal, cache: map[listKey]*listInfo{}}, nil
}

// get returns the checklist for productType ("" the general one) in force
// on the story's day of the moved moment on, in Asia/Jakarta. A missing
// checklist is kept as the error err and answered with an empty one.
func (c *checklists) get(productType string, on time.Time) *listInfo {
	on = c.cal.story(on).In(jakarta)
	k := listKey{productType, on.Format(time.DateOnly)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if li, ok := c.cache[k]; ok {
		return li
	}
	cl, err := c.src.InForce(c.ctx, productType, on)
	if err != nil && c.err == nil {
		c.err = fmt.Errorf("demo: %w", err)
	}
	li := &listInfo{cl: cl}
	for _, s := range cl.Standards() {
		li.standards = append(li.standards, s.Code)
	}
	for _, it := range cl.Items {
		if it.Gate && strings.HasPrefix(it.Key, "permit_") && li.permitItem == "" {
			li.permitItem = it.Key
		}
		switch {
		case !it.Gate:
		case needsPermitNumber(it.Key):
			if li.permitGate == "" {
				li.permitGate = it.Key
			}
		case !strings.HasPrefix(it.Key, "permit_"):
			if li.qualityGate == "" {
				li.qualityGate = it.Key
			}
		}
	}
	c.cache[k] = li
	return li
}

// failingGate is the gate a product's failure fails: its quality gate, or
// its permit's when it has no other.
func (li *listInfo) failingGate() string {
	if li.qualityGate != "" {
		return li.qualityGate
	}
	return li.permitItem
}

// needsPermitNumber reports whether a gate asks for the product's izin edar
// number: permit_akd and permit_pkd do; permit_akd_or_non_medical is
// passed by a written declaration of non-medical use instead.
func needsPermitNumber(key string) bool {
	return strings.HasPrefix(key, "permit_") && !strings.Contains(key, "_or_")
}

// review is one row of reviews.
type review struct {
	at          time.Time
	submission  int
	product     string // "" for the general checklist
	checklistID int64
	answers     string // JSON
	score       int
	passed      bool
	decision    string
	notes       string
}

// certificate is one row of certificates.
type certificate struct {
	code       string
	submission int
	content    string // JSON of curation.CertificateContent
	issued     time.Time
	revoked    *time.Time
	reason     string
}

// curatorOrgName is the demo curation partner's name, as certificates
// print it.
var curatorOrgName = func() string {
	for _, a := range Accounts {
		if a.Kind == account.KindCurator {
			return a.Org
		}
	}
	return ""
}()

// codeAlphabet is curation's alphabet of certificate codes: no 0/O, 1/I/L.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// certificateCode draws a code of the form XXXX-XXXX-XXXX never drawn
// before in this story.
func (g *generator) certificateCode() string {
	b := make([]byte, 14)
	for {
		for i := range b {
			if i == 4 || i == 9 {
				b[i] = '-'
				continue
			}
			b[i] = codeAlphabet[g.cr.IntN(len(codeAlphabet))]
		}
		if c := string(b); !g.codes[c] {
			g.codes[c] = true
			return c
		}
	}
}

// How the curators answer weighted items that nothing in the story
// decides, in percent: a curation has a few failing or not applicable, a
// rejection more failing.
var (
	curatedNoise  = noise{fail: 8, na: 5}
	rejectedNoise = noise{fail: 20, na: 5}
)

type noise struct{ fail, na int }

// alternatives are items of which a product is tested against one: a
// face shield's impact test is EN 166 or ANSI Z87.1.
var alternatives = [][2]string{{"impact_en166", "impact_z87"}}

// physicalSample is the general item on the sample the curator asked for.
const physicalSample = "physical_sample"

// answer fills in a checklist: the items in fail fail, physical_sample
// follows the sample (na without one), gates pass, weighted items pass
// or, by n, fail or do not apply.
func (g *generator) answer(li *listInfo, fail map[string]bool, sampleResult string, n noise) map[string]curation.Answer {
	out := make(map[string]curation.Answer, len(li.cl.Items))
	for _, it := range li.cl.Items {
		switch {
		case fail[it.Key]:
			out[it.Key] = curation.AnswerFail
		case it.Key == physicalSample:
			out[it.Key] = curation.AnswerNA
			if sampleResult != "" {
				out[it.Key] = curation.Answer(sampleResult)
			}
		case it.Gate:
			out[it.Key] = curation.AnswerPass
		default:
			out[it.Key] = curation.AnswerPass
			switch x := g.cr.IntN(100); {
			case x < n.fail:
				out[it.Key] = curation.AnswerFail
			case x < n.fail+n.na:
				out[it.Key] = curation.AnswerNA
			}
		}
	}
	for _, alt := range alternatives {
		a, okA := out[alt[0]]
		b, okB := out[alt[1]]
		if !okA || !okB || a == curation.AnswerNA || b == curation.AnswerNA {
			continue
		}
		k := alt[g.cr.IntN(2)]
		if !fail[k] {
			out[k] = curation.AnswerNA
		}
	}
	return out
}

// curate writes the curators' reviews of every decision on s's path, and
// for a curation its per-product outcome and its certificate (revoked when
// the supplier was suspended later).
func (g *generator) curate(s *supplierData) {
	p := &s.path
	subs := 0
	for i := range p.events {
		e := &p.events[i]
		var decision string
		switch e.action {
		case "application.submitted", "application.resubmitted":
			subs++
			continue
		case "application.revision_requested":
			decision = curation.DecisionRevise
		case "application.rejected":
			decision = curation.DecisionReject
		case "application.curated":
			decision = curation.DecisionCurate
		case "application.suspended":
			if s.cert != nil {
				at := e.at
				s.cert.revoked, s.cert.reason = &at, "suspended"
			}
			continue
		default:
			continue
		}
		n := g.decide(s, e, subs, decision)
		e.detail = fmt.Sprintf(`{"reviews": %d}`, n)
	}
}

// decide writes the reviews of the decision of event e on submission sub
// and returns how many.
func (g *generator) decide(s *supplierData, e *event, sub int, decision string) int {
	products := s.snapshots[sub-1].products
	general := g.lists.get("", e.at)
	lists := make([]*listInfo, len(products))
	fails := make([]map[string]bool, len(products)+1) // [0] general, [1+j] product j
	for j, pr := range products {
		lists[j] = g.lists.get(pr.Type, e.at)
		fails[j+1] = map[string]bool{}
		// Without its permit number a product fails the permit gate.
		if pg := lists[j].permitGate; pg != "" && pr.PermitNumber == "" {
			fails[j+1][pg] = true
		}
	}
	fails[0] = map[string]bool{}
	var n noise
	sampleResult := ""
	if sm := s.path.sample; sm != nil && sm.tested != nil && sm.tested.Before(e.at) {
		sampleResult = sm.result
	}
	switch decision {
	case curation.DecisionRevise:
		// What the curators flagged fails; everything else passes.
		for _, rd := range s.path.rounds {
			if rd.submission != sub {
				continue
			}
			for _, f := range rd.flaws {
				switch f.what {
				case "address":
					fails[0]["nib_valid"] = true // the NIB's address does not match
				case "workforce", "capacity":
					fails[0]["capacity_credible"] = true
				case "photo":
					fails[0]["sample_photo_dated"] = true
				case "permit":
					if pg := lists[f.product].permitItem; pg != "" {
						fails[f.product+1][pg] = true
					}
				}
				// A price is no checklist item: the flag alone says it.
			}
		}
	case curation.DecisionReject:
		n = rejectedNoise
		rej, i, li := s.rejection, 0, general
		if !rej.general {
			i, li = 1, lists[0]
		}
		gate := rej.gate
		if it, ok := li.cl.Item(gate); !ok || !it.Gate {
			gate = li.failingGate() // another version of the checklist
		}
		fails[i][gate] = true
		for _, k := range rej.also {
			fails[i][k] = true
		}
	case curation.DecisionCurate:
		n = curatedNoise
		if sm := s.path.sample; sampleResult == "fail" {
			for j, pr := range products {
				if pr.Type == sm.product {
					fails[j+1][lists[j].failingGate()] = true
				}
			}
		}
	}

	var curated []curation.CertificateLine
	gatesFailed := false
	write := func(product string, li *listInfo, fail map[string]bool) curation.Result {
		answers := g.answer(li, fail, sampleResult, n)
		res, errs := li.cl.Evaluate(answers)
		if errs.Any() {
			g.lists.fail(fmt.Errorf("demo: answers to checklist %d of %s: %v", li.cl.ID, s.email, errs))
		}
		b, err := json.Marshal(answers)
		if err != nil {
			g.lists.fail(err)
		}
		gatesFailed = gatesFailed || !res.GatesPassed
		s.reviews = append(s.reviews, review{at: e.at, submission: sub, product: product, checklistID: li.cl.ID,
			answers: string(b), score: res.Score, passed: res.Passed, decision: decision, notes: e.reason})
		return res
	}
	gen := write("", general, fails[0])
	for j, pr := range products {
		res := write(pr.Type, lists[j], fails[j+1])
		if decision != curation.DecisionCurate {
			continue
		}
		if s.curation == nil {
			s.curation = map[string]string{}
		}
		s.curation[pr.Type] = "not_curated"
		if res.Passed {
			s.curation[pr.Type] = "curated"
			curated = append(curated, curation.CertificateLine{ProductType: pr.Type, ChecklistVersion: lists[j].cl.Version,
				Standards: lists[j].standards})
		}
	}
	switch decision {
	case curation.DecisionCurate:
		// As curation.Decide insists: the applicant passes, and a product.
		if !gen.Passed || len(curated) == 0 {
			g.lists.fail(fmt.Errorf("demo: curation of %s does not pass its checklists", s.email))
		}
		g.certify(s, e, sub, general, curated)
	case curation.DecisionReject:
		if !gatesFailed {
			g.lists.fail(fmt.Errorf("demo: rejection of %s fails no gate", s.email))
		}
	}
	return len(products) + 1
}

// certify issues the certificate of a curation, as curation's
// issueCertificate does.
func (g *generator) certify(s *supplierData, e *event, sub int, general *listInfo, lines []curation.CertificateLine) {
	p := s.profile
	content := curation.CertificateContent{SupplierName: p.LegalName, TradingName: p.TradingName, NIB: p.NIB,
		ProvinceCode: p.ProvinceCode, RegencyCode: p.RegencyCode, CuratorName: curatorName(curatorIndex(g.plan.n, p.ProvinceCode)),
		GeneralVersion: general.cl.Version, Products: lines, DecidedOn: e.at.In(jakarta).Truncate(time.Microsecond)}
	b, err := json.Marshal(content)
	if err != nil {
		g.lists.fail(err)
	}
	s.cert = &certificate{code: g.certificateCode(), submission: sub, content: string(b), issued: e.at}
}

// fail keeps the first error of the story's curation.
func (c *checklists) fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil {
		c.err = err
	}
}

// failed returns the first error, if any.
func (c *checklists) failed() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}
