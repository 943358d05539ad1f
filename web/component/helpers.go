package component

import (
	"sort"
	"strings"
)

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
