package server_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"pasokan/internal/testapp"
)

// uploadParts posts the upload form's fields in the order a browser sends
// them (the select's kind, the ticked kinds, the file) and returns the
// answer. length < 0 sends the body without a Content-Length.
func uploadParts(t testing.TB, c *testapp.Client, app *testapp.App, kinds []string, extra url.Values, name string, data []byte, length int64) *testapp.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, k := range kinds {
		_ = mw.WriteField("kind", k)
	}
	for k, vs := range extra {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	var rd io.Reader = &body
	if length < 0 {
		rd = io.MultiReader(&body) // hides the length from the client
	}
	req, _ := http.NewRequest(http.MethodPost, app.URL+"/supplier/documents", rd)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if length < 0 {
		req.ContentLength = -1
	}
	return c.Do(req)
}

var documentItemRe = regexp.MustCompile(`<strong>([^<]+)</strong>:\s*<a href="/documents/\d+">([^<]+)</a>`)

// documentItems are the application page's documents as "kind: file".
func documentItems(page string) []string {
	var out []string
	for _, m := range documentItemRe.FindAllStringSubmatch(page, -1) {
		out = append(out, m[1]+": "+m[2])
	}
	return out
}

func TestOneFileServesSeveralDocumentKinds(t *testing.T) {
	t.Parallel()
	// The quota holds the scan once and a little more: a file counts once,
	// however many kinds it serves.
	scan := append(append([]byte{}, minimalPDF...), 1)
	app := testapp.New(t, testapp.WithUploadQuota(int64(len(scan)+10)))
	c := newSupplier(t, app, "siti@contoh.id")

	// The select says NIB, the boxes NPWP and NIB again.
	r := uploadParts(t, c, app, []string{"nib", "npwp", "nib"}, nil, "scan NIB dan NPWP.pdf", scan, 0)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload for two kinds: %d\n%s", r.StatusCode, r.Body)
	}
	page := c.Get("/supplier/application")
	got := strings.Join(documentItems(page.Body), "; ")
	if got != "Scan NIB: scan_NIB_dan_NPWP.pdf; Scan NPWP: scan_NIB_dan_NPWP.pdf" {
		t.Errorf("documents after one upload for two kinds: %q", got)
	}
	if !strings.Contains(page.Body, "Berkas terunggah sebagai 2 dokumen.") {
		t.Error("the flash does not say the file became two documents")
	}
	if !strings.Contains(page.Body, "tersisa 10 B") {
		t.Errorf("the file is counted twice against the quota: %s", regexp.MustCompile(`Ruang dokumen[^<]*`).FindString(page.Body))
	}

	// The same file again for a kind it serves already: not stored twice;
	// for one more kind: stored, and it still fits the quota.
	if r := uploadParts(t, c, app, []string{"npwp"}, nil, "lagi.pdf", scan, 0); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("the same file again: %d", r.StatusCode)
	}
	page = c.Get("/supplier/application")
	if !strings.Contains(page.Body, "tidak disimpan dua kali") || len(documentItems(page.Body)) != 2 {
		t.Errorf("the same file for the same kind: %v", documentItems(page.Body))
	}
	if r := uploadParts(t, c, app, []string{"", "permit"}, nil, "lagi.pdf", scan, 0); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("the same file for another kind, ticked only: %d\n%s", r.StatusCode, r.Body)
	}
	if items := documentItems(c.Get("/supplier/application").Body); len(items) != 3 || items[2] != "Izin edar / sertifikat: lagi.pdf" {
		t.Errorf("the same file for a third kind: %v", items)
	}

	// An unknown kind among them stores nothing.
	r = uploadParts(t, c, app, []string{"photo", "ktp"}, nil, "foto.png", pngFile(t, 9), 0)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="f-kind-error"`) {
		t.Errorf("an unknown kind: %d", r.StatusCode)
	}
	if n := len(documentItems(c.Get("/supplier/application").Body)); n != 3 {
		t.Errorf("an upload with an unknown kind stored something: %d documents", n)
	}
}

func TestUploadWithoutKindKeepsTheChosenFile(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := newSupplier(t, app, "siti@contoh.id")
	// The select left at "Pilih", no box ticked: the browser sends an
	// empty kind.
	r := uploadParts(t, c, app, []string{""}, url.Values{"taken_on": {"2020-04-14"}}, "scan.pdf", minimalPDF, 0)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("no kind: %d, want 422", r.StatusCode)
	}
	kindError := regexp.MustCompile(`<p class="field-error" id="f-kind-error">([^<]*)</p>`).FindStringSubmatch(r.Body)
	if kindError == nil || kindError[1] != "Pilih jenis dokumen." {
		t.Errorf("the kind field's error: %v", kindError)
	}
	if !strings.Contains(r.Body, `<a href="#f-kind">Pilih jenis dokumen.</a>`) || !strings.Contains(r.Body, `data-testid="upload-errors"`) {
		t.Error("the error summary does not link to the kind")
	}
	if !strings.Contains(r.Body, "Berkas yang dipilih: scan.pdf — pilih lagi berkas ini") {
		t.Error("the page does not name the file that was chosen")
	}
	if !strings.Contains(r.Body, `value="2020-04-14"`) {
		t.Error("the date typed is not kept")
	}
	if page := c.Get("/supplier/application"); !strings.Contains(page.Body, "Belum ada dokumen") {
		t.Error("an upload without a kind stored something")
	}

	// In English too.
	if r := c.Post("/language", url.Values{"lang": {"en"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("language: %d", r.StatusCode)
	}
	r = uploadParts(t, c, app, []string{""}, nil, "scan.pdf", minimalPDF, 0)
	if !strings.Contains(r.Body, "PDF, JPG, PNG or WebP, at most 10 MB per file.") ||
		!strings.Contains(r.Body, `id="f-kind-error">Choose the kind of document.`) ||
		!strings.Contains(r.Body, "File chosen: scan.pdf — choose this file again") {
		t.Error("in English, the hint does not state the limit, or the errors are not in English")
	}
}

func TestOversizedUploadComesBackToTheDocuments(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := newSupplier(t, app, "siti@contoh.id")
	page := c.Get("/supplier/application")
	if !strings.Contains(page.Body, "PDF, JPG, PNG, atau WebP, paling besar 10 MB per berkas.") ||
		!strings.Contains(page.Body, `data-max-bytes="10485760"`) || !strings.Contains(page.Body, `src="/static/upload.`) {
		t.Fatal("the form does not state the limit beside the file field, or does not give it to upload.js")
	}

	big := bytes.Repeat([]byte{0x89}, 11<<20+300<<10)
	for _, tt := range []struct {
		name   string
		length int64
	}{
		{"with its length", 0},
		{"without a length", -1},
	} {
		r := uploadParts(t, c, app, []string{"nib", "npwp"}, nil, "scan besar.pdf", big, tt.length)
		if r.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("%s: %d, want 413", tt.name, r.StatusCode)
		}
		// The application's page, not an error page: the documents, the
		// form with what was chosen, and the error at the file field.
		want := "Berkas terlalu besar: scan besar.pdf berukuran 11,3 MB, sedangkan batasnya 10 MB per berkas."
		if !strings.Contains(r.Body, `id="documents"`) || !strings.Contains(r.Body, `id="f-file-error">`+want) ||
			!strings.Contains(r.Body, `<a href="#f-file">`+want) {
			t.Errorf("%s: the answer is not the documents with the error at the file:\n%s", tt.name, r.Body)
		}
		if !strings.Contains(r.Body, `<option value="nib" selected>`) || !strings.Contains(r.Body, `id="f-kind-also-npwp" checked`) {
			t.Errorf("%s: the kinds chosen are not kept", tt.name)
		}
		// Read to its end, the connection stays usable.
		if r.Close {
			t.Errorf("%s: the connection is closed after a body that was read whole", tt.name)
		}
	}

	// Far beyond the limit, the body is not read: the same page comes back
	// at once, and the connection is closed.
	huge := io.LimitReader(zeros{}, 80<<20)
	req, _ := http.NewRequest(http.MethodPost, app.URL+"/supplier/documents", huge)
	req.ContentLength = 80 << 20
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	r := c.Do(req)
	if r.StatusCode != http.StatusRequestEntityTooLarge || !r.Close || !strings.Contains(r.Body, `id="f-file-error">Berkas terlalu besar: berkas yang dipilih berukuran 80 MB`) {
		t.Errorf("80 MB announced: %d, closed %v", r.StatusCode, r.Close)
	}
	if page := c.Get("/supplier/application"); !strings.Contains(page.Body, "Belum ada dokumen") {
		t.Error("an oversized upload stored something")
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// A revision asked of one kind is answered by one file for several kinds.
func TestRevisedKindIsChangedByAFileForSeveralKinds(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	sup, path := submittedSupplier(t, app, "siti@contoh.id", 11)
	cur := app.Client(t)
	cur.Login("kurator@pasokan.test", "pasokan-demo", "/curation")
	page := cur.Get(path)
	if r := cur.Post(path+"/claim", url.Values{"version": {reviewVersion(t, page.Body)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("claim: %d", r.StatusCode)
	}
	page = cur.Get(path)
	r := cur.Post(path+"/decision", url.Values{"version": {reviewVersion(t, page.Body)}, "decision": {"revise"},
		"revise_document_npwp": {"Scan NPWP belum ada"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("revise: %d\n%s", r.StatusCode, r.Body)
	}
	sp := sup.Get("/supplier/application")
	if !strings.Contains(sp.Body, "Scan NPWP belum ada") || !strings.Contains(sp.Body, `data-testid="flag-unchanged"`) {
		t.Fatal("the supplier does not see the flag on the NPWP scan as unchanged")
	}
	// The flag's link chooses the kind in the form.
	if form := sup.Get("/supplier/application?kind=npwp"); !strings.Contains(form.Body, `<option value="npwp" selected>`) {
		t.Error("?kind=npwp does not choose the kind")
	}
	scan := append(append([]byte{}, minimalPDF...), 11, 12)
	if r := uploadParts(t, sup, app, []string{"nib", "npwp"}, nil, "nib-npwp.pdf", scan, 0); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", r.StatusCode)
	}
	sp = sup.Get("/supplier/application")
	if !strings.Contains(sp.Body, `data-testid="flag-changed"`) || strings.Contains(sp.Body, `data-testid="flag-unchanged"`) ||
		!strings.Contains(sp.Body, `action="/supplier/application/submit"`) {
		t.Error("a file uploaded for NIB and NPWP does not count as a change of the flagged NPWP")
	}
}
