package database

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

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
	// ErrInvalid means Postgres refused a value: a reference to a row that
	// does not exist (foreign key), a check constraint, or a value out of
	// range, malformed, or not storable as text. Forms check their input
	// first; this is the net under them, so that a value a form missed is a
	// refusal (422), never a server error.
	ErrInvalid = errors.New("invalid value")
)

// Postgres SQLSTATE codes we map.
const (
	codeUniqueViolation       = "23505"
	codeInsufficientPrivilege = "42501"
	codeCheckViolation        = "23514"
	codeForeignKeyViolation   = "23503"
)

// invalidValueCodes are the data exceptions (class 22) a value sent by a
// person can cause: too long for its column, a number or a date out of
// range, text that is not UTF-8 or holds a NUL, text where a number or a
// date was expected.
var invalidValueCodes = map[string]bool{
	"22001": true, // string_data_right_truncation
	"22003": true, // numeric_value_out_of_range
	"22007": true, // invalid_datetime_format
	"22008": true, // datetime_field_overflow
	"22021": true, // character_not_in_repertoire (invalid UTF-8, NUL)
	"22P02": true, // invalid_text_representation
	"22P05": true, // untranslatable_character
}

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
		case codeForeignKeyViolation, codeCheckViolation:
			return fmt.Errorf("%w: %s: %w", ErrInvalid, pgErr.ConstraintName, err)
		}
		if invalidValueCodes[pgErr.Code] {
			return fmt.Errorf("%w: %w", ErrInvalid, err)
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

// Unavailable reports whether err says the database could not be reached or
// went away (a restart, a failover, too many connections), as opposed to a
// query that failed. Handlers answer 503 with Retry-After for it: the person
// should simply try again in a moment.
func Unavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case strings.HasPrefix(pgErr.Code, "08"), // connection exception
			pgErr.Code == "57P01", // admin_shutdown: terminated by a restart
			pgErr.Code == "57P02", // crash_shutdown
			pgErr.Code == "57P03", // cannot_connect_now: starting up, shutting down
			pgErr.Code == "53300": // too_many_connections
			return true
		}
		return false
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connectErr) ||
		errors.As(err, &netErr) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		pgconn.SafeToRetry(err) ||
		strings.Contains(err.Error(), "conn closed") || strings.Contains(err.Error(), "closed pool")
}
