package supplier

import (
	"context"

	domain "pasokan/internal/supplier"
	"pasokan/web/layout"
)

// A task list (the GOV.UK pattern) of the application: the business
// profile, the products, the documents, and sending it. Each task has a
// permanent link and a status; flagged tasks count the curator's requests
// still unchanged.

// Task is one step of the application.
type Task struct {
	// Key names the task: profile, products, documents, submit.
	Key  string
	Href string
	// Status is done, todo, revise (flags unchanged), changed (every flag
	// changed), ready, blocked (cannot be sent yet), sent, curated,
	// closed (rejected or suspended).
	Status string
	// Unchanged counts the task's flags not changed yet.
	Unchanged int
}

// Tasks lists the application's tasks for its status and what it lacks;
// confirmed says whether the person's e-mail address is confirmed (the
// application is sent only then).
func Tasks(app domain.Application, r domain.Readiness, confirmed bool) []Task {
	flagged := func(targets ...string) (n, unchanged int) {
		for _, f := range app.Flags {
			for _, t := range targets {
				if f.Target == t {
					n++
					if !f.Changed {
						unchanged++
					}
				}
			}
		}
		return n, unchanged
	}
	step := func(key, href string, missing bool, targets ...string) Task {
		t := Task{Key: key, Href: href, Status: "done"}
		n, u := flagged(targets...)
		switch {
		case u > 0:
			t.Status, t.Unchanged = "revise", u
		case n > 0:
			t.Status = "changed"
		case missing && app.Status.Editable():
			t.Status = "todo"
		}
		return t
	}
	tasks := []Task{
		step("profile", "/supplier/profile", len(r.ProfileMissing) > 0, "field"),
		step("products", "/supplier/application#products", r.NoProduct, "product"),
		step("documents", "/supplier/application#documents", r.NoNIBDocument || r.NoPhoto, "document"),
	}
	send := Task{Key: "submit", Href: "/supplier/application#submit"}
	switch app.Status {
	case domain.StatusDraft, domain.StatusRevisionRequested:
		send.Status = "blocked"
		switch {
		case !confirmed:
			// The one step only the person's inbox can do: it leads to the
			// notice with the button for a new link.
			send.Status, send.Href = "confirm_email", "#"+ConfirmEmailID
		case r.Ready() && domain.Unchanged(app.Flags) == 0:
			send.Status = "ready"
		}
	case domain.StatusSubmitted, domain.StatusInReview:
		send.Status = "sent"
	case domain.StatusCurated:
		send.Status = "curated"
	default:
		send.Status = "closed"
	}
	return append(tasks, send)
}

// CanSubmit says whether the application may be sent now: everything is
// there, after a revision request every flagged item changed, and the
// person's e-mail address is confirmed.
func CanSubmit(app domain.Application, r domain.Readiness, confirmed bool) bool {
	return confirmed && app.Status.Editable() && r.Ready() && domain.Unchanged(app.Flags) == 0
}

// ConfirmEmailID is the id of the notice that asks to confirm the e-mail
// address, with its button for a new link.
const ConfirmEmailID = "confirm-email"

// EmailConfirmed reports whether the person reading has confirmed their
// e-mail address (a visitor, or a page drawn without a person, counts as
// confirmed: there is nothing to ask of them).
func EmailConfirmed(ctx context.Context) bool {
	u := layout.ChromeFrom(ctx).User
	return u == nil || u.Actor.EmailConfirmed
}

// submitErrorHref is where the submission error at the top of the
// application leads: the confirmation notice for an unconfirmed address,
// else the task list.
func submitErrorHref(key string) string {
	if key == ErrEmailUnconfirmed {
		return "#" + ConfirmEmailID
	}
	return "#tasks-heading"
}

// ErrEmailUnconfirmed is the submission error (an i18n key) of an
// application whose sender has not confirmed their e-mail address.
const ErrEmailUnconfirmed = "error.email_unconfirmed"

// FlagsOf are the flags of one target kind ("field", "product",
// "document").
func FlagsOf(flags []domain.Flag, target string) []domain.Flag {
	var out []domain.Flag
	for _, f := range flags {
		if f.Target == target {
			out = append(out, f)
		}
	}
	return out
}

// FlagFor is the flag on one field, product or document kind, if any.
func FlagFor(flags []domain.Flag, target, key string) (domain.Flag, bool) {
	for _, f := range flags {
		if f.Target == target && f.TargetKey == key {
			return f, true
		}
	}
	return domain.Flag{}, false
}
