package demo_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"image"
	_ "image/png"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/demo"
	"pasokan/internal/notify"
	"pasokan/internal/product"
	"pasokan/internal/region"
	"pasokan/internal/supplier"
	"pasokan/internal/testapp"
)

// seeded returns a fresh database holding the story of n suppliers.
func seeded(t *testing.T, n int) (*dbtest.DB, demo.Stats) {
	t.Helper()
	db := dbtest.New(t)
	st, err := demo.SeedScale(context.Background(), db.App, testapp.Passwords(t), n)
	if err != nil || !st.Seeded {
		t.Fatalf("seed %d: %+v, %v", n, st, err)
	}
	t.Logf("seeded %d suppliers: %d rows in %v (%.0f rows/s)", n, st.TotalRows(), st.Elapsed.Round(time.Millisecond), st.RowsPerSecond())
	return db, st
}

// daysMoved is how many days the seed moved the 2020 story into the
// present, as its audit event says.
func daysMoved(t *testing.T, db *dbtest.DB) int {
	t.Helper()
	return one(t, db, `SELECT (detail->>'days_moved')::int FROM audit_events WHERE action = 'demo.seeded'`)
}

// storyDateRe finds a quoted day in a test's SQL.
var storyDateRe = regexp.MustCompile(`'(20[0-9]{2}-[0-9]{2}-[0-9]{2})'`)

// present writes the days of the 2020 story in q ('2020-06-01') as the
// seed moved them, so that a test says when in the story it means.
func present(t *testing.T, db *dbtest.DB, q string) string {
	t.Helper()
	days := daysMoved(t, db)
	return storyDateRe.ReplaceAllStringFunc(q, func(m string) string {
		d, err := time.Parse(time.DateOnly, m[1:len(m)-1])
		if err != nil {
			t.Fatalf("%s in %s: %v", m, q, err)
		}
		return "'" + d.AddDate(0, 0, days).Format(time.DateOnly) + "'"
	})
}

// query runs q in system scope and hands each row to scan.
func query(t *testing.T, db *dbtest.DB, q string, scan func(pgx.Rows) error, args ...any) {
	t.Helper()
	err := db.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	dbtest.Must(t, err)
}

// each runs q in system scope and hands each row, read into a T by column
// name, to use.
func each[T any](t *testing.T, db *dbtest.DB, q string, use func(T) error, args ...any) {
	t.Helper()
	query(t, db, q, func(r pgx.Rows) error {
		v, err := pgx.RowToStructByName[T](r)
		if err != nil {
			return err
		}
		return use(v)
	}, args...)
}

// counts returns key -> count for a query of two columns.
func counts(t *testing.T, db *dbtest.DB, q string, args ...any) map[string]int {
	t.Helper()
	out := map[string]int{}
	query(t, db, q, func(r pgx.Rows) error {
		var k string
		var n int
		err := r.Scan(&k, &n)
		out[k] = n
		return err
	}, args...)
	return out
}

func one(t *testing.T, db *dbtest.DB, q string, args ...any) int {
	t.Helper()
	var n int
	query(t, db, q, func(r pgx.Rows) error { return r.Scan(&n) }, args...)
	return n
}

func TestSeedTellsThe2020Story(t *testing.T) {
	t.Parallel()
	db, st := seeded(t, demo.DefaultSuppliers)
	ctx := context.Background()

	t.Run("330 suppliers in 16 provinces, mostly on Java", func(t *testing.T) {
		if n := one(t, db, `SELECT count(*) FROM organizations WHERE kind = 'supplier'`); n != 330 {
			t.Errorf("supplier organisations: %d, want 330", n)
		}
		if n := one(t, db, `SELECT count(*) FROM supplier_profiles`); n != 330 {
			t.Errorf("profiles: %d, want 330", n)
		}
		byProv := counts(t, db, `SELECT province_code, count(*) FROM supplier_profiles GROUP BY 1`)
		if len(byProv) != 16 {
			t.Errorf("provinces: %d (%v), want 16", len(byProv), byProv)
		}
		java := byProv["31"] + byProv["32"] + byProv["33"] + byProv["34"] + byProv["35"] + byProv["36"]
		if java < 200 {
			t.Errorf("suppliers on Java: %d of 330, want most", java)
		}
		t.Logf("per province: %v", byProv)
	})

	t.Run("80 curated, every other status present", func(t *testing.T) {
		byStatus := counts(t, db, `SELECT status, count(*) FROM applications GROUP BY 1`)
		if byStatus["curated"] != 80 {
			t.Errorf("curated: %d, want 80", byStatus["curated"])
		}
		total := 0
		for _, s := range supplier.Statuses {
			if byStatus[string(s)] == 0 {
				t.Errorf("no application is %s", s)
			}
			total += byStatus[string(s)]
		}
		if total != 330 || one(t, db, `SELECT count(DISTINCT organization_id) FROM applications`) != 330 {
			t.Errorf("applications: %d, want one per supplier", total)
		}
		t.Logf("per status: %v", byStatus)
	})

	t.Run("every application's path is whole", func(t *testing.T) {
		curator := one(t, db, `SELECT id FROM organizations WHERE name = $1`, demo.Accounts[1].Org)
		var checked int
		type path struct {
			ID                                          int64
			Status                                      supplier.Status
			Version, Submissions, AssignedOrgID         int
			Decided                                     bool
			Snapshots, NIBs, Photos, Submits, Curations int
			Versions                                    []int32
			Statuses                                    []string
			InStory                                     bool
			Flags                                       int
		}
		each(t, db, present(t, db, `SELECT a.id, a.status, a.version, a.submissions, coalesce(a.assigned_org_id, 0) AS assigned_org_id,
       a.decided_at IS NOT NULL AS decided,
       (SELECT count(*) FROM application_snapshots s WHERE s.application_id = a.id) AS snapshots,
       (SELECT count(*) FROM documents d WHERE d.organization_id = a.organization_id AND d.kind = 'nib' AND d.removed_at IS NULL) AS nibs,
       (SELECT count(*) FROM documents d WHERE d.organization_id = a.organization_id AND d.kind = 'photo' AND d.removed_at IS NULL) AS photos,
       (SELECT count(*) FROM application_events e WHERE e.application_id = a.id
         AND e.action IN ('application.submitted', 'application.resubmitted')) AS submits,
       (SELECT count(*) FROM application_events e WHERE e.application_id = a.id AND e.action = 'application.curated') AS curations,
       (SELECT array_agg(e.version ORDER BY e.id) FROM application_events e WHERE e.application_id = a.id) AS versions,
       (SELECT array_agg(e.to_status ORDER BY e.id) FROM application_events e WHERE e.application_id = a.id) AS statuses,
       (SELECT bool_and(e.occurred_at >= '2020-04-01' AND e.occurred_at < '2020-06-01') FROM application_events e
         WHERE e.application_id = a.id) AS in_story,
       (SELECT count(*) FROM application_flags f WHERE f.application_id = a.id AND f.submission = a.submissions) AS flags
  FROM applications a`), func(r path) error {
			var (
				id                                                         = r.ID
				status                                                     = r.Status
				version, subs, assigned, snaps, nibs, photos, submits, cur = r.Version, r.Submissions, r.AssignedOrgID, r.Snapshots, r.NIBs, r.Photos, r.Submits, r.Curations
				decided, inStory                                           = r.Decided, r.InStory
				versions, tos, flags                                       = r.Versions, r.Statuses, r.Flags
			)
			checked++
			// A status change bumps the version; other events (an
			// assignment, a claim, a sample) carry the current one.
			last, moves := "", 0
			for i, v := range versions {
				if tos[i] != "" {
					last = tos[i]
					moves++
				}
				if int(v) != moves {
					t.Errorf("application %d: event versions %v for statuses %q", id, versions, tos)
					break
				}
			}
			if tos[0] != "draft" || last != string(status) {
				t.Errorf("application %d (%s): events go %v", id, status, tos)
			}
			if int(versions[len(versions)-1]) != version {
				t.Errorf("application %d: version %d, last event's %d", id, version, versions[len(versions)-1])
			}
			if !inStory {
				t.Errorf("application %d: an event outside the story's April and May", id)
			}
			if submits != subs || snaps != subs {
				t.Errorf("application %d: %d submissions, %d submit events, %d snapshots", id, subs, submits, snaps)
			}
			if status == supplier.StatusDraft {
				if subs != 0 || assigned != 0 {
					t.Errorf("draft %d: %d submissions, assigned to %d", id, subs, assigned)
				}
				return nil
			}
			if subs < 1 || nibs != 1 || photos != 1 {
				t.Errorf("application %d (%s): %d submissions, %d nib documents, %d photos", id, status, subs, nibs, photos)
			}
			if assigned != curator {
				t.Errorf("application %d (%s): assigned to %d, want the curation partner %d", id, status, assigned, curator)
			}
			switch status {
			case supplier.StatusCurated, supplier.StatusSuspended:
				if cur != 1 || !decided {
					t.Errorf("application %d (%s): %d curated events, decided %v", id, status, cur, decided)
				}
			case supplier.StatusRejected:
				if !decided {
					t.Errorf("rejected %d: no decided_at", id)
				}
			case supplier.StatusRevisionRequested:
				if flags == 0 {
					t.Errorf("revision of %d asks for nothing: no flags at submission %d", id, subs)
				}
			}
			return nil
		})
		if checked != 330 {
			t.Errorf("checked %d applications", checked)
		}
	})

	t.Run("the calendar holds together", func(t *testing.T) {
		for name, q := range map[string]string{
			"organisation registered after its application started": `SELECT count(*) FROM organizations o
  JOIN applications a ON a.organization_id = o.id WHERE o.created_at > a.created_at`,
			"owner joined after the organisation": `SELECT count(*) FROM memberships m
  JOIN organizations o ON o.id = m.organization_id JOIN users u ON u.id = m.user_id
 WHERE o.kind = 'supplier' AND (u.created_at <> o.created_at OR m.created_at <> o.created_at)`,
			"events out of order": `SELECT count(*) FROM application_events e JOIN application_events f
    ON f.application_id = e.application_id AND f.id > e.id WHERE f.occurred_at < e.occurred_at`,
			"document before its application or after the story": `SELECT count(*) FROM documents d
  JOIN applications a ON a.id = d.application_id WHERE d.created_at < a.created_at OR d.created_at > '2020-06-01'`,
			"snapshot not at its submission": `SELECT count(*) FROM application_snapshots s WHERE NOT EXISTS (
    SELECT 1 FROM application_events e WHERE e.application_id = s.application_id AND e.occurred_at = s.submitted_at
       AND e.detail->>'submission' = s.submission::text)`,
			"flag not at a revision request": `SELECT count(*) FROM application_flags f WHERE NOT EXISTS (
    SELECT 1 FROM application_events e WHERE e.application_id = f.application_id AND e.occurred_at = f.created_at
       AND e.action = 'application.revision_requested')`,
			"submitted_at not the last submission": `SELECT count(*) FROM applications a WHERE a.submissions > 0
   AND a.submitted_at <> (SELECT max(occurred_at) FROM application_events e WHERE e.application_id = a.id
                           AND e.action IN ('application.submitted', 'application.resubmitted'))`,
		} {
			if n := one(t, db, present(t, db, q)); n != 0 {
				t.Errorf("%s: %d", name, n)
			}
		}
	})

	t.Run("flags name a field, a product or a document of the application", func(t *testing.T) {
		each(t, db, `SELECT f.application_id, f.target, f.target_key, f.reason,
       EXISTS (SELECT 1 FROM application_products p WHERE p.application_id = f.application_id AND p.product_type = f.target_key) AS is_product
  FROM application_flags f`, func(r struct {
			ApplicationID             int64
			Target, TargetKey, Reason string
			IsProduct                 bool
		}) error {
			id, target, key, reason, isProduct := r.ApplicationID, r.Target, r.TargetKey, r.Reason, r.IsProduct
			ok := (target == "field" && slices.Contains(supplier.ProfileFields, key)) ||
				(target == "product" && isProduct) || (target == "document" && slices.Contains(supplier.DocumentKinds, key))
			if !ok || reason == "" {
				t.Errorf("flag on %d: %s %q %q", id, target, key, reason)
			}
			return nil
		})
	})

	t.Run("profiles and products pass the portal's own checks", func(t *testing.T) {
		regions, err := region.NewStore(db.App).Load(ctx)
		dbtest.Must(t, err)
		catalog, err := product.NewStore(db.App).Load(ctx)
		dbtest.Must(t, err)
		each(t, db, `SELECT p.organization_id AS org_id, p.legal_name, p.trading_name, p.legal_form, p.size_class, p.nib, p.npwp,
       p.kbli, p.kbli_edition, p.original_sector, p.province_code, p.regency_code, p.address, p.phone, p.workforce,
       p.equipment, p.updated_at, a.status
  FROM supplier_profiles p JOIN applications a USING (organization_id)`, func(r struct {
			supplier.Profile
			Status supplier.Status
		}) error {
			p, status := r.Profile, r.Status
			v := p.Input()
			in := supplier.ProfileInput{LegalName: v["legal_name"], TradingName: v["trading_name"], LegalForm: v["legal_form"],
				SizeClass: v["size_class"], NIB: v["nib"], NPWP: v["npwp"], KBLI: v["kbli"], OriginalSector: v["original_sector"],
				ProvinceCode: v["province_code"], RegencyCode: v["regency_code"], Address: v["address"], Phone: v["phone"],
				Workforce: v["workforce"], Equipment: v["equipment"]}
			parsed, errs := in.Parse(regions)
			if errs.Any() {
				t.Errorf("profile of %d (%s) fails the form: %v", p.OrgID, p.LegalName, errs)
			}
			if parsed.NIB != p.NIB || parsed.NPWP != p.NPWP || parsed.Phone != p.Phone {
				t.Errorf("profile of %d: identifiers change when typed again: %q %q %q", p.OrgID, parsed.NIB, parsed.NPWP, parsed.Phone)
			}
			if _, ok := supplier.NormalizeNIB(p.NIB); !ok {
				t.Errorf("profile of %d: NIB %q", p.OrgID, p.NIB)
			}
			if _, ok := supplier.NormalizeNPWP(p.NPWP); p.NPWP != "" && (!ok || len(p.NPWP) != 15) {
				t.Errorf("profile of %d: NPWP %q", p.OrgID, p.NPWP)
			}
			if _, ok := supplier.NormalizePhone(p.Phone); !ok {
				t.Errorf("profile of %d: phone %q", p.OrgID, p.Phone)
			}
			if !regions.Valid(p.ProvinceCode, p.RegencyCode) {
				t.Errorf("profile of %d: regency %s outside province %s", p.OrgID, p.RegencyCode, p.ProvinceCode)
			}
			if p.Workforce < 3 || p.Workforce > 250 {
				t.Errorf("profile of %d: workforce %d", p.OrgID, p.Workforce)
			}
			if status != supplier.StatusDraft && len(p.Missing()) > 0 {
				t.Errorf("profile of %d (%s) lacks %v", p.OrgID, status, p.Missing())
			}
			return nil
		})
		each(t, db, `SELECT application_id, id, product_type AS type, monthly_capacity,
       coalesce(lead_time_days, 0) AS lead_time_days, price_min, price_max, materials, material_needs, permit_number,
       sni_certificate
  FROM application_products`, func(r struct {
			ApplicationID int64
			supplier.Product
		}) error {
			id, p := r.ApplicationID, r.Product
			in := supplier.ProductInput{ProductType: p.Type, MonthlyCapacity: strconv.Itoa(p.MonthlyCapacity),
				LeadTimeDays: strconv.Itoa(p.LeadTimeDays), PriceMin: strconv.FormatInt(p.PriceMin, 10),
				PriceMax: strconv.FormatInt(p.PriceMax, 10), Materials: p.Materials, MaterialNeeds: p.MaterialNeeds,
				PermitNumber: p.PermitNumber}
			if _, errs := in.Parse(catalog); errs.Any() {
				t.Errorf("product %s of application %d fails the form: %v", p.Type, id, errs)
			}
			if p.MonthlyCapacity > supplier.MaxMonthlyCapacity {
				t.Errorf("product %s of application %d: capacity %d", p.Type, id, p.MonthlyCapacity)
			}
			if p.PermitNumber != "" {
				typ, _ := catalog.Get(p.Type)
				if _, kind, _ := supplier.NormalizePermit(p.PermitNumber); kind != string(typ.PermitKind) {
					t.Errorf("product %s of application %d: permit %q is not %s", p.Type, id, p.PermitNumber, typ.PermitKind)
				}
			}
			return nil
		})
		if n := one(t, db, `SELECT count(*) FROM application_products WHERE product_type = 'masker-bedah' AND permit_number LIKE 'KEMENKES RI AKD %'`); n == 0 {
			t.Error("no surgical mask maker holds an AKD permit")
		}
		if n := one(t, db, `SELECT count(*) FROM application_products WHERE product_type LIKE 'hand-sanitizer-%' AND permit_number LIKE 'KEMENKES RI PKD %'`); n == 0 {
			t.Error("no sanitizer maker holds a PKD permit")
		}
	})

	t.Run("documents are real files of their kind", func(t *testing.T) {
		if n := one(t, db, `SELECT count(*) FROM documents WHERE removed_at IS NOT NULL AND data IS NULL`); n == 0 {
			t.Error("no removed document, or every removed document kept its bytes")
		}
		each(t, db, `SELECT id, kind, content_type, size_bytes, sha256, coalesce(width, 0) AS width,
       coalesce(height, 0) AS height, data
  FROM documents WHERE removed_at IS NULL`,
			func(r struct {
				ID                       int64
				Kind, ContentType        string
				SizeBytes, Width, Height int
				SHA256, Data             []byte
			}) error {
				id, kind, ct, size, w, h, sum, data := r.ID, r.Kind, r.ContentType, r.SizeBytes, r.Width, r.Height, r.SHA256, r.Data
				got := sha256.Sum256(data)
				if !bytes.Equal(got[:], sum) || size != len(data) {
					t.Errorf("document %d: sha256 or size differ from the bytes", id)
				}
				if sniffed := strings.Split(http.DetectContentType(data), ";")[0]; sniffed != ct {
					t.Errorf("document %d (%s): content type %s, sniffed %s", id, kind, ct, sniffed)
				}
				switch ct {
				case "image/png":
					cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
					if err != nil || cfg.Width < 100 || cfg.Height < 100 || cfg.Width != w || cfg.Height != h {
						t.Errorf("photo %d: %dx%d (recorded %dx%d), %v", id, cfg.Width, cfg.Height, w, h, err)
					}
				case "application/pdf":
					if !bytes.HasPrefix(data, []byte("%PDF-1.")) || !bytes.HasSuffix(data, []byte("%%EOF\n")) {
						t.Errorf("document %d is no whole PDF", id)
					}
				}
				return nil
			})
	})

	t.Run("snapshots hold what was submitted", func(t *testing.T) {
		each(t, db, `SELECT s.application_id, s.organization_id, s.submission, s.snapshot FROM application_snapshots s`, func(r struct {
			ApplicationID, OrganizationID int64
			Submission                    int
			Snapshot                      []byte
		}) error {
			app, org, sub, raw := r.ApplicationID, r.OrganizationID, r.Submission, r.Snapshot
			var snap supplier.Snapshot
			if err := json.Unmarshal(raw, &snap); err != nil {
				return err
			}
			kinds := map[string]bool{}
			for _, d := range snap.Documents {
				kinds[d.Kind] = d.ID != 0 && len(d.SHA256) == 64
			}
			if snap.Profile.OrgID != org || len(snap.Products) == 0 || snap.Products[0].ID == 0 || !kinds["nib"] || !kinds["photo"] {
				t.Errorf("snapshot %d of application %d: %+v", sub, app, snap)
			}
			return nil
		})
	})

	t.Run("deliberate duplicates are signalled on both sides", func(t *testing.T) {
		type signal struct {
			kind       string
			org, other int64
		}
		type signalRow struct {
			Kind                                string
			OrganizationID, OtherOrganizationID int64
		}
		var signals []signal
		// The story's one rejection at a warehouse signals too; it is
		// checked with the orders (orders_test.go).
		each(t, db, `SELECT kind, organization_id, other_organization_id FROM signals WHERE kind <> 'receipt_rejected'`, func(r signalRow) error {
			signals = append(signals, signal{r.Kind, r.OrganizationID, r.OtherOrganizationID})
			return nil
		})
		if len(signals) < 6 || len(signals) > 10 {
			t.Errorf("%d signals, want 3 to 5 pairs", len(signals))
		}
		for _, s := range signals {
			if !slices.Contains(signals, signal{s.kind, s.other, s.org}) {
				t.Errorf("signal %+v has no counterpart", s)
			}
		}
		// Every duplicate in the data is a signalled one, and the other way round.
		dups := map[signal]bool{}
		each(t, db, `SELECT 'nib' AS kind, a.organization_id, b.organization_id AS other_organization_id
  FROM supplier_profiles a JOIN supplier_profiles b
    ON a.nib = b.nib AND a.organization_id <> b.organization_id WHERE a.nib <> ''
UNION SELECT 'npwp', a.organization_id, b.organization_id FROM supplier_profiles a JOIN supplier_profiles b
    ON a.npwp = b.npwp AND a.organization_id <> b.organization_id WHERE a.npwp <> ''
UNION SELECT 'phone', a.organization_id, b.organization_id FROM supplier_profiles a JOIN supplier_profiles b
    ON a.phone = b.phone AND a.organization_id <> b.organization_id WHERE a.phone <> ''
UNION SELECT 'document', a.organization_id, b.organization_id FROM documents a JOIN documents b
    ON a.sha256 = b.sha256 AND a.organization_id <> b.organization_id`, func(r signalRow) error {
			dups[signal{r.Kind, r.OrganizationID, r.OtherOrganizationID}] = true
			return nil
		})
		if len(dups) != len(signals) {
			t.Errorf("%d duplicates in the data, %d signals", len(dups), len(signals))
		}
		for _, s := range signals {
			if !dups[s] {
				t.Errorf("signal %+v: nothing shared", s)
			}
		}
	})

	t.Run("the demo supplier has a submitted application ready to show", func(t *testing.T) {
		accounts := account.NewStore(db.App, testapp.Passwords(t), account.NewThrottle(db.App), notify.NewOutbox(db.App), "http://pasokan.test")
		store := supplier.NewStore(db.App, region.NewStore(db.App), product.NewStore(db.App), notify.NewOutbox(db.App), slog.New(slog.DiscardHandler), "http://pasokan.test")
		u, err := accounts.Authenticate(ctx, account.Attempt{Email: "umkm@pasokan.test", Password: demo.Password, Addr: "127.0.0.1"})
		dbtest.Must(t, err)
		ms, err := accounts.Memberships(ctx, u.ID)
		dbtest.Must(t, err)
		if len(ms) != 1 || ms[0].OrgName != "Konveksi Maju Jaya" {
			t.Fatalf("memberships of umkm@pasokan.test: %+v", ms)
		}
		a, err := accounts.LoadActor(ctx, u.ID, ms[0].OrgID)
		dbtest.Must(t, err)
		p, err := store.Profile(ctx, a)
		dbtest.Must(t, err)
		app, err := store.Application(ctx, a)
		dbtest.Must(t, err)
		if p.RegencyCode != "32.73" || app.Status != supplier.StatusSubmitted || !supplier.ReadinessOf(p, app).Ready() {
			t.Errorf("demo supplier: regency %s, status %s, readiness %+v", p.RegencyCode, app.Status, supplier.ReadinessOf(p, app))
		}
		if len(app.Events) != 3 || app.Events[1].Action != "application.submitted" || app.Events[2].Action != "application.assigned" {
			t.Errorf("demo supplier's timeline: %+v", app.Events)
		}
		// Every generated owner logs in with the demo password.
		if _, err := accounts.Authenticate(ctx, account.Attempt{Email: "umkm001@pasokan.test", Password: demo.Password, Addr: "127.0.0.1"}); err != nil {
			t.Errorf("log in as umkm001@pasokan.test: %v", err)
		}
		if n := one(t, db, `SELECT count(*) FROM users WHERE email ~ '^umkm[0-9]{3}@pasokan\.test$'`); n != 329 {
			t.Errorf("%d umkmNNN users, want 329", n)
		}
	})

	t.Run("stats count what was inserted", func(t *testing.T) {
		for table, n := range st.Rows {
			if got := one(t, db, `SELECT count(*) FROM `+pgx.Identifier{table}.Sanitize()); int64(got) != n {
				t.Errorf("%s: %d rows, stats say %d", table, got, n)
			}
		}
	})
}
