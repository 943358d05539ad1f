// Package vcode makes the verification codes printed on the portal's
// documents (a curation certificate, an order, a goods-received record):
// twelve characters people can read aloud and type back, in groups of four.
package vcode

import (
	"crypto/rand"
	"unicode"
)

// alphabet leaves out letters and digits people confuse (0/O, 1/I/L).
const alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// New returns a fresh code such as "K7QM-2XPD-9RTA".
func New() string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on Linux
	}
	out := make([]byte, 0, 14)
	for i, x := range b {
		if i == 4 || i == 8 {
			out = append(out, '-')
		}
		out = append(out, alphabet[int(x)%len(alphabet)])
	}
	return string(out)
}

// Normalize returns a code as it is printed ("K7QM-2XPD-9RTA") from what a
// person typed or a link carried: spaces around or between the groups, lower
// case, and the dashes left out or typed as another dash (a PDF reader may
// copy an en dash) are all the same code. ok is false unless twelve letters
// and digits remain. It accepts every letter and digit, not only those of
// the alphabet New draws from, as the database's check on a code does.
func Normalize(s string) (code string, ok bool) {
	b := make([]byte, 0, 14)
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || unicode.Is(unicode.Pd, r):
			continue
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		default:
			return "", false
		}
		if len(b) == 14 {
			return "", false
		}
		if len(b) == 4 || len(b) == 9 {
			b = append(b, '-')
		}
		b = append(b, byte(r))
	}
	if len(b) != 14 {
		return "", false
	}
	return string(b), true
}
