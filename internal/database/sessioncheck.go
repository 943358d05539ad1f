package database

import (
	"context"
	"errors"
	"sync"

	"github.com/jackc/pgx/v5"
)

// A logged-in page read its session, then its own rows: two round trips,
// each costing both Go and Postgres CPU of their own whatever they carry
// (about 0.04 ms on each side on the load test's machine, measured with
// perf: the socket's system calls, the backend's wait for its next
// command, the transaction's start and end). A request may instead go on
// with the session as this process last read it, and read the session
// again in the same round trip as its first read of the primary: a
// SessionCheck carries those statements to it. Whatever the request reads
// is used only once the check has found the session and its holder as they
// were; a check that does not is ErrSessionChanged, for that read and every
// later one, and the server answers the request again from a fresh read of
// the session. Nothing is written before the check has passed: a
// transaction, and the session's own writes, settle the check first, alone.

// ErrSessionChanged is a read or write of a request whose session check
// found the session, or who holds it, changed since it was last read.
var ErrSessionChanged = errors.New("database: the session changed since it was last read")

// SessionCheck is a request's session check (see above).
type SessionCheck struct {
	mu        sync.Mutex
	speculate bool
	queue     func(b *pgx.Batch, settle func(ok bool))
	state     checkState
	done      chan struct{}
	onWrite   func()
}

type checkState int

const (
	checkUnarmed checkState = iota // no check: the session was read
	checkArmed                     // to be sent with the next read
	checkSent                      // in a round trip under way
	checkPassed
	checkFailed
)

type sessionCheckKey struct{}

// WithSessionCheck gives ctx an unarmed check, for the session store to arm
// when it answers from what it read before, if speculate (a request that
// reads: GET, HEAD). Any request's check also tells the store when the
// request writes (Wrote), so that the session is read afresh next time:
// what it wrote may be what the session's holder shows (a name, a role, the
// unread notifications).
func WithSessionCheck(ctx context.Context, speculate bool) (context.Context, *SessionCheck) {
	c := &SessionCheck{speculate: speculate, done: make(chan struct{})}
	return context.WithValue(ctx, sessionCheckKey{}, c), c
}

// MaySpeculate reports whether the store may arm the check.
func (c *SessionCheck) MaySpeculate() bool { return c.speculate }

// OnWrite sets what Wrote calls.
func (c *SessionCheck) OnWrite(fn func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.onWrite = fn
}

// Wrote says the request has run a transaction that may write.
func (c *SessionCheck) Wrote() {
	c.mu.Lock()
	fn := c.onWrite
	c.mu.Unlock()
	if fn != nil {
		fn()
	}
}

// SessionCheckFrom is ctx's check, or nil.
func SessionCheckFrom(ctx context.Context) *SessionCheck {
	c, _ := ctx.Value(sessionCheckKey{}).(*SessionCheck)
	return c
}

// Arm sets the statements that read the session again: queue adds them
// to a batch, with callbacks that call settle once they know (a callback
// that finds the session changed returns ErrSessionChanged).
func (c *SessionCheck) Arm(queue func(b *pgx.Batch, settle func(ok bool))) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.speculate && c.state == checkUnarmed {
		c.queue, c.state = queue, checkArmed
	}
}

// Armed reports whether the request went on without reading its session.
func (c *SessionCheck) Armed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state != checkUnarmed
}

// Clear reports whether the request may show what it read: no check was
// armed (the session was read), or it has passed.
func (c *SessionCheck) Clear() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state == checkUnarmed || c.state == checkPassed
}

// Passed reports whether the check has passed.
func (c *SessionCheck) Passed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state == checkPassed
}

// Failed reports whether the check has failed.
func (c *SessionCheck) Failed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state == checkFailed
}

// settle ends a check that was sent; the first word counts.
func (c *SessionCheck) settle(ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != checkSent {
		return
	}
	c.state = checkFailed
	if ok {
		c.state = checkPassed
	}
	close(c.done)
}

// take prepends the check to b when it is armed (true); otherwise it waits
// for a check under way and says how it ended.
func (c *SessionCheck) take(b *pgx.Batch) (bool, error) {
	c.mu.Lock()
	switch c.state {
	case checkUnarmed, checkPassed:
		c.mu.Unlock()
		return false, nil
	case checkFailed:
		c.mu.Unlock()
		return false, ErrSessionChanged
	case checkArmed:
		c.state = checkSent
		queue := c.queue
		c.mu.Unlock()
		head := &pgx.Batch{}
		queue(head, c.settle)
		b.QueuedQueries = append(head.QueuedQueries, b.QueuedQueries...)
		return true, nil
	}
	done := c.done
	c.mu.Unlock()
	<-done
	if c.Failed() {
		return false, ErrSessionChanged
	}
	return false, nil
}

// SettleSessionCheck settles ctx's armed session check in a round trip of
// its own (a request that writes, or that read nothing from the primary),
// and reports ErrSessionChanged when it fails.
func (db *DB) SettleSessionCheck(ctx context.Context) error {
	if db.primary != nil {
		return db.primary.SettleSessionCheck(ctx)
	}
	c := SessionCheckFrom(ctx)
	if c == nil {
		return nil
	}
	b := &pgx.Batch{}
	sent, err := c.take(b)
	if err != nil || !sent {
		return err
	}
	err = db.sendRaw(ctx, db.Pool, b)
	c.settle(false)
	if c.Failed() {
		return ErrSessionChanged
	}
	return MapError(err)
}
