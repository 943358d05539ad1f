package notify

import (
	"bytes"
	"errors"
	"io"
	"maps"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"slices"
	"strings"
	"testing"
)

const testFrom = "Pasokan <no-reply@pasokan.test>"

// wantHeaders is every header the mailer writes, and nothing else.
var wantHeaders = []string{"Content-Transfer-Encoding", "Content-Type", "Date", "From", "Message-Id", "Mime-Version", "Subject", "To"}

// CheckMessage parses raw as a recipient would and fails t unless it has
// exactly wantHeaders, one line each once unfolded, with CRLF line ends; it
// returns the decoded subject and body.
func CheckMessage(t *testing.T, raw []byte) (subject, body string) {
	t.Helper()
	head, _, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
	if !ok {
		t.Fatalf("no blank line after the header:\n%q", raw)
	}
	if bytes.Count(head, []byte("\n")) != bytes.Count(head, []byte("\r\n")) ||
		bytes.Count(head, []byte("\r")) != bytes.Count(head, []byte("\r\n")) || bytes.IndexByte(head, 0) >= 0 {
		t.Errorf("a bare CR, LF or NUL in the header:\n%q", head)
	}
	for line := range strings.SplitSeq(string(head), "\r\n") {
		for _, c := range line {
			if c > '~' || (c < ' ' && c != '\t') {
				t.Errorf("an unencoded character %q in header line %q", c, line)
			}
		}
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the message does not parse: %v\n%s", err, raw)
	}
	if got := slices.Sorted(maps.Keys(m.Header)); !slices.Equal(got, wantHeaders) {
		t.Errorf("headers %q, want %q\n%s", got, wantHeaders, head)
	}
	for k, v := range m.Header {
		if len(v) != 1 {
			t.Errorf("header %s appears %d times", k, len(v))
		}
	}
	if ct := m.Header.Get("Content-Type"); !strings.EqualFold(ct, "text/plain; charset=UTF-8") {
		t.Errorf("Content-Type %q", ct)
	}
	subject, err = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Errorf("subject %q does not decode: %v", m.Header.Get("Subject"), err)
	}
	var r io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		r = quotedprintable.NewReader(m.Body)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Errorf("body: %v", err)
	}
	return subject, strings.ReplaceAll(string(b), "\r\n", "\n")
}

func TestHeadersCannotBeInjected(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("Koperasi Produsen Masker «Sejahtera» ", 8)
	for _, tc := range []struct{ name, subject, want string }{
		{"CRLF", "Undangan bergabung dengan «Usaha Biasa\r\nReply-To: penipu@evil.example»", "Undangan bergabung dengan «Usaha Biasa Reply-To: penipu@evil.example»"},
		{"LF", "Halo\nBcc: x@evil.example", "Halo Bcc: x@evil.example"},
		{"CR", "Halo\rBcc: x@evil.example", "Halo Bcc: x@evil.example"},
		{"NUL", "Halo\x00Bcc: x@evil.example", "Halo Bcc: x@evil.example"},
		{"a body of its own", "Halo\r\n\r\nIsi palsu", "Halo Isi palsu"},
		{"a folded line", "Halo\r\n Bcc: x@evil.example\r\n\tCc: y@evil.example", "Halo Bcc: x@evil.example Cc: y@evil.example"},
		{"line separator", "Halo\u2028Bcc: x@evil.example\u0085Cc: y@evil.example", "Halo Bcc: x@evil.example Cc: y@evil.example"},
		{"a header-looking tail", "Halo Bcc: x@evil.example", "Halo Bcc: x@evil.example"},
		{"an encoded word of its own", "Halo =?UTF-8?Q?=0D=0ABcc:_x@evil.example?=", "Halo = ?UTF-8?Q?=0D=0ABcc:_x@evil.example?="},
		{"an encoded word among non-ASCII", "Halo «=?UTF-8?Q?=0D=0ABcc:_x@evil.example?=»", "Halo «= ?UTF-8?Q?=0D=0ABcc:_x@evil.example?=»"},
		{"invalid UTF-8", "Halo\xff\xfe dunia", "Halo\uFFFD dunia"},
		{"long, folded", long, strings.TrimSpace(long)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			body := "Buka tautan ini:\nhttps://pasokan.test/invitations/abc\n.\nFrom: bukan-header@evil.example\n"
			m, err := buildMessage(testFrom, Email{ID: 1, To: "a@contoh.id", Subject: tc.subject, Body: body})
			if err != nil {
				t.Fatal(err)
			}
			var raw bytes.Buffer
			if _, err := m.WriteTo(&raw); err != nil {
				t.Fatal(err)
			}
			subject, gotBody := CheckMessage(t, raw.Bytes())
			if subject != tc.want {
				t.Errorf("subject %q, want %q", subject, tc.want)
			}
			if gotBody != body {
				t.Errorf("body %q, want %q", gotBody, body)
			}
			h, _ := mail.ReadMessage(bytes.NewReader(raw.Bytes()))
			if to := h.Header.Get("To"); to != "<a@contoh.id>" {
				t.Errorf("To %q", to)
			}
			if from, err := h.Header.AddressList("From"); err != nil || len(from) != 1 || from[0].Address != "no-reply@pasokan.test" {
				t.Errorf("From %q: %v", h.Header.Get("From"), err)
			}
			if id := h.Header.Get("Message-Id"); !strings.HasSuffix(id, "@pasokan.test>") {
				t.Errorf("Message-ID %q is not in the sender's domain", id)
			}
		})
	}
}

func TestRecipientMustBeOneBareAddress(t *testing.T) {
	t.Parallel()
	for _, to := range []string{
		"a@contoh.id\r\nBcc: x@evil.example",
		"a@contoh.id\r\n",
		"a@contoh.id\n",
		"a@contoh.id\r",
		"a@contoh.id\x00",
		"a@contoh.id\u2028",
		"a@contoh.id, x@evil.example",
		"Penipu <x@evil.example>",
		"a@contoh.id (komentar)",
		" a@contoh.id",
		"bukan-email",
		"",
	} {
		_, err := buildMessage(testFrom, Email{ID: 7, To: to, Subject: "Halo", Body: "Isi"})
		if !errors.Is(err, ErrInvalidEmail) {
			t.Errorf("To %q: %v, want ErrInvalidEmail", to, err)
		}
		if err != nil && strings.ContainsAny(err.Error(), "\r\n\x00") {
			t.Errorf("To %q: the error %q carries the control characters into logs", to, err)
		}
	}
	// The sender is our configuration: a bad one is not the e-mail's fault,
	// and fixing it must let the e-mail go.
	if _, err := buildMessage("Pasokan <no-reply@pasokan.test>\r\nBcc: x@evil.example", Email{To: "a@contoh.id"}); err == nil || errors.Is(err, ErrInvalidEmail) {
		t.Errorf("a bad sender: %v", err)
	}
}
