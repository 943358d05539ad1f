package i18n

// layoutEN is the English catalogue of the page frame's phone menu.
var layoutEN = map[string]string{
	"layout.menu":        "Menu",
	"layout.menu_unread": "(%s unread)",
	"layout.menu_close":  "Close menu",
	"layout.description": "Pasokan: the Ministry of Cooperatives and SMEs' portal where small businesses and cooperatives making PPE, masks and hand sanitizer register, are curated and are found by buyers.",
}
