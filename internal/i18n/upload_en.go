package i18n

// uploadEN is the English catalogue of uploads: limits, quota, images.
var uploadEN = map[string]string{
	"error.upload_quota":   "Your business's document storage is full: this file does not fit. Remove documents you no longer need, then upload again.",
	"error.image_pixels":   "The image is too large: 16 megapixels at most (e.g. 4608×3456 pixels). Choose a smaller photo size in the camera settings or shrink the photo, then upload again.",
	"error.pdf_incomplete": "This PDF is incomplete: its end is missing, perhaps because saving or uploading was interrupted. Save the PDF again, then upload it again.",
	"hint.upload_quota":    "Your business's document storage: %d MB at most, %s left.",

	"error.page.upload_busy.title":  "The server is busy receiving files",
	"error.page.upload_busy.text":   "Many files are being uploaded at once, so yours was not received. Nothing was saved.",
	"error.page.upload_busy.detail": "Go back to the previous page and upload again in %d seconds.",
}
