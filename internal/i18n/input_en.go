package i18n

// inputEN is the English catalogue of input checks (bad bytes, control characters, references).
var inputEN = map[string]string{
	"error.text_encoding":          "This field holds characters that cannot be read. Clear it and type it again.",
	"error.text_control":           "Write it on one line, without line breaks, tabs or other control characters.",
	"error.text_control_multiline": "This field holds invisible control characters. Clear it and type it again.",
	"error.npwp_placeholder":       "NPWP 00.000.000.0-000.000 only stands in for a missing NPWP. Enter your business's real NPWP.",
	"error.page.input.title":       "Some of what you sent cannot be read",
	"error.page.input.text":        "A field holds characters that cannot be read. Nothing was saved. Go back, type it again and send it once more.",
	"error.page.bad_address.title": "The address cannot be read",
	"error.page.bad_address.text":  "This page's address holds characters that cannot be read. Check the link, or open the page from the menu.",
	"error.page.422.title":         "What you sent cannot be saved",
	"error.page.422.text":          "A field refers to something that does not exist or is out of range. Nothing was saved. Go back, check your choices and try again.",
}
