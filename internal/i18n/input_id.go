package i18n

// inputID is the Indonesian catalogue of input checks (bad bytes, control characters, references).
var inputID = map[string]string{}
