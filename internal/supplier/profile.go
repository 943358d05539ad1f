// Package supplier holds what an UMKM or cooperative declares: its business
// profile, its application with the products it will make, the documents it
// uploads, and the application's state machine from draft to submission and
// through revisions.
package supplier

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/audit"
	"pasokan/internal/region"
	"pasokan/internal/validation"
)

// LegalForms are the legal forms of an UMKM, in the order forms show them.
var LegalForms = []string{"perorangan", "cv", "pt", "koperasi"}

// PP7Of2021 is the day PP 7/2021 was promulgated (2 February 2021, WIB):
// businesses classed before it were classed under UU 20/2008, whose
// thresholds were lower (issue 14).
var PP7Of2021 = time.Date(2021, 2, 2, 0, 0, 0, 0, time.FixedZone("WIB", 7*3600))

// SizeRule names the rule a business declaring its size on the day on was
// classed under: "uu20_2008" before PP 7/2021, "pp7_2021" from it.
func SizeRule(on time.Time) string {
	if on.Before(PP7Of2021) {
		return "uu20_2008"
	}
	return "pp7_2021"
}

// SizeClasses are the business sizes of PP 7/2021.
var SizeClasses = []string{"mikro", "kecil", "menengah"}

// Profile is the business profile of a supplier organisation.
type Profile struct {
	OrgID          int64
	LegalName      string
	TradingName    string
	LegalForm      string
	SizeClass      string
	NIB            string
	NPWP           string
	KBLI           []string
	KBLIEdition    string
	OriginalSector string
	ProvinceCode   string
	RegencyCode    string
	Address        string
	Phone          string
	Workforce      int
	Equipment      string
	UpdatedAt      time.Time
}

// ProfileInput is the profile form as typed.
type ProfileInput struct {
	LegalName, TradingName, LegalForm, SizeClass, NIB, NPWP, KBLI, OriginalSector,
	ProvinceCode, RegencyCode, Address, Phone, Workforce, Equipment string
	// KBLIEdition is the edition the KBLI codes are of (issue 14): 2017
	// for a business registered through OSS before OSS-RBA (July 2021),
	// 2020 since; empty reads as 2020, as before the field existed.
	KBLIEdition string
}

// KBLIEditions are the editions of the KBLI a profile's codes may be of.
var KBLIEditions = []string{"2017", "2020"}

// ProfileFields are the form's field names, in order.
var ProfileFields = []string{"legal_name", "trading_name", "legal_form", "size_class", "nib", "npwp", "kbli",
	"original_sector", "province_code", "regency_code", "address", "phone", "workforce", "equipment"}

// ProfileFormFields are the profile form's fields: ProfileFields, each of
// which a curator may flag, and the KBLI's edition, which goes with the
// KBLI codes.
var ProfileFormFields = []string{"legal_name", "trading_name", "legal_form", "size_class", "nib", "npwp", "kbli", "kbli_edition",
	"original_sector", "province_code", "regency_code", "address", "phone", "workforce", "equipment"}

// Input returns the profile as form values, formatted for people.
func (p Profile) Input() map[string]string {
	v := map[string]string{
		"legal_name": p.LegalName, "trading_name": p.TradingName, "legal_form": p.LegalForm,
		"size_class": p.SizeClass, "nib": p.NIB, "npwp": FormatNPWP(p.NPWP), "kbli": strings.Join(p.KBLI, ", "),
		"kbli_edition":    p.KBLIEdition,
		"original_sector": p.OriginalSector, "province_code": p.ProvinceCode, "regency_code": p.RegencyCode,
		"address": p.Address, "phone": p.Phone, "equipment": p.Equipment,
	}
	if p.Workforce > 0 {
		v["workforce"] = strconv.Itoa(p.Workforce)
	}
	if p.Phone != "" {
		v["phone"] = FormatPhone(p.Phone)
	}
	return v
}

// Parse checks the typed profile. Empty fields are allowed (the profile is
// a draft until submission); a field that is filled must be right.
func (in ProfileInput) Parse(regions *region.Catalog) (Profile, validation.Errors) {
	errs := validation.Errors{}
	var p Profile
	p.LegalName = errs.SingleLine("legal_name", in.LegalName, 0, 200, "error.too_long")
	p.TradingName = errs.SingleLine("trading_name", in.TradingName, 0, 200, "error.too_long")
	p.OriginalSector = errs.SingleLine("original_sector", in.OriginalSector, 0, 200, "error.too_long")
	p.Address = errs.MultiLine("address", in.Address, 0, 500, "error.too_long")
	p.Equipment = errs.MultiLine("equipment", in.Equipment, 0, 1000, "error.too_long")
	errs.Clean(map[string]string{"legal_form": in.LegalForm, "size_class": in.SizeClass, "nib": in.NIB, "npwp": in.NPWP,
		"kbli": in.KBLI, "province_code": in.ProvinceCode, "regency_code": in.RegencyCode, "phone": in.Phone,
		"workforce": in.Workforce, "kbli_edition": in.KBLIEdition})

	p.LegalForm = strings.TrimSpace(in.LegalForm)
	if p.LegalForm != "" && !contains(LegalForms, p.LegalForm) {
		errs.Add("legal_form", "error.choose_option")
	}
	p.SizeClass = strings.TrimSpace(in.SizeClass)
	if p.SizeClass != "" && !contains(SizeClasses, p.SizeClass) {
		errs.Add("size_class", "error.choose_option")
	}
	if strings.TrimSpace(in.NIB) != "" {
		p.NIB = parseNIB(errs, in.NIB)
	}
	if strings.TrimSpace(in.NPWP) != "" {
		p.NPWP = parseNPWP(errs, in.NPWP)
	}
	kbli, ok := ParseKBLI(in.KBLI)
	if !ok {
		errs.Add("kbli", "error.kbli_invalid")
	}
	p.KBLI, p.KBLIEdition = kbli, strings.TrimSpace(in.KBLIEdition)
	if p.KBLIEdition == "" {
		p.KBLIEdition = "2020"
	} else if !contains(KBLIEditions, p.KBLIEdition) {
		errs.Add("kbli_edition", "error.choose_option")
	}
	if p.KBLI == nil {
		p.KBLI = []string{}
	}
	p.ProvinceCode, p.RegencyCode = strings.TrimSpace(in.ProvinceCode), strings.TrimSpace(in.RegencyCode)
	if p.ProvinceCode != "" {
		if _, ok := regions.Province(p.ProvinceCode); !ok {
			errs.Add("province_code", "error.choose_option")
		}
	}
	if p.RegencyCode != "" {
		switch {
		case p.ProvinceCode == "":
			errs.Add("province_code", "error.province_first")
		case !regions.Valid(p.ProvinceCode, p.RegencyCode):
			errs.Add("regency_code", "error.regency_outside_province")
		}
	}
	if strings.TrimSpace(in.Phone) != "" {
		if p.Phone, ok = NormalizePhone(in.Phone); !ok {
			errs.Add("phone", "error.phone_invalid")
		}
	}
	if w := strings.TrimSpace(in.Workforce); w != "" {
		n, ok := parseWhole(w)
		if !ok || n < 1 || n > 100000 {
			errs.Add("workforce", "error.workforce_invalid")
		}
		p.Workforce = int(n)
	}
	return p, errs
}

// Missing lists the i18n keys of the profile fields still empty that a
// submission needs.
func (p Profile) Missing() []string {
	var m []string
	add := func(empty bool, field string) {
		if empty {
			m = append(m, field)
		}
	}
	add(p.LegalName == "", "legal_name")
	add(p.LegalForm == "", "legal_form")
	add(p.SizeClass == "", "size_class")
	add(p.NIB == "", "nib")
	add(p.NPWP == "", "npwp")
	add(len(p.KBLI) == 0, "kbli")
	add(p.ProvinceCode == "", "province_code")
	add(p.RegencyCode == "", "regency_code")
	add(p.Address == "", "address")
	add(p.Phone == "", "phone")
	add(p.Workforce == 0, "workforce")
	return m
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

const (
	profileSelectSQL = `SELECT organization_id AS org_id, legal_name, trading_name, legal_form, size_class, nib, npwp, kbli,
       kbli_edition, original_sector, coalesce(province_code, '') AS province_code,
       coalesce(regency_code, '') AS regency_code, address, phone, coalesce(workforce, 0) AS workforce,
       equipment, updated_at
  FROM supplier_profiles`
	profileSQL = profileSelectSQL + ` WHERE organization_id = $1`
	// profileOfApplicationSQL finds the organisation by the application
	// (an init plan), for a page that knows only the application's id.
	profileOfApplicationSQL = profileSelectSQL + ` WHERE organization_id = (SELECT organization_id FROM applications WHERE id = $1)`
)

// Profile returns the actor's organisation's profile; an empty one when
// nothing has been saved yet.
func (s *Store) Profile(ctx context.Context, a account.Actor) (Profile, error) {
	var p Profile
	err := s.db.ReadTx(ctx, a.Scope(), func(tx pgx.Tx) error {
		var err error
		p, err = profileIn(ctx, tx, a.OrgID)
		return err
	})
	if err != nil {
		return Profile{}, fmt.Errorf("supplier: profile of %d: %w", a.OrgID, err)
	}
	return p, nil
}

// ProfileOf reads organisation orgID's profile inside tx (for curation,
// which reads the applicant inside its own transaction).
func ProfileOf(ctx context.Context, tx pgx.Tx, orgID int64) (Profile, error) {
	return profileIn(ctx, tx, orgID)
}

func profileIn(ctx context.Context, tx pgx.Tx, orgID int64) (Profile, error) {
	rows, _ := tx.Query(ctx, profileSQL, orgID)
	p, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[Profile])
	if errors.Is(err, pgx.ErrNoRows) {
		return Profile{OrgID: orgID, KBLI: []string{}, KBLIEdition: "2020"}, nil
	}
	return p, err
}

const upsertProfileSQL = `INSERT INTO supplier_profiles AS p (organization_id, legal_name, trading_name, legal_form, size_class,
    nib, npwp, kbli, original_sector, province_code, regency_code, address, phone, workforce, equipment, updated_by, kbli_edition)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, nullif($10, ''), nullif($11, ''), $12, $13, nullif($14, 0), $15, $16, $17)
ON CONFLICT (organization_id) DO UPDATE SET
    legal_name = EXCLUDED.legal_name, trading_name = EXCLUDED.trading_name, legal_form = EXCLUDED.legal_form,
    size_class = EXCLUDED.size_class, nib = EXCLUDED.nib, npwp = EXCLUDED.npwp, kbli = EXCLUDED.kbli,
    kbli_edition = EXCLUDED.kbli_edition,
    original_sector = EXCLUDED.original_sector, province_code = EXCLUDED.province_code,
    regency_code = EXCLUDED.regency_code, address = EXCLUDED.address, phone = EXCLUDED.phone,
    workforce = EXCLUDED.workforce, equipment = EXCLUDED.equipment, updated_by = EXCLUDED.updated_by,
    updated_at = now()`

// SaveProfile stores the typed profile as it stands (a draft may be
// incomplete). Invalid input changes nothing and comes back as field
// errors. The profile cannot change while curators are looking at it.
func (s *Store) SaveProfile(ctx context.Context, a account.Actor, in ProfileInput) (Profile, error) {
	regions, err := s.regions.Load(ctx)
	if err != nil {
		return Profile{}, err
	}
	p, errs := in.Parse(regions)
	if errs.Any() {
		return p, errs
	}
	err = s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		app, err := activeApplication(ctx, tx, a.OrgID)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if err == nil && !app.Status.Editable() {
			return ErrNotEditable
		}
		if _, err := tx.Exec(ctx, upsertProfileSQL, a.OrgID, p.LegalName, p.TradingName, p.LegalForm, p.SizeClass,
			p.NIB, p.NPWP, p.KBLI, p.OriginalSector, p.ProvinceCode, p.RegencyCode, p.Address, p.Phone,
			p.Workforce, p.Equipment, a.UserID, p.KBLIEdition); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: a.OrgID,
			Action: "supplier.profile_saved", SubjectType: "organization", SubjectID: a.OrgID})
	})
	if err != nil {
		return p, fmt.Errorf("supplier: save profile of %d: %w", a.OrgID, err)
	}
	p.OrgID = a.OrgID
	return p, nil
}
