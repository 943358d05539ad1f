package curation

import (
	"context"
	"strings"
	"testing"

	domain "pasokan/internal/curation"
	"pasokan/internal/i18n"
	"pasokan/internal/supplier"
	"pasokan/internal/validation"
	"pasokan/web/component"
)

func drawnReview(f component.Form, drawn *DrawnChecklists) ReviewView {
	item := func(id int64, text string, gate bool) domain.Item {
		return domain.Item{ID: id, Key: text, TextID: "Butir " + text, TextEN: "Item " + text, Gate: gate,
			Standard: domain.Standard{Code: "SNI 8914:2020"}}
	}
	return ReviewView{
		Case: domain.Case{AppID: 7, Version: 3, Status: supplier.StatusInReview,
			Products: []domain.CaseProduct{{Product: supplier.Product{Type: "mask_cloth"}}}},
		Checklists: domain.CaseChecklists{
			General:  domain.Checklist{ID: 1, Version: 2, Items: []domain.Item{item(11, "nib", true), item(12, "kbli", false)}},
			Products: map[string]domain.Checklist{"mask_cloth": {ID: 2, ProductType: "mask_cloth", Version: 1, Items: []domain.Item{item(21, "layers", false)}}},
		},
		ProductNames: map[string]string{"mask_cloth": "Masker kain"},
		Form:         f,
		Drawn:        drawn,
	}
}

func drawDecision(t *testing.T, lang i18n.Lang, v ReviewView) string {
	t.Helper()
	var b strings.Builder
	if err := decision(v).Render(i18n.WithLang(context.Background(), lang), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestBlankChecklistsAreDrawnOnceInEachLanguage: a review page opened
// draws each checklist once per language and copies it after, the same as
// drawn anew; a form sent back with answers or errors is drawn with them,
// and nothing of it is kept.
func TestBlankChecklistsAreDrawnOnceInEachLanguage(t *testing.T) {
	d := &DrawnChecklists{}
	fresh := drawDecision(t, i18n.ID, drawnReview(component.NewForm(), nil))
	first := drawDecision(t, i18n.ID, drawnReview(component.NewForm(), d))
	if first != fresh {
		t.Fatalf("the kept drawing differs from one drawn anew:\n%s\n---\n%s", first, fresh)
	}
	if d.kept() != 2 {
		t.Fatalf("%d checklists kept after one page, want 2 (the general one and the product's)", d.kept())
	}
	if again := drawDecision(t, i18n.ID, drawnReview(component.NewForm(), d)); again != first {
		t.Fatalf("the second page differs from the first")
	}
	for _, want := range []string{"Butir nib", "Masker kain", `name="check_21"`} {
		if !strings.Contains(first, want) {
			t.Errorf("the page lacks %q", want)
		}
	}

	en := drawDecision(t, i18n.EN, drawnReview(component.NewForm(), d))
	if !strings.Contains(en, "Item nib") || strings.Contains(en, "Butir nib") {
		t.Errorf("the English page shows the Indonesian checklist")
	}
	if d.kept() != 4 {
		t.Fatalf("%d checklists kept after a page in each language, want 4", d.kept())
	}

	answered := component.NewForm()
	answered.Values["check_11"] = "pass"
	answered.Errors = validation.Errors{"check_12": "error.required"}
	got := drawDecision(t, i18n.ID, drawnReview(answered, d))
	if want := drawDecision(t, i18n.ID, drawnReview(answered, nil)); got != want {
		t.Fatalf("a form sent back is not drawn as without keeping")
	}
	if !strings.Contains(got, `id="f-check_11-pass" checked`) {
		t.Errorf("the answer sent back is not checked")
	}
	if !strings.Contains(got, `id="f-check_12-error"`) {
		t.Errorf("the error sent back is not shown")
	}
	if d.kept() != 4 {
		t.Errorf("a form sent back was kept (%d drawings)", d.kept())
	}
}
