package curation_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/curation"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
	"pasokan/internal/supplier"
	"pasokan/internal/validation"
)

// TestWhatCuratorsWriteIsCheckedAsText: reasons, notes and revision
// requests reach e-mails and the supplier's pages; the checklist answers and
// the queue's filters reach queries.
func TestWhatCuratorsWriteIsCheckedAsText(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	admin := b.actor(t, "admin@pasokan.test")
	partner := b.actor(t, "kurator@pasokan.test")
	_, app := b.submitted(t, "a@contoh.id", "32", "32.73", "masker-kain", 1)
	dbtest.Must(t, b.store.AssignTo(ctx, admin, app.ID, partner.OrgID))
	dbtest.Must(t, b.store.Claim(ctx, partner, app.ID, app.Version))
	version := app.Version + 1
	events := func() int {
		var n int
		dbtest.Must(t, b.app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT count(*) FROM application_events WHERE application_id = $1`, app.ID).Scan(&n)
		}))
		return n
	}
	before := events()

	fieldErr := func(name string, err error, field, key string) {
		t.Helper()
		var verrs validation.Errors
		if !errors.As(err, &verrs) || verrs[field] != key {
			t.Errorf("%s: err = %v, want %s on %s", name, err, key, field)
		}
	}
	reject := func(reason string) curation.Decision {
		return curation.Decision{Kind: curation.DecisionReject, Reason: reason, Version: version, Checks: map[int64]curation.Answer{}}
	}
	_, err := b.store.Decide(ctx, partner, app.ID, reject("Dokumen\x00palsu"))
	fieldErr("NUL in a reason", err, "reason", validation.KeyEncoding)
	_, err = b.store.Decide(ctx, partner, app.ID, reject("Dokumen \x1b[2J palsu"))
	fieldErr("escape in a reason", err, "reason", validation.KeyControlMultiline)
	_, err = b.store.Decide(ctx, partner, app.ID, reject(strings.Repeat("a", curation.MaxReason+1)))
	fieldErr("a reason too long", err, "reason", "error.too_long")
	d := reject("Dokumen palsu")
	d.Checks[12345] = "0"
	_, err = b.store.Decide(ctx, partner, app.ID, d)
	fieldErr("an answer the form does not offer, on a rejection", err, "check_12345", "error.choose_option")
	revise := curation.Decision{Kind: curation.DecisionRevise, Version: version, Checks: map[int64]curation.Answer{}}
	revise.Flags = append(revise.Flags, flag("field", "nib", "Beda\r\nBcc: x@evil.example"))
	_, err = b.store.Decide(ctx, partner, app.ID, revise)
	fieldErr("a line break in a revision request", err, "revise_field_nib", validation.KeyControl)
	revise.Flags[0] = flag("field", "ni\x00b", "Beda")
	_, err = b.store.Decide(ctx, partner, app.ID, revise)
	fieldErr("a bad key in a revision request", err, "flags", "error.flags_required")

	err = b.store.DeclareConflict(ctx, partner, app.ID, "saudara\x07")
	fieldErr("bell in a conflict's reason", err, "reason", validation.KeyControlMultiline)
	err = b.store.Suspend(ctx, admin, app.ID, version, "  ")
	fieldErr("a blank suspension reason", err, "reason", "error.reason_required")
	err = b.store.RequestSample(ctx, partner, app.ID, sampleOf("masker-kain", "dua\nlembar"))
	fieldErr("a line break in a sample note", err, "note", validation.KeyControl)
	err = b.store.RequestSample(ctx, partner, app.ID, sampleOf("masker\xff", ""))
	fieldErr("a bad product code", err, "product_type", validation.KeyEncoding)
	bad := sampleOf("masker-kain", "")
	bad.SendTo = "Jl. Cigadung 12\x1b[2J"
	err = b.store.RequestSample(ctx, partner, app.ID, bad)
	fieldErr("an escape in a sample's address", err, "send_to", validation.KeyControlMultiline)
	bad.SendTo = "Bandung"
	err = b.store.RequestSample(ctx, partner, app.ID, bad)
	fieldErr("a sample's address too short to find", err, "send_to", "error.sample_send_to")
	for _, tc := range []struct{ day, key string }{
		{"besok", "error.sample_due_invalid"},
		{"2020-02-30", "error.sample_due_invalid"},
		{time.Now().In(wib).Format(time.DateOnly), "error.sample_due_past"},
		{time.Now().AddDate(0, 0, curation.MaxSampleDays+2).Format(time.DateOnly), "error.sample_due_far"},
	} {
		bad = sampleOf("masker-kain", "")
		bad.DueOn = tc.day
		err = b.store.RequestSample(ctx, partner, app.ID, bad)
		fieldErr("a sample due on "+tc.day, err, "due_on", tc.key)
	}

	// A sample that is not this application's: not found, and no event
	// says it was recorded.
	if err := b.store.RecordSample(ctx, partner, app.ID, 987654, "pass", "rapi"); !errors.Is(err, database.ErrNotFound) {
		t.Errorf("recording an unknown sample: %v", err)
	}
	if n := events(); n != before {
		t.Errorf("%d events written by refused input", n-before)
	}

	// The queue's filters: an assignee past int32 and a cursor out of
	// Postgres's range were 500s.
	for _, f := range []curation.QueueFilter{{Assignee: "2147483648"}, {Assignee: "-9223372036854775808"},
		{Cursor: "LTkyMjMzNzIwMzY4NTQ3NzU4MDguMQ"}, {Cursor: "OTIyMzM3MjAzNjg1NDc3NTgwNy4x"},
		{Cursor: "LTIxMTAwMDAwMDAwMDAwMDAwMC4x"}} {
		if _, err := b.store.Queue(ctx, partner, f); err != nil {
			t.Errorf("queue %+v: %v", f, err)
		}
	}
}

func flag(target, key, reason string) supplier.Flag {
	return supplier.Flag{Target: target, TargetKey: key, Reason: reason}
}

// wib is the ministry's time zone, in which a sample's day is read.
var wib = time.FixedZone("WIB", 7*60*60)

// sampleOf is a sample request of product with note, to an address and a
// day the store takes.
func sampleOf(product, note string) curation.SampleRequest {
	return curation.SampleRequest{ProductType: product, Note: note,
		SendTo: "Kurator Karya Nusantara, Jl. Cigadung Raya 12, Bandung 40191, 0812-3456-7890",
		DueOn:  time.Now().In(wib).AddDate(0, 0, 7).Format(time.DateOnly)}
}
