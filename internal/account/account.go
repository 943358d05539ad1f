// Package account holds people, organisations (the tenants), memberships and
// invitations, credentials and the Actor: who acts, for which organisation,
// in which role.
package account

import (
	"time"

	"pasokan/internal/database"
)

// Kind is the kind of an organisation.
type Kind string

// The organisation kinds.
const (
	KindSupplier Kind = "supplier"
	KindCurator  Kind = "curator"
	KindBuyer    Kind = "buyer"
	KindMinistry Kind = "ministry"
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	switch k {
	case KindSupplier, KindCurator, KindBuyer, KindMinistry:
		return true
	}
	return false
}

// Home is the path of the home page for members of an organisation of kind k.
func (k Kind) Home() string {
	switch k {
	case KindSupplier:
		return "/supplier"
	case KindCurator:
		return "/curation"
	case KindBuyer:
		return "/catalog"
	case KindMinistry:
		return "/admin"
	}
	return "/"
}

// Role is a member's role in an organisation.
type Role string

// The roles. Lead exists in curator organisations only.
const (
	RoleOwner  Role = "owner"
	RoleAdmin  Role = "admin"
	RoleMember Role = "member"
	RoleLead   Role = "lead"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleOwner, RoleAdmin, RoleMember, RoleLead:
		return true
	}
	return false
}

// User is a person with an account.
type User struct {
	ID           int64
	Email        string
	Name         string
	Locale       string
	SessionEpoch int
	DisabledAt   *time.Time
	CreatedAt    time.Time
	// Phone is the phone/WhatsApp number given at sign-up (+62...), or "".
	Phone string
	// EmailConfirmedAt is when the address was confirmed; nil until the
	// link e-mailed at sign-up is followed.
	EmailConfirmedAt *time.Time
}

// Organization is a tenant.
type Organization struct {
	ID        int64
	Kind      Kind
	Name      string
	Slug      string
	CreatedAt time.Time
}

// Membership ties a user to an organisation with a role; it carries the
// organisation's name and kind for the switcher.
type Membership struct {
	OrgID   int64
	OrgName string
	OrgSlug string
	OrgKind Kind
	Role    Role
}

// Actor is who acts: a user, for one of their organisations, in their role
// there. Every repository method takes one.
type Actor struct {
	UserID       int64
	UserName     string
	Email        string
	Locale       string
	SessionEpoch int
	OrgID        int64
	OrgName      string
	OrgSlug      string
	Kind         Kind
	Role         Role
	// EmailConfirmed says whether the user's e-mail address is confirmed:
	// an application is submitted only then.
	EmailConfirmed bool
}

// Scope is what the transaction helper writes for row-level security.
func (a Actor) Scope() database.Scope {
	return database.Scope{UserID: a.UserID, OrgID: a.OrgID, OrgKind: string(a.Kind), Mode: database.ModeTenant}
}

// CanManageMembers reports whether the actor may invite and remove members.
func (a Actor) CanManageMembers() bool {
	return a.Role == RoleOwner || a.Role == RoleAdmin
}

// IsMinistryAdmin reports whether the actor administers the portal.
func (a Actor) IsMinistryAdmin() bool {
	return a.Kind == KindMinistry && (a.Role == RoleOwner || a.Role == RoleAdmin)
}

// InvitableRoles are the roles an actor may give to someone they invite.
func (a Actor) InvitableRoles() []Role {
	if !a.CanManageMembers() {
		return nil
	}
	roles := []Role{RoleMember, RoleAdmin}
	if a.Kind == KindCurator {
		roles = []Role{RoleMember, RoleLead, RoleAdmin}
	}
	if a.Role == RoleOwner {
		roles = append(roles, RoleOwner)
	}
	return roles
}
