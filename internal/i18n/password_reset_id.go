package i18n

// passwordResetID is the Indonesian catalogue of what the password forms
// share beyond the reset itself (whose pages are in hardeningID): the box
// that shows a typed password, and the way back from a dead link.
var passwordResetID = map[string]string{
	"password.toggle.show":     "Tampilkan kata sandi",
	"password.reset.ask_again": "Minta tautan baru",
}
