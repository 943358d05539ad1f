package i18n

// layoutID is the Indonesian catalogue of the page frame's phone menu.
var layoutID = map[string]string{
	"layout.menu":        "Menu",
	"layout.menu_unread": "(%s belum dibaca)",
	"layout.menu_close":  "Tutup menu",
	"layout.description": "Pasokan: portal Kementerian Koperasi dan UKM tempat UMKM dan koperasi produsen APD, masker, dan hand sanitizer mendaftar, dikurasi, dan ditemukan pembeli.",
}
