package database

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Domain errors that repositories return. Handlers test for them with
// errors.Is and turn them into pages; nothing above this package looks at
// Postgres error codes.
var (
	// ErrNotFound means the record does not exist or the actor may not see it.
	// The two are deliberately indistinguishable.
	ErrNotFound = errors.New("not found")
	// ErrConflict means a unique constraint refused the write.
	ErrConflict = errors.New("conflict")
	// ErrStale means the record changed since the caller read its version.
	ErrStale = errors.New("stale version")
	// ErrForbidden means row-level security refused a write.
	ErrForbidden = errors.New("forbidden")
)

// Postgres SQLSTATE codes we map.
const (
	codeUniqueViolation       = "23505"
	codeInsufficientPrivilege = "42501"
	codeCheckViolation        = "23514"
)

// MapError turns driver errors into the domain errors above, keeping the
// original error in the chain for logs. Errors it does not know pass through.
func MapError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case codeUniqueViolation:
			return fmt.Errorf("%w: %s: %w", ErrConflict, pgErr.ConstraintName, err)
		case codeInsufficientPrivilege:
			// "new row violates row-level security policy" lands here.
			return fmt.Errorf("%w: %w", ErrForbidden, err)
		}
	}
	return err
}

// ConstraintName returns the name of the constraint that err violated, or "".
func ConstraintName(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.ConstraintName
	}
	return ""
}
