package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"pasokan/internal/account"
	"pasokan/internal/curation"
	"pasokan/internal/database"
	"pasokan/internal/i18n"
	"pasokan/internal/supplier"
	"pasokan/web/component"
	curpage "pasokan/web/page/curation"
	suppage "pasokan/web/page/supplier"
)

// A curated supplier proposes a new product, or new permits for a listed
// one, from its listing page; only that product waits for the curators,
// who decide on it on a page of its own. Capacity, lead time and prices of
// a listed product are changed on the listing at once, without curation.

// proposeFields are the proposal form's field names.
var proposeFields = []string{"product_type", "monthly_capacity", "lead_time_days", "price_min", "price_max",
	"permit_number", "sni_certificate", "materials"}

// fillProposeView adds to a listing page what proposing needs: the
// product types to choose from, the proposals waiting, and the form (f, or
// an empty one).
func (s *Server) fillProposeView(ctx context.Context, a account.Actor, v *suppage.ListingView, f *component.Form) error {
	v.ProposeForm = component.NewForm()
	if f != nil {
		v.ProposeForm = *f
	}
	if !v.HasListing || v.Listing.WithdrawnAt != nil {
		return nil
	}
	catalog, err := s.Products.Load(ctx)
	if err != nil {
		return err
	}
	listed := map[string]bool{}
	for _, p := range v.Listing.Products {
		listed[p.ProductType] = true
	}
	lang := i18n.LangFrom(ctx)
	for _, t := range catalog.All() {
		label := t.Name(lang)
		if t.PermitRequired {
			label += " — " + i18n.T(ctx, "product.permit_needed", string(t.PermitKind))
		}
		if listed[t.Code] {
			label += " — " + i18n.T(ctx, "catalog.listing.propose.listed")
		}
		v.ProductTypes = append(v.ProductTypes, component.Option{Value: t.Code, Label: label})
	}
	v.Proposals, err = s.Suppliers.MyProposals(ctx, a)
	return err
}

// proposeProduct sends a new product, or new permits for a listed one, to
// the supplier's curators.
func (s *Server) proposeProduct(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		s.renderListing(w, r, http.StatusUnprocessableEntity, listingForms{propose: &f})
	}, proposeFields...)
	if !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	in := supplier.ProductInput{ProductType: f.Value("product_type"), MonthlyCapacity: f.Value("monthly_capacity"),
		LeadTimeDays: f.Value("lead_time_days"), PriceMin: f.Value("price_min"), PriceMax: f.Value("price_max"),
		Materials: f.Value("materials"), PermitNumber: f.Value("permit_number"), SNICertificate: f.Value("sni_certificate")}
	if err := s.keepListedOffer(ctx, a, &in); err != nil {
		s.serverError(w, r, err)
		return
	}
	_, err := s.Suppliers.ProposeProduct(ctx, a, in)
	switch {
	case fieldErrors(err, &f):
		s.renderListing(w, r, http.StatusUnprocessableEntity, listingForms{propose: &f})
		return
	case errors.Is(err, supplier.ErrNotCurated):
		s.flash(ctx, "error", "flash.proposal_not_curated")
		http.Redirect(w, r, "/supplier/listing", http.StatusSeeOther)
		return
	case err != nil:
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.proposal_sent")
	http.Redirect(w, r, "/supplier/listing#proposals", http.StatusSeeOther)
}

// keepListedOffer fills the capacity, lead time and prices left blank for
// a product already listed with what the listing shows: new permits for it
// change only its permits, and its offer is kept on the listing.
func (s *Server) keepListedOffer(ctx context.Context, a account.Actor, in *supplier.ProductInput) error {
	if in.MonthlyCapacity != "" && in.PriceMin != "" && in.PriceMax != "" {
		return nil
	}
	l, err := s.Listings.Mine(ctx, a)
	if errors.Is(err, database.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, p := range l.Products {
		if p.ProductType != strings.TrimSpace(in.ProductType) {
			continue
		}
		fill := func(v *string, n int64) {
			if strings.TrimSpace(*v) == "" && n > 0 {
				*v = strconv.FormatInt(n, 10)
			}
		}
		fill(&in.MonthlyCapacity, int64(p.MonthlyCapacity))
		fill(&in.LeadTimeDays, int64(p.LeadTimeDays))
		fill(&in.PriceMin, p.PriceMin)
		fill(&in.PriceMax, p.PriceMax)
	}
	return nil
}

// productParam is the {product} of a proposal's path.
func productParam(r *http.Request) string { return chi.URLParam(r, "product") }

func (s *Server) proposalPage(w http.ResponseWriter, r *http.Request) {
	s.renderProposal(w, r, http.StatusOK, newForm(), "")
}

// renderProposal draws a proposal's page with the decision form f and an
// error (an i18n key) above it.
func (s *Server) renderProposal(w http.ResponseWriter, r *http.Request, status int, f component.Form, errKey string) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	id, ok := appIDParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	pc, err := s.Curation.Proposal(ctx, a, id, productParam(r))
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	// The business's name, and whether the curator may decide, come with
	// the application's case.
	c, err := s.Curation.Case(ctx, a, id)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	names, units, err := s.productWords(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := curpage.ProposalView{AppID: id, Name: c.Profile.TradingName, LegalName: c.Profile.LegalName, OrgName: c.OrgName,
		Conflict: c.Conflict, Case: pc, ProductNames: names, ProductUnits: units, Form: f, Error: errKey}
	for _, p := range c.Products {
		if p.Type == pc.Proposal.ProductType {
			v.Curation = p.Curation
		}
	}
	s.render(w, r, status, curpage.Proposal(v))
}

// Decisions on a proposal, as the form sends them.
const (
	proposalAccept = "accept"
	proposalRefuse = "refuse"
)

// decideProposal records a curator's decision on a proposal. Field names:
// decision (accept, refuse), reason, check_<item id>, link_<item id>.
func (s *Server) decideProposal(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	id, ok := appIDParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	product := productParam(r)
	f, ok := s.parseOpenForm(w, r)
	if !ok {
		return
	}
	d := curation.ProposalDecision{Checks: checksOf(f), Links: linksOf(f)}
	switch f.Value("decision") {
	case proposalAccept:
		d.Accept = true
	case proposalRefuse:
	default:
		if f.Errors["decision"] == "" {
			f.Errors.Add("decision", "error.choose_option")
		}
	}
	if f.Errors.Any() {
		s.renderProposal(w, r, http.StatusUnprocessableEntity, f, "")
		return
	}
	d.Reason = f.Value("reason")
	pc, err := s.Curation.Proposal(ctx, a, id, product)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	out, err := s.Curation.DecideProposal(ctx, a, id, product, d)
	if s.decisionRefused(w, r, err, f, s.renderProposal) {
		return
	}
	s.flash(ctx, "success", proposalFlash(pc.Proposal.Kind, d.Accept, out))
	http.Redirect(w, r, "/curation", http.StatusSeeOther)
}

// proposalFlash says what a decision on a proposal did.
func proposalFlash(kind string, accepted bool, out curation.ProposalOutcome) string {
	switch {
	case kind == supplier.ProposalRecheck && out.Curated:
		return "flash.recheck_passed"
	case kind == supplier.ProposalRecheck:
		return "flash.recheck_failed"
	case !accepted:
		return "flash.proposal_refused"
	case kind == supplier.ProposalPermits:
		return "flash.proposal_permits_accepted"
	case out.Curated:
		return "flash.proposal_curated"
	default:
		return "flash.proposal_not_curated_product"
	}
}
