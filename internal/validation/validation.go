// Package validation carries field errors from domain rules to forms. Each
// error is an i18n key, so the page shows it in the reader's language.
package validation

import (
	"net/mail"
	"sort"
	"strings"
)

// Errors maps a form field name to the i18n key of what is wrong with it.
type Errors map[string]string

// Add records key for field unless the field already has an error: the first
// problem found is the one worth telling.
func (e Errors) Add(field, key string) {
	if _, ok := e[field]; !ok {
		e[field] = key
	}
}

// Any reports whether there is at least one error.
func (e Errors) Any() bool { return len(e) > 0 }

// Error lists the fields and keys, for logs.
func (e Errors) Error() string {
	parts := make([]string, 0, len(e))
	for f, k := range e {
		parts = append(parts, f+": "+k)
	}
	sort.Strings(parts)
	return "invalid input: " + strings.Join(parts, ", ")
}

// Err returns e as an error, or nil when empty.
func (e Errors) Err() error {
	if e.Any() {
		return e
	}
	return nil
}

// NormalizeEmail trims and lower-cases an address and reports whether it is a
// plain, plausible address (local@domain.tld, no display name, no control
// character). Bytes that are not storable text are refused before anything
// else and come back empty: lower-casing would turn them into replacement
// characters that look like an address someone typed.
func NormalizeEmail(s string) (string, bool) {
	if !Storable(s) {
		return "", false
	}
	s = strings.ToLower(strings.TrimSpace(s))
	if Check(s, false) != "" || len(s) < 3 || len(s) > 254 {
		return s, false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return s, false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	if at < 1 || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return s, false
	}
	return s, true
}
