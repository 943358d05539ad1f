package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/i18n"
	"pasokan/internal/notify"
	"pasokan/internal/supplier"
	"pasokan/web/component"
	suppage "pasokan/web/page/supplier"
)

func (s *Server) supplierDashboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	var notes []notify.Notification
	var results []supplier.ProductResult
	p, app, err := s.Suppliers.Overview(ctx, a, func(b *pgx.Batch) {
		notify.QueueRecent(b, a.OrgID, 5, &notes)
		supplier.QueueProductResults(b, a.OrgID, i18n.LangFrom(ctx), &results)
	})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	names, _, err := s.productWords(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	kinds, err := s.permitKinds(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, suppage.Dashboard(suppage.DashboardView{OrgName: a.OrgName, UserName: a.UserName,
		App: app, Readiness: supplier.ReadinessOf(p, app), Notifications: notes, ProductNames: names, Results: results,
		PermitKinds: kinds}))
}

func (s *Server) profilePage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	p, app, err := s.Suppliers.Overview(ctx, a)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := newForm()
	f.Values = p.Input()
	if f.Values["phone"] == "" && app.Status.Editable() {
		// The number given at sign-up fills the empty field; it is stored
		// with the profile when the owner saves it.
		phone, err := s.Accounts.Phone(ctx, a)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if phone != "" {
			f.Values["phone"] = supplier.FormatPhone(phone)
		}
	}
	s.renderProfile(w, r, http.StatusOK, f, p.Phone, &app)
}

// renderProfile draws the profile form; app is the active application when
// the caller has read it already.
func (s *Server) renderProfile(w http.ResponseWriter, r *http.Request, status int, f component.Form, phone string, app *supplier.Application) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	if app == nil {
		got, err := s.Suppliers.Application(ctx, a)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		app = &got
	}
	places, err := s.places(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := suppage.ProfileView{Form: f, Editable: app.Status.Editable(), Status: app.Status, Flags: app.Flags, Phone: phone,
		Provinces: places.provinces, Regencies: places.regencies}
	s.render(w, r, status, suppage.Profile(v))
}

// placeOptions are the province and regency choices, the same for every
// page and person.
type placeOptions struct {
	provinces []component.Option
	regencies *component.PrerenderedGroups
}

// places returns the province and regency choices, drawn on first use.
func (s *Server) places(ctx context.Context) (*placeOptions, error) {
	if p := s.placesDrawn.Load(); p != nil {
		return p, nil
	}
	regions, err := s.Regions.Load(ctx)
	if err != nil {
		return nil, err
	}
	p := &placeOptions{}
	var groups []component.OptGroup
	for _, pr := range regions.Provinces() {
		p.provinces = append(p.provinces, component.Option{Value: pr.Code, Label: pr.Name})
		g := component.OptGroup{Label: pr.Name, Value: pr.Code}
		for _, rg := range regions.Regencies(pr.Code) {
			g.Options = append(g.Options, component.Option{Value: rg.Code, Label: rg.Name})
		}
		groups = append(groups, g)
	}
	p.regencies = component.PrerenderGroups(groups)
	s.placesDrawn.Store(p)
	return p, nil
}

// saveProfile stores the profile as a draft; bad input is shown with what
// was typed and stores nothing.
func (s *Server) saveProfile(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		s.renderProfile(w, r, http.StatusUnprocessableEntity, f, "", nil)
	}, supplier.ProfileFormFields...)
	if !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	in := supplier.ProfileInput{
		LegalName: f.Value("legal_name"), TradingName: f.Value("trading_name"), LegalForm: f.Value("legal_form"),
		SizeClass: f.Value("size_class"), NIB: f.Value("nib"), NPWP: f.Value("npwp"), KBLI: f.Value("kbli"),
		OriginalSector: f.Value("original_sector"), ProvinceCode: f.Value("province_code"),
		RegencyCode: f.Value("regency_code"), Address: f.Value("address"), Phone: f.Value("phone"),
		Workforce: f.Value("workforce"), Equipment: f.Value("equipment"),
		KBLIEdition: f.Value("kbli_edition"),
	}
	p, err := s.Suppliers.SaveProfile(ctx, a, in)
	switch {
	case fieldErrors(err, &f):
		s.renderProfile(w, r, http.StatusUnprocessableEntity, f, "", nil)
		return
	case errors.Is(err, supplier.ErrNotEditable):
		s.flash(ctx, "error", "flash.not_editable")
		http.Redirect(w, r, "/supplier/profile", http.StatusSeeOther)
		return
	case err != nil:
		s.domainError(w, r, err)
		return
	}
	s.flash(ctx, "success", "flash.profile_saved")
	next := "/supplier/profile"
	if len(p.Missing()) == 0 {
		next = "/supplier/application"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// applicationPage draws the application; ?kind= chooses the upload form's
// document kind (a revision request's link to a document lands there).
func (s *Server) applicationPage(w http.ResponseWriter, r *http.Request) {
	upload := newForm()
	if kind := r.URL.Query().Get("kind"); slices.Contains(supplier.DocumentKinds, kind) {
		upload.Values["kind"] = kind
	}
	s.renderApplication(w, r, http.StatusOK, newForm(), upload, "")
}

// submittedPage confirms a submission: its reference number, what happens
// next, and how long a decision typically takes.
func (s *Server) submittedPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	app, err := s.Suppliers.Application(ctx, a)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := suppage.SubmittedView{App: app}
	if app.Status == supplier.StatusSubmitted || app.Status == supplier.StatusInReview {
		v.TypicalHours, v.Typical, err = s.Curation.TypicalDecision(ctx, a)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, suppage.Submitted(v))
}

func (s *Server) renderApplication(w http.ResponseWriter, r *http.Request, status int, productForm, uploadForm component.Form, submitError string) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	p, app, err := s.Suppliers.Overview(ctx, a)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	catalog, err := s.Products.Load(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	lang := i18n.LangFrom(ctx)
	v := suppage.ApplicationView{App: app, Readiness: supplier.ReadinessOf(p, app), Editable: app.Status.Editable(),
		ProductForm: productForm, UploadForm: uploadForm, SubmitError: submitError,
		ProductNames: map[string]string{}, ProductUnits: map[string]string{},
		MaxUploadMiB: int(s.Suppliers.MaxUpload >> 20), UploadQuotaMiB: int(s.Suppliers.UploadQuota >> 20),
		UploadRoom: int(max(0, s.Suppliers.UploadQuota-supplier.DocumentBytes(app.Documents)))}
	v.MaxUploadBytes = s.Suppliers.MaxUpload
	v.UploadQuotaBytes = s.Suppliers.UploadQuota
	for _, t := range catalog.All() {
		label := t.Name(lang)
		if t.PermitRequired {
			label += " — " + i18n.T(ctx, "product.permit_needed", string(t.PermitKind))
		}
		v.ProductTypes = append(v.ProductTypes, component.Option{Value: t.Code, Label: label})
		v.ProductNames[t.Code], v.ProductUnits[t.Code] = t.Name(lang), t.Unit(lang)
	}
	for _, p := range app.Products {
		if t, ok := catalog.Get(p.Type); ok && t.PermitRequired {
			v.NeedCertificate = append(v.NeedCertificate, t.Name(lang))
		}
	}
	s.render(w, r, status, suppage.Application(v))
}

func (s *Server) addProduct(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseFormOr(w, r, func(f component.Form) {
		s.renderApplication(w, r, http.StatusUnprocessableEntity, f, newForm(), "")
	}, supplier.ProductFields...)
	if !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	_, err := s.Suppliers.AddProduct(ctx, a, supplier.ProductInput{
		ProductType: f.Value("product_type"), MonthlyCapacity: f.Value("monthly_capacity"),
		LeadTimeDays: f.Value("lead_time_days"), PriceMin: f.Value("price_min"), PriceMax: f.Value("price_max"),
		Materials: f.Value("materials"), MaterialNeeds: f.Value("material_needs"),
		PermitNumber: f.Value("permit_number"), SNICertificate: f.Value("sni_certificate"),
	})
	switch {
	case fieldErrors(err, &f):
		s.renderApplication(w, r, http.StatusUnprocessableEntity, f, newForm(), "")
		return
	case errors.Is(err, supplier.ErrNotEditable):
		s.flash(ctx, "error", "flash.not_editable")
	case err != nil:
		s.domainError(w, r, err)
		return
	default:
		s.flash(ctx, "success", "flash.product_saved")
	}
	http.Redirect(w, r, "/supplier/application", http.StatusSeeOther)
}

func (s *Server) removeProduct(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	err = s.Suppliers.RemoveProduct(ctx, a, id)
	switch {
	case errors.Is(err, supplier.ErrNotEditable):
		s.flash(ctx, "error", "flash.not_editable")
	case err != nil:
		s.domainError(w, r, err)
		return
	default:
		s.flash(ctx, "success", "flash.product_removed")
	}
	http.Redirect(w, r, "/supplier/application", http.StatusSeeOther)
}

// submitApplication sends the application to the curators. A second click
// with the same version finds it submitted already and says so.
func (s *Server) submitApplication(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r, "version")
	if !ok {
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	if !a.EmailConfirmed {
		// Curators and buyers write to this address: it must be known to
		// work before anything is sent to them.
		s.renderApplication(w, r, http.StatusUnprocessableEntity, newForm(), newForm(), suppage.ErrEmailUnconfirmed)
		return
	}
	version, _ := strconv.Atoi(f.Value("version"))
	_, err := s.Suppliers.Submit(ctx, a, version)
	switch {
	case errors.Is(err, supplier.ErrIncomplete):
		s.renderApplication(w, r, http.StatusUnprocessableEntity, newForm(), newForm(), "error.incomplete")
		return
	case errors.Is(err, database.ErrStale), errors.Is(err, supplier.ErrTransition):
		app, aerr := s.Suppliers.Application(ctx, a)
		if aerr == nil && app.Status == supplier.StatusSubmitted {
			s.flash(ctx, "info", "flash.already_submitted")
			http.Redirect(w, r, "/supplier", http.StatusSeeOther)
			return
		}
		s.renderApplication(w, r, http.StatusConflict, newForm(), newForm(), "error.stale")
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/supplier/application/submitted", http.StatusSeeOther)
}

// productWords maps product type codes to their names and units in the
// request's language.
func (s *Server) productWords(r *http.Request) (names, units map[string]string, err error) {
	catalog, err := s.Products.Load(r.Context())
	if err != nil {
		return nil, nil, err
	}
	lang := i18n.LangFrom(r.Context())
	names, units = map[string]string{}, map[string]string{}
	for _, t := range catalog.All() {
		names[t.Code], units[t.Code] = t.Name(lang), t.Unit(lang)
	}
	return names, units, nil
}
