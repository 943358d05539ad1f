package listing_test

import (
	"context"
	"testing"

	"pasokan/internal/database/dbtest"
	"pasokan/internal/listing"
	"pasokan/internal/testapp"
)

// TestSearchIsCountedToItsLimit: a search counted along its walk (words
// with a filter, several words) says how many entries it found up to
// SearchCountLimit, and "more than" the limit beyond it; the pages still
// hold every entry.
func TestSearchIsCountedToItsLimit(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 1500)
	s := app.Listings
	over, under := false, false
	for _, f := range []listing.Filter{
		{Q: "koperasi", Product: "masker-kain"},
		{Q: "konveksi", Province: "32"},
		{Q: "masker", Sort: listing.SortCapacity, Province: "32"},
		{Q: "koperasi konveksi"},
		{Q: "masker kain"},
		{Q: "masker", SizeClass: "mikro"},
		{Q: "jahit", Product: "gaun-isolasi"},
	} {
		found := all(t, s, f)
		first, err := s.Search(context.Background(), f)
		dbtest.Must(t, err)
		t.Logf("%+v: %d found, total %d, over %v", f, len(found), first.Total, first.Over)
		if first.Over != (len(found) > listing.SearchCountLimit) || first.Total != min(len(found), listing.SearchCountLimit) {
			t.Errorf("%+v: %d entries on the pages, total %d (over %v)", f, len(found), first.Total, first.Over)
		}
		over = over || first.Over
		under = under || (!first.Over && first.Total > listing.PageSize)
	}
	if !over || !under {
		t.Errorf("the searches show nothing: one over the limit %v, one counted beyond a page %v", over, under)
	}
}
