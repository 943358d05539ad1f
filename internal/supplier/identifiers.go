package supplier

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// digits returns the ASCII digits of s, dropping spaces, dots, dashes and
// other separators people type.
func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if isDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isDigit reports whether r is an ASCII digit. Other digits (Arabic-Indic
// ٣, full-width ３) are refused rather than dropped: dropping them made
// "９１２０..." a different, shorter number.
func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// onlySeparators reports whether s holds nothing but ASCII digits and the
// usual separators (space . - /), so "12AB" is refused rather than read as
// "12".
func onlySeparators(s string) bool {
	for _, r := range s {
		if !isDigit(r) && !strings.ContainsRune(" .-/", r) {
			return false
		}
	}
	return true
}

// allZero reports whether d is nothing but zeros.
func allZero(d string) bool { return strings.Trim(d, "0") == "" }

// NormalizeNIB returns the 13 digits of a Nomor Induk Berusaha, or ok=false.
// Thirteen zeros are a placeholder, not a number.
func NormalizeNIB(s string) (string, bool) {
	d := digits(s)
	return d, onlySeparators(s) && len(d) == 13 && !allZero(d)
}

// luhn reports whether the digits d pass the Luhn check.
func luhn(d string) bool {
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		n := int(d[i] - '0')
		if double {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
		double = !double
	}
	return sum%10 == 0
}

// NormalizeNPWP returns the digits of a taxpayer number, or ok=false. A
// 15-digit NPWP carries a check digit in 9th place: the first nine digits
// pass the Luhn check. Under PMK 112/2022 the number has 16 digits: a 0 and
// the 15-digit NPWP for organisations (checked the same way), or the owner's
// NIK for individuals (checked for a plausible region and birth date). The
// all-zero placeholder (00.000.000.0-000.000, written where there is no NPWP)
// passes the check digit and is refused here.
func NormalizeNPWP(s string) (string, bool) {
	d := digits(s)
	if !onlySeparators(s) || placeholderNPWP(d) {
		return d, false
	}
	switch len(d) {
	case 15:
		return d, luhn(d[:9])
	case 16:
		if d[0] == '0' {
			return d, luhn(d[1:10])
		}
		return d, plausibleNIK(d)
	}
	return d, false
}

// placeholderNPWP reports whether d is the "no NPWP" placeholder: a
// taxpayer identity of zeros, whatever the branch digits.
func placeholderNPWP(d string) bool {
	switch len(d) {
	case 15:
		return allZero(d[:9])
	case 16:
		return allZero(d[:10])
	}
	return false
}

// plausibleNIK checks the structure of a 16-digit NIK: a province code
// (11-99), then a birth day (1-31, or 41-71 for women) and month.
func plausibleNIK(d string) bool {
	prov, _ := strconv.Atoi(d[0:2])
	day, _ := strconv.Atoi(d[6:8])
	month, _ := strconv.Atoi(d[8:10])
	if day > 40 {
		day -= 40
	}
	return prov >= 11 && day >= 1 && day <= 31 && month >= 1 && month <= 12
}

// FormatNPWP shows a taxpayer number the way it is printed: 15 digits as
// 99.999.999.9-999.999, 16 digits in groups of four.
func FormatNPWP(d string) string {
	switch len(d) {
	case 15:
		return d[0:2] + "." + d[2:5] + "." + d[5:8] + "." + d[8:9] + "-" + d[9:12] + "." + d[12:15]
	case 16:
		return d[0:4] + " " + d[4:8] + " " + d[8:12] + " " + d[12:16]
	}
	return d
}

// NormalizePhone returns an Indonesian phone number as +62 and the national
// number without its leading 0 (8 to 12 digits), or ok=false. It takes
// 0812-3456-7890, +62 812 3456 7890, 62812... and 812....
func NormalizePhone(s string) (string, bool) {
	t := strings.TrimSpace(s)
	for _, r := range t {
		if !isDigit(r) && !strings.ContainsRune(" .-()+", r) {
			return t, false
		}
	}
	d := digits(t)
	switch {
	case strings.HasPrefix(t, "+") && !strings.HasPrefix(t, "+62"):
		return t, false
	case strings.HasPrefix(d, "62"):
		d = d[2:]
	case strings.HasPrefix(d, "0"):
		d = d[1:]
	}
	if len(d) < 8 || len(d) > 12 || d[0] == '0' {
		return t, false
	}
	return "+62" + d, true
}

// WhatsAppLink is the wa.me link of a normalised phone number.
func WhatsAppLink(phone string) string {
	return "https://wa.me/" + strings.TrimPrefix(phone, "+")
}

// FormatPhone shows +62 812-3456-7890.
func FormatPhone(phone string) string {
	d := strings.TrimPrefix(phone, "+62")
	if len(d) < 7 {
		return phone
	}
	return "+62 " + d[:3] + "-" + d[3:7] + "-" + d[7:]
}

var kbliCode = regexp.MustCompile(`^[0-9]{5}$`)

// ParseKBLI reads KBLI codes (5 digits each) separated by commas, spaces or
// new lines, dropping duplicates. It returns ok=false when any code is not
// five digits; an empty list is allowed here (completeness is checked at
// submission).
func ParseKBLI(s string) ([]string, bool) {
	var out []string
	seen := map[string]bool{}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) }) {
		if !kbliCode.MatchString(f) {
			return out, false
		}
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out, len(out) <= 20
}

// permitNumber is a Kemenkes distribution permit: AKD/AKL (medical devices,
// domestic/imported) or PKD/PKL (household health supplies), then 11 digits.
var permitNumber = regexp.MustCompile(`^KEMENKES RI (AKD|AKL|PKD|PKL) ([0-9]{11})$`)

// NormalizePermit returns a distribution permit number in its printed form,
// "KEMENKES RI AKD 21603020123", and its kind (AKD, AKL, PKD, PKL), or
// ok=false.
func NormalizePermit(s string) (number, kind string, ok bool) {
	up := strings.Join(strings.Fields(strings.ToUpper(s)), " ")
	// Accept the digits written apart from the kind or not: "AKD21603020123".
	for _, k := range []string{"AKD", "AKL", "PKD", "PKL"} {
		up = strings.Replace(up, "RI "+k, "RI "+k+" ", 1)
	}
	up = strings.Join(strings.Fields(up), " ")
	m := permitNumber.FindStringSubmatch(up)
	if m == nil {
		return strings.TrimSpace(s), "", false
	}
	return m[0], m[1], true
}

// FormatRupiah shows an amount in Rupiah: Rp 1.500.000.
func FormatRupiah(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteByte(s[i])
	}
	return "Rp " + b.String()
}
