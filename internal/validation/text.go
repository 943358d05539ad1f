package validation

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The i18n keys of text that cannot be stored as typed.
const (
	// KeyEncoding: bytes that are not UTF-8, or a NUL byte. Postgres refuses
	// both, and no keyboard types them: they come from a broken client or an
	// attack, never from a person.
	KeyEncoding = "error.text_encoding"
	// KeyControl: a line break, a tab or another control character in
	// one-line text, or an invisible mark that reorders text.
	KeyControl = "error.text_control"
	// KeyControlMultiline: a control character other than a line break or a
	// tab in multi-line text, or an invisible mark that reorders text.
	KeyControlMultiline = "error.text_control_multiline"
)

// Storable reports whether s is UTF-8 without a NUL byte: text Postgres can
// store.
func Storable(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// Check returns the i18n key of what makes s unfit to store as text, or "".
// One-line text (names, e-mail addresses, numbers, codes) may hold no
// control character at all: a CR/LF in an organisation name becomes a header
// line when the name reaches an e-mail subject. Multi-line text (addresses,
// notes, reasons) may hold line breaks and tabs, nothing else.
func Check(s string, multiline bool) string {
	if !Storable(s) {
		return KeyEncoding
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if refused(r) {
			if multiline {
				return KeyControlMultiline
			}
			return KeyControl
		}
	}
	return ""
}

// refused reports whether r is a control character (C0, DEL, C1), a line or
// paragraph separator, or a bidirectional embedding, override or isolate
// (which make a name read differently from what it is).
func refused(r rune) bool {
	switch {
	case unicode.IsControl(r), r == '\u2028', r == '\u2029':
		return true
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

// Text trims s and reports whether it is clean one-line text (see Check)
// whose length in characters is within [min, max].
func Text(s string, min, max int) (string, bool) {
	if !Storable(s) {
		return "", false
	}
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	return s, Check(s, false) == "" && n >= min && n <= max
}

// SingleLine checks one line of text typed into field: it must be clean
// (Check) and, trimmed, between min and max characters long; lenKey names
// the length problem. The first problem found is recorded; the trimmed text
// comes back (empty when its bytes cannot be stored).
func (e Errors) SingleLine(field, s string, min, max int, lenKey string) string {
	return e.text(field, s, min, max, lenKey, false)
}

// MultiLine is SingleLine for text that may span lines: addresses, notes,
// reasons. Line breaks come back as LF (browsers send a textarea's as
// CRLF), so that a length counts each break once, as the browser did.
func (e Errors) MultiLine(field, s string, min, max int, lenKey string) string {
	return e.text(field, s, min, max, lenKey, true)
}

func (e Errors) text(field, s string, min, max int, lenKey string, multiline bool) string {
	if !Storable(s) {
		e.Add(field, KeyEncoding)
		return ""
	}
	if multiline {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	s = strings.TrimSpace(s)
	if key := Check(s, multiline); key != "" {
		e.Add(field, key)
		return s
	}
	if n := utf8.RuneCountInString(s); n < min || n > max {
		e.Add(field, lenKey)
	}
	return s
}

// Clean records, for each field of values, what makes its one-line text
// unfit (Check), if anything. Fields that are parsed further (choices,
// codes, numbers, identifiers) are cleaned first, so that bad bytes are
// named as such rather than as a wrong number.
func (e Errors) Clean(values map[string]string) {
	for field, v := range values {
		if key := Check(strings.TrimSpace(v), false); key != "" {
			e.Add(field, key)
		}
	}
}
