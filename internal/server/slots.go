package server

import (
	"context"
	"time"
)

// UploadWait is how long an upload waits for a free slot before it is
// turned away: long enough to ride out a burst of uploads on fast
// connections, short enough that nobody stares at a stalled form.
const UploadWait = 5 * time.Second

// uploadRetry is what Retry-After says to an upload turned away.
const uploadRetry = 10 * time.Second

// Slots bounds how many requests of one kind this process serves at once,
// to bound the memory they hold. It is a resource bound of one process, not
// a business rule: every process behind the load balancer has its own.
type Slots struct {
	ch   chan struct{}
	wait time.Duration
}

// NewSlots returns n slots (at least one); a request waits at most wait for
// one to come free.
func NewSlots(n int, wait time.Duration) *Slots {
	return &Slots{ch: make(chan struct{}, max(n, 1)), wait: wait}
}

// Acquire takes a slot, waiting at most the slots' wait, and reports whether
// it got one; whoever got one calls Release once.
func (s *Slots) Acquire(ctx context.Context) bool {
	select {
	case s.ch <- struct{}{}:
		return true
	default:
	}
	if s.wait <= 0 {
		return false
	}
	t := time.NewTimer(s.wait)
	defer t.Stop()
	select {
	case s.ch <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

// Release gives a slot back.
func (s *Slots) Release() { <-s.ch }
