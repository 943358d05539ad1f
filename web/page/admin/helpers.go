package admin

import (
	"context"

	"pasokan/internal/i18n"
	"pasokan/web/component"
)

func anyOr(ctx context.Context, v, prefix string) string {
	if v == "" {
		return i18n.T(ctx, "admin.any")
	}
	return i18n.T(ctx, prefix+v)
}

func anyName(ctx context.Context, name string) string {
	if name == "" {
		return i18n.T(ctx, "admin.any")
	}
	return name
}

func categories(ctx context.Context) []component.Option {
	var out []component.Option
	for _, c := range []string{"apd", "masker", "hand_sanitizer"} {
		out = append(out, component.Option{Value: c, Label: i18n.T(ctx, "category."+c)})
	}
	return out
}
