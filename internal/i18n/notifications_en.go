package i18n

// notificationsEN is the English catalogue of the notifications page
// (GET /notifications), the navigation's count, and the sample request
// that tells a supplier what to send, where and by when.
var notificationsEN = map[string]string{
	"nav.notifications":        "Notifications",
	"nav.notifications_unread": "Notifications (%s)",

	"notifications.title":         "Notifications",
	"notifications.lead":          "News for you and your organisation, newest first. Notifications you have not read are marked “Unread”; once this page has been opened, the notifications it shows count as read.",
	"notifications.empty":         "No notifications yet. News about your application, curation and orders will appear here.",
	"notifications.empty_older":   "There are no older notifications.",
	"notifications.list":          "Notifications",
	"notifications.unread":        "Unread",
	"notifications.new_count":     "New since you last opened this page: %s.",
	"notifications.unread_left":   "There are still unread notifications (%s) on other pages.",
	"notifications.mark_all_read": "Mark all as read",
	"notifications.newest":        "To the newest notifications",
	"flash.notifications_read":    "Marked as read: %d.",

	// The sample request: the form on the review page, what the review
	// page shows of each sample, and what the supplier is told. The
	// notification's arguments are what to send in Indonesian and in
	// English, the address, and the last day in Indonesian and in English
	// (curation.RequestSample): each language picks its own.
	"field.send_to":            "Send to",
	"hint.send_to":             "The recipient's name, the full address and a phone number the courier can call.",
	"field.due_on":             "Must arrive by",
	"curation.sample_send_to":  "send to %s",
	"curation.sample_due":      "to arrive by %s",
	"error.sample_send_to":     "Write where the sample goes: the recipient's name, the full address and a phone number (10 to 500 characters). Nothing was saved.",
	"error.sample_due_invalid": "Choose the date by which the sample must arrive. Nothing was saved.",
	"error.sample_due_past":    "A sample can be due tomorrow at the earliest. Nothing was saved.",
	"error.sample_due_far":     "A sample can be due at most 90 days from today. Nothing was saved.",

	"notification.sample_requested":  "The curator asks for a physical sample: %[2]s. Send it to %[3]s, to arrive by %[5]s.",
	"email.sample_requested.subject": "The curator asks your business for a physical sample",
	"email.sample_requested.body":    "Hello %[1]s,\n\nThe curator checking your application asks for a physical sample.\n\nWhat to send: %[4]s\nSend it to: %[5]s\nTo arrive by: %[7]s\n\nA sample that arrives late, or not at all, may keep that product from passing curation. The details are on your application:\n%[2]s\n\nRegards,\nPasokan",
}
