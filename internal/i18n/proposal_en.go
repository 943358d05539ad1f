package i18n

// proposalEN is the English catalogue of what curated suppliers propose to
// their curators (a new product, new permits) and the curators' decisions
// on it.
var proposalEN = map[string]string{
	"event.application.product_proposed":    "New product proposed for curation",
	"event.application.permits_proposed":    "New permits proposed for curation",
	"event.application.product_curated":     "Additional product curated",
	"event.application.product_not_curated": "Additional product not curated",
	"event.application.permits_accepted":    "New permits accepted by the curator",
	"event.application.proposal_refused":    "Proposal not accepted by the curator",
	"notification.product_proposed":         "A curated supplier proposed a new product or new permits. Decide from the curation queue.",
	"notification.product_curated":          "Your additional product passed curation and is now in the catalogue.",
	"notification.permits_accepted":         "Your new permits were accepted and are now in the catalogue.",
	"notification.proposal_refused":         "The curator did not accept your proposal. The reason is in the application's history.",
	"email.product_curated.subject":         "Your additional product passed Pasokan curation",
	"email.product_curated.body":            "Hello %s,\n\nYour additional product passed curation and now appears in the buyers' catalogue. The curation certificate was renewed. See your listing at:\n%s\n\nRegards,\nPasokan",
	"email.permits_accepted.subject":        "The Pasokan curator accepted your new permits",
	"email.permits_accepted.body":           "Hello %s,\n\nThe curator accepted your product's new permits; they now appear in the buyers' catalogue. See your listing at:\n%s\n\nRegards,\nPasokan",
	"email.proposal_refused.subject":        "The Pasokan curator did not accept your proposal",
	"email.proposal_refused.body":           "Hello %s,\n\nThe curator did not accept your proposed product or permits. Your other products stay in the catalogue. The reason and what to do next are at:\n%s\n\nRegards,\nPasokan",
	"error.product_already_curated":         "This product is curated with these permits already. Capacity, lead time and prices are changed on your listing directly, without curation.",
}
