package account

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/audit"
	"pasokan/internal/database"
	"pasokan/internal/i18n"
	"pasokan/internal/notify"
	"pasokan/internal/validation"
)

// ErrResetInvalid means a password-reset link is unknown, used or expired.
var ErrResetInvalid = errors.New("account: password reset link invalid")

// ResetLifetime is how long a password-reset link works.
const ResetLifetime = time.Hour

// resetRule limits reset requests per address, and per account (a handful
// an hour, so nobody's inbox is flooded).
func (t *Throttle) resetRules(email, addr string) []Rule {
	perAccount := Rule{Key: "reset:" + emailHash(email), Limit: 3, Window: time.Hour,
		FirstBlock: 15 * time.Minute, MaxBlock: time.Hour}
	return []Rule{t.SignUp.With("reset-addr:" + addressPart(addr)), perAccount}
}

// RequestPasswordReset e-mails a one-time link to set a new password when
// email belongs to an enabled account. The answer is the same whether or
// not it does (nil), so the form lists no accounts; requests are throttled
// per address and per account all the same (*ThrottledError).
func (s *Store) RequestPasswordReset(ctx context.Context, email, addr, lang string) error {
	email, ok := validation.NormalizeEmail(email)
	if !ok {
		return validation.Errors{"email": "error.email_invalid"}
	}
	if _, err := s.throttle.Reserve(ctx, s.throttle.resetRules(email, addr)...); err != nil {
		return err
	}
	token, hash := newToken()
	err := s.db.Tx(ctx, database.Auth(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT id, name, locale FROM users WHERE email = $1 AND disabled_at IS NULL`, email)
		u, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[struct {
			ID           int64
			Name, Locale string
		}])
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES ($1, $2, now() + $3::interval)`,
			u.ID, hash, ResetLifetime); err != nil {
			return err
		}
		l, ok := i18n.Parse(u.Locale)
		if !ok {
			l, _ = i18n.Parse(lang)
		}
		if err := s.outbox.Enqueue(ctx, tx, notify.Email{Kind: "password_reset", To: email,
			Subject: i18n.Translate(l, "email.password_reset.subject"),
			Body:    i18n.Translate(l, "email.password_reset.body", u.Name, s.baseURL+"/password/reset/"+token)}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: u.ID, Action: "account.password_reset_requested",
			SubjectType: "user", SubjectID: u.ID})
	})
	if err != nil {
		return fmt.Errorf("account: request password reset: %w", err)
	}
	return nil
}

const openResetSQL = `SELECT r.id, u.id AS user_id, u.email, u.name, u.locale
  FROM password_resets r JOIN users u ON u.id = r.user_id
 WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > now() AND u.disabled_at IS NULL`

// openReset is a row of openResetSQL: the link and its account.
type openReset struct {
	ID, UserID          int64
	Email, Name, Locale string
}

// CheckPasswordReset reports whether a reset link's token is still good,
// for the page that asks for the new password.
func (s *Store) CheckPasswordReset(ctx context.Context, token string) error {
	var open bool
	err := s.db.ReadTx(ctx, database.Auth(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT EXISTS (`+openResetSQL+`)`, hashToken(token)).Scan(&open)
	})
	if err != nil {
		return fmt.Errorf("account: check password reset: %w", err)
	}
	if !open {
		return ErrResetInvalid
	}
	return nil
}

// ResetPassword sets a new password through a reset link: the link is used
// up, every session of the account ends, and the owner is told by e-mail.
func (s *Store) ResetPassword(ctx context.Context, token, password string) error {
	var r openReset
	err := s.db.ReadTx(ctx, database.Auth(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, openResetSQL, hashToken(token))
		var err error
		r, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[openReset])
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrResetInvalid
		}
		return err
	})
	if err != nil {
		return err
	}
	id, userID, email, name, locale := r.ID, r.UserID, r.Email, r.Name, r.Locale
	if key := s.passwords.Check(password, email); key != "" {
		return validation.Errors{"password": key}
	}
	hash, err := s.passwords.Hash(ctx, password)
	if err != nil {
		return err
	}
	err = s.db.Tx(ctx, database.Auth(), func(tx pgx.Tx) error {
		// The link is used once, even by two tabs at the same moment.
		tag, err := tx.Exec(ctx, `UPDATE password_resets SET used_at = now() WHERE id = $1 AND used_at IS NULL AND expires_at > now()`, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrResetInvalid
		}
		// Other links of the account die with it.
		if _, err := tx.Exec(ctx, `UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, userID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2, session_epoch = session_epoch + 1, updated_at = now()
 WHERE id = $1`, userID, hash); err != nil {
			return err
		}
		l, _ := i18n.Parse(locale)
		if err := s.outbox.Enqueue(ctx, tx, notify.Email{Kind: "password_changed", To: email,
			Subject: i18n.Translate(l, "email.password_changed.subject"),
			Body:    i18n.Translate(l, "email.password_changed.body", name, s.baseURL+"/password/forgot")}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: userID, Action: "account.password_reset",
			SubjectType: "user", SubjectID: userID})
	})
	if err != nil && !errors.Is(err, ErrResetInvalid) {
		return fmt.Errorf("account: reset password: %w", err)
	}
	if err == nil {
		// A new password ends the run of failed logins.
		err = s.throttle.forget(ctx, AccountKey(email))
	}
	return err
}
