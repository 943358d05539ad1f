package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/mail"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"pasokan/internal/account"
	"pasokan/internal/app"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/demo"
)

// TestMain lets a test start this binary as `pasokan`: with
// PASOKAN_TEST_MAIN=1 the test binary is the portal's command and its
// arguments are the command's.
func TestMain(m *testing.M) {
	if os.Getenv("PASOKAN_TEST_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestTwoProcesses starts two server processes on one database, with the
// background work running in both (issue 13), and proves that nothing
// assumes one process: a session started on one continues on the other
// and ends on both; the e-mails requested through both reach the relay
// once each; the applications waiting for a curator organisation are
// assigned once each while both run the assignment; the login throttle
// counts failures made on either; and two uploads at once, one to each,
// cannot both fit in the last of an organisation's quota.
func TestTwoProcesses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.New(t)
	passwords, err := account.NewPasswords()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.SeedScale(ctx, db.App, passwords, 40); err != nil {
		t.Fatal(err)
	}
	owner, err := pgx.Connect(ctx, db.OwnerURL)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(ctx)
	// Every table forces row-level security, for its owner too: this
	// connection reads and writes as the portal itself.
	if _, err := owner.Exec(ctx, `SELECT set_config('pasokan.mode', 'system', false)`); err != nil {
		t.Fatal(err)
	}

	// Work for the assignment: submitted applications that no curator
	// organisation has yet, as after a burst of submissions.
	var waiting int
	if err := owner.QueryRow(ctx, `WITH w AS (
  UPDATE applications SET assigned_org_id = NULL
   WHERE status = 'submitted' AND assigned_user_id IS NULL RETURNING id)
SELECT count(*) FROM w`).Scan(&waiting); err != nil {
		t.Fatal(err)
	}
	var lastEvent int64
	if err := owner.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM application_events`).Scan(&lastEvent); err != nil {
		t.Fatal(err)
	}
	if waiting < 5 {
		t.Fatalf("the demo story has %d submitted applications without a curator, want several", waiting)
	}
	// A supplier still preparing its application, with the bytes its
	// documents already take.
	var sup struct {
		Email string
		Used  int64
	}
	if err := owner.QueryRow(ctx, `SELECT u.email, coalesce((SELECT sum(d.size_bytes) FROM documents d
         WHERE d.organization_id = a.organization_id AND d.removed_at IS NULL), 0)
  FROM applications a
  JOIN memberships m ON m.organization_id = a.organization_id AND m.role = 'owner'
  JOIN users u ON u.id = m.user_id
 WHERE a.status = 'draft' AND u.email_confirmed_at IS NOT NULL
 ORDER BY a.id LIMIT 1`).Scan(&sup.Email, &sup.Used); err != nil {
		t.Fatalf("a supplier with a draft application: %v", err)
	}

	relay := startTestRelay(t)
	const quotaMB = 1
	env := []string{
		"PASOKAN_TEST_MAIN=1",
		"DATABASE_URL=" + db.AppURL, "DATABASE_OWNER_URL=" + db.OwnerURL,
		"PASOKAN_ADDR=127.0.0.1:0", "PASOKAN_SEED=off",
		"SMTP_ADDR=" + relay.addr, "SMTP_TLS=none", "PASOKAN_DEV_MAILBOX=off",
		fmt.Sprintf("PASOKAN_UPLOAD_QUOTA_MB=%d", quotaMB),
	}
	a := startProcess(t, "A", env)
	b := startProcess(t, "B", env)

	// 1. A session started on one process continues on the other.
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if r := post(t, browser, a.url+"/login", url.Values{"email": {"umkm@pasokan.test"}, "password": {demo.Password}}); r.StatusCode != 303 {
		t.Fatalf("login on A: %d", r.StatusCode)
	}
	if r, body := get(t, browser, b.url+"/supplier"); r.StatusCode != 200 || !strings.Contains(body, "Konveksi Maju Jaya") {
		t.Fatalf("the session from A on B: %d", r.StatusCode)
	}
	if r := post(t, browser, b.url+"/logout", nil); r.StatusCode != 303 {
		t.Fatalf("logout on B: %d", r.StatusCode)
	}
	if r, _ := get(t, browser, a.url+"/supplier"); r.StatusCode != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("after logging out on B, A answers %d to %q, want a redirect to the login", r.StatusCode, r.Header.Get("Location"))
	}

	// 2. The assignment runs in both processes at once: extra runs are
	// queued on top of the periodic one, for either process to take.
	riverClient, err := river.NewClient(riverpgxv5.New(db.App.Pool), &river.Config{Schema: database.RiverSchema})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 6; i++ {
		if _, err := riverClient.Insert(ctx, app.AssignArgs{}, nil); err != nil {
			t.Fatal(err)
		}
	}

	// 3. E-mails requested through both processes: a password reset for
	// each of eight people, alternately on A and B.
	var people []string
	rows, _ := owner.Query(ctx, `SELECT email FROM users WHERE email LIKE 'umkm0%' ORDER BY email LIMIT 8`)
	if people, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil || len(people) != 8 {
		t.Fatalf("people: %v %v", people, err)
	}
	for i, p := range people {
		srv := []*process{a, b}[i%2]
		if r := post(t, &http.Client{Timeout: 30 * time.Second, CheckRedirect: browser.CheckRedirect},
			srv.url+"/password/forgot", url.Values{"email": {p}}); r.StatusCode != 303 {
			t.Fatalf("password reset for %s on %s: %d", p, srv.name, r.StatusCode)
		}
	}

	// 4. The login throttle counts failures on either process: five wrong
	// passwords, alternately, then both refuse even the right one.
	guesser := &http.Client{Timeout: 30 * time.Second, CheckRedirect: browser.CheckRedirect}
	for i := 0; i < 5; i++ {
		srv := []*process{a, b}[i%2]
		if r := post(t, guesser, srv.url+"/login", url.Values{"email": {"pembeli@pasokan.test"}, "password": {"salah-sandi-" + fmt.Sprint(i)}}); r.StatusCode == 303 || r.StatusCode == 429 {
			t.Fatalf("wrong password %d on %s: %d", i+1, srv.name, r.StatusCode)
		}
	}
	for _, srv := range []*process{b, a} {
		if r := post(t, guesser, srv.url+"/login", url.Values{"email": {"pembeli@pasokan.test"}, "password": {demo.Password}}); r.StatusCode != 429 {
			t.Errorf("after five failures across both processes, %s answers %d, want 429", srv.name, r.StatusCode)
		}
	}

	// 5. Two uploads at once, one to each process, of which only one fits
	// in what is left of the organisation's quota.
	quota := int64(quotaMB) << 20
	size := (quota-sup.Used)/2 + 4096
	if sup.Used+size > quota {
		t.Fatalf("the draft supplier already uses %d of %d bytes", sup.Used, quota)
	}
	uploader := &http.Client{Jar: mustJar(), Timeout: 60 * time.Second, CheckRedirect: browser.CheckRedirect}
	if r := post(t, uploader, a.url+"/login", url.Values{"email": {sup.Email}, "password": {demo.Password}}); r.StatusCode != 303 {
		t.Fatalf("login of %s: %d", sup.Email, r.StatusCode)
	}
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i, srv := range []*process{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = uploadPDF(t, uploader, srv.url, i, size)
		}()
	}
	wg.Wait()
	if !(codes[0] == 303 && codes[1] == 422 || codes[0] == 422 && codes[1] == 303) {
		t.Errorf("two uploads at once that together exceed the quota: %v, want one 303 and one 422", codes)
	}
	var used int64
	if err := owner.QueryRow(ctx, `SELECT coalesce(sum(d.size_bytes), 0) FROM documents d JOIN memberships m ON m.organization_id = d.organization_id
  JOIN users u ON u.id = m.user_id WHERE u.email = $1 AND d.removed_at IS NULL`, sup.Email).Scan(&used); err != nil {
		t.Fatal(err)
	}
	if used > quota {
		t.Errorf("the organisation's documents take %d bytes, over its quota of %d", used, quota)
	}

	// Now the background work is done: every application assigned once,
	// every e-mail delivered once.
	waitUntil(t, "the jobs and the outbox to be worked", func() bool {
		var n int
		err := owner.QueryRow(ctx, `SELECT (SELECT count(*) FROM river.river_job WHERE state IN ('available', 'running', 'retryable'))
     + (SELECT count(*) FROM email_outbox WHERE status = 'pending')
     + (SELECT count(*) FROM applications WHERE status = 'submitted' AND assigned_org_id IS NULL)`).Scan(&n)
		return err == nil && n == 0
	})
	var assigned, twice int
	if err := owner.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE n > 1) FROM (
  SELECT application_id, count(*) AS n FROM application_events
   WHERE action = 'application.assigned' AND id > $1 GROUP BY application_id) x`, lastEvent).Scan(&assigned, &twice); err != nil {
		t.Fatal(err)
	}
	if assigned != waiting || twice != 0 {
		t.Errorf("assignments recorded for %d applications (%d more than once), want each of the %d once", assigned, twice, waiting)
	}
	// Which process worked what: River records the client that ran each
	// job (one client per process).
	rows, _ = owner.Query(ctx, `SELECT kind || ' by ' || attempted_by[array_length(attempted_by, 1)] || ': ' || count(*)
  FROM river.river_job WHERE state = 'completed' GROUP BY kind, attempted_by[array_length(attempted_by, 1)] ORDER BY 1`)
	workers, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d applications assigned once each; jobs worked: %s", assigned, strings.Join(workers, "; "))

	type key struct{ to, subject string }
	outbox := map[key]int{}
	rows, _ = owner.Query(ctx, `SELECT to_address, subject FROM email_outbox WHERE status = 'sent'`)
	type sentEmail struct {
		To      string `db:"to_address"`
		Subject string
	}
	sent, err := pgx.CollectRows(rows, pgx.RowToStructByName[sentEmail])
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range sent {
		outbox[key{e.To, e.Subject}]++
	}
	received := map[key]int{}
	for _, m := range relay.messages() {
		received[key(m)]++
	}
	if len(sent) == 0 || len(relay.messages()) != len(sent) {
		t.Errorf("the outbox marks %d e-mails sent; the relay received %d", len(sent), len(relay.messages()))
	}
	for k, n := range outbox {
		if received[k] != n {
			t.Errorf("e-mail %q to %s: %d in the outbox, %d received", k.subject, k.to, n, received[k])
		}
	}
	for _, p := range people {
		n := 0
		for k, c := range received {
			if k.to == p {
				n += c
			}
		}
		if n != 1 {
			t.Errorf("%s received %d e-mails, want the one password reset", p, n)
		}
	}
	t.Logf("%d e-mails, each received once", len(sent))
}

type process struct {
	name string
	url  string
	cmd  *exec.Cmd
	logs *syncBuffer
}

// startProcess runs the test binary as `pasokan serve` with env, and stops
// it (SIGTERM, as systemd does) when t ends.
func startProcess(t *testing.T, name string, env []string) *process {
	t.Helper()
	p := &process{name: name, logs: &syncBuffer{}}
	cmd := exec.Command(os.Args[0], "serve")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.cmd = cmd
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("process %s did not stop within 30 s of SIGTERM", p.name)
		}
	})
	addr := waitFor(t, p.logs, regexp.MustCompile(`msg="Pasokan is serving".* addr=(\S+)`), done)
	p.url = "http://" + addr
	return p
}

func mustJar() *cookiejar.Jar {
	j, _ := cookiejar.New(nil)
	return j
}

func post(t *testing.T, c *http.Client, u string, form url.Values) *http.Response {
	t.Helper()
	r, err := c.PostForm(u, form)
	if err != nil {
		t.Fatalf("POST %s: %v", u, err)
	}
	_, _ = io.Copy(io.Discard, r.Body)
	r.Body.Close()
	return r
}

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	r, err := c.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return r, string(b)
}

// uploadPDF uploads a PDF of size bytes as the signed-in supplier and
// returns the status.
func uploadPDF(t *testing.T, c *http.Client, base string, n int, size int64) int {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("kind", "nib")
	fw, _ := mw.CreateFormFile("file", fmt.Sprintf("nib-%d.pdf", n))
	pdf := []byte(fmt.Sprintf("%%PDF-1.4\n%% upload %d\n1 0 obj << /Type /Catalog >> endobj\n", n))
	pad := bytes.Repeat([]byte("%"+strings.Repeat("x", 63)+"\n"), int(size-int64(len(pdf))-40)/65)
	_, _ = fw.Write(pdf)
	_, _ = fw.Write(pad)
	_, _ = fw.Write([]byte("trailer << /Root 1 0 R >>\n%%EOF\n"))
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/supplier/documents", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	r, err := c.Do(req)
	if err != nil {
		t.Errorf("upload to %s: %v", base, err)
		return 0
	}
	_, _ = io.Copy(io.Discard, r.Body)
	r.Body.Close()
	return r.StatusCode
}

func waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 90 s for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// testRelay is an SMTP relay on the loopback address that keeps what it
// receives.
type testRelay struct {
	addr string
	mu   sync.Mutex
	msgs []relayed
}

type relayed struct{ to, subject string }

func (r *testRelay) messages() []relayed {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]relayed(nil), r.msgs...)
}

func startTestRelay(t *testing.T) *testRelay {
	t.Helper()
	r := &testRelay{}
	s := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &relaySession{r: r}, nil }))
	s.Domain = "relay.test"
	s.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.addr = ln.Addr().String()
	go func() { _ = s.Serve(ln) }()
	t.Cleanup(func() { s.Close() })
	return r
}

type relaySession struct {
	r  *testRelay
	to []string
}

func (s *relaySession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *relaySession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *relaySession) Data(r io.Reader) error {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, m.Body)
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	for _, to := range s.to {
		s.r.msgs = append(s.r.msgs, relayed{to: to, subject: subject})
	}
	return nil
}

func (s *relaySession) Reset()        { s.to = nil }
func (s *relaySession) Logout() error { return nil }
