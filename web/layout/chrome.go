// Package layout draws the frame of every page: head, header with navigation,
// language and organisation switchers, flash messages, footer. What it needs
// about the request comes from the Chrome the server puts in the context.
package layout

import (
	"context"
	"strconv"

	"pasokan/internal/account"
	"pasokan/internal/i18n"
	"pasokan/internal/notify"
)

// Chrome is the request-wide part of every page.
type Chrome struct {
	// Path is the current path, to mark the current navigation item.
	Path string
	// User is the person logged in, nil for visitors.
	User *User
	// Flash is a one-time message from the previous request.
	Flash *Flash
	// DevMailbox says whether the development mailbox page exists.
	DevMailbox bool
	// Unread counts the person's unread notifications, up to
	// notify.UnreadCap, for the navigation.
	Unread int
	// Refused says the page answers a form it refused (422, or 413 for an
	// upload over the limit): its title begins with "Galat:", as the
	// GOV.UK error summary asks, so that a screen reader says so first.
	Refused bool
}

// User is the logged-in person, acting for one organisation.
type User struct {
	Name        string
	Actor       account.Actor
	Memberships []account.Membership
}

// Flash is a one-time message. Kind is "success", "error" or "info"; Key
// is an i18n key.
type Flash struct {
	Kind string
	Key  string
	Args []any
}

type chromeKey struct{}

// WithChrome returns ctx carrying c.
func WithChrome(ctx context.Context, c *Chrome) context.Context {
	return context.WithValue(ctx, chromeKey{}, c)
}

// ChromeFrom returns the Chrome of ctx (an empty one when none was set).
func ChromeFrom(ctx context.Context) *Chrome {
	if c, ok := ctx.Value(chromeKey{}).(*Chrome); ok && c != nil {
		return c
	}
	return &Chrome{}
}

// NavItem is one link of the main navigation.
type NavItem struct {
	Href string
	Key  string
}

// Nav returns the navigation for the visitor or the acting organisation's kind.
func (c *Chrome) Nav() []NavItem {
	if c.User == nil {
		return []NavItem{{"/", "nav.home"}, {"/directory", "nav.directory"}, {"/login", "nav.login"}, {"/register", "nav.register"}}
	}
	var items []NavItem
	switch c.User.Actor.Kind {
	case account.KindSupplier:
		items = []NavItem{{"/supplier", "nav.supplier_dashboard"}, {"/supplier/orders", "nav.supplier_orders"},
			{"/supplier/materials", "nav.materials"}, {"/supplier/permits", "nav.permits"}}
	case account.KindCurator:
		items = []NavItem{{"/curation", "nav.curation"}}
	case account.KindBuyer:
		items = []NavItem{{"/catalog", "nav.catalog"}, {"/buyer/demands", "nav.demands"}, {"/buyer/orders", "nav.buyer_orders"}}
	case account.KindMinistry:
		items = []NavItem{{"/admin", "nav.admin"}, {"/admin/organizations", "nav.admin_organizations"},
			{"/admin/demands", "nav.demands"}, {"/admin/orders", "nav.buyer_orders"}, {"/admin/materials", "nav.materials"},
			{"/admin/permits", "nav.permits"}}
		if c.DevMailbox {
			items = append(items, NavItem{"/admin/outbox", "nav.admin_outbox"})
		}
	}
	return append(items, NavItem{NotificationsPath, "nav.notifications"}, NavItem{"/organization", "nav.organization"},
		NavItem{"/account", "nav.account"})
}

// NotificationsPath is the page of the person's notifications.
const NotificationsPath = "/notifications"

// NavLabel is item's text: the notifications' item carries the unread
// count, "Notifikasi (3)", "9+" past what is counted.
func (c *Chrome) NavLabel(ctx context.Context, item NavItem) string {
	if item.Href != NotificationsPath || c.Unread <= 0 {
		return i18n.T(ctx, item.Key)
	}
	return i18n.T(ctx, "nav.notifications_unread", UnreadLabel(c.Unread))
}

// UnreadLabel writes an unread count as counted up to notify.UnreadCap:
// "3", or "9+" when the count reached the cap.
func UnreadLabel(n int) string {
	if n >= notify.UnreadCap {
		return strconv.Itoa(notify.UnreadCap-1) + "+"
	}
	return strconv.Itoa(n)
}

// Current reports whether href is the current page.
func (c *Chrome) Current(href string) bool { return c.Path == href }

// Lang is the language of the page.
func Lang(ctx context.Context) string { return string(i18n.LangFrom(ctx)) }

// OtherLangs lists the languages the page can switch to.
func OtherLangs(ctx context.Context) []i18n.Lang {
	cur := i18n.LangFrom(ctx)
	var out []i18n.Lang
	for _, l := range i18n.Langs {
		if l != cur {
			out = append(out, l)
		}
	}
	return out
}
