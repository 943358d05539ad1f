// Package region holds the provinces and regencies/cities of Indonesia with
// their official Kemendagri codes (province "32" is Jawa Barat, regency
// "32.73" is Kota Bandung), as migration 0002 loads them from idn-area-data.
//
// The data is public and changes only with a migration, so a Store reads it
// once and hands out an immutable Catalog that answers from memory.
package region

//go:generate go run ./gen

import (
	"cmp"
	"slices"
	"strings"
)

// Province is a province (provinsi), coded by two digits.
type Province struct {
	Code string
	Name string
}

// Kind says whether a regency is a kabupaten (regency) or a kota (city).
type Kind string

// The kinds of regency.
const (
	KindKabupaten Kind = "kabupaten"
	KindKota      Kind = "kota"
)

// Regency is a regency (kabupaten) or city (kota), coded by its province's
// code, a dot and two digits. Name is the official name with its kind, as
// in "Kota Bandung" or "Kabupaten Bandung".
type Regency struct {
	Code         string
	ProvinceCode string
	Name         string
	Kind         Kind
}

// Catalog is every province and regency, in memory. It is never changed
// after it is built, so it may be shared between goroutines; the slices it
// returns are copies the caller may keep or change.
type Catalog struct {
	provinces      []Province // by name
	provinceByCode map[string]Province
	regencies      map[string][]Regency // by province code, each by name
	regencyByCode  map[string]Regency
	regencyCount   int
}

// newCatalog builds a Catalog, sorting provinces and each province's
// regencies by name.
func newCatalog(provinces []Province, regencies []Regency) *Catalog {
	c := &Catalog{
		provinces:      slices.Clone(provinces),
		provinceByCode: make(map[string]Province, len(provinces)),
		regencies:      make(map[string][]Regency, len(provinces)),
		regencyByCode:  make(map[string]Regency, len(regencies)),
		regencyCount:   len(regencies),
	}
	slices.SortFunc(c.provinces, func(a, b Province) int { return byName(a.Name, a.Code, b.Name, b.Code) })
	for _, p := range provinces {
		c.provinceByCode[p.Code] = p
	}
	for _, r := range regencies {
		c.regencyByCode[r.Code] = r
		c.regencies[r.ProvinceCode] = append(c.regencies[r.ProvinceCode], r)
	}
	for _, list := range c.regencies {
		slices.SortFunc(list, func(a, b Regency) int { return byName(a.Name, a.Code, b.Name, b.Code) })
	}
	return c
}

// byName orders by name, ignoring case, then by code so that the order is
// total.
func byName(nameA, codeA, nameB, codeB string) int {
	return cmp.Or(
		strings.Compare(strings.ToLower(nameA), strings.ToLower(nameB)),
		strings.Compare(codeA, codeB),
	)
}

// Provinces returns every province, sorted by name.
func (c *Catalog) Provinces() []Province { return slices.Clone(c.provinces) }

// Regencies returns the regencies and cities of the province, sorted by
// name; none when the province is unknown.
func (c *Catalog) Regencies(provinceCode string) []Regency {
	return slices.Clone(c.regencies[provinceCode])
}

// RegencyCount is the number of regencies and cities in all provinces.
func (c *Catalog) RegencyCount() int { return c.regencyCount }

// Province returns the province with the code.
func (c *Catalog) Province(code string) (Province, bool) {
	p, ok := c.provinceByCode[code]
	return p, ok
}

// Regency returns the regency or city with the code.
func (c *Catalog) Regency(code string) (Regency, bool) {
	r, ok := c.regencyByCode[code]
	return r, ok
}

// Valid reports whether regencyCode names a regency or city of the province
// provinceCode: what a form that asks for both must check.
func (c *Catalog) Valid(provinceCode, regencyCode string) bool {
	r, ok := c.regencyByCode[regencyCode]
	return ok && r.ProvinceCode == provinceCode
}
