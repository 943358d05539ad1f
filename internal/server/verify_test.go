package server_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"pasokan/internal/demo"
	"pasokan/internal/i18n"
	"pasokan/internal/testapp"
)

// Anyone holding a printed certificate can type its code at /verify and is
// led to its check; a code no certificate has is said plainly, with the
// form again and the code kept. The certificate, on its page and in its
// PDF, writes dates and numbers in the reader's language and says who
// issued it and until when it holds.

// verifyFormOf reports what is missing from a page that should hold the
// code form: a GET form to /verify with a labelled field code, its hint,
// and no example in a placeholder.
func verifyFormOf(body string) []string {
	var missing []string
	for _, w := range []string{`<form method="get" action="/verify"`, `<label for="f-code">`, `name="code"`,
		`id="f-code-hint"`, `aria-describedby="f-code-hint`} {
		if !strings.Contains(body, w) {
			missing = append(missing, w)
		}
	}
	if strings.Contains(body, "placeholder=") {
		missing = append(missing, "no placeholder")
	}
	return missing
}

func TestVerifyFormLeadsToTheCertificate(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 40)
	code := listedSuppliers(t, app)[0].certificate
	visitor := app.Client(t)

	t.Run("the form", func(t *testing.T) {
		r := visitor.Get("/verify")
		if r.StatusCode != http.StatusOK {
			t.Fatalf("GET /verify: %d", r.StatusCode)
		}
		if missing := verifyFormOf(r.Body); len(missing) > 0 {
			t.Errorf("the form lacks %v:\n%s", missing, r.Body)
		}
		if !strings.Contains(r.Body, `<label for="f-code">Kode sertifikat</label>`) || !strings.Contains(r.Body, "Kode sertifikat”") {
			t.Error("the label, or the hint saying where the code is printed, is missing")
		}
		if strings.Contains(r.Body, `class="form-errors"`) {
			t.Error("an empty form shows errors before anything was typed")
		}
		// Every page's footer leads to it.
		if r := visitor.Get("/"); !strings.Contains(r.Body, `<a href="/verify">Periksa sertifikat kurasi</a>`) {
			t.Error("the home page's footer does not link the form")
		}
	})

	t.Run("a code leads to its check", func(t *testing.T) {
		// As printed, and as people type it: lower case, spaces, no dashes.
		for _, typed := range []string{code, "  " + strings.ToLower(code) + " ", strings.ReplaceAll(code, "-", " "),
			strings.ReplaceAll(strings.ToLower(code), "-", "")} {
			r := visitor.Get("/verify?code=" + url.QueryEscape(typed))
			if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/verify/"+code {
				t.Errorf("code %q: %d to %q, want 303 to /verify/%s", typed, r.StatusCode, r.Header.Get("Location"), code)
			}
		}
		r := visitor.Get("/verify/" + code)
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Sertifikat ini sah dan berlaku.") {
			t.Fatalf("the check: %d", r.StatusCode)
		}
		// The path takes a code as people write it too.
		if r := visitor.Get("/verify/" + url.PathEscape(" "+strings.ToLower(code))); r.StatusCode != http.StatusOK ||
			!strings.Contains(r.Body, "<strong>"+code+"</strong>") {
			t.Errorf("the check of a lower-case code: %d", r.StatusCode)
		}
		// The check for machines and the order's checks answer as before.
		if r := visitor.Get("/verify/" + code + ".json"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `"valid":true`) {
			t.Errorf("/verify/%s.json: %d %s", code, r.StatusCode, r.Body)
		}
		for _, p := range []string{"/verify/order/" + code, "/verify/receipt/" + code} {
			if r := visitor.Get(p); r.StatusCode != http.StatusNotFound || !strings.Contains(r.Body, `data-testid="unknown-code"`) {
				t.Errorf("%s: %d, want the order check's 404", p, r.StatusCode)
			}
		}
	})

	t.Run("an empty or malformed code is an error on the form", func(t *testing.T) {
		for _, tc := range []struct{ typed, message string }{
			{"", "Ketik kode sertifikat."},
			{"   ", "Ketik kode sertifikat."},
			{"K7QM-2XPD", "Kode sertifikat terdiri atas dua belas huruf dan angka"},
			{"K7QM/2XPD/9RTA", "Kode sertifikat terdiri atas dua belas huruf dan angka"},
		} {
			r := visitor.Get("/verify?code=" + url.QueryEscape(tc.typed))
			if r.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("code %q: %d, want 422", tc.typed, r.StatusCode)
				continue
			}
			if missing := verifyFormOf(r.Body); len(missing) > 0 {
				t.Errorf("code %q: the form lacks %v", tc.typed, missing)
			}
			// The error summary at the top links the field, which says it too.
			for _, w := range []string{`class="form-errors" role="alert"`, `<a href="#f-code">` + tc.message,
				`id="f-code-error"`, `aria-invalid="true"`} {
				if !strings.Contains(r.Body, w) {
					t.Errorf("code %q: no %s", tc.typed, w)
				}
			}
			if want := `value="` + html.EscapeString(strings.TrimSpace(tc.typed)) + `"`; !strings.Contains(r.Body, want) {
				t.Errorf("code %q: what was typed is not kept (%s)", tc.typed, want)
			}
		}
	})

	t.Run("an unknown code offers the form again", func(t *testing.T) {
		r := visitor.Get("/verify/aaaa-bbbb-cccc")
		if r.StatusCode != http.StatusNotFound {
			t.Fatalf("unknown code: %d, want 404", r.StatusCode)
		}
		for _, w := range []string{`data-testid="unknown-code"`, "Tidak ada sertifikat dengan kode AAAA-BBBB-CCCC.",
			`value="aaaa-bbbb-cccc"`, `href="/verify/order/AAAA-BBBB-CCCC"`, `href="/verify/receipt/AAAA-BBBB-CCCC"`} {
			if !strings.Contains(r.Body, w) {
				t.Errorf("unknown code: no %s", w)
			}
		}
		if missing := verifyFormOf(r.Body); len(missing) > 0 {
			t.Errorf("unknown code: the form lacks %v", missing)
		}
		// A code that cannot be one is unknown too, kept as it came, and not
		// offered as another document's.
		r = visitor.Get("/verify/" + url.PathEscape("kode-<b>salah</b>"))
		if r.StatusCode != http.StatusNotFound || !strings.Contains(r.Body, `value="kode-&lt;b&gt;salah&lt;/b&gt;"`) ||
			strings.Contains(r.Body, "<b>salah") || strings.Contains(r.Body, `data-testid="try-as"`) {
			t.Errorf("a malformed code: %d\n%s", r.StatusCode, r.Body)
		}
		if missing := verifyFormOf(r.Body); len(missing) > 0 {
			t.Errorf("a malformed code: the form lacks %v", missing)
		}
	})

	t.Run("in English", func(t *testing.T) {
		en := app.Client(t)
		en.Post("/language", vals("lang", "en", "next", "/"))
		if r := en.Get("/verify"); !strings.Contains(r.Body, `<label for="f-code">Certificate code</label>`) {
			t.Error("the form in English has no English label")
		}
		if r := en.Get("/verify?code="); !strings.Contains(r.Body, "Type the certificate code.") {
			t.Error("the error in English")
		}
		if r := en.Get("/verify/AAAA-BBBB-CCCC"); !strings.Contains(r.Body, "There is no certificate with code AAAA-BBBB-CCCC.") {
			t.Error("the unknown code in English")
		}
	})
}

// TestCertificateWordsAndNumbers: the certificate's page and PDF write its
// dates in the reader's language ("2 Desember 2026", never 2026-12-02),
// name the curator organisation and the ministry that issued it, and say
// until when it holds: it has no expiry date, so it says it holds while the
// supplier stays curated and where to check, or since when it no longer
// holds.
func TestCertificateWordsAndNumbers(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 40)
	ctx := context.Background()
	all := listedSuppliers(t, app)
	standing, revoked := all[0], all[1]
	in := func(l i18n.Lang) context.Context { return i18n.WithLang(ctx, l) }

	c, err := app.Curation.Verify(ctx, standing.certificate)
	if err != nil {
		t.Fatal(err)
	}
	sup := app.Client(t)
	sup.Login(standing.owner, demo.Password, "/supplier")
	iso := c.IssuedAt.In(i18n.WIB).Format(time.DateOnly)
	verifyURL := app.URL + "/verify/" + c.Code
	pdfName := "sertifikat-kurasi-" + c.Code + ".pdf"

	for _, tc := range []struct {
		lang   i18n.Lang
		issuer string
		open   string
	}{
		{i18n.ID, "Kementerian Koperasi dan UKM", "Tanpa tanggal kedaluwarsa"},
		{i18n.EN, "Ministry of Cooperatives and SMEs", "No expiry date"},
	} {
		sup.Post("/language", vals("lang", string(tc.lang), "next", "/"))
		date := i18n.Date(in(tc.lang), c.IssuedAt)
		printed := i18n.Date(in(tc.lang), time.Now())
		// The PDF: its lines are drawn one by one, so each phrase looked
		// for is short enough to stay on one line. Its text is in its
		// fonts' encoding (cp1252), so a name with a dash is looked for in
		// its parts.
		r := sup.Get("/supplier/certificate.pdf")
		want := append([]string{c.Code, date, tc.issuer, tc.open, printed}, strings.Split(c.Content.CuratorName, " — ")...)
		wantPDF(t, string(tc.lang)+" PDF", r, pdfName, want...)
		if text := pdfText(r.Body); strings.Contains(text, iso) {
			t.Errorf("%s PDF: the ISO date %s is printed", tc.lang, iso)
		}
		// The page says the same.
		page := sup.Get("/supplier/certificate")
		for _, w := range []string{`<dd data-testid="certificate-issued">` + date + `</dd>`,
			`<dd data-testid="certificate-curator">` + html.EscapeString(c.Content.CuratorName) + `</dd>`,
			`<dd data-testid="certificate-issuer">` + tc.issuer, `<dd data-testid="certificate-validity">` + tc.open, verifyURL} {
			if !strings.Contains(page.Body, w) {
				t.Errorf("%s page: no %s", tc.lang, w)
			}
		}
		if strings.Contains(page.Body, iso) {
			t.Errorf("%s page: the ISO date %s is shown", tc.lang, iso)
		}
	}

	// A certificate that no longer holds says since when, on the public
	// check and on the supplier's paper.
	revokedAt := time.Date(2020, time.May, 4, 10, 0, 0, 0, i18n.WIB)
	if n := asOwner(t, app, `UPDATE certificates SET revoked_at = $2, revoked_reason = 'suspended' WHERE code = $1`,
		revoked.certificate, revokedAt); n != 1 {
		t.Fatalf("revoked %d certificates, want 1", n)
	}
	r := app.Client(t).Get("/verify/" + revoked.certificate)
	if !strings.Contains(r.Body, `<dd data-testid="certificate-validity">Tidak berlaku sejak 4 Mei 2020.</dd>`) ||
		!strings.Contains(r.Body, "Sertifikat ini tidak berlaku lagi.") || strings.Contains(r.Body, "Tanpa tanggal kedaluwarsa") {
		t.Errorf("the check of a revoked certificate: %d", r.StatusCode)
	}
	other := app.Client(t)
	other.Login(revoked.owner, demo.Password, "/supplier")
	wantPDF(t, "revoked PDF", other.Get("/supplier/certificate.pdf"), "sertifikat-kurasi-"+revoked.certificate+".pdf",
		"Tidak berlaku sejak 4 Mei 2020.", "Sertifikat ini tidak berlaku lagi.")
}
