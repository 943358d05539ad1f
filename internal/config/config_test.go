package config

import (
	"strings"
	"testing"
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
