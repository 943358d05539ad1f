package curation

import (
	"context"
	"strconv"
	"strings"
	"time"

	domain "pasokan/internal/curation"
	"pasokan/internal/i18n"
	"pasokan/web/component"
)

// waited says how long an item has waited: "3 hari 4 jam".
func waited(ctx context.Context, d time.Duration) string {
	days := int(d.Hours()) / 24
	hours := int(d.Hours()) % 24
	if days > 0 {
		return i18n.T(ctx, "curation.waited_days", days, hours)
	}
	return i18n.T(ctx, "curation.waited_hours", hours)
}

func assigneeOptions(ctx context.Context, v QueueView) []component.Option {
	out := []component.Option{{Value: "me", Label: i18n.T(ctx, "curation.assignee_me")}, {Value: "none", Label: i18n.T(ctx, "curation.assignee_none")}}
	for _, c := range v.Curators {
		if c.UserID != v.UserID {
			out = append(out, component.Option{Value: strconv.FormatInt(c.UserID, 10), Label: c.Name})
		}
	}
	return out
}

func appPath(v ReviewView) string {
	return "/curation/applications/" + strconv.FormatInt(v.Case.AppID, 10)
}

func orName(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func choice(ctx context.Context, prefix, v string) string {
	if v == "" {
		return "—"
	}
	return i18n.T(ctx, prefix+v)
}

func joinOr(xs []string) string {
	if len(xs) == 0 {
		return "—"
	}
	return strings.Join(xs, ", ")
}

// answers are the choices for a checklist item: a gate cannot be
// not-applicable.
func answers(gate bool) []string {
	if gate {
		return []string{"pass", "fail"}
	}
	return []string{"pass", "fail", "na"}
}

func changeLabel(ctx context.Context, c domain.Change, names map[string]string) string {
	switch c.Target {
	case "field":
		return i18n.T(ctx, "field."+c.Key)
	case "product":
		if n, ok := names[c.Key]; ok {
			return n
		}
	case "document":
		return i18n.T(ctx, "document.kind."+c.Key)
	}
	return c.Key
}
