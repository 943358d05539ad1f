// Package config reads the portal's configuration from the environment and
// returns it; nothing here is global.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Config is the portal's configuration.
type Config struct {
	// Addr is where the server listens (PASOKAN_ADDR, default ":8080").
	Addr string
	// MetricsAddr is where /metrics is served in the Prometheus format
	// (PASOKAN_METRICS_ADDR, e.g. "127.0.0.1:9090"); empty: not served.
	// Keep it off the public network: the public address answers 404.
	MetricsAddr string
	// BaseURL is the public address, for links in e-mails
	// (PASOKAN_BASE_URL, default "http://localhost:8080").
	BaseURL string
	// DatabaseURL is the server's connection, as the application role
	// (DATABASE_URL). Empty: start a private cluster in DataDir.
	DatabaseURL string
	// OwnerDatabaseURL is the schema owner's connection, for migrations and
	// the seed (DATABASE_OWNER_URL). Empty with DatabaseURL set: migrations
	// are not applied at start-up.
	OwnerDatabaseURL string
	// ReadDatabaseURL is a streaming replica of the database, as the
	// application role (DATABASE_READ_URL): the reads that may be a moment
	// old go there (issue 13). Empty: every read goes to DatabaseURL.
	ReadDatabaseURL string
	// ReadMaxLag is how far behind the replica may fall before its reads go
	// back to the primary (DATABASE_READ_MAX_LAG, a duration; default 10s).
	ReadMaxLag time.Duration
	// DataDir holds the private development cluster (PASOKAN_DATA_DIR,
	// default ".data").
	DataDir string
	// Seed loads the demo data into an empty database at start-up
	// (PASOKAN_SEED; default on with the private cluster, off otherwise).
	Seed bool
	// SecureCookies marks cookies Secure (PASOKAN_SECURE_COOKIES; default on
	// when BaseURL is https).
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For's last hop
	// (PASOKAN_TRUST_PROXY).
	TrustProxy bool
	// SMTPAddr (host:port) and SMTPFrom send e-mail through a relay
	// (SMTP_ADDR, SMTP_FROM). Empty SMTPAddr: e-mails are not sent out, and
	// only the development mailbox shows them (see DevMailbox, CheckMail).
	SMTPAddr, SMTPFrom string
	// SMTPUsername and SMTPPassword log in to the relay (SMTP_USERNAME,
	// SMTP_PASSWORD); empty: no login.
	SMTPUsername, SMTPPassword string
	// SMTPTLS is "starttls" (STARTTLS required, the default),
	// "opportunistic", "tls" (implicit, as on port 465) or "none" (SMTP_TLS).
	SMTPTLS string
	// DevMailbox shows every e-mail, one-time links included, to ministry
	// admins at /admin/outbox (PASOKAN_DEV_MAILBOX; default on with the
	// private cluster, off otherwise).
	DevMailbox bool
	// LogFormat is "text" or "json" (PASOKAN_LOG_FORMAT).
	LogFormat string
	// ShutdownTimeout bounds the drain of in-flight requests.
	ShutdownTimeout time.Duration
	// MaxDBConns is the pool size (PASOKAN_DB_MAX_CONNS, default 20).
	MaxDBConns int32
	// MaxUploadBytes bounds an uploaded file (PASOKAN_MAX_UPLOAD_MB,
	// default 10 MiB).
	MaxUploadBytes int64
	// UploadQuotaBytes bounds the total size of an organisation's documents
	// (PASOKAN_UPLOAD_QUOTA_MB, default 100 MiB).
	UploadQuotaBytes int64
	// UploadSlots bounds the uploads one process receives at once, each
	// holding its file in memory (PASOKAN_UPLOAD_SLOTS, default two per
	// core, at least 4).
	UploadSlots int
	// HelpdeskEmail and HelpdeskPhone are where business owners ask for
	// help, shown on /help (PASOKAN_HELPDESK_EMAIL, an address; and
	// PASOKAN_HELPDESK_PHONE, a WhatsApp number as +62…, 62… or 08…, kept
	// as +62…). Both default to empty: /help then names neither and sends
	// owners to their application page and notifications.
	HelpdeskEmail, HelpdeskPhone string
}

// FromEnv reads the configuration from getenv (os.Getenv in main).
func FromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		Addr:             or(getenv("PASOKAN_ADDR"), ":8080"),
		MetricsAddr:      getenv("PASOKAN_METRICS_ADDR"),
		BaseURL:          strings.TrimRight(or(getenv("PASOKAN_BASE_URL"), "http://localhost:8080"), "/"),
		DatabaseURL:      getenv("DATABASE_URL"),
		OwnerDatabaseURL: getenv("DATABASE_OWNER_URL"),
		ReadDatabaseURL:  getenv("DATABASE_READ_URL"),
		ReadMaxLag:       10 * time.Second,
		DataDir:          or(getenv("PASOKAN_DATA_DIR"), ".data"),
		SMTPAddr:         getenv("SMTP_ADDR"),
		SMTPFrom:         or(getenv("SMTP_FROM"), "Pasokan <no-reply@pasokan.test>"),
		SMTPUsername:     getenv("SMTP_USERNAME"),
		SMTPPassword:     getenv("SMTP_PASSWORD"),
		SMTPTLS:          or(getenv("SMTP_TLS"), "starttls"),
		LogFormat:        or(getenv("PASOKAN_LOG_FORMAT"), "text"),
		ShutdownTimeout:  20 * time.Second,
		MaxDBConns:       20,
		MaxUploadBytes:   10 << 20,
		UploadQuotaBytes: 100 << 20,
		UploadSlots:      max(4, 2*runtime.NumCPU()),
	}
	var err error
	if c.Seed, err = boolean(getenv("PASOKAN_SEED"), c.DatabaseURL == ""); err != nil {
		return c, fmt.Errorf("config: PASOKAN_SEED: %w", err)
	}
	if c.SecureCookies, err = boolean(getenv("PASOKAN_SECURE_COOKIES"), strings.HasPrefix(c.BaseURL, "https://")); err != nil {
		return c, fmt.Errorf("config: PASOKAN_SECURE_COOKIES: %w", err)
	}
	if c.TrustProxy, err = boolean(getenv("PASOKAN_TRUST_PROXY"), false); err != nil {
		return c, fmt.Errorf("config: PASOKAN_TRUST_PROXY: %w", err)
	}
	if c.DevMailbox, err = boolean(getenv("PASOKAN_DEV_MAILBOX"), c.DatabaseURL == ""); err != nil {
		return c, fmt.Errorf("config: PASOKAN_DEV_MAILBOX: %w", err)
	}
	if err := c.checkSMTP(); err != nil {
		return c, err
	}
	if v := getenv("DATABASE_READ_MAX_LAG"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 100*time.Millisecond || d > time.Hour {
			return c, fmt.Errorf("config: DATABASE_READ_MAX_LAG: want a duration from 100ms to 1h (e.g. 10s), got %q", v)
		}
		c.ReadMaxLag = d
	}
	if v := getenv("PASOKAN_DB_MAX_CONNS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return c, fmt.Errorf("config: PASOKAN_DB_MAX_CONNS: want 1..1000, got %q", v)
		}
		c.MaxDBConns = int32(n)
	}
	if v := getenv("PASOKAN_MAX_UPLOAD_MB"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return c, fmt.Errorf("config: PASOKAN_MAX_UPLOAD_MB: want 1..100, got %q", v)
		}
		c.MaxUploadBytes = int64(n) << 20
	}
	if v := getenv("PASOKAN_UPLOAD_QUOTA_MB"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			return c, fmt.Errorf("config: PASOKAN_UPLOAD_QUOTA_MB: want 1..1000000, got %q", v)
		}
		c.UploadQuotaBytes = int64(n) << 20
	}
	if v := getenv("PASOKAN_UPLOAD_SLOTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return c, fmt.Errorf("config: PASOKAN_UPLOAD_SLOTS: want 1..1000, got %q", v)
		}
		c.UploadSlots = n
	}
	if v := strings.TrimSpace(getenv("PASOKAN_HELPDESK_EMAIL")); v != "" {
		a, err := mail.ParseAddress(v)
		if err != nil || a.Name != "" || a.Address != v || strings.ContainsFunc(v, unicode.IsControl) {
			return c, fmt.Errorf("config: PASOKAN_HELPDESK_EMAIL: want an address such as bantuan@example.go.id, got %q", v)
		}
		c.HelpdeskEmail = v
	}
	if v := getenv("PASOKAN_HELPDESK_PHONE"); strings.TrimSpace(v) != "" {
		phone, ok := indonesianPhone(v)
		if !ok {
			return c, fmt.Errorf("config: PASOKAN_HELPDESK_PHONE: want an Indonesian WhatsApp number such as +62 811 1234 5678 or 0811-1234-5678, got %q", v)
		}
		c.HelpdeskPhone = phone
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return c, fmt.Errorf("config: PASOKAN_LOG_FORMAT: want text or json, got %q", c.LogFormat)
	}
	return c, nil
}

func (c Config) checkSMTP() error {
	if c.SMTPAddr != "" {
		if _, port, err := net.SplitHostPort(c.SMTPAddr); err != nil || port == "" {
			return fmt.Errorf("config: SMTP_ADDR: want host:port, got %q", c.SMTPAddr)
		}
	}
	if _, err := mail.ParseAddress(c.SMTPFrom); err != nil || strings.ContainsFunc(c.SMTPFrom, unicode.IsControl) {
		return fmt.Errorf("config: SMTP_FROM: want an address such as \"Pasokan <no-reply@example.go.id>\", got %q", c.SMTPFrom)
	}
	if c.SMTPPassword != "" && c.SMTPUsername == "" {
		return errors.New("config: SMTP_PASSWORD is set without SMTP_USERNAME")
	}
	switch c.SMTPTLS {
	case "starttls", "opportunistic", "tls", "none":
	default:
		return fmt.Errorf("config: SMTP_TLS: want starttls, opportunistic, tls or none, got %q", c.SMTPTLS)
	}
	return nil
}

// CheckMail reports whether e-mails reach anyone: through the relay, or to
// the development mailbox when that was chosen. Only serving needs it, so
// migrate and the admin commands run without a relay.
func (c Config) CheckMail() error {
	if c.SMTPAddr == "" && !c.DevMailbox {
		return errors.New("config: e-mails (invitations, password resets) would never be sent: " +
			"set SMTP_ADDR (and SMTP_FROM) to send them through a relay, or, on a test deployment only, " +
			"PASOKAN_DEV_MAILBOX=on to show them to ministry admins at /admin/outbox")
	}
	return nil
}

// indonesianPhone reads a phone number as people write it (spaces, dashes,
// dots, brackets; +62, 62 or a leading 0) and returns it as +62 and its
// digits, 8 to 13 of them after the country code.
func indonesianPhone(v string) (string, bool) {
	var digits strings.Builder
	for i, r := range strings.TrimSpace(v) {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == '+' && i == 0, r == ' ', r == '-', r == '.', r == '(', r == ')':
		default:
			return "", false
		}
	}
	d := digits.String()
	switch {
	case strings.HasPrefix(d, "62"):
		d = d[2:]
	case strings.HasPrefix(d, "0") && !strings.HasPrefix(strings.TrimSpace(v), "+"):
		d = d[1:]
	default:
		return "", false
	}
	if len(d) < 8 || len(d) > 13 || d[0] == '0' {
		return "", false
	}
	return "+62" + d, true
}

// FromOS reads the configuration from the process environment.
func FromOS() (Config, error) { return FromEnv(os.Getenv) }

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// boolean reads v as strconv.ParseBool does, and also on and off.
func boolean(v string, def bool) (bool, error) {
	switch v {
	case "":
		return def, nil
	case "on":
		return true, nil
	case "off":
		return false, nil
	}
	return strconv.ParseBool(v)
}
