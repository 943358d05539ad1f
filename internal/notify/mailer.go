package notify

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"

	gomail "github.com/wneessen/go-mail"
)

// Mailer delivers one e-mail. An error wrapping ErrInvalidEmail means no
// retry can deliver it.
type Mailer interface {
	Send(ctx context.Context, e Email) error
}

// keeper is a mailer that keeps what it is given rather than sending it
// (LocalMailer): its e-mails are marked kept, not sent.
type keeper interface{ Keeps() bool }

// LocalMailer is the development mailer: the outbox table is the mailbox
// (shown to ministry admins). It builds and renders each message exactly as
// the SMTP mailer would, so that an e-mail that could not be sent fails
// here too, and logs the delivery without its body, which may hold a
// one-time link.
type LocalMailer struct {
	Log  *slog.Logger
	From string
}

// Keeps says that what it delivers stays in the outbox: no e-mail leaves
// the machine, so none is marked sent.
func (LocalMailer) Keeps() bool { return true }

// Send renders e and records the delivery in the log.
func (m LocalMailer) Send(_ context.Context, e Email) error {
	msg, err := buildMessage(m.From, e)
	if err != nil {
		return err
	}
	n, err := msg.WriteTo(io.Discard)
	if err != nil {
		return fmt.Errorf("notify: render %d: %w", e.ID, err)
	}
	m.Log.Info("e-mail delivered to the local outbox", "id", e.ID, "kind", e.Kind, "to", e.To, "bytes", n)
	return nil
}

// TLS modes of an SMTP relay.
const (
	// TLSStartTLS requires STARTTLS: the mailer never sends in clear.
	TLSStartTLS = "starttls"
	// TLSOpportunistic uses STARTTLS when the relay offers it.
	TLSOpportunistic = "opportunistic"
	// TLSImplicit speaks TLS from the first byte (submissions, port 465).
	TLSImplicit = "tls"
	// TLSNone never encrypts: a relay on the same host or network only.
	TLSNone = "none"
)

// SMTP says how to reach the relay.
type SMTP struct {
	// Addr is the relay's host:port.
	Addr string
	// From is the sender, "Name <address>" or a bare address.
	From string
	// Username and Password, when set, log in with the strongest mechanism
	// the relay offers; never with PLAIN or LOGIN over a connection in clear.
	Username, Password string
	// TLS is one of the TLS modes; empty means TLSStartTLS.
	TLS string
	// TLSConfig replaces the default TLS settings (the system's roots, the
	// relay's host name); tests use it to trust their own certificate.
	TLSConfig *tls.Config
}

// SMTPMailer sends through an SMTP relay with go-mail, one connection per
// e-mail.
type SMTPMailer struct {
	client *gomail.Client
	from   string
}

// NewSMTPMailer returns a mailer for the relay c.
func NewSMTPMailer(c SMTP) (*SMTPMailer, error) {
	host, portText, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return nil, fmt.Errorf("notify: SMTP address %q: %w", c.Addr, err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		return nil, fmt.Errorf("notify: SMTP address %q: port %q", c.Addr, portText)
	}
	// The sender is checked once here rather than failing every e-mail.
	if _, err := parseSender(c.From); err != nil {
		return nil, err
	}
	opts := []gomail.Option{gomail.WithPort(port)}
	switch c.TLS {
	case "", TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		return nil, fmt.Errorf("notify: SMTP TLS mode %q: want %s, %s, %s or %s", c.TLS, TLSStartTLS, TLSOpportunistic, TLSImplicit, TLSNone)
	}
	if c.TLSConfig != nil {
		tc := c.TLSConfig.Clone()
		if tc.ServerName == "" {
			tc.ServerName = host
		}
		opts = append(opts, gomail.WithTLSConfig(tc))
	}
	if c.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(c.Username), gomail.WithPassword(c.Password))
	}
	client, err := gomail.NewClient(host, opts...)
	if err != nil {
		return nil, fmt.Errorf("notify: SMTP client: %w", err)
	}
	return &SMTPMailer{client: client, from: c.From}, nil
}

// Send delivers e through the relay, to e.To only.
func (m *SMTPMailer) Send(ctx context.Context, e Email) error {
	msg, err := buildMessage(m.from, e)
	if err != nil {
		return err
	}
	if err := m.client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("notify: send %d: %w", e.ID, err)
	}
	return nil
}
