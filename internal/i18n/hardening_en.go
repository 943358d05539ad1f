package i18n

// hardeningEN is the English catalogue of throttling, sessions and outages.
var hardeningEN = map[string]string{
	"error.page.busy.title":        "The server is busy",
	"error.page.busy.text":         "Many people are logging in or signing up at the same moment. Wait a few seconds, then send again. What you typed has not been saved yet.",
	"error.page.unavailable.title": "The service is recovering",
	"error.page.unavailable.text":  "Pasokan's database is restarting or cannot be reached. Wait a few seconds, then reload this page. If you were sending a form, send it again once the page is back.",
	"error.page.429.title":         "Too many attempts",
	"error.page.429.text":          "For your security, requests from this network or account are held back for a while.",
	"error.page.429.detail":        "Try again in %d minutes.",
	"error.page.done.title":        "Saved",
	"error.page.done.text":         "Your request was processed and saved, but the next page cannot be shown yet. There is no need to send it again.",
	"error.page.not_done.title":    "Not processed",
	"error.page.not_done.text":     "Your request was not processed. The reason:",
	"errorpage.continue":           "Continue",

	"register.throttled":              "Too many sign-up attempts from your network. Try again in %d minutes. If you already have an account, log in instead.",
	"flash.password_change_throttled": "The current password was wrong too many times. For your security, this session has ended. Log in again to continue.",
	"error.claimed_by_other":          "Another curator has claimed this application, so only they or a lead curator can decide it. Your decision was not saved. Ask a lead curator if it should be moved.",
}
