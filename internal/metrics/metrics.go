// Package metrics exposes what the portal is doing in the Prometheus text
// format (issue 13), on an address of its own that the public never
// reaches (PASOKAN_METRICS_ADDR): requests by route pattern and status
// with their durations, the database pool's use and waits, and, read from
// Postgres at each scrape, the e-mail outbox's backlog and oldest age, the
// assignment lag and applications per status; logins throttled and uploads
// refused are counted from the requests' answers.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"pasokan/internal/database"
)

// Metrics holds the portal's metrics in a registry of its own.
type Metrics struct {
	registry  *prometheus.Registry
	requests  *prometheus.CounterVec
	durations *prometheus.HistogramVec
	throttled prometheus.Counter
	refused   *prometheus.CounterVec
}

// New registers the metrics, reading the pool and the database's state
// from db at each scrape; log tells when a scrape cannot read them.
func New(db *database.DB, log *slog.Logger) *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pasokan_http_requests_total",
		Help: "HTTP requests answered, by route pattern, method and status."}, []string{"route", "method", "status"})
	m.durations = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "pasokan_http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by route pattern and method.",
		Buckets: []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}}, []string{"route", "method"})
	m.throttled = prometheus.NewCounter(prometheus.CounterOpts{Name: "pasokan_logins_throttled_total",
		Help: "Logins answered 429 by the login throttle."})
	m.refused = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pasokan_uploads_refused_total",
		Help: "Uploads refused, by status (413 too large, 422 not a document we take, 429 quota, 503 busy)."}, []string{"status"})
	m.registry.MustRegister(m.requests, m.durations, m.throttled, m.refused,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&poolCollector{db: db}, &stateCollector{db: db, log: log})
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// Observe counts one answered request.
func (m *Metrics) Observe(route, method string, status int, d time.Duration) {
	code := strconv.Itoa(status)
	m.requests.WithLabelValues(route, method, code).Inc()
	m.durations.WithLabelValues(route, method).Observe(d.Seconds())
	switch {
	case route == "/login" && method == http.MethodPost && status == http.StatusTooManyRequests:
		m.throttled.Inc()
	case route == "/supplier/documents" && method == http.MethodPost && status >= 400:
		m.refused.WithLabelValues(code).Inc()
	}
}

// poolCollector reads the connection pools' statistics at each scrape:
// the application role's (pool="app") and each kind's.
type poolCollector struct{ db *database.DB }

var (
	poolConns  = prometheus.NewDesc("pasokan_db_pool_connections", "Connections of each pool, by state.", []string{"pool", "state"}, nil)
	poolMax    = prometheus.NewDesc("pasokan_db_pool_max_connections", "Each pool's largest size.", []string{"pool"}, nil)
	poolWaits  = prometheus.NewDesc("pasokan_db_pool_acquire_waits_total", "Acquisitions that waited for a connection, by pool.", []string{"pool"}, nil)
	poolWait   = prometheus.NewDesc("pasokan_db_pool_acquire_wait_seconds_total", "Time spent waiting for a connection, by pool.", []string{"pool"}, nil)
	replicaUp  = prometheus.NewDesc("pasokan_db_replica_up", "1 while reads that may be a moment old go to the read replica, 0 while they go to the primary (only with DATABASE_READ_URL).", nil, nil)
	replicaLag = prometheus.NewDesc("pasokan_db_replica_lag_bytes", "Bytes of WAL the read replica had yet to replay when last read (only with DATABASE_READ_URL).", nil, nil)
)

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- poolConns
	ch <- poolMax
	ch <- poolWaits
	ch <- poolWait
	ch <- replicaUp
	ch <- replicaLag
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	for name, p := range c.db.Pools() {
		s := p.Stat()
		ch <- prometheus.MustNewConstMetric(poolConns, prometheus.GaugeValue, float64(s.AcquiredConns()), name, "acquired")
		ch <- prometheus.MustNewConstMetric(poolConns, prometheus.GaugeValue, float64(s.IdleConns()), name, "idle")
		ch <- prometheus.MustNewConstMetric(poolConns, prometheus.GaugeValue, float64(s.ConstructingConns()), name, "constructing")
		ch <- prometheus.MustNewConstMetric(poolMax, prometheus.GaugeValue, float64(s.MaxConns()), name)
		ch <- prometheus.MustNewConstMetric(poolWaits, prometheus.CounterValue, float64(s.EmptyAcquireCount()), name)
		ch <- prometheus.MustNewConstMetric(poolWait, prometheus.CounterValue, s.EmptyAcquireWaitTime().Seconds(), name)
	}
	if up, lag, ok := c.db.ReplicaState(); ok {
		v := 0.0
		if up {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(replicaUp, prometheus.GaugeValue, v)
		ch <- prometheus.MustNewConstMetric(replicaLag, prometheus.GaugeValue, float64(lag))
	}
}

// stateCollector reads the database's state at each scrape: a handful of
// rows along indexes (the outbox's pending index, the unassigned
// applications' index, the dashboard's kept figures by province and
// status), whatever the country's size.
type stateCollector struct {
	db  *database.DB
	log *slog.Logger
}

var (
	outboxBacklog  = prometheus.NewDesc("pasokan_outbox_pending", "E-mails waiting to be sent.", nil, nil)
	outboxOldest   = prometheus.NewDesc("pasokan_outbox_oldest_pending_seconds", "Age of the oldest e-mail waiting to be sent (0: none).", nil, nil)
	assignmentLag  = prometheus.NewDesc("pasokan_assignment_lag_seconds", "Age of the oldest submitted application without a curator organisation (0: none).", nil, nil)
	unassigned     = prometheus.NewDesc("pasokan_applications_unassigned", "Submitted applications without a curator organisation.", nil, nil)
	applications   = prometheus.NewDesc("pasokan_applications", "Applications by status.", []string{"status"}, nil)
	stateReadError = prometheus.NewDesc("pasokan_metrics_state_up", "1 when the last scrape read the database's state, 0 when it could not.", nil, nil)
)

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{outboxBacklog, outboxOldest, assignmentLag, unassigned, applications, stateReadError} {
		ch <- d
	}
}

// state is what one scrape reads.
type state struct {
	Pending       int64
	PendingAge    float64
	Unassigned    int64
	AssignmentLag float64
}

type statusCount struct {
	Status string
	N      int64
}

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var st state
	var counts []statusCount
	err := c.db.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT
       (SELECT count(*) FROM email_outbox WHERE status = 'pending') AS pending,
       coalesce(extract(epoch FROM now() - (SELECT min(created_at) FROM email_outbox WHERE status = 'pending'))::float8, 0) AS pending_age,
       (SELECT count(*) FROM applications WHERE status = 'submitted' AND assigned_org_id IS NULL) AS unassigned,
       coalesce(extract(epoch FROM now() - (SELECT min(submitted_at) FROM applications
                                             WHERE status = 'submitted' AND assigned_org_id IS NULL))::float8, 0) AS assignment_lag`)
		var err error
		if st, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[state]); err != nil {
			return err
		}
		rows, _ = tx.Query(ctx, `SELECT status, sum(n)::bigint AS n FROM application_figures GROUP BY status ORDER BY status`)
		counts, err = database.CollectRows[statusCount](rows)
		return err
	})
	if err != nil {
		c.log.Warn("metrics: cannot read the database's state", "err", err)
		ch <- prometheus.MustNewConstMetric(stateReadError, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(stateReadError, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(outboxBacklog, prometheus.GaugeValue, float64(st.Pending))
	ch <- prometheus.MustNewConstMetric(outboxOldest, prometheus.GaugeValue, max(st.PendingAge, 0))
	ch <- prometheus.MustNewConstMetric(unassigned, prometheus.GaugeValue, float64(st.Unassigned))
	ch <- prometheus.MustNewConstMetric(assignmentLag, prometheus.GaugeValue, max(st.AssignmentLag, 0))
	for _, c := range counts {
		ch <- prometheus.MustNewConstMetric(applications, prometheus.GaugeValue, float64(c.N), c.Status)
	}
}
