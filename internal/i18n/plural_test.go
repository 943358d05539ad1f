package i18n_test

import (
	"context"
	"testing"

	"pasokan/internal/i18n"
)

func TestPluralAndHours(t *testing.T) {
	t.Parallel()
	id, en := i18n.WithLang(context.Background(), i18n.ID), i18n.WithLang(context.Background(), i18n.EN)
	for _, c := range []struct {
		ctx   context.Context
		hours float64
		want  string
	}{
		{en, 0.2, "less than an hour"},
		{en, 1, "1 hour"},
		{en, 2, "2 hours"},
		{en, 24, "1 day"},
		{en, 26, "1 day 2 hours"},
		{en, 76, "3 days 4 hours"},
		{id, 76, "3 hari 4 jam"},
		{id, 1, "1 jam"},
		{en, 24 * 1500, "1,500 days"},
		{id, 24 * 1500, "1.500 hari"},
	} {
		if got := i18n.Hours(c.ctx, c.hours); got != c.want {
			t.Errorf("Hours(%s, %v) = %q, want %q", i18n.LangFrom(c.ctx), c.hours, got, c.want)
		}
	}
}
