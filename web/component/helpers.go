package component

import (
	"context"
	"sort"
	"strings"

	"pasokan/internal/i18n"
	"pasokan/internal/validation"
)

// genericErrors are messages written for any field ("Isian ini berisi
// karakter yang tidak dapat dibaca"): at the field they sit under its
// label, but in the error summary they would not say which field they
// mean.
var genericErrors = map[string]bool{
	validation.KeyEncoding: true, validation.KeyControl: true, validation.KeyControlMultiline: true,
}

// summaryText is a field's error as the error summary lists it: a generic
// message is preceded by the field's name ("Alamat tempat produksi: Isian
// ini ..."), so that every line names what it is about.
func summaryText(ctx context.Context, field, key string) string {
	msg := i18n.T(ctx, key)
	if genericErrors[key] && i18n.Has(i18n.LangFrom(ctx), "field."+field) {
		return i18n.T(ctx, "field."+field) + ": " + msg
	}
	return msg
}

func describedBy(id string, hint, err bool) string {
	var parts []string
	if hint {
		parts = append(parts, id+"-hint")
	}
	if err {
		parts = append(parts, id+"-error")
	}
	return strings.Join(parts, " ")
}

func sortedFields(f Form) []string {
	out := make([]string, 0, len(f.Errors))
	listed := map[string]bool{}
	for _, k := range f.Order {
		if f.Errors[k] != "" && !listed[k] {
			out = append(out, k)
			listed[k] = true
		}
	}
	var rest []string
	for k := range f.Errors {
		if !listed[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}
