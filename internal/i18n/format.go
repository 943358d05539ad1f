package i18n

import (
	"context"
	"strconv"
	"time"
)

// WIB is Western Indonesian Time, the ministry's time zone, in which dates
// are shown.
var WIB = time.FixedZone("WIB", 7*60*60)

var monthsID = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
	"Agustus", "September", "Oktober", "November", "Desember"}

// Int formats n with the thousands separator of the language: 1.000.000 in
// Indonesian, 1,000,000 in English.
func Int(ctx context.Context, n int) string { return FormatInt(LangFrom(ctx), int64(n)) }

// FormatInt formats n for lang.
func FormatInt(lang Lang, n int64) string {
	sep := byte('.')
	if lang == EN {
		sep = ','
	}
	s := strconv.FormatInt(n, 10)
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, sep)
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// Today is the day of now in WIB, the ministry's day, as midnight UTC: how
// Postgres returns a date and time.Parse reads a typed day, so that days
// compare as they are written.
func Today(now time.Time) time.Time {
	y, m, d := now.In(WIB).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Day shows a date column's day (midnight UTC of the day, as Postgres
// returns a date) in the reader's language, without moving it through a
// time zone.
func Day(ctx context.Context, t time.Time) string {
	y, m, d := t.Date()
	return Date(ctx, time.Date(y, m, d, 12, 0, 0, 0, WIB))
}

// Date formats t as a day in WIB: "28 November 2026".
func Date(ctx context.Context, t time.Time) string {
	t = t.In(WIB)
	if LangFrom(ctx) == EN {
		return t.Format("2 January 2006")
	}
	return strconv.Itoa(t.Day()) + " " + monthsID[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// DateTime formats t as a day and a time in WIB: "28 November 2026 14.05 WIB".
func DateTime(ctx context.Context, t time.Time) string {
	t = t.In(WIB)
	if LangFrom(ctx) == EN {
		return Date(ctx, t) + t.Format(" 15:04 MST")
	}
	return Date(ctx, t) + t.Format(" 15.04 MST")
}

// Time formats t as a time of day in WIB, to the second: "14.05.09 WIB".
func Time(ctx context.Context, t time.Time) string {
	t = t.In(WIB)
	if LangFrom(ctx) == EN {
		return t.Format("15:04:05 MST")
	}
	return t.Format("15.04.05 MST")
}

// FileSize formats a size in bytes: "820 KB", "2,4 MB" (Indonesian decimal
// comma) or "2.4 MB".
func FileSize(ctx context.Context, n int) string {
	switch {
	case n < 1000:
		return strconv.Itoa(n) + " B"
	case n < 1000*1000:
		return strconv.Itoa((n+500)/1000) + " KB"
	}
	tenths := (n + 50_000) / 100_000
	sep := ","
	if LangFrom(ctx) == EN {
		sep = "."
	}
	return strconv.Itoa(tenths/10) + sep + strconv.Itoa(tenths%10) + " MB"
}
