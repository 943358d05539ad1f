package database_test

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
)

// Rows are read by column name (DESIGN.md, Architecture): a reordered SELECT
// list or struct must fail loudly or read right, never put one column's
// value in another's field. These tests hold the code to it.

// positionalAllowed are the places that may still read by position, each
// with its reason. A path ending in "/" names a folder; fn names the
// enclosing function ("" for any). An entry that no longer matches anything
// fails the test: remove it.
var positionalAllowed = []struct{ path, fn, why string }{
	{"internal/notify/", "", "notifications and the outbox are being rewritten on another branch; convert them when it lands"},
	{"internal/database/byname.go", "CollectRows", "the by-name reader itself: each column's field is found by name, once a result, " +
		"and the row is scanned into those fields (TestCollectRowsReadsAsPgxDoes)"},
	{"internal/supplier/document.go", "insertDocument", "pgtype.Map.Scan decodes one value by its type OID (four arguments, one value); " +
		"the column is found by name in pgconn's result just before"},
}

// positionalRead says why a node reads by position, or "".
func positionalRead(n ast.Node) string {
	switch n := n.(type) {
	case *ast.Ident:
		switch n.Name {
		case "RowToStructByPos", "RowToAddrOfStructByPos":
			return n.Name + " reads a row by position: use pgx.RowToStructByName (with aliases or db tags)"
		case "RowToStructByNameLax", "RowToAddrOfStructByNameLax":
			return n.Name + " leaves a field with no column at its zero value: use pgx.RowToStructByName"
		}
	case *ast.CallExpr:
		sel, ok := n.Fun.(*ast.SelectorExpr)
		if !ok {
			return ""
		}
		switch sel.Sel.Name {
		case "Scan":
			if len(n.Args) > 2 || n.Ellipsis.IsValid() {
				return fmt.Sprintf("Scan of %d targets by position: read the row into a struct with pgx.RowToStructByName", len(n.Args))
			}
		case "ForEachRow":
			if len(n.Args) < 2 {
				return ""
			}
			if lit, ok := n.Args[1].(*ast.CompositeLit); !ok || len(lit.Elts) > 2 {
				return "ForEachRow scans its targets by position: collect the rows with pgx.RowToStructByName"
			}
		}
	}
	return ""
}

// TestRowsAreReadByName fails on a read by position anywhere in the
// project's Go code, tests included, outside positionalAllowed.
func TestRowsAreReadByName(t *testing.T) {
	t.Parallel()
	root := moduleRoot(t)
	used := make([]int, len(positionalAllowed))
	var found []string
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "vendor" || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files++
		for _, decl := range f.Decls {
			fn := ""
			if fd, ok := decl.(*ast.FuncDecl); ok {
				fn = fd.Name.Name
			}
			ast.Inspect(decl, func(n ast.Node) bool {
				why := positionalRead(n)
				if why == "" {
					return true
				}
				for i, a := range positionalAllowed {
					if (a.path == rel || strings.HasSuffix(a.path, "/") && strings.HasPrefix(rel, a.path)) && (a.fn == "" || a.fn == fn) {
						used[i]++
						return true
					}
				}
				found = append(found, fmt.Sprintf("%s: %s", fset.Position(n.Pos()), why))
				return true
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("read only %d Go files under %s: the walk missed the project", files, root)
	}
	for _, f := range found {
		t.Error(strings.TrimPrefix(f, root+string(filepath.Separator)))
	}
	for i, a := range positionalAllowed {
		if used[i] == 0 {
			t.Errorf("positionalAllowed entry %s %s matches nothing: remove it", a.path, a.fn)
		}
	}
}

// moduleRoot walks up from the working directory to the folder holding
// go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// TestReadByNameFailsLoudly shows what reading by name buys: a field the
// row lacks and a column the struct lacks are errors, not zero values or
// shifted ones; a reordered SELECT list, two columns of one type swapped
// included, still lands in the right fields; an embedded struct's fields
// are matched as the outer struct's own (as CaseProduct embeds
// supplier.Product).
func TestReadByNameFailsLoudly(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()

	type versions struct {
		Version     int
		Submissions int
	}
	type missing struct {
		Version     int
		Submissions int
		Decided     bool
	}
	type product struct {
		ID   int64
		Type string `db:"product_type"`
	}
	type caseProduct struct {
		product
		Curation string
	}

	// The order of the SELECT list does not matter.
	for _, q := range []string{`SELECT 2 AS version, 5 AS submissions`, `SELECT 5 AS submissions, 2 AS version`} {
		got, err := database.ReadOne[versions](ctx, db.App, database.System(), q)
		if err != nil || got != (versions{Version: 2, Submissions: 5}) {
			t.Errorf("%s: %+v, %v; want version 2, submissions 5", q, got, err)
		}
	}

	// A field with no column, and a column with no field, fail.
	_, err := database.ReadOne[missing](ctx, db.App, database.System(), `SELECT 2 AS version, 5 AS submissions`)
	if err == nil || !strings.Contains(err.Error(), "Decided") {
		t.Errorf("a field with no column: %v, want an error naming Decided", err)
	}
	_, err = database.ReadOne[versions](ctx, db.App, database.System(), `SELECT 2 AS version, 5 AS submissions, true AS decided`)
	if err == nil || !strings.Contains(err.Error(), "decided") {
		t.Errorf("a column with no field: %v, want an error naming decided", err)
	}
	// An unnamed expression is named by Postgres ("?column?", "coalesce"):
	// it must be given an alias.
	_, err = database.ReadOne[versions](ctx, db.App, database.System(), `SELECT 2 AS version, coalesce(5, 0)`)
	if err == nil || !strings.Contains(err.Error(), "coalesce") {
		t.Errorf("an expression without an alias: %v, want an error naming coalesce", err)
	}

	// The same in a transaction, through pgx's collectors, with an
	// embedded struct.
	err = db.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT 'curated' AS curation, 'masker-kain' AS product_type, 7::bigint AS id`)
		got, err := pgx.CollectRows(rows, pgx.RowToStructByName[caseProduct])
		if err != nil {
			return err
		}
		if want := (caseProduct{product{7, "masker-kain"}, "curated"}); len(got) != 1 || got[0] != want {
			t.Errorf("embedded: %+v, want %+v", got, want)
		}
		rows, _ = tx.Query(ctx, `SELECT 7::bigint AS id, 'masker-kain' AS type, 'curated' AS curation`)
		if _, err := pgx.CollectRows(rows, pgx.RowToStructByName[caseProduct]); err == nil {
			t.Error("a column named as the field, not as its db tag, was read")
		}
		return nil
	})
	dbtest.Must(t, err)

	// No row is ErrNotFound, as with QueryRow.
	if _, err := database.ReadOne[versions](ctx, db.App, database.System(), `SELECT 2 AS version, 5 AS submissions WHERE false`); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("no row: %v, want ErrNotFound", err)
	}
}

// TestCollectRowsReadsAsPgxDoes holds database.CollectRows, which finds
// the columns' fields once a result, to what pgx.RowToStructByName reads
// and refuses once a row: the same values, the same errors.
func TestCollectRowsReadsAsPgxDoes(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()

	type product struct {
		ID   int64
		Type string `db:"product_type"`
	}
	type row struct {
		product
		SubmittedAt *time.Time
		Curation    string `db:"curation,omitempty"`
		Note        string `db:"-"`
		hidden      int
	}
	type missing struct {
		ID    int64
		Extra bool
	}
	cases := []struct {
		name, q string
		fails   string
	}{
		{"three rows, any column order", `SELECT c AS curation, g::bigint AS id, 'masker-kain' AS product_type,
       CASE WHEN g = 2 THEN NULL ELSE timestamptz '2020-04-01 09:00+07' + g * interval '1 day' END AS submitted_at
  FROM unnest(ARRAY['curated', 'submitted', 'draft']) WITH ORDINALITY AS x (c, g)`, ""},
		{"no row", `SELECT 1::bigint AS id, '' AS product_type, NULL::timestamptz AS submitted_at, '' AS curation WHERE false`, ""},
		{"a field with no column", `SELECT 1::bigint AS id, 'x' AS product_type, '' AS curation`, "SubmittedAt"},
		{"a column with no field", `SELECT 1::bigint AS id, 'x' AS product_type, NULL::timestamptz AS submitted_at, '' AS curation, 5 AS note`, "note"},
		{"a column named as the field, not its tag", `SELECT 1::bigint AS id, 'x' AS type, NULL::timestamptz AS submitted_at, '' AS curation`, "type"},
		{"an expression without an alias", `SELECT 1::bigint AS id, 'x' AS product_type, NULL::timestamptz AS submitted_at, coalesce('', '')`, "coalesce"},
		{"a value of the wrong type", `SELECT 'one' AS id, 'x' AS product_type, NULL::timestamptz AS submitted_at, '' AS curation`, "id"},
		{"a query that fails", `SELECT 1::bigint AS id, 'x' AS product_type, NULL::timestamptz AS submitted_at, (1 / 0)::text AS curation`, "division by zero"},
	}
	// Each read in its own transaction: a failed query ends one.
	read := func(q string, collect func(pgx.Rows) error) error {
		return db.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
			rows, _ := tx.Query(ctx, q)
			return collect(rows)
		})
	}
	for _, c := range cases {
		var want, got []row
		wantErr := read(c.q, func(rows pgx.Rows) (err error) {
			want, err = pgx.CollectRows(rows, pgx.RowToStructByName[row])
			return err
		})
		err := read(c.q, func(rows pgx.Rows) (err error) {
			got, err = database.CollectRows[row](rows)
			return err
		})
		switch {
		case c.fails == "" && (err != nil || wantErr != nil):
			t.Errorf("%s: %v (pgx: %v)", c.name, err, wantErr)
		case c.fails == "" && (len(got) != len(want) || got == nil):
			t.Errorf("%s: %d rows (pgx: %d)", c.name, len(got), len(want))
		case c.fails != "" && (err == nil || wantErr == nil || !strings.Contains(err.Error(), c.fails)):
			t.Errorf("%s: %v, want an error naming %s (pgx: %v)", c.name, err, c.fails, wantErr)
		}
		for i := range min(len(got), len(want)) {
			g, w := got[i], want[i]
			if g.product != w.product || g.Curation != w.Curation || g.hidden != w.hidden || (g.SubmittedAt == nil) != (w.SubmittedAt == nil) ||
				g.SubmittedAt != nil && !g.SubmittedAt.Equal(*w.SubmittedAt) {
				t.Errorf("%s: row %d is %+v, pgx reads %+v", c.name, i, g, w)
			}
		}
		if c.name == "three rows, any column order" && (len(got) != 3 || got[1].ID != 2 || got[1].SubmittedAt != nil ||
			got[2].Curation != "draft" || got[0].Type != "masker-kain") {
			t.Errorf("%s: %+v", c.name, got)
		}
	}
	// A struct of fewer fields than the row's, read after the one above
	// with the same columns: the cache is keyed by type too.
	if err := read(cases[0].q, func(rows pgx.Rows) error {
		_, err := database.CollectRows[missing](rows)
		return err
	}); err == nil {
		t.Error("a struct missing the row's columns read them")
	}
}

// BenchmarkCollectRows reads a page of 50 rows of 12 columns by name,
// through pgx's collector and through database.CollectRows.
func BenchmarkCollectRows(b *testing.B) {
	db := dbtest.New(b)
	ctx := context.Background()
	type line struct {
		ID, OrderID, SupplierID, BuyerID int64
		Status, ProductType, Name        string
		Quantity, Shipped, Version       int
		CreatedAt, UpdatedAt             time.Time
	}
	const q = `SELECT g::bigint AS id, g::bigint * 7 AS order_id, g::bigint * 11 AS supplier_id, 3::bigint AS buyer_id,
       'in_production' AS status, 'masker-kain' AS product_type, 'Konveksi Maju Jaya ' || g AS name,
       g * 1000 AS quantity, g * 10 AS shipped, 1 AS version, now() AS created_at, now() AS updated_at
  FROM generate_series(1, 50) g`
	for _, c := range []struct {
		name    string
		collect func(pgx.Rows) ([]line, error)
	}{
		{"pgx", func(rows pgx.Rows) ([]line, error) { return pgx.CollectRows(rows, pgx.RowToStructByName[line]) }},
		{"database", database.CollectRows[line]},
	} {
		b.Run(c.name, func(b *testing.B) {
			err := db.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
				b.ReportAllocs()
				for b.Loop() {
					rows, _ := tx.Query(ctx, q)
					got, err := c.collect(rows)
					if err != nil || len(got) != 50 {
						return fmt.Errorf("%d rows, %w", len(got), err)
					}
				}
				return nil
			})
			dbtest.Must(b, err)
		})
	}
}
