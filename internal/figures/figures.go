// Package figures reads the ministry's national dashboard (issue 12) from
// the figures that triggers keep as things change (migration 0031:
// application_figures, product_figures, weekly_figures; with
// organization_counts and application_counts before them), and the lists
// behind each figure. A view of the dashboard reads a few hundred rows of
// figures, whatever the number of suppliers and orders; a list behind a
// figure walks that figure's rows only.
package figures

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
	"pasokan/internal/i18n"
)

// Statuses are the application statuses the dashboard shows, in the order
// of the journey; "waiting" are the two a curator still has to decide.
var Statuses = []string{"draft", "submitted", "in_review", "revision_requested", "curated", "rejected", "suspended"}

// Waiting are the statuses of applications waiting for a curator.
var Waiting = []string{"submitted", "in_review"}

// StatusWaiting names, in a list's query, the applications of every
// waiting status.
const StatusWaiting = "waiting"

// Weeks is how many weeks the trends show.
const Weeks = 12

// Province is one province's applications by status.
type Province struct {
	Code     string
	ByStatus map[string]int
}

// Total is the province's applications of every status.
func (p Province) Total() int {
	n := 0
	for _, v := range p.ByStatus {
		n += v
	}
	return n
}

// Product is one product's supply against demand.
type Product struct {
	Type     string `db:"product_type"`
	Listed   int    `db:"listed"`
	Capacity int64  `db:"capacity"`
	Demanded int64  `db:"demanded"`
	Ordered  int64  `db:"ordered"`
	Shipped  int64  `db:"shipped"`
	Accepted int64  `db:"accepted"`
}

// Week is one week's figures, by metric.
type Week struct {
	Monday time.Time
	N      map[string]int64
}

// Curator is one curator organisation's funnel: its applications by
// status.
type Curator struct {
	OrgID    int64
	Name     string
	ByStatus map[string]int
}

// National is the dashboard.
type National struct {
	Suppliers int
	// ByStatus sums the provinces.
	ByStatus  map[string]int
	Provinces []Province
	Products  []Product
	Weeks     []Week
	Curators  []Curator
	// OldestWaiting is when the application waiting longest was
	// submitted, per waiting status (absent when none waits).
	OldestWaiting map[string]time.Time
	// Materials and Permits count the open support requests by status.
	Materials map[string]int
	Permits   map[string]int
}

// Reached is how many provinces have a supplier with an application.
func (n National) Reached() int {
	c := 0
	for _, p := range n.Provinces {
		if p.Code != "" && p.Total() > 0 {
			c++
		}
	}
	return c
}

// WaitingCount is how many applications wait for a curator.
func (n National) WaitingCount() int {
	c := 0
	for _, s := range Waiting {
		c += n.ByStatus[s]
	}
	return c
}

// Store reads the dashboard.
type Store struct {
	db *database.DB
	// Now is the clock (tests move it); nil is time.Now.
	Now func() time.Time
}

// NewStore returns a Store.
func NewStore(db *database.DB) *Store { return &Store{db: db} }

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Monday is the Monday (WIB) of t's week, as the figures' weeks are.
func Monday(t time.Time) time.Time {
	y, m, d := t.In(i18n.WIB).Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
}

// oldestSQL seeks the first application of each waiting status along
// applications_queue_idx.
const oldestSQL = `SELECT w.status, (SELECT a.submitted_at FROM applications a
        WHERE a.status = w.status AND a.submitted_at IS NOT NULL ORDER BY a.submitted_at LIMIT 1) AS oldest
  FROM unnest($1::text[]) AS w (status)`

// openSQL reads how many of the ministry's support requests of a kind
// (material, permit) are in each of the open statuses, as support_figures
// keeps them (migration 0056); a status none is in reads 0.
const openSQL = `SELECT st.status, coalesce(f.n, 0) AS n
  FROM unnest($2::text[]) AS st (status) LEFT JOIN support_figures f ON f.kind = $1 AND f.status = st.status`

// National reads the dashboard in one round trip, as the ministry.
func (s *Store) National(ctx context.Context, a account.Actor) (National, error) {
	if a.Kind != account.KindMinistry {
		return National{}, database.ErrNotFound
	}
	n := National{ByStatus: map[string]int{}, OldestWaiting: map[string]time.Time{}, Materials: map[string]int{}, Permits: map[string]int{}}
	from := Monday(s.now()).AddDate(0, 0, -7*(Weeks-1))
	b := &pgx.Batch{}
	b.Queue(`SELECT coalesce(sum(n), 0)::int FROM organization_counts WHERE kind = 'supplier'`).QueryRow(func(r pgx.Row) error {
		return r.Scan(&n.Suppliers)
	})
	b.Queue(`SELECT province_code, status, n FROM application_figures WHERE n <> 0 ORDER BY province_code, status`).Query(func(rows pgx.Rows) error {
		counts, err := database.CollectRows[count](rows)
		for _, c := range counts {
			if len(n.Provinces) == 0 || n.Provinces[len(n.Provinces)-1].Code != c.Key {
				n.Provinces = append(n.Provinces, Province{Code: c.Key, ByStatus: map[string]int{}})
			}
			n.Provinces[len(n.Provinces)-1].ByStatus[c.Status] += c.N
			n.ByStatus[c.Status] += c.N
		}
		return err
	})
	b.Queue(`SELECT product_type, listed, capacity, demanded, ordered, shipped, accepted FROM product_figures
 WHERE listed <> 0 OR demanded <> 0 OR ordered <> 0 ORDER BY product_type`).Query(database.Rows(&n.Products))
	b.Queue(`SELECT week, metric, n FROM weekly_figures WHERE week >= $1 ORDER BY week`, from).Query(func(rows pgx.Rows) error {
		for i := range Weeks {
			n.Weeks = append(n.Weeks, Week{Monday: from.AddDate(0, 0, 7*i), N: map[string]int64{}})
		}
		type weekly struct {
			Week   time.Time `db:"week"`
			Metric string    `db:"metric"`
			N      int64     `db:"n"`
		}
		ws, err := database.CollectRows[weekly](rows)
		for _, w := range ws {
			if i := int(w.Week.Sub(from).Hours() / 24 / 7); i >= 0 && i < Weeks {
				n.Weeks[i].N[w.Metric] += w.N
			}
		}
		return err
	})
	b.Queue(`SELECT c.assigned_org_id AS org_id, o.name, c.status, c.n FROM application_counts c
  JOIN organizations o ON o.id = c.assigned_org_id
 WHERE c.n <> 0 ORDER BY o.name, c.assigned_org_id`).Query(func(rows pgx.Rows) error {
		type curatorCount struct {
			OrgID  int64  `db:"org_id"`
			Name   string `db:"name"`
			Status string `db:"status"`
			N      int    `db:"n"`
		}
		cs, err := database.CollectRows[curatorCount](rows)
		for _, c := range cs {
			if len(n.Curators) == 0 || n.Curators[len(n.Curators)-1].OrgID != c.OrgID {
				n.Curators = append(n.Curators, Curator{OrgID: c.OrgID, Name: c.Name, ByStatus: map[string]int{}})
			}
			n.Curators[len(n.Curators)-1].ByStatus[c.Status] = c.N
		}
		return err
	})
	b.Queue(oldestSQL, Waiting).Query(func(rows pgx.Rows) error {
		type oldest struct {
			Status string     `db:"status"`
			Oldest *time.Time `db:"oldest"`
		}
		olds, err := database.CollectRows[oldest](rows)
		for _, o := range olds {
			if o.Oldest != nil {
				n.OldestWaiting[o.Status] = *o.Oldest
			}
		}
		return err
	})
	b.Queue(openSQL, "material", []string{"requested", "sourcing"}).Query(countsInto(n.Materials))
	b.Queue(openSQL, "permit", []string{"requested", "documents_complete", "submitted", "questions"}).Query(countsInto(n.Permits))
	if err := s.db.Stale(ctx).ReadBatch(ctx, a.Scope(), b); err != nil {
		return National{}, fmt.Errorf("figures: national: %w", err)
	}
	return n, nil
}

// count is one kept figure: a key (a province), a status and how many.
type count struct {
	Key    string `db:"province_code"`
	Status string `db:"status"`
	N      int    `db:"n"`
}

func countsInto(m map[string]int) func(pgx.Rows) error {
	return func(rows pgx.Rows) error {
		type statusCount struct {
			Status string `db:"status"`
			N      int    `db:"n"`
		}
		cs, err := database.CollectRows[statusCount](rows)
		for _, c := range cs {
			m[c.Status] = c.N
		}
		return err
	}
}

// Supplier is one row behind a province's figure: an application and its
// supplier.
type Supplier struct {
	ApplicationID int64      `db:"application_id"`
	OrgID         int64      `db:"organization_id"`
	Name          string     `db:"name"`
	ProvinceCode  string     `db:"province_code"`
	RegencyCode   string     `db:"regency_code"`
	Status        string     `db:"status"`
	SubmittedAt   *time.Time `db:"submitted_at"`
	DecidedAt     *time.Time `db:"decided_at"`
}

// NoProvince names, in a list's query, the applications of suppliers who
// have not said their province yet (the figures' province "").
const NoProvince = "-"

// MaxList bounds a list behind a figure, and its files.
const MaxList = 100_000

// SupplierFilter names the figure a list is behind: a province's figure of
// one status (an empty province: every province; NoProvince: none given;
// an empty status: every status), or a curator organisation's.
type SupplierFilter struct {
	Province, Status string
	// Curator narrows the list to the applications assigned to one
	// curator organisation (the curation funnel).
	Curator int64
	// CuratedWeek narrows it to the applications curated in a week (its
	// Monday, WIB): the week's figure of curations, found along the
	// audit trail's action index.
	CuratedWeek time.Time
	// After starts the list after this application (a page's last).
	After int64
}

// Suppliers lists the applications behind a figure, by application, up to
// limit (at most MaxList). A province walks application_places along
// (province, status, application), a walk per status that stops after its
// page; a curator organisation its applications (applications_assigned_idx);
// the whole country walks the applications of the status. also adds the
// page's other reads to the same round trip (the curator organisation's
// name); an unknown status reads nothing.
func (s *Store) Suppliers(ctx context.Context, a account.Actor, f SupplierFilter, limit int, also ...func(*pgx.Batch)) ([]Supplier, error) {
	if a.Kind != account.KindMinistry {
		return nil, database.ErrNotFound
	}
	province, status := f.Province, f.Status
	if status != "" && status != StatusWaiting && !slices.Contains(Statuses, status) {
		return nil, nil
	}
	limit = min(max(limit, 1), MaxList)
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	statuses := []string{status}
	switch status {
	case "":
		statuses = nil
	case StatusWaiting:
		statuses = Waiting
	}
	from := `applications a`
	if province != "" {
		// The province's applications of each status, each walk stopping
		// after the page: the rows are the page's first of their union.
		if province == NoProvince {
			province = ""
		}
		p := arg(province)
		walk := func(st string) string {
			w := `(SELECT x.application_id FROM application_places x WHERE x.province_code = ` + p
			if st != "" {
				w += ` AND x.status = ` + arg(st)
			}
			if f.After > 0 {
				w += ` AND x.application_id > ` + arg(f.After)
			}
			return w + ` ORDER BY x.application_id LIMIT ` + strconv.Itoa(limit) + `)`
		}
		walks := []string{walk("")}
		if len(statuses) > 0 {
			walks = nil
			for _, st := range statuses {
				walks = append(walks, walk(st))
			}
		}
		from = `(` + strings.Join(walks, " UNION ALL ") + `) x JOIN applications a ON a.id = x.application_id`
	} else {
		if f.After > 0 {
			where = append(where, `a.id > `+arg(f.After))
		}
		switch len(statuses) {
		case 0:
		case 1:
			where = append(where, `a.status = `+arg(statuses[0]))
		default:
			where = append(where, `a.status IN ('`+strings.Join(statuses, "', '")+`')`)
		}
	}
	if f.Curator > 0 {
		where = append(where, `a.assigned_org_id = `+arg(f.Curator))
	}
	if !f.CuratedWeek.IsZero() {
		y, m, d := f.CuratedWeek.Date()
		monday := time.Date(y, m, d, 0, 0, 0, 0, i18n.WIB)
		where = append(where, `a.id IN (SELECT e.subject_id FROM audit_events e WHERE e.action = 'application.curated'
   AND e.occurred_at >= `+arg(monday)+` AND e.occurred_at < `+arg(monday.AddDate(0, 0, 7))+`)`)
	}
	q := `SELECT a.id AS application_id, a.organization_id, o.name, coalesce(p.province_code, '') AS province_code,
       coalesce(p.regency_code, '') AS regency_code, a.status, a.submitted_at, a.decided_at
  FROM ` + from + ` JOIN organizations o ON o.id = a.organization_id
  LEFT JOIN supplier_profiles p ON p.organization_id = a.organization_id`
	for i, w := range where {
		if i == 0 {
			q += " WHERE " + w
		} else {
			q += " AND " + w
		}
	}
	q += ` ORDER BY a.id LIMIT ` + strconv.Itoa(limit)
	var out []Supplier
	b := &pgx.Batch{}
	b.Queue(q, args...).Query(database.Rows(&out))
	for _, queue := range also {
		queue(b)
	}
	if err := s.db.Stale(ctx).ReadBatch(ctx, a.Scope(), b); err != nil {
		return nil, fmt.Errorf("figures: suppliers of %q %q: %w", f.Province, status, err)
	}
	return out, nil
}

// EntryCursor names the last entry of a page of entries, in their order
// (by name, then id); the zero cursor starts at the first.
type EntryCursor struct {
	Name string
	ID   int64
}

// Entry is one row behind a product's figures of supply: a supplier's
// listed product.
type Entry struct {
	ID           int64  `db:"id"`
	OrgID        int64  `db:"organization_id"`
	Name         string `db:"name"`
	ProvinceCode string `db:"province_code"`
	RegencyCode  string `db:"regency_code"`
	SizeClass    string `db:"size_class"`
	Capacity     int    `db:"monthly_capacity"`
}

// Entries lists the catalogue's entries of a product, by name, along
// catalog_entries_product_name_idx, up to limit (at most MaxList): the
// rows behind the product's suppliers listed and capacity.
func (s *Store) Entries(ctx context.Context, a account.Actor, productType string, after EntryCursor, limit int) ([]Entry, error) {
	if a.Kind != account.KindMinistry {
		return nil, database.ErrNotFound
	}
	limit = min(max(limit, 1), MaxList)
	var out []Entry
	q, args := `SELECT id, organization_id, name, province_code, regency_code, size_class, monthly_capacity
  FROM catalog_entries WHERE product_type = $1`, []any{productType}
	if after.ID > 0 {
		q, args = q+` AND (name, id) > ($2, $3)`, append(args, after.Name, after.ID)
	}
	b := &pgx.Batch{}
	b.Queue(q+` ORDER BY name, id LIMIT `+strconv.Itoa(limit), args...).Query(database.Rows(&out))
	if err := s.db.Stale(ctx).ReadPublic(ctx, b); err != nil {
		return nil, fmt.Errorf("figures: entries of %q: %w", productType, err)
	}
	return out, nil
}
