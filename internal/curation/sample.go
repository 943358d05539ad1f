package curation

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/i18n"
	"pasokan/internal/notify"
	"pasokan/internal/validation"
)

// Sample is a physical sample a curator asked for.
type Sample struct {
	ID          int64
	ProductType string
	Note        string
	// SendTo and DueOn say where the sample goes and the last day it may
	// arrive; requests from before they were asked have neither.
	SendTo      string
	DueOn       *time.Time
	RequestedAt time.Time
	ReceivedAt  *time.Time
	TestedAt    *time.Time
	Result      string // "", pass, fail
	ResultNote  string
}

const samplesSQL = `SELECT id, coalesce(product_type, '') AS product_type, note, send_to, due_on, requested_at, received_at,
       tested_at, result, result_note
  FROM samples WHERE application_id = $1 ORDER BY id`

// SampleRequest is what a curator asks a supplier to send: a sample of a
// product it declared, described by Note (how many, which size), sent to
// SendTo (the recipient, the address, a phone number) to arrive by DueOn
// (yyyy-mm-dd, a day in WIB).
type SampleRequest struct {
	ProductType string
	Note        string
	SendTo      string
	DueOn       string
}

// Bounds of a sample request.
const (
	// minSendTo and maxSendTo bound the address: a name and a street at
	// least, and what the column holds.
	minSendTo = 10
	maxSendTo = 500
	// MaxSampleDays is how far ahead a sample may be due.
	MaxSampleDays = 90
)

// check checks the request as typed, trimming it in place, and returns
// the day the sample is due. today is the current day in WIB.
func (r *SampleRequest) check(today time.Time) (time.Time, validation.Errors) {
	errs := checkNote(&r.Note, map[string]string{"product_type": r.ProductType})
	r.SendTo = errs.MultiLine("send_to", r.SendTo, minSendTo, maxSendTo, "error.sample_send_to")
	due, err := time.Parse(time.DateOnly, strings.TrimSpace(r.DueOn))
	switch {
	case err != nil:
		errs.Add("due_on", "error.sample_due_invalid")
	case !due.After(today):
		errs.Add("due_on", "error.sample_due_past")
	case due.After(today.AddDate(0, 0, MaxSampleDays)):
		errs.Add("due_on", "error.sample_due_far")
	}
	return due, errs
}

// sampleNotice is the supplier's notification of a sample request. Its
// arguments carry each language's words, as the reader's language is known
// only when it is read: what to send in Indonesian and in English, where,
// and the last day in Indonesian and in English (the catalogues'
// "notification.sample_requested" picks its own).
func sampleNotice(orgID int64, names productNames, note, sendTo string, due time.Time) notify.Notification {
	what := func(name string) string {
		if note == "" {
			return name
		}
		return name + " (" + note + ")"
	}
	day := func(l i18n.Lang) string { return i18n.Date(i18n.WithLang(context.Background(), l), due) }
	return notify.Notification{OrgID: orgID, Key: "sample_requested", Link: "/supplier/application", Email: true,
		Args: []string{what(names.NameID), what(names.NameEN), oneLine(sendTo), day(i18n.ID), day(i18n.EN)}}
}

// oneLine writes an address typed over several lines on one, its lines
// joined by commas: a notification is one paragraph.
func oneLine(s string) string {
	var parts []string
	for line := range strings.Lines(s) {
		if line = strings.TrimRight(strings.TrimSpace(line), ","); line != "" {
			parts = append(parts, line)
		}
	}
	return strings.Join(parts, ", ")
}

// productNames are a product type's names.
type productNames struct {
	NameID string
	NameEN string
}

// appVersion is an application's organisation and version, as read before
// a change.
type appVersion struct {
	OrganizationID int64
	Version        int
}

// assignedApp locks an application assigned to the actor's organisation.
func assignedApp(ctx context.Context, tx pgx.Tx, a account.Actor, appID int64) (orgID int64, version int, err error) {
	rows, _ := tx.Query(ctx, `SELECT organization_id, version FROM applications WHERE id = $1 AND assigned_org_id = $2 FOR UPDATE`,
		appID, a.OrgID)
	app, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[appVersion])
	return app.OrganizationID, app.Version, err
}

// declaredProductSQL reads the names of a product the applicant declared:
// only such a product can be sampled.
const declaredProductSQL = `SELECT t.name_id, t.name_en FROM product_types t
 WHERE t.code = $2 AND EXISTS (SELECT 1 FROM application_products p WHERE p.application_id = $1 AND p.product_type = t.code)`

// RequestSample asks the supplier for a physical sample of a product, and
// tells them (in the portal and by e-mail) what to send, where and by when.
func (s *Store) RequestSample(ctx context.Context, a account.Actor, appID int64, req SampleRequest) error {
	if !isCurator(a) {
		return database.ErrNotFound
	}
	due, errs := req.check(i18n.Today(time.Now()))
	if errs.Any() {
		return errs
	}
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		orgID, version, err := assignedApp(ctx, tx, a, appID)
		if err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, declaredProductSQL, appID, req.ProductType)
		names, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[productNames])
		if errors.Is(err, pgx.ErrNoRows) {
			return validation.Errors{"product_type": "error.choose_option"}
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO samples (application_id, organization_id, curator_org_id, product_type, requested_by, note,
       send_to, due_on)
VALUES ($1, $2, $3, nullif($4, ''), $5, $6, $7, $8)`, appID, orgID, a.OrgID, req.ProductType, a.UserID, req.Note,
			req.SendTo, due); err != nil {
			return err
		}
		if err := event(ctx, tx, a, appID, orgID, "application.sample_requested", version, req.Note,
			map[string]any{"product_type": req.ProductType, "send_to": req.SendTo, "due_on": req.DueOn}); err != nil {
			return err
		}
		return s.outbox.Notify(ctx, tx, sampleNotice(orgID, names, req.Note, req.SendTo, due))
	})
	if err != nil {
		return fmt.Errorf("curation: request sample: %w", err)
	}
	return nil
}

// RecordSample records a sample's receipt, or its test result ("pass",
// "fail") with a note.
func (s *Store) RecordSample(ctx context.Context, a account.Actor, appID, sampleID int64, result, note string) error {
	if !isCurator(a) {
		return database.ErrNotFound
	}
	if result != "" && result != "pass" && result != "fail" {
		return validation.Errors{"result": "error.choose_option"}
	}
	if errs := checkNote(&note, nil); errs.Any() {
		return errs
	}
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		orgID, version, err := assignedApp(ctx, tx, a, appID)
		if err != nil {
			return err
		}
		var tag string
		var done pgconn.CommandTag
		if result == "" {
			tag = "application.sample_received"
			done, err = tx.Exec(ctx, `UPDATE samples SET received_at = coalesce(received_at, now())
 WHERE id = $1 AND application_id = $2`, sampleID, appID)
		} else {
			tag = "application.sample_tested"
			done, err = tx.Exec(ctx, `UPDATE samples SET received_at = coalesce(received_at, now()), tested_at = now(),
       result = $3, result_note = $4 WHERE id = $1 AND application_id = $2`, sampleID, appID, result, strings.TrimSpace(note))
		}
		if err != nil {
			return err
		}
		// A sample of another application: nothing changed, so no event
		// and no "recorded".
		if done.RowsAffected() == 0 {
			return database.ErrNotFound
		}
		return event(ctx, tx, a, appID, orgID, tag, version, strings.TrimSpace(note), map[string]any{"sample": sampleID, "result": result})
	})
	if err != nil {
		return fmt.Errorf("curation: record sample: %w", err)
	}
	return nil
}

// checkNote checks a sample's note (one line, optional) and the codes that
// come with it, trimming the note in place.
func checkNote(note *string, codes map[string]string) validation.Errors {
	errs := validation.Errors{}
	errs.Clean(codes)
	*note = errs.SingleLine("note", *note, 0, maxNote, "error.too_long")
	return errs
}
