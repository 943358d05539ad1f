package server

import (
	"net/http"

	"pasokan/internal/material"
	"pasokan/internal/permit"
)

// The ministry's lists of raw-material and permit-help requests as CSV and
// XLSX: every request of the filter shown (up to each package's
// MaxExport), in the page's order.

var materialColumns = []exportColumn[material.Request]{
	{"request_id", func(r material.Request, _ exportNames) any { return r.ID }},
	{"organization_id", func(r material.Request, _ exportNames) any { return r.OrgID }},
	{"supplier", func(r material.Request, _ exportNames) any { return r.OrgName }},
	{"province_code", func(r material.Request, _ exportNames) any { return r.ProvinceCode }},
	{"province", func(r material.Request, x exportNames) any {
		p, _ := x.regions.Province(r.ProvinceCode)
		return p.Name
	}},
	{"material", func(r material.Request, _ exportNames) any { return r.Material }},
	{"quantity", func(r material.Request, _ exportNames) any { return int64(r.Quantity) }},
	{"unit", func(r material.Request, _ exportNames) any { return r.Unit }},
	{"needed_by", func(r material.Request, _ exportNames) any { return r.NeededBy.Format("2006-01-02") }},
	{"order_id", func(r material.Request, _ exportNames) any { return optID(r.OrderID) }},
	{"status", func(r material.Request, _ exportNames) any { return r.Status }},
	{"purchase_id", func(r material.Request, _ exportNames) any { return optID(r.PurchaseID) }},
	{"source", func(r material.Request, _ exportNames) any { return r.Source }},
	{"delivered", func(r material.Request, _ exportNames) any { return int64(r.Delivered) }},
	{"note", func(r material.Request, _ exportNames) any { return r.Note }},
	{"created_at", func(r material.Request, _ exportNames) any { return instant(r.CreatedAt) }},
}

func (s *Server) materialTable(r *http.Request) (exportTable, error) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	q := r.URL.Query()
	filter := material.Filter{Material: q.Get("material"), Province: q.Get("province"), Urgency: q.Get("urgency"), Status: q.Get("status")}
	x := exportNames{}
	var err error
	if x.regions, err = s.Regions.Load(ctx); err != nil {
		return exportTable{}, err
	}
	if _, ok := x.regions.Province(filter.Province); !ok {
		filter.Province = ""
	}
	rows, err := s.Materials.Export(ctx, a, filter)
	if err != nil {
		return exportTable{}, err
	}
	return tableOf("Bahan baku", "bahan-baku", materialColumns, rows, x), nil
}

func (s *Server) adminMaterialsCSV(w http.ResponseWriter, r *http.Request) {
	if t, err := s.materialTable(r); err != nil {
		s.domainError(w, r, err)
	} else {
		s.sendCSV(w, r, t)
	}
}

func (s *Server) adminMaterialsXLSX(w http.ResponseWriter, r *http.Request) {
	if t, err := s.materialTable(r); err != nil {
		s.domainError(w, r, err)
	} else {
		s.sendWorkbook(w, r, t)
	}
}

var permitColumns = []exportColumn[permit.Request]{
	{"request_id", func(r permit.Request, _ exportNames) any { return r.ID }},
	{"organization_id", func(r permit.Request, _ exportNames) any { return r.OrgID }},
	{"supplier", func(r permit.Request, _ exportNames) any { return r.OrgName }},
	{"province_code", func(r permit.Request, _ exportNames) any { return r.ProvinceCode }},
	{"product_type", func(r permit.Request, _ exportNames) any { return r.ProductType }},
	{"permit_kind", func(r permit.Request, _ exportNames) any { return r.Kind }},
	{"status", func(r permit.Request, _ exportNames) any { return r.Status }},
	{"in_status_since", func(r permit.Request, _ exportNames) any { return instant(r.StatusChangedAt) }},
	{"permit_number", func(r permit.Request, _ exportNames) any { return r.PermitNumber }},
	{"issued_on", func(r permit.Request, _ exportNames) any {
		if r.IssuedOn == nil {
			return nil
		}
		return r.IssuedOn.Format("2006-01-02")
	}},
	{"reason", func(r permit.Request, _ exportNames) any { return r.Reason }},
	{"created_at", func(r permit.Request, _ exportNames) any { return instant(r.CreatedAt) }},
}

func (s *Server) permitTable(r *http.Request) (exportTable, error) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	q := r.URL.Query()
	rows, err := s.Permits.Export(ctx, a, permit.Filter{Status: q.Get("status"), Kind: q.Get("kind")})
	if err != nil {
		return exportTable{}, err
	}
	return tableOf("Izin", "bantuan-izin", permitColumns, rows, exportNames{}), nil
}

func (s *Server) adminPermitsCSV(w http.ResponseWriter, r *http.Request) {
	if t, err := s.permitTable(r); err != nil {
		s.domainError(w, r, err)
	} else {
		s.sendCSV(w, r, t)
	}
}

func (s *Server) adminPermitsXLSX(w http.ResponseWriter, r *http.Request) {
	if t, err := s.permitTable(r); err != nil {
		s.domainError(w, r, err)
	} else {
		s.sendWorkbook(w, r, t)
	}
}
