package database_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/app"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/notify"
	"pasokan/internal/supplier"
	"pasokan/internal/testapp"
)

// A cluster archives its WAL; a base backup is taken; one supplier submits
// its application, the moment is noted, a second supplier submits. The
// cluster recovered from the base and the archive to that moment holds the
// first submission and not the second (that application is the draft it
// was at the moment), the portal's application role reads both through the
// stores, and the copy accepts writes: the second supplier submits again.
func TestPITRRecoversToTheMomentBetweenTwoSubmissions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := dbtest.OwnCluster(t)
	archive := filepath.Join(c.Root, "wal-archive")
	dbtest.Must(t, c.SetWALArchive(ctx, archive))
	if got, err := c.WALArchive(); err != nil || got != archive {
		t.Fatalf("the cluster archives into %q (%v), want %q", got, err, archive)
	}
	db := dbtest.NewOn(t, c)
	portal := stores(t, db.App)
	early := draftApplication(t, portal, "pagi@contoh.id", "Konveksi Pagi")
	late := draftApplication(t, portal, "sore@contoh.id", "Konveksi Sore")

	base := filepath.Join(c.Root, "base")
	b, err := c.BaseBackup(ctx, base)
	dbtest.Must(t, err)
	t.Logf("base backup of %.1f MB in %s", float64(b.Bytes)/1e6, b.Finished.Sub(b.Started).Round(time.Millisecond))
	if _, err := os.Stat(filepath.Join(base, "credentials.json")); err != nil {
		t.Fatalf("the base backup carries no credentials: %v", err)
	}

	submitted := submit(t, portal, early)
	super, err := pgx.Connect(ctx, c.SuperURL("postgres"))
	dbtest.Must(t, err)
	defer super.Close(ctx)
	var target time.Time
	dbtest.Must(t, super.QueryRow(ctx, `SELECT clock_timestamp()`).Scan(&target))
	submit(t, portal, late)
	segment, err := database.ArchiveCurrentWAL(ctx, c.SuperURL("postgres"))
	dbtest.Must(t, err)
	if _, err := os.Stat(filepath.Join(archive, segment)); err != nil {
		t.Fatalf("the archiver reported %s archived, but: %v", segment, err)
	}

	rec, err := database.Recover(ctx, filepath.Join(c.Root, "recovered"), database.RecoverOptions{
		Base: base, Archive: archive, Target: target})
	if rec != nil {
		t.Cleanup(func() { _ = rec.StopIfRunning(context.Background()) })
	}
	dbtest.Must(t, err)
	t.Logf("recovered to %s in %s; last commit replayed at %s", target.Format(time.RFC3339Nano),
		rec.Took.Round(time.Millisecond), rec.LastCommit.Format(time.RFC3339Nano))
	if rec.Root == c.Root || rec.Port() == c.Port() {
		t.Fatalf("the recovered cluster shares the source's folder or port (%s, %d)", rec.Root, rec.Port())
	}
	if rec.LastCommit.Before(*submitted.SubmittedAt) || rec.LastCommit.After(target) {
		t.Errorf("the last commit replayed was at %s, want between the first submission (%s) and the target (%s)",
			rec.LastCommit, submitted.SubmittedAt, target)
	}
	if got, err := rec.WALArchive(); err != nil || got != "" {
		t.Errorf("the recovered cluster archives into %q (%v): it would mix its WAL with the source's", got, err)
	}

	// The portal, as its application role, on the copy.
	copyDB, err := database.Open(ctx, rec.AppURL(db.Name), database.Options{MaxConns: 4, ApplicationName: "recovered"})
	dbtest.Must(t, err)
	defer copyDB.Close()
	dbtest.Must(t, copyDB.CheckAppRole(ctx))
	recovered := stores(t, copyDB)
	for _, tc := range []struct {
		name        string
		who         applicant
		status      supplier.Status
		submissions int
	}{
		{"submitted before the target", early, supplier.StatusSubmitted, 1},
		{"submitted after the target", late, supplier.StatusDraft, 0},
	} {
		a, err := recovered.Accounts.LoadActor(ctx, tc.who.UserID, tc.who.OrgID)
		if err != nil {
			t.Errorf("%s: the supplier on the copy: %v", tc.name, err)
			continue
		}
		got, err := recovered.Suppliers.Application(ctx, a)
		if err != nil {
			t.Errorf("%s: the application on the copy: %v", tc.name, err)
			continue
		}
		if got.Status != tc.status || got.Submissions != tc.submissions || submittedEvents(got) != tc.submissions {
			t.Errorf("%s: on the copy the application is %s with %d submissions and %d submit events, want %s and %d",
				tc.name, got.Status, got.Submissions, submittedEvents(got), tc.status, tc.submissions)
		}
	}
	// The source still holds both: the difference is the recovery's.
	a, err := portal.Accounts.LoadActor(ctx, late.UserID, late.OrgID)
	dbtest.Must(t, err)
	if got, err := portal.Suppliers.Application(ctx, a); err != nil || got.Status != supplier.StatusSubmitted {
		t.Errorf("on the source the second application is %s (%v), want submitted", got.Status, err)
	}
	// The copy was promoted: it takes the second submission again.
	again := submit(t, recovered, late)
	if again.Status != supplier.StatusSubmitted {
		t.Errorf("submitting on the copy: %s", again.Status)
	}
}

// A recovery to a moment before the base backup ended is refused before
// anything is copied, and so is one into a folder already holding a
// cluster.
func TestRecoverRefusesATargetBeforeTheBase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := dbtest.OwnCluster(t)
	archive := filepath.Join(c.Root, "wal-archive")
	dbtest.Must(t, c.SetWALArchive(ctx, archive))
	base := filepath.Join(c.Root, "base")
	b, err := c.BaseBackup(ctx, base)
	dbtest.Must(t, err)
	into := filepath.Join(c.Root, "recovered")
	_, err = database.Recover(ctx, into, database.RecoverOptions{Base: base, Archive: archive, Target: b.Started})
	if err == nil {
		t.Fatal("a recovery to the moment the base backup began was not refused")
	}
	if _, statErr := os.Stat(into); !os.IsNotExist(statErr) {
		t.Errorf("the refused recovery left %s (%v)", into, statErr)
	}
	if _, err := database.Recover(ctx, c.Root, database.RecoverOptions{Base: base, Archive: archive, Target: time.Now()}); err == nil {
		t.Error("a recovery over a running cluster was not refused")
	}
	// Archiving off: the cluster is restarted without it, and a base
	// backup, which nothing could carry forward, is refused.
	dbtest.Must(t, c.SetWALArchive(ctx, ""))
	if got, err := c.WALArchive(); err != nil || got != "" {
		t.Errorf("after turning archiving off the cluster archives into %q (%v)", got, err)
	}
	if _, err := c.BaseBackup(ctx, filepath.Join(c.Root, "base2")); err == nil {
		t.Error("a base backup of a cluster that does not archive was not refused")
	}
}

// applicant is a supplier's owner and organisation.
type applicant struct{ UserID, OrgID int64 }

// stores are the portal's, from its composition root, on db.
func stores(t *testing.T, db *database.DB) *app.App {
	t.Helper()
	a, err := app.New(db, app.Options{Passwords: testapp.Passwords(t), BaseURL: "http://pasokan.test",
		Mailer: notify.LocalMailer{}, TestOnly: true})
	dbtest.Must(t, err)
	return a
}

// draftApplication registers a supplier and completes its application:
// profile, one product, an NIB scan and a photo; not submitted.
func draftApplication(t *testing.T, portal *app.App, email, org string) applicant {
	t.Helper()
	ctx := context.Background()
	u, o, err := portal.Accounts.Register(ctx, account.Registration{Name: "Pemilik " + org, Email: email,
		Password: "kain tiga lapis", OrganizationName: org})
	dbtest.Must(t, err)
	a, err := portal.Accounts.LoadActor(ctx, u.ID, o.ID)
	dbtest.Must(t, err)
	_, err = portal.Suppliers.SaveProfile(ctx, a, supplier.ProfileInput{
		LegalName: "CV " + org, TradingName: org, LegalForm: "cv", SizeClass: "kecil",
		NIB: "9120001234567", NPWP: "01.234.567.4-015.000", KBLI: "14111", OriginalSector: "Konveksi pakaian",
		ProvinceCode: "32", RegencyCode: "32.73", Address: "Jl. Cigadung Raya 12, Bandung", Phone: "0812-3456-7890",
		Workforce: "25", Equipment: "20 mesin jahit"})
	dbtest.Must(t, err)
	_, err = portal.Suppliers.AddProduct(ctx, a, supplier.ProductInput{ProductType: "masker-kain", MonthlyCapacity: "50.000",
		LeadTimeDays: "14", PriceMin: "2.500", PriceMax: "4.000", Materials: "Katun 3 lapis"})
	dbtest.Must(t, err)
	_, err = portal.Suppliers.AddDocument(ctx, a, supplier.Upload{Kind: "nib", FileName: "nib.pdf",
		Data: []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n" + email)})
	dbtest.Must(t, err)
	_, err = portal.Suppliers.AddDocument(ctx, a, supplier.Upload{Kind: "photo", FileName: "foto.png", Data: testapp.BombPNG(320, 240)})
	dbtest.Must(t, err)
	return applicant{UserID: u.ID, OrgID: o.ID}
}

// submit submits who's application as it stands.
func submit(t *testing.T, portal *app.App, who applicant) supplier.Application {
	t.Helper()
	ctx := context.Background()
	a, err := portal.Accounts.LoadActor(ctx, who.UserID, who.OrgID)
	dbtest.Must(t, err)
	cur, err := portal.Suppliers.Application(ctx, a)
	dbtest.Must(t, err)
	got, err := portal.Suppliers.Submit(ctx, a, cur.Version)
	dbtest.Must(t, err)
	if got.Status != supplier.StatusSubmitted || got.SubmittedAt == nil {
		t.Fatalf("submitted: %s at %v", got.Status, got.SubmittedAt)
	}
	return got
}

func submittedEvents(a supplier.Application) int {
	n := 0
	for _, e := range a.Events {
		if e.Action == "application.submitted" {
			n++
		}
	}
	return n
}
