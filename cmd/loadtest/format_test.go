package main

import "testing"

func TestMillisReadsWrkLatencies(t *testing.T) {
	for in, want := range map[string]string{
		"544.00us": "0.54",
		"7.81ms":   "7.8",
		"35.65ms":  "36",
		"1.02s":    "1020",
		"2.00m":    "120000",
		"n/a":      "n/a",
	} {
		if got := millis(in); got != want {
			t.Errorf("millis(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestThousandsSeparatesThousands(t *testing.T) {
	for in, want := range map[int]string{7: "7", 999: "999", 1000: "1,000", 36693: "36,693", 200000: "200,000", 1000000: "1,000,000"} {
		if got := thousands(in); got != want {
			t.Errorf("thousands(%d) = %q, want %q", in, got, want)
		}
	}
}
