package i18n

// hardeningID is the Indonesian catalogue of throttling, sessions and outages.
var hardeningID = map[string]string{}
