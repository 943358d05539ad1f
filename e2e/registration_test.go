package e2e

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pasokan/internal/testapp"
)

// The UMKM owner's registration: business profile, products, documents,
// submission; what a wrong entry looks like; and who may open an uploaded
// file.

// business is what an owner types into the profile form.
type business struct {
	legalName, tradingName, legalForm, sizeClass, nib, npwp, kbli, sector,
	province, regency, address, phone, workforce, equipment string
}

// konveksi is a sewing business in Kota Bandung, Jawa Barat, switching from
// school uniforms to masks and gowns. Every field is filled and valid.
var konveksi = business{
	legalName:   "CV Konveksi Cigadung Jaya",
	tradingName: "Cigadung Jaya",
	legalForm:   "cv",
	sizeClass:   "kecil",
	nib:         "9120001234567",
	npwp:        "01.234.567.4-015.000",
	kbli:        "14111, 13921",
	sector:      "Konveksi seragam sekolah",
	province:    "32",    // Jawa Barat
	regency:     "32.73", // Kota Bandung
	address:     "Jl. Cigadung Raya Timur No. 12, Cibeunying Kaler, Bandung 40191",
	phone:       "0812-3456-7890",
	workforce:   "25",
	equipment:   "20 mesin jahit, 2 mesin obras, 1 mesin potong",
}

// product is one line of the product form.
type product struct {
	code, capacity, priceMin, priceMax string
	// What the product table shows for it.
	name, capacityShown, priceShown string
}

var (
	maskerKain = product{code: "masker-kain", capacity: "50.000", priceMin: "2.500", priceMax: "4.000",
		name: "Masker kain", capacityShown: "50.000 lembar", priceShown: "Rp 2.500 – Rp 4.000"}
	gaunIsolasi = product{code: "gaun-isolasi", capacity: "2000", priceMin: "35000", priceMax: "60.000",
		name: "Gaun isolasi", capacityShown: "2.000 potong", priceShown: "Rp 35.000 – Rp 60.000"}
)

// Selectors of the supplier pages.
const (
	dashboardProfileButton = `main a.button[href="/supplier/profile"]`
	profileSave            = `main form[action="/supplier/profile"] button[type="submit"]`
	productSave            = `main form[action="/supplier/application/products"] button[type="submit"]`
	uploadSubmit           = `main form[action="/supplier/documents"] button[type="submit"]`
	applicationSubmit      = `#submit form[action="/supplier/application/submit"] button[type="submit"]`
	productRows            = `main section[aria-labelledby="product-heading"] .table-wrap tbody tr`
	noProducts             = `main section[aria-labelledby="product-heading"] > p.muted`
	documentItems          = `main section[aria-labelledby="documents-heading"] > ul > li`
	noDocuments            = `main section[aria-labelledby="documents-heading"] > p.muted`
	timeline               = `main section[aria-labelledby="timeline-heading"]`
	documentLink           = `a[href^="/documents/"]`
)

// registerOwner signs an owner up on /register and checks the landing on
// the dashboard.
func registerOwner(t *testing.T, b *browser, o owner) {
	t.Helper()
	if st := b.open("/register"); st != http.StatusOK {
		t.Fatalf("GET /register answered %d", st)
	}
	b.fill("#f-name", o.name)
	b.fill("#f-organization_name", o.org)
	b.fill("#f-email", o.email)
	b.fill("#f-password", o.password)
	b.check("#f-consent")
	if st := b.click(`main form[action="/register"] button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("sign-up ended on a %d page at %s: %s", st, b.path(), b.textOr("main", ""))
	}
	b.wantPath("/supplier")
	b.wantText("main .flash-success", msg("flash.registered"))
}

// confirmOwnerEmail follows, in b, the confirmation link the sign-up
// e-mailed to email (as the outbox holds it), and checks the page it
// opens: the address confirmed, and the way on to the dashboard.
func confirmOwnerEmail(t *testing.T, app *testapp.App, b *browser, email string) {
	t.Helper()
	app.Deliver(t)
	link := app.LinkIn(t, email, "email_confirm")
	path := strings.TrimPrefix(link, app.URL)
	if !strings.HasPrefix(path, "/email/confirm/") {
		t.Fatalf("the confirmation e-mail's link is %q", link)
	}
	if st := b.open(path); st != http.StatusOK {
		t.Fatalf("the e-mailed confirmation link answered %d", st)
	}
	b.wantText("main h1", msg("confirm.done.title"))
	b.wantFitsWidth()
	if st := b.click(`main a[data-testid="confirm-next"]`); st != http.StatusOK {
		t.Fatalf("the next step after confirming led to a %d page", st)
	}
	b.wantPath("/supplier")
	if n := b.count(`[data-testid="confirm-email-banner"]`); n != 0 {
		t.Errorf("the dashboard still asks to confirm the address after confirming it")
	}
}

// check ticks the checkbox sel the way a person does, by clicking it,
// and fails unless it is ticked after.
func (b *browser) check(sel string) {
	b.t.Helper()
	b.step("tick "+sel, chromedp.Click(chromedp.CSS(sel)))
	var on bool
	b.eval(`document.querySelector(`+js(sel)+`).checked`, &on)
	if !on {
		b.t.Fatalf("%s is not ticked after clicking it on %s", sel, b.path())
	}
}

// choose picks the option value of the select sel the way a person can: it
// fails when there is no such option or when it is disabled (a person
// cannot pick it), and fires input and change as a real choice does.
func (b *browser) choose(sel, value string) {
	b.t.Helper()
	var r struct {
		Found, Option, Disabled bool
		Value                   string
	}
	b.eval(`(() => { const s = document.querySelector(`+js(sel)+`);
		if (!s) return {found: false};
		const o = [...s.options].find(o => o.value === `+js(value)+`);
		if (!o) return {found: true, option: false};
		if (o.disabled || (o.parentElement.tagName === 'OPTGROUP' && o.parentElement.disabled)) return {found: true, option: true, disabled: true};
		s.value = o.value;
		s.dispatchEvent(new Event('input', {bubbles: true}));
		s.dispatchEvent(new Event('change', {bubbles: true}));
		return {found: true, option: true, value: s.value}; })()`, &r)
	switch {
	case !r.Found:
		b.t.Fatalf("no select %q on %s", sel, b.location())
	case !r.Option:
		b.t.Fatalf("select %q on %s offers no option %q", sel, b.path(), value)
	case r.Disabled:
		b.t.Fatalf("select %q on %s: option %q is disabled, a person cannot choose it", sel, b.path(), value)
	case r.Value != value:
		b.t.Fatalf("select %q on %s holds %q after choosing %q", sel, b.path(), r.Value, value)
	}
}

// setField sets the value of a control that has no typing of its own to
// test (a date picker) and fires input and change.
func (b *browser) setField(sel, value string) {
	b.t.Helper()
	var ok bool
	b.eval(`(() => { const e = document.querySelector(`+js(sel)+`); if (!e) return false;
		e.value = `+js(value)+`;
		e.dispatchEvent(new Event('input', {bubbles: true}));
		e.dispatchEvent(new Event('change', {bubbles: true}));
		return e.value === `+js(value)+`; })()`, &ok)
	if !ok {
		b.t.Fatalf("could not set %q to %q on %s", sel, value, b.location())
	}
}

// wantFits fails when the page scrolls sideways (wantFitsWidth) and then
// names what sticks out: elements past the right edge that no scroll box
// clips, or that are absolutely positioned (and so escape a scroll box
// that is not their containing block).
func wantFits(t *testing.T, b *browser) {
	t.Helper()
	var sw int
	b.eval(`document.documentElement.scrollWidth`, &sw)
	b.wantFitsWidth()
	if sw <= int(b.opts.Width) {
		return
	}
	var out []string
	b.eval(`(() => { const W = `+fmt.Sprint(b.opts.Width)+`;
		const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
			(typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : '');
		return [...document.querySelectorAll('body *')].filter(e => {
			const r = e.getBoundingClientRect(), pos = getComputedStyle(e).position;
			if (r.right <= W + 0.5 || r.width === 0) return false;
			if (pos === 'absolute' || pos === 'fixed') return true;
			for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
				if (getComputedStyle(p).overflowX !== 'visible') return false;
			}
			return true;
		}).slice(0, 10).map(e => { const r = e.getBoundingClientRect(), pos = getComputedStyle(e).position;
			let path = []; for (let p = e.parentElement; p && p !== document.body && path.length < 4; p = p.parentElement) path.push(name(p));
			return name(e) + ' (' + pos + ', right edge ' + Math.round(r.right) + 'px, ' + JSON.stringify((e.innerText || '').trim().slice(0, 30)) + ', in ' + path.join(' < ') + ')'; }); })()`, &out)
	t.Errorf("%s: what sticks out past %dpx: %s", b.path(), b.opts.Width, strings.Join(out, "; "))
}

// noteSmallTargets logs the links, buttons and controls in main that are
// less than 44px tall (WCAG 2.5.5's size). Links inside running text are
// exempt there, so this notes rather than fails.
func noteSmallTargets(t *testing.T, b *browser) {
	t.Helper()
	var small []measure
	b.eval(`(() => { const shown = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
			return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none'; };
		const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
			(typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : '');
		return [...document.querySelectorAll('main a, main button, main summary, main select, main input:not([type=hidden]), main textarea')]
			.filter(e => shown(e) && !e.closest('.visually-hidden') && e.getBoundingClientRect().height < 44)
			.map(e => ({el: name(e), text: (e.innerText || e.value || '').trim().replace(/\s+/g, ' ').slice(0, 40),
				v: Math.round(e.getBoundingClientRect().height * 10) / 10})); })()`, &small)
	for _, m := range small {
		t.Logf("%s: note, touch target under 44px tall: %v", b.path(), m)
	}
}

// regencyGroup is one <optgroup> of the regency select.
type regencyGroup struct {
	Group            string
	Hidden, Disabled bool
	Options          int
}

func regencyGroups(b *browser) []regencyGroup {
	b.t.Helper()
	var gs []regencyGroup
	b.eval(`[...document.querySelectorAll('#f-regency_code optgroup[data-group]')].map(g =>
		({group: g.dataset.group, hidden: g.hidden, disabled: g.disabled, options: g.querySelectorAll('option').length}))`, &gs)
	if len(gs) < 30 {
		b.t.Fatalf("the regency select has %d province groups, want one per province (38)", len(gs))
	}
	return gs
}

// fillProfile types a whole profile. With JavaScript on it checks that the
// regency list follows the chosen province; without, that every province's
// group is offered.
func fillProfile(t *testing.T, b *browser, p business, jsOn bool) {
	t.Helper()
	b.fill("#f-legal_name", p.legalName)
	b.fill("#f-trading_name", p.tradingName)
	b.choose("#f-legal_form", p.legalForm)
	b.choose("#f-size_class", p.sizeClass)
	b.fill("#f-nib", p.nib)
	b.fill("#f-npwp", p.npwp)
	b.fill("#f-kbli", p.kbli)
	b.fill("#f-original_sector", p.sector)
	b.fill("#f-workforce", p.workforce)
	b.fill("#f-equipment", p.equipment)

	b.choose("#f-province_code", p.province)
	var open []string
	for _, g := range regencyGroups(b) {
		shown := !g.Hidden && !g.Disabled
		if shown {
			open = append(open, g.Group)
		}
		if jsOn && g.Group != p.province && (!g.Hidden || !g.Disabled) {
			t.Errorf("after choosing province %s the regency group of province %s is hidden=%v disabled=%v, want both",
				p.province, g.Group, g.Hidden, g.Disabled)
		}
		if g.Group == p.province && g.Options == 0 {
			t.Errorf("province %s has no regencies to choose", p.province)
		}
	}
	if jsOn && !slices.Equal(open, []string{p.province}) {
		t.Errorf("after choosing province %s the regency select offers the groups %v, want only %s", p.province, open, p.province)
	}
	if !jsOn && len(open) < 30 {
		t.Errorf("without JavaScript the regency select offers %d province groups, want all of them", len(open))
	}
	b.choose("#f-regency_code", p.regency)
	b.fill("#f-address", p.address)
	b.fill("#f-phone", p.phone)
}

// addProduct fills the product form (opening its <details> when closed)
// and saves it, returning the status of the page it leads to.
func addProduct(t *testing.T, b *browser, p product) int64 {
	t.Helper()
	openDetails(t, b, `main section[aria-labelledby="product-heading"] details`)
	b.choose("#f-product_type", p.code)
	b.fill("#f-monthly_capacity", p.capacity)
	b.fill("#f-price_min", p.priceMin)
	b.fill("#f-price_max", p.priceMax)
	return b.click(productSave)
}

// openDetails clicks the summary of the <details> sel when it is closed.
func openDetails(t *testing.T, b *browser, sel string) {
	t.Helper()
	if _, open := b.attr(sel, "open"); open {
		return
	}
	b.step("open "+sel, chromedp.Click(chromedp.CSS(sel+" > summary")))
	if _, open := b.attr(sel, "open"); !open {
		t.Fatalf("clicking the summary of %s did not open it", sel)
	}
}

// upload sends file as a document of kind through the upload form (taken
// is the photo's date or ""), returning the status of the page it leads to.
func upload(t *testing.T, b *browser, kind, taken, file string) int64 {
	t.Helper()
	openDetails(t, b, `main section[aria-labelledby="documents-heading"] details`)
	b.choose("#f-kind", kind)
	if taken != "" {
		b.setField("#f-taken_on", taken)
	}
	b.step("choose "+filepath.Base(file), chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{file}))
	var n int
	b.eval(`document.querySelector('#f-file').files.length`, &n)
	if n != 1 {
		t.Fatalf("the file input holds %d files after choosing %s", n, file)
	}
	return b.click(uploadSubmit)
}

// tableRows reads the product table's cells.
func tableRows(b *browser) [][]string {
	b.t.Helper()
	var rows [][]string
	b.eval(`[...document.querySelectorAll(`+js(productRows)+`)].map(tr =>
		[...tr.cells].map(td => td.innerText.trim().replace(/\s+/g, ' ')))`, &rows)
	return rows
}

// texts is the visible text of every element matching sel.
func (b *browser) texts(sel string) []string {
	b.t.Helper()
	var out []string
	b.eval(`[...document.querySelectorAll(`+js(sel)+`)].map(e => e.innerText.trim().replace(/\s+/g, ' '))`, &out)
	return out
}

// writePNG draws a real w×h PNG (a sample photo) into dir.
func writePNG(t *testing.T, dir, name string, w, h int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{R: uint8(40 + x*200/w), G: uint8(120 + y*100/h), B: 160, A: 255}
			if (x/20+y/20)%2 == 0 {
				c.B = 220
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return writeFile(t, dir, name, buf.Bytes())
}

// writePDF writes a minimal but valid one-page PDF (objects, a correct
// cross-reference table, trailer) saying text.
func writePDF(t *testing.T, dir, name, text string) string {
	t.Helper()
	content := fmt.Sprintf("BT /F1 18 Tf 72 770 Td (%s) Tj ET", text)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var buf bytes.Buffer
	buf.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = buf.Len()
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&buf, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return writeFile(t, dir, name, buf.Bytes())
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestUMKMRegistersOnPhone is the UMKM owner's whole registration on a
// 360px phone, with JavaScript on and off: sign up, fill the business
// profile, add two products, upload a sample photo and the NIB scan, and
// submit for curation.
func TestUMKMRegistersOnPhone(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		noJS bool
	}{{"js", false}, {"nojs", true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app := startApp(t)
			o := phone
			o.NoJS = tc.noJS
			b := newBrowser(t, app, o)
			if tc.noJS {
				wantScriptsDisabled(t, b)
			}
			shot := "registration-phone-" + tc.name
			registerOwner(t, b, owner{name: "Ujang Suherman", org: "Konveksi Cigadung " + tc.name,
				email: "ujang." + tc.name + "@contoh.id", password: "benang katun tiga lapis"})

			// The dashboard sends a new owner to the profile first, and
			// says the e-mail address waits for its confirmation.
			b.wantContains("main", msg("next.profile"))
			b.wantContains(`main [data-testid="confirm-email-banner"]`, msg("supplier.confirm_email.banner"))
			b.wantText(dashboardProfileButton, msg("supplier.go_profile"))
			if st := b.click(dashboardProfileButton); st != http.StatusOK {
				t.Fatalf("the profile button led to a %d page", st)
			}
			b.wantPath("/supplier/profile")
			b.wantText("main h1", msg("profile.title"))

			fillProfile(t, b, konveksi, !tc.noJS)
			b.screenshot(shot + "-1-profile")
			wantFits(t, b)
			wantReadable(t, b)
			noteSmallTargets(t, b)

			// A complete profile leads on to the application.
			if st := b.click(profileSave); st != http.StatusOK {
				t.Fatalf("saving the profile ended on a %d page at %s: %s", st, b.path(), b.textOr("main", ""))
			}
			b.wantPath("/supplier/application")
			b.wantText("main h1", msg("application.title"))
			b.wantText("main .flash-success", msg("flash.profile_saved"))
			b.wantText("#missing-heading", "Kelengkapan pengajuan")
			missing := b.texts("#missing li")
			want := []string{msg("application.missing_product"), msg("application.missing_nib"), msg("application.missing_photo")}
			if !slices.Equal(missing, want) {
				t.Errorf("after the profile the checklist lists %q, want %q (the profile is complete)", missing, want)
			}
			b.wantText(noProducts, msg("application.no_products"))

			// Two products.
			for i, p := range []product{maskerKain, gaunIsolasi} {
				if st := addProduct(t, b, p); st != http.StatusOK {
					t.Fatalf("saving %s ended on a %d page at %s: %s", p.code, st, b.path(), b.textOr("main", ""))
				}
				b.wantPath("/supplier/application")
				b.wantText("main .flash-success", msg("flash.product_saved"))
				if rows := tableRows(b); len(rows) != i+1 {
					t.Fatalf("after saving %s the product table has %d rows, want %d: %q", p.code, len(rows), i+1, rows)
				}
			}
			rows := tableRows(b)
			for i, p := range []product{maskerKain, gaunIsolasi} {
				r := rows[i]
				// The name, then the link to what curators check of it.
				name := p.name + " " + msg("standards.see_checklist", p.name)
				if len(r) < 4 || r[0] != name || r[1] != p.capacityShown || r[2] != p.priceShown || r[3] != "—" {
					t.Errorf("product row %d reads %q, want [%q %q %q —]", i+1, r, name, p.capacityShown, p.priceShown)
				}
				if n := b.count(productRows + `:nth-child(` + strconv.Itoa(i+1) + `) a[href="/standards/` + p.code + `"]`); n != 1 {
					t.Errorf("product row %d has %d links to its checklist", i+1, n)
				}
			}
			b.wantContains(productRows+":first-child", "Rp 2.500")
			b.wantContains(productRows+":first-child", "Rp 4.000")

			// A sample photo and the NIB scan.
			dir := t.TempDir()
			photo := writePNG(t, dir, "foto-masker.png", 320, 240)
			nib := writePDF(t, dir, "nib-oss.pdf", "NIB 9120001234567")
			if st := upload(t, b, "photo", "2020-04-14", photo); st != http.StatusOK {
				t.Fatalf("uploading the photo ended on a %d page at %s: %s", st, b.path(), b.textOr("main", ""))
			}
			b.wantPath("/supplier/application")
			b.wantText("main .flash-success", msg("flash.document_added"))
			if st := upload(t, b, "nib", "", nib); st != http.StatusOK {
				t.Fatalf("uploading the NIB ended on a %d page at %s: %s", st, b.path(), b.textOr("main", ""))
			}
			b.wantPath("/supplier/application")
			b.wantText("main .flash-success", msg("flash.document_added"))
			docs := b.texts(documentItems)
			if len(docs) != 2 {
				t.Fatalf("the document list has %d entries, want 2: %q", len(docs), docs)
			}
			for _, w := range []struct{ kind, file, extra string }{
				{msg("document.kind.photo"), "foto-masker.png", msg("document.taken_on", "14 April 2020")},
				{msg("document.kind.nib"), "nib-oss.pdf", ""},
			} {
				if !slices.ContainsFunc(docs, func(d string) bool {
					return strings.HasPrefix(d, w.kind+": "+w.file) && strings.Contains(d, w.extra)
				}) {
					t.Errorf("no document entry %q (with %q) in %q", w.kind+": "+w.file, w.extra, docs)
				}
			}
			if n := b.count(`main section[aria-labelledby="documents-heading"] ` + documentLink); n != 2 {
				t.Errorf("%d document links, want 2", n)
			}

			b.wantText("#missing .badge", "Lengkap, siap diajukan")
			// Complete, but the address is not confirmed: the Kirim step
			// says so with the button for a new link, and nothing offers
			// to submit.
			if n := b.count(applicationSubmit); n != 0 {
				t.Errorf("the application offers to submit before the e-mail address is confirmed")
			}
			b.wantText(`[data-testid="task-submit"] .task-status`, msg("tasks.status.confirm_email"))
			b.wantContains(`[data-testid="task-submit"] [data-testid="confirm-email"]`, "ujang."+tc.name+"@contoh.id")
			b.screenshot(shot + "-2-unconfirmed")
			wantFits(t, b)
			resend := `[data-testid="task-submit"] form[action="/email/confirm/resend"] button[type="submit"]`
			b.wantText(resend, msg("confirm.resend"))
			if st := b.click(resend); st != http.StatusOK {
				t.Fatalf("asking for a new link ended on a %d page: %s", st, b.textOr("main", ""))
			}
			b.wantPath("/supplier/application")
			b.wantText("main .flash-success", msg("flash.confirm_sent"))
			confirmOwnerEmail(t, app, b, "ujang."+tc.name+"@contoh.id")
			if st := b.open("/supplier/application"); st != http.StatusOK {
				t.Fatalf("the application answered %d after confirming", st)
			}
			b.wantContains("main", msg("next.submit"))
			b.wantText(`[data-testid="task-submit"] .task-status`, msg("tasks.status.ready"))
			b.wantText(applicationSubmit, "Ajukan sekarang")
			b.screenshot(shot + "-2-application")
			wantFits(t, b)
			wantReadable(t, b)
			noteSmallTargets(t, b)

			// Submit.
			if st := b.click(applicationSubmit); st != http.StatusOK {
				t.Fatalf("submitting ended on a %d page at %s: %s", st, b.path(), b.textOr("main", ""))
			}
			// A confirmation page with the reference number and what
			// happens next, then the dashboard.
			b.wantPath("/supplier/application/submitted")
			b.wantText("main h1", msg("submitted.title"))
			b.wantContains(`[data-testid="reference"]`, "PSK-")
			b.screenshot(shot + "-3-submitted")
			wantFits(t, b)
			wantReadable(t, b)
			if st := b.click(`main a.button[href="/supplier"]`); st != http.StatusOK {
				t.Fatalf("the confirmation's way on answered %d", st)
			}
			b.wantPath("/supplier")
			b.wantText("main h1", "Dasbor usaha")
			b.wantText(`main section[aria-labelledby="status-heading"] .badge`, "Diajukan")
			b.wantText(`[data-testid="task-submit"] .task-status`, msg("tasks.status.sent"))
			b.wantText("#timeline-heading", "Riwayat pengajuan")
			b.wantContains(timeline, "Diajukan untuk kurasi")
			b.screenshot(shot + "-3-dashboard")
			wantFits(t, b)
			wantReadable(t, b)
			noteSmallTargets(t, b)

			// The profile was stored as typed, shown as printed, and is
			// locked while the curators look.
			if st := b.open("/supplier/profile"); st != http.StatusOK {
				t.Fatalf("GET /supplier/profile answered %d", st)
			}
			for sel, want := range map[string]string{
				"#f-legal_name": konveksi.legalName, "#f-trading_name": konveksi.tradingName,
				"#f-legal_form": konveksi.legalForm, "#f-size_class": konveksi.sizeClass,
				"#f-nib": konveksi.nib, "#f-npwp": konveksi.npwp, "#f-kbli": konveksi.kbli,
				"#f-original_sector": konveksi.sector, "#f-province_code": konveksi.province,
				"#f-regency_code": konveksi.regency, "#f-address": konveksi.address,
				"#f-phone": "+62 812-3456-7890", "#f-workforce": konveksi.workforce, "#f-equipment": konveksi.equipment,
			} {
				if got := b.value(sel); got != want {
					t.Errorf("the stored profile shows %s = %q, want %q", sel, got, want)
				}
			}
			b.wantText("main .flash-info", msg("profile.locked"))
			if n := b.count(`main form[action="/supplier/profile"] fieldset:not([disabled])`); n != 0 {
				t.Errorf("%d profile fieldsets are still editable after the submission", n)
			}
			if n := b.count(profileSave); n != 0 {
				t.Error("the profile still has its save button after the submission")
			}
		})
	}
}

// TestRegistrationBadInputInBrowser: wrong entries on the profile and the
// application come back in Indonesian next to their fields with what was
// typed, and nothing of them is stored.
func TestRegistrationBadInputInBrowser(t *testing.T) {
	t.Parallel()
	app := startApp(t)
	b := newBrowser(t, app, phone)
	const org = "Masker Batik Salah Ketik"
	registerOwner(t, b, owner{name: "Sari Wulandari", org: org, email: "sari.salah@contoh.id", password: "benang katun tiga lapis"})

	if st := b.open("/supplier/profile"); st != http.StatusOK {
		t.Fatalf("GET /supplier/profile answered %d", st)
	}
	const (
		badNIB  = "912000123456"         // 12 digits
		badNPWP = "01.234.567.3-015.000" // check digit should be 4
	)
	typed := map[string]string{
		"#f-legal_name": "CV Masker Batik Sari",
		"#f-nib":        badNIB,
		"#f-npwp":       badNPWP,
		"#f-kbli":       "14111",
		"#f-phone":      "0812-3456-7890",
		"#f-workforce":  "7",
	}
	for sel, v := range typed {
		b.fill(sel, v)
	}
	b.choose("#f-legal_form", "perorangan")
	if st := b.click(profileSave); st != http.StatusUnprocessableEntity {
		t.Errorf("a 12-digit NIB and a wrong NPWP answered %d, want 422", st)
	}
	b.wantPath("/supplier/profile")
	b.wantText("main h1", msg("profile.title"))
	b.wantContains(".form-errors", msg("form.has_errors"))
	for field, key := range map[string]string{"nib": "error.nib_invalid", "npwp": "error.npwp_check"} {
		b.wantText("#f-"+field+"-error", msg(key))
		b.wantText(`.form-errors a[href="#f-`+field+`"]`, msg(key))
		if v, _ := b.attr("#f-"+field, "aria-invalid"); v != "true" {
			t.Errorf(`#f-%s aria-invalid=%q, want "true"`, field, v)
		}
		if v, _ := b.attr("#f-"+field, "aria-describedby"); !strings.Contains(v, "f-"+field+"-error") {
			t.Errorf("#f-%s aria-describedby=%q does not name its error", field, v)
		}
	}
	if n := b.count("main .field-error"); n != 2 {
		t.Errorf("%d field errors shown, want 2 (NIB and NPWP): %q", n, b.texts("main .field-error"))
	}
	for sel, want := range typed {
		if got := b.value(sel); got != want {
			t.Errorf("after the error %s holds %q, want what was typed, %q", sel, got, want)
		}
	}
	if got := b.value("#f-legal_form"); got != "perorangan" {
		t.Errorf("after the error the legal form is %q, want perorangan", got)
	}
	b.screenshot("registration-bad-nib-npwp")
	wantFits(t, b)

	// A regency outside the province. With JavaScript on the list offers
	// only the chosen province's regencies, so this is what a stale page
	// or a hand-made request sends: the server must refuse it too.
	b.fill("#f-nib", konveksi.nib)
	b.fill("#f-npwp", konveksi.npwp)
	b.choose("#f-province_code", "31") // DKI Jakarta
	var forced bool
	b.eval(`(() => { const s = document.querySelector('#f-regency_code');
		const g = s.querySelector('optgroup[data-group="32"]'); if (!g) return false;
		g.hidden = false; g.disabled = false; s.value = '32.73'; return s.value === '32.73'; })()`, &forced)
	if !forced {
		t.Fatal("could not put Kota Bandung (32.73) into the regency select")
	}
	if st := b.click(profileSave); st != http.StatusUnprocessableEntity {
		t.Errorf("province 31 with regency 32.73 answered %d, want 422", st)
	}
	b.wantPath("/supplier/profile")
	b.wantContains("#f-regency_code-error", "tidak berada di provinsi")
	b.wantText("#f-regency_code-error", msg("error.regency_outside_province"))
	if n := b.count("main .field-error"); n != 1 {
		t.Errorf("%d field errors shown, want 1 (the regency's): %q", n, b.texts("main .field-error"))
	}
	if got := b.value("#f-province_code"); got != "31" {
		t.Errorf("after the error the province is %q, want 31", got)
	}
	if got := b.value("#f-nib"); got != konveksi.nib {
		t.Errorf("after the error the NIB is %q, want %q", got, konveksi.nib)
	}
	b.screenshot("registration-bad-regency")
	if n := countRows(t, app, `SELECT count(*) FROM supplier_profiles p JOIN organizations o ON o.id = p.organization_id WHERE o.name = $1`, org); n != 0 {
		t.Errorf("%d profiles stored after two refused saves", n)
	}

	// The application: a price range upside down.
	if st := b.open("/supplier/application"); st != http.StatusOK {
		t.Fatalf("GET /supplier/application answered %d", st)
	}
	bad := product{code: "masker-kain", capacity: "1.000", priceMin: "5.000", priceMax: "3.000"}
	if st := addProduct(t, b, bad); st != http.StatusUnprocessableEntity {
		t.Errorf("a minimum price above the maximum answered %d, want 422", st)
	}
	b.wantText("#f-price_min-error", msg("error.price_min_above_max"))
	b.wantText(`.form-errors a[href="#f-price_min"]`, msg("error.price_min_above_max"))
	for sel, want := range map[string]string{"#f-product_type": bad.code, "#f-monthly_capacity": bad.capacity,
		"#f-price_min": bad.priceMin, "#f-price_max": bad.priceMax} {
		if got := b.value(sel); got != want {
			t.Errorf("after the price error %s holds %q, want %q", sel, got, want)
		}
	}
	if _, open := b.attr(`main section[aria-labelledby="product-heading"] details`, "open"); !open {
		t.Error("the product form with an error is folded away")
	}
	b.wantText(noProducts, msg("application.no_products"))
	b.screenshot("registration-bad-price")

	// An HTML page named like a PDF.
	fake := writeFile(t, t.TempDir(), "nib.pdf",
		[]byte("<!doctype html><html><body><h1>NIB</h1><script>alert(document.cookie)</script></body></html>\n"))
	if st := upload(t, b, "nib", "", fake); st != http.StatusUnprocessableEntity {
		t.Errorf("an HTML file named nib.pdf answered %d, want 422", st)
	}
	b.wantContains("#f-file-error", "Jenis berkas tidak diterima")
	b.wantText("#f-file-error", msg("error.file_type"))
	if got := b.value("#f-kind"); got != "nib" {
		t.Errorf("after the file error the kind is %q, want nib", got)
	}
	b.wantText(noDocuments, msg("application.no_documents"))
	b.screenshot("registration-bad-file")

	// What is not complete cannot be sent: no button, and the steps say
	// why.
	if n := b.count(applicationSubmit); n != 0 {
		t.Errorf("an incomplete application offers %d send buttons", n)
	}
	b.wantText(`#submit [data-testid="submit-blocked"]`, msg("application.submit_blocked"))
	// The sending step asks first for what only the owner's inbox can do:
	// this owner has not followed the confirmation link yet.
	b.wantText(`[data-testid="task-submit"] .task-status`, msg("tasks.status.confirm_email"))
	b.wantText("main .badge", msg("status.draft"))
	b.screenshot("registration-incomplete")
	wantFits(t, b)

	// Nothing of that was stored.
	if st := b.open("/supplier/application"); st != http.StatusOK {
		t.Fatalf("GET /supplier/application answered %d", st)
	}
	b.wantText(noProducts, msg("application.no_products"))
	b.wantText(noDocuments, msg("application.no_documents"))
	b.wantText("main .badge", msg("status.draft"))
	if got := b.texts("#missing li"); len(got) != 4 || !strings.HasPrefix(got[0], msg("application.missing_profile")) {
		t.Errorf("the checklist reads %q, want the profile, a product, the NIB and a photo missing", got)
	}
	for table, q := range map[string]string{
		"application_products": `SELECT count(*) FROM application_products x JOIN organizations o ON o.id = x.organization_id WHERE o.name = $1`,
		"documents":            `SELECT count(*) FROM documents x JOIN organizations o ON o.id = x.organization_id WHERE o.name = $1`,
		"submitted":            `SELECT count(*) FROM applications x JOIN organizations o ON o.id = x.organization_id WHERE o.name = $1 AND x.status <> 'draft'`,
	} {
		if n := countRows(t, app, q, org); n != 0 {
			t.Errorf("%d %s rows stored after refused input", n, table)
		}
	}
}

// TestOtherOrganisationCannotOpenDocuments: a supplier's uploaded photo
// opens for its own members and is a plain 404 for another supplier, the
// same page as an id that does not exist.
func TestOtherOrganisationCannotOpenDocuments(t *testing.T) {
	t.Parallel()
	app := startApp(t)
	a := newBrowser(t, app, laptop)
	registerOwner(t, a, owner{name: "Asep Sunandar", org: "Konveksi Asep", email: "asep@contoh.id", password: "benang katun tiga lapis"})
	if st := a.open("/supplier/application"); st != http.StatusOK {
		t.Fatalf("GET /supplier/application answered %d", st)
	}
	photo := writePNG(t, t.TempDir(), "foto-gaun.png", 320, 240)
	if st := upload(t, a, "photo", "2020-04-20", photo); st != http.StatusOK {
		t.Fatalf("uploading the photo ended on a %d page: %s", st, a.textOr("main", ""))
	}
	a.wantText("main .flash-success", msg("flash.document_added"))
	href, ok := a.attr("main "+documentLink, "href")
	if !ok || !regexp.MustCompile(`^/documents/[0-9]+$`).MatchString(href) {
		t.Fatalf("the document link is %q, want /documents/{id}", href)
	}

	// Supplier B, in a browser of its own.
	b := newBrowser(t, app, laptop)
	registerOwner(t, b, owner{name: "Budi Santoso", org: "Konveksi Budi", email: "budi@contoh.id", password: "benang katun tiga lapis"})
	if st := b.open(href); st != http.StatusNotFound {
		t.Errorf("supplier B opening A's %s got %d, want 404", href, st)
	}
	b.wantText("main h1", "Halaman tidak ditemukan")
	var ct string
	b.eval(`document.contentType`, &ct)
	if ct != "text/html" {
		t.Errorf("B's answer for A's document is %s, want the HTML 404 page", ct)
	}
	if n := b.count("img"); n != 0 {
		t.Errorf("B's 404 page shows %d images", n)
	}
	b.screenshot("document-other-org-404")
	// The same answer as for an id that does not exist: ids are no oracle.
	if st := b.open("/documents/999999999"); st != http.StatusNotFound {
		t.Errorf("a document id that does not exist answered %d, want 404", st)
	}
	b.wantText("main h1", "Halaman tidak ditemukan")

	// A sees the photo itself.
	if st := a.open(href); st != http.StatusOK {
		t.Fatalf("supplier A opening its own %s got %d, want 200", href, st)
	}
	var img struct {
		ContentType string
		Width       int
		Height      int
	}
	a.eval(`(() => { const i = document.querySelector('img');
		return {contentType: document.contentType, width: i ? i.naturalWidth : 0, height: i ? i.naturalHeight : 0}; })()`, &img)
	if img.ContentType != "image/png" || img.Width != 320 || img.Height != 240 {
		t.Errorf("A's photo opens as %s %d×%d, want image/png 320×240", img.ContentType, img.Width, img.Height)
	}
	a.screenshot("document-own-photo")
}
