package region_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/region"
)

func load(t *testing.T) (*region.Store, *region.Catalog, *dbtest.DB) {
	t.Helper()
	db := dbtest.New(t)
	store := region.NewStore(db.App)
	cat, err := store.Load(context.Background())
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return store, cat, db
}

func TestCatalog(t *testing.T) {
	t.Parallel()
	_, cat, _ := load(t)

	t.Run("counts", func(t *testing.T) {
		t.Parallel()
		provinces := cat.Provinces()
		if len(provinces) != 38 {
			t.Errorf("%d provinces, want 38", len(provinces))
		}
		n := 0
		for _, p := range provinces {
			n += len(cat.Regencies(p.Code))
		}
		if n != 514 || cat.RegencyCount() != 514 {
			t.Errorf("%d regencies reachable through provinces, RegencyCount %d, want 514", n, cat.RegencyCount())
		}
	})

	t.Run("known codes", func(t *testing.T) {
		t.Parallel()
		if p, ok := cat.Province("32"); !ok || p.Name != "Jawa Barat" {
			t.Errorf("Province(32) = %+v, %v; want Jawa Barat", p, ok)
		}
		want := region.Regency{Code: "32.73", ProvinceCode: "32", Name: "Kota Bandung", Kind: region.KindKota}
		if r, ok := cat.Regency("32.73"); !ok || r != want {
			t.Errorf("Regency(32.73) = %+v, %v; want %+v", r, ok, want)
		}
		if r, ok := cat.Regency("32.04"); !ok || r.Name != "Kabupaten Bandung" || r.Kind != region.KindKabupaten {
			t.Errorf("Regency(32.04) = %+v, %v; want Kabupaten Bandung, kabupaten", r, ok)
		}
		for _, code := range []string{"", "00", "3", "320", "99"} {
			if _, ok := cat.Province(code); ok {
				t.Errorf("Province(%q) found", code)
			}
		}
		for _, code := range []string{"", "32", "32.00", "3273", "32.73.01"} {
			if _, ok := cat.Regency(code); ok {
				t.Errorf("Regency(%q) found", code)
			}
		}
		if got := cat.Regencies("99"); len(got) != 0 {
			t.Errorf("Regencies(99) = %v, want none", got)
		}
	})

	t.Run("valid", func(t *testing.T) {
		t.Parallel()
		tests := []struct {
			province, regency string
			want              bool
		}{
			{"32", "32.73", true},
			{"32", "32.04", true},
			{"31", "31.71", true},
			{"96", "96.71", true},
			{"31", "32.73", false}, // a real regency of another province
			{"32", "31.71", false},
			{"32", "32.99", false}, // unknown regency
			{"99", "99.01", false}, // unknown province
			{"", "32.73", false},
			{"32", "", false},
			{"", "", false},
		}
		for _, tt := range tests {
			if got := cat.Valid(tt.province, tt.regency); got != tt.want {
				t.Errorf("Valid(%q, %q) = %v, want %v", tt.province, tt.regency, got, tt.want)
			}
		}
	})

	t.Run("every regency inside its province", func(t *testing.T) {
		t.Parallel()
		for _, p := range cat.Provinces() {
			regencies := cat.Regencies(p.Code)
			if len(regencies) == 0 {
				t.Errorf("province %s %s has no regencies", p.Code, p.Name)
			}
			for _, r := range regencies {
				if r.ProvinceCode != p.Code || !strings.HasPrefix(r.Code, p.Code+".") {
					t.Errorf("regency %s (province %s) listed under %s", r.Code, r.ProvinceCode, p.Code)
				}
				if want := map[region.Kind]string{region.KindKabupaten: "Kabupaten ", region.KindKota: "Kota "}[r.Kind]; want == "" || !strings.HasPrefix(r.Name, want) {
					t.Errorf("regency %s %q has kind %q", r.Code, r.Name, r.Kind)
				}
				if !cat.Valid(p.Code, r.Code) {
					t.Errorf("Valid(%s, %s) = false", p.Code, r.Code)
				}
			}
		}
	})

	t.Run("sorted by name", func(t *testing.T) {
		t.Parallel()
		lower := func(s string) string { return strings.ToLower(s) }
		provinces := cat.Provinces()
		if !slices.IsSortedFunc(provinces, func(a, b region.Province) int { return strings.Compare(lower(a.Name), lower(b.Name)) }) {
			t.Errorf("provinces not sorted by name: %v", provinces)
		}
		if provinces[0].Name != "Aceh" {
			t.Errorf("first province %q, want Aceh", provinces[0].Name)
		}
		for _, p := range provinces {
			regencies := cat.Regencies(p.Code)
			if !slices.IsSortedFunc(regencies, func(a, b region.Regency) int { return strings.Compare(lower(a.Name), lower(b.Name)) }) {
				t.Errorf("regencies of %s not sorted by name: %v", p.Code, regencies)
			}
		}
	})

	t.Run("immutable", func(t *testing.T) {
		t.Parallel()
		ps := cat.Provinces()
		ps[0] = region.Province{Code: "00", Name: "Changed"}
		rs := cat.Regencies("32")
		rs[0].Name = "Changed"
		if cat.Provinces()[0].Name == "Changed" || cat.Regencies("32")[0].Name == "Changed" {
			t.Error("changing a returned slice changed the catalogue")
		}
	})
}

func TestLoadReadsOnce(t *testing.T) {
	t.Parallel()
	store, first, db := load(t)
	// Once loaded, the catalogue answers without the database.
	db.App.Close()
	second, err := store.Load(context.Background())
	if err != nil {
		t.Fatalf("second load: %v", err)
	}
	if first != second {
		t.Error("second Load built a new catalogue")
	}
}

func TestLoadFailsWithoutDatabase(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	db.App.Close()
	if _, err := region.NewStore(db.App).Load(context.Background()); err == nil || !strings.HasPrefix(err.Error(), "region: load: ") {
		t.Fatalf("Load on a closed pool = %v, want a region: load error", err)
	}
}

// The server's role may read the reference data, never change it.
func TestAppRoleCannotWrite(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	for _, sql := range []string{
		`INSERT INTO provinces (code, name) VALUES ('99', 'Baru')`,
		`UPDATE provinces SET name = 'Changed' WHERE code = '32'`,
		`DELETE FROM regencies WHERE code = '32.73'`,
		`UPDATE regencies SET province_code = '31' WHERE code = '32.73'`,
	} {
		err := db.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, sql)
			return err
		})
		if !errors.Is(err, database.ErrForbidden) {
			t.Errorf("%s: %v, want ErrForbidden", sql, err)
		}
	}
}

// The schema itself refuses codes in the wrong form and regencies outside
// their province, whoever writes.
func TestSchemaRefusesInconsistentRows(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, db.OwnerURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, sql := range []string{
		`INSERT INTO provinces (code, name) VALUES ('9', 'Satu digit')`,
		`INSERT INTO provinces (code, name) VALUES ('9A', 'Huruf')`,
		`INSERT INTO regencies (code, province_code, name, kind) VALUES ('3299', '32', 'Tanpa titik', 'kota')`,
		`INSERT INTO regencies (code, province_code, name, kind) VALUES ('31.99', '32', 'Provinsi lain', 'kota')`,
		`INSERT INTO regencies (code, province_code, name, kind) VALUES ('99.01', '99', 'Provinsi tak dikenal', 'kota')`,
		`INSERT INTO regencies (code, province_code, name, kind) VALUES ('32.99', '32', 'Jenis salah', 'kecamatan')`,
	} {
		_, err := conn.Exec(ctx, sql)
		// Class 23: integrity constraint violation (check, foreign key).
		if pgErr := (*pgconn.PgError)(nil); !errors.As(err, &pgErr) || !strings.HasPrefix(pgErr.Code, "23") {
			t.Errorf("%s: %v, want a constraint violation", sql, err)
		}
	}
}
