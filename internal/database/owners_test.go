package database_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// owners says which package writes each table (docs/DESIGN.md, "Who writes
// what"). Another package changes an owner's table only through the
// owner's exported functions, in its own transaction.
var owners = map[string]string{
	"organizations": "account", "users": "account", "memberships": "account", "invitations": "account",
	"sessions": "account", "login_throttle": "account", "known_logins": "account", "password_resets": "account", "email_confirmations": "account",
	"audit_events":      "audit",
	"supplier_profiles": "supplier", "applications": "supplier", "application_products": "supplier",
	"documents": "supplier", "application_events": "supplier", "application_snapshots": "supplier",
	"application_flags": "supplier", "signals": "supplier", "product_proposals": "supplier",
	"identity_proposals": "supplier", "assignment_rules": "curation", "reviews": "curation", "samples": "curation",
	"curator_conflicts": "curation", "certificates": "curation",
	"listings": "listing", "listing_products": "listing",
	"email_outbox": "notify", "notifications": "notify",
}

// ownersAllowed are writes outside the owner, each with its reason.
var ownersAllowed = []struct{ dir, table, why string }{
	{"internal/demo", "", "the seed fills an empty database in bulk, in one transaction, with what the owners would have written"},
}

// write finds a statement that changes a table.
var write = regexp.MustCompile(`(?i)\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_]+)\b`)

// TestEachTableHasOneWriter reads the SQL in every Go file (tests aside)
// and fails where a package writes a table another package owns.
func TestEachTableHasOneWriter(t *testing.T) {
	root := moduleRoot(t)
	used := map[int]bool{}
	fset := token.NewFileSet()
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
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || strings.HasSuffix(name, "_templ.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		dir := filepath.ToSlash(filepath.Dir(rel))
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			sql, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			for _, m := range write.FindAllStringSubmatch(sql, -1) {
				table := strings.ToLower(m[1])
				owner, known := owners[table]
				if !known || dir == "internal/"+owner {
					continue
				}
				allowed := false
				for i, a := range ownersAllowed {
					if dir == a.dir && (a.table == "" || a.table == table) {
						allowed, used[i] = true, true
					}
				}
				if !allowed {
					t.Errorf("%s: writes %s, which package %s owns: call one of its exported functions (DESIGN.md, Who writes what)",
						fset.Position(lit.Pos()), table, owner)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range ownersAllowed {
		if !used[i] {
			t.Errorf("allowed write %s %s matches nothing: remove it", a.dir, a.table)
		}
	}
}
