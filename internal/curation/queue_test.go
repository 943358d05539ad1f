package curation_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/curation"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/supplier"
	"pasokan/internal/testapp"
)

type bundle struct {
	app   *testapp.App
	store *curation.Store
}

func setup(t *testing.T) bundle {
	t.Helper()
	return bundleOf(testapp.New(t))
}

// setupScale is setup on the demo story at n suppliers.
func setupScale(t *testing.T, n int) bundle {
	t.Helper()
	return bundleOf(testapp.NewScale(t, n))
}

func bundleOf(app *testapp.App) bundle {
	return bundle{app: app, store: app.Curation}
}

// assigned submits a new supplier's application (in Bandung, for cloth
// masks) and has it assigned to the demo partner's curator organisation;
// it returns the partner, the supplier and the application.
func (b bundle) assigned(t *testing.T, email string, shade uint8) (account.Actor, account.Actor, supplier.Application) {
	t.Helper()
	partner := b.actor(t, "kurator@pasokan.test")
	admin := b.actor(t, "admin@pasokan.test")
	dbtest.Must(t, b.store.AddRule(context.Background(), admin, curation.Rule{CuratorOrgID: partner.OrgID}))
	sup, app := b.submitted(t, email, "32", "32.73", "masker-kain", shade)
	b.app.Assign(t)
	return partner, sup, app
}

func (b bundle) actor(t *testing.T, email string) account.Actor {
	t.Helper()
	ctx := context.Background()
	id, err := b.app.Accounts.UserIDByEmail(ctx, email)
	dbtest.Must(t, err)
	ms, err := b.app.Accounts.Memberships(ctx, id)
	dbtest.Must(t, err)
	a, err := b.app.Accounts.LoadActor(ctx, id, ms[0].OrgID)
	dbtest.Must(t, err)
	return a
}

// newCurator opens another curator organisation with one lead.
func (b bundle) newCurator(t *testing.T, name, email string) account.Actor {
	t.Helper()
	ctx := context.Background()
	admin := b.actor(t, "admin@pasokan.test")
	_, err := b.app.Accounts.CreateOrganization(ctx, admin, account.NewOrganization{Kind: account.KindCurator, Name: name, AdminEmail: email})
	dbtest.Must(t, err)
	token := b.app.LinkIn(t, email, "invitation")
	token = token[len(b.app.URL+"/invitations/"):]
	u, inv, err := b.app.Accounts.AcceptAsNewUser(ctx, token, "Kurator "+name, "kain tiga lapis", "id")
	dbtest.Must(t, err)
	a, err := b.app.Accounts.LoadActor(ctx, u.ID, inv.OrgID)
	dbtest.Must(t, err)
	return a
}

func photo(t *testing.T, shade uint8) []byte {
	img := image.NewGray(image.Rect(0, 0, 120, 120))
	img.Pix[0] = shade
	var buf bytes.Buffer
	dbtest.Must(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// submitted registers a supplier in province and submits a complete
// application making product.
func (b bundle) submitted(t *testing.T, email, province, regency, product string, shade uint8) (account.Actor, supplier.Application) {
	t.Helper()
	ctx := context.Background()
	u, o, err := b.app.Accounts.Register(ctx, account.Registration{Name: "Pemilik", Email: email, Password: "kain tiga lapis", OrganizationName: "Usaha " + email})
	dbtest.Must(t, err)
	a, err := b.app.Accounts.LoadActor(ctx, u.ID, o.ID)
	dbtest.Must(t, err)
	s := b.app.Suppliers
	_, err = s.SaveProfile(ctx, a, supplier.ProfileInput{LegalName: "CV " + email, LegalForm: "cv", SizeClass: "kecil",
		NIB: "91200012345" + string('0'+rune(shade%10)) + "7", NPWP: "01.234.567.4-015.000", KBLI: "14111", ProvinceCode: province, RegencyCode: regency,
		Address: "Jl. Uji", Phone: "0812-3456-78" + string('0'+rune(shade%10)) + "0", Workforce: "10"})
	dbtest.Must(t, err)
	_, err = s.AddProduct(ctx, a, supplier.ProductInput{ProductType: product, MonthlyCapacity: "1000", PriceMin: "1000", PriceMax: "2000"})
	dbtest.Must(t, err)
	_, err = s.AddDocument(ctx, a, supplier.Upload{Kind: "nib", FileName: "nib.pdf", Data: []byte("%PDF-1.4\n" + email + "\n%%EOF")})
	dbtest.Must(t, err)
	_, err = s.AddDocument(ctx, a, supplier.Upload{Kind: "photo", FileName: "f.png", Data: photo(t, shade)})
	dbtest.Must(t, err)
	app, err := s.Application(ctx, a)
	dbtest.Must(t, err)
	app, err = s.Submit(ctx, a, app.Version)
	dbtest.Must(t, err)
	return a, app
}

func TestAssignmentRulesAndQueue(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	admin := b.actor(t, "admin@pasokan.test")
	partner := b.actor(t, "kurator@pasokan.test")
	jabar := b.newCurator(t, "Kurator Jawa Barat", "lead.jabar@contoh.id")

	dbtest.Must(t, b.store.AddRule(ctx, admin, curation.Rule{CuratorOrgID: partner.OrgID}))                             // everything
	dbtest.Must(t, b.store.AddRule(ctx, admin, curation.Rule{CuratorOrgID: jabar.OrgID, ProvinceCode: "32"}))           // Jawa Barat
	dbtest.Must(t, b.store.AddRule(ctx, admin, curation.Rule{CuratorOrgID: partner.OrgID, Category: "hand_sanitizer"})) // sanitizer

	_, bandung := b.submitted(t, "a@contoh.id", "32", "32.73", "masker-kain", 1)
	_, jakarta := b.submitted(t, "b@contoh.id", "31", "31.71", "masker-kain", 2)
	// Before assignment no curator sees them.
	page, err := b.store.Queue(ctx, jabar, curation.QueueFilter{})
	dbtest.Must(t, err)
	if len(page.Items) != 0 {
		t.Fatalf("unassigned applications visible: %d", len(page.Items))
	}
	n, err := b.store.AssignPending(ctx, 100)
	dbtest.Must(t, err)
	if n < 2 {
		t.Fatalf("assigned %d", n)
	}
	page, err = b.store.Queue(ctx, jabar, curation.QueueFilter{})
	dbtest.Must(t, err)
	if len(page.Items) != 1 || page.Items[0].AppID != bandung.ID {
		t.Fatalf("Jawa Barat's queue = %+v", page.Items)
	}
	page, err = b.store.Queue(ctx, partner, curation.QueueFilter{})
	dbtest.Must(t, err)
	var sawJakarta, sawBandung bool
	for _, it := range page.Items {
		sawJakarta = sawJakarta || it.AppID == jakarta.ID
		sawBandung = sawBandung || it.AppID == bandung.ID
	}
	if !sawJakarta || sawBandung {
		t.Errorf("partner's queue: Jakarta %v, Bandung %v", sawJakarta, sawBandung)
	}
	// Filters.
	page, err = b.store.Queue(ctx, partner, curation.QueueFilter{Province: "31"})
	dbtest.Must(t, err)
	if len(page.Items) != 1 || page.Items[0].AppID != jakarta.ID {
		t.Errorf("province filter: %+v", page.Items)
	}
	page, err = b.store.Queue(ctx, partner, curation.QueueFilter{Q: "b@contoh.id"})
	dbtest.Must(t, err)
	if len(page.Items) != 1 {
		t.Errorf("name search found %d", len(page.Items))
	}
	// A supplier has no queue.
	sup := b.actor(t, "umkm@pasokan.test")
	if _, err := b.store.Queue(ctx, sup, curation.QueueFilter{}); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("supplier queue: %v", err)
	}
}

func TestClaimAndConflicts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	admin := b.actor(t, "admin@pasokan.test")
	partner := b.actor(t, "kurator@pasokan.test")
	other := b.newCurator(t, "Kurator Lain", "lain@contoh.id")
	_, app := b.submitted(t, "a@contoh.id", "32", "32.73", "masker-kain", 1)
	dbtest.Must(t, b.store.AssignTo(ctx, admin, app.ID, partner.OrgID))

	// Another curator organisation cannot claim it: not found.
	if err := b.store.Claim(ctx, other, app.ID, app.Version); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("other organisation claiming: %v", err)
	}
	dbtest.Must(t, b.store.Claim(ctx, partner, app.ID, app.Version))
	page, err := b.store.Queue(ctx, partner, curation.QueueFilter{Assignee: "me"})
	dbtest.Must(t, err)
	if len(page.Items) != 1 || page.Items[0].Status != supplier.StatusInReview || page.Items[0].AssigneeID != partner.UserID {
		t.Fatalf("after claim: %+v", page.Items)
	}
	// A stale claim fails.
	if err := b.store.Claim(ctx, partner, app.ID, app.Version); !errors.Is(err, database.ErrStale) {
		t.Errorf("stale claim: %v", err)
	}
	if c, err := b.store.Case(ctx, partner, app.ID); err != nil || c.Conflict {
		t.Fatalf("the case before a conflict: conflict %v, %v", c.Conflict, err)
	}
	dbtest.Must(t, b.store.DeclareConflict(ctx, partner, app.ID, "Pemilik adalah saudara saya"))
	if c, err := b.store.Case(ctx, partner, app.ID); err != nil || !c.Conflict {
		t.Errorf("the case after declaring a conflict: conflict %v, %v", c.Conflict, err)
	}
	page, _ = b.store.Queue(ctx, partner, curation.QueueFilter{Q: "a@contoh.id"})
	if len(page.Items) != 1 {
		t.Fatalf("queue by name: %d", len(page.Items))
	}
	if page.Items[0].AssigneeID != 0 {
		t.Error("declaring a conflict kept the curator assigned")
	}
	if err := b.store.Claim(ctx, partner, app.ID, page.Items[0].Version); !errors.Is(err, curation.ErrConflictOfInterest) {
		t.Errorf("claim after declaring a conflict: %v", err)
	}
}

// TestQueueNamesItsAssignees: each row names its assignee, read from the
// organisation's members with the page, a disabled one too; the filter by
// assignee offers only those who may still claim.
func TestQueueNamesItsAssignees(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	partner, _, app := b.assigned(t, "nama@contoh.id", 3)
	_, unclaimed := b.submitted(t, "lain@contoh.id", "32", "32.73", "masker-kain", 4)
	b.app.Assign(t)
	dbtest.Must(t, b.store.Claim(ctx, partner, app.ID, app.Version))
	names := func() (map[int64]string, []curation.Curator) {
		t.Helper()
		page, err := b.store.Queue(ctx, partner, curation.QueueFilter{})
		dbtest.Must(t, err)
		got := map[int64]string{}
		for _, it := range page.Items {
			got[it.AppID] = it.AssigneeName
		}
		return got, page.Curators
	}
	got, curators := names()
	if got[app.ID] != partner.UserName || partner.UserName == "" {
		t.Errorf("the claimed row names %q, want %q", got[app.ID], partner.UserName)
	}
	if name, ok := got[unclaimed.ID]; !ok || name != "" {
		t.Errorf("the unclaimed row names %q (listed %v)", name, ok)
	}
	offered := func(cs []curation.Curator) bool {
		for _, c := range cs {
			if c.UserID == partner.UserID {
				return true
			}
		}
		return false
	}
	if !offered(curators) {
		t.Errorf("the assignee filter does not offer %s: %+v", partner.UserName, curators)
	}
	dbtest.Must(t, b.app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE users SET disabled_at = now() WHERE id = $1`, partner.UserID)
		return err
	}))
	got, curators = names()
	if got[app.ID] != partner.UserName {
		t.Errorf("after the assignee was disabled the row names %q, want %q", got[app.ID], partner.UserName)
	}
	if offered(curators) {
		t.Errorf("the assignee filter offers a disabled curator")
	}
}

// The counts kept by the trigger agree with counting the rows.
func TestQueueCountsMatchTheRows(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	admin := b.actor(t, "admin@pasokan.test")
	partner := b.actor(t, "kurator@pasokan.test")
	_, app1 := b.submitted(t, "a@contoh.id", "32", "32.73", "masker-kain", 1)
	_, app2 := b.submitted(t, "b@contoh.id", "31", "31.71", "masker-kain", 2)
	dbtest.Must(t, b.store.AssignTo(ctx, admin, app1.ID, partner.OrgID))
	dbtest.Must(t, b.store.AssignTo(ctx, admin, app2.ID, partner.OrgID))
	dbtest.Must(t, b.store.Claim(ctx, partner, app1.ID, app1.Version))
	page, err := b.store.Queue(ctx, partner, curation.QueueFilter{})
	dbtest.Must(t, err)
	want := map[supplier.Status]int{}
	err = b.app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT status, count(*) FROM applications WHERE assigned_org_id = $1 GROUP BY status`, partner.OrgID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var st supplier.Status
			var n int
			if err := rows.Scan(&st, &n); err != nil {
				return err
			}
			want[st] = n
		}
		return rows.Err()
	})
	dbtest.Must(t, err)
	for st, n := range want {
		if page.Counts[st] != n {
			t.Errorf("%s: counted %d, kept %d", st, n, page.Counts[st])
		}
	}
	if page.Counts[supplier.StatusInReview] < 1 || page.Counts[supplier.StatusSubmitted] < 1 {
		t.Errorf("counts %v", page.Counts)
	}
}

// The demo's cloth-mask curations of 2020 rest on the WHO-based checklist,
// replaced by SNI 8914:2020 in September 2020, and its respirators curated
// on GB 2626-2006, replaced by GB 2626-2019 on 1 July 2020: they are due
// again.
func TestRecurationDueAfterAStandardChanges(t *testing.T) {
	t.Parallel()
	b := setupScale(t, 330)
	store := b.store
	ctx := context.Background()
	admin := b.actor(t, "admin@pasokan.test")
	partner := b.actor(t, "kurator@pasokan.test")
	before, err := store.RecurationDue(ctx, admin, time.Date(2020, 6, 30, 0, 0, 0, 0, time.UTC), 500)
	dbtest.Must(t, err)
	if len(before) != 0 {
		t.Errorf("%d due before the standards changed", len(before))
	}
	after, err := store.RecurationDue(ctx, admin, time.Date(2020, 10, 1, 0, 0, 0, 0, time.UTC), 500)
	dbtest.Must(t, err)
	if len(after) == 0 {
		t.Fatal("no cloth-mask curation is due after SNI 8914:2020")
	}
	for _, r := range after {
		if r.ProductType != "masker-kain" && r.ProductType != "respirator" || r.Version != 1 {
			t.Errorf("due: %+v", r)
		}
	}
	own, err := store.RecurationDue(ctx, partner, time.Date(2020, 10, 1, 0, 0, 0, 0, time.UTC), 500)
	dbtest.Must(t, err)
	if len(own) != len(after) {
		t.Errorf("the partner sees %d of %d", len(own), len(after))
	}
	times, err := store.DecisionTimes(ctx, admin)
	dbtest.Must(t, err)
	if len(times) == 0 || times[0].Decided == 0 || times[0].MedianHours <= 0 {
		t.Errorf("decision times: %+v", times)
	}
}
