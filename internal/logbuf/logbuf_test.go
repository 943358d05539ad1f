package logbuf_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"pasokan/internal/logbuf"
)

// out is a writer safe to read while the Writer's timer writes to it.
type out struct {
	mu     sync.Mutex
	b      bytes.Buffer
	writes int
	fail   error
}

func (o *out) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.fail != nil {
		return 0, o.fail
	}
	o.writes++
	return o.b.Write(p)
}

func (o *out) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.String()
}

func (o *out) Writes() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.writes
}

// Lines are held until the Writer is flushed, its timer runs, or a record
// that matters comes: that record is written at once, after the lines
// held before it.
func TestLinesAreHeldUntilFlushedOrUrgent(t *testing.T) {
	o := &out{}
	w := logbuf.New(o, time.Hour, 64<<10)
	defer w.Close()
	log := slog.New(logbuf.Urgent(slog.NewTextHandler(w, nil), w, slog.LevelWarn))
	log.Info("request", "path", "/supplier")
	log.Info("request", "path", "/curation")
	if o.String() != "" {
		t.Fatalf("written before any flush: %q", o.String())
	}
	log.With("component", "db").Warn("slow statement")
	got := o.String()
	first, second, third := strings.Index(got, "/supplier"), strings.Index(got, "/curation"), strings.Index(got, "slow statement")
	if first < 0 || second < first || third < second || !strings.Contains(got, "component=db") {
		t.Fatalf("a warning did not bring the held lines out in order:\n%s", got)
	}
	if o.Writes() != 1 {
		t.Errorf("%d writes for three lines, want 1", o.Writes())
	}
	log.Info("request", "path", "/admin")
	if strings.Contains(o.String(), "/admin") {
		t.Fatal("an info line after the warning was written at once")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(o.String(), "/admin") {
		t.Fatal("Close did not write the held line")
	}
}

// The timer writes what is held.
func TestTheTimerWritesWhatIsHeld(t *testing.T) {
	o := &out{}
	w := logbuf.New(o, 10*time.Millisecond, 64<<10)
	defer w.Close()
	fmt.Fprintln(w, "held")
	for deadline := time.Now().Add(5 * time.Second); o.String() == ""; {
		if time.Now().After(deadline) {
			t.Fatal("the timer did not write the held line within 5 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A Writer holds at most max bytes: a line that would take it past max
// writes what is held first, and one of max or more is written at once.
func TestAFullWriterWritesWhatItHolds(t *testing.T) {
	o := &out{}
	w := logbuf.New(o, time.Hour, 100)
	defer w.Close()
	line := strings.Repeat("x", 39) + "\n"
	fmt.Fprint(w, line, line)
	if o.String() != "" {
		t.Fatal("80 bytes of 100 were written")
	}
	fmt.Fprint(w, line)
	if o.String() != line+line {
		t.Fatalf("the third line should have written the first two only: %q", o.String())
	}
	fmt.Fprint(w, strings.Repeat("y", 150)+"\n")
	if got := o.String(); !strings.HasSuffix(got, strings.Repeat("y", 150)+"\n") || strings.Count(got, line) != 3 {
		t.Fatalf("a long line was held: %q", got)
	}
}

// Records logged at once from many goroutines come out whole, every one.
func TestLinesFromManyGoroutinesComeOutWhole(t *testing.T) {
	o := &out{}
	w := logbuf.New(o, time.Millisecond, 4096)
	log := slog.New(logbuf.Urgent(slog.NewTextHandler(w, nil), w, slog.LevelWarn))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				if i%100 == 0 {
					log.Warn("request", "g", g, "i", i)
				} else {
					log.Info("request", "g", g, "i", i)
				}
			}
		}()
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(o.String(), "\n"), "\n")
	seen := map[string]bool{}
	for _, l := range lines {
		i := strings.Index(l, " g=")
		if !strings.HasPrefix(l, "time=") || i < 0 {
			t.Fatalf("a torn line: %q", l)
		}
		seen[l[i:]] = true
	}
	if len(lines) != 4000 || len(seen) != 4000 {
		t.Fatalf("%d lines, %d different, want 4000", len(lines), len(seen))
	}
}

// A failed write is reported, once, by the next Write or Flush.
func TestAFailedWriteIsReported(t *testing.T) {
	o := &out{fail: errors.New("disk full")}
	w := logbuf.New(o, time.Hour, 64<<10)
	defer w.Close()
	fmt.Fprintln(w, "lost")
	if err := w.Flush(); err == nil || err.Error() != "disk full" {
		t.Fatalf("Flush: %v", err)
	}
	if err := w.Flush(); err != nil {
		t.Fatalf("the error was reported twice: %v", err)
	}
}
