package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/notify"
)

// inboxFixture is two organisations with one member each, as the system
// writes them.
type inboxFixture struct {
	orgA, orgB, userA, userB int64
}

func twoReaders(t *testing.T, db *database.DB) inboxFixture {
	t.Helper()
	ctx := context.Background()
	var f inboxFixture
	err := db.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		for _, p := range []struct {
			org, user *int64
			slug      string
		}{{&f.orgA, &f.userA, "a"}, {&f.orgB, &f.userB, "b"}} {
			if err := tx.QueryRow(ctx, `INSERT INTO organizations (kind, name, slug) VALUES ('supplier', $1, $2) RETURNING id`,
				"Usaha "+p.slug, "usaha-"+p.slug).Scan(p.org); err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, 'x') RETURNING id`,
				p.slug+"@contoh.id", "Pemilik "+p.slug).Scan(p.user); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, 'owner')`, *p.org, *p.user); err != nil {
				return err
			}
		}
		return nil
	})
	dbtest.Must(t, err)
	return f
}

// TestInboxKeepsEachReaderToTheirOwn: the repository reads a reader's
// organisation's notifications and those addressed to them, pages them
// newest first, marks what a page shows, and answers ErrNotFound for
// anyone else's; a reader cannot change what a notification says.
func TestInboxKeepsEachReaderToTheirOwn(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	f := twoReaders(t, db.App)
	a := database.Scope{UserID: f.userA, OrgID: f.orgA, OrgKind: "supplier"}
	b := database.Scope{UserID: f.userB, OrgID: f.orgB, OrgKind: "supplier"}
	outbox, inbox := notify.NewOutbox(db.App), notify.NewInbox(db.App)
	var ids []int64
	dbtest.Must(t, db.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		// Two pages: a full one and the rest (two of which are not A's).
		for i := range notify.PageSize + 5 {
			n := notify.Notification{OrgID: f.orgA, Key: "application_submitted", Link: "/supplier/application"}
			switch i {
			case 3:
				n.UserID = f.userA // to A's member
			case 4:
				n.UserID = f.userB // to someone who is not A's member
			case 5:
				n.OrgID = f.orgB // B's
			}
			if err := outbox.Notify(ctx, tx, n); err != nil {
				return err
			}
			var id int64
			if err := tx.QueryRow(ctx, `SELECT currval(pg_get_serial_sequence('notifications', 'id'))`).Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	}))
	if n, err := inbox.Unread(ctx, a); err != nil || n != notify.UnreadCap {
		t.Fatalf("A's unread: %d (%v), want the cap", n, err)
	}
	first, err := inbox.Page(ctx, a, 0)
	dbtest.Must(t, err)
	if len(first.Notifications) != notify.PageSize || first.Next == 0 || first.Newest() != ids[len(ids)-1] {
		t.Fatalf("A's first page: %d, next %d, newest %d", len(first.Notifications), first.Next, first.Newest())
	}
	second, err := inbox.Page(ctx, a, first.Next)
	dbtest.Must(t, err)
	var got []int64
	for _, n := range append(first.Notifications, second.Notifications...) {
		if n.Read {
			t.Errorf("notification %d was read before its page", n.ID)
		}
		got = append(got, n.ID)
	}
	var want []int64
	for i := len(ids) - 1; i >= 0; i-- {
		if i != 4 && i != 5 {
			want = append(want, ids[i])
		}
	}
	if !slices.Equal(got, want) || second.Next != 0 {
		t.Errorf("A's pages: %v (next %d), want %v", got, second.Next, want)
	}
	if n, err := inbox.Unread(ctx, a); err != nil || n != 0 {
		t.Errorf("A's unread after both pages: %d (%v)", n, err)
	}
	// B reaches none of A's, and A none of B's, nor the member's of
	// someone else.
	for _, tc := range []struct {
		who   database.Scope
		id    int64
		whose string
	}{{b, ids[0], "A's"}, {b, ids[3], "A's member's"}, {a, ids[5], "B's"}, {a, ids[4], "another's"}} {
		if _, err := inbox.Follow(ctx, tc.who, tc.id); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("following %s notification: %v, want ErrNotFound", tc.whose, err)
		}
	}
	if n, err := inbox.MarkAllRead(ctx, b, ids[len(ids)-1]); err != nil || n != 1 {
		t.Errorf("B marked %d (%v), want its own one", n, err)
	}
	var unreadOfOthers int
	dbtest.Must(t, db.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE id = $1 AND read_at IS NULL`, ids[4]).Scan(&unreadOfOthers)
	}))
	if unreadOfOthers != 1 {
		t.Error("a notification to someone else was read by A")
	}
	// A reader marks read, and changes nothing else.
	err = db.App.Tx(ctx, a, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE notifications SET link = 'https://evil.example/' WHERE id = $1`, ids[0])
		return err
	})
	if !errors.Is(err, database.ErrForbidden) {
		t.Errorf("a reader rewriting a notification's link: %v, want ErrForbidden", err)
	}
}

// explainNode is the part of EXPLAIN's JSON the check reads.
type explainNode struct {
	NodeType    string        `json:"Node Type"`
	Relation    string        `json:"Relation Name"`
	Index       string        `json:"Index Name"`
	Rows        float64       `json:"Actual Rows"`
	Loops       float64       `json:"Actual Loops"`
	HeapFetches float64       `json:"Heap Fetches"`
	Plans       []explainNode `json:"Plans"`
}

func (n explainNode) walk(visit func(explainNode)) {
	visit(n)
	for _, c := range n.Plans {
		c.walk(visit)
	}
}

// TestUnreadCountReadsOnlyTheIndexOfTheUnread: the count on every page
// (notify.UnreadOfActorSQL, read with the session) walks
// notifications_unread_idx from the reader's organisation and stops at the
// cap, among 200,000 notifications of 400 organisations (most read) and a
// reader with 20,000 read and 30 unread; it reads no heap page of a visible
// row and takes well under 0.2 ms.
func TestUnreadCountReadsOnlyTheIndexOfTheUnread(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	f := twoReaders(t, db.App)
	dbtest.Must(t, db.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		for _, st := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO organizations (kind, name, slug) SELECT 'supplier', 'Usaha ' || g, 'usaha-lain-' || g FROM generate_series(1, 400) g`, nil},
			// One in twenty of theirs unread.
			{`INSERT INTO notifications (organization_id, key, read_at)
			 SELECT o.id, 'application_submitted', CASE WHEN g % 20 = 0 THEN NULL ELSE now() END
			   FROM organizations o, generate_series(1, 500) g WHERE o.slug LIKE 'usaha-lain-%'`, nil},
			{`INSERT INTO notifications (organization_id, key, read_at) SELECT $1, 'application_submitted', now() FROM generate_series(1, 20000)`,
				[]any{f.orgA}},
			{`INSERT INTO notifications (organization_id, key) SELECT $1, 'application_submitted' FROM generate_series(1, 30)`, []any{f.orgA}},
		} {
			if _, err := tx.Exec(ctx, st.sql, st.args...); err != nil {
				return err
			}
		}
		return nil
	}))
	owner, err := pgx.Connect(ctx, db.OwnerURL)
	dbtest.Must(t, err)
	defer owner.Close(ctx)
	// As autovacuum would have by now: the visibility map lets the walk
	// skip the heap.
	_, err = owner.Exec(ctx, `VACUUM ANALYZE notifications`)
	dbtest.Must(t, err)

	conn, err := db.App.Pool.Acquire(ctx)
	dbtest.Must(t, err)
	defer conn.Release()
	tx, err := conn.Begin(ctx)
	dbtest.Must(t, err)
	defer tx.Rollback(ctx)
	dbtest.Must(t, database.SetScope(ctx, tx, database.Scope{UserID: f.userA, OrgID: f.orgA, OrgKind: "supplier"}))
	var n int
	dbtest.Must(t, tx.QueryRow(ctx, notify.UnreadOfActorSQL).Scan(&n))
	if n != notify.UnreadCap {
		t.Fatalf("the count: %d, want the cap %d", n, notify.UnreadCap)
	}
	var times []float64
	var plan explainNode
	for range 20 {
		var out []struct {
			Plan      explainNode `json:"Plan"`
			Execution float64     `json:"Execution Time"`
		}
		var raw []byte
		dbtest.Must(t, tx.QueryRow(ctx, `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) `+notify.UnreadOfActorSQL).Scan(&raw))
		dbtest.Must(t, json.Unmarshal(raw, &out))
		plan = out[0].Plan
		times = append(times, out[0].Execution)
	}
	slices.Sort(times)
	median := time.Duration(times[len(times)/2] * float64(time.Millisecond))
	t.Logf("the unread count: median execution %s of 20 (fastest %.3f ms, slowest %.3f ms)", median, times[0], times[len(times)-1])
	indexOnly := false
	plan.walk(func(x explainNode) {
		if x.Relation != "notifications" {
			return
		}
		if x.NodeType != "Index Only Scan" || x.Index != "notifications_unread_idx" {
			t.Errorf("the count reads notifications by %s %s, want an index-only scan of notifications_unread_idx", x.NodeType, x.Index)
		}
		indexOnly = true
		if read := x.Rows * x.Loops; read > notify.UnreadCap {
			t.Errorf("the count read %.0f entries, want at most %d", read, notify.UnreadCap)
		}
		if x.HeapFetches > notify.UnreadCap {
			t.Errorf("the count fetched %.0f heap rows", x.HeapFetches)
		}
	})
	if !indexOnly {
		t.Error("the count's plan does not read notifications")
	}
	// Generous for a shared test machine: measured well under 0.1 ms.
	if median > time.Millisecond {
		t.Errorf("the count takes %s, want well under 0.2 ms", median)
	}
}
