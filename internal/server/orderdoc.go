package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-pdf/fpdf"

	"pasokan/internal/database"
	"pasokan/internal/i18n"
	"pasokan/internal/order"
	"pasokan/internal/supplier"
	orderpage "pasokan/web/page/orders"
)

// The printed documents of an order, for its two parties: the order itself
// (Surat Pesanan) and the record of each shipment received (Berita Acara
// Serah Terima, BAST). Each carries a verification code and the QR code of
// its public check at /verify/order/{code} or /verify/receipt/{code}, which
// shows anyone holding the paper that the portal knows it, without its
// prices or addresses. They are drawn as the curation certificate is
// (certificate.go): one A4 page in the reader's language, core PDF fonts.

// orderDocument sends an order as a one-page PDF to its buyer or its
// supplier; anyone else is told it does not exist.
func (s *Server) orderDocument(w http.ResponseWriter, r *http.Request) {
	o, ok := s.documentOrder(w, r)
	if !ok {
		return
	}
	if o.Code == nil {
		// Every order gets its code when it is offered; one without is not
		// a document anyone can check, so none is printed.
		s.notFound(w, r)
		return
	}
	d, err := s.orderPDF(r, o)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sendPDF(w, r, d, fmt.Sprintf("surat-pesanan-%d.pdf", o.ID))
}

// receiptDocument sends the goods-received record of one shipment of an
// order as a one-page PDF; a receipt of another order is not found.
func (s *Server) receiptDocument(w http.ResponseWriter, r *http.Request) {
	receipt, err := strconv.ParseInt(chi.URLParam(r, "receipt"), 10, 64)
	if err != nil || receipt <= 0 {
		s.notFound(w, r)
		return
	}
	o, ok := s.documentOrder(w, r)
	if !ok {
		return
	}
	var sh *order.Shipment
	for i := range o.Shipments {
		if id := o.Shipments[i].ReceiptID; id != nil && *id == receipt {
			sh = &o.Shipments[i]
		}
	}
	if sh == nil || sh.ReceiptCode == nil || sh.ReceivedOn == nil || sh.Accepted == nil || sh.Rejected == nil {
		s.notFound(w, r)
		return
	}
	d, err := s.receiptPDF(r, o, *sh)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sendPDF(w, r, d, fmt.Sprintf("berita-acara-%d-%d.pdf", o.ID, receipt))
}

// documentOrder reads the order named in the path for the actor (its buyer
// or its supplier, by the route's group), drawing the error page itself.
func (s *Server) documentOrder(w http.ResponseWriter, r *http.Request) (order.Order, bool) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	id, ok := idParam(r)
	if !ok {
		s.notFound(w, r)
		return order.Order{}, false
	}
	o, err := s.Orders.Order(ctx, a, id)
	if err != nil {
		s.domainError(w, r, err)
		return order.Order{}, false
	}
	return o, true
}

// pdfRow is one line of a document: a label and its value, or a heading.
type pdfRow struct {
	label, value string
	heading      bool
}

// pdfDocument is a printed document, every text already in the reader's
// language.
type pdfDocument struct {
	title, subtitle, issuer string
	rows                    []pdfRow
	// qr is the PNG of verifyURL; verifyText introduces it.
	qr                    []byte
	verifyText, verifyURL string
	printed               string
}

// docWords are what the documents' rows need in the reader's language. It
// lives for one request and keeps that request's context because the i18n
// helpers read the language from it.
type docWords struct {
	ctx          context.Context
	names, units map[string]string
}

func (s *Server) docWords(r *http.Request) (docWords, error) {
	names, units, err := s.productWords(r)
	return docWords{ctx: r.Context(), names: names, units: units}, err
}

func (w docWords) t(key string, args ...any) string { return i18n.T(w.ctx, key, args...) }

// day is a date column (a calendar day, stored without a zone) in the
// reader's language.
func (w docWords) day(t time.Time) string { return i18n.Day(w.ctx, t) }

// count is n units of the order's product: "10.000 lembar".
func (w docWords) count(o order.Order, n int) string {
	return i18n.Int(w.ctx, n) + " " + w.units[o.ProductType]
}

// partyRows are the lines the order and its receipts both begin with.
func (w docWords) partyRows(o order.Order) []pdfRow {
	return []pdfRow{
		{label: w.t("orderdoc.number"), value: strconv.FormatInt(o.ID, 10)},
		{label: w.t("orderdoc.date"), value: i18n.Date(w.ctx, o.CreatedAt)},
		{label: w.t("orderdoc.buyer"), value: o.BuyerName},
		{label: w.t("orderdoc.supplier"), value: o.SupplierName},
		{label: w.t("orderdoc.product"), value: w.names[o.ProductType]},
	}
}

// verifyQR is the QR code of a document's check. The certificate's cache
// keys by what follows /verify/ (certificate.go, qrImage), so "order/CODE"
// draws the link to /verify/order/CODE and never meets a certificate's code,
// which has no slash.
func (s *Server) verifyQR(kind, code string) (png []byte, url string, err error) {
	q, err := s.qrImage(kind + "/" + code)
	if err != nil {
		return nil, "", err
	}
	return q.png, s.BaseURL + "/verify/" + kind + "/" + code, nil
}

// orderPDF fills the Surat Pesanan: the terms both parties agreed to,
// where to deliver, and the code of its check. Orders carry no target
// price (that is the buyer's, on its demand), so none can be printed.
func (s *Server) orderPDF(r *http.Request, o order.Order) (pdfDocument, error) {
	w, err := s.docWords(r)
	if err != nil {
		return pdfDocument{}, err
	}
	regency, province, err := s.placeNames(r.Context(), o.SiteRegency, o.SiteProvince)
	if err != nil {
		return pdfDocument{}, err
	}
	code := *o.Code
	png, url, err := s.verifyQR(orderpage.CheckOrder, code)
	if err != nil {
		return pdfDocument{}, err
	}
	standard := o.Standard
	if strings.TrimSpace(standard) == "" {
		standard = w.t("orderdoc.no_standard")
	}
	site := o.SiteAddress
	if place := strings.Trim(regency+", "+province, ", "); place != "" {
		site += "\n" + place
	}
	rows := append(w.partyRows(o),
		pdfRow{label: w.t("orderdoc.standard"), value: standard},
		pdfRow{label: w.t("orderdoc.quantity"), value: w.count(o, o.Quantity)},
		pdfRow{label: w.t("orderdoc.unit_price"), value: supplier.FormatRupiah(o.UnitPrice)},
		pdfRow{label: w.t("orderdoc.value"), value: supplier.FormatRupiah(o.Value())},
		pdfRow{label: w.t("orderdoc.due"), value: w.day(o.DueDate)},
		pdfRow{label: w.t("orderdoc.site"), value: site},
		pdfRow{label: w.t("orderdoc.code"), value: code},
	)
	return pdfDocument{title: w.t("orderdoc.order.title"), subtitle: w.t("orderdoc.order.title_other"),
		issuer: w.t("orderdoc.issuer"), rows: rows, qr: png, verifyText: w.t("orderdoc.verify_at"), verifyURL: url,
		printed: w.t("orderdoc.printed", i18n.Date(w.ctx, s.Now()))}, nil
}

// receiptPDF fills the Berita Acara Serah Terima of one shipment: the
// order it belongs to, what was shipped and what was received of it.
func (s *Server) receiptPDF(r *http.Request, o order.Order, sh order.Shipment) (pdfDocument, error) {
	w, err := s.docWords(r)
	if err != nil {
		return pdfDocument{}, err
	}
	code := *sh.ReceiptCode
	png, url, err := s.verifyQR(orderpage.CheckReceipt, code)
	if err != nil {
		return pdfDocument{}, err
	}
	tracking := sh.Tracking
	if strings.TrimSpace(tracking) == "" {
		tracking = w.t("orderdoc.no_tracking")
	}
	rows := append(w.partyRows(o),
		pdfRow{label: w.t("orderdoc.shipment"), heading: true},
		pdfRow{label: w.t("orderdoc.shipped_quantity"), value: w.count(o, sh.Quantity)},
		pdfRow{label: w.t("orderdoc.shipped_on"), value: w.day(sh.ShippedOn)},
		pdfRow{label: w.t("orderdoc.courier"), value: sh.Courier},
		pdfRow{label: w.t("orderdoc.tracking"), value: tracking},
		pdfRow{label: w.t("orderdoc.receipt"), heading: true},
		pdfRow{label: w.t("orderdoc.received_on"), value: w.day(*sh.ReceivedOn)},
		pdfRow{label: w.t("orderdoc.accepted"), value: w.count(o, *sh.Accepted)},
		pdfRow{label: w.t("orderdoc.rejected"), value: w.count(o, *sh.Rejected)},
	)
	if *sh.Rejected > 0 && sh.Reason != nil {
		rows = append(rows, pdfRow{label: w.t("orderdoc.reason"), value: *sh.Reason})
	}
	rows = append(rows, pdfRow{label: w.t("orderdoc.code"), value: code})
	return pdfDocument{title: w.t("orderdoc.receipt.title"), subtitle: w.t("orderdoc.receipt.title_other"),
		issuer: w.t("orderdoc.issuer"), rows: rows, qr: png, verifyText: w.t("orderdoc.verify_at"), verifyURL: url,
		printed: w.t("orderdoc.printed", i18n.Date(w.ctx, s.Now()))}, nil
}

// sendPDF draws d and sends it as a download named filename. The document
// holds prices and addresses, so no cache keeps it.
func (s *Server) sendPDF(w http.ResponseWriter, r *http.Request, d pdfDocument, filename string) {
	var buf bytes.Buffer
	if err := writeDocumentPDF(&buf, d); err != nil {
		s.serverError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, filename))
	h.Set("Cache-Control", "no-store, private")
	_, _ = w.Write(buf.Bytes())
}

// The columns of a document's lines on A4 (210 mm) within fpdf's default
// margins of 10 mm.
const (
	labelWidth = 55.0
	valueWidth = 210 - 2*10 - labelWidth
)

// writeDocumentPDF draws a document on one A4 page, as the certificate is
// drawn: its title in the reader's language with the other language's
// name of the document below it (a Surat Pesanan is known by that name
// whatever language printed it), the lines, then the QR code of its check.
func writeDocumentPDF(buf *bytes.Buffer, d pdfDocument) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.SetTitle(d.title, true)
	pdf.SetCreator("Pasokan", true)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 18)
	pdf.CellFormat(0, 10, tr(d.title), "", 1, "C", false, 0, "")
	pdf.SetFont("Helvetica", "I", 12)
	pdf.CellFormat(0, 7, tr(d.subtitle), "", 1, "C", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	pdf.CellFormat(0, 6, tr(d.issuer), "", 1, "C", false, 0, "")
	pdf.Ln(5)
	for _, row := range d.rows {
		if row.heading {
			pdf.Ln(2)
			pdf.SetFont("Helvetica", "B", 12)
			pdf.CellFormat(0, 8, tr(row.label), "B", 1, "L", false, 0, "")
			continue
		}
		pdf.SetFont("Helvetica", "", 10)
		value := tr(row.value)
		// A value that wraps (an address, a rejection's reason of up to
		// 1,000 characters) is set closer, so that the longest still
		// leaves the QR code on the one page.
		height := 7.0
		if len(pdf.SplitLines([]byte(value), valueWidth)) > 1 {
			height = 5
		}
		pdf.SetFont("Helvetica", "B", 10)
		pdf.CellFormat(labelWidth, height, tr(row.label), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 10)
		pdf.MultiCell(0, height, value, "", "L", false)
	}
	pdf.Ln(5)
	pdf.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(d.qr))
	left, _, _, _ := pdf.GetMargins()
	y := pdf.GetY()
	pdf.ImageOptions("qr", left, y, 36, 36, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	pdf.SetXY(left+41, y+8)
	pdf.MultiCell(0, 6, tr(d.verifyText+" "+d.verifyURL), "", "L", false)
	pdf.SetXY(left, y+40)
	pdf.SetFont("Helvetica", "I", 9)
	pdf.MultiCell(0, 5, tr(d.printed), "", "L", false)
	return pdf.Output(buf)
}

// verifyOrder lets anyone check a printed order by its code.
func (s *Server) verifyOrder(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := s.Orders.VerifyOrder(ctx, chi.URLParam(r, "code"))
	if errors.Is(err, database.ErrNotFound) {
		s.unknownCode(w, r, orderpage.CheckOrder)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	names, units, err := s.productWords(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, orderpage.VerifyOrder(orderpage.OrderCheckView{Check: c,
		ProductName: names[c.ProductType], ProductUnit: units[c.ProductType],
		VerifyURL: s.BaseURL + "/verify/" + orderpage.CheckOrder + "/" + c.Code}))
}

// verifyReceipt lets anyone check a printed goods-received record by its
// code.
func (s *Server) verifyReceipt(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := s.Orders.VerifyReceipt(ctx, chi.URLParam(r, "code"))
	if errors.Is(err, database.ErrNotFound) {
		s.unknownCode(w, r, orderpage.CheckReceipt)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	names, units, err := s.productWords(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, orderpage.VerifyReceipt(orderpage.ReceiptCheckView{Check: c,
		ProductName: names[c.ProductType], ProductUnit: units[c.ProductType],
		VerifyURL: s.BaseURL + "/verify/" + orderpage.CheckReceipt + "/" + c.Code}))
}

// shownCode bounds how much of an unknown code the page repeats: the path
// may hold anything up to the address limit.
const shownCode = 32

// unknownCode answers 404 for a code no document of kind has, saying how
// to read a code and offering to check it as another kind of document.
func (s *Server) unknownCode(w http.ResponseWriter, r *http.Request, kind string) {
	code, plausible := order.NormalizeCode(chi.URLParam(r, "code"))
	if runes := []rune(code); len(runes) > shownCode {
		code = string(runes[:shownCode]) + "…"
	}
	s.render(w, r, http.StatusNotFound, orderpage.UnknownCode(orderpage.UnknownCodeView{Kind: kind, Code: code, Plausible: plausible}))
}
