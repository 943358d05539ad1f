package vcode_test

import (
	"testing"

	"pasokan/internal/vcode"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"K7QM-2XPD-9RTA", "K7QM-2XPD-9RTA", true},
		{"  k7qm-2xpd-9rta\n", "K7QM-2XPD-9RTA", true},
		{"K7QM 2XPD 9RTA", "K7QM-2XPD-9RTA", true},
		{"k7qm2xpd9rta", "K7QM-2XPD-9RTA", true},
		{"K7QM–2XPD—9RTA", "K7QM-2XPD-9RTA", true}, // dashes a PDF reader copies
		{"", "", false},
		{"   ", "", false},
		{"K7QM-2XPD-9RT", "", false},
		{"K7QM-2XPD-9RTAX", "", false},
		{"K7QM-2XPD-9RT!", "", false},
		{"K7QM-2XPD-9RTÄ", "", false},
		{"K7QM/2XPD/9RTA", "", false},
	} {
		got, ok := vcode.Normalize(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Normalize(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	for range 100 {
		c := vcode.New()
		if got, ok := vcode.Normalize(c); !ok || got != c {
			t.Errorf("Normalize(New() = %q) = %q, %v", c, got, ok)
		}
	}
}
