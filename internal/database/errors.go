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
