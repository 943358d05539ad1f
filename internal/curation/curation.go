// Package curation is where curators decide on applications: assignment of
// applications to curator organisations, the queue, reviews against the
// versioned checklists, decisions with their audit trail, samples,
// conflicts of interest, certificates, suspension, and the time it all
// takes.
package curation

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/notify"
	"pasokan/internal/supplier"
)

// Errors of curation.
var (
	// ErrConflictOfInterest means the curator declared a conflict with the
	// applicant, or belongs to the applicant's organisation.
	ErrConflictOfInterest = errors.New("curation: conflict of interest")
	// ErrGateFailed means a must-pass checklist item failed, so the
	// application (or every product) cannot be curated.
	ErrGateFailed = errors.New("curation: a gate item failed")
	// ErrNotLead means only a lead curator may do this.
	ErrNotLead = errors.New("curation: lead curators only")
	// ErrClaimedByOther means another curator claimed the application: only
	// they, or a lead, decide it.
	ErrClaimedByOther = errors.New("curation: claimed by another curator")
)

// Store is the repository of curation.
type Store struct {
	db         *database.DB
	checklists *Checklists
	outbox     *notify.Outbox
	log        *slog.Logger
	baseURL    string
}

// NewStore returns a Store; its notifications go through outbox.
func NewStore(db *database.DB, outbox *notify.Outbox, log *slog.Logger, baseURL string) *Store {
	return &Store{db: db, checklists: NewChecklists(db), outbox: outbox, log: log, baseURL: strings.TrimRight(baseURL, "/")}
}

// Checklists returns the checklists the store decides with.
func (s *Store) Checklists() *Checklists { return s.checklists }

// isCurator reports whether a acts for a curator organisation.
func isCurator(a account.Actor) bool { return a.Kind == account.KindCurator }

// isLead reports whether a may assign work in their curator organisation.
func isLead(a account.Actor) bool {
	return isCurator(a) && (a.Role == account.RoleLead || a.Role == account.RoleOwner || a.Role == account.RoleAdmin)
}

// event appends an application event inside tx, through the package that
// owns the timeline.
func event(ctx context.Context, tx pgx.Tx, a account.Actor, appID, orgID int64, action string, version int, reason string, detail map[string]any) error {
	return supplier.RecordEvent(ctx, tx, a, appID, orgID, action, version, reason, detail)
}
