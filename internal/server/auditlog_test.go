package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"

	"pasokan/internal/auditlog"
	"pasokan/internal/database"
	"pasokan/internal/demo"
	"pasokan/internal/testapp"
)

// auditEntry finds the entries of the audit log's page, in its order.
var auditEntry = regexp.MustCompile(`data-entry="(\d+)"`)

var auditHeader = []string{"id", "occurred_at", "action", "organization_id", "organization", "actor_user_id",
	"actor_name", "actor_email", "actor_organization_id", "subject_type", "subject_id", "detail"}

func idStrings(ids []int64) []string {
	var out []string
	for _, id := range ids {
		out = append(out, strconv.FormatInt(id, 10))
	}
	return out
}

// The audit log lists exactly the trail's entries of each filter, newest
// first, page by page, and its CSV and XLSX hold the same rows; bad input
// is told and finds nothing; nobody but the ministry reads it.
func TestAuditLogListsWhatTheTrailHolds(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 330)
	c := app.Client(t)
	c.Login("admin@pasokan.test", demo.Password, "/admin")
	// Something happens today: the ministry disables and enables a person.
	users := systemIDs(t, app, `SELECT m.user_id FROM memberships m JOIN users u ON u.id = m.user_id
 WHERE u.email = 'umkm@pasokan.test'`)
	for _, disabled := range []string{"true", "false"} {
		if r := c.Post("/admin/users/"+itoa(users[0])+"/disabled", url.Values{"disabled": {disabled}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("disabled=%s: %d", disabled, r.StatusCode)
		}
	}
	// The supplier with the most entries, and its NIB.
	supplierOrg := systemIDs(t, app, `SELECT e.organization_id FROM audit_events e
  JOIN organizations o ON o.id = e.organization_id AND o.kind = 'supplier'
 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`)[0]
	nib := systemIDs(t, app, `SELECT nib::bigint FROM supplier_profiles WHERE organization_id = `+itoa(supplierOrg))[0]
	admin := systemIDs(t, app, `SELECT id FROM users WHERE email = 'admin@pasokan.test'`)[0]

	// The commonest action, over the days of its 40 newest entries but the
	// newest one's day (a range with entries after it).
	type sample struct{ Action, From, To string }
	var smp sample
	err := app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(context.Background(), `WITH a AS (SELECT action FROM audit_events GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1),
     d AS (SELECT (e.occurred_at AT TIME ZONE 'Asia/Jakarta')::date AS day FROM audit_events e, a
            WHERE e.action = a.action ORDER BY e.occurred_at DESC LIMIT 40)
SELECT (SELECT action FROM a) AS action, min(day)::text AS from, (max(day) - 1)::text AS to FROM d`)
		var err error
		smp, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[sample])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	action, from, to := smp.Action, smp.From, smp.To
	fromDMY := from[8:10] + "/" + from[5:7] + "/" + from[0:4]
	order := ` ORDER BY occurred_at DESC, id DESC`
	for _, tc := range []struct {
		name, query, where string
	}{
		{"an organisation", "org=" + itoa(supplierOrg), `organization_id = ` + itoa(supplierOrg)},
		{"an organisation by its NIB", "org=" + itoa(nib), `organization_id = ` + itoa(supplierOrg)},
		{"a person", "person=ADMIN%40pasokan.test", `actor_user_id = ` + itoa(admin)},
		{"an action over days", "action=" + action + "&from=" + url.QueryEscape(fromDMY) + "&to=" + to,
			`action = '` + action + `' AND occurred_at >= '` + from + ` 00:00+07' AND occurred_at < ('` + to + `'::date + 1)::timestamp AT TIME ZONE 'Asia/Jakarta'`},
		{"today's disabling", "action=account.disabled&person=admin%40pasokan.test", `action = 'account.disabled' AND actor_user_id = ` + itoa(admin)},
	} {
		want := systemIDs(t, app, `SELECT id FROM audit_events WHERE `+tc.where+order)
		if len(want) == 0 {
			t.Fatalf("%s: the demo's trail has no such entry", tc.name)
		}
		got := listAll(t, c, "/admin/audit?"+tc.query, auditEntry, len(want))
		if !slices.Equal(got, want) {
			t.Errorf("%s: the pages list %d entries %v..., the trail holds %d %v...", tc.name, len(got), got[:min(len(got), 5)], len(want), want[:min(len(want), 5)])
		}
		rows, records := readExportCSV(t, download(t, c, "/admin/audit.csv?"+tc.query, "text/csv; charset=utf-8", "audit", "csv"), auditHeader)
		if ids := exportIDs(rows, "id"); !slices.Equal(ids, idStrings(want)) {
			t.Errorf("%s: the CSV holds %d entries, the trail %d", tc.name, len(ids), len(want))
		}
		f, err := excelize.OpenReader(strings.NewReader(download(t, c, "/admin/audit.xlsx?"+tc.query,
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "audit", "xlsx")))
		if err != nil {
			t.Fatal(err)
		}
		sheet := readSheet(t, f, "Audit", auditHeader, []string{"id", "organization_id", "actor_user_id", "subject_id"})
		f.Close()
		if !slices.EqualFunc(sheet, records, slices.Equal[[]string]) {
			t.Errorf("%s: the workbook's %d rows differ from the CSV's %d", tc.name, len(sheet), len(records))
		}
	}

	// The whole log's first page is the trail's newest entries.
	want := systemIDs(t, app, `SELECT id FROM audit_events`+order+` LIMIT `+strconv.Itoa(auditlog.PageSize))
	res := c.Get("/admin/audit")
	var got []int64
	for _, m := range auditEntry.FindAllStringSubmatch(res.Body, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		got = append(got, id)
	}
	if !slices.Equal(got, want) {
		t.Errorf("the first page lists %v, the newest entries are %v", got, want)
	}

	// Bad input: told at its field, kept, and nothing listed or sent.
	for _, tc := range []struct{ query, field, kept string }{
		{"from=2020-13-45", "from", "2020-13-45"},
		{"from=2020-06-30&to=2020-06-01", "to", "2020-06-01"},
		{"person=nobody%40contoh.id", "person", "nobody@contoh.id"},
		{"person=bukan-email", "person", "bukan-email"},
		{"org=zzqqxx", "org", "zzqqxx"},
		// A number that names no organisation: named with the log, in its
		// round trip, and told as one not found.
		{"org=987654321", "org", "987654321"},
		{"action=account.nothing", "action", ""},
	} {
		res := c.Get("/admin/audit?" + tc.query)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `class="form-errors"`) ||
			!strings.Contains(res.Body, `href="#f-`+tc.field+`"`) || strings.Contains(res.Body, "data-entry=") {
			t.Errorf("%s: %d, summary or entries wrong", tc.query, res.StatusCode)
		}
		if tc.kept != "" && !strings.Contains(res.Body, `value="`+tc.kept+`"`) {
			t.Errorf("%s: the typed %q is not kept", tc.query, tc.kept)
		}
		if r := c.Get("/admin/audit.csv?" + tc.query); r.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: the CSV answers %d", tc.query, r.StatusCode)
		}
	}
	// A name several organisations share is a choice, not a guess.
	res = c.Get("/admin/audit?org=konveksi")
	if !strings.Contains(res.Body, `data-testid="audit-choices"`) || strings.Contains(res.Body, "data-entry=") {
		t.Error("a shared name does not offer organisations to choose")
	}

	for _, who := range []struct{ email, home string }{{"umkm@pasokan.test", "/supplier"}, {"pembeli@pasokan.test", "/catalog"}} {
		o := app.Client(t)
		o.Login(who.email, demo.Password, who.home)
		for _, p := range []string{"/admin/audit", "/admin/audit.csv", "/admin/audit.xlsx?org=" + itoa(supplierOrg)} {
			if r := o.Get(p); r.StatusCode != http.StatusNotFound {
				t.Errorf("%s GET %s: %d", who.email, p, r.StatusCode)
			}
		}
	}
}

// TestAuditLogFiltersANewActionAtOnce: the log keeps its list of actions
// for a while (auditlog.ActionsTTL), but an action recorded for the first
// time since is found by its filter at once, not refused as unknown.
func TestAuditLogFiltersANewActionAtOnce(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)
	c.Login("admin@pasokan.test", demo.Password, "/admin")
	if n := systemIDs(t, app, `SELECT count(*) FROM audit_events WHERE action = 'account.disabled'`)[0]; n != 0 {
		t.Fatalf("the demo trail holds %d account.disabled entries already", n)
	}
	if p := c.Get("/admin/audit"); p.StatusCode != http.StatusOK || strings.Contains(p.Body, `value="account.disabled"`) {
		t.Fatalf("the log before: %d, or it offers an action nobody took", p.StatusCode)
	}
	users := systemIDs(t, app, `SELECT id FROM users WHERE email = 'umkm@pasokan.test'`)
	if r := c.Post("/admin/users/"+itoa(users[0])+"/disabled", url.Values{"disabled": {"true"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("disabling: %d", r.StatusCode)
	}
	p := c.Get("/admin/audit?action=account.disabled")
	if p.StatusCode != http.StatusOK || len(auditEntry.FindAllStringSubmatch(p.Body, -1)) != 1 ||
		!strings.Contains(p.Body, `value="account.disabled" selected`) {
		t.Fatalf("filtering by the new action: %d, %d entries", p.StatusCode, len(auditEntry.FindAllStringSubmatch(p.Body, -1)))
	}
}
