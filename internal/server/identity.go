package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"pasokan/internal/curation"
	"pasokan/internal/supplier"
	"pasokan/web/component"
	curpage "pasokan/web/page/curation"
	suppage "pasokan/web/page/supplier"
)

// A curated supplier's legal name, NIB and NPWP change only with its
// curators' approval: the supplier proposes a change on a page of its own,
// linked from the listing and the profile (GET/POST
// /supplier/listing/identity), and the curators accept or refuse it on
// theirs (GET/POST /curation/applications/{id}/identity). The listing
// stays in the catalogue, unchanged, until they accept.

// identityPage shows the identity in force, the change waiting, the last
// decision, and the form.
func (s *Server) identityPage(w http.ResponseWriter, r *http.Request) {
	s.renderIdentity(w, r, http.StatusOK, nil)
}

// renderIdentity draws the identity page with the form f (nil: the change
// waiting, or else the identity in force).
func (s *Server) renderIdentity(w http.ResponseWriter, r *http.Request, status int, f *component.Form) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	st, err := s.Suppliers.MyIdentity(ctx, a)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := suppage.IdentityView{State: st, Form: newForm()}
	v.Form.Values = st.Current.Input()
	if st.Waiting != nil {
		v.Form.Values = st.Waiting.Input()
	}
	if f != nil {
		v.Form = *f
	}
	s.render(w, r, status, suppage.Identity(v))
}

// proposeIdentity sends a new legal name, NIB and NPWP to the supplier's
// curators. Field names: legal_name, nib, npwp (the profile's).
func (s *Server) proposeIdentity(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		s.renderIdentity(w, r, http.StatusUnprocessableEntity, &f)
	}, supplier.IdentityFields...)
	if !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	_, err := s.Suppliers.ProposeIdentity(ctx, a, supplier.IdentityInput{LegalName: f.Value("legal_name"),
		NIB: f.Value("nib"), NPWP: f.Value("npwp")})
	switch {
	case fieldErrors(err, &f):
		s.renderIdentity(w, r, http.StatusUnprocessableEntity, &f)
		return
	case errors.Is(err, supplier.ErrNotCurated):
		s.flash(ctx, "error", "flash.identity_not_curated")
		http.Redirect(w, r, "/supplier/listing/identity", http.StatusSeeOther)
		return
	case err != nil:
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.identity_sent")
	http.Redirect(w, r, "/supplier/listing/identity#waiting", http.StatusSeeOther)
}

func (s *Server) identityChangePage(w http.ResponseWriter, r *http.Request) {
	s.renderIdentityChange(w, r, http.StatusOK, newForm(), "")
}

// renderIdentityChange draws an identity change's page with the decision
// form f and an error (an i18n key) above it.
func (s *Server) renderIdentityChange(w http.ResponseWriter, r *http.Request, status int, f component.Form, errKey string) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	id, ok := appIDParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	ic, err := s.Curation.IdentityProposal(ctx, a, id)
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
	s.render(w, r, status, curpage.IdentityChange(curpage.IdentityChangeView{AppID: id, Name: c.Profile.TradingName,
		LegalName: c.Profile.LegalName, OrgName: c.OrgName, Conflict: c.Conflict, Case: ic, Form: f, Error: errKey}))
}

// identityFormFields are the decision form's field names.
var identityFormFields = []string{"decision", "reason", "change_id"}

// decideIdentity records a curator's decision on an identity change.
// Field names: decision (accept, refuse), reason, change_id (the version
// of the change the page showed).
func (s *Server) decideIdentity(w http.ResponseWriter, r *http.Request) {
	id, ok := appIDParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		s.renderIdentityChange(w, r, http.StatusUnprocessableEntity, f, "")
	}, identityFormFields...)
	if !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	d := curation.IdentityDecision{Reason: f.Value("reason")}
	switch strings.TrimSpace(f.Value("decision")) {
	case proposalAccept:
		d.Accept = true
	case proposalRefuse:
	default:
		f.Errors.Add("decision", "error.choose_option")
	}
	change, err := strconv.ParseInt(strings.TrimSpace(f.Value("change_id")), 10, 64)
	if err != nil || change < 1 {
		// The page always sends it: a form without it is from elsewhere,
		// or from a page drawn before the change was replaced.
		s.renderIdentityChange(w, r, http.StatusConflict, newForm(), "error.decision_stale")
		return
	}
	d.ChangeID = change
	if f.Errors.Any() {
		s.renderIdentityChange(w, r, http.StatusUnprocessableEntity, f, "")
		return
	}
	_, err = s.Curation.DecideIdentity(ctx, a, id, d)
	if s.decisionRefused(w, r, err, f, s.renderIdentityChange) {
		return
	}
	if d.Accept {
		s.flash(ctx, "success", "flash.identity_accepted")
	} else {
		s.flash(ctx, "success", "flash.identity_refused")
	}
	http.Redirect(w, r, "/curation", http.StatusSeeOther)
}
