package supplier

import (
	"slices"
	"testing"
)

func TestNPWP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		// 01.234.567.4-...: 01234567 with check digit 4 passes Luhn.
		{"01.234.567.4-015.000", "012345674015000", true},
		{"012345674015000", "012345674015000", true},
		{"01.234.567.3-015.000", "012345673015000", false}, // wrong check digit
		{"01.234.567.4-015.00", "01234567401500", false},   // 14 digits
		{"0012345674015000", "0012345674015000", true},     // PMK 112/2022: 0 + NPWP
		{"0012345673015000", "0012345673015000", false},
		{"3273014506900001", "3273014506900001", true},  // NIK of a woman born 5 June 1990 in Bandung
		{"3273019913900001", "3273019913900001", false}, // day 99
		{"12AB34567", "1234567", false},
	}
	for _, tt := range tests {
		got, ok := NormalizeNPWP(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeNPWP(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	if got := FormatNPWP("012345674015000"); got != "01.234.567.4-015.000" {
		t.Errorf("FormatNPWP = %q", got)
	}
}

func TestNIB(t *testing.T) {
	t.Parallel()
	if d, ok := NormalizeNIB("9120 0012 3456 7"); !ok || d != "9120001234567" {
		t.Errorf("13 digits: %q %v", d, ok)
	}
	for _, bad := range []string{"912000123456", "91200012345678", "91200O1234567", ""} {
		if _, ok := NormalizeNIB(bad); ok {
			t.Errorf("NormalizeNIB(%q) accepted", bad)
		}
	}
}

func TestPhone(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"0812-3456-7890", "+62 812 3456 7890", "62 812 3456 7890", "812 3456 7890", "(0812) 3456.7890"} {
		got, ok := NormalizePhone(in)
		if !ok || got != "+6281234567890" {
			t.Errorf("NormalizePhone(%q) = %q, %v", in, got, ok)
		}
	}
	for _, bad := range []string{"12345", "+1 415 555 0100", "0812-ABCD-7890", "00812345678", "081234567890123"} {
		if got, ok := NormalizePhone(bad); ok {
			t.Errorf("NormalizePhone(%q) accepted as %q", bad, got)
		}
	}
	if got := WhatsAppLink("+6281234567890"); got != "https://wa.me/6281234567890" {
		t.Errorf("WhatsAppLink = %q", got)
	}
	if got := FormatPhone("+6281234567890"); got != "+62 812-3456-7890" {
		t.Errorf("FormatPhone = %q", got)
	}
}

func TestPermit(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want, kind string }{
		{"KEMENKES RI AKD 21603020123", "KEMENKES RI AKD 21603020123", "AKD"},
		{"kemenkes ri pkd  11501020456", "KEMENKES RI PKD 11501020456", "PKD"},
		{"KEMENKES RI AKL21603020123", "KEMENKES RI AKL 21603020123", "AKL"},
	}
	for _, tt := range tests {
		got, kind, ok := NormalizePermit(tt.in)
		if !ok || got != tt.want || kind != tt.kind {
			t.Errorf("NormalizePermit(%q) = %q %q %v", tt.in, got, kind, ok)
		}
	}
	for _, bad := range []string{"KEMENKES RI AKD 2160302012", "KEMENKES RI XYZ 21603020123", "AKD 21603020123", "SNI 8914:2020"} {
		if _, _, ok := NormalizePermit(bad); ok {
			t.Errorf("NormalizePermit(%q) accepted", bad)
		}
	}
}

func TestKBLIAndRupiah(t *testing.T) {
	t.Parallel()
	got, ok := ParseKBLI("14111, 13921\n14111")
	if !ok || !slices.Equal(got, []string{"14111", "13921"}) {
		t.Errorf("ParseKBLI = %v %v", got, ok)
	}
	if _, ok := ParseKBLI("1411"); ok {
		t.Error("4-digit KBLI accepted")
	}
	if got := FormatRupiah(1500000); got != "Rp 1.500.000" {
		t.Errorf("FormatRupiah = %q", got)
	}
	if got := FormatRupiah(750); got != "Rp 750" {
		t.Errorf("FormatRupiah = %q", got)
	}
}

// TestIdentifiersTakeASCIIDigitsOnly: digits of other scripts were silently
// dropped, so "٩١٢٠..." or a full-width number became a different, shorter
// one, or slipped into a number that passed.
func TestIdentifiersTakeASCIIDigitsOnly(t *testing.T) {
	t.Parallel()
	nibs := []string{
		"٩١٢٠٠٠١٢٣٤٥٦٧",  // Arabic-Indic
		"۹۱۲۰۰۰۱۲۳۴۵۶۷",  // extended Arabic-Indic (Persian)
		"９１２０００１２３４５６７",  // full-width
		"9120001234567٣", // 13 ASCII digits and one more that was dropped
		"91200012345६७",  // Devanagari at the end
		"9120001234567\x00",
		"9120001234567\xff",
		"9120\n001234567",
	}
	for _, in := range nibs {
		if d, ok := NormalizeNIB(in); ok {
			t.Errorf("NormalizeNIB(%q) accepted as %q", in, d)
		}
	}
	npwps := []string{
		"０1.234.567.4-015.000",  // one full-width zero
		"01.234.567.4-015.000٠", // 15 ASCII digits and an Arabic-Indic zero
		"01.234.567.4-015.000\x00",
	}
	for _, in := range npwps {
		if d, ok := NormalizeNPWP(in); ok {
			t.Errorf("NormalizeNPWP(%q) accepted as %q", in, d)
		}
	}
	phones := []string{"٠٨١٢٣٤٥٦٧٨٩٠", "０８１２-３４５６-７８９０", "0812-3456-7890٣", "0812\x003456789", "0812\r\n34567890"}
	for _, in := range phones {
		if got, ok := NormalizePhone(in); ok {
			t.Errorf("NormalizePhone(%q) accepted as %q", in, got)
		}
	}
	// The ordinary ones still pass.
	if d, ok := NormalizeNIB("9120-0012-3456-7"); !ok || d != "9120001234567" {
		t.Errorf("NIB with dashes: %q %v", d, ok)
	}
	if got, ok := NormalizePhone("(0812) 3456-7890"); !ok || got != "+6281234567890" {
		t.Errorf("phone: %q %v", got, ok)
	}
}

// TestNPWPPlaceholderRefused: 00.000.000.0-000.000 is written where a
// business has no NPWP; it passes the check digit, so it is refused by name.
func TestNPWPPlaceholderRefused(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"00.000.000.0-000.000",
		"000000000000000",
		"00.000.000.0-000.001", // a branch code on the placeholder
		"0000 0000 0000 0000",  // the 16-digit form of the placeholder
		"0000000000000001",
		"0000000000000", // and a NIB of zeros is no NIB either
	} {
		if d, ok := NormalizeNPWP(in); ok {
			t.Errorf("NormalizeNPWP(%q) accepted as %q", in, d)
		}
	}
	if d, ok := NormalizeNIB("0000000000000"); ok {
		t.Errorf("NormalizeNIB of zeros accepted as %q", d)
	}
	// Valid numbers that start with zeros still pass.
	for _, in := range []string{"01.234.567.4-015.000", "0012345674015000", "3273014506900001"} {
		if _, ok := NormalizeNPWP(in); !ok {
			t.Errorf("NormalizeNPWP(%q) refused", in)
		}
	}
	if !placeholderNPWP("000000000000000") || placeholderNPWP("012345674015000") {
		t.Error("placeholderNPWP")
	}
}

func TestWholeNumbersAndAmounts(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int64{"1500000": 1500000, "1.500.000": 1500000, "1,500,000": 1500000, "1 500 000": 1500000,
		" 25 ": 25, "999": 999, "12.345": 12345} {
		if n, ok := parseWhole(in); !ok || n != want {
			t.Errorf("parseWhole(%q) = %d, %v; want %d", in, n, ok, want)
		}
	}
	for in, want := range map[string]int64{"Rp 4.000": 4000, "Rp. 4.000": 4000, "rp4000": 4000, "Rp 4.000,-": 4000, "4.000,00": 4000} {
		if n, ok := parseAmount(in); !ok || n != want {
			t.Errorf("parseAmount(%q) = %d, %v; want %d", in, n, ok, want)
		}
	}
	// A decimal separator, a group not of three, mixed separators, signs,
	// other digits and numbers past int64 are refused, not read as
	// something else ("1.5" was 15, "2,5" was 25, "4.000,50" was 400050).
	for _, in := range []string{"1.5", "2,5", "1.50", "1.5000", "1.500,000", "4.000,50", "-5", "+5", "1e3", "NaN", "", ".", "1.", ".500",
		"١٢٣", "１２３", "9223372036854775808", "1_000", "0x10"} {
		if n, ok := parseWhole(in); ok {
			t.Errorf("parseWhole(%q) accepted as %d", in, n)
		}
		if n, ok := parseAmount(in); ok {
			t.Errorf("parseAmount(%q) accepted as %d", in, n)
		}
	}
}
