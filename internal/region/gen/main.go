// Command gen turns the provinces and regencies of idn-area-data (the CSV
// files in third_party/idn-area-data) into the INSERT statements of migration
// 0002, so that the migration can be reproduced from its source and checked
// against it. It rewrites only the lines between the BEGIN GENERATED and END
// GENERATED markers of the migration.
//
//	go run ./internal/region/gen          rewrite the block
//	go run ./internal/region/gen -check   exit 1 when the block is stale
package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// The source edition, written into the generated block.
const source = "idn-area-data 4.0.1 (npm), ODbL 1.0: see third_party/idn-area-data/README.md"

// The counts of the edition in use. A different count means different data,
// which must be a deliberate change (a new migration), not a silent one.
const (
	wantProvinces = 38
	wantRegencies = 514
)

const (
	beginMarker = "-- BEGIN GENERATED"
	endMarker   = "-- END GENERATED"
)

var (
	provinceCode = regexp.MustCompile(`^[0-9]{2}$`)
	regencyCode  = regexp.MustCompile(`^[0-9]{2}\.[0-9]{2}$`)
)

type province struct{ code, name string }

type regency struct{ code, provinceCode, name, kind string }

func main() {
	check := flag.Bool("check", false, "do not write; exit 1 when the migration's generated block differs from the CSV files")
	dataDir := flag.String("data", "third_party/idn-area-data", "folder holding provinces.csv and regencies.csv, relative to the module root")
	migration := flag.String("migration", "migrations/0002_reference_data.sql", "migration to rewrite, relative to the module root")
	flag.Parse()

	root, err := moduleRoot()
	if err != nil {
		fail(err)
	}
	stale, err := run(filepath.Join(root, *dataDir), filepath.Join(root, *migration), !*check)
	if err != nil {
		fail(err)
	}
	switch {
	case stale && *check:
		fail(fmt.Errorf("%s is stale: its generated block differs from %s; run go run ./internal/region/gen", *migration, *dataDir))
	case stale:
		fmt.Printf("gen: rewrote the generated block of %s\n", *migration)
	default:
		fmt.Printf("gen: %s is up to date\n", *migration)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}

// run generates the block from the CSV files in dataDir and compares it with
// the one in the migration, rewriting the migration when write is set. It
// reports whether the migration's block was stale.
func run(dataDir, migrationPath string, write bool) (stale bool, err error) {
	provinces, err := readProvinces(filepath.Join(dataDir, "provinces.csv"))
	if err != nil {
		return false, err
	}
	regencies, err := readRegencies(filepath.Join(dataDir, "regencies.csv"), provinces)
	if err != nil {
		return false, err
	}
	old, err := os.ReadFile(migrationPath)
	if err != nil {
		return false, err
	}
	updated, err := replaceBlock(string(old), render(provinces, regencies))
	if err != nil {
		return false, fmt.Errorf("%s: %w", migrationPath, err)
	}
	if updated == string(old) {
		return false, nil
	}
	if write {
		if err := os.WriteFile(migrationPath, []byte(updated), 0o644); err != nil {
			return true, err
		}
	}
	return true, nil
}

// readCSV reads a CSV file whose first line must be exactly header.
func readCSV(path string, header []string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = len(header)
	first, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	if !slices.Equal(first, header) {
		return nil, fmt.Errorf("%s: header is %q, want %q", path, first, header)
	}
	var rows [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for _, f := range rec {
			// The data is copied as published; stray spaces are refused,
			// not silently trimmed.
			if f != strings.TrimSpace(f) {
				return nil, fmt.Errorf("%s: line %d: field %q has surrounding spaces", path, len(rows)+2, f)
			}
		}
		rows = append(rows, rec)
	}
}

func readProvinces(path string) ([]province, error) {
	rows, err := readCSV(path, []string{"code", "name"})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []province
	for i, rec := range rows {
		p := province{code: rec[0], name: rec[1]}
		switch {
		case !provinceCode.MatchString(p.code):
			return nil, fmt.Errorf("%s: row %d: bad province code %q", path, i+2, p.code)
		case seen[p.code]:
			return nil, fmt.Errorf("%s: row %d: duplicate province code %q", path, i+2, p.code)
		case p.name == "":
			return nil, fmt.Errorf("%s: row %d: empty name", path, i+2)
		}
		seen[p.code] = true
		out = append(out, p)
	}
	if len(out) != wantProvinces {
		return nil, fmt.Errorf("%s: %d provinces, want %d", path, len(out), wantProvinces)
	}
	slices.SortFunc(out, func(a, b province) int { return strings.Compare(a.code, b.code) })
	return out, nil
}

func readRegencies(path string, provinces []province) ([]regency, error) {
	rows, err := readCSV(path, []string{"code", "province_code", "name"})
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, p := range provinces {
		known[p.code] = true
	}
	seen := map[string]bool{}
	var out []regency
	for i, rec := range rows {
		r := regency{code: rec[0], provinceCode: rec[1], name: rec[2]}
		switch {
		case !regencyCode.MatchString(r.code):
			return nil, fmt.Errorf("%s: row %d: bad regency code %q", path, i+2, r.code)
		case seen[r.code]:
			return nil, fmt.Errorf("%s: row %d: duplicate regency code %q", path, i+2, r.code)
		case !known[r.provinceCode]:
			return nil, fmt.Errorf("%s: row %d: unknown province %q", path, i+2, r.provinceCode)
		case !strings.HasPrefix(r.code, r.provinceCode+"."):
			return nil, fmt.Errorf("%s: row %d: code %q is not inside province %q", path, i+2, r.code, r.provinceCode)
		}
		// The kind is the first word of the official name; "Kota
		// Administrasi" and "Kabupaten Administrasi" (Jakarta) follow suit.
		switch {
		case strings.HasPrefix(r.name, "Kabupaten "):
			r.kind = "kabupaten"
		case strings.HasPrefix(r.name, "Kota "):
			r.kind = "kota"
		default:
			return nil, fmt.Errorf("%s: row %d: name %q starts with neither Kabupaten nor Kota", path, i+2, r.name)
		}
		seen[r.code] = true
		out = append(out, r)
	}
	if len(out) != wantRegencies {
		return nil, fmt.Errorf("%s: %d regencies, want %d", path, len(out), wantRegencies)
	}
	slices.SortFunc(out, func(a, b regency) int { return strings.Compare(a.code, b.code) })
	return out, nil
}

// quote writes s as an SQL string literal (standard_conforming_strings on).
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// render writes the INSERT statements, one row a line, in code order.
func render(provinces []province, regencies []regency) string {
	var b strings.Builder
	fmt.Fprintf(&b, "-- Source: %s.\n", source)
	fmt.Fprintf(&b, "-- %d provinces, %d regencies and cities.\n", len(provinces), len(regencies))
	b.WriteString("INSERT INTO provinces (code, name) VALUES\n")
	for i, p := range provinces {
		fmt.Fprintf(&b, "    (%s, %s)%s\n", quote(p.code), quote(p.name), sep(i, len(provinces)))
	}
	b.WriteString("\nINSERT INTO regencies (code, province_code, name, kind) VALUES\n")
	for i, r := range regencies {
		fmt.Fprintf(&b, "    (%s, %s, %s, %s)%s\n", quote(r.code), quote(r.provinceCode), quote(r.name), quote(r.kind), sep(i, len(regencies)))
	}
	return b.String()
}

func sep(i, n int) string {
	if i == n-1 {
		return ";"
	}
	return ","
}

// replaceBlock puts block between the marker lines of migration, keeping the
// marker lines themselves.
func replaceBlock(migration, block string) (string, error) {
	lines := strings.SplitAfter(migration, "\n")
	begin, end := -1, -1
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, beginMarker):
			if begin >= 0 {
				return "", errors.New("two BEGIN GENERATED markers")
			}
			begin = i
		case strings.HasPrefix(l, endMarker):
			if end >= 0 {
				return "", errors.New("two END GENERATED markers")
			}
			end = i
		}
	}
	if begin < 0 || end < begin {
		return "", fmt.Errorf("no %q line followed by an %q line", beginMarker, endMarker)
	}
	var b strings.Builder
	for _, l := range lines[:begin+1] {
		b.WriteString(l)
	}
	b.WriteString(block)
	for _, l := range lines[end:] {
		b.WriteString(l)
	}
	return b.String(), nil
}

// moduleRoot walks up from the working directory to the folder holding go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}
