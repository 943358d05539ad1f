package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestMigrationMatchesSource fails when the generated block of migration 0002
// no longer matches the CSV files it is made from.
func TestMigrationMatchesSource(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	stale, err := run(filepath.Join(root, "third_party", "idn-area-data"),
		filepath.Join(root, "migrations", "0002_reference_data.sql"), false)
	if err != nil {
		t.Fatal(err)
	}
	if stale {
		t.Fatal("migrations/0002_reference_data.sql differs from third_party/idn-area-data; run go run ./internal/region/gen")
	}
}

func TestQuote(t *testing.T) {
	if got, want := quote("Ra'as"), "'Ra''as'"; got != want {
		t.Errorf("quote = %s, want %s", got, want)
	}
}

func TestReplaceBlock(t *testing.T) {
	in := "a\n-- BEGIN GENERATED x\nold\nold\n-- END GENERATED\nb\n"
	got, err := replaceBlock(in, "new\n")
	if err != nil {
		t.Fatal(err)
	}
	if want := "a\n-- BEGIN GENERATED x\nnew\n-- END GENERATED\nb\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	for _, bad := range []string{"no markers\n", "-- END GENERATED\n-- BEGIN GENERATED\n",
		"-- BEGIN GENERATED\n-- BEGIN GENERATED\n-- END GENERATED\n"} {
		if _, err := replaceBlock(bad, "x\n"); err == nil {
			t.Errorf("replaceBlock(%q) succeeded", strings.TrimSpace(bad))
		}
	}
}
