package account_test

import (
	"context"
	"errors"
	"testing"

	"pasokan/internal/account"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/validation"
)

// TestNamesRefuseControlCharacters: a name with CR/LF reached an e-mail's
// subject raw at sign-up (issue 7); bytes Postgres cannot store answered 500.
func TestNamesRefuseControlCharacters(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	ok := account.Registration{Name: "Siti", Email: "s@contoh.id", Password: goodPassword, OrganizationName: "Usaha Biasa"}
	tests := []struct {
		name  string
		edit  func(*account.Registration)
		field string
		key   string
	}{
		{"CR/LF in the organisation name", func(r *account.Registration) { r.OrganizationName = "Usaha Biasa\r\nReply-To: penipu@evil.example" },
			"organization_name", validation.KeyControl},
		{"a bare LF in the name", func(r *account.Registration) { r.Name = "Siti\nBcc: x@evil.example" }, "name", validation.KeyControl},
		{"a tab in the name", func(r *account.Registration) { r.Name = "Siti\tRahma" }, "name", validation.KeyControl},
		{"an escape in the organisation name", func(r *account.Registration) { r.OrganizationName = "Usaha\x1b[2J" }, "organization_name", validation.KeyControl},
		{"NUL in the name", func(r *account.Registration) { r.Name = "Siti\x00" }, "name", validation.KeyEncoding},
		{"invalid UTF-8 in the organisation name", func(r *account.Registration) { r.OrganizationName = "Usaha\xff" }, "organization_name", validation.KeyEncoding},
		{"invalid UTF-8 in the e-mail address", func(r *account.Registration) { r.Email = "s\xff@contoh.id" }, "email", "error.email_invalid"},
		{"CR/LF in the e-mail address", func(r *account.Registration) { r.Email = "s@contoh.id\r\nBcc: x@evil.example" }, "email", "error.email_invalid"},
	}
	for _, tt := range tests {
		reg := ok
		tt.edit(&reg)
		_, _, err := b.store.Register(ctx, reg)
		var verrs validation.Errors
		if !errors.As(err, &verrs) || verrs[tt.field] != tt.key {
			t.Errorf("%s: err = %v, want %s on %s", tt.name, err, tt.key, tt.field)
		}
	}
	figs, err := b.store.PublicFigures(ctx)
	dbtest.Must(t, err)
	if figs.Suppliers != 0 {
		t.Errorf("%d organisations stored by refused sign-ups", figs.Suppliers)
	}

	// The ministry's form for new organisations checks the same way.
	admin, org, err := b.store.CreateMinistryAdmin(ctx, "Kementerian Koperasi dan UKM", "Admin", "admin@kemenkop.go.id", goodPassword)
	dbtest.Must(t, err)
	a, err := b.store.LoadActor(ctx, admin.ID, org.ID)
	dbtest.Must(t, err)
	for name, n := range map[string]account.NewOrganization{
		"name":        {Kind: account.KindBuyer, Name: "RS Umum\r\nSubject: x", AdminEmail: "pembeli@rs.id"},
		"admin_email": {Kind: account.KindBuyer, Name: "RS Umum", AdminEmail: "pembeli@rs.id\x00"},
	} {
		_, err := b.store.CreateOrganization(ctx, a, n)
		var verrs validation.Errors
		if !errors.As(err, &verrs) || verrs[name] == "" {
			t.Errorf("CreateOrganization with a bad %s: err = %v", name, err)
		}
	}
}
