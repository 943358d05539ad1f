package account

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
)

// Password rules: at least 8 characters, at most 128 (well above the 64 that
// a passphrase needs, and a bound on hashing work); never truncated; not a
// common password; not the account's own e-mail address.
const (
	PasswordMinLen = 8
	PasswordMaxLen = 128
)

// hashParams are argon2id's parameters: the OWASP minimum of 19 MiB memory,
// two passes, one lane.
var hashParams = &argon2id.Params{
	Memory:      19 * 1024,
	Iterations:  2,
	Parallelism: 1,
	SaltLength:  16,
	KeyLength:   32,
}

//go:embed common-passwords.txt
var commonPasswordsFile []byte

// ErrBusy means that as many passwords are being hashed as the server allows
// and the queue is full: the caller answers 503 with Retry-After. Each hash
// takes 19 MiB and a core for about 50 ms; eighty parallel logins once took
// the server from 0.67 to 1.27 GB and both cores for 4.5 s.
var ErrBusy = errors.New("account: too many passwords being hashed")

// BusyRetryAfter is how long a client is asked to wait after ErrBusy.
const BusyRetryAfter = 2 * time.Second

// Passwords hashes and checks passwords and knows the common ones. At most
// Slots hashes run at once (about two per core); up to Queue more wait for a
// slot, at most MaxWait; beyond that the answer is ErrBusy.
type Passwords struct {
	common map[string]struct{}
	// dummy is a hash of nothing anyone knows, compared against when an
	// e-mail address is unknown so that the answer takes as long.
	dummy string

	slots   chan struct{}
	waiting atomic.Int64
	queue   int64
	maxWait time.Duration
	inUse   atomic.Int64
	peak    atomic.Int64
	refused atomic.Int64
	hashes  atomic.Int64
}

// NewPasswords loads the list of common passwords.
func NewPasswords() (*Passwords, error) {
	p := &Passwords{common: make(map[string]struct{}, 20000)}
	p.SetLimits(2*runtime.GOMAXPROCS(0), 16*runtime.GOMAXPROCS(0), 5*time.Second)
	sc := bufio.NewScanner(bytes.NewReader(commonPasswordsFile))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" {
			p.common[w] = struct{}{}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("account: common passwords: %w", err)
	}
	dummy, err := argon2id.CreateHash("pasokan: no such account", hashParams)
	if err != nil {
		return nil, fmt.Errorf("account: dummy hash: %w", err)
	}
	p.dummy = dummy
	return p, nil
}

// SetLimits sets how many hashes run at once, how many more may wait for a
// slot, and for how long. Call it before use.
func (p *Passwords) SetLimits(slots, queue int, maxWait time.Duration) {
	p.slots = make(chan struct{}, max(slots, 1))
	p.queue = int64(max(queue, 0))
	p.maxWait = maxWait
}

// HashStats are counters of the hashing bound.
type HashStats struct {
	// Hashes counts hashes computed; Peak is the most that ran at once;
	// Refused counts ErrBusy.
	Hashes, Peak, Refused int64
}

// Stats returns the hashing bound's counters.
func (p *Passwords) Stats() HashStats {
	return HashStats{Hashes: p.hashes.Load(), Peak: p.peak.Load(), Refused: p.refused.Load()}
}

// acquire takes a hashing slot, waiting in the queue when there is room.
func (p *Passwords) acquire(ctx context.Context) (release func(), err error) {
	select {
	case p.slots <- struct{}{}:
	default:
		if p.waiting.Add(1) > p.queue {
			p.waiting.Add(-1)
			p.refused.Add(1)
			return nil, ErrBusy
		}
		t := time.NewTimer(p.maxWait)
		defer t.Stop()
		select {
		case p.slots <- struct{}{}:
			p.waiting.Add(-1)
		case <-t.C:
			p.waiting.Add(-1)
			p.refused.Add(1)
			return nil, ErrBusy
		case <-ctx.Done():
			p.waiting.Add(-1)
			return nil, ctx.Err()
		}
	}
	p.hashes.Add(1)
	n := p.inUse.Add(1)
	for {
		old := p.peak.Load()
		if n <= old || p.peak.CompareAndSwap(old, n) {
			break
		}
	}
	return func() { p.inUse.Add(-1); <-p.slots }, nil
}

// Check returns the i18n key of what is wrong with password, or "".
func (p *Passwords) Check(password, email string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case n < PasswordMinLen:
		return "error.password_short"
	case n > PasswordMaxLen:
		return "error.password_long"
	}
	lower := strings.ToLower(password)
	if _, ok := p.common[lower]; ok {
		return "error.password_common"
	}
	if email != "" && (lower == strings.ToLower(email) || lower == strings.ToLower(strings.SplitN(email, "@", 2)[0])) {
		return "error.password_is_email"
	}
	return ""
}

// Hash returns the argon2id hash of password in PHC format, or ErrBusy.
func (p *Passwords) Hash(ctx context.Context, password string) (string, error) {
	release, err := p.acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	h, err := argon2id.CreateHash(password, hashParams)
	if err != nil {
		return "", fmt.Errorf("account: hash password: %w", err)
	}
	return h, nil
}

// Verify reports whether password matches hash, or ErrBusy. An empty hash is
// compared against the dummy so that the time taken does not tell. A
// password longer than PasswordMaxLen never matches and is not hashed.
func (p *Passwords) Verify(ctx context.Context, password, hash string) (bool, error) {
	if utf8.RuneCountInString(password) > PasswordMaxLen {
		return false, nil
	}
	release, err := p.acquire(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	if hash == "" {
		_, _ = argon2id.ComparePasswordAndHash(password, p.dummy)
		return false, nil
	}
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok, nil
}
