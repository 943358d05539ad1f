package demo

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/listing"
	"pasokan/internal/supplier"
)

// The story goes in a chunk of suppliers at a time, one multi-row INSERT
// per table, each row set passed as arrays and unnested: COPY is refused
// on tables under row-level security, and a statement per row would take
// hours at national scale. The seed runs in system scope, which the
// policies and the applications guard let through; every CHECK applies.

// inserter writes a story a unit at a time (units), each unit in a
// transaction of its own.
type inserter struct {
	db    *database.DB
	units units
	// tx is the transaction of the unit being written.
	tx   pgx.Tx
	hash string
	// The named demo organisations and people the story refers to.
	curatorOrg, curatorUser, ministryOrg, adminUser int64
	demoOrg, demoUser                               int64
	// curators are the curation bodies: the demo partner first, then the
	// regional ones of a story larger than 2020's.
	curators []curatorRef
	// rows counts inserted rows per table.
	rows map[string]int64
	// pairs keeps, for the members of duplicate pairs, their organisation,
	// application and first submission.
	pairs map[int]pairMember
	plan  *plan
	// cal moves the story's moments into the present.
	cal calendar
	// stages are the temporary tables made for copying (orderinsert.go).
	stages map[string]bool
}

type pairMember struct {
	org, app  int64
	submitted time.Time
	// slug finds org and app of a member written by a seed before.
	slug string
}

// curatorOf is the curation body of supplier s.
func (in *inserter) curatorOf(s *supplierData) curatorRef {
	return in.curators[curatorIndex(in.plan.n, s.profile.ProvinceCode)]
}

func (in *inserter) exec(ctx context.Context, table, sql string, args ...any) error {
	tag, err := in.tx.Exec(ctx, sql, args...)
	if err != nil {
		return fmt.Errorf("insert %s: %w", table, err)
	}
	in.rows[table] += tag.RowsAffected()
	return nil
}

// insertReturning runs an INSERT ... RETURNING and hands each returned
// row, read into a T by column name, to use.
func insertReturning[T any](ctx context.Context, in *inserter, table, sql string, args []any, use func(T)) error {
	rows, err := in.tx.Query(ctx, sql, args...)
	if err != nil {
		return fmt.Errorf("insert %s: %w", table, err)
	}
	defer rows.Close()
	n := int64(0)
	for rows.Next() {
		r, err := pgx.RowToStructByName[T](rows)
		if err != nil {
			return fmt.Errorf("insert %s: %w", table, err)
		}
		use(r)
		n++
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("insert %s: %w", table, err)
	}
	in.rows[table] += n
	return nil
}

const insertOrgsSQL = `INSERT INTO organizations (kind, name, slug, created_at)
SELECT 'supplier', n, s, c FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS t(n, s, c)
RETURNING id, slug`

const insertUsersSQL = `INSERT INTO users (email, name, password_hash, created_at, updated_at)
SELECT e, n, $3, c, c FROM unnest($1::text[], $2::text[], $4::timestamptz[]) AS t(e, n, c)
RETURNING id, email`

const insertMembershipsSQL = `INSERT INTO memberships (organization_id, user_id, role, created_at)
SELECT o, u, 'owner', c FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[]) AS t(o, u, c)`

const insertProfilesSQL = `INSERT INTO supplier_profiles (organization_id, legal_name, trading_name, legal_form, size_class,
    nib, npwp, kbli, kbli_edition, original_sector, province_code, regency_code, address, phone, workforce, equipment,
    updated_at, updated_by)
SELECT o, ln, tn, lf, sc, nib, npwp, string_to_array(kbli, ','), '2017', sec, pc, rc, addr, ph, nullif(wf, 0), eq, ua, ub
  FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
              $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::int[], $15::text[],
              $16::timestamptz[], $17::bigint[])
    AS t(o, ln, tn, lf, sc, nib, npwp, kbli, sec, pc, rc, addr, ph, wf, eq, ua, ub)`

const insertApplicationsSQL = `INSERT INTO applications (organization_id, programme, status, version, submissions,
    submitted_at, decided_at, assigned_org_id, assigned_user_id, created_at, updated_at)
SELECT o, $11, st, v, subs, sa, da, nullif(ao, 0), nullif(au, 0), ca, ua
  FROM unnest($1::bigint[], $2::text[], $3::int[], $4::int[], $5::timestamptz[], $6::timestamptz[],
              $7::bigint[], $8::bigint[], $9::timestamptz[], $10::timestamptz[])
    AS t(o, st, v, subs, sa, da, ao, au, ca, ua)
RETURNING id, organization_id`

const insertProductsSQL = `INSERT INTO application_products (application_id, organization_id, product_type,
    monthly_capacity, lead_time_days, price_min, price_max, materials, material_needs, permit_number, curation, created_at, updated_at)
SELECT a, o, pt, cap, nullif(lt, 0), pmin, pmax, mat, need, pn, cu, ca, ca
  FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::int[], $5::int[], $6::bigint[], $7::bigint[],
              $8::text[], $9::text[], $10::text[], $11::timestamptz[], $12::text[])
    AS t(a, o, pt, cap, lt, pmin, pmax, mat, need, pn, ca, cu)
RETURNING id, application_id, product_type`

const insertDocumentsSQL = `INSERT INTO documents (organization_id, application_id, application_product_id, kind,
    file_name, content_type, size_bytes, sha256, width, height, taken_on, data, uploaded_by, created_at, removed_at)
SELECT o, a, nullif(ap, 0), k, fn, ct, sz, sha, nullif(w, 0), nullif(h, 0), tk, d, ub, ca, ra
  FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::int[], $8::bytea[],
              $9::int[], $10::int[], $11::date[], $12::bytea[], $13::bigint[], $14::timestamptz[], $15::timestamptz[])
    AS t(o, a, ap, k, fn, ct, sz, sha, w, h, tk, d, ub, ca, ra)
RETURNING id, organization_id, sha256`

const insertEventsSQL = `INSERT INTO application_events (application_id, organization_id, actor_user_id, actor_org_id,
    action, from_status, to_status, version, reason, detail, occurred_at)
SELECT a, o, nullif(au, 0), nullif(ao, 0), ac, fs, ts, v, re, de::jsonb, oc
  FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::int[],
              $9::text[], $10::text[], $11::timestamptz[])
    AS t(a, o, au, ao, ac, fs, ts, v, re, de, oc)`

const insertSnapshotsSQL = `INSERT INTO application_snapshots (application_id, submission, organization_id, snapshot, submitted_at)
SELECT a, s, o, j::jsonb, sa FROM unnest($1::bigint[], $2::int[], $3::bigint[], $4::text[], $5::timestamptz[]) AS t(a, s, o, j, sa)`

const insertFlagsSQL = `INSERT INTO application_flags (application_id, organization_id, submission, target, target_key,
    reason, created_by, created_at)
SELECT a, o, s, tg, tk, re, cb, ca
  FROM unnest($1::bigint[], $2::bigint[], $3::int[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::timestamptz[])
    AS t(a, o, s, tg, tk, re, cb, ca)`

const insertSamplesSQL = `INSERT INTO samples (application_id, organization_id, curator_org_id, product_type, requested_by,
    requested_at, note, received_at, tested_at, result, result_note)
SELECT a, o, co, pt, ru, ra, no, rc, te, re, rn
  FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::timestamptz[], $7::text[],
              $8::timestamptz[], $9::timestamptz[], $10::text[], $11::text[])
    AS t(a, o, co, ru, pt, ra, no, rc, te, re, rn)
RETURNING id, application_id`

const insertReviewsSQL = `INSERT INTO reviews (application_id, organization_id, curator_org_id, curator_user_id, submission,
    product_type, checklist_id, answers, score, passed, decision, notes, created_at)
SELECT a, o, co, cu, s, nullif(pt, ''), cl, an::jsonb, sc, pa, de, no, ca
  FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::int[], $6::text[], $7::bigint[], $8::text[],
              $9::int[], $10::boolean[], $11::text[], $12::text[], $13::timestamptz[])
    AS t(a, o, co, cu, s, pt, cl, an, sc, pa, de, no, ca)`

const insertCertificatesSQL = `INSERT INTO certificates (code, application_id, organization_id, curator_org_id, submission,
    content, issued_at, revoked_at, revoked_reason)
SELECT co, a, o, cg, s, ct::jsonb, ia, ra, rr
  FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::int[], $6::text[], $7::timestamptz[],
              $8::timestamptz[], $9::text[])
    AS t(co, a, o, cg, s, ct, ia, ra, rr)`

const insertSignalsSQL = `INSERT INTO signals (application_id, organization_id, kind, other_organization_id, created_at)
SELECT a, o, k, oo, ca FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::timestamptz[]) AS t(a, o, k, oo, ca)`

// chunk inserts the suppliers of one chunk: organisations, owners,
// memberships, profiles, applications, products (with their curation
// outcome), documents, samples, events, snapshots, flags, reviews and
// certificates.
func (in *inserter) chunk(ctx context.Context, list []*supplierData) error {
	for _, s := range list {
		if s.index == 0 {
			s.orgID, s.userID = in.demoOrg, in.demoUser
		}
	}
	if err := in.accounts(ctx, list); err != nil {
		return err
	}
	if err := in.profiles(ctx, list); err != nil {
		return err
	}
	if err := in.applications(ctx, list); err != nil {
		return err
	}
	productIDs, err := in.products(ctx, list)
	if err != nil {
		return err
	}
	if err := in.documents(ctx, list, productIDs); err != nil {
		return err
	}
	sampleIDs, err := in.samples(ctx, list)
	if err != nil {
		return err
	}
	if err := in.events(ctx, list, sampleIDs); err != nil {
		return err
	}
	if err := in.snapshots(ctx, list, productIDs); err != nil {
		return err
	}
	if err := in.flags(ctx, list); err != nil {
		return err
	}
	if err := in.reviews(ctx, list); err != nil {
		return err
	}
	if err := in.certificates(ctx, list); err != nil {
		return err
	}
	// The curated are listed as curation.Decide lists them.
	var apps []int64
	for _, s := range list {
		if s.appID != 0 {
			apps = append(apps, s.appID)
		}
	}
	if err := listing.Sync(ctx, in.tx, apps...); err != nil {
		return err
	}
	in.remember(list)
	return nil
}

// remember keeps the members of duplicate pairs among list for signals:
// their ids once written here, their slugs when a seed before wrote them.
func (in *inserter) remember(list []*supplierData) {
	for _, s := range list {
		if _, ok := in.plan.copies[s.index]; ok || in.plan.sources[s.index] {
			in.pairs[s.index] = pairMember{org: s.orgID, app: s.appID, submitted: s.path.submitted[0], slug: s.slug}
		}
	}
}

func (in *inserter) accounts(ctx context.Context, list []*supplierData) error {
	var names, slugs, emails, owners []string
	var created []time.Time
	bySlug, byEmail := map[string]*supplierData{}, map[string]*supplierData{}
	for _, s := range list {
		if s.orgID != 0 {
			continue
		}
		names, slugs, emails, owners = append(names, s.name), append(slugs, s.slug), append(emails, s.email), append(owners, s.owner)
		created = append(created, s.registered)
		bySlug[s.slug], byEmail[s.email] = s, s
	}
	if len(names) == 0 {
		return nil
	}
	if err := insertReturning(ctx, in, "organizations", insertOrgsSQL, []any{names, slugs, created}, func(r struct {
		ID   int64
		Slug string
	}) {
		bySlug[r.Slug].orgID = r.ID
	}); err != nil {
		return err
	}
	if err := insertReturning(ctx, in, "users", insertUsersSQL, []any{emails, owners, in.hash, created}, func(r struct {
		ID    int64
		Email string
	}) {
		byEmail[r.Email].userID = r.ID
	}); err != nil {
		return err
	}
	orgs, users := make([]int64, 0, len(names)), make([]int64, 0, len(names))
	for _, slug := range slugs {
		orgs, users = append(orgs, bySlug[slug].orgID), append(users, bySlug[slug].userID)
	}
	return in.exec(ctx, "memberships", insertMembershipsSQL, orgs, users, created)
}

func (in *inserter) profiles(ctx context.Context, list []*supplierData) error {
	n := len(list)
	var (
		orgs, by                                            = make([]int64, 0, n), make([]int64, 0, n)
		legal, trading, form, size, nib, npwp, kbli, sector []string
		prov, reg, addr, phone, equipment                   []string
		staff                                               = make([]int32, 0, n)
		updated                                             = make([]time.Time, 0, n)
	)
	for _, s := range list {
		p := s.profile
		orgs, by = append(orgs, s.orgID), append(by, s.userID)
		legal, trading, form, size = append(legal, p.LegalName), append(trading, p.TradingName), append(form, p.LegalForm), append(size, p.SizeClass)
		nib, npwp, kbli, sector = append(nib, p.NIB), append(npwp, p.NPWP), append(kbli, strings.Join(p.KBLI, ",")), append(sector, p.OriginalSector)
		prov, reg, addr, phone = append(prov, p.ProvinceCode), append(reg, p.RegencyCode), append(addr, p.Address), append(phone, p.Phone)
		staff, equipment, updated = append(staff, int32(p.Workforce)), append(equipment, p.Equipment), append(updated, p.UpdatedAt)
	}
	return in.exec(ctx, "supplier_profiles", insertProfilesSQL, orgs, legal, trading, form, size, nib, npwp, kbli,
		sector, prov, reg, addr, phone, staff, equipment, updated, by)
}

func (in *inserter) applications(ctx context.Context, list []*supplierData) error {
	n := len(list)
	var (
		orgs, assignedOrg, assignedUser = make([]int64, 0, n), make([]int64, 0, n), make([]int64, 0, n)
		status                          = make([]string, 0, n)
		version, subs                   = make([]int32, 0, n), make([]int32, 0, n)
		submitted, decided              = make([]*time.Time, 0, n), make([]*time.Time, 0, n)
		created, updated                = make([]time.Time, 0, n), make([]time.Time, 0, n)
	)
	byOrg := make(map[int64]*supplierData, n)
	for _, s := range list {
		p := s.path
		byOrg[s.orgID] = s
		orgs, status = append(orgs, s.orgID), append(status, string(p.status))
		version, subs = append(version, int32(p.version)), append(subs, int32(len(p.submitted)))
		var sub *time.Time
		var ao, au int64
		if k := len(p.submitted); k > 0 {
			sub, ao = &p.submitted[k-1], in.curatorOf(s).org
		}
		if p.claimed {
			au = in.curatorOf(s).user
		}
		submitted, decided = append(submitted, sub), append(decided, p.decidedAt)
		assignedOrg, assignedUser = append(assignedOrg, ao), append(assignedUser, au)
		created, updated = append(created, p.createdAt), append(updated, p.updatedAt)
	}
	return insertReturning(ctx, in, "applications", insertApplicationsSQL,
		[]any{orgs, status, version, subs, submitted, decided, assignedOrg, assignedUser, created, updated, supplier.Programme},
		func(r struct{ ID, OrganizationID int64 }) {
			byOrg[r.OrganizationID].appID = r.ID
		})
}

// productKey finds a product's id by application and type.
type productKey struct {
	app int64
	typ string
}

func (in *inserter) products(ctx context.Context, list []*supplierData) (map[productKey]int64, error) {
	var (
		apps, orgs, pmin, pmax []int64
		types, mat, need, pn   []string
		outcome                []string
		capacity, lead         []int32
		created                []time.Time
	)
	for _, s := range list {
		for _, p := range s.products {
			outcome = append(outcome, s.curation[p.Type])
			apps, orgs, types = append(apps, s.appID), append(orgs, s.orgID), append(types, p.Type)
			capacity, lead = append(capacity, int32(p.MonthlyCapacity)), append(lead, int32(p.LeadTimeDays))
			pmin, pmax = append(pmin, p.PriceMin), append(pmax, p.PriceMax)
			mat, need, pn, created = append(mat, p.Materials), append(need, p.MaterialNeeds), append(pn, p.PermitNumber), append(created, s.productAt)
		}
	}
	ids := make(map[productKey]int64, len(apps))
	err := insertReturning(ctx, in, "application_products", insertProductsSQL,
		[]any{apps, orgs, types, capacity, lead, pmin, pmax, mat, need, pn, created, outcome},
		func(r struct {
			ID, ApplicationID int64
			ProductType       string
		}) {
			ids[productKey{r.ApplicationID, r.ProductType}] = r.ID
		})
	return ids, err
}

func (in *inserter) documents(ctx context.Context, list []*supplierData, productIDs map[productKey]int64) error {
	var (
		orgs, apps, prods, by  []int64
		kinds, names, types    []string
		sizes, widths, heights []int32
		shas, data             [][]byte
		taken, removed         []*time.Time
		created                []time.Time
		docs                   = map[string]*document{}
	)
	for _, s := range list {
		for j := range s.docs {
			d := &s.docs[j]
			orgs, apps, by = append(orgs, s.orgID), append(apps, s.appID), append(by, s.userID)
			prods = append(prods, productIDs[productKey{s.appID, d.productType}])
			kinds, names, types = append(kinds, d.kind), append(names, d.fileName), append(types, d.contentType)
			sizes, widths, heights = append(sizes, int32(len(d.data))), append(widths, int32(d.width)), append(heights, int32(d.height))
			shas = append(shas, d.sha[:])
			if d.removedAt != nil {
				data = append(data, nil) // a removed document keeps no bytes
			} else {
				data = append(data, d.data)
			}
			taken, removed, created = append(taken, d.takenOn), append(removed, d.removedAt), append(created, d.createdAt)
			docs[fmt.Sprint(s.orgID, hex.EncodeToString(d.sha[:]))] = d
		}
	}
	if len(orgs) == 0 {
		return nil
	}
	return insertReturning(ctx, in, "documents", insertDocumentsSQL,
		[]any{orgs, apps, prods, kinds, names, types, sizes, shas, widths, heights, taken, data, by, created, removed},
		func(r struct {
			ID, OrganizationID int64
			SHA256             []byte
		}) {
			if d := docs[fmt.Sprint(r.OrganizationID, hex.EncodeToString(r.SHA256))]; d != nil {
				d.id = r.ID
			}
		})
}

// samples writes the physical samples curators asked for, and returns
// their ids by application.
func (in *inserter) samples(ctx context.Context, list []*supplierData) (map[int64]int64, error) {
	var (
		apps, orgs, cOrgs, cUsers  []int64
		types, notes, results, rns []string
		requested                  []time.Time
		received, tested           []*time.Time
	)
	for _, s := range list {
		sm := s.path.sample
		if sm == nil {
			continue
		}
		c := in.curatorOf(s)
		cOrgs, cUsers = append(cOrgs, c.org), append(cUsers, c.user)
		apps, orgs, types, notes = append(apps, s.appID), append(orgs, s.orgID), append(types, sm.product), append(notes, sm.note)
		requested, received, tested = append(requested, sm.requested), append(received, sm.received), append(tested, sm.tested)
		results, rns = append(results, sm.result), append(rns, sm.resultNote)
	}
	ids := make(map[int64]int64, len(apps))
	if len(apps) == 0 {
		return ids, nil
	}
	err := insertReturning(ctx, in, "samples", insertSamplesSQL,
		[]any{apps, orgs, cOrgs, cUsers, types, requested, notes, received, tested, results, rns},
		func(r struct{ ID, ApplicationID int64 }) {
			ids[r.ApplicationID] = r.ID
		})
	return ids, err
}

// eventDetail is an event's detail, with the ids known only now.
func (in *inserter) eventDetail(s *supplierData, e event, sampleIDs map[int64]int64) string {
	switch {
	case e.action == "application.assigned":
		return fmt.Sprintf(`{"curator_org": %d}`, in.curatorOf(s).org)
	case e.action == "application.sample_requested":
		return fmt.Sprintf(`{"product_type": %q}`, s.path.sample.product)
	case e.sample:
		result := ""
		if e.action == "application.sample_tested" {
			result = s.path.sample.result
		}
		return fmt.Sprintf(`{"sample": %d, "result": %q}`, sampleIDs[s.appID], result)
	}
	return e.detail
}

func (in *inserter) events(ctx context.Context, list []*supplierData, sampleIDs map[int64]int64) error {
	var (
		apps, orgs, actorUsers, actorOrgs   []int64
		actions, from, to, reasons, details []string
		versions                            []int32
		at                                  []time.Time
	)
	for _, s := range list {
		for _, e := range s.path.events {
			u, o := s.userID, s.orgID
			switch e.actor {
			case actorCurator:
				c := in.curatorOf(s)
				u, o = c.user, c.org
			case actorMinistry:
				u, o = in.adminUser, in.ministryOrg
			case actorPortal:
				u, o = 0, 0
			}
			apps, orgs, actorUsers, actorOrgs = append(apps, s.appID), append(orgs, s.orgID), append(actorUsers, u), append(actorOrgs, o)
			actions, from, to = append(actions, e.action), append(from, string(e.from)), append(to, string(e.to))
			versions, reasons, details, at = append(versions, int32(e.version)), append(reasons, e.reason),
				append(details, in.eventDetail(s, e, sampleIDs)), append(at, e.at)
		}
	}
	return in.exec(ctx, "application_events", insertEventsSQL, apps, orgs, actorUsers, actorOrgs, actions, from, to,
		versions, reasons, details, at)
}

// snapshots writes what each submission held, as supplier.Submit does:
// the profile, the products and the documents of the moment.
func (in *inserter) snapshots(ctx context.Context, list []*supplierData, productIDs map[productKey]int64) error {
	var (
		apps, orgs []int64
		subs       []int32
		snaps      []string
		at         []time.Time
	)
	for _, s := range list {
		for k, sn := range s.snapshots {
			submission := k + 1
			prof := sn.profile
			prof.OrgID = s.orgID
			prods := slices.Clone(sn.products)
			for j := range prods {
				prods[j].ID = productIDs[productKey{s.appID, prods[j].Type}]
			}
			refs := []supplier.DocumentRef{}
			for _, d := range s.docs {
				if d.firstSub <= submission && (d.lastSub == 0 || submission <= d.lastSub) && d.firstSub > 0 {
					refs = append(refs, supplier.DocumentRef{ID: d.id, Kind: d.kind, FileName: d.fileName, SHA256: hex.EncodeToString(d.sha[:])})
				}
			}
			slices.SortFunc(refs, func(a, b supplier.DocumentRef) int { return int(a.ID - b.ID) })
			b, err := json.Marshal(supplier.Snapshot{Profile: prof, Products: prods, Documents: refs})
			if err != nil {
				return err
			}
			apps, orgs, subs = append(apps, s.appID), append(orgs, s.orgID), append(subs, int32(submission))
			snaps, at = append(snaps, string(b)), append(at, sn.at)
		}
	}
	if len(apps) == 0 {
		return nil
	}
	return in.exec(ctx, "application_snapshots", insertSnapshotsSQL, apps, subs, orgs, snaps, at)
}

func (in *inserter) flags(ctx context.Context, list []*supplierData) error {
	var (
		apps, orgs, by         []int64
		subs                   []int32
		targets, keys, reasons []string
		at                     []time.Time
	)
	for _, s := range list {
		for _, rd := range s.path.rounds {
			for _, f := range rd.flaws {
				by = append(by, in.curatorOf(s).user)
				apps, orgs, subs = append(apps, s.appID), append(orgs, s.orgID), append(subs, int32(rd.submission))
				targets, keys, reasons, at = append(targets, f.target), append(keys, f.key), append(reasons, f.reason), append(at, rd.at)
			}
		}
	}
	if len(apps) == 0 {
		return nil
	}
	return in.exec(ctx, "application_flags", insertFlagsSQL, apps, orgs, subs, targets, keys, reasons, by, at)
}

// reviews writes the curators' checklists of every decision.
func (in *inserter) reviews(ctx context.Context, list []*supplierData) error {
	var (
		apps, orgs, checklists, cOrgs, cUsers []int64
		subs, scores                          []int32
		types, answers, decisions, notes      []string
		passed                                []bool
		at                                    []time.Time
	)
	for _, s := range list {
		c := in.curatorOf(s)
		for _, r := range s.reviews {
			cOrgs, cUsers = append(cOrgs, c.org), append(cUsers, c.user)
			apps, orgs, subs, types = append(apps, s.appID), append(orgs, s.orgID), append(subs, int32(r.submission)), append(types, r.product)
			checklists, answers, scores, passed = append(checklists, r.checklistID), append(answers, r.answers), append(scores, int32(r.score)), append(passed, r.passed)
			decisions, notes, at = append(decisions, r.decision), append(notes, r.notes), append(at, r.at)
		}
	}
	if len(apps) == 0 {
		return nil
	}
	return in.exec(ctx, "reviews", insertReviewsSQL, apps, orgs, cOrgs, cUsers, subs, types, checklists,
		answers, scores, passed, decisions, notes, at)
}

// certificates writes the certificates of the curations.
func (in *inserter) certificates(ctx context.Context, list []*supplierData) error {
	var (
		codes, contents, reasons []string
		apps, orgs, cOrgs        []int64
		subs                     []int32
		issued                   []time.Time
		revoked                  []*time.Time
	)
	for _, s := range list {
		c := s.cert
		if c == nil {
			continue
		}
		cOrgs = append(cOrgs, in.curatorOf(s).org)
		codes, apps, orgs, subs = append(codes, c.code), append(apps, s.appID), append(orgs, s.orgID), append(subs, int32(c.submission))
		contents, issued, revoked, reasons = append(contents, c.content), append(issued, c.issued), append(revoked, c.revoked), append(reasons, c.reason)
	}
	if len(codes) == 0 {
		return nil
	}
	return in.exec(ctx, "certificates", insertCertificatesSQL, codes, apps, orgs, cOrgs, subs, contents, issued, revoked, reasons)
}

// signals records the deliberate duplicates on both applications, as the
// portal does after a submission finds them.
func (in *inserter) signals(ctx context.Context) error {
	var slugs []string
	for _, m := range in.pairs {
		if m.app == 0 {
			slugs = append(slugs, m.slug)
		}
	}
	if len(slugs) > 0 {
		rows, _ := in.tx.Query(ctx, `SELECT o.slug, o.id AS org, a.id AS app
  FROM organizations o JOIN applications a ON a.organization_id = o.id WHERE o.slug = ANY($1)`, slugs)
		found, err := database.CollectRows[struct {
			Slug     string
			Org, App int64
		}](rows)
		if err != nil {
			return fmt.Errorf("demo: the pairs written before: %w", err)
		}
		bySlug := make(map[string]int, len(found))
		for i, f := range found {
			bySlug[f.Slug] = i
		}
		for k, m := range in.pairs {
			if i, ok := bySlug[m.slug]; ok && m.app == 0 {
				m.org, m.app = found[i].Org, found[i].App
				in.pairs[k] = m
			}
		}
	}
	var (
		apps, orgs, others []int64
		kinds              []string
		at                 []time.Time
	)
	for _, p := range in.plan.pairs {
		a, b := in.pairs[p.a], in.pairs[p.b]
		if a.app == 0 || b.app == 0 {
			return fmt.Errorf("demo: the pair %s/%s is not in the database", a.slug, b.slug)
		}
		when := b.submitted
		if a.submitted.After(when) {
			when = a.submitted
		}
		apps, orgs, others, kinds, at = append(apps, a.app, b.app), append(orgs, a.org, b.org), append(others, b.org, a.org),
			append(kinds, p.kind, p.kind), append(at, when, when)
	}
	if len(apps) == 0 {
		return nil
	}
	return in.exec(ctx, "signals", insertSignalsSQL, apps, orgs, kinds, others, at)
}
