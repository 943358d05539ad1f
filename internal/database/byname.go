package database

import (
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// CollectRows reads every row of rows into a T by column name, as
// pgx.CollectRows with pgx.RowToStructByName does (the same matching: a
// `db` tag, else the field's name without underscores, case aside; an
// embedded struct's fields as the outer's own; `db:"-"` skipped), and
// fails the same way on a field with no column or a column with no field.
//
// pgx finds the columns' fields once a row: it joins the columns' names
// into a key and looks the key up in a sync.Map, then reflects each field
// (issue 8: about 8 % of the Go CPU of a page of 50 rows). This finds them
// once for the result, from a cache keyed the same way, and scans each row
// straight into the slice's next element.
func CollectRows[T any](rows pgx.Rows) ([]T, error) {
	defer rows.Close()
	out := []T{}
	var fields [][]int
	var targets []any
	var zero T
	for rows.Next() {
		if fields == nil {
			// On the first row, as pgx: a query that failed reports its own
			// error (rows.Err below), not the struct's.
			var err error
			if fields, err = fieldsOf(reflect.TypeFor[T](), rows.FieldDescriptions()); err != nil {
				return nil, err
			}
			targets = make([]any, len(fields))
		}
		out = append(out, zero)
		v := reflect.ValueOf(&out[len(out)-1]).Elem()
		for i, path := range fields {
			targets[i] = v.FieldByIndex(path).Addr().Interface()
		}
		if err := rows.Scan(targets...); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

type fieldsKey struct {
	t       reflect.Type
	columns string
}

// fieldsCache holds, for a struct type and a result's columns (joined by
// NUL), each column's field as its index path, or the error.
var fieldsCache sync.Map

type cachedFields struct {
	paths [][]int
	err   error
}

// fieldsOf is the field of t for each column of a result.
func fieldsOf(t reflect.Type, cols []pgconn.FieldDescription) ([][]int, error) {
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("database: %s is not a struct", t)
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	key := fieldsKey{t: t, columns: strings.Join(names, "\x00")}
	if c, ok := fieldsCache.Load(key); ok {
		f := c.(*cachedFields)
		return f.paths, f.err
	}
	paths := make([][]int, len(cols))
	missing := matchFields(t, names, nil, paths)
	f := &cachedFields{paths: paths}
	for i, p := range paths {
		if p == nil {
			f.err = fmt.Errorf("struct doesn't have corresponding row field %s", names[i])
			break
		}
	}
	if f.err == nil && missing != "" {
		f.err = fmt.Errorf("cannot find field %s in returned row", missing)
	}
	c, _ := fieldsCache.LoadOrStore(key, f)
	f = c.(*cachedFields)
	return f.paths, f.err
}

// matchFields sets paths[i] to the path of the field of t (below prefix)
// that column names[i] fills, and returns the first field that no column
// fills.
func matchFields(t reflect.Type, names []string, prefix []int, paths [][]int) (missing string) {
	for i := range t.NumField() {
		sf := t.Field(i)
		if sf.PkgPath != "" && !sf.Anonymous {
			continue
		}
		path := append(append([]int(nil), prefix...), i)
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			if m := matchFields(sf.Type, names, path, paths); missing == "" {
				missing = m
			}
			continue
		}
		tag, tagged := sf.Tag.Lookup("db")
		if tagged {
			tag, _, _ = strings.Cut(tag, ",")
		}
		if tag == "-" {
			continue
		}
		col := -1
		if tagged {
			col = columnNamed(names, tag)
		} else {
			col = columnLike(names, sf.Name)
		}
		if col < 0 {
			if missing == "" {
				missing = tag
				if !tagged {
					missing = sf.Name
				}
			}
			continue
		}
		paths[col] = path
	}
	return missing
}

// columnNamed is the column a db tag names: the same name, else the same
// but for case.
func columnNamed(names []string, tag string) int {
	for i, n := range names {
		if n == tag {
			return i
		}
	}
	for i, n := range names {
		if strings.EqualFold(n, tag) {
			return i
		}
	}
	return -1
}

// columnLike is the column an untagged field names: its name, underscores
// and case aside.
func columnLike(names []string, field string) int {
	field = strings.ReplaceAll(field, "_", "")
	for i, n := range names {
		if strings.EqualFold(strings.ReplaceAll(n, "_", ""), field) {
			return i
		}
	}
	return -1
}
