package account

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
)

// Rule limits the attempts counted under one key: after Limit attempts
// within Window the key is blocked for FirstBlock, doubling with every
// further attempt after a block up to MaxBlock.
type Rule struct {
	Key                  string
	Limit                int
	Window               time.Duration
	FirstBlock, MaxBlock time.Duration
}

// Throttle slows down password guessing and account listing with counters
// in Postgres, so that every server process sees them. An attempt is
// reserved before the password is hashed, under a row lock, so parallel
// guesses cannot slip past a limit; a successful login gives its
// reservation back.
//
// The keys are chosen so that an attacker cannot lock the real owner out
// (see Store.Authenticate): the tight limit counts one account from one
// address (or one known device) together; the account as a whole and the
// address as a whole have far higher ceilings, and those two do not apply to
// a device or an address the account has logged in from before.
type Throttle struct {
	db *database.DB
	// Pair limits one account from one address, or from one known device.
	Pair Rule
	// Account limits one account from addresses and devices it has not
	// logged in from (NIST SP 800-63B allows at most 100 failures).
	Account Rule
	// Address limits one client address for accounts it is not known to
	// (Indonesian mobile users share addresses behind carrier NAT).
	Address Rule
	// SignUp limits sign-ups and invitation acceptances per address: each
	// hashes a password and tells whether an address has an account.
	SignUp Rule
}

// NewThrottle returns a throttle with the portal's limits.
func NewThrottle(db *database.DB) *Throttle {
	return &Throttle{db: db,
		Pair:    Rule{Limit: 5, Window: 15 * time.Minute, FirstBlock: time.Minute, MaxBlock: 15 * time.Minute},
		Account: Rule{Limit: 100, Window: 24 * time.Hour, FirstBlock: 15 * time.Minute, MaxBlock: 4 * time.Hour},
		Address: Rule{Limit: 100, Window: 15 * time.Minute, FirstBlock: time.Minute, MaxBlock: 15 * time.Minute},
		SignUp:  Rule{Limit: 20, Window: 15 * time.Minute, FirstBlock: 5 * time.Minute, MaxBlock: time.Hour},
	}
}

// With returns r applied to key.
func (r Rule) With(key string) Rule { r.Key = key; return r }

// emailHash is the hashed form of an e-mail address in throttle keys: no
// address is kept in clear in the counters.
func emailHash(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return hex.EncodeToString(sum[:16])
}

// AccountKey is the throttle key of an e-mail address.
func AccountKey(email string) string { return "acct:" + emailHash(email) }

// AddressKey is the throttle key of a client address; IPv6 addresses count
// per /64, the block a single client usually holds.
func AddressKey(addr string) string { return "addr:" + addressPart(addr) }

func addressPart(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	if ip.Is6() && !ip.Is4In6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.Unmap().String()
}

// PairKey is the throttle key of one account tried from one address.
func PairKey(email, addr string) string { return "pair:" + emailHash(email) + ":" + addressPart(addr) }

// DeviceKey is the throttle key of one account tried from one known device.
func DeviceKey(email string, deviceHash []byte) string {
	return "dev:" + emailHash(email) + ":" + hex.EncodeToString(deviceHash[:8])
}

// SignUpKey is the throttle key of sign-ups from one address.
func SignUpKey(addr string) string { return "signup:" + addressPart(addr) }

// Reservation is an attempt counted under some keys.
type Reservation struct {
	keys []string
	// Remaining is how many more attempts the tightest key allows after
	// this one.
	Remaining int
}

const ensureKeysSQL = `INSERT INTO login_throttle (key, failures, window_start)
SELECT k, 0, now() FROM unnest($1::text[]) AS k ORDER BY k
ON CONFLICT (key) DO NOTHING`

const lockKeysSQL = `SELECT key, failures, window_start, blocked_until, now() AS now
  FROM login_throttle WHERE key = ANY($1) ORDER BY key FOR UPDATE`

type throttleRow struct {
	Key          string
	Failures     int
	WindowStart  time.Time
	BlockedUntil *time.Time
	Now          time.Time
}

// Reserve counts one attempt under every rule, atomically, before the work
// the rules guard. When a key is blocked, or this attempt would pass its
// limit, nothing is counted under the other keys, the key at its limit is
// blocked (or its block doubled), and the answer is a *ThrottledError.
func (t *Throttle) Reserve(ctx context.Context, rules ...Rule) (Reservation, error) {
	rules = slices.Clone(rules)
	slices.SortFunc(rules, func(a, b Rule) int { return strings.Compare(a.Key, b.Key) })
	keys := make([]string, len(rules))
	for i, r := range rules {
		keys[i] = r.Key
	}
	res := Reservation{keys: keys, Remaining: -1}
	var wait time.Duration
	err := t.db.Tx(ctx, database.Auth(), func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, ensureKeysSQL, keys); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, lockKeysSQL, keys)
		if err != nil {
			return err
		}
		locked, err := database.CollectRows[throttleRow](rows)
		if err != nil {
			return err
		}
		// Attempts already counted within each key's window.
		counted := make([]int, len(rules))
		for i, r := range rules {
			x := locked[slices.IndexFunc(locked, func(x throttleRow) bool { return x.Key == r.Key })]
			if x.BlockedUntil != nil && x.BlockedUntil.After(x.Now) {
				wait = max(wait, x.BlockedUntil.Sub(x.Now))
				continue
			}
			if x.Now.Sub(x.WindowStart) < r.Window {
				counted[i] = x.Failures
			}
		}
		if wait > 0 {
			return nil
		}
		for i, r := range rules {
			if counted[i] < r.Limit {
				continue
			}
			// Over the limit: block, longer with each attempt past it.
			d := r.FirstBlock << min(counted[i]-r.Limit, 16)
			d = min(d, r.MaxBlock)
			wait = max(wait, d)
			if _, err := tx.Exec(ctx, `UPDATE login_throttle SET failures = $2, blocked_until = now() + $3::interval
 WHERE key = $1`, r.Key, counted[i]+1, d); err != nil {
				return err
			}
		}
		if wait > 0 {
			return nil
		}
		for i, r := range rules {
			if _, err := tx.Exec(ctx, `UPDATE login_throttle
   SET failures = $2, window_start = CASE WHEN $2 = 1 THEN now() ELSE window_start END, blocked_until = NULL
 WHERE key = $1`, r.Key, counted[i]+1); err != nil {
				return err
			}
			if left := r.Limit - counted[i] - 1; res.Remaining < 0 || left < res.Remaining {
				res.Remaining = left
			}
		}
		return nil
	})
	if err != nil {
		return Reservation{}, fmt.Errorf("account: throttle: %w", err)
	}
	if wait > 0 {
		return Reservation{}, &ThrottledError{Wait: wait}
	}
	return res, nil
}

// Release gives back a reservation: the keys in forget are cleared (a
// success ends a run of failures), the others lose the one attempt.
func (t *Throttle) Release(ctx context.Context, res Reservation, forget ...string) error {
	if len(res.keys) == 0 {
		return nil
	}
	if forget == nil {
		forget = []string{} // not NULL: NOT (key = ANY(NULL)) is never true
	}
	err := t.db.Tx(ctx, database.Auth(), func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM login_throttle WHERE key = ANY($1) AND key = ANY($2)`, res.keys, forget); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE login_throttle SET failures = greatest(failures - 1, 0)
 WHERE key = ANY($1) AND NOT key = ANY($2)`, res.keys, forget)
		return err
	})
	if err != nil {
		return fmt.Errorf("account: throttle release: %w", err)
	}
	return nil
}

// forget clears the counters of keys.
func (t *Throttle) forget(ctx context.Context, keys ...string) error {
	return t.db.Tx(ctx, database.Auth(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM login_throttle WHERE key = ANY($1)`, keys)
		return err
	})
}

// Prune removes counters whose window ended long ago, and forgets devices
// and addresses not used to log in for a long time.
func (t *Throttle) Prune(ctx context.Context) error {
	return t.db.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM login_throttle
 WHERE window_start < now() - interval '2 days' AND (blocked_until IS NULL OR blocked_until < now())`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM known_logins WHERE last_login_at < now() - $1::interval`, knownLoginLifetime)
		return err
	})
}

// knownLoginLifetime is how long a device or address stays known without a
// login from it.
const knownLoginLifetime = 180 * 24 * time.Hour
