package account_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/notify"
	"pasokan/internal/validation"
)

var (
	pwOnce sync.Once
	pw     *account.Passwords
)

func passwords(t *testing.T) *account.Passwords {
	pwOnce.Do(func() {
		var err error
		pw, err = account.NewPasswords()
		if err != nil {
			t.Fatal(err)
		}
	})
	return pw
}

type bundle struct {
	db    *dbtest.DB
	store *account.Store
}

func setup(t *testing.T) bundle {
	t.Helper()
	db := dbtest.New(t)
	return bundle{db: db, store: account.NewStore(db.App, passwords(t), account.NewThrottle(db.App), notify.NewOutbox(db.App), "http://pasokan.test")}
}

const goodPassword = "kain tiga lapis"

func register(t *testing.T, b bundle, email, org string) (account.User, account.Organization) {
	t.Helper()
	u, o, err := b.store.Register(context.Background(), account.Registration{
		Name: "Pemilik " + org, Email: email, Password: goodPassword, OrganizationName: org})
	if err != nil {
		t.Fatalf("register %s: %v", email, err)
	}
	return u, o
}

func TestRegisterCreatesUserOrganizationAndOwner(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	u, o := register(t, b, " Siti@Contoh.ID ", "Konveksi Maju Jaya")
	if u.Email != "siti@contoh.id" {
		t.Errorf("email not normalised: %q", u.Email)
	}
	if o.Kind != account.KindSupplier || o.Slug != "konveksi-maju-jaya" {
		t.Errorf("organisation = %+v", o)
	}
	a, err := b.store.LoadActor(ctx, u.ID, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a.Role != account.RoleOwner || a.Kind != account.KindSupplier {
		t.Errorf("actor = %+v", a)
	}
	// Same name again: a distinct slug. Same e-mail again: a field error.
	_, o2 := register(t, b, "budi@contoh.id", "Konveksi Maju Jaya")
	if o2.Slug != "konveksi-maju-jaya-2" {
		t.Errorf("second slug = %q", o2.Slug)
	}
	_, _, err = b.store.Register(ctx, account.Registration{Name: "Xy", Email: "siti@contoh.id", Password: goodPassword, OrganizationName: "Lain"})
	var verrs validation.Errors
	if !errors.As(err, &verrs) || verrs["email"] != "error.email_taken" {
		t.Errorf("duplicate e-mail: err = %v", err)
	}
}

func TestRegisterValidation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tests := []struct {
		name  string
		reg   account.Registration
		field string
		key   string
	}{
		{"short password", account.Registration{Name: "Siti", Email: "s@contoh.id", Password: "pendek", OrganizationName: "Usaha"}, "password", "error.password_short"},
		{"common password", account.Registration{Name: "Siti", Email: "s@contoh.id", Password: "password123", OrganizationName: "Usaha"}, "password", "error.password_common"},
		{"password is email", account.Registration{Name: "Siti", Email: "siti.r@contoh.id", Password: "Siti.R@contoh.id", OrganizationName: "Usaha"}, "password", "error.password_is_email"},
		{"long password", account.Registration{Name: "Siti", Email: "s@contoh.id", Password: strings.Repeat("ab", 65), OrganizationName: "Usaha"}, "password", "error.password_long"},
		{"bad email", account.Registration{Name: "Siti", Email: "siti@", Password: goodPassword, OrganizationName: "Usaha"}, "email", "error.email_invalid"},
		{"no name", account.Registration{Name: " ", Email: "s@contoh.id", Password: goodPassword, OrganizationName: "Usaha"}, "name", "error.name_required"},
		{"no organisation", account.Registration{Name: "Siti", Email: "s@contoh.id", Password: goodPassword, OrganizationName: ""}, "organization_name", "error.organization_name_required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := b.store.Register(context.Background(), tt.reg)
			var verrs validation.Errors
			if !errors.As(err, &verrs) || verrs[tt.field] != tt.key {
				t.Errorf("err = %v, want %s on %s", err, tt.key, tt.field)
			}
		})
	}
	// Nothing was stored by any of them.
	figs, err := b.store.PublicFigures(context.Background())
	dbtest.Must(t, err)
	if figs.Suppliers != 0 {
		t.Errorf("%d organisations stored by invalid sign-ups", figs.Suppliers)
	}
}

func TestPasswordsAreNotTruncated(t *testing.T) {
	t.Parallel()
	p := passwords(t)
	ctx := context.Background()
	long := strings.Repeat("a", 100) + "X"
	h, err := p.Hash(ctx, long)
	dbtest.Must(t, err)
	if ok, err := p.Verify(ctx, strings.Repeat("a", 100)+"Y", h); ok || err != nil {
		t.Errorf("a password differing in its 101st character: %v, %v", ok, err)
	}
	if ok, err := p.Verify(ctx, long, h); !ok || err != nil {
		t.Errorf("the right password: %v, %v", ok, err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash parameters: %s", h)
	}
}

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	u, _ := register(t, b, "siti@contoh.id", "Konveksi")
	got, err := b.store.Authenticate(ctx, attempt("SITI@contoh.id", goodPassword, "192.0.2.1", ""))
	if err != nil || got.ID != u.ID {
		t.Fatalf("good login: %v, %+v", err, got)
	}
	if _, err := b.store.Authenticate(ctx, attempt("siti@contoh.id", "salah sekali", "192.0.2.1", "")); !errors.Is(err, account.ErrBadCredentials) {
		t.Errorf("wrong password: %v", err)
	}
	if _, err := b.store.Authenticate(ctx, attempt("tidak.ada@contoh.id", goodPassword, "192.0.2.1", "")); !errors.Is(err, account.ErrBadCredentials) {
		t.Errorf("unknown e-mail: %v", err)
	}
}

func attempt(email, password, addr, device string) account.Attempt {
	return account.Attempt{Email: email, Password: password, Addr: addr, Device: device}
}

func TestInvitationFlow(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	owner, org := register(t, b, "siti@contoh.id", "Konveksi")
	a, err := b.store.LoadActor(ctx, owner.ID, org.ID)
	dbtest.Must(t, err)

	inv, err := b.store.Invite(ctx, a, "Rina@Contoh.id", account.RoleMember)
	dbtest.Must(t, err)
	if inv.Email != "rina@contoh.id" {
		t.Errorf("invitation e-mail %q", inv.Email)
	}
	token := latestInvitationToken(t, b)

	got, hasAccount, err := b.store.InvitationByToken(ctx, token)
	dbtest.Must(t, err)
	if got.OrgID != org.ID || hasAccount {
		t.Errorf("invitation = %+v, hasAccount %v", got, hasAccount)
	}
	u, _, err := b.store.AcceptAsNewUser(ctx, token, "Rina", goodPassword, "id")
	dbtest.Must(t, err)
	member, err := b.store.LoadActor(ctx, u.ID, org.ID)
	dbtest.Must(t, err)
	if member.Role != account.RoleMember {
		t.Errorf("role %s", member.Role)
	}
	// The link works once.
	if _, _, err := b.store.AcceptAsNewUser(ctx, token, "Rina lagi", goodPassword, "id"); !errors.Is(err, account.ErrInvitationInvalid) {
		t.Errorf("second use: %v", err)
	}
	// A member may not invite.
	if _, err := b.store.Invite(ctx, member, "x@contoh.id", account.RoleMember); !errors.Is(err, database.ErrForbidden) {
		t.Errorf("member inviting: %v", err)
	}
	// Inviting an existing member is a field error.
	_, err = b.store.Invite(ctx, a, "rina@contoh.id", account.RoleMember)
	var verrs validation.Errors
	if !errors.As(err, &verrs) || verrs["email"] != "error.already_member" {
		t.Errorf("inviting a member: %v", err)
	}
}

// latestInvitationToken reads the link of the newest invitation e-mail from
// the outbox, as the invitee would.
func latestInvitationToken(t *testing.T, b bundle) string {
	t.Helper()
	outbox, err := notify.NewOutbox(b.db.App).Recent(context.Background(), database.System(), 0, 10)
	dbtest.Must(t, err)
	for _, e := range outbox {
		if e.Kind == "invitation" {
			i := strings.Index(e.Body, "/invitations/")
			if i < 0 {
				t.Fatalf("no link in %q", e.Body)
			}
			rest := e.Body[i+len("/invitations/"):]
			return strings.Fields(rest)[0]
		}
	}
	t.Fatal("no invitation e-mail")
	return ""
}

func TestCreateMinistryAdmin(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	u, o, err := b.store.CreateMinistryAdmin(ctx, "Kementerian Koperasi dan UKM", "Admin Pertama", "admin@kemenkop.go.id", goodPassword)
	dbtest.Must(t, err)
	a, err := b.store.LoadActor(ctx, u.ID, o.ID)
	dbtest.Must(t, err)
	if !a.IsMinistryAdmin() || a.Kind != account.KindMinistry {
		t.Errorf("actor = %+v", a)
	}
	// A second admin joins the same ministry organisation.
	_, o2, err := b.store.CreateMinistryAdmin(ctx, "Kementerian Koperasi dan UKM", "Admin Kedua", "admin2@kemenkop.go.id", goodPassword)
	dbtest.Must(t, err)
	if o2.ID != o.ID {
		t.Errorf("second admin got organisation %d, want %d", o2.ID, o.ID)
	}
	// The ministry admin may open a buyer organisation; a supplier may not.
	if _, err := b.store.CreateOrganization(ctx, a, account.NewOrganization{Kind: account.KindBuyer, Name: "Dinas Kesehatan Jabar", AdminEmail: "dinkes@contoh.id"}); err != nil {
		t.Errorf("ministry creating a buyer: %v", err)
	}
	su, so := register(t, b, "siti@contoh.id", "Konveksi")
	sa, _ := b.store.LoadActor(ctx, su.ID, so.ID)
	if _, err := b.store.CreateOrganization(ctx, sa, account.NewOrganization{Kind: account.KindBuyer, Name: "Palsu", AdminEmail: "x@contoh.id"}); !errors.Is(err, database.ErrForbidden) {
		t.Errorf("supplier creating an organisation: %v", err)
	}
}
