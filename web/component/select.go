package component

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

// SelectField describes a select.
type SelectField struct {
	Name     string
	LabelKey string
	HintKey  string
	// Empty is the i18n key of a first, empty choice ("" for none).
	Empty   string
	Options []Option
	Groups  []OptGroup
	// FilterBy names a select whose value picks the group shown (with JS).
	FilterBy string
}

// TextArea describes a textarea.
type TextArea struct {
	Name      string
	LabelKey  string
	HintKey   string
	MaxLength int
	Rows      int
}
