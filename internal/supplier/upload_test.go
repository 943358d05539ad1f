package supplier_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"log/slog"
	"strconv"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/notify"
	"pasokan/internal/product"
	"pasokan/internal/region"
	"pasokan/internal/supplier"
	"pasokan/internal/testapp"
	"pasokan/internal/validation"
)

func TestDocumentIsStoredAsDescribed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	a := b.supplierActor(t, "siti@contoh.id", "Konveksi")
	p, err := b.store.AddProduct(ctx, a, goodProduct)
	dbtest.Must(t, err)

	photo := pngBytes(t, 400, 300, 8)
	d, err := b.store.AddDocument(ctx, a, supplier.Upload{Kind: "photo", FileName: "foto.png", TakenOn: "2020-04-10",
		ProductID: strconv.FormatInt(p.ID, 10), Data: photo})
	dbtest.Must(t, err)
	scan, err := b.store.AddDocument(ctx, a, supplier.Upload{Kind: "nib", FileName: "nib.pdf", Data: pdfBytes})
	dbtest.Must(t, err)
	if d.ID == 0 || d.CreatedAt.IsZero() || scan.ID == 0 {
		t.Errorf("ids and times not returned: %+v, %+v", d, scan)
	}
	app, err := b.store.Application(ctx, a)
	dbtest.Must(t, err)
	if len(app.Documents) != 2 {
		t.Fatalf("%d documents, want 2", len(app.Documents))
	}
	got, pdf := app.Documents[0], app.Documents[1]
	if got.ID != d.ID || got.Kind != "photo" || got.FileName != "foto.png" || got.ContentType != "image/png" ||
		got.Size != len(photo) || !bytes.Equal(got.SHA256, d.SHA256) || got.Width != 400 || got.Height != 300 ||
		got.TakenOn == nil || got.TakenOn.Format("2006-01-02") != "2020-04-10" || got.ProductID != p.ID ||
		!got.CreatedAt.Equal(d.CreatedAt) {
		t.Errorf("photo stored as %+v, want %+v", got, d)
	}
	if pdf.TakenOn != nil || pdf.ProductID != 0 || pdf.Width != 0 || pdf.Height != 0 {
		t.Errorf("PDF stored as %+v, want no date, product or dimensions", pdf)
	}
	for _, want := range []struct {
		id   int64
		data []byte
	}{{d.ID, photo}, {scan.ID, pdfBytes}} {
		f, err := b.store.OpenDocument(ctx, a, want.id)
		dbtest.Must(t, err)
		if !bytes.Equal(f.Data, want.data) {
			t.Errorf("document %d: stored bytes differ", want.id)
		}
	}
}

func jpegBytes(t *testing.T, w, h int, shade uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{shade, 100, 50, 255})
	}
	var buf bytes.Buffer
	dbtest.Must(t, jpeg.Encode(&buf, img, nil))
	return buf.Bytes()
}

func TestUploadsAreCheckedWhole(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	a := b.supplierActor(t, "siti@contoh.id", "Konveksi")

	photo, scan := pngBytes(t, 400, 300, 7), jpegBytes(t, 400, 300, 7)
	bomb := testapp.BombPNG(7000, 7000)
	if len(bomb) > 8<<10 {
		t.Fatalf("the bomb is %d bytes, want a few kilobytes", len(bomb))
	}
	pdfWithoutEnd := bytes.TrimSuffix(pdfBytes, []byte("%%EOF\n"))
	bad := []struct {
		name string
		data []byte
		key  string
	}{
		{"PNG cut in half", photo[:len(photo)/2], "error.image_unreadable"},
		{"PNG without its end", photo[:len(photo)-12], "error.image_unreadable"},
		{"the first 40 bytes of a PNG", photo[:40], "error.image_unreadable"},
		{"JPEG cut in half", scan[:len(scan)/2], "error.image_unreadable"},
		{"JPEG without its end marker", scan[:len(scan)-2], "error.image_unreadable"},
		{"PNG with a corrupt pixel stream", corrupt(photo), "error.image_unreadable"},
		{"7000×7000 PNG in a few kilobytes", bomb, "error.image_pixels"},
		{"the same PNG cut to 890 bytes", bomb[:890], "error.image_pixels"},
		{"PDF without its trailer", pdfWithoutEnd, "error.pdf_incomplete"},
		{"PDF cut in half", pdfBytes[:len(pdfBytes)/2], "error.pdf_incomplete"},
	}
	for _, tt := range bad {
		_, err := b.store.AddDocument(ctx, a, supplier.Upload{Kind: "photo", FileName: "foto", Data: tt.data})
		var verrs validation.Errors
		if !errors.As(err, &verrs) || verrs["file"] != tt.key {
			t.Errorf("%s: err = %v, want file: %s", tt.name, err, tt.key)
		}
	}
	app, err := b.store.Application(ctx, a)
	dbtest.Must(t, err)
	if len(app.Documents) != 0 {
		t.Errorf("%d documents stored from broken files, want none", len(app.Documents))
	}
	// The same files whole are accepted.
	for _, data := range [][]byte{photo, scan, pdfBytes} {
		_, err := b.store.AddDocument(ctx, a, supplier.Upload{Kind: "photo", FileName: "foto", Data: data})
		dbtest.Must(t, err)
	}
}

// corrupt flips bytes in the middle of a PNG's pixel stream, keeping its
// length and its header.
func corrupt(png []byte) []byte {
	out := bytes.Clone(png)
	for i := len(out) / 2; i < len(out)/2+16; i++ {
		out[i] ^= 0xFF
	}
	return out
}

func TestUploadQuota(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	a := b.supplierActor(t, "siti@contoh.id", "Konveksi")
	other := b.supplierActor(t, "budi@contoh.id", "Koperasi")

	first, second := pngBytes(t, 400, 300, 1), pngBytes(t, 400, 300, 2)
	store := supplier.NewStore(b.db.App, region.NewStore(b.db.App), product.NewStore(b.db.App), notify.NewOutbox(b.db.App), slog.New(slog.DiscardHandler), "")
	store.UploadQuota = int64(len(first) + len(second) - 1)

	d, err := store.AddDocument(ctx, a, supplier.Upload{Kind: "photo", FileName: "satu.png", Data: first})
	dbtest.Must(t, err)
	_, err = store.AddDocument(ctx, a, supplier.Upload{Kind: "photo", FileName: "dua.png", Data: second})
	var verrs validation.Errors
	if !errors.As(err, &verrs) || verrs["file"] != "error.upload_quota" {
		t.Fatalf("over the quota: %v, want file: error.upload_quota", err)
	}
	if app, _ := store.Application(ctx, a); len(app.Documents) != 1 {
		t.Errorf("%d documents after the refusal, want 1", len(app.Documents))
	}
	// The quota is per organisation.
	_, err = store.AddDocument(ctx, other, supplier.Upload{Kind: "photo", FileName: "dua.png", Data: second})
	dbtest.Must(t, err)
	// A removed document no longer counts.
	dbtest.Must(t, store.RemoveDocument(ctx, a, d.ID))
	_, err = store.AddDocument(ctx, a, supplier.Upload{Kind: "photo", FileName: "dua.png", Data: second})
	dbtest.Must(t, err)

	// Eight uploads at once, each of which fits alone, where three fit
	// together: three win, whatever the interleaving.
	pdfs := make([][]byte, 8)
	for i := range pdfs {
		pdfs[i] = append(bytes.Clone(pdfBytes), byte(i))
	}
	store.UploadQuota = int64(len(second) + 3*len(pdfs[0]) + len(pdfs[0])/2)
	var wg sync.WaitGroup
	errs := make([]error, len(pdfs))
	for i, data := range pdfs {
		wg.Go(func() {
			_, errs[i] = store.AddDocument(ctx, a, supplier.Upload{Kind: "nib", FileName: "nib.pdf", Data: data})
		})
	}
	wg.Wait()
	stored := 0
	for _, err := range errs {
		if err == nil {
			stored++
		} else if !errors.As(err, &verrs) || verrs["file"] != "error.upload_quota" {
			t.Errorf("concurrent upload: %v", err)
		}
	}
	if app, _ := store.Application(ctx, a); stored != 3 || len(app.Documents) != 4 {
		t.Errorf("%d of %d concurrent uploads stored, %d documents in all; want 3 and 4", stored, len(pdfs), len(app.Documents))
	}
}

func TestRemovedDocumentKeepsNoBytes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	a := b.supplierActor(t, "siti@contoh.id", "Konveksi")
	photo := pngBytes(t, 400, 300, 5)
	d, err := b.store.AddDocument(ctx, a, supplier.Upload{Kind: "photo", FileName: "foto.png", Data: photo})
	dbtest.Must(t, err)
	dbtest.Must(t, b.store.RemoveDocument(ctx, a, d.ID))

	if _, err := b.store.OpenDocument(ctx, a, d.ID); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("opening a removed document: %v, want ErrNotFound", err)
	}
	type kept struct {
		HasData  bool
		FileName string
		Size     int `db:"size_bytes"`
		SHA256   []byte
	}
	var (
		k             kept
		removedEvents int
	)
	dbtest.Must(t, b.db.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT data IS NOT NULL AS has_data, file_name, size_bytes, sha256 FROM documents WHERE id = $1`, d.ID)
		var err error
		if k, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[kept]); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT count(*) FROM application_events WHERE action = 'application.document_removed'
   AND (detail->>'document')::bigint = $1`, d.ID).Scan(&removedEvents)
	}))
	if k.HasData {
		t.Error("a removed document keeps its bytes")
	}
	if k.FileName != "foto.png" || k.Size != len(photo) || !bytes.Equal(k.SHA256, d.SHA256) || removedEvents != 1 {
		t.Errorf("the audit trail lost the description: %q %d %x, %d events", k.FileName, k.Size, k.SHA256, removedEvents)
	}
	// The database holds it too: no removed document with bytes, no live
	// one without.
	for _, sql := range []string{
		`UPDATE documents SET data = '\x00' WHERE id = $1`,
		`UPDATE documents SET removed_at = NULL WHERE id = $1`,
	} {
		err := b.db.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, sql, d.ID)
			return err
		})
		if err == nil {
			t.Errorf("%s: accepted, want a check violation", sql)
		}
	}
}
