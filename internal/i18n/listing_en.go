package i18n

// listingEN is the English catalogue of the reminders that keep a listing
// current.
var listingEN = map[string]string{
	"notification.listing_confirm":  "Your listing has not been confirmed for 60 days. Check capacity, prices and contacts, then confirm it to stay in the catalogue.",
	"notification.listing_lapsed":   "Your listing was not confirmed for 90 days and is out of the catalogue for now. Confirm it with one click to return.",
	"email.listing_confirm.subject": "Is your Pasokan listing still right?",
	"email.listing_confirm.body":    "Hello %s,\n\nYour listing in the Pasokan catalogue has not been confirmed for 60 days. Buyers order by the capacity, prices and contacts you wrote. Check and confirm them at:\n%s\n\nWithout a confirmation, after 90 days your listing leaves the catalogue until you confirm it.\n\nRegards,\nPasokan",
	"email.listing_lapsed.subject":  "Your Pasokan listing is out of the catalogue for now",
	"email.listing_lapsed.body":     "Hello %s,\n\nYour listing was not confirmed for 90 days, so it is out of the catalogue and the directory for now. Your curation is unchanged. Confirm it with one click to return:\n%s\n\nRegards,\nPasokan",
}
