package i18n

// mailID is the Indonesian catalogue of e-mail delivery and the mailbox.
var mailID = map[string]string{}
