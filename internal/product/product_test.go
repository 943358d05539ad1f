package product_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/i18n"
	"pasokan/internal/product"
)

// The stable slugs of DESIGN.md, in catalogue order.
var wantCodes = []string{
	"masker-kain", "masker-bedah", "respirator",
	"coverall", "gaun-isolasi", "apron", "face-shield", "sarung-tangan", "penutup-kepala", "penutup-sepatu",
	"hand-sanitizer-gel", "hand-sanitizer-cair",
}

func TestCatalog(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	store := product.NewStore(db.App)
	cat, err := store.Load(context.Background())
	if err != nil {
		t.Fatalf("load: %v", err)
	}

	t.Run("all types by sort order", func(t *testing.T) {
		t.Parallel()
		all := cat.All()
		var codes []string
		for _, ty := range all {
			codes = append(codes, ty.Code)
		}
		if !slices.Equal(codes, wantCodes) {
			t.Errorf("codes = %v, want %v", codes, wantCodes)
		}
		if !slices.IsSortedFunc(all, func(a, b product.Type) int { return a.SortOrder - b.SortOrder }) {
			t.Error("All not by sort order")
		}
		for _, ty := range all {
			if got, ok := cat.Get(ty.Code); !ok || got != ty {
				t.Errorf("Get(%s) = %+v, %v", ty.Code, got, ok)
			}
			if !ty.Category.Valid() {
				t.Errorf("%s: category %q", ty.Code, ty.Category)
			}
			if ty.NameID == "" || ty.NameEN == "" || ty.UnitID == "" || ty.UnitEN == "" {
				t.Errorf("%s: a name or unit is missing: %+v", ty.Code, ty)
			}
			if ty.PermitRequired != (ty.PermitKind != product.PermitNone) {
				t.Errorf("%s: permit required %v but kind %q", ty.Code, ty.PermitRequired, ty.PermitKind)
			}
		}
		if _, ok := cat.Get("masker-emas"); ok {
			t.Error("Get(masker-emas) found")
		}
	})

	t.Run("categories", func(t *testing.T) {
		t.Parallel()
		want := map[product.Category][]string{
			product.CategoryMasker:        {"masker-kain", "masker-bedah", "respirator"},
			product.CategoryAPD:           {"coverall", "gaun-isolasi", "apron", "face-shield", "sarung-tangan", "penutup-kepala", "penutup-sepatu"},
			product.CategoryHandSanitizer: {"hand-sanitizer-gel", "hand-sanitizer-cair"},
		}
		if len(product.Categories()) != 3 {
			t.Errorf("Categories() = %v, want three", product.Categories())
		}
		for _, c := range product.Categories() {
			var codes []string
			for _, ty := range cat.ByCategory(c) {
				codes = append(codes, ty.Code)
			}
			if !slices.Equal(codes, want[c]) {
				t.Errorf("ByCategory(%s) = %v, want %v", c, codes, want[c])
			}
		}
		if got := cat.ByCategory("vaksin"); len(got) != 0 {
			t.Errorf("ByCategory(vaksin) = %v, want none", got)
		}
	})

	t.Run("permits", func(t *testing.T) {
		t.Parallel()
		tests := []struct {
			code     string
			required bool
			kind     product.PermitKind
		}{
			{"masker-bedah", true, product.PermitAKD},
			{"respirator", true, product.PermitAKD},
			{"coverall", true, product.PermitAKD},
			{"gaun-isolasi", true, product.PermitAKD},
			{"sarung-tangan", true, product.PermitAKD},
			{"hand-sanitizer-gel", true, product.PermitPKD},
			{"hand-sanitizer-cair", true, product.PermitPKD},
			{"masker-kain", false, product.PermitNone},
			{"apron", false, product.PermitNone},
			{"face-shield", false, product.PermitNone},
			{"penutup-kepala", false, product.PermitNone},
			{"penutup-sepatu", false, product.PermitNone},
		}
		for _, tt := range tests {
			ty, ok := cat.Get(tt.code)
			if !ok || ty.PermitRequired != tt.required || ty.PermitKind != tt.kind {
				t.Errorf("%s: permit %v %q (found %v), want %v %q", tt.code, ty.PermitRequired, ty.PermitKind, ok, tt.required, tt.kind)
			}
		}
	})

	t.Run("names and units by language", func(t *testing.T) {
		t.Parallel()
		ty, _ := cat.Get("masker-kain")
		if ty.Name(i18n.ID) != "Masker kain" || ty.Name(i18n.EN) != "Cloth mask" {
			t.Errorf("names %q / %q", ty.Name(i18n.ID), ty.Name(i18n.EN))
		}
		if ty.Unit(i18n.ID) != "lembar" || ty.Unit(i18n.EN) != "piece" {
			t.Errorf("units %q / %q", ty.Unit(i18n.ID), ty.Unit(i18n.EN))
		}
		if gloves, _ := cat.Get("sarung-tangan"); gloves.Unit(i18n.EN) != "pair" {
			t.Errorf("gloves counted in %q, want pair", gloves.Unit(i18n.EN))
		}
		if gel, _ := cat.Get("hand-sanitizer-gel"); gel.Unit(i18n.ID) != "liter" || gel.Unit(i18n.EN) != "litre" {
			t.Errorf("sanitizer counted in %q / %q, want liter / litre", gel.Unit(i18n.ID), gel.Unit(i18n.EN))
		}
	})

	t.Run("immutable", func(t *testing.T) {
		t.Parallel()
		all := cat.All()
		all[0].NameID = "Changed"
		masks := cat.ByCategory(product.CategoryMasker)
		masks[0].Code = "changed"
		if cat.All()[0].NameID == "Changed" || cat.ByCategory(product.CategoryMasker)[0].Code == "changed" {
			t.Error("changing a returned slice changed the catalogue")
		}
	})

	t.Run("read once", func(t *testing.T) {
		again, err := store.Load(context.Background())
		if err != nil || again != cat {
			t.Errorf("second Load = %p, %v; want the same catalogue %p", again, err, cat)
		}
	})
}

// The server's role may read the catalogue, never change it; the schema
// refuses a permit kind that contradicts permit_required.
func TestCatalogIsReadOnly(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	for _, sql := range []string{
		`INSERT INTO product_types (code, category, name_id, name_en, unit_id, unit_en, permit_required, permit_kind, sort_order)
		 VALUES ('vaksin', 'apd', 'Vaksin', 'Vaccine', 'dosis', 'dose', true, 'AKD', 999)`,
		`UPDATE product_types SET permit_required = false, permit_kind = '' WHERE code = 'masker-bedah'`,
		`DELETE FROM product_types WHERE code = 'masker-kain'`,
	} {
		err := db.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, sql)
			return err
		})
		if !errors.Is(err, database.ErrForbidden) {
			t.Errorf("%s: %v, want ErrForbidden", sql, err)
		}
	}

	conn, err := pgx.Connect(ctx, db.OwnerURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, sql := range []string{
		`UPDATE product_types SET permit_kind = '' WHERE code = 'masker-bedah'`,
		`UPDATE product_types SET permit_required = true WHERE code = 'masker-kain'`,
		`UPDATE product_types SET permit_kind = 'SNI' WHERE code = 'masker-kain'`,
		`UPDATE product_types SET category = 'vaksin' WHERE code = 'masker-kain'`,
	} {
		if _, err := conn.Exec(ctx, sql); err == nil {
			t.Errorf("%s: accepted", sql)
		}
	}
}
