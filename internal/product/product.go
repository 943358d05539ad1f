// Package product holds the catalogue of product types a supplier can
// declare and a buyer can ask for: masks, other protective equipment (APD)
// and hand sanitizer, with their names and units in both languages and the
// Ministry of Health distribution permit (izin edar) each one needs.
//
// The catalogue is reference data loaded by migration 0002; it changes only
// with a migration, so a Store reads it once and hands out an immutable
// Catalog that answers from memory.
package product

import (
	"cmp"
	"slices"
	"strings"

	"pasokan/internal/i18n"
)

// Category groups product types the way the programme counts them.
type Category string

// The categories, as stored in product_types.category.
const (
	CategoryMasker        Category = "masker"
	CategoryAPD           Category = "apd"
	CategoryHandSanitizer Category = "hand_sanitizer"
)

// Categories returns every category, in the order the catalogue lists them.
func Categories() []Category {
	return []Category{CategoryMasker, CategoryAPD, CategoryHandSanitizer}
}

// Valid reports whether c is one of the categories.
func (c Category) Valid() bool { return slices.Contains(Categories(), c) }

// PermitKind is the kind of izin edar a domestic producer needs to sell a
// product type.
type PermitKind string

// The permit kinds, as stored in product_types.permit_kind.
const (
	// PermitNone: no izin edar (not a medical device nor a household health
	// product as catalogued).
	PermitNone PermitKind = ""
	// PermitAKD: izin edar alat kesehatan dalam negeri, for a medical device
	// made in Indonesia.
	PermitAKD PermitKind = "AKD"
	// PermitPKD: izin edar perbekalan kesehatan rumah tangga (PKRT) dalam
	// negeri, for a household health product made in Indonesia.
	PermitPKD PermitKind = "PKD"
)

// Type is one product type. Code is a stable slug (masker-kain,
// hand-sanitizer-gel, ...) that URLs and forms use.
type Type struct {
	Code     string
	Category Category
	NameID   string
	NameEN   string
	// UnitID and UnitEN name what orders and capacity are counted in
	// (lembar/piece, pasang/pair, liter/litre).
	UnitID         string
	UnitEN         string
	PermitRequired bool
	PermitKind     PermitKind
	SortOrder      int
}

// Name returns the type's name in lang (Indonesian unless lang is English).
func (t Type) Name(lang i18n.Lang) string {
	if lang == i18n.EN {
		return t.NameEN
	}
	return t.NameID
}

// Unit returns the type's unit in lang (Indonesian unless lang is English).
func (t Type) Unit(lang i18n.Lang) string {
	if lang == i18n.EN {
		return t.UnitEN
	}
	return t.UnitID
}

// Catalog is every product type, in memory. It is never changed after it is
// built, so it may be shared between goroutines; the slices it returns are
// copies the caller may keep or change.
type Catalog struct {
	all    []Type // by sort order
	byCode map[string]Type
}

// newCatalog builds a Catalog, ordering the types by sort order, then code.
func newCatalog(types []Type) *Catalog {
	c := &Catalog{all: slices.Clone(types), byCode: make(map[string]Type, len(types))}
	slices.SortFunc(c.all, func(a, b Type) int {
		return cmp.Or(cmp.Compare(a.SortOrder, b.SortOrder), strings.Compare(a.Code, b.Code))
	})
	for _, t := range c.all {
		c.byCode[t.Code] = t
	}
	return c
}

// All returns every product type, by sort order.
func (c *Catalog) All() []Type { return slices.Clone(c.all) }

// ByCategory returns the product types of category cat, by sort order; none
// for an unknown category.
func (c *Catalog) ByCategory(cat Category) []Type {
	var out []Type
	for _, t := range c.all {
		if t.Category == cat {
			out = append(out, t)
		}
	}
	return out
}

// Get returns the product type with the code.
func (c *Catalog) Get(code string) (Type, bool) {
	t, ok := c.byCode[code]
	return t, ok
}
