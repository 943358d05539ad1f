package supplier

import (
	"maps"
	"testing"
)

// TestIdentityInputParse: a proposed identity is checked with the
// profile's rules, and all three parts are needed.
func TestIdentityInputParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   IdentityInput
		want Identity
		errs map[string]string
	}{
		{"all right", IdentityInput{" PT Baru Makmur ", "9120-0098-76543", "01.234.567.4-015.000"},
			Identity{"PT Baru Makmur", "9120009876543", "012345674015000"}, map[string]string{}},
		{"all empty", IdentityInput{},
			Identity{}, map[string]string{"legal_name": "error.legal_name_required", "nib": "error.nib_invalid", "npwp": "error.npwp_required"}},
		{"short NIB", IdentityInput{"PT Baru", "12345", "01.234.567.4-015.000"},
			Identity{"PT Baru", "12345", "012345674015000"}, map[string]string{"nib": "error.nib_invalid"}},
		{"placeholder NPWP", IdentityInput{"PT Baru", "9120009876543", "00.000.000.0-000.000"},
			Identity{"PT Baru", "9120009876543", "000000000000000"}, map[string]string{"npwp": "error.npwp_placeholder"}},
		{"wrong check digit", IdentityInput{"PT Baru", "9120009876543", "01.234.567.3-015.000"},
			Identity{"PT Baru", "9120009876543", "012345673015000"}, map[string]string{"npwp": "error.npwp_check"}},
		{"NPWP a digit short", IdentityInput{"PT Baru", "9120009876543", "01.234.567.4-015.00"},
			Identity{"PT Baru", "9120009876543", "01234567401500"}, map[string]string{"npwp": "error.npwp_length"}},
		{"NPWP with a letter", IdentityInput{"PT Baru", "9120009876543", "01.234.567.4-015.00O"},
			Identity{"PT Baru", "9120009876543", "01234567401500"}, map[string]string{"npwp": "error.npwp_characters"}},
		{"16 digits that are no NIK", IdentityInput{"PT Baru", "9120009876543", "9912345678901234"},
			Identity{"PT Baru", "9120009876543", "9912345678901234"}, map[string]string{"npwp": "error.npwp_nik"}},
		{"a line break in the name", IdentityInput{"PT Baru\nBcc: x", "9120009876543", "01.234.567.4-015.000"},
			Identity{"PT Baru\nBcc: x", "9120009876543", "012345674015000"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := tt.in.Parse()
			if tt.errs == nil {
				if errs["legal_name"] == "" || len(errs) != 1 {
					t.Errorf("errors %v, want one on legal_name", errs)
				}
				return
			}
			if got != tt.want || !maps.Equal(map[string]string(errs), tt.errs) {
				t.Errorf("Parse(%+v) = %+v, %v; want %+v, %v", tt.in, got, errs, tt.want, tt.errs)
			}
		})
	}
}
