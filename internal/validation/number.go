package validation

import (
	"regexp"
	"strconv"
	"strings"
)

// wholeNumberRe is a whole number as people type it: plain ASCII digits, or
// groups of three after the first separated by dots (Indonesian), commas or
// spaces, the same separator throughout.
var wholeNumberRe = regexp.MustCompile(`^(?:[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?: [0-9]{3})+)$`)

// WholeNumber reads a whole number, "1.500.000" or "1500000". A separator
// that does not group thousands ("1.5", "2,5": a decimal) is refused, where
// dropping it read ten times the number.
func WholeNumber(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if !wholeNumberRe.MatchString(s) {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.NewReplacer(".", "", ",", "", " ", "").Replace(s), 10, 64)
	return n, err == nil
}

// Amount reads a whole number of Rupiah typed with or without a leading
// "Rp" or "Rp." and a trailing ",-" or ",00" (see WholeNumber).
func Amount(s string) (int64, bool) {
	s = strings.TrimSpace(strings.ToLower(s))
	if rest, ok := strings.CutPrefix(s, "rp"); ok {
		s = strings.TrimPrefix(rest, ".")
	}
	return WholeNumber(strings.TrimSuffix(strings.TrimSuffix(s, ",-"), ",00"))
}
