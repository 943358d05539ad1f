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
	for k := range f.Errors {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
