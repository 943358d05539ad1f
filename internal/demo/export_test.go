package demo

import (
	"context"
	"time"

	"pasokan/internal/account"
	"pasokan/internal/database"
)

// ErrStopped is errStopped, for the tests.
var ErrStopped = errStopped

// SeedInUnits is SeedScaleAt with chunks of chunk suppliers and batches of
// batch demands, stopped after the unit named stopAfter ("" for none), as
// a crash would stop it.
func SeedInUnits(ctx context.Context, db *database.DB, passwords *account.Passwords, n int, now time.Time,
	chunk, batch int, stopAfter string) (Stats, error) {
	return seedScale(ctx, db, passwords, n, now, units{chunk: chunk, batch: batch,
		stop: func(unit string) bool { return unit == stopAfter }})
}
