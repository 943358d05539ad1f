package i18n

// uploadID is the Indonesian catalogue of uploads: limits, quota, images.
var uploadID = map[string]string{}
