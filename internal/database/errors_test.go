package database_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
)

func TestMapError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code string
		want error
	}{
		{"23505", database.ErrConflict},
		{"42501", database.ErrForbidden},
		{"23503", database.ErrInvalid}, // foreign key
		{"23514", database.ErrInvalid}, // check
		{"22001", database.ErrInvalid}, // too long for the column
		{"22003", database.ErrInvalid}, // number out of range
		{"22007", database.ErrInvalid}, // malformed date
		{"22008", database.ErrInvalid}, // date out of range
		{"22021", database.ErrInvalid}, // not UTF-8, or NUL
		{"22P02", database.ErrInvalid}, // not a number
		{"22P05", database.ErrInvalid},
		{"40001", nil}, // serialization failure: not the person's fault
		{"57P01", nil}, // admin shutdown
	}
	for _, tt := range tests {
		orig := fmt.Errorf("wrapped: %w", &pgconn.PgError{Code: tt.code, ConstraintName: "c"})
		got := database.MapError(orig)
		for _, sentinel := range []error{database.ErrConflict, database.ErrForbidden, database.ErrInvalid, database.ErrNotFound, database.ErrStale} {
			if errors.Is(got, sentinel) != (sentinel == tt.want) {
				t.Errorf("%s: MapError = %v; is %v: %v", tt.code, got, sentinel, errors.Is(got, sentinel))
			}
		}
		var pgErr *pgconn.PgError
		if !errors.As(got, &pgErr) {
			t.Errorf("%s: the original error left the chain", tt.code)
		}
	}
	if !errors.Is(database.MapError(pgx.ErrNoRows), database.ErrNotFound) || database.MapError(nil) != nil {
		t.Error("no rows / nil")
	}
}

// TestInvalidValuesFromPostgres: what Postgres really answers for the
// values a form may miss comes back as ErrInvalid.
func TestInvalidValuesFromPostgres(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t).App
	ctx := context.Background()
	tests := []struct {
		name string
		sql  string
		args []any
	}{
		{"unknown province", `INSERT INTO assignment_rules (curator_org_id, province_code) SELECT id, '99' FROM organizations LIMIT 1`, nil},
		{"unknown organisation", `INSERT INTO assignment_rules (curator_org_id) VALUES (987654321)`, nil},
		{"check constraint", `INSERT INTO users (email, name, password_hash) VALUES ('UPPER@example.test', 'x', 'x')`, nil},
		{"NUL in text", `SELECT $1::text`, []any{"a\x00b"}},
		{"invalid UTF-8", `SELECT $1::text`, []any{"a\xffb"}},
		{"number out of range", `SELECT $1::text::int4`, []any{"2147483648"}},
		{"not a number", `SELECT $1::text::bigint`, []any{"12a"}},
	}
	// One organisation, so that the first rule names a real curator.
	dbtest.Must(t, db.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO organizations (kind, name, slug) VALUES ('curator', 'Kurator', 'kurator')`)
		return err
	}))
	for _, tt := range tests {
		err := db.Tx(ctx, database.System(), func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, tt.sql, tt.args...)
			return err
		})
		if !errors.Is(err, database.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", tt.name, err)
		}
	}
}
