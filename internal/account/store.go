package account

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
	"golang.org/x/text/unicode/norm"

	"pasokan/internal/audit"
	"pasokan/internal/database"
	"pasokan/internal/i18n"
	"pasokan/internal/notify"
	"pasokan/internal/validation"
)

// Errors of this package, beyond those of package database.
var (
	// ErrBadCredentials means the e-mail is unknown or the password wrong;
	// the two are deliberately one answer.
	ErrBadCredentials = errors.New("account: bad credentials")
	// ErrDisabled means the account has been disabled.
	ErrDisabled = errors.New("account: disabled")
	// ErrInvitationInvalid means the link is unknown, used, revoked or expired.
	ErrInvitationInvalid = errors.New("account: invitation invalid")
)

// ThrottledError says that login attempts are blocked for a while.
type ThrottledError struct{ Wait time.Duration }

func (e *ThrottledError) Error() string { return fmt.Sprintf("account: throttled for %s", e.Wait) }

// Store is the repository of accounts and organisations.
type Store struct {
	db        *database.DB
	passwords *Passwords
	throttle  *Throttle
	outbox    *notify.Outbox
	baseURL   string
}

// NewStore returns a Store. Its e-mails go through outbox; baseURL is the
// portal's public address, for links in them.
func NewStore(db *database.DB, passwords *Passwords, throttle *Throttle, outbox *notify.Outbox, baseURL string) *Store {
	return &Store{db: db, passwords: passwords, throttle: throttle, outbox: outbox, baseURL: strings.TrimRight(baseURL, "/")}
}

// Passwords returns the password rules the store applies.
func (s *Store) Passwords() *Passwords { return s.passwords }

// Registration is what an UMKM owner gives at sign-up.
type Registration struct {
	Name             string
	Email            string
	Password         string
	OrganizationName string
	Locale           string
	// Phone is the phone/WhatsApp number, normalised (+62 and the national
	// number, as supplier.NormalizePhone gives it), or "" when none was
	// given. Anything else is a field error.
	Phone string
	// Consent is the version of the privacy notice (PrivacyNoticeVersion)
	// the person read and accepted, "" when they did not. SignUp requires
	// it.
	Consent string
	// Addr is the client's address, for the sign-up throttle.
	Addr string
}

// phonePattern is a normalised Indonesian phone number, as the users
// table's check has it.
var phonePattern = regexp.MustCompile(`^\+62[1-9][0-9]{7,11}$`)

// Validate checks r and normalises its fields.
func (r *Registration) Validate(p *Passwords) validation.Errors {
	errs := validation.Errors{}
	var ok bool
	r.Name = errs.SingleLine("name", r.Name, 2, 200, "error.name_required")
	if r.Email, ok = validation.NormalizeEmail(r.Email); !ok {
		errs.Add("email", "error.email_invalid")
	}
	if key := p.Check(r.Password, r.Email); key != "" {
		errs.Add("password", key)
	}
	r.OrganizationName = errs.SingleLine("organization_name", r.OrganizationName, 2, 200, "error.organization_name_required")
	if r.Phone != "" && !phonePattern.MatchString(r.Phone) {
		errs.Add("phone", "error.phone_invalid")
	}
	if _, ok := i18n.Parse(r.Locale); !ok {
		r.Locale = string(i18n.ID)
	}
	return errs
}

const insertUserSQL = `INSERT INTO users (email, name, password_hash, locale) VALUES ($1, $2, $3, $4)
RETURNING id, email, name, locale, session_epoch, disabled_at, created_at, phone, email_confirmed_at`

// insertUser creates a user in tx and returns it as stored.
func insertUser(ctx context.Context, tx pgx.Tx, email, name, hash, locale string) (User, error) {
	rows, _ := tx.Query(ctx, insertUserSQL, email, name, hash, locale)
	return pgx.CollectOneRow(rows, pgx.RowToStructByName[User])
}

// Register creates the user, a supplier organisation and the owner
// membership in one transaction, for callers who vouch for the address
// (tests, tools): it counts as confirmed, and no consent is recorded. The
// public sign-up is SignUp. A taken e-mail address is a field error.
// Each attempt that gets as far as hashing is reserved with the sign-up
// throttle of the client's address; a sign-up that succeeds gives it back,
// so that only failures (such as taken addresses: listing accounts) count.
func (s *Store) Register(ctx context.Context, r Registration) (User, Organization, error) {
	return s.registerChecked(ctx, r, r.Validate(s.passwords), false)
}

// SignUp is the public sign-up (/register): Register, with the person's
// consent to the privacy notice required (a field error on "consent") and
// recorded on the user and in the audit event, and the e-mail address left
// unconfirmed: a one-time link to confirm it goes out through the outbox in
// the same transaction.
func (s *Store) SignUp(ctx context.Context, r Registration) (User, Organization, error) {
	errs := r.Validate(s.passwords)
	if r.Consent == "" {
		errs.Add("consent", "error.consent_required")
	}
	return s.registerChecked(ctx, r, errs, true)
}

func (s *Store) registerChecked(ctx context.Context, r Registration, errs validation.Errors, signUp bool) (User, Organization, error) {
	if errs.Any() {
		return User{}, Organization{}, errs
	}
	res, err := s.throttle.Reserve(ctx, s.throttle.SignUp.With(SignUpKey(r.Addr)))
	if err != nil {
		return User{}, Organization{}, err
	}
	u, o, err := s.register(ctx, r, signUp)
	if err == nil || errors.Is(err, ErrBusy) {
		err = errors.Join(err, s.throttle.Release(ctx, res))
	}
	return u, o, err
}

// insertSignUpSQL creates a user of the public sign-up: the consent given,
// the address not confirmed yet.
const insertSignUpSQL = `INSERT INTO users (email, name, password_hash, locale, phone, consent_at, consent_version, email_confirmed_at)
VALUES ($1, $2, $3, $4, $5, now(), $6, NULL)
RETURNING id, email, name, locale, session_epoch, disabled_at, created_at, phone, email_confirmed_at`

func (s *Store) register(ctx context.Context, r Registration, signUp bool) (User, Organization, error) {
	hash, err := s.passwords.Hash(ctx, r.Password)
	if err != nil {
		return User{}, Organization{}, err
	}
	var u User
	var o Organization
	err = s.db.Tx(ctx, database.Auth(), func(tx pgx.Tx) error {
		var err error
		if signUp {
			rows, _ := tx.Query(ctx, insertSignUpSQL, r.Email, r.Name, hash, r.Locale, r.Phone, r.Consent)
			u, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[User])
		} else {
			u, err = insertUser(ctx, tx, r.Email, r.Name, hash, r.Locale)
			if err == nil && r.Phone != "" {
				u.Phone = r.Phone
				_, err = tx.Exec(ctx, `UPDATE users SET phone = $2 WHERE id = $1`, u.ID, r.Phone)
			}
		}
		if err != nil {
			return err
		}
		if o, err = createOrganization(ctx, tx, KindSupplier, r.OrganizationName); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, 'owner')`, o.ID, u.ID); err != nil {
			return err
		}
		detail := map[string]any{}
		if signUp {
			detail = map[string]any{"consent_version": r.Consent, "consent_at": u.CreatedAt, "phone_given": r.Phone != "",
				"email_confirmed": false}
			if err := s.sendConfirmation(ctx, tx, u); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: u.ID, ActorOrgID: o.ID, OrgID: o.ID,
			Action: "account.registered", SubjectType: "organization", SubjectID: o.ID, Detail: detail})
	})
	if errors.Is(err, database.ErrConflict) && database.ConstraintName(err) == "users_email_key" {
		return User{}, Organization{}, validation.Errors{"email": "error.email_taken"}
	}
	if err != nil {
		return User{}, Organization{}, fmt.Errorf("account: register: %w", err)
	}
	return u, o, nil
}

// createOrganization inserts an organisation with a slug made from its name,
// made unique with a suffix when taken.
func createOrganization(ctx context.Context, tx pgx.Tx, kind Kind, name string) (Organization, error) {
	base := Slugify(name)
	for i := 1; i <= 50; i++ {
		slug := base
		if i > 1 {
			slug = fmt.Sprintf("%s-%d", base, i)
		}
		rows, _ := tx.Query(ctx, `INSERT INTO organizations (kind, name, slug) VALUES ($1, $2, $3)
ON CONFLICT (slug) DO NOTHING RETURNING id, kind, name, slug, created_at`, kind, name, slug)
		o, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[Organization])
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		return o, err
	}
	return Organization{Kind: kind, Name: name}, fmt.Errorf("account: no free slug for %q", name)
}

// Slugify makes a URL slug of a name: lower-case ASCII letters and digits
// joined by single hyphens, at most 60 characters, never a reserved word.
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(strings.ToLower(name)) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			dash = false
		case unicode.Is(unicode.Mn, r):
			// accents dropped: "Koperasi Śejahtera" -> "koperasi-sejahtera"
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
		if b.Len() >= 60 {
			break
		}
	}
	slug := strings.Trim(b.String(), "-")
	if slug == "" {
		return "organisasi"
	}
	if ReservedSlugs[slug] {
		return slug + "-1"
	}
	return slug
}

// ReservedSlugs are the words a slug never is: the fixed paths beside
// /directory/{slug} (/directory/data, the open data's dictionary) would
// hide an organisation's directory page. A name that makes one gets "-1".
var ReservedSlugs = map[string]bool{"data": true}

// Attempt is one login attempt.
type Attempt struct {
	Email, Password string
	// Addr is the client's address.
	Addr string
	// Device is the token of the browser's device cookie, or "": a device the
	// account has logged in from has throttle counters of its own.
	Device string
}

const credentialsSQL = `SELECT u.id, u.email, u.name, u.locale, u.session_epoch, u.password_hash, u.disabled_at,
       EXISTS (SELECT 1 FROM known_logins k WHERE k.user_id = u.id AND k.kind = 'device' AND k.value = $2) AS known_device,
       EXISTS (SELECT 1 FROM known_logins k WHERE k.user_id = u.id AND k.kind = 'address' AND k.value = $3) AS known_address
  FROM users u WHERE u.email = $1`

// credentials is a row of credentialsSQL.
type credentials struct {
	ID                  int64
	Email, Name, Locale string
	SessionEpoch        int
	PasswordHash        string
	DisabledAt          *time.Time
	KnownDevice         bool
	KnownAddress        bool
}

const rememberLoginSQL = `INSERT INTO known_logins (user_id, kind, value)
SELECT $1, kind, value FROM (VALUES ('device', $2), ('address', $3)) AS v (kind, value) WHERE value <> ''
ON CONFLICT (user_id, kind, value) DO UPDATE SET last_login_at = now()`

// deviceValue is how a device token is kept: hashed.
func deviceValue(token string) string {
	if token == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Authenticate checks an e-mail address and password. An unknown address and
// a wrong password get the same answer in about the same time. The attempt
// is reserved with the throttle before the password is hashed: one account
// from one address (or one known device) gets a few tries; the account from
// anywhere new, and the address for accounts it is new to, get many more.
// A device or an address the account logged in from before is not held back
// by those wider counters, so strangers hammering the account do not lock
// its owner out. While blocked the answer is a *ThrottledError; when too many
// passwords are being hashed, ErrBusy (and the attempt is not counted).
func (s *Store) Authenticate(ctx context.Context, at Attempt) (User, error) {
	email, _ := validation.NormalizeEmail(at.Email)
	device, addr := deviceValue(at.Device), addressPart(at.Addr)
	var c credentials
	err := s.db.ReadTx(ctx, database.Auth(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, credentialsSQL, email, device, addr)
		var err error
		c, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[credentials])
		return err
	})
	if err != nil && !errors.Is(err, database.ErrNotFound) {
		return User{}, fmt.Errorf("account: authenticate: %w", err)
	}
	u := User{ID: c.ID, Email: c.Email, Name: c.Name, Locale: c.Locale, SessionEpoch: c.SessionEpoch, DisabledAt: c.DisabledAt}
	hash, knownDevice, knownAddr := c.PasswordHash, c.KnownDevice, c.KnownAddress
	t := s.throttle
	var rules []Rule
	switch {
	case knownDevice:
		rules = []Rule{t.Pair.With(DeviceKey(email, []byte(device)))}
	case knownAddr:
		rules = []Rule{t.Pair.With(PairKey(email, at.Addr))}
	default:
		rules = []Rule{t.Pair.With(PairKey(email, at.Addr)), t.Account.With(AccountKey(email)), t.Address.With(AddressKey(at.Addr))}
	}
	res, err := t.Reserve(ctx, rules...)
	if err != nil {
		return User{}, err
	}
	ok, err := s.passwords.Verify(ctx, at.Password, hash)
	if err != nil {
		// Not an attempt: the password was never checked.
		return User{}, errors.Join(err, t.Release(ctx, res))
	}
	if !ok {
		if u.ID != 0 {
			if err := s.record(ctx, database.Auth(), audit.Event{ActorUserID: u.ID, Action: "session.login_failed",
				SubjectType: "user", SubjectID: u.ID}); err != nil {
				return User{}, err
			}
		}
		return User{}, ErrBadCredentials
	}
	if u.DisabledAt != nil {
		return User{}, ErrDisabled
	}
	// A success ends the run of failures of this account from here and
	// from anywhere; the address's count only loses this attempt.
	if err := t.Release(ctx, res, rules[0].Key, AccountKey(email)); err != nil {
		return User{}, err
	}
	err = s.db.Tx(ctx, database.Auth(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, rememberLoginSQL, u.ID, device, addr)
		return err
	})
	if err != nil {
		return User{}, fmt.Errorf("account: remember login: %w", err)
	}
	return u, nil
}

// RecordLogin and RecordLogout write the session events of the audit trail.
func (s *Store) RecordLogin(ctx context.Context, a Actor) error {
	return s.record(ctx, a.Scope(), audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: a.OrgID,
		Action: "session.login", SubjectType: "user", SubjectID: a.UserID})
}

// RecordLogout writes the logout event.
func (s *Store) RecordLogout(ctx context.Context, a Actor) error {
	return s.record(ctx, a.Scope(), audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: a.OrgID,
		Action: "session.logout", SubjectType: "user", SubjectID: a.UserID})
}

func (s *Store) record(ctx context.Context, sc database.Scope, e audit.Event) error {
	return s.db.Tx(ctx, sc, func(tx pgx.Tx) error { return audit.Record(ctx, tx, e) })
}

const membershipsSQL = `SELECT m.organization_id AS org_id, o.name AS org_name, o.slug AS org_slug, o.kind AS org_kind, m.role
  FROM memberships m JOIN organizations o ON o.id = m.organization_id
 WHERE m.user_id = $1 AND o.disabled_at IS NULL
 ORDER BY o.name, o.id`

// Memberships lists the organisations userID belongs to, for the switcher.
func (s *Store) Memberships(ctx context.Context, userID int64) ([]Membership, error) {
	var out []Membership
	err := s.db.ReadTx(ctx, database.Scope{UserID: userID}, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, membershipsSQL, userID)
		if err != nil {
			return err
		}
		out, err = database.CollectRows[Membership](rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("account: memberships of %d: %w", userID, err)
	}
	return out, nil
}

const actorSQL = `SELECT u.id AS user_id, u.name AS user_name, u.email, u.locale, u.session_epoch,
       u.disabled_at IS NOT NULL AS disabled, u.email_confirmed_at IS NOT NULL AS email_confirmed, o.id AS org_id, o.name AS org_name, o.slug AS org_slug, o.kind, m.role
  FROM users u
  JOIN memberships m ON m.user_id = u.id
  JOIN organizations o ON o.id = m.organization_id
 WHERE u.id = $1 AND o.id = $2 AND o.disabled_at IS NULL`

// actorRow is a row of actorSQL.
type actorRow struct {
	Actor
	Disabled bool
}

// LoadActor returns userID acting for orgID, or ErrNotFound when they are not
// a member, or ErrDisabled.
func (s *Store) LoadActor(ctx context.Context, userID, orgID int64) (Actor, error) {
	// Every request runs this: one round trip, not four.
	r, err := database.ReadOne[actorRow](ctx, s.db, database.Scope{UserID: userID, OrgID: orgID}, actorSQL, userID, orgID)
	if err != nil {
		return Actor{}, fmt.Errorf("account: actor %d/%d: %w", userID, orgID, err)
	}
	if r.Disabled {
		return Actor{}, ErrDisabled
	}
	return r.Actor, nil
}

// SetLocale stores the actor's language. Choosing the language already
// stored writes nothing.
func (s *Store) SetLocale(ctx context.Context, a Actor, lang i18n.Lang) error {
	return s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE users SET locale = $2, updated_at = now() WHERE id = $1 AND locale <> $2`, a.UserID, string(lang))
		return err
	})
}

// ChangePassword replaces the actor's password after checking the current
// one, and ends every session of theirs (the caller renews its own). It
// returns the new session epoch. Wrong current passwords count with the
// login throttle of the account from addr: a stolen session cookie is no
// guessing oracle. When the last allowed attempt fails, or the account is
// blocked, the answer is a *ThrottledError and the caller ends the session.
func (s *Store) ChangePassword(ctx context.Context, a Actor, current, next, addr string) (int, error) {
	errs := validation.Errors{}
	var hash string
	err := s.db.ReadTx(ctx, a.Scope(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = $1`, a.UserID).Scan(&hash)
	})
	if err != nil {
		return 0, fmt.Errorf("account: change password: %w", err)
	}
	if key := s.passwords.Check(next, a.Email); key != "" {
		errs.Add("new_password", key)
	}
	pair := s.throttle.Pair.With(PairKey(a.Email, addr))
	res, err := s.throttle.Reserve(ctx, pair)
	if err != nil {
		return 0, err
	}
	ok, err := s.passwords.Verify(ctx, current, hash)
	if err != nil {
		return 0, errors.Join(err, s.throttle.Release(ctx, res))
	}
	if !ok {
		if err := s.record(ctx, a.Scope(), audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID,
			Action: "account.password_change_failed", SubjectType: "user", SubjectID: a.UserID}); err != nil {
			return 0, err
		}
		if res.Remaining == 0 {
			return 0, &ThrottledError{Wait: pair.FirstBlock}
		}
		errs.Add("current_password", "error.password_wrong")
		return 0, errs
	}
	if err := s.throttle.Release(ctx, res, pair.Key); err != nil {
		return 0, err
	}
	if errs.Any() {
		return 0, errs
	}
	newHash, err := s.passwords.Hash(ctx, next)
	if err != nil {
		return 0, err
	}
	var epoch int
	err = s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `UPDATE users SET password_hash = $2, session_epoch = session_epoch + 1, updated_at = now()
 WHERE id = $1 RETURNING session_epoch`, a.UserID, newHash).Scan(&epoch); err != nil {
			return err
		}
		lang := i18n.Lang(a.Locale)
		if err := s.outbox.Enqueue(ctx, tx, notify.Email{OrgID: a.OrgID, Kind: "password_changed", To: a.Email,
			Subject: i18n.Translate(lang, "email.password_changed.subject"),
			Body:    i18n.Translate(lang, "email.password_changed.body", a.UserName, s.baseURL+"/login")}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID,
			Action: "account.password_changed", SubjectType: "user", SubjectID: a.UserID})
	})
	if err != nil {
		return 0, fmt.Errorf("account: change password: %w", err)
	}
	return epoch, nil
}

// EndSessions ends every session of the actor's account everywhere.
func (s *Store) EndSessions(ctx context.Context, a Actor) error {
	return s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1`, a.UserID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID,
			Action: "session.ended_everywhere", SubjectType: "user", SubjectID: a.UserID})
	})
}

// SetDisabled disables (or re-enables) a user's account, acting as sc (a
// ministry admin, or the system). Disabling ends the user's sessions.
func (s *Store) SetDisabled(ctx context.Context, sc database.Scope, userID int64, disabled bool) error {
	action := "account.enabled"
	if disabled {
		action = "account.disabled"
	}
	return s.db.Tx(ctx, sc, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users
   SET disabled_at = CASE WHEN $2 THEN now() END,
       session_epoch = session_epoch + CASE WHEN $2 THEN 1 ELSE 0 END,
       updated_at = now()
 WHERE id = $1`, userID, disabled)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return database.ErrNotFound
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: sc.UserID, ActorOrgID: sc.OrgID,
			Action: action, SubjectType: "user", SubjectID: userID})
	})
}

// UserIDByEmail finds a user for the admin commands (system scope).
func (s *Store) UserIDByEmail(ctx context.Context, email string) (int64, error) {
	email, _ = validation.NormalizeEmail(email)
	var id int64
	err := s.db.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, email).Scan(&id)
	})
	return id, err
}
