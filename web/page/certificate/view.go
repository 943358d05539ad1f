package certificate

import (
	"context"

	"pasokan/internal/i18n"
	"pasokan/web/component"
)

// The words a certificate shows on its page and prints in its PDF, so that
// the two say the same, in the reader's language.

// Validity says until when the certificate holds. A certificate has no
// expiry date: it stands while it is neither revoked nor replaced and its
// supplier stays curated (curation.Certificate.Valid), so a standing one
// says that and where to check it now, and one that no longer stands says
// since when.
func Validity(ctx context.Context, v View) string {
	c := v.Certificate
	switch {
	case c.Valid:
		return i18n.T(ctx, "certificate.validity_open", v.VerifyURL)
	case c.RevokedAt != nil:
		return i18n.T(ctx, "certificate.validity_ended", i18n.Date(ctx, *c.RevokedAt))
	}
	return i18n.T(ctx, "certificate.invalid")
}

// Status is whether the certificate stands, with the reason when it does
// not.
func Status(ctx context.Context, v View) string {
	c := v.Certificate
	if c.Valid {
		return i18n.T(ctx, "certificate.valid")
	}
	s := i18n.T(ctx, "certificate.invalid")
	if c.RevokedReason != "" {
		s += " " + i18n.T(ctx, "certificate.revoked."+c.RevokedReason)
	}
	return s
}

// CheckedAgainst introduces the standards a product was checked against,
// with its checklist's version as a number of the reader's language.
func CheckedAgainst(ctx context.Context, version int) string {
	return i18n.T(ctx, "certificate.checked_against", i18n.Int(ctx, version))
}

// VerifyView is the model of the form that checks a certificate's code
// (GET /verify), and of the answer that no certificate has a code.
type VerifyView struct {
	// Form holds the field code as typed, and its error.
	Form component.Form
	// Unknown is the code no certificate has, shortened for display; empty
	// on the form itself.
	Unknown string
	// Others are the checks of the same code as another kind of printed
	// document, offered when the code has the shape of one.
	Others []Link
}

// Link is a check of a code as another kind of document.
type Link struct {
	Path string
	Key  string
}
