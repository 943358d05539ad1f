package supplier_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/notify"
	"pasokan/internal/product"
	"pasokan/internal/region"
	"pasokan/internal/supplier"
	"pasokan/internal/testapp"
	"pasokan/internal/validation"
)

type bundle struct {
	db       *dbtest.DB
	accounts *account.Store
	store    *supplier.Store
}

func setup(t *testing.T) bundle {
	t.Helper()
	db := dbtest.New(t)
	return bundle{
		db:       db,
		accounts: account.NewStore(db.App, testapp.Passwords(t), account.NewThrottle(db.App), notify.NewOutbox(db.App), "http://pasokan.test"),
		store: supplier.NewStore(db.App, region.NewStore(db.App), product.NewStore(db.App),
			notify.NewOutbox(db.App), slog.New(slog.DiscardHandler), "http://pasokan.test"),
	}
}

func (b bundle) supplierActor(t *testing.T, email, org string) account.Actor {
	t.Helper()
	ctx := context.Background()
	u, o, err := b.accounts.Register(ctx, account.Registration{Name: "Pemilik " + org, Email: email, Password: "kain tiga lapis", OrganizationName: org})
	dbtest.Must(t, err)
	a, err := b.accounts.LoadActor(ctx, u.ID, o.ID)
	dbtest.Must(t, err)
	return a
}

func (b bundle) ministryActor(t *testing.T) account.Actor {
	t.Helper()
	ctx := context.Background()
	u, o, err := b.accounts.CreateMinistryAdmin(ctx, "Kementerian Koperasi dan UKM", "Admin", "admin@kemenkop.go.id", "kain tiga lapis")
	dbtest.Must(t, err)
	a, err := b.accounts.LoadActor(ctx, u.ID, o.ID)
	dbtest.Must(t, err)
	return a
}

var goodProfile = supplier.ProfileInput{
	LegalName: "CV Maju Jaya", TradingName: "Konveksi Maju Jaya", LegalForm: "cv", SizeClass: "kecil",
	NIB: "9120001234567", NPWP: "01.234.567.4-015.000", KBLI: "14111, 13921", OriginalSector: "Konveksi pakaian",
	ProvinceCode: "32", RegencyCode: "32.73", Address: "Jl. Cigadung Raya 12, Bandung", Phone: "0812-3456-7890",
	Workforce: "25", Equipment: "20 mesin jahit, 2 mesin obras",
}

var goodProduct = supplier.ProductInput{ProductType: "masker-kain", MonthlyCapacity: "50.000", LeadTimeDays: "14",
	PriceMin: "2.500", PriceMax: "Rp 4.000", Materials: "Katun 3 lapis"}

func pngBytes(t *testing.T, w, h int, shade uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{shade, 100, 50, 255})
	}
	var buf bytes.Buffer
	dbtest.Must(t, png.Encode(&buf, img))
	return buf.Bytes()
}

var pdfBytes = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func fieldErr(t *testing.T, err error, field, key string) {
	t.Helper()
	var verrs validation.Errors
	if !errors.As(err, &verrs) || verrs[field] != key {
		t.Errorf("err = %v, want %s on %s", err, key, field)
	}
}

// TestKBLIEditions: a business registered through OSS in 2020 holds KBLI
// 2017 codes, one registered since OSS-RBA (July 2021) KBLI 2020; both are
// accepted and kept, and a profile that names none is KBLI 2020, as every
// profile was before the choice existed (issue 14).
func TestKBLIEditions(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	a := b.supplierActor(t, "siti@contoh.id", "Konveksi")
	for _, edition := range []string{"2017", "2020", ""} {
		in := goodProfile
		in.KBLIEdition = edition
		_, err := b.store.SaveProfile(ctx, a, in)
		dbtest.Must(t, err)
		p, err := b.store.Profile(ctx, a)
		dbtest.Must(t, err)
		want := edition
		if want == "" {
			want = "2020"
		}
		if p.KBLIEdition != want || p.Input()["kbli_edition"] != want {
			t.Errorf("saved with edition %q: read %q", edition, p.KBLIEdition)
		}
	}
}

func TestProfileValidationChangesNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	a := b.supplierActor(t, "siti@contoh.id", "Konveksi")
	tests := []struct {
		name  string
		edit  func(*supplier.ProfileInput)
		field string
		key   string
	}{
		{"NIB of 12 digits", func(p *supplier.ProfileInput) { p.NIB = "912000123456" }, "nib", "error.nib_invalid"},
		{"NPWP with a wrong check digit", func(p *supplier.ProfileInput) { p.NPWP = "01.234.567.3-015.000" }, "npwp", "error.npwp_check"},
		{"regency outside the province", func(p *supplier.ProfileInput) { p.ProvinceCode = "31" }, "regency_code", "error.regency_outside_province"},
		{"unknown province", func(p *supplier.ProfileInput) { p.ProvinceCode = "99"; p.RegencyCode = "" }, "province_code", "error.choose_option"},
		{"bad phone", func(p *supplier.ProfileInput) { p.Phone = "12345" }, "phone", "error.phone_invalid"},
		{"bad KBLI", func(p *supplier.ProfileInput) { p.KBLI = "1411" }, "kbli", "error.kbli_invalid"},
		{"an unknown KBLI edition", func(p *supplier.ProfileInput) { p.KBLIEdition = "2015" }, "kbli_edition", "error.choose_option"},
		{"negative workforce", func(p *supplier.ProfileInput) { p.Workforce = "-3" }, "workforce", "error.workforce_invalid"},
		{"unknown legal form", func(p *supplier.ProfileInput) { p.LegalForm = "firma" }, "legal_form", "error.choose_option"},
		{"the no-NPWP placeholder", func(p *supplier.ProfileInput) { p.NPWP = "00.000.000.0-000.000" }, "npwp", "error.npwp_placeholder"},
		{"Arabic-Indic digits in the NIB", func(p *supplier.ProfileInput) { p.NIB = "٩١٢٠٠٠١٢٣٤٥٦٧" }, "nib", "error.nib_invalid"},
		{"full-width digits in the phone", func(p *supplier.ProfileInput) { p.Phone = "０８１２３４５６７８９０" }, "phone", "error.phone_invalid"},
		{"a line break in the name", func(p *supplier.ProfileInput) { p.LegalName = "CV Maju\r\nBcc: x@evil.example" }, "legal_name", validation.KeyControl},
		{"a tab in the trading name", func(p *supplier.ProfileInput) { p.TradingName = "Konveksi\tMaju" }, "trading_name", validation.KeyControl},
		{"an escape in the address", func(p *supplier.ProfileInput) { p.Address = "Jl. Cigadung\x1b[2J" }, "address", validation.KeyControlMultiline},
		{"NUL in the equipment", func(p *supplier.ProfileInput) { p.Equipment = "mesin\x00jahit" }, "equipment", validation.KeyEncoding},
		{"invalid UTF-8 in the sector", func(p *supplier.ProfileInput) { p.OriginalSector = "Konveksi\xff" }, "original_sector", validation.KeyEncoding},
		{"NUL in the NIB", func(p *supplier.ProfileInput) { p.NIB = "9120001234567\x00" }, "nib", validation.KeyEncoding},
		{"invalid UTF-8 in the province", func(p *supplier.ProfileInput) { p.ProvinceCode = "3\xff" }, "province_code", validation.KeyEncoding},
		{"a line break in the phone", func(p *supplier.ProfileInput) { p.Phone = "0812\n34567890" }, "phone", validation.KeyControl},
	}
	for _, tt := range tests {
		in := goodProfile
		tt.edit(&in)
		_, err := b.store.SaveProfile(ctx, a, in)
		fieldErr(t, err, tt.field, tt.key)
	}
	p, err := b.store.Profile(ctx, a)
	dbtest.Must(t, err)
	if p.LegalName != "" {
		t.Errorf("an invalid profile was stored: %+v", p)
	}
	// A draft may be partial.
	if _, err := b.store.SaveProfile(ctx, a, supplier.ProfileInput{LegalName: "CV Maju"}); err != nil {
		t.Fatalf("partial draft: %v", err)
	}
	p, _ = b.store.Profile(ctx, a)
	if p.LegalName != "CV Maju" || len(p.Missing()) == 0 {
		t.Errorf("partial draft: %+v, missing %v", p, p.Missing())
	}
	got, err := b.store.SaveProfile(ctx, a, goodProfile)
	dbtest.Must(t, err)
	if got.NPWP != "012345674015000" || got.Phone != "+6281234567890" || got.Workforce != 25 || len(got.Missing()) != 0 {
		t.Errorf("normalised profile = %+v, missing %v", got, got.Missing())
	}
}

func TestProductValidation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	a := b.supplierActor(t, "siti@contoh.id", "Konveksi")
	tests := []struct {
		name  string
		edit  func(*supplier.ProductInput)
		field string
		key   string
	}{
		{"negative capacity", func(p *supplier.ProductInput) { p.MonthlyCapacity = "-5" }, "monthly_capacity", "error.capacity_invalid"},
		{"absurd capacity", func(p *supplier.ProductInput) { p.MonthlyCapacity = "999999999999" }, "monthly_capacity", "error.capacity_invalid"},
		{"minimum above maximum", func(p *supplier.ProductInput) { p.PriceMin = "5000"; p.PriceMax = "4000" }, "price_min", "error.price_min_above_max"},
		{"malformed permit", func(p *supplier.ProductInput) { p.PermitNumber = "KEMENKES AKD 123" }, "permit_number", "error.permit_invalid"},
		{"unknown product", func(p *supplier.ProductInput) { p.ProductType = "baju" }, "product_type", "error.choose_option"},
		{"NUL in the materials", func(p *supplier.ProductInput) { p.Materials = "katun\x00" }, "materials", validation.KeyEncoding},
		{"an escape in the needs", func(p *supplier.ProductInput) { p.MaterialNeeds = "kain\x1b" }, "material_needs", validation.KeyControlMultiline},
		{"a line break in the SNI certificate", func(p *supplier.ProductInput) { p.SNICertificate = "SNI\r\n8914" }, "sni_certificate", validation.KeyControl},
		{"invalid UTF-8 in the capacity", func(p *supplier.ProductInput) { p.MonthlyCapacity = "5000\xff" }, "monthly_capacity", validation.KeyEncoding},
		{"full-width digits in the price", func(p *supplier.ProductInput) { p.PriceMin = "２５００" }, "price_min", "error.price_invalid"},
	}
	for _, tt := range tests {
		in := goodProduct
		tt.edit(&in)
		_, err := b.store.AddProduct(ctx, a, in)
		fieldErr(t, err, tt.field, tt.key)
	}
	app, err := b.store.Application(ctx, a)
	dbtest.Must(t, err)
	if len(app.Products) != 0 || app.ID != 0 {
		t.Errorf("invalid products stored: %+v", app)
	}
	p, err := b.store.AddProduct(ctx, a, goodProduct)
	dbtest.Must(t, err)
	if p.MonthlyCapacity != 50000 || p.PriceMin != 2500 || p.PriceMax != 4000 {
		t.Errorf("parsed product = %+v", p)
	}
	surgical := supplier.ProductInput{ProductType: "masker-bedah", MonthlyCapacity: "10000", PriceMin: "1000", PriceMax: "1500",
		PermitNumber: "kemenkes ri akd 21603020123"}
	p, err = b.store.AddProduct(ctx, a, surgical)
	dbtest.Must(t, err)
	if p.PermitNumber != "KEMENKES RI AKD 21603020123" {
		t.Errorf("permit = %q", p.PermitNumber)
	}
	app, _ = b.store.Application(ctx, a)
	if len(app.Products) != 2 || app.Status != supplier.StatusDraft {
		t.Errorf("application = %+v", app)
	}
	// Line breaks from a textarea are kept, as LF.
	multi := goodProduct
	multi.Materials = "Katun 3 lapis\r\nKaret\tputih"
	p, err = b.store.AddProduct(ctx, a, multi)
	dbtest.Must(t, err)
	if p.Materials != "Katun 3 lapis\nKaret\tputih" {
		t.Errorf("materials = %q", p.Materials)
	}
}

func TestDocuments(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	a := b.supplierActor(t, "siti@contoh.id", "Konveksi")
	other := b.supplierActor(t, "budi@contoh.id", "Koperasi")

	photo := pngBytes(t, 400, 300, 10)
	d, err := b.store.AddDocument(ctx, a, supplier.Upload{Kind: "photo", FileName: `C:\Foto\contoh <masker>.PNG`, TakenOn: "2020-04-10", Data: photo})
	dbtest.Must(t, err)
	if d.ContentType != "image/png" || d.Width != 400 || d.Height != 300 || d.FileName != "contoh_masker.png" {
		t.Errorf("photo = %+v", d)
	}
	// The same bytes again are recognised.
	again, err := b.store.AddDocument(ctx, a, supplier.Upload{Kind: "photo", FileName: "lagi.png", Data: photo})
	if !errors.Is(err, supplier.ErrDuplicateFile) || again.ID != d.ID {
		t.Errorf("same file twice: %v, %d vs %d", err, again.ID, d.ID)
	}
	pdf, err := b.store.AddDocument(ctx, a, supplier.Upload{Kind: "nib", FileName: "nib.pdf", Data: pdfBytes})
	dbtest.Must(t, err)
	if pdf.ContentType != "application/pdf" {
		t.Errorf("pdf = %+v", pdf)
	}

	bad := []struct {
		name string
		up   supplier.Upload
		key  string
	}{
		{"HTML renamed .pdf", supplier.Upload{Kind: "nib", FileName: "nib.pdf", Data: []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")}, "error.file_type"},
		{"tiny image", supplier.Upload{Kind: "photo", FileName: "x.png", Data: pngBytes(t, 20, 20, 1)}, "error.image_dimensions"},
		{"empty file", supplier.Upload{Kind: "photo", FileName: "x.png", Data: []byte("")}, "error.file_required"},
		{"unknown kind", supplier.Upload{Kind: "ktp", FileName: "x.pdf", Data: pdfBytes}, "error.choose_option"},
	}
	for _, tt := range bad {
		_, err := b.store.AddDocument(ctx, a, tt.up)
		var verrs validation.Errors
		if !errors.As(err, &verrs) || !mapHas(verrs, tt.key) {
			t.Errorf("%s: err = %v, want %s", tt.name, err, tt.key)
		}
	}
	small := supplier.NewStore(b.db.App, region.NewStore(b.db.App), product.NewStore(b.db.App), notify.NewOutbox(b.db.App), slog.New(slog.DiscardHandler), "")
	small.MaxUpload = 1024
	if _, err := small.AddDocument(ctx, a, supplier.Upload{Kind: "photo", FileName: "x.png", Data: photo}); !errors.Is(err, supplier.ErrTooLarge) {
		t.Errorf("over the limit: %v", err)
	}
	app, _ := b.store.Application(ctx, a)
	if len(app.Documents) != 2 {
		t.Errorf("%d documents stored, want 2", len(app.Documents))
	}

	// Served to the owner's organisation, not to another.
	f, err := b.store.OpenDocument(ctx, a, d.ID)
	dbtest.Must(t, err)
	if !bytes.Equal(f.Data, photo) {
		t.Error("stored bytes differ")
	}
	if _, err := b.store.OpenDocument(ctx, other, d.ID); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("another organisation opening the photo: %v, want ErrNotFound", err)
	}
	if err := b.store.RemoveDocument(ctx, other, d.ID); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("another organisation removing the photo: %v", err)
	}
}

func mapHas(m validation.Errors, key string) bool {
	for _, v := range m {
		if v == key {
			return true
		}
	}
	return false
}

// complete fills a's application: profile, one product, an NIB scan, a photo.
func complete(t *testing.T, b bundle, a account.Actor, profile supplier.ProfileInput, shade uint8) supplier.Application {
	t.Helper()
	ctx := context.Background()
	_, err := b.store.SaveProfile(ctx, a, profile)
	dbtest.Must(t, err)
	_, err = b.store.AddProduct(ctx, a, goodProduct)
	dbtest.Must(t, err)
	_, err = b.store.AddDocument(ctx, a, supplier.Upload{Kind: "nib", FileName: "nib.pdf", Data: append(pdfBytes, shade)})
	dbtest.Must(t, err)
	_, err = b.store.AddDocument(ctx, a, supplier.Upload{Kind: "photo", FileName: "foto.png", Data: pngBytes(t, 300, 300, shade)})
	dbtest.Must(t, err)
	app, err := b.store.Application(ctx, a)
	dbtest.Must(t, err)
	return app
}

func TestSubmitChecksCompletenessAndVersion(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	a := b.supplierActor(t, "siti@contoh.id", "Konveksi")

	_, err := b.store.AddProduct(ctx, a, goodProduct)
	dbtest.Must(t, err)
	app, _ := b.store.Application(ctx, a)
	if _, err := b.store.Submit(ctx, a, app.Version); !errors.Is(err, supplier.ErrIncomplete) {
		t.Fatalf("incomplete submit: %v", err)
	}
	app = complete(t, b, a, goodProfile, 1)
	if app.Status != supplier.StatusDraft {
		t.Fatalf("status %s", app.Status)
	}

	// Two submits of the same version at once: exactly one wins.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range 2 {
		wg.Go(func() { _, errs[i] = b.store.Submit(ctx, a, app.Version) })
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, database.ErrStale):
			t.Errorf("loser: %v, want ErrStale", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d submits won: %v", won, errs)
	}
	app, _ = b.store.Application(ctx, a)
	submitted := 0
	for _, e := range app.Events {
		if e.Action == "application.submitted" {
			submitted++
		}
	}
	if app.Status != supplier.StatusSubmitted || submitted != 1 || app.Submissions != 1 {
		t.Errorf("after submit: status %s, %d submit events, %d submissions", app.Status, submitted, app.Submissions)
	}
	// Once submitted, nothing can be edited.
	if _, err := b.store.AddProduct(ctx, a, goodProduct); !errors.Is(err, supplier.ErrNotEditable) {
		t.Errorf("editing a submitted application: %v", err)
	}
	if _, err := b.store.SaveProfile(ctx, a, goodProfile); !errors.Is(err, supplier.ErrNotEditable) {
		t.Errorf("editing the profile under review: %v", err)
	}
}

func TestRevisionAndResubmission(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	a := b.supplierActor(t, "siti@contoh.id", "Konveksi")
	ministry := b.ministryActor(t)
	app := complete(t, b, a, goodProfile, 1)
	app, err := b.store.Submit(ctx, a, app.Version)
	dbtest.Must(t, err)

	dbtest.Must(t, b.store.StartReview(ctx, ministry, app.ID, app.Version))
	if err := b.store.StartReview(ctx, ministry, app.ID, app.Version); !errors.Is(err, database.ErrStale) {
		t.Errorf("second start with the old version: %v", err)
	}
	flags := []supplier.Flag{{Target: "field", TargetKey: "nib", Reason: "NIB tidak cocok dengan dokumen"}}
	dbtest.Must(t, b.store.RequestRevision(ctx, ministry, app.ID, app.Version+1, "Perbaiki NIB", flags))

	app, _ = b.store.Application(ctx, a)
	if app.Status != supplier.StatusRevisionRequested || len(app.Flags) != 1 || app.Flags[0].TargetKey != "nib" {
		t.Fatalf("supplier sees %s with flags %+v", app.Status, app.Flags)
	}
	fixed := goodProfile
	fixed.NIB = "9120001234568"
	_, err = b.store.SaveProfile(ctx, a, fixed)
	dbtest.Must(t, err)
	app, err = b.store.Submit(ctx, a, app.Version)
	dbtest.Must(t, err)
	if app.Status != supplier.StatusSubmitted || app.Submissions != 2 {
		t.Errorf("resubmitted: %s, %d", app.Status, app.Submissions)
	}
	snaps, err := b.store.Snapshots(ctx, ministry.Scope(), app.ID)
	dbtest.Must(t, err)
	if len(snaps) != 2 || !strings.Contains(string(snaps[0]), "9120001234567") || !strings.Contains(string(snaps[1]), "9120001234568") {
		t.Errorf("snapshots do not keep both versions: %d", len(snaps))
	}
	// The supplier cannot move its own application further.
	if err := b.store.StartReview(ctx, a, app.ID, app.Version); err == nil {
		t.Error("the supplier started its own review")
	}
}

func TestSignalsOnBothApplications(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	ministry := b.ministryActor(t)
	first := b.supplierActor(t, "siti@contoh.id", "Konveksi")
	second := b.supplierActor(t, "budi@contoh.id", "Koperasi")

	app1 := complete(t, b, first, goodProfile, 1)
	app1, err := b.store.Submit(ctx, first, app1.Version)
	dbtest.Must(t, err)
	copycat := goodProfile
	copycat.NPWP = "0012345674015000" // another NPWP, same NIB and phone
	app2 := complete(t, b, second, copycat, 1)
	// The same photo bytes as the first supplier's.
	app2, err = b.store.Submit(ctx, second, app2.Version)
	dbtest.Must(t, err) // never blocking

	for _, app := range []supplier.Application{app1, app2} {
		sigs, err := b.store.SignalsOf(ctx, ministry.Scope(), app.ID)
		dbtest.Must(t, err)
		kinds := map[string]bool{}
		for _, s := range sigs {
			kinds[s.Kind] = true
		}
		if !kinds["nib"] || !kinds["phone"] || !kinds["document"] || kinds["npwp"] {
			t.Errorf("application %d signals %v, want nib, phone and document", app.ID, kinds)
		}
	}
	if sigs, _ := b.store.SignalsOf(ctx, second.Scope(), app2.ID); len(sigs) != 0 {
		t.Errorf("the supplier sees %d signals", len(sigs))
	}
}

// TestSizeRule: a size declared before PP 7/2021 (2 February 2021, WIB)
// was declared under UU 20/2008 (issue 14).
func TestSizeRule(t *testing.T) {
	t.Parallel()
	wib := time.FixedZone("WIB", 7*3600)
	for _, tt := range []struct {
		on   time.Time
		want string
	}{
		{time.Date(2020, 5, 1, 10, 0, 0, 0, wib), "uu20_2008"},
		{time.Date(2021, 2, 1, 23, 59, 0, 0, wib), "uu20_2008"},
		{time.Date(2021, 2, 1, 17, 0, 0, 0, time.UTC), "pp7_2021"}, // 00:00 WIB on the 2nd
		{time.Date(2021, 2, 2, 0, 0, 0, 0, wib), "pp7_2021"},
		{time.Date(2026, 12, 6, 0, 0, 0, 0, wib), "pp7_2021"},
	} {
		if got := supplier.SizeRule(tt.on); got != tt.want {
			t.Errorf("SizeRule(%s) = %s, want %s", tt.on, got, tt.want)
		}
	}
}
