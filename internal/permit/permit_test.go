package permit_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/i18n"
	"pasokan/internal/permit"
	"pasokan/internal/testapp"
	"pasokan/internal/validation"
)

func count(t *testing.T, app *testapp.App, q string, args ...any) int {
	t.Helper()
	var n int
	dbtest.Must(t, app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), q, args...).Scan(&n)
	}))
	return n
}

func actorByEmail(t *testing.T, app *testapp.App, email string) account.Actor {
	t.Helper()
	ctx := context.Background()
	id, err := app.Accounts.UserIDByEmail(ctx, email)
	dbtest.Must(t, err)
	ms, err := app.Accounts.Memberships(ctx, id)
	dbtest.Must(t, err)
	a, err := app.Accounts.LoadActor(ctx, id, ms[0].OrgID)
	dbtest.Must(t, err)
	return a
}

// ownerOf acts for the owner of an organisation.
func ownerOf(t *testing.T, app *testapp.App, orgID int64) account.Actor {
	t.Helper()
	ctx := context.Background()
	var user int64
	dbtest.Must(t, app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT user_id FROM memberships WHERE organization_id = $1 AND role = 'owner'`, orgID).Scan(&user)
	}))
	a, err := app.Accounts.LoadActor(ctx, user, orgID)
	dbtest.Must(t, err)
	return a
}

func today() string { return time.Now().In(i18n.WIB).Format(time.DateOnly) }

func fieldError(err error, field string) string {
	var errs validation.Errors
	if errors.As(err, &errs) {
		return errs[field]
	}
	return ""
}

// A request is asked for once per product and permit, read by its
// supplier and the ministry only, and moved by the ministry step by step;
// an issued number is checked for its format and kind; an SNI certificate
// issued to a curated product goes to its curator as new permits, a
// laboratory report goes nowhere; each step is audited and told.
func TestPermitHelpMovesStepByStep(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 40)
	ctx := context.Background()
	s := app.Permits
	ministry := actorByEmail(t, app, "admin@pasokan.test")
	buyer := actorByEmail(t, app, "pembeli@pasokan.test")
	draft := actorByEmail(t, app, "umkm@pasokan.test")
	type curatedProduct struct {
		OrgID       int64  `db:"organization_id"`
		ProductType string `db:"product_type"`
	}
	var cp curatedProduct
	dbtest.Must(t, app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT a.organization_id, p.product_type FROM applications a
  JOIN application_products p ON p.application_id = a.id
 WHERE a.status = 'curated' AND p.curation = 'curated' AND a.organization_id <> $1
   AND NOT EXISTS (SELECT 1 FROM product_proposals pp WHERE pp.application_id = a.id)
 ORDER BY a.id LIMIT 1`, draft.OrgID)
		if err != nil {
			return err
		}
		cp, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[curatedProduct])
		return err
	}))
	curated := ownerOf(t, app, cp.OrgID)

	// Bad input: each on its field, nothing stored.
	for _, c := range []struct {
		in    permit.Input
		field string
	}{
		{permit.Input{ProductType: "sabun", Kind: "pkd"}, "product_type"},
		{permit.Input{ProductType: "hand-sanitizer-gel", Kind: "izin"}, "permit_kind"},
		{permit.Input{ProductType: "hand-sanitizer-gel", Kind: "akd"}, "permit_kind"},
		{permit.Input{ProductType: "masker-bedah", Kind: "pkd"}, "permit_kind"},
		{permit.Input{ProductType: "hand-sanitizer-gel", Kind: "pkd", Note: strings.Repeat("a", 1001)}, "note"},
	} {
		if _, err := s.Create(ctx, draft, c.in); fieldError(err, c.field) == "" {
			t.Errorf("%+v: %v, want an error on %s", c.in, err, c.field)
		}
	}
	if n := count(t, app, `SELECT count(*) FROM permit_requests`); n != 0 {
		t.Fatalf("bad requests stored %d", n)
	}
	if _, err := s.Create(ctx, buyer, permit.Input{ProductType: "hand-sanitizer-gel", Kind: "pkd"}); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("a buyer's request: %v", err)
	}

	pkd, err := s.Create(ctx, draft, permit.Input{ProductType: "hand-sanitizer-gel", Kind: "pkd", Note: "Belum punya PKD"})
	dbtest.Must(t, err)
	if _, err := s.Create(ctx, draft, permit.Input{ProductType: "hand-sanitizer-gel", Kind: "pkd"}); fieldError(err, "permit_kind") != "error.permit_open" {
		t.Errorf("a second open request for the same permit: %v", err)
	}
	lab, err := s.Create(ctx, draft, permit.Input{ProductType: "masker-kain", Kind: "lab_test"})
	dbtest.Must(t, err)
	sni, err := s.Create(ctx, curated, permit.Input{ProductType: cp.ProductType, Kind: "sni"})
	dbtest.Must(t, err)

	// Nobody else reads it.
	for _, a := range []account.Actor{curated, buyer} {
		if _, _, err := s.Request(ctx, a, pkd); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("%s reads another's request: %v", a.OrgName, err)
		}
	}
	mine, err := s.Mine(ctx, draft)
	dbtest.Must(t, err)
	if len(mine) != 2 {
		t.Errorf("the supplier lists %d requests, want 2", len(mine))
	}

	// Steps: only the next ones, only by the ministry, at the version seen.
	if _, err := s.Move(ctx, ministry, pkd, 1, permit.StepInput{Status: permit.StatusIssued, PermitNumber: "KEMENKES RI PKD 20303020456", IssuedOn: today()}); fieldError(err, "status") == "" {
		t.Errorf("issued straight from requested: %v", err)
	}
	if _, err := s.Move(ctx, draft, pkd, 1, permit.StepInput{Status: permit.StatusDocumentsComplete}); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("the supplier moves its own request: %v", err)
	}
	for i, st := range []string{permit.StatusDocumentsComplete, permit.StatusSubmitted, permit.StatusQuestions, permit.StatusSubmitted} {
		_, err := s.Move(ctx, ministry, pkd, i+1, permit.StepInput{Status: st, Note: "langkah " + st})
		dbtest.Must(t, err)
	}
	if _, err := s.Move(ctx, ministry, pkd, 3, permit.StepInput{Status: permit.StatusQuestions}); !errors.Is(err, database.ErrStale) {
		t.Errorf("a step from a stale page: %v", err)
	}
	page, err := s.Page(ctx, ministry, permit.Filter{}, nil)
	dbtest.Must(t, err)
	steps, list := page.Steps, page.Requests
	waiting := map[string]int{}
	for _, st := range steps {
		waiting[st.Status] = st.Requests
	}
	if waiting[permit.StatusSubmitted] != 1 || waiting[permit.StatusRequested] != 2 {
		t.Errorf("steps: %+v", steps)
	}
	if len(list) != 3 || list[len(list)-1].ID != pkd {
		t.Errorf("open requests, longest waiting first: %+v", list)
	}

	// Issued: the number's format, its kind, and the date are checked.
	for _, c := range []struct {
		in    permit.StepInput
		field string
	}{
		{permit.StepInput{Status: permit.StatusIssued, PermitNumber: "PKD 2030302", IssuedOn: today()}, "permit_number"},
		{permit.StepInput{Status: permit.StatusIssued, PermitNumber: "KEMENKES RI AKD 20303020456", IssuedOn: today()}, "permit_number"},
		{permit.StepInput{Status: permit.StatusIssued, PermitNumber: "KEMENKES RI PKD 20303020456", IssuedOn: "2099-01-01"}, "issued_on"},
		{permit.StepInput{Status: permit.StatusIssued, PermitNumber: "KEMENKES RI PKD 20303020456"}, "issued_on"},
		{permit.StepInput{Status: permit.StatusRefused, Reason: "x"}, "reason"},
	} {
		if _, err := s.Move(ctx, ministry, pkd, 5, c.in); fieldError(err, c.field) == "" {
			t.Errorf("%+v: %v, want an error on %s", c.in, err, c.field)
		}
	}
	// The draft supplier has no curated application: issued, not proposed.
	proposed, err := s.Move(ctx, ministry, pkd, 5, permit.StepInput{Status: permit.StatusIssued,
		PermitNumber: "kemenkes ri pkd 20303020456", IssuedOn: today()})
	dbtest.Must(t, err)
	r, events, err := s.Request(ctx, draft, pkd)
	dbtest.Must(t, err)
	if proposed || r.Status != permit.StatusIssued || r.PermitNumber != "KEMENKES RI PKD 20303020456" || r.Proposed || len(events) != 6 {
		t.Errorf("issued: proposed %v, %+v, %d events", proposed, r, len(events))
	}
	if _, err := s.Move(ctx, ministry, pkd, 6, permit.StepInput{Status: permit.StatusRefused, Reason: "Terlambat"}); !errors.Is(err, permit.ErrState) {
		t.Errorf("a step after issued: %v", err)
	}

	// An SNI certificate issued to a curated product waits for its
	// curator as new permits; the product stays curated meanwhile.
	for i, st := range []string{permit.StatusDocumentsComplete, permit.StatusSubmitted} {
		_, err := s.Move(ctx, ministry, sni, i+1, permit.StepInput{Status: st})
		dbtest.Must(t, err)
	}
	proposed, err = s.Move(ctx, ministry, sni, 3, permit.StepInput{Status: permit.StatusIssued, PermitNumber: "SPPT-SNI 8914:2020/0123", IssuedOn: today()})
	dbtest.Must(t, err)
	if !proposed {
		t.Error("an SNI certificate for a curated product was not proposed to its curator")
	}
	if n := count(t, app, `SELECT count(*) FROM product_proposals pp JOIN application_products p
    ON p.application_id = pp.application_id AND p.product_type = pp.product_type
 WHERE pp.organization_id = $1 AND pp.product_type = $2 AND pp.kind = 'permits'
   AND pp.sni_certificate = 'SPPT-SNI 8914:2020/0123' AND p.curation = 'curated'`, cp.OrgID, cp.ProductType); n != 1 {
		t.Errorf("%d permits proposals with the certificate, the product still curated", n)
	}

	// A laboratory report is recorded on the request only.
	for i, st := range []string{permit.StatusDocumentsComplete, permit.StatusSubmitted} {
		_, err := s.Move(ctx, ministry, lab, i+1, permit.StepInput{Status: st})
		dbtest.Must(t, err)
	}
	proposed, err = s.Move(ctx, ministry, lab, 3, permit.StepInput{Status: permit.StatusIssued, PermitNumber: "LHU-0042/BBTP/2020", IssuedOn: today()})
	dbtest.Must(t, err)
	if proposed {
		t.Error("a laboratory report was proposed as a permit")
	}

	// All three issued: no step has a request waiting, and the kept counts
	// (support_figures) are the requests'.
	page, err = s.Page(ctx, ministry, permit.Filter{}, nil)
	dbtest.Must(t, err)
	steps = page.Steps
	for _, st := range steps {
		if st.Requests != 0 {
			t.Errorf("after every request was issued, %d wait in %s", st.Requests, st.Status)
		}
	}
	if n := count(t, app, `SELECT count(*) FROM (
  (SELECT status, count(*)::int FROM permit_requests GROUP BY 1
   EXCEPT SELECT status, n FROM support_figures WHERE kind = 'permit' AND n <> 0)
  UNION ALL
  (SELECT status, n FROM support_figures WHERE kind = 'permit' AND n <> 0
   EXCEPT SELECT status, count(*)::int FROM permit_requests GROUP BY 1)) d`); n != 0 {
		t.Errorf("support_figures differs from the permit requests in %d statuses", n)
	}
	if n := count(t, app, `SELECT n FROM support_figures WHERE kind = 'permit' AND status = 'issued'`); n != 3 {
		t.Errorf("support_figures: %d permits issued, want 3", n)
	}

	// Every step audited; the suppliers told of each.
	if n := count(t, app, `SELECT count(*) FROM audit_events WHERE subject_type = 'permit_request'`); n != 3+5+3+3 {
		t.Errorf("%d audit events of permit help, want 14", n)
	}
	if n := count(t, app, `SELECT count(*) FROM notifications WHERE organization_id = $1 AND key LIKE 'permit_%'`, draft.OrgID); n != 5+3 {
		t.Errorf("the supplier was told %d times, want 8", n)
	}
}

// The ministry's list goes on page after page: every open request once, in
// the list's order (the time its step began, then the id, many at the same
// time), with a filter as without, and the last page says it is the last.
func TestMinistryListPagesThroughEveryOpenRequest(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 40)
	ctx := context.Background()
	ministry := actorByEmail(t, app, "admin@pasokan.test")
	app.AddPermitRequests(t)
	for _, f := range []permit.Filter{{}, {Kind: "sni"}} {
		want := app.DB.IDs(t, `SELECT id FROM permit_requests
 WHERE status IN ('requested', 'documents_complete', 'submitted', 'questions') AND ($1 = '' OR permit_kind = $1)
 ORDER BY status_changed_at, id`, f.Kind)
		t.Run(fmt.Sprintf("%+v", f), func(t *testing.T) {
			dbtest.WalkPages(t, permit.PageSize, want, func(after *database.Cursor) ([]int64, *database.Cursor, error) {
				p, err := app.Permits.Page(ctx, ministry, f, after)
				var ids []int64
				for _, r := range p.Requests {
					ids = append(ids, r.ID)
				}
				return ids, p.Next, err
			})
		})
	}
}
