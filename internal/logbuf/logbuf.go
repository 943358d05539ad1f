// Package logbuf holds the log's lines for a moment before writing them, so
// that a busy server writes its request log a few times a second instead
// of once a request: each write is a system call, and on the load test's
// machine one a request was about 4 % of a small page's CPU (docs/SCALE.md).
// A record at a level that matters (Urgent) is written at once, with every
// line held before it.
package logbuf

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// Writer holds what is written to it and writes it to out every interval,
// when it holds max bytes, and on Flush and Close. Lines written to it whole
// (as slog's handlers write each record) reach out whole and in order.
type Writer struct {
	out io.Writer
	max int

	mu   sync.Mutex
	buf  []byte
	err  error
	stop chan struct{}
	done chan struct{}
}

// New returns a Writer over out that writes what it holds every interval
// or once it holds max bytes; Close stops it.
func New(out io.Writer, interval time.Duration, max int) *Writer {
	w := &Writer{out: out, max: max, buf: make([]byte, 0, max), stop: make(chan struct{}), done: make(chan struct{})}
	go w.tick(interval)
	return w
}

func (w *Writer) tick(interval time.Duration) {
	defer close(w.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			_ = w.Flush()
		case <-w.stop:
			return
		}
	}
}

// Write holds p, writing what is held first when p would take it past max.
// It reports the error of the last write to out that failed, once.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.buf)+len(p) > w.max && len(w.buf) > 0 {
		w.flushLocked()
	}
	w.buf = append(w.buf, p...)
	if len(w.buf) >= w.max {
		w.flushLocked()
	}
	err := w.err
	w.err = nil
	return len(p), err
}

// Flush writes what is held.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.flushLocked()
	err := w.err
	w.err = nil
	return err
}

func (w *Writer) flushLocked() {
	if len(w.buf) == 0 {
		return
	}
	if _, err := w.out.Write(w.buf); err != nil {
		w.err = err
	}
	w.buf = w.buf[:0]
}

// Close stops the timer and writes what is held; Write after Close holds
// until the next Flush.
func (w *Writer) Close() error {
	select {
	case <-w.stop:
	default:
		close(w.stop)
	}
	<-w.done
	return w.Flush()
}

// Urgent returns h with every record at level or above written at once
// through w, with the lines held before it.
func Urgent(h slog.Handler, w *Writer, level slog.Level) slog.Handler {
	return urgent{Handler: h, w: w, level: level}
}

type urgent struct {
	slog.Handler
	w     *Writer
	level slog.Level
}

func (u urgent) Handle(ctx context.Context, r slog.Record) error {
	err := u.Handler.Handle(ctx, r)
	if r.Level >= u.level {
		if ferr := u.w.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}

func (u urgent) WithAttrs(attrs []slog.Attr) slog.Handler {
	return urgent{Handler: u.Handler.WithAttrs(attrs), w: u.w, level: u.level}
}

func (u urgent) WithGroup(name string) slog.Handler {
	return urgent{Handler: u.Handler.WithGroup(name), w: u.w, level: u.level}
}
