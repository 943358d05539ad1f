package validation

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		in        string
		oneLine   string // key for one-line text
		multiLine string // key for multi-line text
	}{
		{"plain", "Konveksi Maju Jaya", "", ""},
		{"indonesian and accents", "Koperasi Wanita \"Sejahtera\" — Café", "", ""},
		{"emoji and other scripts", "Usaha 🧵 Batik — 日本 — عربي", "", ""},
		{"empty", "", "", ""},
		{"line feed", "Jl. Merdeka 1\nBandung", KeyControl, ""},
		{"crlf from a textarea", "Jl. Merdeka 1\r\nBandung", KeyControl, ""},
		{"tab", "Nama\tUsaha", KeyControl, ""},
		{"header injection", "Usaha Biasa\r\nReply-To: penipu@evil.example", KeyControl, ""},
		{"escape", "merah \x1b[31m", KeyControl, KeyControlMultiline},
		{"bell", "a\x07", KeyControl, KeyControlMultiline},
		{"vertical tab", "a\vb", KeyControl, KeyControlMultiline},
		{"form feed", "a\fb", KeyControl, KeyControlMultiline},
		{"delete", "a\x7fb", KeyControl, KeyControlMultiline},
		{"C1 next line", "a\u0085b", KeyControl, KeyControlMultiline},
		{"C1 CSI", "a\u009bb", KeyControl, KeyControlMultiline},
		{"line separator", "a\u2028b", KeyControl, KeyControlMultiline},
		{"paragraph separator", "a\u2029b", KeyControl, KeyControlMultiline},
		{"right-to-left override", "usaha\u202egnp.exe", KeyControl, KeyControlMultiline},
		{"isolate", "a\u2066b\u2069", KeyControl, KeyControlMultiline},
		{"NUL", "a\x00b", KeyEncoding, KeyEncoding},
		{"NUL alone", "\x00", KeyEncoding, KeyEncoding},
		{"invalid byte", "a\xffb", KeyEncoding, KeyEncoding},
		{"truncated sequence", "caf\xc3", KeyEncoding, KeyEncoding},
		{"overlong encoding", "\xc0\xaf", KeyEncoding, KeyEncoding},
		{"surrogate half", "\xed\xa0\x80", KeyEncoding, KeyEncoding},
		{"latin-1 not utf-8", "Caf\xe9", KeyEncoding, KeyEncoding},
		{"bad bytes win over control", "\x01\xff", KeyEncoding, KeyEncoding},
	}
	for _, tt := range tests {
		if got := Check(tt.in, false); got != tt.oneLine {
			t.Errorf("%s: Check(%q, one line) = %q, want %q", tt.name, tt.in, got, tt.oneLine)
		}
		if got := Check(tt.in, true); got != tt.multiLine {
			t.Errorf("%s: Check(%q, multi-line) = %q, want %q", tt.name, tt.in, got, tt.multiLine)
		}
	}
}

func TestSingleAndMultiLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		in        string
		multiline bool
		min, max  int
		want      string
		key       string
	}{
		{"trimmed", "  Konveksi Maju  ", false, 2, 200, "Konveksi Maju", ""},
		{"trailing newline is only space", "Konveksi Maju\r\n", false, 2, 200, "Konveksi Maju", ""},
		{"too short", "K", false, 2, 200, "K", "error.len"},
		{"too long in characters", strings.Repeat("é", 201), false, 2, 200, strings.Repeat("é", 201), "error.len"},
		{"long in bytes, short in characters", strings.Repeat("é", 200), false, 2, 200, strings.Repeat("é", 200), ""},
		{"line break in one line", "Usaha Biasa\r\nReply-To: x@evil.example", false, 2, 200, "Usaha Biasa\r\nReply-To: x@evil.example", KeyControl},
		{"control beats length", "\x01", false, 2, 200, "\x01", KeyControl},
		{"NUL", "Usaha\x00", false, 0, 200, "", KeyEncoding},
		{"invalid UTF-8", "Usaha\xff", true, 0, 200, "", KeyEncoding},
		{"crlf becomes lf", "Jl. Merdeka 1\r\nBandung\r\n", true, 0, 200, "Jl. Merdeka 1\nBandung", ""},
		{"lone cr becomes lf", "a\rb", true, 0, 200, "a\nb", ""},
		{"tab kept", "kain\tkatun", true, 0, 200, "kain\tkatun", ""},
		{"a break counts once", "ab\r\ncd", true, 0, 5, "ab\ncd", ""},
		{"escape in multi-line", "a\x1bb", true, 0, 200, "a\x1bb", KeyControlMultiline},
		{"required but blank", " \n ", true, 1, 200, "", "error.len"},
	}
	for _, tt := range tests {
		errs := Errors{}
		var got string
		if tt.multiline {
			got = errs.MultiLine("f", tt.in, tt.min, tt.max, "error.len")
		} else {
			got = errs.SingleLine("f", tt.in, tt.min, tt.max, "error.len")
		}
		if got != tt.want || errs["f"] != tt.key {
			t.Errorf("%s: got %q, %q; want %q, %q", tt.name, got, errs["f"], tt.want, tt.key)
		}
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	if s, ok := Text("  Siti Rahmawati ", 2, 200); !ok || s != "Siti Rahmawati" {
		t.Errorf("Text = %q, %v", s, ok)
	}
	for _, bad := range []string{"Usaha Biasa\r\nReply-To: penipu@evil.example", "a\x00b", "a\xffb", "a\tb", "x"} {
		if s, ok := Text(bad, 2, 200); ok {
			t.Errorf("Text(%q) accepted as %q", bad, s)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	t.Parallel()
	if s, ok := NormalizeEmail("  Siti@Contoh.ID "); !ok || s != "siti@contoh.id" {
		t.Errorf("NormalizeEmail = %q, %v", s, ok)
	}
	for _, bad := range []string{"siti\xff@contoh.id", "siti@contoh.id\x00", "\xc3@contoh.id"} {
		if s, ok := NormalizeEmail(bad); ok || s != "" {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want it refused and empty (no replacement character)", bad, s, ok)
		}
	}
	for _, bad := range []string{"siti@contoh.id\r\nBcc: x@evil.example", "si\x01ti@contoh.id", "siti@contoh\u202e.id", "siti", "siti@localhost"} {
		if s, ok := NormalizeEmail(bad); ok {
			t.Errorf("NormalizeEmail(%q) accepted as %q", bad, s)
		}
	}
}
