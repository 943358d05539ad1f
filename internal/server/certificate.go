package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"

	"pasokan/internal/curation"
	"pasokan/internal/database"
	"pasokan/internal/i18n"
	"pasokan/internal/vcode"
	certpage "pasokan/web/page/certificate"
)

// qrCacheSize bounds the QR images kept: a few hundred kilobytes.
const qrCacheSize = 512

// qrImage returns the QR code of a certificate's check, as a PNG and as a
// data URI. Drawing one took 1.4 ms and 1.1 MB per /verify request; it
// depends on the code alone, so each is drawn once per process and kept
// (least recently used go first).
func (s *Server) qrImage(code string) (qr, error) {
	if q, ok := s.qrs.Get(code); ok {
		return q, nil
	}
	png, err := qrcode.Encode(s.BaseURL+"/verify/"+code, qrcode.Medium, 320)
	if err != nil {
		return qr{}, err
	}
	q := qr{png: png, dataURI: "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)}
	s.qrs.Add(code, q)
	return q, nil
}

type qr struct {
	png     []byte
	dataURI string
}

// certificateView fills the page model of a certificate.
func (s *Server) certificateView(r *http.Request, c curation.Certificate, public bool) (certpage.View, []byte, error) {
	verify := s.BaseURL + "/verify/" + c.Code
	q, err := s.qrImage(c.Code)
	if err != nil {
		return certpage.View{}, nil, err
	}
	png := q.png
	names, _, err := s.productWords(r)
	if err != nil {
		return certpage.View{}, nil, err
	}
	v := certpage.View{Certificate: c, VerifyURL: verify, ProductNames: names, Public: public,
		QRDataURI: q.dataURI}
	regions, err := s.Regions.Load(r.Context())
	if err != nil {
		return v, nil, err
	}
	if p, ok := regions.Province(c.Content.ProvinceCode); ok {
		v.Province = p.Name
	}
	if rg, ok := regions.Regency(c.Content.RegencyCode); ok {
		v.Regency = rg.Name
	}
	return v, png, nil
}

// supplierCertificate shows the supplier its curation certificate.
func (s *Server) supplierCertificate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	c, err := s.Curation.CertificateOf(ctx, a)
	if errors.Is(err, database.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, "error.page.no_certificate")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v, _, err := s.certificateView(r, c, false)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, certpage.Page(v))
}

// verifyCertificate lets anyone check a certificate by its code.
func (s *Server) verifyCertificate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	raw := codeParam(r)
	code, ok := vcode.Normalize(raw)
	if !ok {
		s.unknownCertificate(w, r, raw)
		return
	}
	c, err := s.Curation.Verify(ctx, code)
	if errors.Is(err, database.ErrNotFound) {
		s.unknownCertificate(w, r, raw)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v, _, err := s.certificateView(r, c, true)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, certpage.Page(v))
}

// supplierCertificatePDF sends the certificate as a one-page PDF with the
// QR code of its check.
func (s *Server) supplierCertificatePDF(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	c, err := s.Curation.CertificateOf(ctx, a)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	v, png, err := s.certificateView(r, c, false)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := writeCertificatePDF(ctx, &buf, v, png, s.Now()); err != nil {
		s.serverError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="sertifikat-kurasi-%s.pdf"`, c.Code))
	h.Set("Cache-Control", "no-store, private")
	_, _ = w.Write(buf.Bytes())
}

// writeCertificatePDF draws the certificate on one A4 page in the language
// of ctx, with the same words as its page (dates, numbers, who issued it,
// until when it holds), what it was when printed and the QR code of its
// check. The core PDF fonts cover the Latin letters Indonesian and English
// use.
func writeCertificatePDF(ctx context.Context, buf *bytes.Buffer, v certpage.View, png []byte, printed time.Time) error {
	t := func(key string, args ...any) string { return i18n.T(ctx, key, args...) }
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.SetTitle(t("certificate.title"), true)
	pdf.SetCreator("Pasokan", true)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 20)
	pdf.CellFormat(0, 12, tr(t("certificate.title")), "", 1, "C", false, 0, "")
	pdf.SetFont("Helvetica", "", 11)
	pdf.CellFormat(0, 7, tr(t("certificate.issuer_line")), "", 1, "C", false, 0, "")
	pdf.Ln(6)
	c := v.Certificate
	// A label wraps in its column as a value does: the English "NIB
	// (business identification number)" is wider than the column.
	left, _, _, _ := pdf.GetMargins()
	row := func(label, value string) {
		y := pdf.GetY()
		pdf.SetFont("Helvetica", "B", 11)
		pdf.MultiCell(55, 7, tr(label), "", "L", false)
		below := pdf.GetY()
		pdf.SetXY(left+55, y)
		pdf.SetFont("Helvetica", "", 11)
		pdf.MultiCell(0, 7, tr(value), "", "L", false)
		pdf.SetY(max(below, pdf.GetY()))
	}
	row(t("certificate.code"), c.Code)
	row(t("field.legal_name"), c.Content.SupplierName)
	if c.Content.TradingName != "" {
		row(t("field.trading_name"), c.Content.TradingName)
	}
	row(t("field.nib"), c.Content.NIB)
	row(t("field.regency_code"), v.Regency+", "+v.Province)
	row(t("certificate.curator"), c.Content.CuratorName)
	row(t("certificate.issuer"), t("certificate.issuer_value"))
	row(t("certificate.issued"), i18n.Date(ctx, c.IssuedAt))
	row(t("certificate.validity"), certpage.Validity(ctx, v))
	row(t("certificate.status"), certpage.Status(ctx, v))
	pdf.Ln(4)
	pdf.SetFont("Helvetica", "B", 13)
	pdf.CellFormat(0, 9, tr(t("certificate.products")), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 11)
	for _, p := range c.Content.Products {
		pdf.MultiCell(0, 7, tr("• "+v.ProductNames[p.ProductType]+" — "+certpage.CheckedAgainst(ctx, p.ChecklistVersion)+" "+
			strings.Join(p.Standards, ", ")), "", "L", false)
	}
	pdf.Ln(6)
	pdf.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png))
	y := pdf.GetY()
	pdf.ImageOptions("qr", 15, y, 40, 40, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	pdf.SetXY(60, y+12)
	pdf.MultiCell(0, 7, tr(t("certificate.verify_at")+" "+v.VerifyURL), "", "L", false)
	pdf.SetXY(15, y+44)
	pdf.SetFont("Helvetica", "I", 9)
	pdf.MultiCell(0, 5, tr(t("certificate.printed", i18n.Date(ctx, printed))), "", "L", false)
	return pdf.Output(buf)
}
