package server_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/testapp"
)

// snapshot is every row of every table, as text, sorted: what "nothing was
// stored" is checked against.
type snapshot map[string][]string

// notContent are the rows a refused request may legitimately write.
var notContent = map[string]string{
	"sessions":       "", // whole table: visitors get a session (a flash), logins renew tokens
	"login_throttle": "", // whole table: refused logins, sign-ups and reset requests count
	"known_logins":   "", // whole table: a login whose ignored "next" is bad still logs in
	// The audit of logins, logouts and refused password attempts: a refusal
	// is worth recording.
	"audit_events": `WHERE action NOT IN ('session.login', 'session.logout', 'session.login_failed',
                     'account.password_change_failed')`,
}

// takeSnapshot reads the tables as the schema owner acting as the system,
// which every table's policies let read everything, or whose row-level
// security is not forced (only the owner's triggers write those, and the
// owner reads them whole). A table whose policies do not is reported: the
// snapshot would not see it.
func takeSnapshot(t *testing.T, app *testapp.App) snapshot {
	t.Helper()
	// The background work of what came before (an e-mail delivered, a
	// notification e-mailed) is no change made by the requests between two
	// snapshots.
	app.Deliver(t)
	ctx := context.Background()
	snap := snapshot{}
	app.DB.AsOwner(t, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT c.relname FROM pg_class c
 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relrowsecurity AND c.relforcerowsecurity
   AND NOT EXISTS (SELECT 1 FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname
                    AND p.cmd IN ('SELECT', 'ALL') AND p.qual LIKE '%system%')`)
		if err != nil {
			return err
		}
		blind, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		if len(blind) > 0 {
			return fmt.Errorf("tables the system cannot read, so the snapshot cannot see: %v", blind)
		}
		rows, err = tx.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)
		if err != nil {
			return err
		}
		tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		for _, table := range tables {
			filter, skip := notContent[table]
			if skip && filter == "" {
				continue
			}
			rows, err := tx.Query(ctx, `SELECT t::text FROM `+pgx.Identifier{table}.Sanitize()+` t `+filter)
			if err != nil {
				return fmt.Errorf("%s: %w", table, err)
			}
			all, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return fmt.Errorf("%s: %w", table, err)
			}
			slices.Sort(all)
			snap[table] = all
		}
		return nil
	})
	return snap
}

// compare reports every row added or removed since s.
func (s snapshot) compare(t *testing.T, after snapshot) {
	t.Helper()
	for table, rows := range after {
		before := s[table]
		var added, removed []string
		for _, r := range rows {
			if _, found := slices.BinarySearch(before, r); !found {
				added = append(added, r)
			}
		}
		for _, r := range before {
			if _, found := slices.BinarySearch(rows, r); !found {
				removed = append(removed, r)
			}
		}
		for i, r := range added {
			if i == 5 {
				t.Errorf("%s: … %d rows added in all", table, len(added))
				break
			}
			t.Errorf("%s: row added or changed by a refused request: %.300s", table, r)
		}
		for i, r := range removed {
			if i == 5 {
				t.Errorf("%s: … %d rows removed in all", table, len(removed))
				break
			}
			t.Errorf("%s: row removed or changed by a refused request: %.300s", table, r)
		}
	}
}
