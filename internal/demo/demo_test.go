package demo_test

import (
	"context"
	"errors"
	"testing"

	"pasokan/internal/account"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/demo"
	"pasokan/internal/notify"
)

func TestSeedLoadsDemoAccountsOnce(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	pw, err := account.NewPasswords()
	dbtest.Must(t, err)
	store := account.NewStore(db.App, pw, account.NewThrottle(db.App), notify.NewOutbox(db.App), "http://pasokan.test")

	done, err := demo.Seed(ctx, db.App, pw)
	if err != nil || !done {
		t.Fatalf("first seed: %v, %v", done, err)
	}
	for _, a := range demo.Accounts {
		u, err := store.Authenticate(ctx, account.Attempt{Email: a.Email, Password: demo.Password, Addr: "127.0.0.1"})
		if err != nil {
			t.Fatalf("log in as %s: %v", a.Email, err)
		}
		ms, err := store.Memberships(ctx, u.ID)
		dbtest.Must(t, err)
		var found bool
		for _, m := range ms {
			if m.OrgName == a.Org && m.OrgKind == a.Kind && m.Role == a.Role {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: memberships %+v lack %s/%s", a.Email, ms, a.Org, a.Role)
		}
	}
	if done, err := demo.Seed(ctx, db.App, pw); err != nil || done {
		t.Errorf("second seed: %v, %v; want a no-op", done, err)
	}
}

func TestSeedRefusesRealUsers(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	pw, err := account.NewPasswords()
	dbtest.Must(t, err)
	store := account.NewStore(db.App, pw, account.NewThrottle(db.App), notify.NewOutbox(db.App), "http://pasokan.test")
	if _, _, err := store.Register(ctx, account.Registration{Name: "Siti", Email: "siti@contoh.id", Password: "kain tiga lapis", OrganizationName: "Konveksi"}); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, db.App, pw); !errors.Is(err, demo.ErrOtherUsers) {
		t.Errorf("seed over a real user: %v", err)
	}
}
