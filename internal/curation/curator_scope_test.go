package curation_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
)

// scopeAstray counts the rows of curator_scope that differ from the
// assigned applications, either way.
func scopeAstray(t *testing.T, b bundle) (astray, rows int) {
	t.Helper()
	ctx := context.Background()
	const plain = `SELECT id, organization_id, assigned_org_id FROM applications WHERE assigned_org_id IS NOT NULL`
	const kept = `SELECT application_id, organization_id, assigned_org_id FROM curator_scope`
	// As the owner, whom the scope's policy does not bind (only the
	// owner's trigger writes it), in the portal's mode for the applications.
	b.app.DB.AsOwner(t, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM curator_scope`).Scan(&rows); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT count(*) FROM ((`+plain+` EXCEPT `+kept+`) UNION ALL (`+kept+` EXCEPT `+plain+`)) d`).Scan(&astray)
	})
	return astray, rows
}

// TestCuratorScopeFollowsAssignments: the curators' policies read
// curator_scope (migration 0026) where they probed the applications, so
// it must say exactly which organisations' applications are assigned to
// which curator organisation, after the seed, an assignment, a
// reassignment and an unassignment; a curator reads an applicant's profile
// while, and only while, one of its applications is assigned to them; and
// nobody reads another curator organisation's rows.
func TestCuratorScopeFollowsAssignments(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	if astray, rows := scopeAstray(t, b); astray != 0 || rows == 0 {
		t.Fatalf("after the seed: %d of %d rows astray", astray, rows)
	}
	partner, sup, sapp := b.assigned(t, "lingkup@contoh.id", 5)
	reads := func(a account.Actor, table string) int {
		t.Helper()
		var n int
		dbtest.Must(t, b.app.DB.App.ReadTx(ctx, a.Scope(), func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT count(*) FROM `+table+` WHERE organization_id = $1`, sup.OrgID).Scan(&n)
		}))
		return n
	}
	system := func(sql string, args ...any) {
		t.Helper()
		dbtest.Must(t, b.app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, sql, args...)
			return err
		}))
	}
	if astray, _ := scopeAstray(t, b); astray != 0 {
		t.Errorf("after an assignment: %d rows astray", astray)
	}
	if reads(partner, "supplier_profiles") != 1 || reads(partner, "application_products") == 0 {
		t.Fatal("the assigned curator does not read the applicant's profile and products")
	}
	lain := b.newCurator(t, "Kurasi Lingkup", "lingkup@kurasi.id")
	if reads(lain, "supplier_profiles") != 0 || reads(lain, "curator_scope") != 0 {
		t.Error("a curator organisation reads an applicant not assigned to it")
	}

	// Reassigned: the scope moves with the application.
	system(`UPDATE applications SET assigned_org_id = $2, assigned_user_id = NULL WHERE id = $1`, sapp.ID, lain.OrgID)
	if astray, _ := scopeAstray(t, b); astray != 0 {
		t.Errorf("after reassigning: %d rows astray", astray)
	}
	if reads(partner, "supplier_profiles") != 0 || reads(partner, "documents")+reads(partner, "application_products") != 0 {
		t.Error("the first curator still reads the applicant after the reassignment")
	}
	if reads(lain, "supplier_profiles") != 1 || reads(lain, "curator_scope") != 1 {
		t.Error("the new curator organisation does not read the applicant")
	}

	// Nobody else reads the scope: the supplier, the ministry, and each
	// curator organisation only its own rows.
	admin := b.actor(t, "admin@pasokan.test")
	for who, a := range map[string]account.Actor{"the supplier": sup, "the ministry": admin} {
		var n int
		dbtest.Must(t, b.app.DB.App.ReadTx(ctx, a.Scope(), func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT count(*) FROM curator_scope`).Scan(&n)
		}))
		if n != 0 {
			t.Errorf("%s reads %d rows of curator_scope", who, n)
		}
	}
	var others int
	dbtest.Must(t, b.app.DB.App.ReadTx(ctx, partner.Scope(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM curator_scope WHERE assigned_org_id <> $1`, partner.OrgID).Scan(&others)
	}))
	if others != 0 {
		t.Errorf("a curator reads %d rows of other curator organisations", others)
	}

	// Unassigned: the scope forgets it, and so do the curators' policies.
	system(`UPDATE applications SET assigned_org_id = NULL, assigned_user_id = NULL WHERE id = $1`, sapp.ID)
	if astray, _ := scopeAstray(t, b); astray != 0 {
		t.Errorf("after unassigning: %d rows astray", astray)
	}
	if reads(lain, "supplier_profiles") != 0 {
		t.Error("a curator reads an applicant no longer assigned to it")
	}
}
