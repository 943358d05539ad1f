package database

import (
	"strconv"
	"strings"
	"time"
)

// Cursor is a row's place in a list ordered by a time and then an id, to
// continue the list after it (keyset paging: the next page's statement
// walks its index from the cursor, however deep the page).
type Cursor struct {
	At time.Time
	ID int64
}

// String writes c for an address: microseconds since 1970 and the id.
func (c Cursor) String() string {
	return strconv.FormatInt(c.At.UnixMicro(), 10) + "_" + strconv.FormatInt(c.ID, 10)
}

// Bounds of a cursor's time: years 1 to 9999, which every column of a
// date or time holds (beyond them Postgres refuses the statement, and the
// page answered 422 to a cursor typed by hand).
var (
	minCursor = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	maxCursor = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro() - 1
)

// ParseCursor reads a Cursor.String; ok is false for anything else,
// including a time outside years 1 to 9999.
func ParseCursor(s string) (Cursor, bool) {
	at, id, ok := strings.Cut(s, "_")
	if !ok {
		return Cursor{}, false
	}
	us, err1 := strconv.ParseInt(at, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if err1 != nil || err2 != nil || n <= 0 || us < minCursor || us > maxCursor {
		return Cursor{}, false
	}
	return Cursor{At: time.UnixMicro(us).UTC(), ID: n}, true
}

// Paged cuts rows, read with one row more than a page of size holds, to
// the page, and gives the cursor of the next page: that of the page's last
// row (at), or nil when the rows end within the page.
func Paged[T any](rows []T, size int, at func(T) Cursor) ([]T, *Cursor) {
	if len(rows) <= size {
		return rows, nil
	}
	rows = rows[:size]
	c := at(rows[size-1])
	return rows, &c
}
