package i18n

// uploadEN is the English catalogue of uploads: limits, quota, images.
var uploadEN = map[string]string{
	"error.upload_quota":   "Your business's document storage is full: this file does not fit. Remove documents you no longer need, then upload again.",
	"error.image_pixels":   "The image is too large: 16 megapixels at most (e.g. 4608×3456 pixels). Choose a smaller photo size in the camera settings or shrink the photo, then upload again.",
	"error.pdf_incomplete": "This PDF is incomplete: its end is missing, perhaps because saving or uploading was interrupted. Save the PDF again, then upload it again.",

	"error.page.upload_busy.title":  "The server is busy receiving files",
	"error.page.upload_busy.text":   "Many files are being uploaded at once, so yours was not received. Nothing was saved.",
	"error.page.upload_busy.detail": "Go back to the previous page and upload again in %d seconds.",

	// One file, several kinds; the limit beside the field; refusals that
	// keep the reader on the form.
	"upload.error.kind_required":         "Choose the kind of document.",
	"upload.error.too_large":             "The file is too large: %s is %s, and the limit is %s per file. Make it smaller (for example, scan it again at a lower resolution or choose a smaller photo size), then choose it again.",
	"upload.the_file":                    "the file you chose",
	"upload.hint.production_certificate": "Products that need a distribution permit (%s) also need a production certificate: CPAKB for medical devices, CPPKRTB for household health supplies. Upload it as “Production certificate”.",
	"upload.hint.file":                   "PDF, JPG, PNG or WebP, at most %s per file.",
	"upload.hint.quota":                  "Your business's document storage: %s at most, %s left.",
	"upload.chosen_file":                 "File chosen: %s — choose this file again: the browser cannot fill it in for you.",
	"upload.kinds.legend":                "This file also contains (if any)",
	"upload.kinds.hint":                  "One scan often holds several documents, for example the NIB and the NPWP. Tick every one that is also in this file: each kind is recorded as a document of its own.",
	"upload.flash.added_kinds":           "File uploaded as %d documents.",
	"upload.back_to_documents":           "Back to the documents",
}
