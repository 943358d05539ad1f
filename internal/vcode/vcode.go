// Package vcode makes the verification codes printed on the portal's
// documents (a curation certificate, an order, a goods-received record):
// twelve characters people can read aloud and type back, in groups of four.
package vcode

import "crypto/rand"

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
