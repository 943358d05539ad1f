package supplier

import (
	"context"
	"strconv"

	"pasokan/internal/i18n"
	domain "pasokan/internal/supplier"
	"pasokan/web/component"
)

// flagTarget names what a flag points at in the reader's language.
func flagTarget(ctx context.Context, f domain.Flag, names map[string]string) string {
	switch f.Target {
	case "field":
		return i18n.T(ctx, "field."+f.TargetKey)
	case "product":
		if n, ok := names[f.TargetKey]; ok {
			return i18n.T(ctx, "supplier.flags.product", n)
		}
		return i18n.T(ctx, "supplier.flags.product", f.TargetKey)
	case "document":
		return i18n.T(ctx, "document.kind."+f.TargetKey)
	}
	return f.TargetKey
}

// options makes select options of codes labelled by prefix+code messages.
func options(ctx context.Context, prefix string, codes []string) []component.Option {
	out := make([]component.Option, 0, len(codes))
	for _, c := range codes {
		out = append(out, component.Option{Value: c, Label: i18n.T(ctx, prefix+c)})
	}
	return out
}

func productOptions(v ApplicationView) []component.Option {
	out := make([]component.Option, 0, len(v.App.Products))
	for _, p := range v.App.Products {
		out = append(out, component.Option{Value: strconv.FormatInt(p.ID, 10), Label: v.ProductNames[p.Type]})
	}
	return out
}

// documentNote is the size and, for photos, the date of a document.
func documentNote(ctx context.Context, d domain.Document) string {
	note := i18n.FileSize(ctx, d.Size)
	if d.TakenOn != nil {
		note += " · " + i18n.T(ctx, "document.taken_on", i18n.Date(ctx, *d.TakenOn))
	}
	return "(" + note + ")"
}
