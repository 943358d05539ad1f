package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"pasokan/internal/i18n"
	"pasokan/internal/testapp"
)

var (
	// queueTabsRe is the queue's status navigation; tabLinkRe each of its
	// links, with its aria-current when it has one.
	queueTabsRe = regexp.MustCompile(`(?s)<nav class="queue-tabs"[^>]*>(.*?)</nav>`)
	tabLinkRe   = regexp.MustCompile(`<a href="([^"]*)"( aria-current="([^"]*)")?>`)
	// clearFiltersRe is the no-match card's link that clears the filters.
	clearFiltersRe = regexp.MustCompile(`<a [^>]*href="([^"]*)" data-testid="clear-filters">`)
	resultCountRe  = regexp.MustCompile(`data-testid="result-count"><strong>([^<]+)<`)
)

func msgID(key string, args ...any) string { return i18n.Translate(i18n.ID, key, args...) }

// curatorWithApplication submits the demo-shaped supplier's application
// (legal name CV Maju Jaya, NIB 9120001234567) to the demo curation
// partner and logs its curator in; it returns the curator's client and the
// application's review path.
func curatorWithApplication(t *testing.T) (*testapp.App, *testapp.Client, string) {
	t.Helper()
	app := testapp.New(t)
	_, path := submittedSupplier(t, app, "siti@contoh.id", 7)
	cur := app.Client(t)
	cur.Login("kurator@pasokan.test", "pasokan-demo", "/curation")
	return app, cur, path
}

// TestQueueSearchWithNoMatchSaysSo: a search or filter that matches nothing
// says that nothing matches, offers to clear the filters (keeping the
// status tab), and never says the queue is empty; the queue of an
// organisation with nothing assigned still says so, and a search there too
// says nothing matches.
func TestQueueSearchWithNoMatchSaysSo(t *testing.T) {
	t.Parallel()
	app, cur, path := curatorWithApplication(t)
	empty, noMatch := msgID("curation.queue.empty"), msgID("curation.queue.no_match")

	for _, tc := range []struct{ query, clear string }{
		{"/curation?q=" + url.QueryEscape("Tidak Ada Usaha Seperti Ini"), "/curation"},
		{"/curation?q=zq", "/curation"},
		{"/curation?province=94&product=penutup-sepatu", "/curation"},
		{"/curation?status=curated&q=maju", "/curation?status=curated"},
	} {
		r := cur.Get(tc.query)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", tc.query, r.StatusCode)
		}
		if !strings.Contains(r.Body, `data-testid="queue-no-match"`) || !strings.Contains(r.Body, noMatch) {
			t.Errorf("%s does not say that nothing matches", tc.query)
		}
		if strings.Contains(r.Body, empty) {
			t.Errorf("%s says the queue is empty (%q) while an application is assigned", tc.query, empty)
		}
		if strings.Contains(r.Body, path) {
			t.Errorf("%s shows the application", tc.query)
		}
		m := clearFiltersRe.FindStringSubmatch(r.Body)
		if m == nil || m[1] != tc.clear {
			t.Errorf("%s: the clear-filters link is %v, want %q", tc.query, m, tc.clear)
		} else if !strings.Contains(r.Body, ">"+msgID("curation.queue.clear")+"</a>") {
			t.Errorf("%s: the clear-filters link does not read %q", tc.query, msgID("curation.queue.clear"))
		}
	}
	// Clearing shows the application again, with neither message.
	r := cur.Get("/curation")
	if !strings.Contains(r.Body, path) || strings.Contains(r.Body, noMatch) || strings.Contains(r.Body, empty) {
		t.Errorf("the cleared queue: application shown %v, no-match %v, empty %v",
			strings.Contains(r.Body, path), strings.Contains(r.Body, noMatch), strings.Contains(r.Body, empty))
	}
	if strings.Contains(r.Body, `data-testid="result-count"`) {
		t.Error("the unfiltered queue shows a result count (its tabs count it)")
	}
	// A status with nothing in it, unfiltered, says so: not "nothing
	// assigned", not "nothing matches".
	r = cur.Get("/curation?status=suspended")
	if !strings.Contains(r.Body, msgID("curation.queue.empty_status")) || strings.Contains(r.Body, empty) || strings.Contains(r.Body, noMatch) {
		t.Error("an empty status tab does not say that this status is empty")
	}

	// An organisation with nothing assigned: its queue is empty, and a
	// search in it matches nothing.
	other := otherCurator(t, app)
	if r := other.Get("/curation"); !strings.Contains(r.Body, empty) || strings.Contains(r.Body, noMatch) {
		t.Errorf("the empty queue: empty %v, no-match %v", strings.Contains(r.Body, empty), strings.Contains(r.Body, noMatch))
	}
	if r := other.Get("/curation?q=maju"); !strings.Contains(r.Body, noMatch) || strings.Contains(r.Body, empty) {
		t.Errorf("a search in the empty queue: no-match %v, empty %v", strings.Contains(r.Body, noMatch), strings.Contains(r.Body, empty))
	}
}

// TestQueueFindsAnNIBTypedWithSeparators: an NIB finds its application
// however it is grouped (spaces, dots, dashes), the box keeps what was
// typed, and the page counts one match; twelve of its digits find nothing.
func TestQueueFindsAnNIBTypedWithSeparators(t *testing.T) {
	t.Parallel()
	_, cur, path := curatorWithApplication(t)
	for _, q := range []string{"9120001234567", "9120 0012 3456 7", "9120.0012.3456.7", "9120-0012-3456-7", " 912.000.123.4567 "} {
		r := cur.Get("/curation?q=" + url.QueryEscape(q))
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `href="`+path+`"`) {
			t.Errorf("the NIB typed %q does not find the application (%d)", q, r.StatusCode)
			continue
		}
		if m := resultCountRe.FindStringSubmatch(r.Body); m == nil || m[1] != msgID("curation.queue.found.one", "1") {
			t.Errorf("%q: the result count is %v, want %q", q, m, msgID("curation.queue.found.one", "1"))
		}
		if !strings.Contains(r.Body, `value="`+q+`"`) {
			t.Errorf("%q: the search box does not keep what was typed", q)
		}
	}
	if r := cur.Get("/curation?q=" + url.QueryEscape("9120 0012 3456")); strings.Contains(r.Body, `href="`+path+`"`) {
		t.Error("twelve digits of the NIB find the application")
	}
}

// TestQueueStatusTabsMarkTheCurrentOne: the status tabs are links (they
// work without JavaScript), one per status and the waiting ones, and only
// the list shown carries aria-current="page"; a tab keeps the search.
func TestQueueStatusTabsMarkTheCurrentOne(t *testing.T) {
	t.Parallel()
	_, cur, _ := curatorWithApplication(t)
	for _, tc := range []struct{ path, current string }{
		{"/curation", "/curation?"},
		{"/curation?status=curated", "/curation?status=curated"},
		{"/curation?status=in_review&q=maju", "/curation?q=maju&amp;status=in_review"},
		{"/curation?status=nonsense", "/curation?"},
	} {
		r := cur.Get(tc.path)
		nav := queueTabsRe.FindStringSubmatch(r.Body)
		if r.StatusCode != http.StatusOK || nav == nil {
			t.Fatalf("%s: %d, status tabs found %v", tc.path, r.StatusCode, nav != nil)
		}
		links := tabLinkRe.FindAllStringSubmatch(nav[1], -1)
		if len(links) != 7 {
			t.Errorf("%s: %d status tabs, want 7 (waiting and six statuses)", tc.path, len(links))
		}
		var current []string
		for _, l := range links {
			if l[2] != "" {
				if l[3] != "page" {
					t.Errorf("%s: tab %s has aria-current=%q, want \"page\"", tc.path, l[1], l[3])
				}
				current = append(current, l[1])
			}
		}
		if len(current) != 1 || current[0] != tc.current {
			t.Errorf("%s: the tabs marked current are %q, want only %q", tc.path, current, tc.current)
		}
	}
}
