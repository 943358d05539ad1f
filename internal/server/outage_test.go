package server_test

import (
	"context"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/testapp"
)

// TestPostgresRestartAnswers503AndLosesNoAcknowledgedSave restarts the
// test's own Postgres while a supplier keeps saving the profile and reading
// the dashboard: every answer is a page, a redirect or a 503 with
// Retry-After, never a 500; and every save the portal acknowledged is there
// afterwards.
func TestPostgresRestartAnswers503AndLosesNoAcknowledgedSave(t *testing.T) {
	t.Parallel()
	cluster := dbtest.OwnCluster(t)
	app := testapp.New(t, testapp.OnCluster(cluster))
	c := newSupplier(t, app, "siti@contoh.id")

	type answer struct {
		workforce int // 0 for a page read
		status    int
		saved     bool
		retry     string
	}
	var (
		mu      sync.Mutex
		answers []answer
		stop    = make(chan struct{})
		wg      sync.WaitGroup
	)
	send := func(req *http.Request, workforce int) {
		resp, err := c.Client.Do(req)
		if err != nil {
			t.Errorf("transport error: %v", err)
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		a := answer{workforce: workforce, status: resp.StatusCode, retry: resp.Header.Get("Retry-After")}
		// Acknowledged: the redirect after a save, or the page that says it
		// was saved although the next page could not be shown.
		a.saved = workforce > 0 && (resp.StatusCode == http.StatusSeeOther ||
			resp.StatusCode == http.StatusOK && strings.Contains(string(body), "Sudah tersimpan"))
		mu.Lock()
		answers = append(answers, a)
		mu.Unlock()
	}
	wg.Go(func() {
		for i := 1; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			form := maps.Clone(profileForm)
			form.Set("workforce", strconv.Itoa(i))
			req, _ := http.NewRequest(http.MethodPost, app.URL+"/supplier/profile", strings.NewReader(url.Values(form).Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			send(req, i)
		}
	})
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			req, _ := http.NewRequest(http.MethodGet, app.URL+"/supplier", nil)
			send(req, 0)
		}
	})

	ctx := context.Background()
	time.Sleep(300 * time.Millisecond)
	if err := cluster.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	if err := cluster.Start(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	close(stop)
	wg.Wait()

	counts := map[int]int{}
	lastAcked, acked := 0, 0
	for _, a := range answers {
		counts[a.status]++
		switch {
		case a.status >= 500 && a.status != http.StatusServiceUnavailable:
			t.Errorf("answer %d during the restart", a.status)
		case a.status == http.StatusServiceUnavailable && a.retry == "":
			t.Error("503 without Retry-After")
		}
		if a.saved {
			acked++
			lastAcked = max(lastAcked, a.workforce)
		}
	}
	t.Logf("answers by status: %v; %d saves acknowledged", counts, acked)
	if counts[http.StatusServiceUnavailable] == 0 {
		t.Error("no 503 while Postgres was down")
	}
	if acked == 0 {
		t.Fatal("no save acknowledged")
	}
	// The portal works again after the restart.
	if r := c.Get("/supplier/profile"); r.StatusCode != http.StatusOK {
		t.Fatalf("after the restart: %d", r.StatusCode)
	}
	var saves, workforce int
	err := app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = 'supplier.profile_saved'`).Scan(&saves); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT workforce FROM supplier_profiles WHERE organization_id =
  (SELECT subject_id FROM audit_events WHERE action = 'supplier.profile_saved' LIMIT 1)`).Scan(&workforce)
	})
	if err != nil {
		t.Fatal(err)
	}
	if saves < acked || workforce < lastAcked {
		t.Errorf("%d saves acknowledged, %d recorded; last acknowledged workforce %d, stored %d", acked, saves, lastAcked, workforce)
	}
}
