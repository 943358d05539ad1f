package i18n

import "context"

// Plural translates the form of key for a count n: key+".one" when n is 1
// and the reader's language has that form (English: "1 item"), else
// key+".other" ("2 items"; Indonesian nouns do not change: "2 butir").
// The count, formatted for the language, is the message's first argument.
func Plural(ctx context.Context, key string, n int, args ...any) string {
	lang := LangFrom(ctx)
	k := key + ".other"
	if n == 1 && Has(lang, key+".one") {
		k = key + ".one"
	}
	return Translate(lang, k, append([]any{FormatInt(lang, int64(n))}, args...)...)
}

// Hours says a length of time in days and whole hours, in words of the
// reader's language: "3 hari 4 jam", "1 day 2 hours"; under an hour it
// says so.
func Hours(ctx context.Context, h float64) string {
	whole := int(h + 0.5)
	if whole < 1 {
		return T(ctx, "duration.under_hour")
	}
	days, hours := whole/24, whole%24
	switch {
	case days == 0:
		return Plural(ctx, "duration.hours", hours)
	case hours == 0:
		return Plural(ctx, "duration.days", days)
	}
	return Plural(ctx, "duration.days", days) + " " + Plural(ctx, "duration.hours", hours)
}
