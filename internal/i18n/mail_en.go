package i18n

// mailEN is the English catalogue of e-mail delivery and the mailbox.
var mailEN = map[string]string{}
