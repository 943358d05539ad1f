package notify_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river/rivertype"

	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/i18n"
	"pasokan/internal/notify"
	"pasokan/internal/testapp"
)

// relay is an SMTP server on loopback that keeps what it receives.
type relay struct {
	addr string
	// roots trusts the relay's certificate.
	roots *x509.CertPool

	mu       sync.Mutex
	received []received
}

// received is one message as the relay got it.
type received struct {
	from  string
	rcpts []string
	data  []byte
	tls   bool
	user  string
}

// startRelay serves SMTP on 127.0.0.1; with startTLS it offers STARTTLS
// (and AUTH only after it), else it speaks in clear only.
func startRelay(t *testing.T, startTLS bool) *relay {
	t.Helper()
	r := &relay{}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{relay: r, conn: c}, nil
	}))
	s.Domain = "relay.test"
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	if startTLS {
		cert, roots := selfSigned(t)
		s.TLSConfig, r.roots = &tls.Config{Certificates: []tls.Certificate{cert}}, roots
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.addr = ln.Addr().String()
	go func() { _ = s.Serve(ln) }()
	t.Cleanup(func() { _ = s.Close() })
	return r
}

func (r *relay) messages() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.received...)
}

type session struct {
	relay *relay
	conn  *smtp.Conn
	msg   received
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "pasokan" || pass != "rahasia" {
			return errors.New("invalid credentials")
		}
		s.msg.user = user
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	_, s.msg.tls = s.conn.TLSConnectionState()
	s.msg.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.msg.rcpts = append(s.msg.rcpts, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.msg.data = b
	s.relay.mu.Lock()
	defer s.relay.mu.Unlock()
	s.relay.received = append(s.relay.received, s.msg)
	return nil
}

func (s *session) Reset() { s.msg = received{user: s.msg.user} }

func (s *session) Logout() error { return nil }

// selfSigned returns a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, roots
}

func outbox(t *testing.T, db *database.DB) map[string]notify.Email {
	t.Helper()
	emails, err := notify.NewOutbox(db).Recent(context.Background(), database.System(), 0, 100)
	dbtest.Must(t, err)
	byTo := map[string]notify.Email{}
	for _, e := range emails {
		byTo[e.To] = e
	}
	return byTo
}

// TestWorkerDeliversThroughSMTPWithoutInjectedHeaders sends an invitation
// whose organisation name carries a header, through the go-mail mailer to
// a relay on loopback, with STARTTLS and a login as in production.
func TestWorkerDeliversThroughSMTPWithoutInjectedHeaders(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	r := startRelay(t, true)

	// The invitation's subject, as account.invite writes it.
	org := "Usaha Biasa\r\nReply-To: penipu@evil.example\r\nBcc: mata-mata@evil.example"
	subject := i18n.Translate(i18n.ID, "email.invitation.subject", "«"+org+"»")
	body := "Buka tautan ini untuk menerima undangan:\nhttp://pasokan.test/invitations/abc\n.\nBcc: bukan-header@evil.example\n"
	bad := "b@contoh.id\r\nBcc: mata-mata@evil.example"
	writer := notify.NewOutbox(db.App)
	dbtest.Must(t, db.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		for _, e := range []notify.Email{
			{Kind: "invitation", To: "a@contoh.id", Subject: subject, Body: body},
			{Kind: "invitation", To: bad, Subject: "Halo", Body: "Isi"},
		} {
			if err := writer.Enqueue(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	}))

	mailer, err := notify.NewSMTPMailer(notify.SMTP{Addr: r.addr, From: "Pasokan <no-reply@pasokan.test>",
		Username: "pasokan", Password: "rahasia", TLSConfig: &tls.Config{RootCAs: r.roots}})
	dbtest.Must(t, err)
	a := startPortal(t, db.App, mailer)
	testapp.WaitForJobs(t, db.App)

	got := r.messages()
	if len(got) != 1 {
		t.Fatalf("the relay received %d messages, want 1 (the invalid address is never sent)", len(got))
	}
	m := got[0]
	if !m.tls || m.user != "pasokan" {
		t.Errorf("sent with TLS %v as %q, want STARTTLS and the login", m.tls, m.user)
	}
	if m.from != "no-reply@pasokan.test" || len(m.rcpts) != 1 || m.rcpts[0] != "a@contoh.id" {
		t.Errorf("envelope from %q to %q, want no-reply@pasokan.test to a@contoh.id only", m.from, m.rcpts)
	}
	gotSubject, gotBody := notify.CheckMessage(t, m.data)
	want := "Undangan bergabung dengan «Usaha Biasa Reply-To: penipu@evil.example Bcc: mata-mata@evil.example» di Pasokan"
	if gotSubject != want {
		t.Errorf("subject %q, want %q", gotSubject, want)
	}
	if gotBody != body {
		t.Errorf("body %q, want %q", gotBody, body)
	}

	emails := outbox(t, db.App)
	if e := emails["a@contoh.id"]; e.Status != "sent" {
		t.Errorf("the invitation is %s (%s)", e.Status, e.LastError)
	}
	// An e-mail that can never be built fails at once, with the reason,
	// rather than trying ten times: its job is cancelled.
	if e := emails[bad]; e.Status != "failed" || e.Attempts != 1 || !strings.Contains(e.LastError, "invalid e-mail") {
		t.Errorf("the e-mail to an invalid address: %s after %d attempts (%q), want failed after 1", e.Status, e.Attempts, e.LastError)
	}
	states := map[rivertype.JobState]int{}
	for _, j := range emailJobs(t, a) {
		states[j.State]++
	}
	if states[rivertype.JobStateCompleted] != 1 || states[rivertype.JobStateCancelled] != 1 {
		t.Errorf("the delivery jobs: %v, want one completed and one cancelled", states)
	}
}

// TestSMTPNeverFallsBackToClearText: by default the mailer requires
// STARTTLS; a relay without it gets nothing, and the e-mail waits.
func TestSMTPNeverFallsBackToClearText(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	r := startRelay(t, false)
	enqueue(t, db.App, database.System(), 1)

	mailer, err := notify.NewSMTPMailer(notify.SMTP{Addr: r.addr, From: "no-reply@pasokan.test"})
	dbtest.Must(t, err)
	startPortal(t, db.App, mailer)
	deadline := time.Now().Add(30 * time.Second)
	for outbox(t, db.App)["a@contoh.id"].Attempts == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no attempt within 30 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := r.messages(); len(got) != 0 {
		t.Errorf("sent %d messages in clear", len(got))
	}
	if e := outbox(t, db.App)["a@contoh.id"]; e.Status != "pending" || !strings.Contains(e.LastError, "STARTTLS") {
		t.Errorf("after a relay without STARTTLS: %s (%q), want pending with the reason", e.Status, e.LastError)
	}

	// Chosen explicitly (a relay on the same host), clear text goes.
	db = dbtest.New(t)
	mailer, err = notify.NewSMTPMailer(notify.SMTP{Addr: r.addr, From: "no-reply@pasokan.test", TLS: notify.TLSNone})
	dbtest.Must(t, err)
	startPortal(t, db.App, mailer)
	enqueue(t, db.App, database.System(), 1)
	testapp.WaitForJobs(t, db.App)
	if e := outbox(t, db.App)["a@contoh.id"]; e.Status != "sent" || len(r.messages()) != 1 {
		t.Errorf("with TLS none: %s (%q), relay received %d", e.Status, e.LastError, len(r.messages()))
	}
}

func TestNewSMTPMailerRefusesBadSettings(t *testing.T) {
	t.Parallel()
	for _, c := range []notify.SMTP{
		{Addr: "relay.example", From: "no-reply@pasokan.test"},
		{Addr: "relay.example:smtp", From: "no-reply@pasokan.test"},
		{Addr: "relay.example:587", From: "Pasokan <no-reply@pasokan.test>\r\nBcc: x@evil.example"},
		{Addr: "relay.example:587", From: "bukan-alamat"},
		{Addr: "relay.example:587", From: "no-reply@pasokan.test", TLS: "maybe"},
	} {
		if _, err := notify.NewSMTPMailer(c); err == nil {
			t.Errorf("%+v: accepted", c)
		}
	}
}

// TestLocalMailerFailsWhatSMTPWouldRefuse: the development mailbox builds
// the same message, so an address SMTP would refuse fails here too; what
// it keeps is marked kept, not sent.
func TestLocalMailerFailsWhatSMTPWouldRefuse(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	enqueue(t, db.App, database.System(), 1)
	dbtest.Must(t, db.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		return notify.NewOutbox(db.App).Enqueue(ctx, tx, notify.Email{Kind: "test", To: "b@contoh.id\nBcc: x@evil.example", Subject: "Halo", Body: "Isi"})
	}))
	logs := &syncBuilder{}
	mailer := notify.LocalMailer{Log: slog.New(slog.NewTextHandler(logs, nil)), From: "Pasokan <no-reply@pasokan.test>"}
	startPortal(t, db.App, mailer)
	testapp.WaitForJobs(t, db.App)
	emails := outbox(t, db.App)
	// Kept in the outbox, never called sent: no relay carried it.
	if e := emails["a@contoh.id"]; e.Status != "kept" {
		t.Errorf("the valid e-mail is %s (%s), want kept", e.Status, e.LastError)
	}
	if e := emails["b@contoh.id\nBcc: x@evil.example"]; e.Status != "failed" || e.Attempts != 1 {
		t.Errorf("the invalid e-mail is %s after %d attempts, want failed after 1", e.Status, e.Attempts)
	}
	if !strings.Contains(logs.String(), "bytes=") || strings.Contains(logs.String(), "Isi") {
		t.Errorf("the local mailer should log the size, never the body:\n%s", logs.String())
	}
}

// syncBuilder is a strings.Builder safe for the workers' concurrent writes.
type syncBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuilder) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuilder) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
