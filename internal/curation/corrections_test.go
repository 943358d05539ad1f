package curation_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/curation"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/i18n"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestStandardCorrections holds the corrections of issue 14 (migration
// 0040) to what a regulatory reviewer found: a change of what is checked is
// a new version from the day it applies, with what changed and why; a
// correction that keeps the meaning is a marked erratum.
func TestStandardCorrections(t *testing.T) {
	t.Parallel()
	store := curation.NewChecklists(dbtest.New(t).App)
	ctx := context.Background()
	inForce := func(pt, on string) curation.Checklist {
		t.Helper()
		cl, err := store.InForce(ctx, pt, day(on))
		if err != nil {
			t.Fatalf("%s on %s: %v", pt, on, err)
		}
		return cl
	}
	item := func(cl curation.Checklist, key string) curation.Item {
		t.Helper()
		it, ok := cl.Item(key)
		if !ok {
			t.Fatalf("%s v%d has no %s", cl.ProductType, cl.Version, key)
		}
		return it
	}
	codes := func(cl curation.Checklist) string {
		var out []string
		for _, s := range cl.Standards() {
			out = append(out, s.Code)
		}
		return strings.Join(out, ", ")
	}

	// GB 2626-2019 applied from 1 July 2020.
	if cl := inForce("respirator", "2020-06-30"); cl.Version != 1 || !strings.Contains(codes(cl), "GB 2626-2006") {
		t.Errorf("respirators on 30 June 2020: v%d on %s, want v1 on GB 2626-2006", cl.Version, codes(cl))
	}
	r2 := inForce("respirator", "2020-07-01")
	if r2.Version != 2 || !strings.Contains(codes(r2), "GB 2626-2019") || strings.Contains(codes(r2), "GB 2626-2006") {
		t.Errorf("respirators on 1 July 2020: v%d on %s, want v2 on GB 2626-2019 alone", r2.Version, codes(r2))
	}
	if it := item(r2, "marking"); !strings.Contains(it.TextID, "GB 2626-2019") || !strings.Contains(it.TextEN, "GB 2626-2019") {
		t.Errorf("respirator v2 marking: %q", it.TextEN)
	}

	// Hand sanitizer: no "60–85 %" after the correction; v1 keeps its text
	// as the record of what was checked under it.
	for _, pt := range []string{"hand-sanitizer-gel", "hand-sanitizer-cair"} {
		before, after := inForce(pt, "2026-12-05"), inForce(pt, "2026-12-06")
		if old := item(before, "alcohol_content"); before.Version != 1 || !strings.Contains(old.TextEN, "60–85") {
			t.Errorf("%s before the correction: v%d %q", pt, before.Version, old.TextEN)
		}
		gate := item(after, "alcohol_content")
		if after.Version != 2 || !gate.Gate || strings.Contains(gate.TextID+gate.TextEN, "60–85") ||
			!strings.Contains(gate.TextEN, "60–95") || !strings.Contains(gate.TextEN, "80 ± 5") || !strings.Contains(gate.TextEN, "75 ± 5") {
			t.Errorf("%s after the correction: v%d gate %v %q", pt, after.Version, gate.Gate, gate.TextEN)
		}
		if gate.Standard.Code != "CDC Hand Hygiene Guideline (2002)" {
			t.Errorf("%s: the corrected range cites %q", pt, gate.Standard.Code)
		}
		if f := item(after, "who_formulation"); !strings.Contains(f.TextEN, "80 ± 5") {
			t.Errorf("%s v2 formulation: %q", pt, f.TextEN)
		}
	}

	// Isolation gowns: level 4 is ASTM F1671; the zones are all but
	// bindings, cuffs and hems.
	g1, g2 := inForce("gaun-isolasi", "2026-12-05"), inForce("gaun-isolasi", "2026-12-06")
	if v := item(g2, "viral_penetration"); g2.Version != 2 || !strings.Contains(v.TextEN, "F1671") || strings.Contains(v.TextEN, "F1670") {
		t.Errorf("gown v%d level 4: %q", g2.Version, v.TextEN)
	}
	if z := item(g2, "critical_zones"); !strings.Contains(z.TextID, "kecuali ikatan, manset dan kelim") || strings.Contains(z.TextEN, "the front and the sleeves") {
		t.Errorf("gown v2 critical zones: %q", z.TextEN)
	}
	if z := item(g1, "critical_zones"); !strings.Contains(z.TextEN, "the front and the sleeves") {
		t.Errorf("gown v1 lost its record: %q", z.TextEN)
	}

	// Surgical masks: an erratum of version 1, the corrected text carried
	// into version 2.
	sm := inForce("masker-bedah", "2026-12-05")
	if ply := item(sm, "three_ply_nonwoven"); sm.Version != 1 || !strings.HasPrefix(ply.TextEN, "At least three plies") ||
		ply.Erratum(i18n.ID) == "" || ply.Erratum(i18n.EN) == "" {
		t.Errorf("surgical mask v%d plies: %q, erratum %q", sm.Version, ply.TextEN, ply.ErratumEN)
	}
	if ply := item(inForce("masker-bedah", "2026-12-06"), "three_ply_nonwoven"); !strings.HasPrefix(ply.TextEN, "At least three plies") || ply.ErratumEN != "" {
		t.Errorf("surgical mask v2 plies: %q, erratum %q", ply.TextEN, ply.ErratumEN)
	}

	// What a curator would also check, from 6 December 2026.
	for _, pt := range []string{"masker-bedah", "respirator", "coverall", "gaun-isolasi", "sarung-tangan", "hand-sanitizer-gel", "hand-sanitizer-cair"} {
		before, now := inForce(pt, "2026-12-05"), inForce(pt, "2026-12-06")
		if _, ok := before.Item("permit_registry"); ok {
			t.Errorf("%s v%d already looked permits up", pt, before.Version)
		}
		reg := item(now, "permit_registry")
		if reg.Gate == (pt == "coverall") || reg.Standard.Code != "KEMENKES-DAFTAR-IZIN-EDAR" || !strings.Contains(reg.TextEN, "link") {
			t.Errorf("%s v%d permit look-up: gate %v on %s: %q", pt, now.Version, reg.Gate, reg.Standard.Code, reg.TextEN)
		}
		cert := item(now, "production_certificate")
		wantCert, notCert := "CPAKB", "CPPKRTB"
		if strings.HasPrefix(pt, "hand-sanitizer") {
			wantCert, notCert = notCert, wantCert
		}
		if !strings.Contains(cert.TextID, wantCert) || strings.Contains(cert.TextID, notCert) || !strings.Contains(cert.TextEN, wantCert) {
			t.Errorf("%s production certificate: %q", pt, cert.TextEN)
		}
		if lab := item(now, "lab_accredited"); !strings.Contains(lab.TextEN, "KAN") || lab.Standard.Code != "SNI ISO/IEC 17025:2017" {
			t.Errorf("%s laboratory: %q on %s", pt, lab.TextEN, lab.Standard.Code)
		}
	}
	cm3 := inForce("masker-kain", "2026-12-06")
	if scope := item(cm3, "within_scope"); cm3.Version != 3 || !scope.Gate || !strings.Contains(scope.TextEN, "baby") {
		t.Errorf("cloth mask v%d scope: %+v", cm3.Version, scope)
	}
	item(cm3, "extractable_metals")
	item(cm3, "sni_mark")
	if b := item(cm3, "bacterial_filtration"); !strings.Contains(b.TextEN, "≤ 15") {
		t.Errorf("cloth mask type B: %q", b.TextEN)
	}
	if c := item(cm3, "particle_filtration"); !strings.Contains(c.TextEN, "≤ 21") {
		t.Errorf("cloth mask type C: %q", c.TextEN)
	}
	r3 := inForce("respirator", "2026-12-06")
	if f := item(r3, "fluid_resistance_medical"); r3.Version != 3 || f.Standard.Code != "ASTM F1862/F1862M-17" {
		t.Errorf("respirator v%d fluid resistance on %s", r3.Version, f.Standard.Code)
	}
	item(r3, "no_valve_medical")
	item(r3, "headbands_n95")
	if g := item(inForce("coverall", "2026-12-06"), "garment_type"); !strings.Contains(g.TextEN, "3B, 4B, 5B or 6B") {
		t.Errorf("coverall type: %q", g.TextEN)
	}
	item(inForce("coverall", "2026-12-06"), "fabric_sni_8913")
	item(inForce("gaun-isolasi", "2026-12-06"), "fabric_sni_8913")
	for _, pt := range []string{"hand-sanitizer-gel", "hand-sanitizer-cair"} {
		if m := item(inForce(pt, "2026-12-06"), "methanol_gc"); !m.Gate {
			t.Errorf("%s: the methanol test is not required", pt)
		}
	}

	// Cloth masks, version 1: the Gugus Tugas advice for three layers,
	// every item saying which source applies when.
	cm := inForce("masker-kain", "2020-05-01")
	if it := item(cm, "three_layers"); it.Standard.Code != "GUGUS-TUGAS-MASKER-KAIN-2020" {
		t.Errorf("cloth mask v1 three layers cite %q", it.Standard.Code)
	}
	for _, it := range cm.Items {
		if !strings.Contains(it.ErratumEN, "5 June 2020") || !strings.Contains(it.ErratumID, "5 Juni 2020") {
			t.Errorf("cloth mask v1 %s: erratum %q", it.Key, it.ErratumEN)
		}
	}

	// Every version after the first says what changed; every note and
	// erratum is in both languages.
	all, err := store.All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	standards := map[string]curation.Standard{}
	for _, cl := range all {
		if (cl.Version > 1) != (cl.ChangesID != "") || (cl.ChangesID == "") != (cl.ChangesEN == "") || (cl.ChangesID != "" && cl.ChangesID == cl.ChangesEN) {
			t.Errorf("%s v%d: changes %q / %q", cl.ProductType, cl.Version, cl.ChangesID, cl.ChangesEN)
		}
		for _, it := range cl.Items {
			if (it.ErratumID == "") != (it.ErratumEN == "") {
				t.Errorf("%s v%d %s: erratum in one language only", cl.ProductType, cl.Version, it.Key)
			}
			standards[it.Standard.Code] = it.Standard
		}
	}
	for code, s := range standards {
		if (s.NoteID == "") != (s.NoteEN == "") {
			t.Errorf("%s: note in one language only", code)
		}
	}
	if n := standards["SNI 8914:2020"].Note(i18n.EN); !strings.Contains(n, "408") || !strings.Contains(n, "407") {
		t.Errorf("SNI 8914:2020 note: %q", n)
	}
	if k := standards["KEMENKES-APD-COVID19-2020"]; k.TitleID != "Standar Alat Pelindung Diri (APD) dalam Manajemen Penanganan COVID-19" || k.NoteID == "" {
		t.Errorf("the Ministry of Health's book: %q, note %q", k.TitleID, k.NoteID)
	}
	if s := standards["GB 2626-2006"]; s.InForceUntil == nil || !s.InForceUntil.Equal(day("2020-07-01")) {
		t.Errorf("GB 2626-2006 until %v, want 1 July 2020", s.InForceUntil)
	}
}

// TestCorrectionsLeaveReviewsAndListThemForRecuration: the demo story's
// reviews of hand sanitizers and isolation gowns (2020–2021) keep the
// version in force on their day, version 1, and from the day the
// corrections apply their suppliers are due for re-curation; the day
// before, they were not. A review made now pins the corrected version.
func TestCorrectionsLeaveReviewsAndListThemForRecuration(t *testing.T) {
	t.Parallel()
	b := setupScale(t, 330)
	ctx := context.Background()
	admin := b.actor(t, "admin@pasokan.test")

	type pinned struct {
		ProductType string `db:"product_type"`
		Version     int
		N           int
	}
	var rows []pinned
	dbtest.Must(t, b.app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		r, _ := tx.Query(ctx, `SELECT c.product_type, c.version, count(*)::int AS n
  FROM reviews r JOIN checklists c ON c.id = r.checklist_id
 WHERE c.product_type IN ('hand-sanitizer-gel', 'hand-sanitizer-cair', 'gaun-isolasi') AND r.decision = 'curate'
 GROUP BY 1, 2 ORDER BY 1, 2`)
		var err error
		rows, err = pgx.CollectRows(r, pgx.RowToStructByName[pinned])
		return err
	}))
	curated := map[string]bool{}
	for _, p := range rows {
		if p.Version != 1 {
			t.Errorf("%d curating reviews of %s pin version %d, made before it existed", p.N, p.ProductType, p.Version)
		}
		curated[p.ProductType] = true
	}
	if len(curated) == 0 {
		t.Fatal("the demo story curates no hand sanitizer or isolation gown")
	}

	due := func(on string) map[string]int {
		t.Helper()
		list, err := b.store.RecurationDue(ctx, admin, day(on), curation.MaxRecuration)
		dbtest.Must(t, err)
		out := map[string]int{}
		for _, r := range list {
			out[r.ProductType]++
		}
		return out
	}
	before, after := due("2026-12-05"), due("2026-12-06")
	for pt := range curated {
		if before[pt] != 0 {
			t.Errorf("%d %s curations due before the correction", before[pt], pt)
		}
		if after[pt] == 0 {
			t.Errorf("no %s curation due once its checklist is corrected (due: %v)", pt, after)
		}
	}

	// Today's checklist for a hand sanitizer is the corrected one.
	cl, err := curation.NewChecklists(b.app.DB.App).InForce(ctx, "hand-sanitizer-cair", time.Now())
	dbtest.Must(t, err)
	if cl.Version != 2 {
		t.Errorf("a hand sanitizer reviewed now is checked on v%d", cl.Version)
	}
}
