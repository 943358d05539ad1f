package demo

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// The demo's documents are real files, small enough to store by the
// hundred thousand: a one-page PDF for the NIB and permits, and a PNG
// "photo" of the product drawn in a few shapes. Every file carries
// something of its owner (the NIB in the PDF, the owner's number in the
// pixels), so no two organisations share bytes by accident; the
// deliberate duplicates copy them.

// document is a file to store, with what the documents table records.
type document struct {
	kind, fileName, contentType string
	data                        []byte
	sha                         [32]byte
	width, height               int
	takenOn                     *time.Time
	// productType links a permit or photo to a product of the application.
	productType string
	createdAt   time.Time
	// removedAt is set on a photo replaced after a revision.
	removedAt *time.Time
	// firstSub and lastSub are the submissions whose snapshot lists it
	// (lastSub 0: every one from firstSub on).
	firstSub, lastSub int
	id                int64
}

func newDocument(kind, fileName, contentType string, data []byte) document {
	return document{kind: kind, fileName: fileName, contentType: contentType, data: data, sha: sha256.Sum256(data)}
}

// pdfText escapes a PDF string literal, keeping to the ASCII that the
// standard Helvetica font shows.
func pdfText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == '(' || r == ')':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '—' || r == '–':
			b.WriteByte('-')
		case r < 32 || r > 126:
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// onePagePDF is a valid one-page A4 PDF with a title and lines of text.
func onePagePDF(title string, lines []string) []byte {
	var content bytes.Buffer
	fmt.Fprintf(&content, "BT /F1 15 Tf 56 780 Td (%s) Tj /F1 11 Tf 18 TL T* T*", pdfText(title))
	for _, l := range lines {
		fmt.Fprintf(&content, " (%s) Tj T*", pdfText(l))
	}
	content.WriteString(" ET")

	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len(), content.Bytes()),
	}
	var out bytes.Buffer
	out.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return out.Bytes()
}

var months = []string{"", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
	"September", "Oktober", "November", "Desember"}

func tanggal(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), months[t.Month()], t.Year())
}

// nibPDF is a stand-in for the NIB printout from OSS.
func nibPDF(nib, legalName, addr string, kbli []string, issued time.Time) []byte {
	return onePagePDF("NOMOR INDUK BERUSAHA (NIB)", []string{
		"Pemerintah Republik Indonesia - Lembaga OSS",
		"",
		"NIB: " + nib,
		"Nama pelaku usaha: " + legalName,
		"Alamat: " + addr,
		"KBLI: " + strings.Join(kbli, ", "),
		"Diterbitkan tanggal: " + tanggal(issued),
		"",
		"Dokumen contoh dari data demo Pasokan; bukan dokumen resmi.",
	})
}

// permitPDF is a stand-in for a Kemenkes distribution permit.
func permitPDF(number, productName, legalName string, issued time.Time) []byte {
	return onePagePDF("IZIN EDAR KEMENTERIAN KESEHATAN", []string{
		"Nomor izin edar: " + number,
		"Produk: " + productName,
		"Produsen: " + legalName,
		"Berlaku sejak: " + tanggal(issued),
		"",
		"Dokumen contoh dari data demo Pasokan; bukan dokumen resmi.",
	})
}

// Photo size: above the portal's 100x100 minimum, small enough to store
// a photo per supplier at national scale.
const photoW, photoH = 160, 120

// photoEncoder reuses its compressor: allocating one per photo costs more
// than drawing and compressing the photo.
var photoEncoder = png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &encoderPool{}}

type encoderPool struct{ p sync.Pool }

func (e *encoderPool) Get() *png.EncoderBuffer {
	b, _ := e.p.Get().(*png.EncoderBuffer)
	return b
}

func (e *encoderPool) Put(b *png.EncoderBuffer) { e.p.Put(b) }

// productColours are fabric and bottle colours.
var productColours = []color.RGBA{
	{30, 90, 160, 255}, {200, 40, 60, 255}, {40, 140, 90, 255}, {240, 240, 235, 255}, {20, 20, 25, 255},
	{120, 70, 150, 255}, {220, 170, 40, 255}, {110, 170, 220, 255}, {160, 100, 60, 255},
}

// photoPNG draws a product "photo" on a table: the product's shape in a
// colour, on a cloth in other colours, with the 64 bits of mark along its
// bottom edge so that every supplier's photo has bytes of its own.
func photoPNG(r *rand.Rand, productType string, mark uint64) []byte {
	bg := color.RGBA{uint8(between(r, 150, 235)), uint8(between(r, 150, 235)), uint8(between(r, 140, 225)), 255}
	bg2 := color.RGBA{bg.R - 25, bg.G - 25, bg.B - 25, 255}
	fabric := pick(r, productColours)
	accent := color.RGBA{fabric.R / 2, fabric.G / 2, fabric.B / 2, 255}
	palette := color.Palette{bg, bg2, fabric, accent, color.RGBA{70, 70, 70, 255}, color.RGBA{255, 255, 255, 255}}
	const (
		cBg = iota
		cBg2
		cMain
		cAccent
		cShadow
		cWhite
	)
	// Seventeen colours or more make the encoder copy rows as they are
	// (8 bits a pixel) instead of packing them pixel by pixel.
	for len(palette) < 17 {
		palette = append(palette, color.RGBA{0, 0, 0, 255})
	}
	img := image.NewPaletted(image.Rect(0, 0, photoW, photoH), palette)
	stripe := between(r, 6, 14)
	var rows [2][photoW]uint8 // the cloth: checks of two colours
	for x := range photoW {
		rows[(x/stripe)%2][x] = cBg2
	}
	for y := range photoH {
		copy(img.Pix[y*img.Stride:], rows[(y/stripe+1)%2][:])
	}
	fill := func(x0, y0, x1, y1 int, c uint8) {
		for y := max(0, y0); y < min(photoH, y1); y++ {
			for x := max(0, x0); x < min(photoW, x1); x++ {
				img.Pix[y*img.Stride+x] = c
			}
		}
	}
	cx, cy := photoW/2+between(r, -12, 12), photoH/2+between(r, -8, 8)
	switch productType {
	case "hand-sanitizer-gel", "hand-sanitizer-cair":
		fill(cx-16, cy-22, cx+20, cy+38, cShadow)
		fill(cx-18, cy-26, cx+18, cy+34, cMain)
		fill(cx-12, cy-2, cx+12, cy+20, cWhite) // label
		fill(cx-6, cy-40, cx+6, cy-26, cAccent) // pump
	case "gaun-isolasi", "coverall", "apron":
		for dy := range 60 {
			half := 14 + dy/3
			fill(cx-half, cy-30+dy, cx+half, cy-29+dy, cMain)
		}
		fill(cx-34, cy-28, cx-16, cy-22, cAccent) // sleeves
		fill(cx+16, cy-28, cx+34, cy-22, cAccent)
	case "face-shield":
		fill(cx-36, cy-30, cx+36, cy-24, cAccent)
		fill(cx-32, cy-24, cx+32, cy+30, cWhite)
	default: // masks, caps, covers: a pleated mask with ear loops
		fill(cx-38, cy-18, cx+38, cy+22, cShadow)
		fill(cx-40, cy-22, cx+38, cy+18, cMain)
		for y := cy - 14; y < cy+14; y += 8 {
			fill(cx-40, y, cx+38, y+2, cAccent)
		}
		fill(cx-52, cy-20, cx-48, cy+16, cWhite)
		fill(cx+46, cy-20, cx+50, cy+16, cWhite)
	}
	for i := range 64 {
		if mark>>i&1 == 1 {
			img.Pix[(photoH-1)*img.Stride+8+i] = cShadow
		}
	}
	var buf bytes.Buffer
	if err := photoEncoder.Encode(&buf, img); err != nil {
		panic("demo: encode photo: " + err.Error()) // in-memory PNG of a valid image: cannot fail
	}
	return buf.Bytes()
}
