package account

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestHashingIsBounded fills the hashing slots and the queue: the next
// caller is refused at once, a queued caller that waits too long is refused,
// and a freed slot lets the next one in.
func TestHashingIsBounded(t *testing.T) {
	t.Parallel()
	p, err := NewPasswords()
	if err != nil {
		t.Fatal(err)
	}
	p.SetLimits(1, 1, 50*time.Millisecond)
	ctx := context.Background()
	release, err := p.acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	queued := make(chan error)
	go func() {
		_, err := p.Hash(ctx, "kain tiga lapis")
		queued <- err
	}()
	// Wait until the goroutine sits in the queue.
	for p.waiting.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	if _, err := p.Verify(ctx, "kain tiga lapis", ""); !errors.Is(err, ErrBusy) {
		t.Errorf("with the slot taken and the queue full: %v, want ErrBusy", err)
	}
	if err := <-queued; !errors.Is(err, ErrBusy) {
		t.Errorf("queued past the wait: %v, want ErrBusy", err)
	}
	release()
	if _, err := p.Hash(ctx, "kain tiga lapis"); err != nil {
		t.Errorf("after release: %v", err)
	}
	if s := p.Stats(); s.Peak != 1 || s.Refused != 2 || s.Hashes != 2 {
		t.Errorf("stats %+v, want peak 1, refused 2, hashes 2", s)
	}
}
