// Package demo loads the demo data that tells the 2020 story: the ministry,
// the curation partner, partner buyers and UMKM suppliers, with the demo
// accounts of DESIGN.md. Development only: it refuses a database that holds
// any other users.
package demo

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/audit"
	"pasokan/internal/database"
)

// Password is the password of every demo account.
const Password = "pasokan-demo"

// Account is a demo login.
type Account struct {
	Email, Name, Org string
	Kind             account.Kind
	Role             account.Role
}

// Accounts are the demo logins, printed at start-up.
var Accounts = []Account{
	{"admin@pasokan.test", "Admin Kementerian", "Kementerian Koperasi dan UKM — Deputi Produksi dan Pemasaran", account.KindMinistry, account.RoleOwner},
	{"kurator@pasokan.test", "Kurator Karya Nusantara", "Karya Nusantara — PT Daruma Adira Pratama", account.KindCurator, account.RoleLead},
	{"pembeli@pasokan.test", "Pembeli BUMN Farmasi", "PT Farmasi Negara (demo)", account.KindBuyer, account.RoleOwner},
	{"umkm@pasokan.test", "Siti Rahmawati", "Konveksi Maju Jaya", account.KindSupplier, account.RoleOwner},
}

// secondBuyer is the programme that ordered 15,000 masks; the demo buyer
// belongs to it too, which shows the organisation switcher.
const secondBuyer = "Program Karya Nusantara"

// ErrOtherUsers means the database holds users that are not demo accounts.
var ErrOtherUsers = errors.New("demo: the database holds users other than the demo accounts; refusing to seed")

// Seed loads the demo data. It does nothing when the demo accounts exist
// already, and refuses a database with any other users.
func Seed(ctx context.Context, db *database.DB, passwords *account.Passwords) (bool, error) {
	hash, err := passwords.Hash(Password)
	if err != nil {
		return false, err
	}
	seeded := false
	err = db.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		// One seed at a time, even from several processes.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('pasokan demo seed'))`); err != nil {
			return err
		}
		var others, demos int
		if err := tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE email NOT LIKE '%@pasokan.test'),
       count(*) FILTER (WHERE email LIKE '%@pasokan.test') FROM users`).Scan(&others, &demos); err != nil {
			return err
		}
		if others > 0 {
			return ErrOtherUsers
		}
		if demos > 0 {
			return nil
		}
		orgs := map[string]int64{}
		for _, a := range Accounts {
			id, err := insertOrg(ctx, tx, a.Kind, a.Org)
			if err != nil {
				return err
			}
			orgs[a.Org] = id
			var userID int64
			if err := tx.QueryRow(ctx, `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3) RETURNING id`,
				a.Email, a.Name, hash).Scan(&userID); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, $3)`, id, userID, a.Role); err != nil {
				return err
			}
			if a.Kind == account.KindBuyer {
				second, err := insertOrg(ctx, tx, account.KindBuyer, secondBuyer)
				if err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, 'admin')`, second, userID); err != nil {
					return err
				}
			}
		}
		seeded = true
		return audit.Record(ctx, tx, audit.Event{Action: "demo.seeded", Detail: map[string]any{"accounts": len(Accounts)}})
	})
	if err != nil {
		return false, fmt.Errorf("demo: seed: %w", err)
	}
	return seeded, nil
}

func insertOrg(ctx context.Context, tx pgx.Tx, kind account.Kind, name string) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO organizations (kind, name, slug) VALUES ($1, $2, $3) RETURNING id`,
		kind, name, account.Slugify(name)).Scan(&id)
	return id, err
}
