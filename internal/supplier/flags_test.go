package supplier

import "testing"

func TestMarkChanged(t *testing.T) {
	t.Parallel()
	snap := &Snapshot{
		Profile:   Profile{NIB: "9120001234567", NPWP: "012345674015000", KBLI: []string{"14111"}},
		Products:  []Product{{ID: 7, Type: "masker-kain", MonthlyCapacity: 20000, PriceMin: 3000, PriceMax: 5000}},
		Documents: []DocumentRef{{ID: 1, Kind: "nib"}, {ID: 2, Kind: "photo"}},
	}
	flags := func() []Flag {
		return []Flag{{Target: "field", TargetKey: "nib"}, {Target: "field", TargetKey: "npwp"},
			{Target: "product", TargetKey: "masker-kain"}, {Target: "document", TargetKey: "nib"},
			{Target: "document", TargetKey: "photo"}}
	}
	same := Application{Products: []Product{{ID: 7, Type: "masker-kain", MonthlyCapacity: 20000, PriceMin: 3000, PriceMax: 5000}},
		Documents: []Document{{ID: 1, Kind: "nib"}, {ID: 2, Kind: "photo"}}}
	f := flags()
	MarkChanged(f, snap, snap.Profile, same)
	for _, fl := range f {
		if fl.Changed {
			t.Errorf("nothing changed, yet %s %s is marked changed", fl.Target, fl.TargetKey)
		}
	}
	if Unchanged(f) != len(f) || FirstToFix(f) != "/supplier/profile#f-nib" {
		t.Errorf("unchanged %d, first to fix %q", Unchanged(f), FirstToFix(f))
	}

	// The NIB typed anew, the NPWP only reformatted (the same number), the
	// product's capacity changed, a new NIB scan, the photo removed.
	p := snap.Profile
	p.NIB, p.NPWP = "9120001234568", "012345674015000"
	changed := Application{Products: []Product{{ID: 7, Type: "masker-kain", MonthlyCapacity: 30000, PriceMin: 3000, PriceMax: 5000}},
		Documents: []Document{{ID: 1, Kind: "nib"}, {ID: 9, Kind: "nib"}}}
	f = flags()
	MarkChanged(f, snap, p, changed)
	want := []bool{true, false, true, true, true}
	for i, fl := range f {
		if fl.Changed != want[i] {
			t.Errorf("%s %s: changed %v, want %v", fl.Target, fl.TargetKey, fl.Changed, want[i])
		}
	}
	if FirstToFix(f) != "/supplier/profile#f-npwp" || FlagHref(f[3]) != "/supplier/application?kind=nib#upload" ||
		FlagHref(f[2]) != "/supplier/application#product-masker-kain" {
		t.Errorf("links: first %q, document %q, product %q", FirstToFix(f), FlagHref(f[3]), FlagHref(f[2]))
	}

	// A removed product counts as changed; no snapshot marks nothing.
	f = flags()
	MarkChanged(f, snap, p, Application{})
	if !f[2].Changed {
		t.Error("a removed product is not marked changed")
	}
	f = flags()
	MarkChanged(f, nil, p, changed)
	if Unchanged(f) != len(f) {
		t.Error("without a snapshot, flags were marked")
	}
}
