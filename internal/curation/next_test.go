package curation_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/curation"
	"pasokan/internal/database"
	"pasokan/internal/testapp"
)

// planNode is the part of EXPLAIN's JSON the check reads.
type planNode struct {
	NodeType string     `json:"Node Type"`
	Relation string     `json:"Relation Name"`
	Index    string     `json:"Index Name"`
	Rows     float64    `json:"Actual Rows"`
	Loops    float64    `json:"Actual Loops"`
	Plans    []planNode `json:"Plans"`
}

func (n planNode) walk(visit func(planNode)) {
	visit(n)
	for _, c := range n.Plans {
		c.walk(visit)
	}
}

// TestNextWaitingWalksAnIndex: the next application after a decision, in
// the demo story at 2,000 suppliers, is the one a full sort of the
// curator's waiting applications puts first (their own, then the oldest
// unclaimed), and the statement finds it by ordered index walks that stop
// at once: no sequential scan, no sort of more than its three candidates.
func TestNextWaitingWalksAnIndex(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 500)
	ctx := context.Background()
	id, err := app.Accounts.UserIDByEmail(ctx, "kurator@pasokan.test")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := app.Accounts.Memberships(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Accounts.LoadActor(ctx, id, ms[0].OrgID)
	if err != nil {
		t.Fatal(err)
	}
	next, ok, err := app.Curation.NextWaiting(ctx, a, 0)
	if err != nil {
		t.Fatal(err)
	}
	var want int64
	var waiting int
	err = app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM applications WHERE assigned_org_id = $1 AND status IN ('submitted', 'in_review')`,
			a.OrgID).Scan(&waiting); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `SELECT a.id FROM applications a
 WHERE a.assigned_org_id = $1 AND a.status IN ('submitted', 'in_review')
   AND (a.assigned_user_id = $2 OR (a.assigned_user_id IS NULL AND a.status = 'submitted'))
   AND NOT EXISTS (SELECT 1 FROM curator_conflicts c WHERE c.application_id = a.id AND c.user_id = $2)
   AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = a.organization_id AND m.user_id = $2)
 ORDER BY a.assigned_user_id IS NULL, a.submitted_at, a.id LIMIT 1`, a.OrgID, a.UserID).Scan(&want)
		if err == pgx.ErrNoRows {
			return nil
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if waiting < 20 || !ok || next != want {
		t.Fatalf("next: %d (found %v) of %d waiting, want %d", next, ok, waiting, want)
	}

	var raw []byte
	err = app.DB.App.ReadTx(ctx, a.Scope(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `EXPLAIN (ANALYZE, FORMAT JSON) `+curation.NextSQL, a.OrgID, a.UserID, int64(0)).Scan(&raw)
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []struct {
		Plan      planNode `json:"Plan"`
		Execution float64  `json:"Execution Time"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	read := 0.0
	out[0].Plan.walk(func(n planNode) {
		switch {
		case n.Relation == "applications" && n.NodeType != "Index Scan" && n.NodeType != "Index Only Scan":
			t.Errorf("applications read by %s %s, want an ordered index walk", n.NodeType, n.Index)
		case n.Relation == "applications":
			read += n.Rows * n.Loops
		case n.NodeType == "Sort" && n.Rows*n.Loops > 3:
			t.Errorf("a sort of %.0f rows", n.Rows*n.Loops)
		}
	})
	t.Logf("next waiting: %.0f applications read of %d waiting, %.3f ms", read, waiting, out[0].Execution)
	if read > 10 {
		t.Errorf("the statement read %.0f applications, want a few", read)
	}
}
