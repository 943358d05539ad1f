package account_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/curation"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/validation"
)

func ministry(t *testing.T, b bundle) account.Actor {
	t.Helper()
	ctx := context.Background()
	u, o, err := b.store.CreateMinistryAdmin(ctx, "Kementerian Koperasi dan UKM", "Admin", "admin@kemenkop.go.id", goodPassword)
	dbtest.Must(t, err)
	a, err := b.store.LoadActor(ctx, u.ID, o.ID)
	dbtest.Must(t, err)
	return a
}

func found(t *testing.T, b bundle, a account.Actor, q string, kind account.Kind) []string {
	t.Helper()
	query := account.OrganizationQuery{Kind: kind}
	if strings.Contains(q, "@") {
		query.Email = q
	} else {
		query.Tokens, _ = curation.SearchTokens(q)
	}
	orgs, stoppedAt, err := b.store.SearchOrganizations(context.Background(), a, query, 50)
	dbtest.Must(t, err)
	if stoppedAt != 0 {
		t.Errorf("search %q stopped short at %d", q, stoppedAt)
	}
	var names []string
	for _, o := range orgs {
		names = append(names, o.Name)
	}
	return names
}

func TestMinistryFindsOrganisationsByNameNIBAndEmail(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	a := ministry(t, b)
	_, sakinah := register(t, b, "siti@contoh.id", "Koperasi Konveksi Sakinah Abadi")
	register(t, b, "budi@contoh.id", "Koperasi Konveksi Maju Jaya")
	register(t, b, "rina@contoh.id", "Konveksi Sakinah")
	buyer, err := b.store.CreateOrganization(ctx, a, account.NewOrganization{Kind: account.KindBuyer, Name: "RS Sakinah Medika", AdminEmail: "rs@contoh.id"})
	dbtest.Must(t, err)
	// The supplier's NIB and legal name are in its profile.
	err = b.db.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO supplier_profiles (organization_id, legal_name, nib) VALUES ($1, 'CV Sakinah Abadi Sejahtera', '8120301234567')`, sakinah.ID)
		return err
	})
	dbtest.Must(t, err)

	for _, tc := range []struct {
		q    string
		kind account.Kind
		want []string
	}{
		{"sakinah", "", []string{"RS Sakinah Medika", "Konveksi Sakinah", "Koperasi Konveksi Sakinah Abadi"}},
		{"SAKINAH", account.KindSupplier, []string{"Konveksi Sakinah", "Koperasi Konveksi Sakinah Abadi"}},
		{"konveksi sakinah", "", []string{"Konveksi Sakinah", "Koperasi Konveksi Sakinah Abadi"}},
		{"sakinah abadi sejahtera", "", []string{"Koperasi Konveksi Sakinah Abadi"}},
		{"8120 3012 3456 7", "", []string{"Koperasi Konveksi Sakinah Abadi"}},
		{"maj", "", []string{"Koperasi Konveksi Maju Jaya"}},
		{"Budi@Contoh.id", "", []string{"Koperasi Konveksi Maju Jaya"}},
		{"rs@contoh.id", account.KindSupplier, nil},
		{"medika", account.KindBuyer, []string{"RS Sakinah Medika"}},
		{"sejahtera jaya", "", nil},
		// Two letters are a word's beginning (migration 0049); one is
		// too short to search by.
		{"ab", "", []string{"Koperasi Konveksi Sakinah Abadi"}},
		{"RS", "", []string{"RS Sakinah Medika"}},
		{"a", "", nil},
		{"nobody@contoh.id", "", nil},
	} {
		if got := found(t, b, a, tc.q, tc.kind); !slices.Equal(got, tc.want) {
			t.Errorf("search %q (%s) = %q, want %q", tc.q, tc.kind, got, tc.want)
		}
	}
	// A rename is found at once, the old name no more.
	err = b.db.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE organizations SET name = 'RS Harapan Bunda' WHERE id = $1`, buyer.ID)
		return err
	})
	dbtest.Must(t, err)
	if got := found(t, b, a, "medika", ""); got != nil {
		t.Errorf("old name still found: %q", got)
	}
	if got := found(t, b, a, "harapan bunda", ""); !slices.Equal(got, []string{"RS Harapan Bunda"}) {
		t.Errorf("new name: %q", got)
	}
	// Nobody but a ministry admin searches, and the tokens are the
	// ministry's alone under row-level security.
	su, so := register(t, b, "lain@contoh.id", "Konveksi Lain")
	sa, err := b.store.LoadActor(ctx, su.ID, so.ID)
	dbtest.Must(t, err)
	if _, _, err := b.store.SearchOrganizations(ctx, sa, account.OrganizationQuery{Tokens: []string{"sakinah"}}, 10); !errors.Is(err, database.ErrForbidden) {
		t.Errorf("supplier searching: %v", err)
	}
	var n int
	err = b.db.App.ReadTx(ctx, sa.Scope(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM organization_search`).Scan(&n)
	})
	dbtest.Must(t, err)
	if n != 0 {
		t.Errorf("a supplier reads %d search tokens", n)
	}
}

// TestOrganisationSearchStopsShortAndGoesOn: a search reads at most
// account.SearchScan entries of the token it walks, so that a search whose
// every word and pair is common, and that few organisations have all of,
// reads no more as the country grows; it says where it stopped, and a
// search from there goes on. Here every token of "Maju Jaya Sentosa" has
// more than SearchScan organisations and the one with all of them is the
// oldest; likewise a word's walk for one kind.
func TestOrganisationSearchStopsShortAndGoesOn(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	a := ministry(t, b)
	many := account.SearchScan + 100
	var target, buyer int64
	err := b.db.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO organizations (kind, name, slug) VALUES ('supplier', 'Konveksi Maju Jaya Sentosa', 'maju-jaya-sentosa') RETURNING id`).Scan(&target); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO organizations (kind, name, slug) VALUES ('buyer', 'RS Sentosa Medika', 'rs-sentosa-medika') RETURNING id`).Scan(&buyer); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO organizations (kind, name, slug)
SELECT 'supplier', n || ' ' || i, 'org-' || i || '-' || j
  FROM generate_series(1, $1) i, (VALUES (1, 'Jaya Sentosa'), (2, 'Maju Jaya')) v (j, n)
 ORDER BY i, j`, many)
		return err
	})
	dbtest.Must(t, err)
	search := func(q string, kind account.Kind, before int64) ([]string, int64) {
		t.Helper()
		tokens, _ := curation.SearchTokens(q)
		orgs, stoppedAt, err := b.store.SearchOrganizations(ctx, a, account.OrganizationQuery{Tokens: tokens, Kind: kind, Before: before}, 50)
		dbtest.Must(t, err)
		var names []string
		for _, o := range orgs {
			names = append(names, o.Name)
		}
		return names, stoppedAt
	}
	for _, tc := range []struct {
		q    string
		kind account.Kind
		want string
	}{
		{"Maju Jaya Sentosa", "", "Konveksi Maju Jaya Sentosa"},
		{"sentosa", account.KindBuyer, "RS Sentosa Medika"},
	} {
		got, stoppedAt := search(tc.q, tc.kind, 0)
		if len(got) != 0 || stoppedAt <= buyer {
			t.Fatalf("search %q (%s): %q, stopped at %d; want nothing yet, stopped short of the oldest", tc.q, tc.kind, got, stoppedAt)
		}
		// Going on from where it stopped, as the page's link does, it
		// finds the oldest and stops no more.
		var found []string
		for before, hops := stoppedAt, 0; before > 0; hops++ {
			if hops > 3 {
				t.Fatalf("search %q (%s) goes on and on", tc.q, tc.kind)
			}
			var names []string
			names, before = search(tc.q, tc.kind, before)
			found = append(found, names...)
		}
		if !slices.Equal(found, []string{tc.want}) {
			t.Errorf("search %q (%s) going on found %q, want %q", tc.q, tc.kind, found, tc.want)
		}
	}
	// A search that fills its page says nothing of stopping.
	if got, stoppedAt := search("Maju Jaya", "", 0); len(got) != 50 || stoppedAt != 0 {
		t.Errorf("a common search: %d found, stopped at %d; want a page of 50", len(got), stoppedAt)
	}
}

func TestMinistryChangesRoles(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	a := ministry(t, b)
	owner, org := register(t, b, "siti@contoh.id", "Konveksi")
	oa, err := b.store.LoadActor(ctx, owner.ID, org.ID)
	dbtest.Must(t, err)
	_, err = b.store.Invite(ctx, oa, "rina@contoh.id", account.RoleMember)
	dbtest.Must(t, err)
	rina, _, err := b.store.AcceptAsNewUser(ctx, latestInvitationToken(t, b), "Rina", goodPassword, "id")
	dbtest.Must(t, err)

	fieldErr := func(err error) string {
		var verrs validation.Errors
		if errors.As(err, &verrs) {
			return verrs["role"]
		}
		return ""
	}
	for _, tc := range []struct {
		user int64
		role account.Role
		want string
	}{
		{owner.ID, account.RoleMember, "error.role_last_owner"},
		{rina.ID, account.RoleLead, "error.choose_option"},
		{rina.ID, "boss", "error.choose_option"},
		{a.UserID, account.RoleMember, "error.role_self"},
	} {
		if got := fieldErr(b.store.SetRole(ctx, a, org.ID, tc.user, tc.role)); got != tc.want {
			t.Errorf("SetRole(%d, %s) = %q, want %q", tc.user, tc.role, got, tc.want)
		}
	}
	// Rina becomes the owner; then Siti may become a member.
	dbtest.Must(t, b.store.SetRole(ctx, a, org.ID, rina.ID, account.RoleOwner))
	dbtest.Must(t, b.store.SetRole(ctx, a, org.ID, owner.ID, account.RoleMember))
	for user, want := range map[int64]account.Role{rina.ID: account.RoleOwner, owner.ID: account.RoleMember} {
		got, err := b.store.LoadActor(ctx, user, org.ID)
		dbtest.Must(t, err)
		if got.Role != want {
			t.Errorf("user %d is %s, want %s", user, got.Role, want)
		}
	}
	// Someone not in the organisation, and anyone but the ministry.
	if err := b.store.SetRole(ctx, a, org.ID, 999999, account.RoleAdmin); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("stranger: %v", err)
	}
	if err := b.store.SetRole(ctx, oa, org.ID, rina.ID, account.RoleMember); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("supplier changing a role: %v", err)
	}
	// Each change left its audit event, with what it was and became.
	var events []string
	err = b.db.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT detail->>'from' || '>' || (detail->>'to') FROM audit_events
 WHERE action = 'membership.role_changed' AND organization_id = $1 AND actor_user_id = $2 ORDER BY id`, org.ID, a.UserID)
		var err error
		events, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	dbtest.Must(t, err)
	if !slices.Equal(events, []string{"member>owner", "owner>member"}) {
		t.Errorf("audit events %q", events)
	}
}
