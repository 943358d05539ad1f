package i18n

// passwordResetEN is the English catalogue of what the password forms share
// beyond the reset itself (whose pages are in hardeningEN): the box that
// shows a typed password, and the way back from a dead link.
var passwordResetEN = map[string]string{
	"password.toggle.show":     "Show password",
	"password.reset.ask_again": "Ask for a new link",
}
