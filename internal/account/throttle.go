package account

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
)

// Throttle slows down password guessing, per account and per client address,
// with counters in Postgres so that every server process sees them. A block
// starts short and doubles with each further failure up to MaxBlock, so an
// attacker cannot lock the real owner out for long.
type Throttle struct {
	db *database.DB
	// AccountLimit and AddressLimit are the failures within Window after
	// which the account or the address is blocked.
	AccountLimit, AddressLimit int
	Window                     time.Duration
	FirstBlock, MaxBlock       time.Duration
}

// NewThrottle returns a throttle with the portal's limits: 5 failures per
// account or 20 per address within 15 minutes block for 1 minute, doubling
// up to 15 minutes.
func NewThrottle(db *database.DB) *Throttle {
	return &Throttle{db: db, AccountLimit: 5, AddressLimit: 20, Window: 15 * time.Minute,
		FirstBlock: time.Minute, MaxBlock: 15 * time.Minute}
}

// AccountKey is the throttle key of an e-mail address (hashed: no address
// is kept in clear in the counters).
func AccountKey(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return "acct:" + hex.EncodeToString(sum[:16])
}

// AddressKey is the throttle key of a client address; IPv6 addresses count
// per /64, the block a single client usually holds.
func AddressKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return "addr:" + addr
	}
	if ip.Is6() && !ip.Is4In6() {
		p, _ := ip.Prefix(64)
		return "addr:" + p.String()
	}
	return "addr:" + ip.Unmap().String()
}

// Blocked returns how long until the most blocked of keys may try again, or
// zero when none is blocked.
func (t *Throttle) Blocked(ctx context.Context, keys ...string) (time.Duration, error) {
	var wait time.Duration
	err := t.db.ReadTx(ctx, database.Auth(), func(tx pgx.Tx) error {
		var secs float64
		err := tx.QueryRow(ctx, `SELECT coalesce(max(extract(epoch FROM blocked_until - now())), 0)::float8
  FROM login_throttle WHERE key = ANY($1) AND blocked_until > now()`, keys).Scan(&secs)
		wait = time.Duration(secs * float64(time.Second))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("account: throttle: %w", err)
	}
	return wait, nil
}

const failSQL = `INSERT INTO login_throttle AS t (key, failures, window_start) VALUES ($1, 1, now())
ON CONFLICT (key) DO UPDATE SET
    failures     = CASE WHEN t.window_start < now() - $2::interval THEN 1 ELSE t.failures + 1 END,
    window_start = CASE WHEN t.window_start < now() - $2::interval THEN now() ELSE t.window_start END
RETURNING failures`

const blockSQL = `UPDATE login_throttle
   SET blocked_until = now() + least($2::interval * power(2, $3::int), $4::interval)
 WHERE key = $1`

// Fail counts a failure against key and blocks it once limit is reached.
func (t *Throttle) Fail(ctx context.Context, key string, limit int) error {
	err := t.db.Tx(ctx, database.Auth(), func(tx pgx.Tx) error {
		var failures int
		if err := tx.QueryRow(ctx, failSQL, key, t.Window).Scan(&failures); err != nil {
			return err
		}
		if failures < limit {
			return nil
		}
		_, err := tx.Exec(ctx, blockSQL, key, t.FirstBlock, min(failures-limit, 16), t.MaxBlock)
		return err
	})
	if err != nil {
		return fmt.Errorf("account: throttle: %w", err)
	}
	return nil
}

// Reset forgets the failures of key (after a successful login).
func (t *Throttle) Reset(ctx context.Context, key string) error {
	return t.db.Tx(ctx, database.Auth(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM login_throttle WHERE key = $1`, key)
		return err
	})
}

// Prune removes counters whose window ended long ago.
func (t *Throttle) Prune(ctx context.Context) error {
	return t.db.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM login_throttle
 WHERE window_start < now() - interval '1 day' AND (blocked_until IS NULL OR blocked_until < now())`)
		return err
	})
}
