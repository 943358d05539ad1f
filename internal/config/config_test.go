package config

import (
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// TestDevMailboxIsAnExplicitChoice: the mailbox that shows one-time links
// to ministry admins is on by itself only with the private development
// cluster; a deployment either has a relay or says it wants the mailbox.
func TestDevMailboxIsAnExplicitChoice(t *testing.T) {
	t.Parallel()
	const db = "postgres://pasokan@db.example/pasokan"
	for _, tc := range []struct {
		name    string
		env     map[string]string
		mailbox bool
		// refused is whether serving must refuse to start.
		refused bool
	}{
		{"private cluster", map[string]string{}, true, false},
		{"private cluster with a relay", map[string]string{"SMTP_ADDR": "relay.example:587"}, true, false},
		{"private cluster, mailbox off, no relay", map[string]string{"PASOKAN_DEV_MAILBOX": "off"}, false, true},
		{"database, no relay", map[string]string{"DATABASE_URL": db}, false, true},
		{"database and a relay", map[string]string{"DATABASE_URL": db, "SMTP_ADDR": "relay.example:587"}, false, false},
		{"database, mailbox chosen", map[string]string{"DATABASE_URL": db, "PASOKAN_DEV_MAILBOX": "on"}, true, false},
		{"database, mailbox true", map[string]string{"DATABASE_URL": db, "PASOKAN_DEV_MAILBOX": "true"}, true, false},
		{"database, relay and mailbox", map[string]string{"DATABASE_URL": db, "SMTP_ADDR": "relay.example:587", "PASOKAN_DEV_MAILBOX": "1"}, true, false},
		{"database, mailbox off", map[string]string{"DATABASE_URL": db, "PASOKAN_DEV_MAILBOX": "off"}, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := FromEnv(env(tc.env))
			if err != nil {
				t.Fatal(err)
			}
			if c.DevMailbox != tc.mailbox {
				t.Errorf("DevMailbox %v, want %v", c.DevMailbox, tc.mailbox)
			}
			err = c.CheckMail()
			if (err != nil) != tc.refused {
				t.Fatalf("CheckMail: %v, want refused %v", err, tc.refused)
			}
			// The message names both ways out.
			if err != nil && (!strings.Contains(err.Error(), "SMTP_ADDR") || !strings.Contains(err.Error(), "PASOKAN_DEV_MAILBOX=on")) {
				t.Errorf("the refusal does not name both options: %v", err)
			}
		})
	}
}

func TestMailSettingsAreChecked(t *testing.T) {
	t.Parallel()
	c, err := FromEnv(env(map[string]string{"SMTP_ADDR": "relay.example:587", "SMTP_USERNAME": "pasokan", "SMTP_PASSWORD": "rahasia"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTPTLS != "starttls" || c.SMTPFrom != "Pasokan <no-reply@pasokan.test>" || c.SMTPUsername != "pasokan" || c.SMTPPassword != "rahasia" {
		t.Errorf("defaults: %+v", c)
	}
	for name, m := range map[string]map[string]string{
		"no port":                 {"SMTP_ADDR": "relay.example"},
		"a sender with a header":  {"SMTP_FROM": "Pasokan <no-reply@pasokan.test>\r\nBcc: x@evil.example"},
		"a sender that is no one": {"SMTP_FROM": "Pasokan"},
		"a password, no user":     {"SMTP_PASSWORD": "rahasia"},
		"an unknown TLS mode":     {"SMTP_TLS": "maybe"},
		"an unknown mailbox":      {"PASOKAN_DEV_MAILBOX": "sometimes"},
	} {
		if _, err := FromEnv(env(m)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestHelpdesk: the helpdesk's contacts are optional, checked, and the
// number is kept in one form whatever way it was written.
func TestHelpdesk(t *testing.T) {
	t.Parallel()
	c, err := FromEnv(env(map[string]string{}))
	if err != nil {
		t.Fatal(err)
	}
	if c.HelpdeskEmail != "" || c.HelpdeskPhone != "" {
		t.Errorf("defaults: %q, %q; want none", c.HelpdeskEmail, c.HelpdeskPhone)
	}
	for written, want := range map[string]string{
		"+62 811-1234-5678": "+6281112345678",
		"0811 1234 5678":    "+6281112345678",
		"62811.1234.5678":   "+6281112345678",
		"(021) 5249 000":    "+62215249000",
		" +6281112345678 ":  "+6281112345678",
	} {
		c, err := FromEnv(env(map[string]string{"PASOKAN_HELPDESK_PHONE": written, "PASOKAN_HELPDESK_EMAIL": "bantuan@kemenkopukm.go.id"}))
		if err != nil {
			t.Errorf("%q: %v", written, err)
			continue
		}
		if c.HelpdeskPhone != want || c.HelpdeskEmail != "bantuan@kemenkopukm.go.id" {
			t.Errorf("%q: phone %q, e-mail %q; want %q", written, c.HelpdeskPhone, c.HelpdeskEmail, want)
		}
	}
	for name, m := range map[string]map[string]string{
		"an e-mail with a name":    {"PASOKAN_HELPDESK_EMAIL": "Bantuan <bantuan@example.go.id>"},
		"an e-mail that is no one": {"PASOKAN_HELPDESK_EMAIL": "bantuan"},
		"a header in the e-mail":   {"PASOKAN_HELPDESK_EMAIL": "bantuan@example.go.id\r\nBcc: x@evil.example"},
		"letters in the number":    {"PASOKAN_HELPDESK_PHONE": "0811-CALL-HELP"},
		"another country":          {"PASOKAN_HELPDESK_PHONE": "+1 202 555 0143"},
		"too short":                {"PASOKAN_HELPDESK_PHONE": "0811 123"},
		"a plus inside":            {"PASOKAN_HELPDESK_PHONE": "0811+12345678"},
	} {
		if _, err := FromEnv(env(m)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestReadReplicaSettings: the replica is off unless named, and its lag
// bound is a sane duration.
func TestReadReplicaSettings(t *testing.T) {
	t.Parallel()
	c, err := FromEnv(env(map[string]string{}))
	if err != nil || c.ReadDatabaseURL != "" || c.ReadMaxLag != 10*time.Second {
		t.Fatalf("defaults: %q, %s, %v", c.ReadDatabaseURL, c.ReadMaxLag, err)
	}
	c, err = FromEnv(env(map[string]string{"DATABASE_READ_URL": "postgres://r.example/pasokan", "DATABASE_READ_MAX_LAG": "2s"}))
	if err != nil || c.ReadDatabaseURL != "postgres://r.example/pasokan" || c.ReadMaxLag != 2*time.Second {
		t.Fatalf("set: %q, %s, %v", c.ReadDatabaseURL, c.ReadMaxLag, err)
	}
	for _, bad := range []string{"10", "1ms", "2h", "soon"} {
		if _, err := FromEnv(env(map[string]string{"DATABASE_READ_MAX_LAG": bad})); err == nil || !strings.Contains(err.Error(), "DATABASE_READ_MAX_LAG") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
