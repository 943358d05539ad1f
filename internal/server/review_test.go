package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"pasokan/internal/testapp"
)

var (
	productLegendRe = regexp.MustCompile(`<legend>([^<]+) — daftar periksa versi`)
	summaryRe       = regexp.MustCompile(`(?s)<div class="form-errors"[^>]*data-testid="error-summary">(.*?)</div>`)
	summaryLinkRe   = regexp.MustCompile(`<a href="([^"]+)">([^<]+)</a>`)
)

// checklistNames returns the check_<id> fields of each checklist on a review
// page, in page order (the general one first).
func checklistNames(t *testing.T, page string) [][]string {
	t.Helper()
	var out [][]string
	rest := page
	for {
		i := strings.Index(rest, `<fieldset class="checklist">`)
		if i < 0 {
			break
		}
		rest = rest[i+len(`<fieldset class="checklist">`):]
		end := strings.Index(rest, `<fieldset class="checklist">`)
		if end < 0 {
			end = strings.Index(rest, `class="decision-panel"`)
		}
		if end < 0 {
			t.Fatal("a checklist runs to the end of the page")
		}
		var names []string
		for _, m := range checkRe.FindAllStringSubmatch(rest[:end], -1) {
			names = append(names, m[1])
		}
		out = append(out, names)
	}
	return out
}

// claimedReview logs the demo curator in, claims the application at path
// and returns their client and the review page.
func claimedReview(t *testing.T, app *testapp.App, path string) (*testapp.Client, string) {
	t.Helper()
	cur := app.Client(t)
	cur.Login("kurator@pasokan.test", "pasokan-demo", "/curation")
	page := cur.Get(path)
	if r := cur.Post(path+"/claim", url.Values{"version": {reviewVersion(t, page.Body)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("claim: %d", r.StatusCode)
	}
	return cur, cur.Get(path).Body
}

// TestReviewErrorsNameTheirItem: a refused decision's summary lists every
// problem in the page's order, each naming its item ("Masker kain, butir 3:
// pilih hasil") and leading to its first answer; the title begins with
// "Galat:"; what was typed stays, its note open, the other notes closed;
// nothing changes.
func TestReviewErrorsNameTheirItem(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	_, path := submittedSupplier(t, app, "siti@contoh.id", 21)
	cur, page := claimedReview(t, app, path)
	// The size is read with the rule it was declared under (submitted
	// today: PP 7/2021), the KBLI with its edition.
	if !strings.Contains(page, "Kecil (menurut PP 7/2021)") || !strings.Contains(page, "(KBLI 2020)") {
		t.Error("the review page does not name the size rule and the KBLI edition")
	}

	lists := checklistNames(t, page)
	if len(lists) != 2 || len(lists[0]) < 2 || len(lists[1]) < 3 {
		t.Fatalf("the review page's checklists: %v, want the general one and one of 3+ items for the product", lists)
	}
	m := productLegendRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no product checklist legend")
	}
	product := m[1]
	if n := strings.Count(page, `<details class="revise" open`); n != 0 {
		t.Errorf("%d revision notes open on a fresh page, want none", n)
	}
	if !strings.Contains(page, `name="revise_field_nib" form="decision-form"`) {
		t.Error("the NIB's revision note does not belong to the decision form")
	}

	form := allPass(page, reviewVersion(t, page), "curate")
	form.Del(lists[0][1])
	form.Del(lists[1][2])
	long := strings.Repeat("x", 501)
	form.Set("revise_field_nib", long)
	r := cur.Post(path+"/decision", form)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a decision with two items unanswered: %d, want 422", r.StatusCode)
	}
	if !regexp.MustCompile(`<title>\s*Galat:`).MatchString(r.Body) {
		t.Error("the refused page's title does not begin with Galat:")
	}
	s := summaryRe.FindStringSubmatch(r.Body)
	if s == nil {
		t.Fatalf("no error summary on the refused page")
	}
	var got [][2]string
	for _, l := range summaryLinkRe.FindAllStringSubmatch(s[1], -1) {
		got = append(got, [2]string{l[1], l[2]})
	}
	want := [][2]string{
		{"#f-revise_field_nib", "Perbaikan NIB (Nomor Induk Berusaha): Terlalu panjang."},
		{"#f-" + lists[0][1] + "-pass", "Daftar periksa umum, butir 2: pilih hasil"},
		{"#f-" + lists[1][2] + "-pass", product + ", butir 3: pilih hasil"},
	}
	if len(got) != len(want) {
		t.Fatalf("the summary lists %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("summary line %d is %q, want %q", i+1, got[i], want[i])
		}
		if id := strings.TrimPrefix(want[i][0], "#"); !strings.Contains(r.Body, `id="`+id+`"`) {
			t.Errorf("the summary links to #%s, which is not on the page", id)
		}
	}
	if strings.Index(r.Body, `data-testid="error-summary"`) > strings.Index(r.Body, `<h1>`) {
		t.Error("the error summary is not at the top of the page")
	}
	if n := strings.Count(r.Body, `<details class="revise" open`); n != 1 || !strings.Contains(r.Body, ">"+long+"</textarea>") {
		t.Errorf("after the refusal %d revision notes are open (want the NIB's only) or the note typed is lost", n)
	}
	if !strings.Contains(r.Body, `name="`+lists[0][0]+`" value="pass" id="f-`+lists[0][0]+`-pass" checked`) {
		t.Error("the answers given were not kept")
	}
	if page := cur.Get(path); !strings.Contains(page.Body, "Sedang dikurasi") {
		t.Error("the status changed after a refused decision")
	}

	// In English the same words, in English.
	cur.Post("/language", url.Values{"lang": {"en"}})
	r = cur.Post(path+"/decision", form)
	if !strings.Contains(r.Body, "General checklist, item 2: choose a result") {
		t.Errorf("the English summary does not name the item: %s", summaryRe.FindString(r.Body))
	}
}

// TestDecisionLeadsToTheNextWaiting: after a decision the curator lands on
// the next application they may take, their own first (claimed), then the
// oldest unclaimed one, never one a colleague claimed; the page confirms
// the decision by the applicant's name. When none waits, the queue says so.
func TestDecisionLeadsToTheNextWaiting(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	_, pathA := submittedSupplier(t, app, "a@contoh.id", 31)
	_, pathB := submittedSupplier(t, app, "b@contoh.id", 32)
	_, pathC := submittedSupplier(t, app, "c@contoh.id", 33)
	cur, _ := claimedReview(t, app, pathA)
	// C is claimed by the curator too; B by a colleague.
	page := cur.Get(pathC)
	cur.Post(pathC+"/claim", url.Values{"version": {reviewVersion(t, page.Body)}})
	colleague := joinCurator(t, app, "rekan@contoh.id")
	page = colleague.Get(pathB)
	if r := colleague.Post(pathB+"/claim", url.Values{"version": {reviewVersion(t, page.Body)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("the colleague's claim: %d", r.StatusCode)
	}

	reject := func(path string) *testapp.Response {
		t.Helper()
		page := cur.Get(path)
		r := cur.Post(path+"/decision", url.Values{"version": {reviewVersion(t, page.Body)}, "decision": {"reject"}, "reason": {"Tidak memenuhi"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("reject %s: %d\n%s", path, r.StatusCode, summaryRe.FindString(r.Body))
		}
		return r
	}
	r := reject(pathA)
	if loc := r.Header.Get("Location"); loc != pathC {
		t.Fatalf("after deciding A the curator goes to %q, want their own claimed C %s (B is the colleague's)", loc, pathC)
	}
	next := cur.Get(pathC)
	if !strings.Contains(next.Body, "Keputusan untuk CV Maju Jaya tersimpan: pengajuan ditolak.") {
		t.Error("the next application's page does not confirm the decision by name")
	}
	if strings.Contains(cur.Get(pathC).Body, "Keputusan untuk") {
		t.Error("the confirmation shows twice")
	}
	// Then the unclaimed ones of the organisation, never B, until none.
	seen := map[string]bool{}
	path := pathC
	for range 10 {
		loc := reject(path).Header.Get("Location")
		if loc == pathB {
			t.Fatal("the curator was sent to the application a colleague claimed")
		}
		if loc == "/curation" {
			q := cur.Get("/curation")
			if !strings.Contains(q.Body, "Keputusan untuk CV Maju Jaya tersimpan: pengajuan ditolak. Tidak ada lagi pengajuan yang menunggu Anda.") &&
				!strings.Contains(q.Body, "tersimpan: pengajuan ditolak. Tidak ada lagi pengajuan yang menunggu Anda.") {
				t.Error("the queue does not confirm the last decision and say nothing waits")
			}
			return
		}
		if seen[loc] || !strings.HasPrefix(loc, "/curation/applications/") {
			t.Fatalf("the next application is %q again or not an application", loc)
		}
		seen[loc] = true
		p := cur.Get(loc)
		if !strings.Contains(p.Body, `action="`+loc+`/claim"`) {
			t.Fatalf("the next application %s is not one to claim", loc)
		}
		cur.Post(loc+"/claim", url.Values{"version": {reviewVersion(t, p.Body)}})
		path = loc
	}
	t.Fatal("more than 10 applications waited")
}
