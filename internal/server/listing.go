package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"pasokan/internal/database"
	"pasokan/internal/listing"
	"pasokan/internal/supplier"
	"pasokan/internal/validation"
	"pasokan/web/component"
	"pasokan/web/page/catalog"
	suppage "pasokan/web/page/supplier"
)

// A curated supplier keeps its listing current: what it offers now
// (capacity, lead time, prices), the contacts buyers use, a pause, and a
// confirmation that all of it still holds. Each change shows in the
// catalogue at once, without a new curation. What needs curation (a new
// product, new permits) is proposed from the same page (proposal.go).

// Field names of the listing's forms (DESIGN.md, the site map).
var (
	listingProductFields = []string{"product_type", "monthly_capacity", "lead_time_days", "price_min", "price_max"}
	listingContactFields = []string{"phone", "email", "address"}
)

// listingForms are the forms of a redrawn listing page: nil for those drawn
// from the listing as stored.
type listingForms struct {
	selected                        string
	product, contact, stop, propose *component.Form
}

func (s *Server) listingPage(w http.ResponseWriter, r *http.Request) {
	s.renderListing(w, r, http.StatusOK, listingForms{selected: r.URL.Query().Get("product")})
}

func (s *Server) renderListing(w http.ResponseWriter, r *http.Request, status int, fs listingForms) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	l, err := s.Listings.Mine(ctx, a)
	has := err == nil
	if err != nil && !errors.Is(err, database.ErrNotFound) {
		s.serverError(w, r, err)
		return
	}
	v := suppage.ListingView{Listing: l, HasListing: has, Now: s.Now()}
	if v.ProductNames, v.ProductUnits, err = s.productWords(r); err != nil {
		s.serverError(w, r, err)
		return
	}
	var sel *listing.Product
	for i := range l.Products {
		if l.Products[i].ProductType == fs.selected {
			sel = &l.Products[i]
		}
	}
	if sel == nil && len(l.Products) > 0 {
		sel = &l.Products[0]
	}
	v.ProductForm, v.ContactForm, v.PauseForm = component.NewForm(), component.NewForm(), component.NewForm()
	if sel != nil {
		v.Selected = sel.ProductType
		v.ProductForm.Values["monthly_capacity"] = strconv.Itoa(sel.MonthlyCapacity)
		if sel.LeadTimeDays > 0 {
			v.ProductForm.Values["lead_time_days"] = strconv.Itoa(sel.LeadTimeDays)
		}
		v.ProductForm.Values["price_min"] = strconv.FormatInt(sel.PriceMin, 10)
		v.ProductForm.Values["price_max"] = strconv.FormatInt(sel.PriceMax, 10)
	}
	if fs.product != nil {
		v.ProductForm = *fs.product
	}
	if l.Phone != "" {
		v.ContactForm.Values["phone"] = supplier.FormatPhone(l.Phone)
	}
	v.ContactForm.Values["email"], v.ContactForm.Values["address"] = l.Email, l.Address
	if fs.contact != nil {
		v.ContactForm = *fs.contact
	}
	if catalog.PausedOn(l.PausedUntil, v.Now) {
		v.PauseForm.Values["paused_until"] = l.PausedUntil.Format("2006-01-02")
	}
	if fs.stop != nil {
		v.PauseForm = *fs.stop
	}
	if err := s.fillProposeView(ctx, a, &v, fs.propose); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, suppage.Listing(v))
}

// listingPath is the listing page with product's form open.
func listingPath(product string) string {
	if product == "" {
		return "/supplier/listing"
	}
	return "/supplier/listing?" + url.Values{"product": {product}}.Encode()
}

// listingRefused answers a change to a listing the supplier does not have
// (not curated, or withdrawn) with a message on the listing page; it
// reports false for any other error.
func (s *Server) listingRefused(w http.ResponseWriter, r *http.Request, err error) bool {
	if !errors.Is(err, listing.ErrNotListed) {
		return false
	}
	s.flash(r.Context(), "error", "flash.listing_not_listed")
	http.Redirect(w, r, "/supplier/listing", http.StatusSeeOther)
	return true
}

// saveListingProduct changes what a listed product offers now.
func (s *Server) saveListingProduct(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		s.renderListing(w, r, http.StatusUnprocessableEntity, listingForms{selected: f.Value("product_type"), product: &f})
	}, listingProductFields...)
	if !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	p, err := s.Listings.UpdateProduct(ctx, a, listing.ProductInput{ProductType: f.Value("product_type"),
		MonthlyCapacity: f.Value("monthly_capacity"), LeadTimeDays: f.Value("lead_time_days"),
		PriceMin: f.Value("price_min"), PriceMax: f.Value("price_max")})
	var verrs validation.Errors
	switch {
	case errors.As(err, &verrs) && verrs["product_type"] != "":
		// Not a product of this listing (a page left open across a new
		// curation): there is no field to show the error at.
		s.flash(ctx, "error", "flash.listing_product_unknown")
		http.Redirect(w, r, "/supplier/listing", http.StatusSeeOther)
		return
	case fieldErrors(err, &f):
		s.renderListing(w, r, http.StatusUnprocessableEntity, listingForms{selected: f.Value("product_type"), product: &f})
		return
	case s.listingRefused(w, r, err):
		return
	case err != nil:
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.listing_product_saved")
	http.Redirect(w, r, listingPath(p.ProductType), http.StatusSeeOther)
}

// saveListingContact changes the contacts buyers see.
func (s *Server) saveListingContact(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		s.renderListing(w, r, http.StatusUnprocessableEntity, listingForms{contact: &f})
	}, listingContactFields...)
	if !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	_, err := s.Listings.UpdateContact(ctx, a, listing.ContactInput{Phone: f.Value("phone"), Email: f.Value("email"),
		Address: f.Value("address")})
	switch {
	case fieldErrors(err, &f):
		s.renderListing(w, r, http.StatusUnprocessableEntity, listingForms{contact: &f})
		return
	case s.listingRefused(w, r, err):
		return
	case err != nil:
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.listing_contact_saved")
	http.Redirect(w, r, "/supplier/listing", http.StatusSeeOther)
}

// confirmListing records that the listing still holds.
func (s *Server) confirmListing(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.parseForm(w, r); !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	err := s.Listings.Confirm(ctx, a)
	switch {
	case s.listingRefused(w, r, err):
		return
	case err != nil:
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.listing_confirmed")
	http.Redirect(w, r, "/supplier/listing", http.StatusSeeOther)
}

// pauseListing says the supplier takes no orders until a day (inclusive);
// an empty day takes orders again.
func (s *Server) pauseListing(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		s.renderListing(w, r, http.StatusUnprocessableEntity, listingForms{stop: &f})
	}, "paused_until")
	if !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	until := f.Value("paused_until")
	err := s.Listings.Pause(ctx, a, until, s.Now())
	switch {
	case fieldErrors(err, &f):
		s.renderListing(w, r, http.StatusUnprocessableEntity, listingForms{stop: &f})
		return
	case s.listingRefused(w, r, err):
		return
	case err != nil:
		s.domainError(w, r, err)
		return
	}
	if strings.TrimSpace(until) == "" {
		s.flash(ctx, "success", "flash.listing_resumed")
	} else {
		s.flash(ctx, "success", "flash.listing_paused")
	}
	http.Redirect(w, r, "/supplier/listing", http.StatusSeeOther)
}
