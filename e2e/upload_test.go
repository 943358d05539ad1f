package e2e

import (
	"bytes"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"pasokan/internal/i18n"
	"pasokan/internal/testapp"
)

// Uploads on a slow connection (issue 11): the limit is said beside the
// field, a file over it is refused in the browser before it is sent, and
// without JavaScript the server's refusal brings the owner back to the
// documents with the message. One file may serve several kinds; a missing
// kind keeps the chosen file's name in view.

const (
	uploadDetails = `main section[aria-labelledby="documents-heading"] details`
	uploadErrors  = `main [data-testid="upload-errors"]`
)

// uploadPosts counts the requests b's page sends to POST /supplier/documents.
func uploadPosts(b *browser) *atomic.Int32 {
	b.t.Helper()
	var n atomic.Int32
	err := chromedp.Listen(b.ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Request.Method == http.MethodPost &&
			strings.HasSuffix(e.Request.URL, "/supplier/documents") {
			n.Add(1)
		}
	})
	if err != nil {
		b.t.Fatalf("listen for requests: %v", err)
	}
	return &n
}

// documentsOf counts the live documents of the organisation named org.
func documentsOf(t *testing.T, app *testapp.App, org string) int {
	t.Helper()
	return countRows(t, app, `SELECT count(*) FROM documents d JOIN organizations o ON o.id = d.organization_id
		WHERE o.name = $1 AND d.removed_at IS NULL`, org)
}

// chooseFile puts file into the upload form's file input, as a person
// choosing it does (the input's change event fires).
func chooseFile(t *testing.T, b *browser, file string) {
	t.Helper()
	b.step("choose "+filepath.Base(file), chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{file}))
}

// bigFile writes a file one KiB over the 10 MiB limit.
func bigFile(t *testing.T, name string) string {
	t.Helper()
	return writeFile(t, t.TempDir(), name, bytes.Repeat([]byte{'x'}, 10<<20+1<<10))
}

func TestOversizedFileIsRefusedInTheBrowser(t *testing.T) {
	t.Parallel()
	app := startApp(t)
	b := newBrowser(t, app, phone)
	const org = "Konveksi Sinyal Lemah"
	registerOwner(t, b, owner{name: "Rina Kartika", org: org, email: "rina.sinyal@contoh.id", password: "benang katun tiga lapis"})
	posts := uploadPosts(b)
	if st := b.open("/supplier/application"); st != http.StatusOK {
		t.Fatalf("GET /supplier/application answered %d", st)
	}
	openDetails(t, b, uploadDetails)
	b.wantText("#f-file-hint", msg("upload.hint.file", "10 MB"))

	// Chosen: the error shows at once, at the field.
	b.choose("#f-kind", "nib")
	big := bigFile(t, "scan-nib.pdf")
	chooseFile(t, b, big)
	want := msg("upload.error.too_large", "scan-nib.pdf", "10,1 MB", "10 MB")
	b.wantText("#f-file-error", want)
	if v, _ := b.attr("#f-file", "aria-invalid"); v != "true" {
		t.Errorf(`#f-file aria-invalid=%q after choosing a file over the limit, want "true"`, v)
	}
	if v, _ := b.attr("#f-file", "aria-describedby"); !strings.Contains(v, "f-file-error") || !strings.Contains(v, "f-file-hint") {
		t.Errorf("#f-file aria-describedby=%q does not name its hint and its error", v)
	}

	// Sent anyway: nothing goes; the summary above the form has the focus.
	b.step("send the form", chromedp.Click(chromedp.CSS(uploadSubmit)))
	b.wantPath("/supplier/application")
	b.wantContains(uploadErrors, msg("form.has_errors"))
	b.wantText(uploadErrors+` a[href="#f-file"]`, want)
	var focused bool
	b.eval(`document.activeElement === document.querySelector(`+js(uploadErrors)+`)`, &focused)
	if !focused {
		t.Error("the error summary does not have the focus after the refused submit")
	}
	if n := b.count(uploadErrors); n != 1 {
		t.Errorf("%d error summaries, want 1", n)
	}
	b.screenshot("upload-too-large-in-browser")
	wantFits(t, b)
	if n := posts.Load(); n != 0 {
		t.Errorf("%d uploads were sent for a file over the limit, want none", n)
	}
	if n := documentsOf(t, app, org); n != 0 {
		t.Errorf("%d documents stored", n)
	}

	// No kind: said before sending too.
	b.choose("#f-kind", "")
	scan := writePDF(t, t.TempDir(), "scan.pdf", "NIB dan NPWP")
	chooseFile(t, b, scan)
	if n := b.count("#f-file-error"); n != 0 {
		t.Errorf("the error of the file before stays after choosing another: %q", b.text("#f-file-error"))
	}
	b.step("send the form", chromedp.Click(chromedp.CSS(uploadSubmit)))
	b.wantText("#f-kind-error", msg("upload.error.kind_required"))
	b.wantText(uploadErrors+` a[href="#f-kind"]`, msg("upload.error.kind_required"))
	if n := posts.Load(); n != 0 {
		t.Errorf("%d uploads were sent without a kind, want none", n)
	}

	// A file within the limit, for two kinds, goes (and app.js's guard
	// against double submits did not lock the form refused before).
	b.choose("#f-kind", "nib")
	b.check("#f-kind-also-npwp")
	if n := b.count("#f-kind-error"); n != 0 {
		t.Error("the kind's error stays after a kind was chosen")
	}
	if st := b.click(uploadSubmit); st != http.StatusOK {
		t.Fatalf("the upload within the limit ended on a %d page: %s", st, b.textOr("main", ""))
	}
	if n := posts.Load(); n != 1 {
		t.Errorf("%d uploads sent, want 1", n)
	}
	b.wantText("main .flash-success", msg("upload.flash.added_kinds", 2))
	if got := strings.Join(b.texts(documentItems), " | "); !strings.Contains(got, "Scan NIB: scan.pdf") || !strings.Contains(got, "Scan NPWP: scan.pdf") {
		t.Errorf("the documents read %q, want the scan as NIB and as NPWP", got)
	}
	if n := documentsOf(t, app, org); n != 2 {
		t.Errorf("%d documents stored, want 2", n)
	}
}

func TestOversizedFileWithoutJavaScriptLeadsBackToTheDocuments(t *testing.T) {
	t.Parallel()
	app := startApp(t)
	o := phone
	o.NoJS = true
	b := newBrowser(t, app, o)
	const org = "Konveksi Tanpa Skrip"
	registerOwner(t, b, owner{name: "Dewi Lestari", org: org, email: "dewi.tanpa@contoh.id", password: "benang katun tiga lapis"})
	if st := b.open("/supplier/application"); st != http.StatusOK {
		t.Fatalf("GET /supplier/application answered %d", st)
	}
	openDetails(t, b, uploadDetails)
	b.wantText("#f-file-hint", msg("upload.hint.file", "10 MB"))

	// Over the limit: the server reads the body to its end, keeps nothing,
	// and answers with the documents and the error.
	b.choose("#f-kind", "nib")
	b.check("#f-kind-also-npwp")
	chooseFile(t, b, bigFile(t, "scan-besar.pdf"))
	if st := b.click(uploadSubmit); st != http.StatusRequestEntityTooLarge {
		t.Errorf("an upload over the limit answered %d, want 413", st)
	}
	b.wantText("main h1", msg("application.title"))
	want := msg("upload.error.too_large", "scan-besar.pdf", "10,1 MB", "10 MB")
	b.wantText("#documents #f-file-error", want)
	b.wantText(uploadErrors+` a[href="#f-file"]`, want)
	if _, open := b.attr(uploadDetails, "open"); !open {
		t.Error("the upload form with the error is folded away")
	}
	if got := b.value("#f-kind"); got != "nib" {
		t.Errorf("after the refusal the kind is %q, want nib", got)
	}
	var ticked bool
	b.eval(`document.querySelector('#f-kind-also-npwp').checked`, &ticked)
	if !ticked {
		t.Error("after the refusal NPWP is no longer ticked")
	}
	b.screenshot("upload-too-large-without-js")
	wantFits(t, b)
	if n := documentsOf(t, app, org); n != 0 {
		t.Errorf("%d documents stored after the refusal", n)
	}

	// No kind: the error at the kind, and the chosen file named.
	b.choose("#f-kind", "")
	b.step("untick NPWP", chromedp.Click(chromedp.CSS("#f-kind-also-npwp")))
	scan := writePDF(t, t.TempDir(), "scan.pdf", "NIB dan NPWP")
	chooseFile(t, b, scan)
	if st := b.click(uploadSubmit); st != http.StatusUnprocessableEntity {
		t.Errorf("an upload without a kind answered %d, want 422", st)
	}
	b.wantText("#f-kind-error", msg("upload.error.kind_required"))
	b.wantText(uploadErrors+` a[href="#f-kind"]`, msg("upload.error.kind_required"))
	b.wantText(`[data-testid="upload-chosen"]`, msg("upload.chosen_file", "scan.pdf"))
	if n := documentsOf(t, app, org); n != 0 {
		t.Errorf("%d documents stored without a kind", n)
	}

	// Chosen again with its kinds, it goes, once for each.
	b.choose("#f-kind", "npwp")
	b.check("#f-kind-also-nib")
	chooseFile(t, b, scan)
	if st := b.click(uploadSubmit); st != http.StatusOK {
		t.Fatalf("the upload ended on a %d page: %s", st, b.textOr("main", ""))
	}
	b.wantText("main .flash-success", msg("upload.flash.added_kinds", 2))
	if n := documentsOf(t, app, org); n != 2 {
		t.Errorf("%d documents stored, want 2 (NPWP and NIB)", n)
	}
}

func TestUploadLimitInEnglish(t *testing.T) {
	t.Parallel()
	app := startApp(t)
	b := newBrowser(t, app, phone)
	registerOwner(t, b, owner{name: "Ayu Lestari", org: "Konveksi Bahasa", email: "ayu.bahasa@contoh.id", password: "benang katun tiga lapis"})
	if st := b.open("/supplier/application"); st != http.StatusOK {
		t.Fatalf("GET /supplier/application answered %d", st)
	}
	if st := b.click(`.site-header .lang-switch button[value="en"]`); st != http.StatusOK {
		t.Fatalf("switching to English answered %d", st)
	}
	b.wantLang("en")
	openDetails(t, b, uploadDetails)
	en := func(key string, args ...any) string { return i18n.Translate(i18n.EN, key, args...) }
	b.wantText("#f-file-hint", en("upload.hint.file", "10 MB"))
	chooseFile(t, b, bigFile(t, "scan.pdf"))
	b.wantText("#f-file-error", en("upload.error.too_large", "scan.pdf", "10.1 MB", "10 MB"))
	b.wantText(uploadErrors+` a[href="#f-file"]`, en("upload.error.too_large", "scan.pdf", "10.1 MB", "10 MB"))
}
