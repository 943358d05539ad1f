package notify

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/i18n"
)

// Inbox reads the notifications of a person acting for an organisation and
// records what they have read. Every method takes the acting scope and puts
// its organisation and user in the statement's WHERE clause. The policies
// (migration 0021) let through the same rows and no others, so the id of
// another organisation's notification finds nothing (database.ErrNotFound),
// whoever asks for it.
//
// Read state belongs to the row. A notification addressed to an
// organisation is read for all its members once one of them has seen it.
type Inbox struct {
	db *database.DB
}

// NewInbox returns an Inbox on db.
func NewInbox(db *database.DB) *Inbox { return &Inbox{db: db} }

// PageSize is how many notifications a page shows: 25, as every list of
// the portal (docs/DESIGN.md, "A page of a list").
const PageSize = 25

// UnreadCap bounds the unread count shown on every page: the count stops
// there, and the navigation shows UnreadCap-1 followed by "+" ("9+").
const UnreadCap = 10

// UnreadOfActorSQL counts the unread notifications of the user and
// organisation that the transaction's settings name, up to UnreadCap (the
// 10 in the statement). The session store reads it in the same statement as
// the session's holder (account.SessionStore), so the count on every page
// adds no round trip. It walks notifications_unread_idx and reads nothing
// outside that index.
const UnreadOfActorSQL = `SELECT count(*) FROM (SELECT FROM notifications
  WHERE organization_id = (SELECT app_org_id()) AND (user_id IS NULL OR user_id = (SELECT app_user_id()))
    AND read_at IS NULL LIMIT 10) unread`

// Page is one page of a reader's notifications, newest first.
type Page struct {
	// Notifications have Read as it was before this page was opened:
	// opening the page reads them, and it shows which were new.
	Notifications []Notification
	// Next is the Before of the next, older page; 0 on the last page.
	Next int64
	// Unread is what is still unread after this page has been read (older
	// pages, or notifications that arrived since), up to UnreadCap.
	Unread int
}

// Newest is the id of the newest notification on the page, 0 when it is
// empty: "mark all read" marks up to it, and nothing that came later.
func (p Page) Newest() int64 {
	if len(p.Notifications) == 0 {
		return 0
	}
	return p.Notifications[0].ID
}

// Text is the notification's message in lang, with its arguments.
// Arguments that the message does not name are left out: some writers add
// context (a product code) that the message does not show.
func (n Notification) Text(lang i18n.Lang) string {
	msg := i18n.Translate(lang, "notification."+n.Key)
	if len(n.Args) == 0 || !strings.Contains(msg, "%") {
		return msg
	}
	args := make([]any, len(n.Args))
	for i, a := range n.Args {
		args[i] = a
	}
	return fmt.Sprintf(msg, args...)
}

// inboxRow is a notification as the reader's statements read it.
type inboxRow struct {
	ID        int64     `db:"id"`
	OrgID     int64     `db:"organization_id"`
	UserID    int64     `db:"user_id"`
	Key       string    `db:"key"`
	Args      []string  `db:"args"`
	Link      string    `db:"link"`
	CreatedAt time.Time `db:"created_at"`
	Read      bool      `db:"read"`
}

// pageSQL reads a page and one more row, which says whether another page
// follows (the 51 is PageSize + 1, written into the statement so that a
// generic plan knows the walk is short). It walks notifications_org_idx
// backwards from the cursor.
const pageSQL = `SELECT id, organization_id, coalesce(user_id, 0) AS user_id, key, args, link, created_at,
       read_at IS NOT NULL AS read
  FROM notifications
 WHERE organization_id = $1 AND (user_id IS NULL OR user_id = $2) AND id < $3
 ORDER BY id DESC
 LIMIT 51`

// markSeenSQL marks read the notifications a page has just shown.
const markSeenSQL = `UPDATE notifications SET read_at = now()
 WHERE organization_id = $1 AND (user_id IS NULL OR user_id = $2) AND id = ANY($3) AND read_at IS NULL`

// unreadSQL is UnreadOfActorSQL for a reader named by parameters.
const unreadSQL = `SELECT count(*) FROM (SELECT FROM notifications
  WHERE organization_id = $1 AND (user_id IS NULL OR user_id = $2) AND read_at IS NULL LIMIT 10) unread`

// Page reads the page of s's notifications older than before (0: the
// newest) and marks what it shows as read. The page and the unread count
// are read in one round trip; only a page that shows some for the first
// time writes, in a transaction of its own that counts again what is still
// unread (most views, a page seen again, make no write and one round trip).
func (in *Inbox) Page(ctx context.Context, s database.Scope, before int64) (Page, error) {
	if s.OrgID == 0 || s.UserID == 0 {
		return Page{}, fmt.Errorf("notify: page: %w", database.ErrNotFound)
	}
	if before <= 0 {
		before = math.MaxInt64
	}
	var p Page
	var read []inboxRow
	b := &pgx.Batch{}
	b.Queue(pageSQL, s.OrgID, s.UserID, before).Query(func(rows pgx.Rows) error {
		var err error
		read, err = database.CollectRows[inboxRow](rows)
		return err
	})
	b.Queue(unreadSQL, s.OrgID, s.UserID).QueryRow(func(r pgx.Row) error { return r.Scan(&p.Unread) })
	if err := in.db.ReadBatch(ctx, s, b); err != nil {
		return Page{}, fmt.Errorf("notify: page before %d: %w", before, err)
	}
	if len(read) > PageSize {
		read = read[:PageSize]
		p.Next = read[PageSize-1].ID
	}
	var unseen []int64
	p.Notifications = make([]Notification, len(read))
	for i, r := range read {
		p.Notifications[i] = Notification{ID: r.ID, OrgID: r.OrgID, UserID: r.UserID, Key: r.Key, Args: r.Args,
			Link: r.Link, At: r.CreatedAt, Read: r.Read}
		if !r.Read {
			unseen = append(unseen, r.ID)
		}
	}
	if len(unseen) == 0 {
		return p, nil
	}
	err := in.db.Tx(ctx, s, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(markSeenSQL, s.OrgID, s.UserID, unseen)
		b.Queue(unreadSQL, s.OrgID, s.UserID).QueryRow(func(r pgx.Row) error { return r.Scan(&p.Unread) })
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return Page{}, fmt.Errorf("notify: page before %d: mark read: %w", before, err)
	}
	return p, nil
}

// followSQL reads a notification's link and marks it read if it was not:
// a notification already read is not written again.
const followSQL = `WITH n AS (
  SELECT id, link, read_at FROM notifications
   WHERE id = $1 AND organization_id = $2 AND (user_id IS NULL OR user_id = $3)
), seen AS (
  UPDATE notifications SET read_at = now() FROM n WHERE notifications.id = n.id AND n.read_at IS NULL
)
SELECT link FROM n`

// Follow marks s's notification id read and returns its link (perhaps
// empty). Another organisation's notification, or another member's, is
// database.ErrNotFound.
func (in *Inbox) Follow(ctx context.Context, s database.Scope, id int64) (string, error) {
	if s.OrgID == 0 || s.UserID == 0 {
		return "", fmt.Errorf("notify: follow %d: %w", id, database.ErrNotFound)
	}
	var link string
	err := in.db.Tx(ctx, s, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, followSQL, id, s.OrgID, s.UserID).Scan(&link)
	})
	if err != nil {
		return "", fmt.Errorf("notify: follow %d: %w", id, err)
	}
	return link, nil
}

// markAllSQL walks notifications_unread_idx up to the id.
const markAllSQL = `UPDATE notifications SET read_at = now()
 WHERE organization_id = $1 AND (user_id IS NULL OR user_id = $2) AND read_at IS NULL AND id <= $3`

// MarkAllRead marks every unread notification of s up to id upTo (the
// newest the reader saw) as read, and returns how many it marked: anything
// newer, which the reader has not seen, stays unread.
func (in *Inbox) MarkAllRead(ctx context.Context, s database.Scope, upTo int64) (int64, error) {
	if s.OrgID == 0 || s.UserID == 0 {
		return 0, fmt.Errorf("notify: mark all read: %w", database.ErrNotFound)
	}
	var n int64
	err := in.db.Tx(ctx, s, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, markAllSQL, s.OrgID, s.UserID, upTo)
		n = tag.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("notify: mark all read up to %d: %w", upTo, err)
	}
	return n, nil
}

// Unread counts s's unread notifications, up to UnreadCap, in one round
// trip. Pages get the count with the session (UnreadOfActorSQL).
func (in *Inbox) Unread(ctx context.Context, s database.Scope) (int, error) {
	var n int
	err := in.db.QueryRow(ctx, s, unreadSQL, []any{s.OrgID, s.UserID}, func(r pgx.Row) error { return r.Scan(&n) })
	if err != nil {
		return 0, fmt.Errorf("notify: unread: %w", err)
	}
	return n, nil
}
