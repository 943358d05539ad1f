package curation

import (
	"context"
	"testing"

	"pasokan/internal/i18n"
	"pasokan/internal/supplier"
)

// TestSignalsReadAsSentences: a signal names the other organisation when
// the curator may see it and says "another applicant" (or "a buyer") when
// not: never a sentence with a hole where the name was.
func TestSignalsReadAsSentences(t *testing.T) {
	id := i18n.WithLang(context.Background(), i18n.ID)
	en := i18n.WithLang(context.Background(), i18n.EN)
	for _, c := range []struct {
		ctx  context.Context
		s    supplier.Signal
		want string
	}{
		{id, supplier.Signal{Kind: "document"}, "Berkas yang persis sama juga diunggah oleh pemohon lain."},
		{en, supplier.Signal{Kind: "document"}, "The very same file was also uploaded by another applicant."},
		{id, supplier.Signal{Kind: "nib", OtherOrgName: "CV Maju Jaya"}, "NIB yang sama juga dipakai oleh CV Maju Jaya."},
		{id, supplier.Signal{Kind: "npwp", OtherOrgName: "  "}, "NPWP yang sama juga dipakai oleh pemohon lain."},
		{en, supplier.Signal{Kind: "phone"}, "The same phone number is also used by another applicant."},
		{id, supplier.Signal{Kind: "receipt_rejected"}, "Seorang pembeli menolak sebagian barang pemasok ini saat penerimaan (BAST)."},
		{en, supplier.Signal{Kind: "receipt_rejected", OtherOrgName: "Dinkes Jabar"}, "Dinkes Jabar rejected part of this supplier's goods at receipt."},
		{id, supplier.Signal{Kind: "something_new"}, "Ada data yang sama dengan pemohon lain; periksa dengan teliti."},
	} {
		if got := signalText(c.ctx, c.s); got != c.want {
			t.Errorf("%s signal %+v reads %q, want %q", i18n.LangFrom(c.ctx), c.s, got, c.want)
		}
	}
}
