package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/audit"
	"pasokan/internal/database"
	"pasokan/internal/i18n"
	"pasokan/internal/notify"
	"pasokan/internal/validation"
)

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 7 * 24 * time.Hour

// Member is a person in the actor's organisation.
type Member struct {
	UserID   int64
	Name     string
	Email    string
	Role     Role
	Disabled bool
	Since    time.Time
}

// Invitation is a pending invitation.
type Invitation struct {
	ID        int64
	OrgID     int64
	OrgName   string
	OrgKind   Kind
	Email     string
	Role      Role
	CreatedAt time.Time
	ExpiresAt time.Time
}

const membersSQL = `SELECT u.id AS user_id, u.name, u.email, m.role, u.disabled_at IS NOT NULL AS disabled, m.created_at AS since
  FROM memberships m JOIN users u ON u.id = m.user_id
 WHERE m.organization_id = $1
 ORDER BY u.name, u.id
 LIMIT 500`

// Members lists the people of the actor's organisation.
func (s *Store) Members(ctx context.Context, a Actor) ([]Member, error) {
	var out []Member
	err := s.db.ReadTx(ctx, a.Scope(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, membersSQL, a.OrgID)
		if err != nil {
			return err
		}
		out, err = database.CollectRows[Member](rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("account: members of %d: %w", a.OrgID, err)
	}
	return out, nil
}

const pendingSQL = `SELECT i.id, i.organization_id AS org_id, o.name AS org_name, o.kind AS org_kind, i.email, i.role,
       i.created_at, i.expires_at
  FROM invitations i JOIN organizations o ON o.id = i.organization_id
 WHERE i.organization_id = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()
 ORDER BY i.created_at DESC
 LIMIT 200`

// PendingInvitations lists the open invitations of the actor's organisation.
func (s *Store) PendingInvitations(ctx context.Context, a Actor) ([]Invitation, error) {
	var out []Invitation
	err := s.db.ReadTx(ctx, a.Scope(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, pendingSQL, a.OrgID)
		if err != nil {
			return err
		}
		out, err = database.CollectRows[Invitation](rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("account: invitations of %d: %w", a.OrgID, err)
	}
	return out, nil
}

// Invite invites email into the actor's organisation with role, and queues
// the e-mail with the one-time link. Only owners and admins may invite.
func (s *Store) Invite(ctx context.Context, a Actor, email string, role Role) (Invitation, error) {
	if !a.CanManageMembers() {
		return Invitation{}, database.ErrForbidden
	}
	errs := validation.Errors{}
	email, ok := validation.NormalizeEmail(email)
	if !ok {
		errs.Add("email", "error.email_invalid")
	}
	if !slices.Contains(a.InvitableRoles(), role) {
		errs.Add("role", "error.role_invalid")
	}
	if errs.Any() {
		return Invitation{}, errs
	}
	var inv Invitation
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		var member bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id
 WHERE m.organization_id = $1 AND u.email = $2)`, a.OrgID, email).Scan(&member); err != nil {
			return err
		}
		if member {
			return validation.Errors{"email": "error.already_member"}
		}
		var err error
		inv, err = s.invite(ctx, tx, a, Organization{ID: a.OrgID, Name: a.OrgName, Kind: a.Kind}, email, role)
		return err
	})
	if err != nil {
		return Invitation{}, fmt.Errorf("account: invite: %w", err)
	}
	return inv, nil
}

// invite writes the invitation, its e-mail and its audit event in tx.
func (s *Store) invite(ctx context.Context, tx pgx.Tx, a Actor, org Organization, email string, role Role) (Invitation, error) {
	token, hash := newToken()
	inv := Invitation{OrgID: org.ID, OrgName: org.Name, OrgKind: org.Kind, Email: email, Role: role}
	rows, _ := tx.Query(ctx, `INSERT INTO invitations (organization_id, email, role, token_hash, invited_by, expires_at)
VALUES ($1, $2, $3, $4, $5, now() + $6::interval) RETURNING id, created_at, expires_at`,
		org.ID, email, role, hash, a.UserID, InvitationTTL)
	made, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[struct {
		ID                   int64
		CreatedAt, ExpiresAt time.Time
	}])
	if err != nil {
		return inv, err
	}
	inv.ID, inv.CreatedAt, inv.ExpiresAt = made.ID, made.CreatedAt, made.ExpiresAt
	link := s.baseURL + "/invitations/" + token
	// The invitee's language is unknown: the e-mail carries both.
	if err := s.outbox.Enqueue(ctx, tx, notify.Email{OrgID: org.ID, Kind: "invitation", To: email,
		Subject: i18n.Translate(i18n.ID, "email.invitation.subject", org.Name) + " / " + i18n.Translate(i18n.EN, "email.invitation.subject", org.Name),
		Body:    i18n.Both("email.invitation.body", a.UserName, org.Name, link, InvitationTTL/(24*time.Hour)),
	}); err != nil {
		return inv, err
	}
	return inv, audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: org.ID,
		Action: "membership.invited", SubjectType: "invitation", SubjectID: inv.ID,
		Detail: map[string]any{"role": role}})
}

// RevokeInvitation withdraws an open invitation of the actor's organisation.
func (s *Store) RevokeInvitation(ctx context.Context, a Actor, id int64) error {
	if !a.CanManageMembers() {
		return database.ErrForbidden
	}
	return s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE invitations SET revoked_at = now()
 WHERE id = $1 AND organization_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL`, id, a.OrgID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return database.ErrNotFound
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: a.OrgID,
			Action: "membership.invitation_revoked", SubjectType: "invitation", SubjectID: id})
	})
}

func newToken() (string, []byte) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on Linux
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

func hashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

const openInvitationSQL = `SELECT i.id, i.organization_id AS org_id, o.name AS org_name, o.kind AS org_kind, i.email, i.role,
       i.created_at, i.expires_at
  FROM invitations i JOIN organizations o ON o.id = i.organization_id
 WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL
   AND i.expires_at > now() AND o.disabled_at IS NULL`

// InvitationByToken returns the open invitation the link token names.
func (s *Store) InvitationByToken(ctx context.Context, token string) (Invitation, bool, error) {
	var inv Invitation
	var exists bool
	err := s.db.ReadTx(ctx, database.Auth(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, openInvitationSQL, hashToken(token))
		if err != nil {
			return err
		}
		inv, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Invitation])
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrInvitationInvalid
		}
		if err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE email = $1)`, inv.Email).Scan(&exists)
	})
	if err != nil {
		return Invitation{}, false, err
	}
	return inv, exists, nil
}

// AcceptAsNewUser creates the invited person's account and membership.
func (s *Store) AcceptAsNewUser(ctx context.Context, token, name, password, locale string) (User, Invitation, error) {
	inv, exists, err := s.InvitationByToken(ctx, token)
	if err != nil {
		return User{}, Invitation{}, err
	}
	if exists {
		return User{}, inv, validation.Errors{"email": "error.email_taken"}
	}
	reg := Registration{Name: name, Email: inv.Email, Password: password, OrganizationName: inv.OrgName, Locale: locale}
	if errs := reg.Validate(s.passwords); errs.Any() {
		return User{}, inv, errs
	}
	hash, err := s.passwords.Hash(ctx, password)
	if err != nil {
		return User{}, inv, err
	}
	var u User
	err = s.db.Tx(ctx, database.Auth(), func(tx pgx.Tx) error {
		var err error
		if u, err = insertUser(ctx, tx, reg.Email, reg.Name, hash, reg.Locale); err != nil {
			return err
		}
		inv, err = accept(ctx, tx, token, u)
		return err
	})
	if errors.Is(err, database.ErrConflict) {
		return User{}, inv, validation.Errors{"email": "error.email_taken"}
	}
	if err != nil {
		return User{}, inv, fmt.Errorf("account: accept invitation: %w", err)
	}
	return u, inv, nil
}

// AcceptAsUser adds an existing user, who must hold the invited address, to
// the inviting organisation.
func (s *Store) AcceptAsUser(ctx context.Context, token string, userID int64) (Invitation, error) {
	var inv Invitation
	err := s.db.Tx(ctx, database.Auth(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT id, email, name FROM users WHERE id = $1 AND disabled_at IS NULL`, userID)
		u, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[struct {
			ID          int64
			Email, Name string
		}])
		if err != nil {
			return err
		}
		inv, err = accept(ctx, tx, token, User{ID: u.ID, Email: u.Email, Name: u.Name})
		return err
	})
	if err != nil {
		return Invitation{}, fmt.Errorf("account: accept invitation: %w", err)
	}
	return inv, nil
}

// ErrInvitationOtherEmail means the invitation was sent to another address
// than the logged-in user's.
var ErrInvitationOtherEmail = errors.New("account: invitation is for another address")

// accept turns an open invitation into a membership of u, once: the row is
// locked, so two clicks on the link make one membership.
func accept(ctx context.Context, tx pgx.Tx, token string, u User) (Invitation, error) {
	rows, err := tx.Query(ctx, openInvitationSQL+` FOR UPDATE OF i`, hashToken(token))
	if err != nil {
		return Invitation{}, err
	}
	inv, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Invitation])
	if errors.Is(err, pgx.ErrNoRows) {
		return Invitation{}, ErrInvitationInvalid
	}
	if err != nil {
		return Invitation{}, err
	}
	if inv.Email != u.Email {
		return inv, ErrInvitationOtherEmail
	}
	if _, err := tx.Exec(ctx, `INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, $3)
ON CONFLICT (organization_id, user_id) DO NOTHING`, inv.OrgID, u.ID, inv.Role); err != nil {
		return inv, err
	}
	if _, err := tx.Exec(ctx, `UPDATE invitations SET accepted_at = now(), accepted_by = $2 WHERE id = $1`, inv.ID, u.ID); err != nil {
		return inv, err
	}
	return inv, audit.Record(ctx, tx, audit.Event{ActorUserID: u.ID, ActorOrgID: inv.OrgID, OrgID: inv.OrgID,
		Action: "membership.joined", SubjectType: "invitation", SubjectID: inv.ID, Detail: map[string]any{"role": inv.Role}})
}
