package i18n

// inputEN is the English catalogue of input checks (bad bytes, control characters, references).
var inputEN = map[string]string{}
