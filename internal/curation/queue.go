package curation

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/supplier"
	"pasokan/internal/validation"
)

// QueueFilter narrows the queue. Status "" means the applications waiting
// for a curator (submitted and in review).
type QueueFilter struct {
	Q        string // part of the name, or an NIB
	Status   string
	Product  string
	Province string
	Assignee string // "", "me", "none", or a user id
	Signals  bool   // only applications with signals
	Cursor   string
	Limit    int
}

// Filtered says the queue is searched or filtered beyond its status tab:
// a page with nothing on it then means nothing matches, not an empty queue.
func (f QueueFilter) Filtered() bool {
	return strings.TrimSpace(f.Q) != "" || f.Product != "" || f.Province != "" || f.Assignee != "" || f.Signals
}

// QueueItem is one row of the queue.
type QueueItem struct {
	AppID        int64
	OrgID        int64
	Name         string
	NIB          string
	ProvinceCode string
	Status       supplier.Status
	Version      int
	SubmittedAt  time.Time
	AssigneeID   int64
	// AssigneeName is the assignee's name, "" when the curator may not
	// see it (no longer a member of the organisation).
	AssigneeName string `db:"-"`
	Products     []string
	Signals      int
}

// Waiting is how long the item has waited since submission.
func (q QueueItem) Waiting(now time.Time) time.Duration { return now.Sub(q.SubmittedAt) }

// QueuePageSize is the queue's page: 25 rows, as a phone shows them and as
// the catalogue prototype was measured (DESIGN.md); each row costs a few
// index probes under the policies.
const QueuePageSize = 25

// QueuePage is one page of the queue with the counts per status and the
// organisation's curators (for the assignee filter and bulk assignment).
type QueuePage struct {
	Items    []QueueItem
	Next     string
	Counts   map[supplier.Status]int
	Total    int
	Curators []Curator
	// Proposals are what curated suppliers proposed (a new product, new
	// permits), oldest first, at most MaxProposals; on the first page only.
	Proposals []supplier.Proposal
	// IdentityChanges are the identity changes (legal name, NIB, NPWP)
	// curated suppliers proposed, oldest first, at most MaxProposals; on the
	// first page only.
	IdentityChanges []supplier.IdentityProposal
	// Narrowed says the search read as far as it may (TokenScan) and found
	// less than a page: there may be more further on; a more precise search
	// finds them.
	Narrowed bool
	// Shallow says the reading that stopped was a walk by status with a
	// filter (not the search tokens of a word).
	Shallow bool
	// Found counts the applications of the statuses shown that pass the
	// filters, as far as it is cheap to: up to QueueCountLimit from the
	// kept counts, TokenCountLimit along the index of a search of one
	// token, else up to the
	// page's size (see countPage). FoundOver says there are more than
	// Found; FoundCut says the page's walk stopped short (Narrowed), so
	// there may be more.
	Found     int
	FoundOver bool
	FoundCut  bool
}

// WaitingStatuses are the statuses a curator works on.
var WaitingStatuses = []string{string(supplier.StatusSubmitted), string(supplier.StatusInReview)}

// countsSQL reads the counts a trigger keeps up to date.
const countsSQL = `SELECT status, n FROM application_counts WHERE assigned_org_id = $1 AND n > 0`

// Queue returns a page of the applications assigned to the actor's curator
// organisation.
func (s *Store) Queue(ctx context.Context, a account.Actor, f QueueFilter) (QueuePage, error) {
	if !isCurator(a) {
		return QueuePage{}, database.ErrNotFound
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = QueuePageSize
	}
	statuses := WaitingStatuses
	if f.Status != "" {
		statuses = []string{f.Status}
	}
	assignee := int64(-1)
	switch f.Assignee {
	case "":
	case "me":
		assignee = a.UserID
	case "none":
		assignee = 0
	default:
		if n, err := strconv.ParseInt(f.Assignee, 10, 64); err == nil {
			assignee = n
		}
	}
	after, afterID := decodeCursor(f.Cursor)
	tokens, whole := SearchTokens(strings.TrimSpace(f.Q))
	st := queueQuery(f, a.OrgID, statuses, assignee, after, afterID, tokens, whole)
	page := QueuePage{Counts: map[supplier.Status]int{}}
	// The page, the counts and the organisation's curators in one round
	// trip.
	b := &pgx.Batch{}
	b.Queue(st.page, st.args).Query(func(rows pgx.Rows) error {
		var err error
		page.Items, err = database.CollectRows[QueueItem](rows)
		return err
	})
	if st.kind == countToken {
		b.Queue(st.count, st.args).QueryRow(func(row pgx.Row) error { return row.Scan(&page.Found) })
	}
	b.Queue(countsSQL, a.OrgID).Query(func(rows pgx.Rows) error {
		type count struct {
			Status supplier.Status
			N      int
		}
		counts, err := database.CollectRows[count](rows)
		for _, c := range counts {
			page.Counts[c.Status] = c.N
			page.Total += c.N
		}
		return err
	})
	if f.Cursor == "" {
		supplier.QueueProposals(b, a.OrgID, MaxProposals, &page.Proposals)
		supplier.QueueIdentityProposals(b, a.OrgID, MaxProposals, &page.IdentityChanges)
	}
	var members []member
	b.Queue(curatorsSQL, a.OrgID).Query(database.Rows(&members))
	err := s.db.ReadBatch(ctx, a.Scope(), b)
	if err != nil {
		return QueuePage{}, fmt.Errorf("curation: queue: %w", err)
	}
	names := make(map[int64]string, len(members))
	for _, m := range members {
		names[m.UserID] = m.Name
		if !m.Disabled {
			page.Curators = append(page.Curators, m.Curator)
		}
	}
	for i := range page.Items {
		page.Items[i].AssigneeName = names[page.Items[i].AssigneeID]
	}
	// A walk that filters what it reads (other words, other filters) may
	// stop at TokenScan short of a page.
	page.Narrowed = len(tokens) > 0 && len(page.Items) <= f.Limit &&
		(len(tokens) > 1 || !whole || f.Product != "" || f.Province != "" || f.Assignee != "" || f.Signals)
	if bounded(f, tokens) && len(page.Items) <= f.Limit {
		page.Narrowed, page.Shallow = true, true
	}
	countQueue(f, st, statuses, &page)
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		last := page.Items[len(page.Items)-1]
		page.Next = encodeCursor(last.SubmittedAt, last.AppID)
	}
	return page, nil
}

// countQueue sets what page says of its matches (Found, FoundOver,
// FoundCut) from what its round trip read.
func countQueue(f QueueFilter, st queueStatement, statuses []string, page *QueuePage) {
	switch {
	case st.kind == countKept:
		page.Found = 0
		for _, status := range statuses {
			page.Found += page.Counts[supplier.Status(status)]
		}
	case st.kind == countToken:
		if page.Found > TokenCountLimit {
			page.Found, page.FoundOver = TokenCountLimit, true
		}
	case len(page.Items) > f.Limit || f.Cursor != "":
		// Beyond a page, or on a later one (so after a full one).
		page.Found, page.FoundOver = f.Limit, true
	default:
		page.Found, page.FoundCut = len(page.Items), page.Narrowed
	}
	if page.Found > QueueCountLimit {
		page.Found, page.FoundOver = QueueCountLimit, true
	}
}

func encodeCursor(t time.Time, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(t.UnixMicro(), 10) + "." + strconv.FormatInt(id, 10)))
}

// maxCursorMicros is the year 9999, in microseconds since 1970.
const maxCursorMicros = 253402300799999999

func decodeCursor(c string) (time.Time, int64) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, 0
	}
	us, id, ok := strings.Cut(string(b), ".")
	if !ok {
		return time.Time{}, 0
	}
	u, err1 := strconv.ParseInt(us, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	// A cursor is made from a submission time; one far outside that (made
	// by hand) is out of Postgres's range and was a 500.
	if err1 != nil || err2 != nil || u < 0 || u > maxCursorMicros {
		return time.Time{}, 0
	}
	return time.UnixMicro(u), n
}

// Claim makes the curator the application's assignee and, when it was
// waiting, starts the review. version is the one the curator saw.
func (s *Store) Claim(ctx context.Context, a account.Actor, appID int64, version int) error {
	if !isCurator(a) {
		return database.ErrNotFound
	}
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT organization_id, coalesce(assigned_user_id, 0) AS assigned_user_id, status, version
  FROM applications WHERE id = $1 AND assigned_org_id = $2 FOR UPDATE`, appID, a.OrgID)
		app, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[struct {
			OrganizationID, AssignedUserID int64
			Status                         supplier.Status
			Version                        int
		}])
		if err != nil {
			return err
		}
		orgID, assignee, status, cur := app.OrganizationID, app.AssignedUserID, app.Status, app.Version
		if cur != version {
			return database.ErrStale
		}
		if assignee != 0 && assignee != a.UserID {
			return database.ErrStale
		}
		if err := conflicted(ctx, tx, a, appID, orgID); err != nil {
			return err
		}
		if err := supplier.SetAssignee(ctx, tx, appID, a.UserID); err != nil {
			return err
		}
		if err := event(ctx, tx, a, appID, orgID, "application.claimed", cur, "", nil); err != nil {
			return err
		}
		if status == supplier.StatusSubmitted {
			_, err := supplier.Transition(ctx, tx, a, appID, version, supplier.StatusInReview, "application.review_started", "", nil)
			return err
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("curation: claim %d: %w", appID, err)
	}
	return nil
}

// AssignCurator gives applications of the lead's organisation to one of its
// curators, in bulk.
func (s *Store) AssignCurator(ctx context.Context, a account.Actor, appIDs []int64, userID int64) (int, error) {
	if !isLead(a) {
		return 0, ErrNotLead
	}
	n := 0
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		var member bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM memberships WHERE organization_id = $1 AND user_id = $2)`,
			a.OrgID, userID).Scan(&member); err != nil {
			return err
		}
		if !member {
			return database.ErrNotFound
		}
		done, err := supplier.AssignCurator(ctx, tx, appIDs, a.OrgID, userID)
		if err != nil {
			return err
		}
		for _, m := range done {
			if err := event(ctx, tx, a, m.ID, m.OrganizationID, "application.curator_assigned", m.Version, "", map[string]any{"curator": userID}); err != nil {
				return err
			}
		}
		n = len(done)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("curation: assign curator: %w", err)
	}
	return n, nil
}

// Curator is a member of a curator organisation, for the lead's assignment.
type Curator struct {
	UserID int64
	Name   string
	Role   account.Role
}

// curatorsSQL lists the curator organisation's members, for the queue:
// its assignees' names, and those not disabled for its filter by assignee.
const curatorsSQL = `SELECT u.id AS user_id, u.name, m.role, u.disabled_at IS NOT NULL AS disabled
  FROM memberships m JOIN users u ON u.id = m.user_id
 WHERE m.organization_id = $1 ORDER BY u.name`

// member is a row of curatorsSQL.
type member struct {
	Curator
	Disabled bool
}

// conflicted refuses a curator who declared a conflict with the
// application, or who belongs to the applicant's organisation.
func conflicted(ctx context.Context, tx pgx.Tx, a account.Actor, appID, orgID int64) error {
	var conflict bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM curator_conflicts WHERE application_id = $1 AND user_id = $2)
    OR EXISTS (SELECT 1 FROM memberships WHERE organization_id = $3 AND user_id = $2)`, appID, a.UserID, orgID).Scan(&conflict)
	if err != nil {
		return err
	}
	if conflict {
		return ErrConflictOfInterest
	}
	return nil
}

// DeclareConflict records that the curator has a conflict of interest with
// the application; from then on they cannot claim or decide it.
func (s *Store) DeclareConflict(ctx context.Context, a account.Actor, appID int64, reason string) error {
	if !isCurator(a) {
		return database.ErrNotFound
	}
	errs := validation.Errors{}
	if reason = checkReason(errs, "reason", reason, maxNote); errs.Any() {
		return errs
	}
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT organization_id, version, coalesce(assigned_user_id, 0) AS assigned_user_id FROM applications
 WHERE id = $1 AND assigned_org_id = $2 FOR UPDATE`, appID, a.OrgID)
		app, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[struct {
			OrganizationID int64
			Version        int
			AssignedUserID int64
		}])
		if err != nil {
			return err
		}
		orgID, version, assignee := app.OrganizationID, app.Version, app.AssignedUserID
		if _, err := tx.Exec(ctx, `INSERT INTO curator_conflicts (application_id, user_id, curator_org_id, reason)
VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, appID, a.UserID, a.OrgID, reason); err != nil {
			return err
		}
		if assignee == a.UserID {
			if err := supplier.SetAssignee(ctx, tx, appID, 0); err != nil {
				return err
			}
		}
		return event(ctx, tx, a, appID, orgID, "application.conflict_declared", version, reason, nil)
	})
	if err != nil {
		return fmt.Errorf("curation: declare conflict on %d: %w", appID, err)
	}
	return nil
}
