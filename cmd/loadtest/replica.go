package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
)

// lagSampler reads, as the primary's superuser, how far the streaming
// replica is behind while a page is driven: the WAL bytes it has yet to
// replay and Postgres's own replay_lag (the time from a commit on the
// primary to its replay on the standby).
type lagSampler struct {
	primary *database.Cluster
}

type lagSample struct {
	bytes int64
	lag   time.Duration
}

// during samples every 100 ms until the returned function is called, which
// returns a one-line summary.
func (l *lagSampler) during(ctx context.Context) func() string {
	var (
		mu      sync.Mutex
		samples []lagSample
		errs    int
	)
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		conn, err := pgx.Connect(ctx, l.primary.SuperURL("postgres"))
		if err != nil {
			errs++
			return
		}
		defer conn.Close(context.Background())
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			var s lagSample
			var secs float64
			err := conn.QueryRow(ctx, `SELECT coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0)::bigint,
       coalesce(extract(epoch FROM replay_lag), 0)::float8
  FROM pg_stat_replication ORDER BY pid LIMIT 1`).Scan(&s.bytes, &secs)
			mu.Lock()
			if err != nil {
				errs++
			} else {
				s.lag = time.Duration(secs * float64(time.Second))
				samples = append(samples, s)
			}
			mu.Unlock()
		}
	}()
	return func() string {
		close(done)
		<-stopped
		mu.Lock()
		defer mu.Unlock()
		if len(samples) == 0 {
			return fmt.Sprintf("replica: no lag read (%d errors; is it streaming?)", errs)
		}
		bytes := make([]int64, len(samples))
		lags := make([]time.Duration, len(samples))
		for i, s := range samples {
			bytes[i], lags[i] = s.bytes, s.lag
		}
		slices.Sort(bytes)
		slices.Sort(lags)
		pct := func(n int) int { return min(len(samples)-1, len(samples)*n/100) }
		return fmt.Sprintf("replica lag over %d samples: replay_lag p50 %s, p99 %s, max %s; WAL behind p50 %d B, max %d B",
			len(samples), lags[pct(50)].Round(10*time.Microsecond), lags[pct(99)].Round(10*time.Microsecond),
			lags[len(lags)-1].Round(10*time.Microsecond), bytes[pct(50)], bytes[len(bytes)-1])
	}
}

// startWriter keeps up perSecond listing saves by a curated supplier (each
// a transaction on the primary: the listing, the catalogue's entry, an
// audit event) until the returned function is called, which prints what
// was written.
func startWriter(ctx context.Context, s *server, perSecond int) (func(), error) {
	email, product, err := curatedOwner(ctx, s.cluster)
	if err != nil {
		return nil, err
	}
	cookie, err := login(s.base, email)
	if err != nil {
		return nil, fmt.Errorf("login %s: %w", email, err)
	}
	client := &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var ok, failed atomic.Int64
	slots := make(chan struct{}, 8)
	done := make(chan struct{})
	var wg sync.WaitGroup
	start := time.Now()
	go func() {
		t := time.NewTicker(time.Second / time.Duration(perSecond))
		defer t.Stop()
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			case <-t.C:
			}
			select {
			case slots <- struct{}{}:
			default:
				continue // eight saves in flight: this tick is skipped
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-slots }()
				form := url.Values{"product_type": {product}, "monthly_capacity": {strconv.Itoa(10000 + i%50000)},
					"price_min": {"1000"}, "price_max": {"2000"}}
				req, _ := http.NewRequest(http.MethodPost, s.base+"/supplier/listing", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Cookie", cookie)
				resp, err := client.Do(req)
				if err != nil || resp.StatusCode != http.StatusSeeOther {
					failed.Add(1)
				} else {
					ok.Add(1)
				}
				if resp != nil {
					resp.Body.Close()
				}
			}()
		}
	}()
	return func() {
		close(done)
		wg.Wait()
		secs := time.Since(start).Seconds()
		fmt.Printf("\nwriter: %d listing saves by %s in %.0f s (%.1f a second), %d failed\n", ok.Load(), email, secs, float64(ok.Load())/secs, failed.Load())
	}, nil
}

// curatedOwner finds the owner of a listed supplier and a product it lists.
func curatedOwner(ctx context.Context, c *database.Cluster) (email, product string, err error) {
	conn, err := pgx.Connect(ctx, c.AppURL(database.DatabaseName))
	if err != nil {
		return "", "", err
	}
	defer conn.Close(ctx)
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('pasokan.mode', 'system', true)`); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT u.email, p.product_type
  FROM listings l
  JOIN listing_products p ON p.organization_id = l.organization_id
  JOIN memberships m ON m.organization_id = l.organization_id AND m.role = 'owner'
  JOIN users u ON u.id = m.user_id
 WHERE l.withdrawn_at IS NULL AND l.lapsed_at IS NULL AND u.email LIKE '%@pasokan.test'
 ORDER BY l.organization_id LIMIT 1`).Scan(&email, &product)
	})
	if err != nil {
		return "", "", fmt.Errorf("a listed supplier: %w", err)
	}
	return email, product, nil
}
