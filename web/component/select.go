package component

import (
	"context"
	"html"
	"strings"

	"pasokan/internal/i18n"
)

// Option is one choice of a select; Label is already translated.
type Option struct {
	Value string
	Label string
}

// OptGroup is a labelled group of options.
type OptGroup struct {
	Label   string
	Value   string // data-group, for the script that filters groups
	Options []Option
}

// PrerenderedGroups are a long select's option groups drawn once: a page
// marks the chosen option in the drawn text instead of drawing hundreds of
// options per request (the 514 regencies cost about 1 ms of CPU a page).
type PrerenderedGroups struct{ html string }

// PrerenderGroups draws groups as Select would.
func PrerenderGroups(groups []OptGroup) *PrerenderedGroups {
	var b strings.Builder
	for _, g := range groups {
		b.WriteString(`<optgroup label="` + html.EscapeString(g.Label) + `" data-group="` + html.EscapeString(g.Value) + `">`)
		for _, o := range g.Options {
			b.WriteString(`<option value="` + html.EscapeString(o.Value) + `">` + html.EscapeString(o.Label) + `</option>`)
		}
		b.WriteString(`</optgroup>`)
	}
	return &PrerenderedGroups{html: b.String()}
}

// with returns the drawn groups with value chosen.
func (p *PrerenderedGroups) with(value string) string {
	if value == "" {
		return p.html
	}
	v := html.EscapeString(value)
	return strings.Replace(p.html, `<option value="`+v+`">`, `<option value="`+v+`" selected>`, 1)
}

// SelectField describes a select.
type SelectField struct {
	Name string
	// Key is as Field's.
	Key      string
	LabelKey string
	HintKey  string
	// Empty is the i18n key of a first, empty choice ("" for none).
	Empty   string
	Options []Option
	Groups  []OptGroup
	// Prerendered, when set, stands for Groups, drawn once.
	Prerendered *PrerenderedGroups
	// FilterBy names a select whose value picks the group shown (with JS).
	FilterBy string
}

// TextArea describes a textarea.
type TextArea struct {
	Name string
	// Key is as Field's.
	Key       string
	LabelKey  string
	HintKey   string
	MaxLength int
	Rows      int
}

func (fd SelectField) key() string {
	if fd.Key != "" {
		return fd.Key
	}
	return fd.Name
}

func (fd TextArea) key() string {
	if fd.Key != "" {
		return fd.Key
	}
	return fd.Name
}

// Choices are the options of values whose labels are the messages
// prefix+value in the reader's language.
func Choices(ctx context.Context, prefix string, values []string) []Option {
	out := make([]Option, len(values))
	for i, v := range values {
		out[i] = Option{Value: v, Label: i18n.T(ctx, prefix+v)}
	}
	return out
}
