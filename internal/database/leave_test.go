package database_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
)

// TestAClientLeavingKeepsTheConnection: a request's unit of work
// (database.LetFinish) whose context ends (its client went away) between
// statements or during one ends without closing its connection: the next unit of work runs on the same
// connection, whose statements are planned already, rather than on a new
// one. pgx's defaults closed it in both cases (a rollback under an ended
// context fails and closes the connection; a statement under one was cut
// by a deadline at once).
func TestAClientLeavingKeepsTheConnection(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t).App
	bg := context.Background()
	backend := func() (pid int) {
		t.Helper()
		dbtest.Must(t, db.ReadTx(bg, database.System(), func(tx pgx.Tx) error {
			return tx.QueryRow(bg, `SELECT pg_backend_pid()`).Scan(&pid)
		}))
		return pid
	}
	// One connection in the pool, so that each unit of work takes it.
	db.Pool.Reset()
	first := backend()
	opened := db.Pool.Stat().NewConnsCount()

	// Between two statements.
	ctx, cancel := context.WithCancel(database.LetFinish(bg))
	err := db.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT 1`); err != nil {
			return err
		}
		cancel()
		_, err := tx.Exec(ctx, `SELECT 1`)
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("a unit of work whose context ended between statements: %v, want the context's end", err)
	}
	if got := backend(); got != first || db.Pool.Stat().NewConnsCount() != opened {
		t.Errorf("after a context ended between statements the pool opened a connection (backend %d, was %d)", got, first)
	}

	// During a statement: it finishes, and so does its unit of work.
	ctx, cancel = context.WithCancel(database.LetFinish(bg))
	defer cancel()
	time.AfterFunc(50*time.Millisecond, cancel)
	var slept bool
	err = db.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT pg_sleep(0.3) IS NOT NULL`).Scan(&slept)
	})
	if err != nil || !slept {
		t.Errorf("a statement whose context ended while it ran: %v", err)
	}
	if got := backend(); got != first || db.Pool.Stat().NewConnsCount() != opened {
		t.Errorf("after a context ended during a statement the pool opened a connection (backend %d, was %d)", got, first)
	}

	// A batch likewise runs to its end.
	ctx, cancel = context.WithCancel(database.LetFinish(bg))
	time.AfterFunc(50*time.Millisecond, cancel)
	b := &pgx.Batch{}
	b.Queue(`SELECT pg_sleep(0.3)`)
	b.Queue(`SELECT 1`)
	if err := db.ReadBatch(ctx, database.System(), b); err != nil {
		t.Errorf("a batch whose context ended while it ran: %v", err)
	}
	if got := backend(); got != first || db.Pool.Stat().NewConnsCount() != opened {
		t.Errorf("after a context ended during a batch the pool opened a connection (backend %d, was %d)", got, first)
	}
}
