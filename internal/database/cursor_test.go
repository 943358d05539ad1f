package database_test

import (
	"testing"
	"time"

	"pasokan/internal/database"
)

// A cursor reads back from its address form; a time outside years 1 to
// 9999, an id that is not positive, or anything else is no cursor.
func TestCursorReadsBackWithinItsYears(t *testing.T) {
	for _, at := range []time.Time{time.Date(2026, 12, 8, 1, 2, 3, 456789000, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC)} {
		c := database.Cursor{At: at, ID: 42}
		got, ok := database.ParseCursor(c.String())
		if !ok || !got.At.Equal(at) || got.ID != 42 {
			t.Errorf("%s read back as %+v, %v", c, got, ok)
		}
	}
	for _, s := range []string{"-62135596800000001_1", "253402300800000000_1", "-9223372036854775808_1",
		"0_0", "0_-1", "1", "_", "a_1", "1_b", ""} {
		if c, ok := database.ParseCursor(s); ok {
			t.Errorf("%q read as %+v", s, c)
		}
	}
}
