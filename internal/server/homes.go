package server

import (
	"net/http"

	"pasokan/web/page/catalog"
)

func (s *Server) catalog(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r.Context())
	s.render(w, r, http.StatusOK, catalog.Page(catalog.View{OrgName: a.OrgName}))
}
