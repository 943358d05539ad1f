package server

import (
	"net/http"

	"pasokan/web/page/catalog"
)

// catalog is the buyers' home: the search of curated suppliers
// (catalog.go).
func (s *Server) catalog(w http.ResponseWriter, r *http.Request) {
	v, err := s.keptSearch(r, false)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	a, _ := actorFrom(r.Context())
	v.OrgName = a.OrgName
	s.render(w, r, http.StatusOK, catalog.Page(v))
}
