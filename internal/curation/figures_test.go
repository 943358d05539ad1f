package curation_test

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/curation"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
)

// exactDecisionTimesSQL is what the dashboard computed on every view before
// the histogram: every submission paired with the first decision after it.
const exactDecisionTimesSQL = `SELECT a.assigned_org_id, count(*)::int AS n,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM d.occurred_at - s.occurred_at) / 3600) AS p50,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM d.occurred_at - s.occurred_at) / 3600) AS p90
  FROM application_events s
  JOIN LATERAL (SELECT e.occurred_at FROM application_events e
                 WHERE e.application_id = s.application_id AND e.id > s.id
                   AND e.action IN ('application.curated', 'application.rejected', 'application.revision_requested')
                 ORDER BY e.id LIMIT 1) d ON true
  JOIN applications a ON a.id = s.application_id
 WHERE s.action IN ('application.submitted', 'application.resubmitted')
 GROUP BY a.assigned_org_id`

// exactRecurationSQL is the re-curation list as one scan of every curated
// application: the first $2 by application.
const exactRecurationSQL = `SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM (SELECT a.id FROM applications a
  JOIN reviews r ON r.application_id = a.id AND r.decision = 'curate' AND r.submission = a.submissions
  JOIN checklists cl ON cl.id = r.checklist_id AND cl.in_force_until IS NOT NULL AND cl.in_force_until <= $1::date
 WHERE a.status = 'curated' ORDER BY a.id LIMIT $2) x`

// TestKeptFiguresMatchTheHistory: the decision-time histogram that a
// trigger keeps gives the same counts as pairing the whole history, and
// percentiles within one bucket's width; the re-curation list from the
// replaced checklists finds every supplier the full scan finds.
func TestKeptFiguresMatchTheHistory(t *testing.T) {
	t.Parallel()
	b := setupScale(t, 330)
	app, store := b.app, b.store
	ctx := context.Background()
	admin := b.actor(t, "admin@pasokan.test")

	type exact struct {
		n        int
		p50, p90 float64
	}
	want := map[int64]exact{}
	var due []int64
	on := time.Date(2020, 10, 1, 0, 0, 0, 0, time.UTC)
	err := app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, exactDecisionTimesSQL)
		if err != nil {
			return err
		}
		all, err := pgx.CollectRows(rows, pgx.RowToStructByName[struct {
			AssignedOrgID int64
			N             int
			P50, P90      float64
		}])
		if err != nil {
			return err
		}
		for _, r := range all {
			want[r.AssignedOrgID] = exact{n: r.N, p50: r.P50, p90: r.P90}
		}
		return tx.QueryRow(ctx, exactRecurationSQL, on, curation.MaxRecuration).Scan(&due)
	})
	dbtest.Must(t, err)
	got, err := store.DecisionTimes(ctx, admin)
	dbtest.Must(t, err)
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("%d curator organisations in the histogram, %d in the history", len(got), len(want))
	}
	width := func(h float64) float64 {
		if h < 48 {
			return 0.25
		}
		return 6
	}
	for _, g := range got {
		w := want[g.CuratorOrgID]
		if g.Decided != w.n {
			t.Errorf("%s: %d decisions, history has %d", g.CuratorName, g.Decided, w.n)
		}
		if math.Abs(g.MedianHours-w.p50) > width(w.p50) || math.Abs(g.P90Hours-w.p90) > width(w.p90) {
			t.Errorf("%s: median %.2f h and p90 %.2f h, history %.2f h and %.2f h", g.CuratorName, g.MedianHours, g.P90Hours, w.p50, w.p90)
		}
	}
	list, err := store.RecurationDue(ctx, admin, on, curation.MaxRecuration)
	dbtest.Must(t, err)
	var ids []int64
	for _, r := range list {
		ids = append(ids, r.AppID)
	}
	if len(due) == 0 || !slices.Equal(ids, due) {
		t.Errorf("re-curation due: %d listed, %d in the full scan (%v, %v)", len(ids), len(due), head(ids), head(due))
	}
}

// TestOrganizationCountsFollowChanges: the kept counts equal a count of the
// table after sign-ups, a new curator organisation, and disabling and
// enabling an organisation.
func TestOrganizationCountsFollowChanges(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	check := func(when string) {
		t.Helper()
		f, err := b.app.Accounts.PublicFigures(ctx)
		dbtest.Must(t, err)
		var n struct{ Suppliers, Curators, Buyers int }
		err = b.app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
			rows, _ := tx.Query(ctx, `SELECT count(*) FILTER (WHERE kind = 'supplier') AS suppliers,
       count(*) FILTER (WHERE kind = 'curator') AS curators, count(*) FILTER (WHERE kind = 'buyer') AS buyers
  FROM organizations WHERE disabled_at IS NULL`)
			var err error
			n, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[struct{ Suppliers, Curators, Buyers int }])
			return err
		})
		dbtest.Must(t, err)
		s, c, buyers := n.Suppliers, n.Curators, n.Buyers
		if f.Suppliers != s || f.Curators != c || f.Buyers != buyers {
			t.Errorf("%s: kept %d/%d/%d, counted %d/%d/%d", when, f.Suppliers, f.Curators, f.Buyers, s, c, buyers)
		}
	}
	check("after the seed")
	b.submitted(t, "baru@contoh.id", "32", "32.73", "masker-kain", 7)
	b.newCurator(t, "Kurasi Regional", "lead@kurasi.id")
	check("after a sign-up and a new curator organisation")
	setDisabled := func(disabled bool) {
		err := b.app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE organizations SET disabled_at = CASE WHEN $1 THEN now() END
 WHERE id = (SELECT min(id) FROM organizations WHERE kind = 'supplier')`, disabled)
			return err
		})
		dbtest.Must(t, err)
	}
	setDisabled(true)
	check("after disabling a supplier")
	setDisabled(false)
	check("after enabling it again")
}
