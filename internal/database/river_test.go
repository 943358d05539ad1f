package database_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
)

// TestRiverTablesAndGrants: River's migrations are applied in their own
// schema, its tables carry no row-level security (they are no tenant's), and
// the application role may do exactly what River's client does there: work
// the jobs, the leader and the queues, from a tenant's transaction too, but
// not touch River's migrations or change the schema.
func TestRiverTablesAndGrants(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()

	owner, err := pgx.Connect(ctx, db.OwnerURL)
	dbtest.Must(t, err)
	defer owner.Close(ctx)
	var versions int
	dbtest.Must(t, owner.QueryRow(ctx, `SELECT count(*) FROM river.river_migration WHERE line = 'main'`).Scan(&versions))
	if versions < 6 {
		t.Errorf("%d of River's migrations applied", versions)
	}
	rows, err := owner.Query(ctx, `SELECT c.relname FROM pg_class c
 WHERE c.relnamespace = 'river'::regnamespace AND c.relkind = 'r' AND (c.relrowsecurity OR c.relforcerowsecurity)`)
	dbtest.Must(t, err)
	withRLS, err := pgx.CollectRows(rows, pgx.RowTo[string])
	dbtest.Must(t, err)
	if len(withRLS) > 0 {
		t.Errorf("River's tables under row-level security: %v", withRLS)
	}
	var inPublic int
	dbtest.Must(t, owner.QueryRow(ctx, `SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relname LIKE 'river%'`).Scan(&inPublic))
	if inPublic != 0 {
		t.Errorf("%d of River's relations in public", inPublic)
	}

	// What River's client does, as the application role, in a tenant's
	// transaction: a job inserted with the change that causes it.
	scope := database.Scope{UserID: 1, OrgID: 1, OrgKind: "supplier"}
	err = db.App.Tx(ctx, scope, func(tx pgx.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO river.river_job (kind, args, max_attempts) VALUES ('test', '{}', 1) RETURNING id`).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE river.river_job SET state = 'running', attempt = 1 WHERE id = $1`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO river.river_queue (name, updated_at) VALUES ('test', now())`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO river.river_leader (elected_at, expires_at, leader_id) VALUES (now(), now() + interval '5 seconds', 'test')`); err != nil {
			return err
		}
		for _, table := range []string{"river_job", "river_queue", "river_leader"} {
			if _, err := tx.Exec(ctx, `DELETE FROM river.`+table); err != nil {
				return err
			}
		}
		return nil
	})
	dbtest.Must(t, err)

	// And nothing more.
	for _, q := range []string{
		`DELETE FROM river.river_migration`,
		`INSERT INTO river.river_migration (line, version) VALUES ('main', 999)`,
		`SELECT count(*) FROM river.river_notification`,
		`CREATE TABLE river.mine (id int)`,
		`ALTER TABLE river.river_job ADD COLUMN mine int`,
		`REINDEX INDEX river.river_job_kind`,
	} {
		err := db.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, q)
			return err
		})
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || (pgErr.Code != "42501" && pgErr.Code != "42P01") {
			t.Errorf("%s as the application role: %v, want permission denied", q, err)
		}
	}
}
