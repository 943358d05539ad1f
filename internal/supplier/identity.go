package supplier

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/notify"
	"pasokan/internal/validation"
)

// A curated supplier's identity (legal name, NIB, NPWP) is what it was
// curated under and what its certificate names, so once curated the
// profile no longer changes it: the supplier proposes a new identity to its
// curators (migration 0015, identity_proposals), who accept or refuse it.
// The listing stays in the catalogue meanwhile, unchanged.

// Identity is the part of a profile a curator must accept to change.
type Identity struct {
	LegalName string `db:"legal_name"`
	NIB       string `db:"nib"`
	NPWP      string `db:"npwp"`
}

// IdentityOf is the identity a profile holds.
func IdentityOf(p Profile) Identity {
	return Identity{LegalName: p.LegalName, NIB: p.NIB, NPWP: p.NPWP}
}

// Input returns the identity as form values, formatted for people.
func (id Identity) Input() map[string]string {
	return map[string]string{"legal_name": id.LegalName, "nib": id.NIB, "npwp": FormatNPWP(id.NPWP)}
}

// detail is the identity as an event's detail records it.
func (id Identity) detail() map[string]any {
	return map[string]any{"legal_name": id.LegalName, "nib": id.NIB, "npwp": id.NPWP}
}

// IdentityFields are the identity form's field names, in order (the same
// names as the profile's).
var IdentityFields = []string{"legal_name", "nib", "npwp"}

// IdentityInput is the identity change form as typed.
type IdentityInput struct {
	LegalName, NIB, NPWP string
}

// Parse checks a proposed identity with the profile's rules; all three are
// needed (a curated supplier has all three).
func (in IdentityInput) Parse() (Identity, validation.Errors) {
	errs := validation.Errors{}
	var id Identity
	id.LegalName = errs.SingleLine("legal_name", in.LegalName, 2, 200, "error.legal_name_required")
	errs.Clean(map[string]string{"nib": in.NIB, "npwp": in.NPWP})
	id.NIB = parseNIB(errs, in.NIB)
	id.NPWP = parseNPWP(errs, in.NPWP)
	return id, errs
}

// parseNIB returns the digits of a typed NIB, recording on field nib why
// it is not one.
func parseNIB(errs validation.Errors, s string) string {
	d, ok := NormalizeNIB(s)
	if !ok {
		errs.Add("nib", "error.nib_invalid")
	}
	return d
}

// parseNPWP returns the digits of a typed NPWP, recording on field npwp why
// it is not one, in plain words: letters or other signs, too few or too
// many digits, the "no NPWP" placeholder, a check digit that does not match
// (a mistyped digit), or 16 digits that are no NIK.
func parseNPWP(errs validation.Errors, s string) string {
	d, ok := NormalizeNPWP(s)
	if !ok {
		errs.Add("npwp", npwpProblem(s, d))
	}
	return d
}

// npwpProblem is the message key of what is wrong with a typed NPWP (s,
// its digits d) that NormalizeNPWP refused.
func npwpProblem(s, d string) string {
	switch {
	case d == "" && onlySeparators(s):
		return "error.npwp_required"
	case !onlySeparators(s):
		return "error.npwp_characters"
	case len(d) != 15 && len(d) != 16:
		return "error.npwp_length"
	case placeholderNPWP(d):
		return "error.npwp_placeholder"
	case len(d) == 16 && d[0] != '0':
		return "error.npwp_nik"
	}
	return "error.npwp_check"
}

// IdentityProposal is an identity change waiting for the curators of an
// application.
type IdentityProposal struct {
	// ID names this version of the change: a decision names the one it
	// was taken on, and a replaced change has a new one.
	ID            int64 `db:"id"`
	ApplicationID int64 `db:"application_id"`
	OrgID         int64 `db:"organization_id"`
	// Name is the business's name as the queue shows it (empty elsewhere).
	Name string `db:"name"`
	Identity
	ProposedAt time.Time `db:"proposed_at"`
}

// ProposeIdentity sends a curated supplier's new legal name, NIB and NPWP
// to its curators, replacing any change still waiting. Nothing of the
// profile, the certificate or the listing changes until a curator accepts.
// Bad input, or an identity that is the current one, comes back as field
// errors and stores nothing.
func (s *Store) ProposeIdentity(ctx context.Context, a account.Actor, in IdentityInput) (Identity, error) {
	id, errs := in.Parse()
	if errs.Any() {
		return id, errs
	}
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		r, err := activeApplication(ctx, tx, a.OrgID)
		if errors.Is(err, pgx.ErrNoRows) || err == nil && r.Status != StatusCurated {
			return ErrNotCurated
		}
		if err != nil {
			return err
		}
		p, err := profileIn(ctx, tx, a.OrgID)
		if err != nil {
			return err
		}
		if IdentityOf(p) == id {
			return validation.Errors{"legal_name": "error.identity_unchanged"}
		}
		// A new row, with a new id, replaces the change waiting: a curator's
		// decision on the old one is stale.
		if _, err := tx.Exec(ctx, `DELETE FROM identity_proposals WHERE application_id = $1`, r.ID); err != nil {
			return err
		}
		var curatorOrg int64
		if err := tx.QueryRow(ctx, `INSERT INTO identity_proposals (application_id, organization_id, curator_org_id, legal_name,
    nib, npwp, proposed_by)
SELECT a.id, a.organization_id, a.assigned_org_id, $3, $4, $5, $6 FROM applications a WHERE a.id = $1 AND a.organization_id = $2
RETURNING coalesce(curator_org_id, 0)`, r.ID, a.OrgID, id.LegalName, id.NIB, id.NPWP, a.UserID).Scan(&curatorOrg); err != nil {
			return err
		}
		if err := appendEvent(ctx, tx, a, r.ID, a.OrgID, "application.identity_proposed", "", "", r.Version, "",
			map[string]any{"before": IdentityOf(p).detail(), "after": id.detail()}); err != nil {
			return err
		}
		if curatorOrg == 0 {
			return nil
		}
		return s.outbox.Notify(ctx, tx, notify.Notification{OrgID: curatorOrg, Key: "identity_proposed",
			Link: "/curation/applications/" + strconv.FormatInt(r.ID, 10) + "/identity"})
	})
	if err != nil {
		return id, fmt.Errorf("supplier: propose identity of %d: %w", a.OrgID, err)
	}
	return id, nil
}

// identityProposalSelect reads an IdentityProposal by name.
const identityProposalSelect = `SELECT ip.id, ip.application_id, ip.organization_id, '' AS name, ip.legal_name, ip.nib,
       ip.npwp, ip.proposed_at
  FROM identity_proposals ip`

// identityDecisionSQL finds the latest decision on an identity change of
// an organisation's active application, along the application's events.
const identityDecisionSQL = `SELECT e.id, e.action, e.from_status, e.to_status, e.reason,
       coalesce((SELECT u.name FROM users u WHERE u.id = e.actor_user_id), '') AS actor_name, e.occurred_at AS at
  FROM application_events e
 WHERE e.application_id = (SELECT id FROM applications WHERE organization_id = $1 AND programme = $2 AND status <> 'rejected')
   AND e.action IN ('application.identity_accepted', 'application.identity_refused')
 ORDER BY e.id DESC LIMIT 1`

// IdentityState is what a supplier sees of its identity: the identity as
// curated, the change waiting (if any) and the last decision on one (if
// any).
type IdentityState struct {
	Current      Identity
	Status       Status
	Waiting      *IdentityProposal
	LastDecision *Event
}

// MyIdentity returns the actor's organisation's identity, the change it
// proposed that waits for its curators, and the last decision on one.
func (s *Store) MyIdentity(ctx context.Context, a account.Actor) (IdentityState, error) {
	var st IdentityState
	err := s.db.ReadTx(ctx, a.Scope(), func(tx pgx.Tx) error {
		p, err := profileIn(ctx, tx, a.OrgID)
		if err != nil {
			return err
		}
		st.Current = IdentityOf(p)
		r, err := activeApplication(ctx, tx, a.OrgID)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		st.Status = r.Status
		rows, _ := tx.Query(ctx, identityProposalSelect+` WHERE ip.application_id = $1`, r.ID)
		ps, err := database.CollectRows[IdentityProposal](rows)
		if err != nil {
			return err
		}
		if len(ps) == 1 {
			st.Waiting = &ps[0]
		}
		rows, _ = tx.Query(ctx, identityDecisionSQL, a.OrgID, Programme)
		evs, err := database.CollectRows[Event](rows)
		if err != nil {
			return err
		}
		if len(evs) == 1 {
			st.LastDecision = &evs[0]
		}
		return nil
	})
	if err != nil {
		return IdentityState{}, fmt.Errorf("supplier: identity of %d: %w", a.OrgID, err)
	}
	return st, nil
}

// identityProposalsSQL lists the identity changes waiting for a curator
// organisation, oldest first, with the business name from the queue card.
const identityProposalsSQL = `SELECT ip.id, ip.application_id, ip.organization_id,
       coalesce(nullif(c.trading_name, ''), c.name) AS name, ip.legal_name, ip.nib, ip.npwp, ip.proposed_at
  FROM identity_proposals ip
  JOIN queue_cards c ON c.application_id = ip.application_id
 WHERE ip.curator_org_id = $1
 ORDER BY ip.proposed_at, ip.application_id
 LIMIT $2`

// QueueIdentityProposals queues the identity changes waiting for
// curatorOrg (at most limit) into b.
func QueueIdentityProposals(b *pgx.Batch, curatorOrg int64, limit int, out *[]IdentityProposal) {
	b.Queue(identityProposalsSQL, curatorOrg, limit).Query(func(rows pgx.Rows) error {
		var err error
		*out, err = database.CollectRows[IdentityProposal](rows)
		return err
	})
}

// QueueIdentityProposalOf queues the identity change waiting on an
// application (none or one) into b.
func QueueIdentityProposalOf(b *pgx.Batch, appID int64, out *[]IdentityProposal) {
	b.Queue(identityProposalSelect+` WHERE ip.application_id = $1`, appID).Query(func(rows pgx.Rows) error {
		var err error
		*out, err = database.CollectRows[IdentityProposal](rows)
		return err
	})
}

// IdentityProposalOf returns the identity change waiting on an application
// inside tx; pgx.ErrNoRows when none waits. It is not locked: FOR UPDATE
// would need an update policy the curators do not have (they lock the
// application instead), and a change the supplier replaces meanwhile is a
// new row that the curator's statements do not see.
func IdentityProposalOf(ctx context.Context, tx pgx.Tx, appID int64) (IdentityProposal, error) {
	rows, _ := tx.Query(ctx, identityProposalSelect+` WHERE ip.application_id = $1`, appID)
	return pgx.CollectOneRow(rows, pgx.RowToStructByName[IdentityProposal])
}

// ApplyIdentity writes a waiting identity change (by its id) into its
// supplier's profile, as the curator accepted it, and records the change
// (before and after) on the application's timeline. The values come from
// the waiting change, never from the caller; the change is not closed here
// (CloseIdentityProposal). A change no longer waiting is database.ErrStale.
// It returns the identity before and after.
func ApplyIdentity(ctx context.Context, tx pgx.Tx, a account.Actor, changeID int64, version int) (before, after Identity, err error) {
	rows, _ := tx.Query(ctx, identityProposalSelect+` WHERE ip.id = $1`, changeID)
	p, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[IdentityProposal])
	if errors.Is(err, pgx.ErrNoRows) {
		return before, after, fmt.Errorf("supplier: apply identity change %d: %w", changeID, database.ErrStale)
	}
	if err != nil {
		return before, after, err
	}
	prof, err := profileIn(ctx, tx, p.OrgID)
	if err != nil {
		return before, after, err
	}
	before, after = IdentityOf(prof), p.Identity
	// By the change's id: a change the supplier put in its place since is
	// another row, and this one is then gone (stale).
	tag, err := tx.Exec(ctx, `UPDATE supplier_profiles sp
   SET legal_name = ip.legal_name, nib = ip.nib, npwp = ip.npwp, updated_by = ip.proposed_by, updated_at = now()
  FROM identity_proposals ip
 WHERE ip.id = $1 AND sp.organization_id = ip.organization_id`, p.ID)
	if err != nil {
		return before, after, err
	}
	if tag.RowsAffected() != 1 {
		return before, after, fmt.Errorf("supplier: apply identity change %d: %w", changeID, database.ErrStale)
	}
	err = appendEvent(ctx, tx, a, p.ApplicationID, p.OrgID, "application.identity_changed", "", "", version, "",
		map[string]any{"before": before.detail(), "after": after.detail()})
	return before, after, err
}

// CloseIdentityProposal removes an identity change (accepted or refused)
// by its id: one the supplier put in its place meanwhile stays.
func CloseIdentityProposal(ctx context.Context, tx pgx.Tx, changeID int64) error {
	_, err := tx.Exec(ctx, `DELETE FROM identity_proposals WHERE id = $1`, changeID)
	return err
}
