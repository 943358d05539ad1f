package i18n

// hardeningEN is the English catalogue of throttling, sessions and outages.
var hardeningEN = map[string]string{}
