package supplier_test

import (
	"bytes"
	"context"
	"strconv"
	"testing"

	"pasokan/internal/database/dbtest"
	"pasokan/internal/supplier"
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
