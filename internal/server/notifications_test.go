package server_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/notify"
	"pasokan/internal/testapp"
)

// The page of notifications (issue 11): each kind of organisation reads its
// own and no other's, what was read stops counting, and pages go back in
// time.

// noteRe finds the notifications of a page, with whether each was unread
// when the page was drawn.
var noteRe = regexp.MustCompile(`data-testid="notification" data-id="(\d+)" data-unread="(true|false)"`)

// shownNote is a notification as its page shows it.
type shownNote struct {
	id     int64
	unread bool
}

func notesOf(t *testing.T, body string) []shownNote {
	t.Helper()
	var out []shownNote
	for _, m := range noteRe.FindAllStringSubmatch(body, -1) {
		id, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, shownNote{id: id, unread: m[2] == "true"})
	}
	return out
}

// notifyOrg writes n notifications for org (user 0: all its members), as
// the portal's code does, the i-th with args(i); it returns their ids.
func notifyOrg(t *testing.T, app *testapp.App, n int, note func(i int) notify.Notification) []int64 {
	t.Helper()
	ctx := context.Background()
	ids := make([]int64, n)
	err := app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		for i := range n {
			if err := app.Portal.Outbox.Notify(ctx, tx, note(i)); err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, `SELECT currval(pg_get_serial_sequence('notifications', 'id'))`).Scan(&ids[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// readEverything marks every notification read, so that a test counts
// only its own.
func readEverything(t *testing.T, app *testapp.App) {
	t.Helper()
	err := app.DB.App.Tx(context.Background(), database.System(), func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `UPDATE notifications SET read_at = now() WHERE read_at IS NULL`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// isRead reads a notification's state as the portal.
func isRead(t *testing.T, app *testapp.App, id int64) bool {
	t.Helper()
	return count(t, app, `SELECT count(*) FROM notifications WHERE id = $1 AND read_at IS NOT NULL`, id) == 1
}

// sampleForm is a curator's sample request of product with note, to an
// address and a day the store takes.
func sampleForm(product, note string) url.Values {
	return url.Values{"product_type": {product}, "note": {note},
		"send_to": {"Kurator Karya Nusantara\r\nJl. Cigadung Raya 12, Bandung 40191\r\n0812-3456-7890"},
		"due_on":  {time.Now().In(time.FixedZone("WIB", 7*60*60)).AddDate(0, 0, 10).Format(time.DateOnly)}}
}

// TestNotificationsEachKindReadsItsOwn: a supplier, a curator, a buyer and
// the ministry each read their organisation's notifications on
// /notifications, in their language, with the time and a link through
// /notifications/{id} to what it is about; another organisation's id is a
// 404 on the page, in the repository and under the policies, and stays
// unread. A notification to one member is not shown to another.
func TestNotificationsEachKindReadsItsOwn(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	ctx := context.Background()
	readEverything(t, app)
	type reader struct {
		kind, email, home, link string
		c                       *testapp.Client
		orgID, userID, id       int64
		number                  string
	}
	readers := []*reader{
		{kind: "supplier", email: "umkm@pasokan.test", home: "/supplier", link: "/supplier/orders/7001"},
		{kind: "curator", email: "kurator@pasokan.test", home: "/curation", link: "/curation/applications/7002"},
		{kind: "buyer", email: "pembeli@pasokan.test", home: "/catalog", link: "/buyer/orders/7003"},
		{kind: "ministry", email: "admin@pasokan.test", home: "/admin", link: "/admin/orders/7004"},
	}
	for i, r := range readers {
		r.c = app.Client(t)
		r.c.Login(r.email, "pasokan-demo", r.home)
		var found bool
		r.userID, r.orgID, found = sessionHolder(t, app, r.c.Cookie("pasokan_session"))
		if !found {
			t.Fatalf("%s: no session holder", r.kind)
		}
		r.number = strconv.Itoa(7001 + i)
		r.id = notifyOrg(t, app, 1, func(int) notify.Notification {
			return notify.Notification{OrgID: r.orgID, Key: "order_accepted", Args: []string{r.number, "Mitra Uji " + r.kind}, Link: r.link}
		})[0]
	}
	// One member's notification, in the supplier's organisation, for
	// someone else: the supplier's member does not see it.
	other := readers[1].userID
	private := notifyOrg(t, app, 1, func(int) notify.Notification {
		return notify.Notification{OrgID: readers[0].orgID, UserID: other, Key: "order_accepted", Args: []string{"7999", "Pribadi"}, Link: "/supplier"}
	})[0]

	for _, r := range readers {
		t.Run(r.kind, func(t *testing.T) {
			if page := r.c.Get("/account"); !strings.Contains(page.Body, `href="/notifications">Notifikasi (1)</a>`) {
				t.Errorf("the navigation does not count one unread notification")
			}
			page := r.c.Get("/notifications")
			if page.StatusCode != http.StatusOK {
				t.Fatalf("/notifications: %d", page.StatusCode)
			}
			want := "Pesanan " + r.number + " diterima oleh Mitra Uji " + r.kind + "."
			if !strings.Contains(page.Body, want) {
				t.Errorf("its own notification %q is not on the page", want)
			}
			notes := notesOf(t, page.Body)
			if len(notes) == 0 || notes[0] != (shownNote{id: r.id, unread: true}) {
				t.Errorf("the page shows %+v, want %d first, unread", notes, r.id)
			}
			if !strings.Contains(page.Body, `data-testid="unread">Belum dibaca</span>`) {
				t.Error("the unread notification is not marked in words")
			}
			if !strings.Contains(page.Body, `<time datetime="`) {
				t.Error("no time on the notification")
			}
			for _, o := range readers {
				if o != r && (strings.Contains(page.Body, "Mitra Uji "+o.kind+".") || strings.Contains(page.Body, `data-id="`+itoa(o.id)+`"`)) {
					t.Errorf("%s's notification is on the page", o.kind)
				}
			}
			if strings.Contains(page.Body, "Pribadi") {
				t.Error("another member's notification is on the page")
			}
			if !strings.Contains(page.Body, `aria-current="page">Notifikasi</a>`) {
				t.Error("once the page is open, the navigation still counts what it shows")
			}
			// Followed: 303 to what it is about.
			if f := r.c.Get("/notifications/" + itoa(r.id)); f.StatusCode != http.StatusSeeOther || f.Header.Get("Location") != r.link {
				t.Errorf("following it: %d to %q, want 303 to %q", f.StatusCode, f.Header.Get("Location"), r.link)
			}
			// Another's, by a guessed id: 404, still unread.
			for _, o := range readers {
				if o == r {
					continue
				}
				if f := r.c.Get("/notifications/" + itoa(o.id)); f.StatusCode != http.StatusNotFound {
					t.Errorf("%s's notification: %d, want 404", o.kind, f.StatusCode)
				}
				if _, err := app.Portal.Inbox.Follow(ctx, database.Scope{UserID: r.userID, OrgID: r.orgID, OrgKind: r.kind}, o.id); !errors.Is(err, database.ErrNotFound) {
					t.Errorf("the repository follows %s's notification: %v", o.kind, err)
				}
				// Under the policies alone, asked without the repository's
				// filter: nothing, the ministry included.
				var n int
				err := app.DB.App.ReadTx(ctx, database.Scope{UserID: r.userID, OrgID: r.orgID, OrgKind: r.kind}, func(tx pgx.Tx) error {
					return tx.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE id = $1`, o.id).Scan(&n)
				})
				if err != nil || n != 0 {
					t.Errorf("the policies let %s read %s's notification: %d (%v)", r.kind, o.kind, n, err)
				}
			}
			if f := r.c.Get("/notifications/" + itoa(private)); f.StatusCode != http.StatusNotFound {
				t.Errorf("another member's notification: %d, want 404", f.StatusCode)
			}
		})
	}
	for _, r := range readers {
		if !isRead(t, app, r.id) {
			t.Errorf("%s's notification is unread after its page was opened", r.kind)
		}
	}
	if isRead(t, app, private) {
		t.Error("the member's notification was read by someone else")
	}

	// In English, the same notification reads in English.
	en := app.Client(t)
	en.SetCookie("pasokan_lang", "en")
	en.Login("umkm@pasokan.test", "pasokan-demo", "/supplier")
	if page := en.Get("/notifications"); !strings.Contains(page.Body, "Order 7001 was accepted by Mitra Uji supplier.") {
		t.Error("the notification is not in English for an English reader")
	}
	// A visitor is sent to log in.
	if r := app.Client(t).Get("/notifications"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Errorf("a visitor: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
}

// TestNotificationsUnreadCountFallsAfterReading: the navigation counts the
// unread on every page, "9+" past nine; following one notification lowers
// it by one, opening the page clears what the page shows.
func TestNotificationsUnreadCountFallsAfterReading(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	readEverything(t, app)
	c := app.Client(t)
	c.Login("umkm@pasokan.test", "pasokan-demo", "/supplier")
	supplier := actorOf(t, app, "umkm@pasokan.test")
	nav := func(want string) {
		t.Helper()
		page := c.Get("/supplier/orders")
		if !strings.Contains(page.Body, `href="/notifications">`+want+`</a>`) {
			m := regexp.MustCompile(`href="/notifications"[^>]*>([^<]*)<`).FindStringSubmatch(page.Body)
			t.Errorf("the navigation says %q, want %q", m, want)
		}
	}
	nav("Notifikasi")
	ids := notifyOrg(t, app, 3, func(i int) notify.Notification {
		return notify.Notification{OrgID: supplier.OrgID, Key: "application_submitted", Link: "/supplier/application"}
	})
	nav("Notifikasi (3)")
	if r := c.Get("/notifications/" + itoa(ids[1])); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/supplier/application" {
		t.Fatalf("follow: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	nav("Notifikasi (2)")
	// Following again changes nothing.
	c.Get("/notifications/" + itoa(ids[1]))
	nav("Notifikasi (2)")
	page := c.Get("/notifications")
	got := notesOf(t, page.Body)
	want := []shownNote{{ids[2], true}, {ids[1], false}, {ids[0], true}}
	if len(got) < 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("the page shows %+v, want %+v first", got, want)
	}
	if !strings.Contains(page.Body, "Baru sejak Anda terakhir membuka halaman ini: 2.") {
		t.Error("the page does not say how many are new")
	}
	nav("Notifikasi")
	if n, err := app.Portal.Inbox.Unread(context.Background(), supplier.Scope()); err != nil || n != 0 {
		t.Errorf("unread after reading: %d (%v)", n, err)
	}
	// Past nine, the count says "9+" and stops counting.
	bare := notifyOrg(t, app, 25, func(i int) notify.Notification {
		return notify.Notification{OrgID: supplier.OrgID, Key: "application_submitted"}
	})
	nav("Notifikasi (9+)")
	if n, err := app.Portal.Inbox.Unread(context.Background(), supplier.Scope()); err != nil || n != notify.UnreadCap {
		t.Errorf("unread of 25: %d (%v), want the cap %d", n, err, notify.UnreadCap)
	}
	// A notification without a link is text, and following it leads back
	// to the page.
	page = c.Get("/notifications")
	if !strings.Contains(page.Body, `data-id="`+itoa(bare[0])+`"`) || strings.Contains(page.Body, `<a href="/notifications/`+itoa(bare[0])+`"`) {
		t.Error("a notification without a link is not drawn as text")
	}
	if r := c.Get("/notifications/" + itoa(bare[0])); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/notifications" {
		t.Errorf("following one without a link: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
}

// TestNotificationsMarkAllReadAndPages: 120 notifications are read in pages
// of notify.PageSize (25), newest first, each page going back from the last; opening the first
// leaves the rest unread, and "mark all read" reads them, but not one that
// arrived after the page was drawn.
func TestNotificationsMarkAllReadAndPages(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	readEverything(t, app)
	c := app.Client(t)
	c.Login("pembeli@pasokan.test", "pasokan-demo", "/catalog")
	userID, orgID, _ := sessionHolder(t, app, c.Cookie("pasokan_session"))
	buyer := database.Scope{UserID: userID, OrgID: orgID, OrgKind: "buyer"}
	ids := notifyOrg(t, app, 120, func(i int) notify.Notification {
		return notify.Notification{OrgID: orgID, Key: "order_shipped", Args: []string{strconv.Itoa(8000 + i), "Konveksi Uji"},
			Link: "/buyer/orders/" + strconv.Itoa(8000+i)}
	})

	// The pages, newest first, with nothing twice and nothing left out.
	var seen []int64
	next := "/notifications"
	var wants []int
	for left := 120; left > 0; left -= notify.PageSize {
		wants = append(wants, min(left, notify.PageSize))
	}
	for n, want := range wants {
		page := c.Get(next)
		notes := notesOf(t, page.Body)
		if len(notes) != want {
			t.Fatalf("page %d shows %d, want %d", n+1, len(notes), want)
		}
		for _, x := range notes {
			seen = append(seen, x.id)
		}
		if n == 0 {
			if !strings.Contains(page.Body, `data-testid="mark-all-read"`) || !strings.Contains(page.Body, `name="up_to" value="`+itoa(ids[119])+`"`) {
				t.Error("the first page does not offer to mark the others read, up to its newest")
			}
			if n, _ := app.Portal.Inbox.Unread(context.Background(), buyer); n != notify.UnreadCap {
				t.Errorf("after the first page: %d unread, want the cap", n)
			}
		}
		m := regexp.MustCompile(`rel="next" href="([^"]+)"`).FindStringSubmatch(page.Body)
		if n < len(wants)-1 {
			if m == nil {
				t.Fatalf("page %d has no next page", n+1)
			}
			next = strings.ReplaceAll(m[1], "&amp;", "&")
		} else if m != nil {
			t.Errorf("the last page links a next one: %s", m[1])
		}
	}
	for i, id := range seen {
		if id != ids[119-i] {
			t.Fatalf("notification %d of the pages is %d, want %d (newest first)", i, id, ids[119-i])
		}
	}
	// A cursor that is not one is the first page; one past the end, none.
	if notes := notesOf(t, c.Get("/notifications?before=abc").Body); len(notes) != notify.PageSize || notes[0].id != ids[119] {
		t.Errorf("a bad cursor: %d notifications", len(notes))
	}
	if page := c.Get("/notifications?before=" + itoa(ids[0])); len(notesOf(t, page.Body)) != 0 || !strings.Contains(page.Body, `data-testid="notifications-empty"`) {
		t.Error("past the last notification, the page is not empty")
	}
	if n, _ := app.Portal.Inbox.Unread(context.Background(), buyer); n != 0 {
		t.Errorf("after every page: %d unread", n)
	}

	// Mark all read: what the page showed, up to its newest.
	more := notifyOrg(t, app, 12, func(i int) notify.Notification {
		return notify.Notification{OrgID: orgID, Key: "order_shipped", Args: []string{strconv.Itoa(9000 + i), "Konveksi Uji"}}
	})
	upTo := more[10]
	for _, bad := range []string{"", "0", "-1", "abc", "1.5"} {
		if r := c.Post("/notifications/read", url.Values{"up_to": {bad}}); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("up_to %q: %d, want 422", bad, r.StatusCode)
		}
	}
	if n, _ := app.Portal.Inbox.Unread(context.Background(), buyer); n != notify.UnreadCap {
		t.Errorf("a refused form marked some read: %d unread", n)
	}
	r := c.Post("/notifications/read", url.Values{"up_to": {itoa(upTo)}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/notifications" {
		t.Fatalf("mark all read: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	page := c.Get("/notifications")
	if !strings.Contains(page.Body, "Ditandai sudah dibaca: 11 notifikasi.") {
		t.Error("no message of what was marked")
	}
	notes := notesOf(t, page.Body)
	if len(notes) < 2 || notes[0] != (shownNote{more[11], true}) || notes[1] != (shownNote{more[10], false}) {
		t.Errorf("after marking up to %d: %+v", upTo, notes[:min(len(notes), 2)])
	}
	// Another organisation's "mark all read" reads none of these.
	readEverything(t, app)
	last := notifyOrg(t, app, 1, func(int) notify.Notification {
		return notify.Notification{OrgID: orgID, Key: "order_shipped", Args: []string{"9999", "Konveksi Uji"}}
	})[0]
	sup := app.Client(t)
	sup.Login("umkm@pasokan.test", "pasokan-demo", "/supplier")
	if r := sup.Post("/notifications/read", url.Values{"up_to": {itoa(last)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("the supplier's mark all read: %d", r.StatusCode)
	}
	if isRead(t, app, last) {
		t.Error("a supplier's mark all read read the buyer's notification")
	}
}

// TestSampleRequestNotificationSaysWhatWhereWhen: a curator's sample request
// tells the supplier, on its page of notifications and by e-mail, what to
// send, where and by when, in the reader's language; a request without an
// address or a day is refused and stores nothing.
func TestSampleRequestNotificationSaysWhatWhereWhen(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	sup, review := submittedSupplier(t, app, "sampel@contoh.id", 5)
	cur := app.Client(t)
	cur.Login("kurator@pasokan.test", "pasokan-demo", "/curation")
	cur.Post(review+"/claim", url.Values{"version": {reviewVersion(t, cur.Get(review).Body)}})

	for name, f := range map[string]url.Values{
		"no address":   {"product_type": {"masker-kain"}, "note": {""}, "send_to": {""}, "due_on": {"2099-01-01"}},
		"no day":       {"product_type": {"masker-kain"}, "note": {""}, "send_to": {"Jl. Cigadung Raya 12, Bandung"}, "due_on": {""}},
		"a day passed": {"product_type": {"masker-kain"}, "note": {""}, "send_to": {"Jl. Cigadung Raya 12, Bandung"}, "due_on": {"2020-04-21"}},
	} {
		if r := cur.Post(review+"/samples", f); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", name, r.StatusCode)
		}
	}
	appID := strings.TrimPrefix(review, "/curation/applications/")
	if n := count(t, app, `SELECT count(*) FROM samples WHERE application_id = $1`, appID); n != 0 {
		t.Fatalf("%d samples stored by refused requests", n)
	}

	form := sampleForm("masker-kain", "5 lembar ukuran dewasa")
	if r := cur.Post(review+"/samples", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sample request: %d", r.StatusCode)
	}
	due, err := time.Parse(time.DateOnly, form.Get("due_on"))
	if err != nil {
		t.Fatal(err)
	}
	dueID := strconv.Itoa(due.Day()) + " " + [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
		"Agustus", "September", "Oktober", "November", "Desember"}[due.Month()-1] + " " + strconv.Itoa(due.Year())
	dueEN := due.Format("2 January 2006")
	where := "Kurator Karya Nusantara, Jl. Cigadung Raya 12, Bandung 40191, 0812-3456-7890"
	if page := cur.Get(review); !strings.Contains(page.Body, "kirim ke Kurator Karya Nusantara") || !strings.Contains(page.Body, "paling lambat "+dueID) {
		t.Error("the review page does not show where and by when the sample goes")
	}

	page := sup.Get("/notifications")
	want := "Kurator meminta sampel fisik: Masker kain (5 lembar ukuran dewasa). Kirim ke " + where + ", paling lambat tiba " + dueID + "."
	if !strings.Contains(page.Body, want) {
		t.Errorf("the supplier's page does not say %q", want)
	}
	if !strings.Contains(page.Body, `href="/notifications/`) {
		t.Error("the notification does not link to the application")
	}
	en := app.Client(t)
	en.SetCookie("pasokan_lang", "en")
	en.Login("sampel@contoh.id", strong, "/supplier")
	wantEN := "The curator asks for a physical sample: Cloth mask (5 lembar ukuran dewasa). Send it to " + where + ", to arrive by " + dueEN + "."
	if page := en.Get("/notifications"); !strings.Contains(page.Body, wantEN) {
		t.Errorf("in English, the page does not say %q", wantEN)
	}

	app.Deliver(t)
	var mail *notify.Email
	for _, e := range app.Emails(t) {
		if e.To == "sampel@contoh.id" && e.Kind == "sample_requested" {
			mail = &e
		}
	}
	if mail == nil {
		t.Fatal("no e-mail of the sample request to the supplier")
	}
	for _, part := range []string{"Masker kain (5 lembar ukuran dewasa)", where, dueID, "/supplier/application"} {
		if !strings.Contains(mail.Body, part) {
			t.Errorf("the e-mail does not say %q:\n%s", part, mail.Body)
		}
	}
}
