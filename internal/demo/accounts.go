package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
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

// named are the ids of the demo accounts' organisations and users, by
// organisation kind, and the programme's organisation.
type named struct {
	orgs, users map[account.Kind]int64
	programme   int64
}

// Dates of the story: the programme's partners joined before it opened on
// 8 April 2020; the demo supplier registered on 17 May (both moved into the
// present by the calendar).
var (
	partnersJoined   = time.Date(2020, time.April, 6, 9, 0, 0, 0, wib)
	demoSupplierJoin = time.Date(2020, time.May, 17, 8, 2, 0, 0, wib)
)

// insertAccounts creates the demo accounts, their organisations and
// memberships, all with the one password hash.
func insertAccounts(ctx context.Context, tx pgx.Tx, hash string, cal calendar) (named, error) {
	ids := named{orgs: map[account.Kind]int64{}, users: map[account.Kind]int64{}}
	for _, a := range Accounts {
		joined := cal.at(partnersJoined)
		if a.Kind == account.KindSupplier {
			joined = cal.at(demoSupplierJoin)
		}
		id, err := insertOrg(ctx, tx, a.Kind, a.Org, joined)
		if err != nil {
			return ids, err
		}
		var userID int64
		if err := tx.QueryRow(ctx, `INSERT INTO users (email, name, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
RETURNING id`, a.Email, a.Name, hash, joined).Scan(&userID); err != nil {
			return ids, err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO memberships (organization_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)`,
			id, userID, a.Role, joined); err != nil {
			return ids, err
		}
		ids.orgs[a.Kind], ids.users[a.Kind] = id, userID
		if a.Kind == account.KindBuyer {
			second, err := insertOrg(ctx, tx, account.KindBuyer, secondBuyer, joined)
			if err != nil {
				return ids, err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO memberships (organization_id, user_id, role, created_at) VALUES ($1, $2, 'admin', $3)`,
				second, userID, joined); err != nil {
				return ids, err
			}
			ids.programme = second
		}
	}
	return ids, nil
}

func insertOrg(ctx context.Context, tx pgx.Tx, kind account.Kind, name string, at time.Time) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO organizations (kind, name, slug, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		kind, name, account.Slugify(name), at).Scan(&id)
	return id, err
}

// buyerName is the demo buyer's organisation, as its orders name it.
var buyerName = func() string {
	for _, a := range Accounts {
		if a.Kind == account.KindBuyer {
			return a.Org
		}
	}
	return ""
}()

// loadNamed reads the ids of the demo accounts, the programme and, for a
// story of n larger than 2020's, the regional curation bodies (in the order
// of regionalCurators), as the accounts' unit wrote them.
func loadNamed(ctx context.Context, db *database.DB, n int) (named, []curatorRef, error) {
	ids := named{orgs: map[account.Kind]int64{}, users: map[account.Kind]int64{}}
	emails := make([]string, 0, len(Accounts)+len(regionalCurators))
	for _, a := range Accounts {
		emails = append(emails, a.Email)
	}
	for _, c := range regionalCurators {
		emails = append(emails, c.email)
	}
	type member struct {
		Email        string
		UserID       int64
		OrgID        int64
		Organization string
	}
	var members []member
	if err := db.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT u.email, u.id AS user_id, o.id AS org_id, o.name AS organization
  FROM users u JOIN memberships m ON m.user_id = u.id JOIN organizations o ON o.id = m.organization_id
 WHERE u.email = ANY($1) ORDER BY o.id`, emails)
		var err error
		members, err = database.CollectRows[member](rows)
		return err
	}); err != nil {
		return ids, nil, fmt.Errorf("demo: the demo accounts: %w", err)
	}
	find := func(email, org string) (member, error) {
		for _, m := range members {
			if m.Email == email && m.Organization == org {
				return m, nil
			}
		}
		return member{}, fmt.Errorf("demo: %s of %s is not in the database", email, org)
	}
	for _, a := range Accounts {
		m, err := find(a.Email, a.Org)
		if err != nil {
			return ids, nil, err
		}
		ids.orgs[a.Kind], ids.users[a.Kind] = m.OrgID, m.UserID
		if a.Kind == account.KindBuyer {
			if m, err = find(a.Email, secondBuyer); err != nil {
				return ids, nil, err
			}
			ids.programme = m.OrgID
		}
	}
	if !regional(n) {
		return ids, nil, nil
	}
	refs := make([]curatorRef, 0, len(regionalCurators))
	for _, c := range regionalCurators {
		m, err := find(c.email, c.org)
		if err != nil {
			return ids, nil, err
		}
		refs = append(refs, curatorRef{org: m.OrgID, user: m.UserID})
	}
	return ids, refs, nil
}
