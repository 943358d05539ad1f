// Package component holds the small pieces pages are made of: form fields
// that render their own label, hint and error, and error summaries.
package component

import "pasokan/internal/validation"

// Form is what a page's form needs to redraw itself: the values typed and
// the field errors (i18n keys).
type Form struct {
	Values map[string]string
	Errors validation.Errors
	// Order is the form's fields in the order the page draws them: the
	// error summary lists its errors in that order (fields it does not
	// name come after, by name).
	Order []string
}

// NewForm returns an empty form.
func NewForm() Form { return Form{Values: map[string]string{}, Errors: validation.Errors{}} }

// Value returns the typed value of field.
func (f Form) Value(field string) string { return f.Values[field] }

// Error returns the i18n key of field's error, or "".
func (f Form) Error(field string) string { return f.Errors[field] }

// Field describes one input.
type Field struct {
	Name string
	// Key names the field in the form's values and errors and in its id,
	// when it differs from Name: a field repeated once per row (each
	// site's site_quantity is site_quantity_1, site_quantity_2...).
	Key          string
	Type         string // text, email, password, number...
	LabelKey     string
	HintKey      string
	Autocomplete string
	Required     bool
	MaxLength    int
	// Keep says whether to put the typed value back (never for passwords).
	Keep bool
	// InputMode picks the phone keyboard: numeric, tel, email...
	InputMode string
	// Placeholder shows the expected shape, e.g. 99.999.999.9-999.999.
	Placeholder string
	// Accept lists the file types a file input offers.
	Accept string
}

func (fd Field) key() string {
	if fd.Key != "" {
		return fd.Key
	}
	return fd.Name
}
