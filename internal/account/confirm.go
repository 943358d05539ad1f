package account

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/audit"
	"pasokan/internal/database"
	"pasokan/internal/i18n"
	"pasokan/internal/notify"
)

// PrivacyNoticeVersion is the version of the privacy notice (/privacy) a
// sign-up consents to, recorded with the consent. It is the notice's date:
// change it whenever the notice's text changes.
const PrivacyNoticeVersion = "2026-12-05"

// ConfirmLifetime is how long an e-mail confirmation link works.
const ConfirmLifetime = 7 * 24 * time.Hour

// Errors of the e-mail confirmation.
var (
	// ErrConfirmInvalid means a confirmation link is unknown, used or
	// expired, or its account's address has changed since.
	ErrConfirmInvalid = errors.New("account: e-mail confirmation link invalid")
	// ErrAlreadyConfirmed means the address needs no new link.
	ErrAlreadyConfirmed = errors.New("account: e-mail already confirmed")
)

// confirmRules limit new confirmation links per account: one a minute, and
// five an hour, so that no inbox is flooded from a stolen session.
func confirmRules(userID int64) []Rule {
	id := strconv.FormatInt(userID, 10)
	return []Rule{
		{Key: "confirm-minute:" + id, Limit: 1, Window: time.Minute, FirstBlock: time.Minute, MaxBlock: time.Minute},
		{Key: "confirm-hour:" + id, Limit: 5, Window: time.Hour, FirstBlock: 15 * time.Minute, MaxBlock: time.Hour},
	}
}

// sendConfirmation writes a new one-time link for u's address in tx and
// e-mails it through the outbox, in u's language. Only the sha256 of the
// token is kept.
func (s *Store) sendConfirmation(ctx context.Context, tx pgx.Tx, u User) error {
	token, hash := newToken()
	if _, err := tx.Exec(ctx, `INSERT INTO email_confirmations (user_id, email, token_hash, expires_at)
VALUES ($1, $2, $3, now() + $4::interval)`, u.ID, u.Email, hash, ConfirmLifetime); err != nil {
		return err
	}
	l, _ := i18n.Parse(u.Locale)
	days := int(ConfirmLifetime / (24 * time.Hour))
	return s.outbox.Enqueue(ctx, tx, notify.Email{Kind: "email_confirm", To: u.Email,
		Subject: i18n.Translate(l, "email.confirm.subject"),
		Body:    i18n.Translate(l, "email.confirm.body", u.Name, s.baseURL+"/email/confirm/"+token, days)})
}

// ResendConfirmation e-mails the actor a new confirmation link, throttled
// per account (*ThrottledError); ErrAlreadyConfirmed when the address is
// confirmed already. Earlier links keep working until one is used.
func (s *Store) ResendConfirmation(ctx context.Context, a Actor) error {
	var u User
	err := s.db.ReadTx(ctx, a.Scope(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT id, email, name, locale, session_epoch, disabled_at, created_at, phone, email_confirmed_at
  FROM users WHERE id = $1`, a.UserID)
		var err error
		u, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[User])
		return err
	})
	if err != nil {
		return fmt.Errorf("account: resend confirmation: %w", err)
	}
	if u.EmailConfirmedAt != nil {
		return ErrAlreadyConfirmed
	}
	if _, err := s.throttle.Reserve(ctx, confirmRules(u.ID)...); err != nil {
		return err
	}
	err = s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		if err := s.sendConfirmation(ctx, tx, u); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: u.ID, ActorOrgID: a.OrgID,
			Action: "user.email_confirmation_sent", SubjectType: "user", SubjectID: u.ID})
	})
	if err != nil {
		return fmt.Errorf("account: resend confirmation: %w", err)
	}
	return nil
}

// useConfirmationSQL uses up an open link whose account still has the
// address it was sent to, and returns the account.
const useConfirmationSQL = `UPDATE email_confirmations c SET used_at = now()
  FROM users u
 WHERE c.token_hash = $1 AND c.used_at IS NULL AND c.expires_at > now()
   AND u.id = c.user_id AND u.email = c.email AND u.disabled_at IS NULL
RETURNING c.user_id, c.email`

// ConfirmEmail confirms the address of the account a link was sent for:
// the link is used up (with the account's other links), the time is kept on
// the user, and an audit event is written. An unknown, used or expired
// link is ErrConfirmInvalid.
func (s *Store) ConfirmEmail(ctx context.Context, token string) error {
	err := s.db.Tx(ctx, database.Auth(), func(tx pgx.Tx) error {
		var userID int64
		var email string
		// Two tabs at the same moment: the row lock lets one through.
		err := tx.QueryRow(ctx, useConfirmationSQL, hashToken(token)).Scan(&userID, &email)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrConfirmInvalid
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE email_confirmations SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, userID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET email_confirmed_at = coalesce(email_confirmed_at, now()), updated_at = now()
 WHERE id = $1`, userID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: userID, Action: "user.email_confirmed",
			SubjectType: "user", SubjectID: userID, Detail: map[string]any{"email": email}})
	})
	if err != nil && !errors.Is(err, ErrConfirmInvalid) {
		return fmt.Errorf("account: confirm e-mail: %w", err)
	}
	return err
}

// Phone returns the phone number the actor gave at sign-up, or "": the
// supplier profile's phone field starts with it.
func (s *Store) Phone(ctx context.Context, a Actor) (string, error) {
	var phone string
	err := s.db.ReadTx(ctx, a.Scope(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT phone FROM users WHERE id = $1`, a.UserID).Scan(&phone)
	})
	if err != nil {
		return "", fmt.Errorf("account: phone of %d: %w", a.UserID, err)
	}
	return phone, nil
}
