package supplier

import "errors"

// Status is where an application stands.
type Status string

// The statuses of DESIGN.md's state machine.
const (
	StatusDraft             Status = "draft"
	StatusSubmitted         Status = "submitted"
	StatusInReview          Status = "in_review"
	StatusRevisionRequested Status = "revision_requested"
	StatusCurated           Status = "curated"
	StatusRejected          Status = "rejected"
	StatusSuspended         Status = "suspended"
)

// Statuses lists every status in the order of the journey.
var Statuses = []Status{StatusDraft, StatusSubmitted, StatusInReview, StatusRevisionRequested,
	StatusCurated, StatusRejected, StatusSuspended}

// transitions is the state machine: draft -> submitted -> in_review ->
// (revision_requested -> submitted -> in_review)* -> curated | rejected;
// curated <-> suspended.
var transitions = map[Status][]Status{
	StatusDraft:             {StatusSubmitted},
	StatusSubmitted:         {StatusInReview},
	StatusInReview:          {StatusRevisionRequested, StatusCurated, StatusRejected},
	StatusRevisionRequested: {StatusSubmitted},
	StatusCurated:           {StatusSuspended},
	StatusSuspended:         {StatusCurated},
}

// CanBecome reports whether the state machine allows s -> to.
func (s Status) CanBecome(to Status) bool {
	for _, t := range transitions[s] {
		if t == to {
			return true
		}
	}
	return false
}

// From lists the statuses from which to can be reached.
func From(to Status) []string {
	var out []string
	for _, s := range Statuses {
		if s.CanBecome(to) {
			out = append(out, string(s))
		}
	}
	return out
}

// Editable reports whether the supplier may change the profile, products and
// documents: only before submission and when a revision was asked for.
func (s Status) Editable() bool { return s == StatusDraft || s == StatusRevisionRequested }

// Errors of the application's state machine.
var (
	// ErrNotEditable means the application is with the curators.
	ErrNotEditable = errors.New("supplier: application not editable in its status")
	// ErrIncomplete means a submission lacks something; see Readiness.
	ErrIncomplete = errors.New("supplier: application incomplete")
	// ErrTransition means the state machine does not allow the change.
	ErrTransition = errors.New("supplier: transition not allowed")
)
