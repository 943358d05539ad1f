package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"pasokan/internal/config"
	"pasokan/internal/database"
)

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeOnAPrivateCluster runs what `make run` runs, on a fresh folder:
// it creates the cluster, migrates, seeds, serves, and on cancellation (the
// signal) drains and stops the cluster; a second start reuses the data.
func TestServeOnAPrivateCluster(t *testing.T) {
	t.Parallel()
	dir := t.TempDir() // mode 0700: as root, the postgres user cannot enter it
	cl, err := database.NewCluster(dir, database.ClusterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 && cl.Root == dir {
		t.Errorf("as root, the cluster stayed in %s, which the postgres user cannot enter", dir)
	}
	t.Cleanup(func() {
		_ = cl.StopIfRunning(context.Background())
		if cl.Root != dir {
			os.RemoveAll(filepath.Dir(cl.Root)) // /var/tmp/pasokan-<hash>
		}
	})
	cfg, err := config.FromEnv(func(k string) string {
		return map[string]string{"PASOKAN_ADDR": "127.0.0.1:0", "PASOKAN_DATA_DIR": dir}[k]
	})
	if err != nil {
		t.Fatal(err)
	}

	for round := 1; round <= 2; round++ {
		logs, out := &syncBuffer{}, &syncBuffer{}
		log := slog.New(slog.NewTextHandler(logs, nil))
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- serve(ctx, cfg, log, out) }()

		addr := waitFor(t, logs, regexp.MustCompile(`msg="Pasokan is serving".* addr=(\S+)`), done)
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("round %d: healthz: %v %v", round, err, resp)
		}
		resp.Body.Close()
		resp, err = http.Get("http://" + addr + "/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), "Pasokan") {
			t.Fatalf("round %d: home %d", round, resp.StatusCode)
		}
		if !strings.Contains(out.String(), "umkm@pasokan.test") {
			t.Errorf("round %d: demo accounts not printed:\n%s", round, out.String())
		}
		if !strings.Contains(logs.String(), "development mailbox") {
			t.Errorf("round %d: the private cluster should keep e-mails in the development mailbox:\n%s", round, logs.String())
		}
		if round == 1 && !strings.Contains(logs.String(), "creating a private Postgres cluster") {
			t.Errorf("round 1 did not create the cluster:\n%s", logs.String())
		}
		if round == 2 && strings.Contains(logs.String(), "creating a private Postgres cluster") {
			t.Errorf("round 2 created the cluster again")
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("round %d: serve: %v", round, err)
			}
		case <-time.After(60 * time.Second):
			t.Fatalf("round %d: no shutdown within a minute", round)
		}
		if !strings.Contains(logs.String(), "stopping the private Postgres cluster") {
			t.Errorf("round %d: cluster not stopped:\n%s", round, logs.String())
		}
		if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
			t.Errorf("round %d: still serving after shutdown", round)
		}
	}
}

// TestServeRefusesToLoseEmails: with a database of its own and no relay,
// the portal does not start unless the development mailbox was chosen, and
// says how to choose; it stops before touching the database.
func TestServeRefusesToLoseEmails(t *testing.T) {
	t.Parallel()
	cfg, err := config.FromEnv(func(k string) string {
		return map[string]string{"DATABASE_URL": "postgres://pasokan@127.0.0.1:1/pasokan", "PASOKAN_ADDR": "127.0.0.1:0"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	err = serve(context.Background(), cfg, slog.New(slog.NewTextHandler(logs, nil)), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "SMTP_ADDR") || !strings.Contains(err.Error(), "PASOKAN_DEV_MAILBOX=on") {
		t.Fatalf("serve without a relay or a mailbox: %v", err)
	}
	if strings.Contains(logs.String(), "DATABASE_OWNER_URL") { // connect's first words
		t.Errorf("serve went on to the database:\n%s", logs.String())
	}
}

func waitFor(t *testing.T, logs *syncBuffer, re *regexp.Regexp, done <-chan error) string {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(logs.String()); m != nil {
			return m[1]
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended early: %v\n%s", err, logs.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("not serving within 2 minutes:\n%s", logs.String())
	return ""
}
