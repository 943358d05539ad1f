package curation

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"testing"
	"time"

	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/i18n"
	"pasokan/internal/validation"
)

// checklistProductTypes are the stable product type codes of DESIGN.md.
var checklistProductTypes = []string{
	"masker-kain", "masker-bedah", "respirator",
	"coverall", "gaun-isolasi", "apron", "face-shield", "sarung-tangan", "penutup-kepala", "penutup-sepatu",
	"hand-sanitizer-gel", "hand-sanitizer-cair",
}

func checklistDay(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestChecklistsSeeded(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	store := NewChecklists(db.App)
	ctx := context.Background()

	t.Run("one in force for the applicant and every product type", func(t *testing.T) {
		t.Parallel()
		for _, day := range []string{"2020-04-01", "2020-05-01", "2020-10-01", "2030-01-01"} {
			for _, pt := range append([]string{""}, checklistProductTypes...) {
				cl, err := store.InForce(ctx, pt, checklistDay(day))
				if err != nil {
					t.Errorf("InForce(%q, %s): %v", pt, day, err)
					continue
				}
				if cl.ProductType != pt || cl.General() != (pt == "") || len(cl.Items) == 0 {
					t.Errorf("InForce(%q, %s) = %s v%d with %d items", pt, day, cl.ProductType, cl.Version, len(cl.Items))
				}
			}
		}
	})

	t.Run("none before the portal opened or for an unknown type", func(t *testing.T) {
		t.Parallel()
		for _, q := range []struct{ pt, day string }{{"", "2020-03-31"}, {"masker-kain", "2020-03-31"}, {"vaksin", "2020-05-01"}} {
			if cl, err := store.InForce(ctx, q.pt, checklistDay(q.day)); !errors.Is(err, database.ErrNotFound) {
				t.Errorf("InForce(%q, %s) = v%d, %v; want ErrNotFound", q.pt, q.day, cl.Version, err)
			}
		}
		if _, err := store.Get(ctx, -1); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("Get(-1): %v, want ErrNotFound", err)
		}
	})

	t.Run("cloth mask: WHO until 16 September 2020, then SNI 8914:2020", func(t *testing.T) {
		t.Parallel()
		// Version 1's three layers rest on the Gugus Tugas advice of 5
		// April 2020, the rest on WHO's of 5 June (corrected in 0040).
		v1 := []string{"GUGUS-TUGAS-MASKER-KAIN-2020", "WHO/2019-nCoV/IPC_Masks/2020.4"}
		tests := []struct {
			day       string
			version   int
			standards []string
		}{
			{"2020-04-01", 1, v1},
			{"2020-05-01", 1, v1},
			{"2020-09-15", 1, v1},
			{"2020-09-16", 2, []string{"SNI 8914:2020"}},
			{"2020-10-01", 2, []string{"SNI 8914:2020"}},
		}
		for _, tt := range tests {
			cl, err := store.InForce(ctx, "masker-kain", checklistDay(tt.day))
			if err != nil {
				t.Fatalf("%s: %v", tt.day, err)
			}
			var codes []string
			for _, s := range cl.Standards() {
				codes = append(codes, s.Code)
			}
			if cl.Version != tt.version || !slices.Equal(codes, tt.standards) {
				t.Errorf("%s: version %d on %v, want %d on %v", tt.day, cl.Version, codes, tt.version, tt.standards)
			}
		}
		// The day is taken where the time passed is: 00:30 on 16 September
		// in Jakarta is version 2, although it is still the 15th in UTC.
		jakarta := time.FixedZone("WIB", 7*3600)
		for _, q := range []struct {
			at      time.Time
			version int
		}{
			{time.Date(2020, 9, 15, 23, 30, 0, 0, jakarta), 1},
			{time.Date(2020, 9, 16, 0, 30, 0, 0, jakarta), 2},
		} {
			if cl, err := store.InForce(ctx, "masker-kain", q.at); err != nil || cl.Version != q.version {
				t.Errorf("InForce(masker-kain, %s) = v%d, %v; want v%d", q.at, cl.Version, err, q.version)
			}
		}
	})

	t.Run("superseded", func(t *testing.T) {
		t.Parallel()
		// until is exclusive: a version is superseded on the day its
		// successor starts.
		for _, q := range []struct {
			day  string
			want []string
		}{
			{"2020-05-01", nil},
			{"2020-06-30", nil},
			{"2020-07-01", []string{"respirator v1"}},
			{"2020-09-15", []string{"respirator v1"}},
			{"2020-09-16", []string{"masker-kain v1", "respirator v1"}},
			{"2026-12-05", []string{"masker-kain v1", "respirator v1"}},
			{"2026-12-06", []string{"masker-kain v1", "masker-kain v2", "masker-bedah v1", "respirator v1", "respirator v2", "coverall v1",
				"gaun-isolasi v1", "sarung-tangan v1", "hand-sanitizer-gel v1", "hand-sanitizer-cair v1"}},
		} {
			got, err := store.Superseded(ctx, checklistDay(q.day))
			if err != nil {
				t.Fatal(err)
			}
			if names := checklistNames(got); !slices.Equal(names, q.want) {
				t.Errorf("Superseded(%s) = %v, want %v", q.day, names, q.want)
			}
		}
	})

	t.Run("every checklist is well formed", func(t *testing.T) {
		t.Parallel()
		all, err := store.All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// General, 12 products, cloth mask v2 (SNI 8914:2020), and the
		// corrections of 0040: respirator v2 and v3, cloth mask v3, and v2
		// of the surgical mask, coverall, isolation gown, gloves and both
		// hand sanitizers.
		if len(all) != 23 {
			t.Errorf("%d checklists: %v", len(all), checklistNames(all))
		}
		if all[0].ProductType != "" {
			t.Errorf("All starts with %q, want the general checklist", all[0].ProductType)
		}
		key := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
		for _, cl := range all {
			name := checklistNames([]Checklist{cl})[0]
			if got, err := store.Get(ctx, cl.ID); err != nil || got.Version != cl.Version || len(got.Items) != len(cl.Items) {
				t.Errorf("%s: Get(%d) = %v, %v", name, cl.ID, checklistNames([]Checklist{got}), err)
			}
			// Every checklist has a gate: something that must be true of
			// every product of its kind (no exception was needed).
			gates := 0
			keys := map[string]bool{}
			for i, it := range cl.Items {
				if keys[it.Key] || !key.MatchString(it.Key) {
					t.Errorf("%s: key %q repeated or not snake_case", name, it.Key)
				}
				keys[it.Key] = true
				if it.Field() != "check_"+it.Key {
					t.Errorf("%s: field %q", name, it.Field())
				}
				if it.Gate {
					gates++
					if it.Weight != 0 {
						t.Errorf("%s/%s: a gate with weight %d", name, it.Key, it.Weight)
					}
				} else if it.Weight < 1 || it.Weight > 5 {
					t.Errorf("%s/%s: weight %d, want 1 to 5", name, it.Key, it.Weight)
				}
				if it.TextID == "" || it.TextEN == "" || it.TextID == it.TextEN || it.Text(i18n.ID) != it.TextID || it.Text(i18n.EN) != it.TextEN {
					t.Errorf("%s/%s: texts %q / %q", name, it.Key, it.TextID, it.TextEN)
				}
				s := it.Standard
				if s.ID == 0 || s.Code == "" || s.TitleID == "" || s.TitleEN == "" || s.Issuer == "" || s.InForceFrom.IsZero() {
					t.Errorf("%s/%s: standard %+v", name, it.Key, s)
				}
				if s.Title(i18n.EN) != s.TitleEN || s.Title(i18n.ID) != s.TitleID {
					t.Errorf("%s/%s: standard titles by language", name, it.Key)
				}
				// The standard is in force whenever its checklist is.
				if s.InForceFrom.After(cl.InForceFrom) || (s.InForceUntil != nil && (cl.InForceUntil == nil || s.InForceUntil.Before(*cl.InForceUntil))) {
					t.Errorf("%s/%s: standard %s in force %s–%v, checklist %s–%v", name, it.Key, s.Code, s.InForceFrom, s.InForceUntil, cl.InForceFrom, cl.InForceUntil)
				}
				if i > 0 && cl.Items[i-1].Sort >= it.Sort {
					t.Errorf("%s/%s: items not in sort order", name, it.Key)
				}
			}
			if gates == 0 {
				t.Errorf("%s: no gate item", name)
			}
			if gates == len(cl.Items) {
				t.Errorf("%s: only gates, nothing to score", name)
			}
		}
	})

	t.Run("permits are gates", func(t *testing.T) {
		t.Parallel()
		for pt, key := range map[string]string{
			"masker-bedah":        "permit_akd",
			"respirator":          "permit_akd",
			"gaun-isolasi":        "permit_akd",
			"sarung-tangan":       "permit_akd",
			"coverall":            "permit_akd_or_non_medical",
			"hand-sanitizer-gel":  "permit_pkd",
			"hand-sanitizer-cair": "permit_pkd",
		} {
			cl, err := store.InForce(ctx, pt, checklistDay("2020-05-01"))
			if err != nil {
				t.Fatal(err)
			}
			it, ok := cl.Item(key)
			if !ok || !it.Gate || it.Standard.Code != "Permenkes 62/2017" {
				t.Errorf("%s: %s = %+v (found %v), want a gate on Permenkes 62/2017", pt, key, it, ok)
			}
		}
		for _, pt := range []string{"hand-sanitizer-gel", "hand-sanitizer-cair"} {
			cl, _ := store.InForce(ctx, pt, checklistDay("2020-05-01"))
			for _, key := range []string{"alcohol_content", "no_methanol"} {
				if it, ok := cl.Item(key); !ok || !it.Gate {
					t.Errorf("%s: %s is not a gate", pt, key)
				}
			}
			if it, ok := cl.Item("quarantine_72h"); !ok || it.Standard.Code != "WHO Handrub Formulations (2010)" {
				t.Errorf("%s: no 72-hour quarantine item on the WHO formulation guide", pt)
			}
		}
	})

	t.Run("returned checklists are copies", func(t *testing.T) {
		t.Parallel()
		cl, _ := store.InForce(ctx, "masker-kain", checklistDay("2020-05-01"))
		cl.Items[0].Key = "changed"
		*cl.InForceUntil = time.Time{}
		if s := cl.Items[1].Standard.InForceUntil; s != nil {
			*s = time.Time{}
		}
		again, _ := store.InForce(ctx, "masker-kain", checklistDay("2020-05-01"))
		if again.Items[0].Key == "changed" || again.InForceUntil.IsZero() || again.Items[1].Standard.InForceUntil.IsZero() {
			t.Error("changing a returned checklist changed the store")
		}
	})
}

// The store reads once: with the pool closed it still answers.
func TestChecklistsReadOnce(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	store := NewChecklists(db.App)
	ctx := context.Background()
	first, err := store.InForce(ctx, "", checklistDay("2020-05-01"))
	if err != nil {
		t.Fatal(err)
	}
	db.App.Close()
	again, err := store.Get(ctx, first.ID)
	if err != nil || again.ID != first.ID {
		t.Errorf("after the pool closed: Get(%d) = %d, %v", first.ID, again.ID, err)
	}

	// A failed first read is not kept as an empty set.
	broken := NewChecklists(db.App)
	if _, err := broken.InForce(ctx, "", checklistDay("2020-05-01")); err == nil || errors.Is(err, database.ErrNotFound) {
		t.Errorf("read on a closed pool: %v, want a connection error", err)
	}
}

func TestChecklistEvaluate(t *testing.T) {
	t.Parallel()
	cl := Checklist{ProductType: "masker-kain", Version: 9, Items: []Item{
		{Key: "permit", Gate: true, Sort: 10},
		{Key: "layers", Gate: true, Sort: 20},
		{Key: "a", Weight: 1, Sort: 30},
		{Key: "b", Weight: 2, Sort: 40},
		{Key: "c", Weight: 3, Sort: 50},
	}}
	all := func(gate, a, b, c Answer) map[string]Answer {
		return map[string]Answer{"permit": gate, "layers": AnswerPass, "a": a, "b": b, "c": c}
	}
	const P, F, NA = AnswerPass, AnswerFail, AnswerNA
	tests := []struct {
		name    string
		answers map[string]Answer
		want    Result
		errs    validation.Errors
	}{
		{"all pass", all(P, P, P, P), Result{Score: 100, GatesPassed: true, Passed: true}, nil},
		{"all weighted fail", all(P, F, F, F), Result{Score: 0, GatesPassed: true, Passed: true}, nil},
		{"weights count", all(P, P, F, P), Result{Score: 66, GatesPassed: true, Passed: true}, nil},      // 4 of 6, rounded down
		{"heaviest fails", all(P, P, P, F), Result{Score: 50, GatesPassed: true, Passed: true}, nil},     // 3 of 6
		{"lightest fails", all(P, F, P, P), Result{Score: 83, GatesPassed: true, Passed: true}, nil},     // 5 of 6
		{"na leaves the sum", all(P, NA, F, P), Result{Score: 60, GatesPassed: true, Passed: true}, nil}, // 3 of 5
		{"all na scores 100", all(P, NA, NA, NA), Result{Score: 100, GatesPassed: true, Passed: true}, nil},
		{"a failing gate", all(F, P, P, P), Result{Score: 100, FailedGates: []string{"permit"}}, nil},
		{"two failing gates", map[string]Answer{"permit": F, "layers": F, "a": P, "b": P, "c": F},
			Result{Score: 50, FailedGates: []string{"permit", "layers"}}, nil},
		{"na on a gate", all(NA, P, P, P), Result{Score: 100},
			validation.Errors{"check_permit": "error.check_gate_na"}},
		{"missing answers", map[string]Answer{"layers": P, "b": F, "extra": P}, Result{Score: 0, Missing: []string{"permit", "a", "c"}},
			validation.Errors{"check_permit": "error.check_required", "check_a": "error.check_required", "check_c": "error.check_required"}},
		{"an empty answer is missing", map[string]Answer{"permit": "", "layers": P, "a": P, "b": P, "c": P},
			Result{Score: 100, Missing: []string{"permit"}}, validation.Errors{"check_permit": "error.check_required"}},
		{"invalid answers", map[string]Answer{"permit": P, "layers": "yes", "a": P, "b": "n/a", "c": "PASS"}, Result{Score: 100},
			validation.Errors{"check_layers": "error.check_required", "check_b": "error.check_required", "check_c": "error.check_required"}},
		{"a missing weighted item blocks passing", map[string]Answer{"permit": P, "layers": P, "a": P, "b": P},
			Result{Score: 100, GatesPassed: true, Missing: []string{"c"}}, validation.Errors{"check_c": "error.check_required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, errs := cl.Evaluate(tt.answers)
			if got.Score != tt.want.Score || got.GatesPassed != tt.want.GatesPassed || got.Passed != tt.want.Passed ||
				!slices.Equal(got.FailedGates, tt.want.FailedGates) || !slices.Equal(got.Missing, tt.want.Missing) {
				t.Errorf("Evaluate = %+v, want %+v", got, tt.want)
			}
			if tt.errs == nil {
				tt.errs = validation.Errors{}
			}
			if !maps.Equal(errs, tt.errs) {
				t.Errorf("errors = %v, want %v", errs, tt.errs)
			}
		})
	}

	t.Run("no items", func(t *testing.T) {
		t.Parallel()
		got, errs := Checklist{}.Evaluate(nil)
		if got.Score != 100 || !got.GatesPassed || !got.Passed || errs.Any() {
			t.Errorf("empty checklist: %+v, %v", got, errs)
		}
	})
}

// The seeded general checklist evaluates as the curation form will use it.
func TestChecklistEvaluateSeeded(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	store := NewChecklists(db.App)
	cl, err := store.InForce(context.Background(), "", checklistDay("2020-05-01"))
	if err != nil {
		t.Fatal(err)
	}
	answers := map[string]Answer{}
	for _, it := range cl.Items {
		answers[it.Key] = AnswerPass
	}
	answers["physical_sample"] = AnswerNA // no sample asked for
	if res, errs := cl.Evaluate(answers); !res.Passed || res.Score != 100 || errs.Any() {
		t.Errorf("all pass: %+v, %v", res, errs)
	}
	answers["nib_valid"] = AnswerFail
	answers["capacity_credible"] = AnswerFail
	res, errs := cl.Evaluate(answers)
	if res.Passed || res.GatesPassed || !slices.Equal(res.FailedGates, []string{"nib_valid"}) || errs.Any() {
		t.Errorf("NIB fails: %+v, %v", res, errs)
	}
	if res.Score != 40 { // kbli 2 of kbli 2 + capacity 3
		t.Errorf("score %d, want 40", res.Score)
	}
}

func checklistNames(cls []Checklist) []string {
	var out []string
	for _, cl := range cls {
		pt := cl.ProductType
		if pt == "" {
			pt = "(general)"
		}
		out = append(out, fmt.Sprintf("%s v%d", pt, cl.Version))
	}
	return out
}
