package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"

	"pasokan/internal/testapp"
)

// metricValue reads one sample of a scrape in the text format: the value
// of the line that starts with name and its labels as written; -1 when the
// scrape has none.
func metricValue(t *testing.T, scrape, sample string) float64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(sample) + ` (\S+)$`).FindStringSubmatch(scrape)
	if m == nil {
		return -1
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatalf("%s: %v", sample, err)
	}
	return v
}

func scrape(t *testing.T, app *testapp.App) string {
	t.Helper()
	rec := httptest.NewRecorder()
	app.Portal.Metrics.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape: %d", rec.Code)
	}
	return rec.Body.String()
}

// A request moves its route's counter and duration histogram by one; the
// pool and the database's state are there; the public address does not
// serve the metrics.
func TestMetricsCountEachRequest(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)
	const counter = `pasokan_http_requests_total{method="GET",route="/help",status="200"}`
	const histogram = `pasokan_http_request_duration_seconds_count{method="GET",route="/help"}`
	before := scrape(t, app)
	if r := c.Get("/help"); r.StatusCode != http.StatusOK {
		t.Fatalf("GET /help: %d", r.StatusCode)
	}
	after := scrape(t, app)
	for _, sample := range []string{counter, histogram} {
		b, a := max(metricValue(t, before, sample), 0), metricValue(t, after, sample)
		if a != b+1 {
			t.Errorf("%s went from %v to %v, want one more", sample, b, a)
		}
	}
	if r := c.Get("/help/nothing-here"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("an unknown page: %d", r.StatusCode)
	}
	if v := metricValue(t, scrape(t, app), `pasokan_http_requests_total{method="GET",route="unmatched",status="404"}`); v < 1 {
		t.Errorf("an unmatched request is counted %v times; its path must not be a label", v)
	}
	for _, sample := range []string{`pasokan_metrics_state_up`, `pasokan_outbox_pending`, `pasokan_applications_unassigned`,
		`pasokan_assignment_lag_seconds`, `pasokan_db_pool_max_connections{pool="app"}`,
		`pasokan_db_pool_max_connections{pool="curator"}`, `pasokan_logins_throttled_total`} {
		if metricValue(t, after, sample) < 0 {
			t.Errorf("the scrape lacks %s", sample)
		}
	}
	if metricValue(t, after, `pasokan_metrics_state_up`) != 1 {
		t.Error("the scrape could not read the database's state")
	}
	statuses := systemStrings(t, app, `SELECT status || ' ' || count(*) FROM applications GROUP BY status`)
	if len(statuses) == 0 {
		t.Fatal("the demo has no application")
	}
	for _, sn := range statuses {
		var status string
		var n float64
		fmt.Sscan(sn, &status, &n)
		if got := metricValue(t, after, `pasokan_applications{status="`+status+`"}`); got != n {
			t.Errorf("applications %s: the scrape says %v, the table holds %v", status, got, n)
		}
	}
	if r := c.Get("/metrics"); r.StatusCode != http.StatusNotFound {
		t.Errorf("the public address answers %d for /metrics", r.StatusCode)
	}
}
