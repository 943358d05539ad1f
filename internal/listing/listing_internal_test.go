package listing

import (
	"encoding/base64"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestCursorRefusesBadBytes: a cursor made by hand with bytes that are not
// text reads as the first page, never reaches Postgres.
func TestCursorRefusesBadBytes(t *testing.T) {
	for _, v := range []string{"\xff\xfe", "a\x00b"} {
		c := base64.RawURLEncoding.EncodeToString([]byte("12." + v))
		if decodeCursor(SortName, c, pgx.NamedArgs{}) {
			t.Errorf("cursor with %q accepted", v)
		}
	}
	good := base64.RawURLEncoding.EncodeToString([]byte("12.Konveksi Melati"))
	args := pgx.NamedArgs{}
	if !decodeCursor(SortName, good, args) || args["after_text"] != "Konveksi Melati" || args["after_id"] != int64(12) {
		t.Errorf("a good cursor: %v", args)
	}
}

// TestPauseCountsDaysInJakarta: at 06:00 in Jakarta on the 5th (23:00 UTC
// on the 4th), a pause until the 4th is over and one until the 5th holds.
func TestPauseCountsDaysInJakarta(t *testing.T) {
	now := time.Date(2026, 12, 4, 23, 0, 0, 0, time.UTC)
	fourth := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	fifth := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	if (Listing{PausedUntil: &fourth}).Paused(now) {
		t.Error("paused until the 4th, still paused on the 5th in Jakarta")
	}
	if !(Listing{PausedUntil: &fifth}).Paused(now) {
		t.Error("paused until the 5th, not paused on the 5th in Jakarta")
	}
}
