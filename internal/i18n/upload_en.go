package i18n

// uploadEN is the English catalogue of uploads: limits, quota, images.
var uploadEN = map[string]string{
	"error.upload_quota": "Your business's document storage is full: this file does not fit. Remove documents you no longer need, then upload again.",
	"hint.upload_quota":  "Your business's document storage: %d MB at most, %s left.",

	"error.page.upload_busy.title":  "The server is busy receiving files",
	"error.page.upload_busy.text":   "Many files are being uploaded at once, so yours was not received. Nothing was saved.",
	"error.page.upload_busy.detail": "Go back to the previous page and upload again in %d seconds.",
}
