package server_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/server"
	"pasokan/internal/testapp"
)

func jpegFile(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 300, 200)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var documentLink = regexp.MustCompile(`href="/documents/(\d+)"`)

func TestUploadRefusesBrokenAndHugeImages(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := newSupplier(t, app, "siti@contoh.id")
	photo, scan := pngFile(t, 4), jpegFile(t)
	for _, tt := range []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"truncated PNG", "foto.png", photo[:len(photo)*2/3], "Gambar tidak dapat dibaca"},
		{"truncated JPEG", "foto.jpg", scan[:len(scan)/2], "Gambar tidak dapat dibaca"},
		{"7000×7000 PNG", "bom.png", testapp.BombPNG(7000, 7000), "maksimal 16 megapiksel"},
		{"truncated PDF", "nib.pdf", minimalPDF[:len(minimalPDF)-8], "PDF ini tidak utuh"},
	} {
		r := upload(t, c, app, "photo", tt.file, tt.data)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, tt.want) ||
			!strings.Contains(r.Body, `<option value="photo" selected>`) {
			t.Errorf("%s: %d, want 422 saying %q with the kind kept", tt.name, r.StatusCode, tt.want)
		}
	}
	if page := c.Get("/supplier/application"); !strings.Contains(page.Body, "Belum ada dokumen") {
		t.Error("a refused file was stored")
	}
}

func TestUploadQuotaOverHTTP(t *testing.T) {
	t.Parallel()
	photo := pngFile(t, 5)
	app := testapp.New(t, testapp.WithUploadQuota(int64(len(minimalPDF)+len(photo)-1)))
	c := newSupplier(t, app, "siti@contoh.id")
	if r := upload(t, c, app, "nib", "nib.pdf", minimalPDF); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("first upload: %d", r.StatusCode)
	}
	r := upload(t, c, app, "photo", "foto.png", photo)
	if r.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, "Ruang penyimpanan dokumen usaha Anda penuh") ||
		!strings.Contains(r.Body, `<option value="photo" selected>`) {
		t.Fatalf("over the quota: %d, want 422 with the message and the kind kept\n%s", r.StatusCode, r.Body)
	}
	page := c.Get("/supplier/application")
	if n := len(documentLink.FindAllString(page.Body, -1)); n != 1 {
		t.Errorf("%d documents after the refusal, want 1", n)
	}
	if want := fmt.Sprintf(`data-testid="upload-quota">Ruang dokumen usaha Anda: maksimal %d B, tersisa %d B.`,
		len(minimalPDF)+len(photo)-1, len(photo)-1); !strings.Contains(page.Body, want) {
		t.Error("the upload form does not say how much room is left")
	}
}

func TestRemovedDocumentIsGoneWithItsBytes(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := newSupplier(t, app, "siti@contoh.id")
	if r := upload(t, c, app, "photo", "foto.png", pngFile(t, 6)); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", r.StatusCode)
	}
	m := documentLink.FindStringSubmatch(c.Get("/supplier/application").Body)
	if m == nil {
		t.Fatal("no document link")
	}
	if r := c.Get("/documents/" + m[1]); r.StatusCode != http.StatusOK {
		t.Fatalf("document before removal: %d", r.StatusCode)
	}
	if r := c.Post("/supplier/documents/"+m[1]+"/delete", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", r.StatusCode)
	}
	if r := c.Get("/documents/" + m[1]); r.StatusCode != http.StatusNotFound {
		t.Errorf("removed document: %d, want 404", r.StatusCode)
	}
	var hasData bool
	err := app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT data IS NOT NULL FROM documents WHERE id = $1`, m[1]).Scan(&hasData)
	})
	if err != nil || hasData {
		t.Errorf("removed document keeps its bytes: %v %v", hasData, err)
	}
}

// trapBody records whether anything read it.
type trapBody struct{ read atomic.Bool }

func (b *trapBody) Read([]byte) (int, error) {
	b.read.Store(true)
	return 0, http.ErrBodyReadAfterClose
}

func (b *trapBody) Close() error { return nil }

func TestUploadsBeyondTheSlotsAreTurnedAway(t *testing.T) {
	t.Parallel()
	slots := server.NewSlots(1, time.Millisecond)
	app := testapp.New(t, testapp.WithUploadSlots(slots))
	c := newSupplier(t, app, "siti@contoh.id")

	// The test holds the only slot: uploads are turned away, in the
	// reader's language, before their bodies are read.
	if !slots.Acquire(context.Background()) {
		t.Fatal("no free slot")
	}
	r := upload(t, c, app, "photo", "foto.png", pngFile(t, 7))
	if r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") != "10" ||
		!strings.Contains(r.Body, "Server sedang sibuk menerima berkas") || !strings.Contains(r.Body, "10 detik") {
		t.Errorf("upload with no free slot: %d, Retry-After %q\n%s", r.StatusCode, r.Header.Get("Retry-After"), r.Body)
	}
	body := &trapBody{}
	req := httptest.NewRequest(http.MethodPost, "/supplier/documents", body)
	req.ContentLength = 4 << 20
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	req.AddCookie(&http.Cookie{Name: "pasokan_session", Value: c.Cookie("pasokan_session")})
	rec := httptest.NewRecorder()
	app.Server.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable || body.read.Load() {
		t.Errorf("turned away with %d, body read: %v; want 503 and nothing read", rec.Code, body.read.Load())
	}
	if r := c.Post("/language", url.Values{"lang": {"en"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("language: %d", r.StatusCode)
	}
	if r := upload(t, c, app, "photo", "foto.png", pngFile(t, 7)); !strings.Contains(r.Body, "The server is busy receiving files") {
		t.Errorf("the busy page is not in English: %d", r.StatusCode)
	}

	// A slot free again: the upload goes through.
	slots.Release()
	if r := upload(t, c, app, "photo", "foto.png", pngFile(t, 7)); r.StatusCode != http.StatusSeeOther {
		t.Errorf("upload with a free slot: %d", r.StatusCode)
	}
}
