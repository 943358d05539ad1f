package account_test

import (
	"testing"

	"pasokan/internal/account"
)

// TestSlugNeverHidesBehindAFixedPath: /directory/data is the open data's
// dictionary, so an organisation named "Data" must not get the slug "data"
// (its directory page could never be reached).
func TestSlugNeverHidesBehindAFixedPath(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{
		"Data":                  "data-1",
		" DATA ":                "data-1",
		"Dáta":                  "data-1",
		"Data Sejahtera":        "data-sejahtera",
		"Koperasi Śejahtera":    "koperasi-sejahtera",
		"":                      "organisasi",
		"CV Maju Jaya (Cabang)": "cv-maju-jaya-cabang",
	} {
		if got := account.Slugify(name); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", name, got, want)
		}
	}
	for word := range account.ReservedSlugs {
		if got := account.Slugify(word); account.ReservedSlugs[got] {
			t.Errorf("Slugify(%q) = %q, a reserved word", word, got)
		}
	}
}
