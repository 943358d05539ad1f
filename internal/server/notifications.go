package server

import (
	"net/http"
	"strconv"

	"pasokan/web/layout"
	notifpage "pasokan/web/page/notification"
)

// The notifications of whoever is logged in, for every kind of
// organisation: package notify reads them and records what was read; these
// handlers read the cursor and the form and draw the page.

// notificationsPage shows a page of the actor's notifications, newest
// first, and marks what it shows as read: the page draws them as they were,
// so the new ones are marked this once.
func (s *Server) notificationsPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	// A malformed cursor is the first page, as in the order lists.
	before, err := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	if err != nil || before < 0 {
		before = 0
	}
	page, err := s.Inbox.Page(ctx, a.Scope(), before)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	// The count came with the session, before this page read what it shows.
	layout.ChromeFrom(ctx).Unread = page.Unread
	s.render(w, r, http.StatusOK, notifpage.List(notifpage.View{Page: page, Before: before}))
}

// followNotification marks one of the actor's notifications read and sends
// them to what it is about: a plain link, so it works without JavaScript.
// Another organisation's notification (or another member's) is a 404.
func (s *Server) followNotification(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	id, ok := idParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	link, err := s.Inbox.Follow(ctx, a.Scope(), id)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	// Links are written by the portal's own code; one that is not a path
	// on this site is not followed all the same.
	if link = safeNext(link); link == "" {
		link = layout.NotificationsPath
	}
	http.Redirect(w, r, link, http.StatusSeeOther)
}

// markNotificationsRead marks every unread notification up to up_to (the
// newest the page showed) as read: one that arrived since stays unread.
func (s *Server) markNotificationsRead(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r, "up_to")
	if !ok {
		return
	}
	upTo, err := strconv.ParseInt(f.Value("up_to"), 10, 64)
	if err != nil || upTo <= 0 {
		s.errorPage(w, r, http.StatusUnprocessableEntity, "error.page.422")
		return
	}
	ctx := r.Context()
	a, _ := actorFrom(ctx)
	n, err := s.Inbox.MarkAllRead(ctx, a.Scope(), upTo)
	if err != nil {
		s.domainError(w, r, err)
		return
	}
	s.flashN(ctx, "success", "flash.notifications_read", int(n))
	http.Redirect(w, r, layout.NotificationsPath, http.StatusSeeOther)
}
