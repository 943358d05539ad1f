package server

import (
	"net/http"

	"pasokan/web/page/catalog"
	"pasokan/web/page/curation"
)

func (s *Server) curationQueue(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r.Context())
	s.render(w, r, http.StatusOK, curation.Queue(curation.QueueView{OrgName: a.OrgName}))
}

func (s *Server) catalog(w http.ResponseWriter, r *http.Request) {
	a, _ := actorFrom(r.Context())
	s.render(w, r, http.StatusOK, catalog.Page(catalog.View{OrgName: a.OrgName}))
}
