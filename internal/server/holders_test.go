package server_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/demo"
	"pasokan/internal/testapp"
)

// holdersOff lists the memberships whose session_holders row differs from
// what users, memberships and organizations say, and the rows of no
// membership.
const holdersOff = `SELECT coalesce(m.user_id, h.user_id) FROM (
       SELECT m.user_id, m.organization_id, m.role, u.name, u.email, u.locale, u.session_epoch,
              u.disabled_at IS NOT NULL AS user_disabled, u.email_confirmed_at IS NOT NULL AS email_confirmed,
              o.name AS org_name, o.slug, o.kind, o.disabled_at IS NOT NULL AS org_disabled
         FROM memberships m JOIN users u ON u.id = m.user_id JOIN organizations o ON o.id = m.organization_id) m
  FULL JOIN session_holders h ON h.user_id = m.user_id AND h.organization_id = m.organization_id
 WHERE m.user_id IS NULL OR h.user_id IS NULL
    OR (m.role, m.name, m.email, m.locale, m.session_epoch, m.user_disabled, m.email_confirmed, m.org_name, m.slug, m.kind, m.org_disabled)
       IS DISTINCT FROM (h.role, h.user_name, h.email, h.locale, h.session_epoch, h.user_disabled, h.email_confirmed,
                         h.org_name, h.org_slug, h.kind, h.org_disabled)
 ORDER BY 1`

// TestSessionHoldersAreTheTables: the row each logged-in request reads its
// holder from (session_holders) says what users, memberships and
// organizations say, on the demo and after each kind of change to them, and
// a change shows on the holder's next page at once: a disabled
// organisation's member is no longer let in, a role changed is the role
// acted with.
func TestSessionHoldersAreTheTables(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	ctx := context.Background()
	check := func(when string) {
		t.Helper()
		if off := systemIDs(t, app, holdersOff); len(off) > 0 {
			t.Errorf("%s: session_holders differs from the tables for users %v", when, off)
		}
	}
	check("demo")
	owner := app.Client(t)
	owner.Login("umkm@pasokan.test", demo.Password, "/supplier")
	changes := []struct{ what, sql string }{
		{"a user renamed, their locale and e-mail changed", `UPDATE users SET name = 'Siti Rahma', locale = 'en', email = 'siti.rahma@contoh.id'
 WHERE email = 'umkm@pasokan.test'`},
		{"an organisation renamed", `UPDATE organizations SET name = 'Konveksi Maju Jaya Abadi', slug = 'konveksi-maju-jaya-abadi'
 WHERE id = (SELECT organization_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'siti.rahma@contoh.id')`},
		{"a second membership", `INSERT INTO memberships (organization_id, user_id, role)
SELECT (SELECT id FROM organizations WHERE kind = 'curator' ORDER BY id LIMIT 1), id, 'member' FROM users WHERE email = 'siti.rahma@contoh.id'`},
		{"a role changed", `UPDATE memberships SET role = 'admin' WHERE user_id = (SELECT id FROM users WHERE email = 'siti.rahma@contoh.id')
   AND organization_id = (SELECT id FROM organizations WHERE kind = 'curator' ORDER BY id LIMIT 1)`},
		{"a membership removed", `DELETE FROM memberships WHERE user_id = (SELECT id FROM users WHERE email = 'siti.rahma@contoh.id')
   AND organization_id = (SELECT id FROM organizations WHERE kind = 'curator' ORDER BY id LIMIT 1)`},
		{"the session epoch raised and the e-mail unconfirmed", `UPDATE users SET session_epoch = session_epoch + 0, email_confirmed_at = NULL
 WHERE email = 'kurator@pasokan.test'`},
		{"a user disabled", `UPDATE users SET disabled_at = now() WHERE email = 'pembeli@pasokan.test'`},
		{"an organisation disabled", `UPDATE organizations SET disabled_at = now()
 WHERE id = (SELECT organization_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'siti.rahma@contoh.id')`},
	}
	for _, c := range changes {
		err := app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, c.sql)
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		check(c.what)
	}
	// The supplier's organisation is disabled: their next request is not
	// let in.
	if r := owner.Get("/supplier"); r.StatusCode == 200 {
		t.Errorf("a member of a disabled organisation still gets their dashboard")
	}
}
