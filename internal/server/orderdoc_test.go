package server_test

import (
	"compress/zlib"
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"pasokan/internal/demo"
	"pasokan/internal/i18n"
	"pasokan/internal/order"
	"pasokan/internal/planner"
	"pasokan/internal/supplier"
	"pasokan/internal/testapp"
)

// pdfText is what a PDF's streams hold, inflated: fpdf compresses each
// page's content, so the text it drew is searched there, not in the file's
// bytes.
func pdfText(pdf string) string {
	var out strings.Builder
	rest := pdf
	for {
		i := strings.Index(rest, "stream\n")
		if i < 0 {
			return out.String()
		}
		rest = rest[i+len("stream\n"):]
		j := strings.Index(rest, "\nendstream")
		if j < 0 {
			return out.String()
		}
		data := rest[:j]
		rest = rest[j+len("\nendstream"):]
		zr, err := zlib.NewReader(strings.NewReader(data))
		if err != nil {
			out.WriteString(data) // a stream that was not compressed
			continue
		}
		b, _ := io.ReadAll(zr)
		out.Write(b)
	}
}

// pdfEscape writes text as a PDF string literal holds it.
var pdfEscape = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`)

// The longest address and reason a buyer may type (500 and 1,000
// characters) must still leave each document on one page.
var (
	longAddress = "Gudang Jakarta Pusat, " + strings.Repeat("Jalan Medan Merdeka Barat, ", 17)
	longReason  = "Jahitan lepas pada sepuluh masker; " + strings.Repeat("benang putus di tepi kain, ", 35)
)

// receivedOrder makes an order of the demo's buyer to a curated supplier
// through the store: accepted, shipped in full, and received with a few
// units rejected. It returns the order as its buyer reads it and the
// e-mail of its supplier's owner.
func receivedOrder(t *testing.T, app *testapp.App) (order.Order, string) {
	t.Helper()
	ctx := context.Background()
	s := app.Orders
	buyer := actorOf(t, app, "pembeli@pasokan.test")
	// Dates are the ministry's days, as the store reads them.
	today := time.Now().In(i18n.WIB)
	id, err := s.CreateDemand(ctx, buyer, order.DemandInput{Title: "Masker kain tahap 1", ProductType: "masker-kain",
		Deadline: today.AddDate(0, 1, 0).Format(time.DateOnly), Standard: "SNI 8914:2020 Tipe A", TargetPrice: "4.000",
		Sites: []order.SiteInput{{ProvinceCode: "31", RegencyCode: "31.71", Address: longAddress, Quantity: "600.000"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Approve(ctx, buyer, id, 1); err != nil {
		t.Fatal(err)
	}
	p, err := s.Propose(ctx, buyer, id, planner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Demand(ctx, buyer, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Plan.Lines) == 0 {
		t.Fatal("the plan has no line")
	}
	l := p.Plan.Lines[0]
	if _, err := s.Confirm(ctx, buyer, id, d.Version, []order.LineInput{{SiteID: d.Sites[l.Site].ID, SupplierID: l.SupplierID,
		Quantity: "10.000"}}); err != nil {
		t.Fatal(err)
	}
	if d, err = s.Demand(ctx, buyer, id); err != nil {
		t.Fatal(err)
	}
	o := d.Orders[0]
	email := ownerEmail(t, app, o.SupplierOrgID)
	sup := actorOf(t, app, email)
	day := today.Format(time.DateOnly)
	if err := s.Accept(ctx, sup, o.ID, o.Version); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordShipment(ctx, sup, o.ID, o.Version+1, order.ShipmentInput{Quantity: "10.000", ShippedOn: day,
		Courier: "JNE", Tracking: "JNE-0042"}); err != nil {
		t.Fatal(err)
	}
	if o, err = s.Order(ctx, buyer, o.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordReceipt(ctx, buyer, o.ID, o.Version, order.ReceiptInput{ShipmentID: o.Shipments[0].ID, ReceivedOn: day,
		Accepted: "9.990", Rejected: "10", Reason: longReason}); err != nil {
		t.Fatal(err)
	}
	if o, err = s.Order(ctx, buyer, o.ID); err != nil {
		t.Fatal(err)
	}
	if o.Code == nil || o.Shipments[0].ReceiptCode == nil || o.Shipments[0].ReceiptID == nil {
		t.Fatalf("the order or its receipt has no code: %v, %+v", o.Code, o.Shipments[0])
	}
	return o, email
}

// wantPDF checks that r is a PDF download named filename whose drawn text
// holds every one of want.
func wantPDF(t *testing.T, who string, r *testapp.Response, filename string, want ...string) {
	t.Helper()
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.Body, "%PDF") {
		t.Fatalf("%s: %d, %q, starts %q; want a PDF", who, r.StatusCode, r.Header.Get("Content-Type"), r.Body[:min(len(r.Body), 20)])
	}
	if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="`+filename+`"` {
		t.Errorf("%s: Content-Disposition %q, want an attachment named %s", who, cd, filename)
	}
	if pages := strings.Count(r.Body, "/Type /Page\n"); pages != 1 {
		t.Errorf("%s: %d pages, want one", who, pages)
	}
	text := pdfText(r.Body)
	for _, w := range want {
		if !strings.Contains(text, pdfEscape.Replace(w)) {
			t.Errorf("%s: the PDF does not show %q", who, w)
		}
	}
}

// The printed order (Surat Pesanan) and goods-received record (BAST) go to
// the order's buyer and its supplier only, each with its verification
// code; anyone may check a code, and the check shows what proves the
// document is the same, never its prices or addresses.
func TestOrderDocumentsAndTheirChecks(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 330)
	o, supplierEmail := receivedOrder(t, app)
	id, code := itoa(o.ID), *o.Code
	sh := o.Shipments[0]
	receipt, receiptCode := itoa(*sh.ReceiptID), *sh.ReceiptCode
	price := supplier.FormatRupiah(o.UnitPrice)

	buyer := app.Client(t)
	buyer.Login("pembeli@pasokan.test", demo.Password, "/catalog")
	sup := app.Client(t)
	sup.Login(supplierEmail, demo.Password, "/supplier")
	other := app.Client(t)
	other.Login("umkm@pasokan.test", demo.Password, "/supplier")
	visitor := app.Client(t)

	t.Run("the order's PDF", func(t *testing.T) {
		// The terms, the delivery address and the code are on the paper;
		// the same for both parties.
		want := []string{"SURAT PESANAN", "Purchase Order", code, "/verify/order/" + code, o.BuyerName, o.SupplierName,
			"Gudang Jakarta Pusat", price, "10.000"}
		wantPDF(t, "buyer", buyer.Get("/buyer/orders/"+id+"/document.pdf"), "surat-pesanan-"+id+".pdf", want...)
		wantPDF(t, "supplier", sup.Get("/supplier/orders/"+id+"/document.pdf"), "surat-pesanan-"+id+".pdf", want...)
		// The check compares against what was drawn: a code not on the page
		// is not found there.
		if strings.Contains(pdfText(buyer.Get("/buyer/orders/"+id+"/document.pdf").Body), "AAAA-BBBB-CCCC") {
			t.Error("the PDF's text search finds a code that is not there")
		}
	})

	t.Run("the receipt's PDF", func(t *testing.T) {
		path := "/orders/" + id + "/receipts/" + receipt + "/document.pdf"
		name := "berita-acara-" + id + "-" + receipt + ".pdf"
		want := []string{"BERITA ACARA SERAH TERIMA BARANG", receiptCode, "/verify/receipt/" + receiptCode, o.BuyerName,
			o.SupplierName, "JNE-0042", "9.990", "Jahitan lepas pada sepuluh masker"}
		wantPDF(t, "buyer", buyer.Get("/buyer"+path), name, want...)
		wantPDF(t, "supplier", sup.Get("/supplier"+path), name, want...)
		// A receipt is found only under its own order.
		for _, bad := range []string{"/buyer/orders/" + id + "/receipts/" + itoa(*sh.ReceiptID+1_000_000) + "/document.pdf",
			"/buyer/orders/" + id + "/receipts/x/document.pdf"} {
			if r := buyer.Get(bad); r.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", bad, r.StatusCode)
			}
		}
	})

	t.Run("no one else", func(t *testing.T) {
		for _, path := range []string{"/supplier/orders/" + id + "/document.pdf",
			"/supplier/orders/" + id + "/receipts/" + receipt + "/document.pdf"} {
			if r := other.Get(path); r.StatusCode != http.StatusNotFound || strings.HasPrefix(r.Body, "%PDF") {
				t.Errorf("another supplier, %s: %d, want 404", path, r.StatusCode)
			}
			// The buyer reads its documents under /buyer only.
			if r := buyer.Get(path); r.StatusCode != http.StatusNotFound {
				t.Errorf("the buyer, %s: %d, want 404", path, r.StatusCode)
			}
		}
		for _, path := range []string{"/buyer/orders/" + id + "/document.pdf", "/supplier/orders/" + id + "/document.pdf",
			"/buyer/orders/" + id + "/receipts/" + receipt + "/document.pdf"} {
			if r := visitor.Get(path); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
				t.Errorf("a visitor, %s: %d to %q, want a redirect to the login", path, r.StatusCode, r.Header.Get("Location"))
			}
		}
	})

	// What a check must never show: the price, the address, the reason.
	private := []string{price, "Rp ", "Gudang Jakarta Pusat", "Jahitan lepas"}

	t.Run("the order's check", func(t *testing.T) {
		for _, c := range []string{code, " " + strings.ToLower(code) + " "} {
			r := visitor.Get("/verify/order/" + url.PathEscape(c))
			if r.StatusCode != http.StatusOK {
				t.Fatalf("check %q: %d", c, r.StatusCode)
			}
			for _, w := range []string{`data-testid="genuine"`, `<strong data-testid="check-code">` + code + `</strong>`,
				`<dd data-testid="check-order">` + id + `</dd>`, html.EscapeString(o.BuyerName), html.EscapeString(o.SupplierName),
				`<dd data-testid="check-quantity">10.000 `} {
				if !strings.Contains(r.Body, w) {
					t.Errorf("check %q does not show %s", c, w)
				}
			}
			for _, p := range private {
				if strings.Contains(r.Body, p) {
					t.Errorf("check %q shows %q", c, p)
				}
			}
			if r.Header.Get("X-Robots-Tag") != "noindex" {
				t.Errorf("check %q may be indexed: X-Robots-Tag %q", c, r.Header.Get("X-Robots-Tag"))
			}
		}
		// A code no order has, and a receipt's code, are not an order's.
		for _, c := range []string{"AAAA-BBBB-CCCC", receiptCode} {
			r := visitor.Get("/verify/order/" + c)
			if r.StatusCode != http.StatusNotFound || !strings.Contains(r.Body, `data-testid="unknown-code"`) ||
				!strings.Contains(r.Body, `href="/verify/receipt/`+c+`"`) || strings.Contains(r.Body, `data-testid="genuine"`) {
				t.Errorf("the unknown code %s: %d", c, r.StatusCode)
			}
		}
		// In English, as the reader chose.
		en := app.Client(t)
		en.Post("/language", vals("lang", "en", "next", "/"))
		if r := en.Get("/verify/order/" + code); !strings.Contains(r.Body, "Check a purchase order") {
			t.Errorf("the check in English: %d", r.StatusCode)
		}
	})

	t.Run("the receipt's check", func(t *testing.T) {
		r := visitor.Get("/verify/receipt/" + strings.ToLower(receiptCode))
		if r.StatusCode != http.StatusOK {
			t.Fatalf("check: %d", r.StatusCode)
		}
		for _, w := range []string{`data-testid="genuine"`, `<strong data-testid="check-code">` + receiptCode + `</strong>`,
			`<dd data-testid="check-order">` + id + `</dd>`, html.EscapeString(o.BuyerName), html.EscapeString(o.SupplierName),
			`<dd data-testid="check-accepted">9.990 `, `<dd data-testid="check-rejected">10 `} {
			if !strings.Contains(r.Body, w) {
				t.Errorf("the receipt's check does not show %s", w)
			}
		}
		for _, p := range private {
			if strings.Contains(r.Body, p) {
				t.Errorf("the receipt's check shows %q", p)
			}
		}
		for _, c := range []string{"AAAA-BBBB-CCCC", code, strings.Repeat("Z", 200)} {
			if r := visitor.Get("/verify/receipt/" + c); r.StatusCode != http.StatusNotFound ||
				!strings.Contains(r.Body, `data-testid="unknown-code"`) {
				t.Errorf("the unknown code %.20s: %d", c, r.StatusCode)
			}
		}
	})
}
