package i18n

// layoutID is the Indonesian catalogue of the page frame's phone menu.
var layoutID = map[string]string{
	"layout.menu":        "Menu",
	"layout.menu_unread": "(%s belum dibaca)",
	"layout.menu_close":  "Tutup menu",
}
