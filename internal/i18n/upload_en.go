package i18n

// uploadEN is the English catalogue of uploads: limits, quota, images.
var uploadEN = map[string]string{}
