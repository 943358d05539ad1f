package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"pasokan/internal/curation"
	"pasokan/internal/i18n"
	"pasokan/internal/product"
	stdpage "pasokan/web/page/standards"
)

// standardsIndex lists what curators check: the general checklist and one
// per product type, each in the version in force today (issue 14).
func (s *Server) standardsIndex(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	all, err := s.Curation.Checklists().All(ctx)
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
	today := s.Now().In(i18n.WIB)
	var v stdpage.IndexView
	for _, t := range append([]string{""}, productCodes(catalog.All())...) {
		versions := versionsOf(all, t)
		current, ok := inForceOn(versions, today)
		if !ok {
			continue
		}
		e := stdpage.Entry{Slug: standardsSlug(t), Current: current, Versions: len(versions)}
		if t == "" {
			e.Name = i18n.T(ctx, "standards.general")
			v.General = e
			continue
		}
		pt, _ := catalog.Get(t)
		e.Name = pt.Name(lang)
		v.Products = append(v.Products, e)
	}
	s.render(w, r, http.StatusOK, stdpage.Index(v))
}

// standardsChecklist shows one checklist: the version asked for
// (?version=N), or the one in force today.
func (s *Server) standardsChecklist(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	slug := chi.URLParam(r, "type")
	catalog, err := s.Products.Load(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	productType, name := "", i18n.T(ctx, "standards.general")
	if slug != stdpage.GeneralSlug {
		pt, ok := catalog.Get(slug)
		if !ok {
			s.notFound(w, r)
			return
		}
		productType, name = pt.Code, pt.Name(i18n.LangFrom(ctx))
	}
	all, err := s.Curation.Checklists().All(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := stdpage.ChecklistView{Slug: slug, Name: name, Versions: versionsOf(all, productType)}
	current, ok := inForceOn(v.Versions, s.Now().In(i18n.WIB))
	if !ok {
		s.notFound(w, r)
		return
	}
	v.Current, v.Shown = current, current
	if q := r.URL.Query().Get("version"); q != "" {
		n, err := strconv.Atoi(q)
		found := false
		for _, cl := range v.Versions {
			if err == nil && cl.Version == n {
				v.Shown, found = cl, true
			}
		}
		if !found {
			s.notFound(w, r)
			return
		}
	}
	s.render(w, r, http.StatusOK, stdpage.Checklist(v))
}

func standardsSlug(productType string) string {
	if productType == "" {
		return stdpage.GeneralSlug
	}
	return productType
}

func productCodes(types []product.Type) []string {
	out := make([]string, len(types))
	for i, t := range types {
		out[i] = t.Code
	}
	return out
}

// versionsOf are the versions of productType's checklist, oldest first (All
// orders them so).
func versionsOf(all []curation.Checklist, productType string) []curation.Checklist {
	var out []curation.Checklist
	for _, cl := range all {
		if cl.ProductType == productType {
			out = append(out, cl)
		}
	}
	return out
}

// inForceOn is the version of versions in force on the day of on.
func inForceOn(versions []curation.Checklist, on time.Time) (curation.Checklist, bool) {
	for _, cl := range versions {
		if cl.InForceOn(on) {
			return cl, true
		}
	}
	return curation.Checklist{}, false
}
