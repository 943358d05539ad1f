package notify

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"

	gomail "github.com/wneessen/go-mail"
)

// ErrInvalidEmail marks an e-mail whose message cannot be built, such as
// one to an address that is not one: no retry can send it, so the worker
// fails it at once.
var ErrInvalidEmail = errors.New("notify: invalid e-mail")

// buildMessage builds the message that both mailers deliver: From, To,
// Subject, Date, Message-ID and a text/plain UTF-8 body, each header
// written and encoded by go-mail (RFC 2047 for anything outside printable
// ASCII). Whatever the outbox holds, no header can be added: the subject is
// made one line, and an address that is not exactly one bare address is
// refused with ErrInvalidEmail. A bad from (our configuration, checked at
// start-up) is an ordinary error, so that fixing it lets the e-mail go.
func buildMessage(from string, e Email) (*gomail.Msg, error) {
	sender, err := parseSender(from)
	if err != nil {
		return nil, err
	}
	if err := checkRecipient(e.To); err != nil {
		return nil, fmt.Errorf("%w %d to %q: %v", ErrInvalidEmail, e.ID, e.To, err)
	}
	// No User-Agent: it would only tell the world our library and version.
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	m.FromMailAddress(sender)
	if err := m.To(e.To); err != nil {
		return nil, fmt.Errorf("%w %d: %v", ErrInvalidEmail, e.ID, err)
	}
	m.Subject(headerText(e.Subject))
	m.SetDateWithValue(time.Now())
	// The sender's domain, not go-mail's default of this host's name, which
	// in a container is a random string the recipient cannot place.
	m.SetMessageIDWithValue(rand.Text() + "@" + sender.Address[strings.LastIndexByte(sender.Address, '@')+1:])
	m.SetBodyString(gomail.TypeTextPlain, strings.ToValidUTF8(e.Body, "\uFFFD"))
	return m, nil
}

// parseSender reads the configured sender.
func parseSender(from string) (*mail.Address, error) {
	if hasControl(from) {
		return nil, fmt.Errorf("notify: sender %q: control character", from)
	}
	a, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("notify: sender %q: %w", from, err)
	}
	return a, nil
}

// checkRecipient accepts one bare address (a@b.example), nothing more: no
// display name, no list, no comment, no control character that a parser
// might skip as folding white space.
func checkRecipient(to string) error {
	if hasControl(to) {
		return errors.New("control character in the address")
	}
	a, err := mail.ParseAddress(to)
	if err != nil {
		return err
	}
	if a.Name != "" || a.Address != to {
		return errors.New("not a bare address")
	}
	return nil
}

func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) || isLineBreak(r) })
}

// isLineBreak reports the Unicode line and paragraph separators, which are
// not control characters but end a line on some screens all the same.
func isLineBreak(r rune) bool { return r == '\u2028' || r == '\u2029' }

// headerText is s made one line, with no "=?": go-mail leaves printable
// ASCII unencoded, where "=?UTF-8?Q?=0D=0A?=" would be decoded by
// the reader into a line break, or into any text unlike what we show.
func headerText(s string) string { return strings.ReplaceAll(oneLine(s), "=?", "= ?") }

// oneLine makes s a single line of text: every run of control characters
// and white space (CR, LF, NUL, tabs, line separators) becomes one space,
// and invalid UTF-8 becomes U+FFFD.
func oneLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) || unicode.IsSpace(r) || isLineBreak(r)
	}), " ")
}
