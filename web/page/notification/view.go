// Package notification draws the page of a person's notifications.
package notification

import (
	"strconv"

	"pasokan/internal/notify"
)

// View is a page of the reader's notifications.
type View struct {
	Page notify.Page
	// Before is the cursor the page was asked for: 0 for the newest.
	Before int64
}

// NextPage is the address of the next, older page.
func (v View) NextPage() string {
	return "/notifications?before=" + strconv.FormatInt(v.Page.Next, 10)
}

// New counts the notifications that were unread until this page showed
// them.
func (v View) New() int {
	n := 0
	for _, x := range v.Page.Notifications {
		if !x.Read {
			n++
		}
	}
	return n
}

// Href follows n to what it is about, through the page that marks it read
// (GET /notifications/{id}).
func Href(n notify.Notification) string {
	return "/notifications/" + strconv.FormatInt(n.ID, 10)
}
