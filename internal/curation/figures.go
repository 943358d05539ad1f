package curation

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/database"
)

// DecisionTime is how long a curator organisation takes from a submission
// to its decision (curate, revise or reject), in hours.
type DecisionTime struct {
	CuratorOrgID int64
	CuratorName  string
	Decided      int
	MedianHours  float64
	P90Hours     float64
}

// decisionBucketsSQL reads the histogram of decision times that a trigger
// keeps as decisions are recorded (migration 0008): a few hundred rows at
// most, whatever the length of the curation history. Names come apart, once
// per organisation: joined, a merge join walked the organisations' index,
// and a name read per bucket cost some 2,400 probes.
const decisionBucketsSQL = `SELECT curator_org_id, bucket, n FROM decision_time_buckets WHERE n > 0
 ORDER BY curator_org_id, bucket`

// curatorNamesSQL names the curator organisations (a handful), along
// (kind, id).
const curatorNamesSQL = `SELECT id, name FROM organizations WHERE kind = 'curator'`

// bucketHours returns the hours a histogram bucket covers: quarter hours up
// to two days, then six-hour steps (decision_hours_bucket in migration 0008).
func bucketHours(b int) (lo, hi float64) {
	if b < 192 {
		return float64(b) / 4, float64(b+1) / 4
	}
	lo = 48 + float64(b-192)*6
	return lo, lo + 6
}

// percentile interpolates the p-th quantile (0..1) within the histogram's
// buckets, as percentile_cont does within sorted values.
func percentile(buckets []int, counts []int64, total int64, p float64) float64 {
	if total == 0 {
		return 0
	}
	target := p * float64(total)
	var seen float64
	for i, b := range buckets {
		n := float64(counts[i])
		if seen+n >= target {
			lo, hi := bucketHours(b)
			return lo + (hi-lo)*(target-seen)/n
		}
		seen += n
	}
	_, hi := bucketHours(buckets[len(buckets)-1])
	return hi
}

// DecisionTimes gives the ministry the time from submission to decision per
// curator organisation: the median and the 90th percentile, to a quarter of
// an hour up to two days and to six hours beyond.
func (s *Store) DecisionTimes(ctx context.Context, a account.Actor) ([]DecisionTime, error) {
	if !a.IsMinistryAdmin() {
		return nil, database.ErrNotFound
	}
	type row struct {
		CuratorOrgID int64
		Bucket       int
		N            int64
	}
	var rows []row
	names := map[int64]string{}
	b := &pgx.Batch{}
	b.Queue(decisionBucketsSQL).Query(func(r pgx.Rows) error {
		var err error
		rows, err = pgx.CollectRows(r, pgx.RowToStructByName[row])
		return err
	})
	b.Queue(curatorNamesSQL).Query(func(r pgx.Rows) error {
		for r.Next() {
			var id int64
			var name string
			if err := r.Scan(&id, &name); err != nil {
				return err
			}
			names[id] = name
		}
		return r.Err()
	})
	if err := s.db.Stale(ctx).ReadBatch(ctx, a.Scope(), b); err != nil {
		return nil, fmt.Errorf("curation: decision times: %w", err)
	}
	var out []DecisionTime
	for i := 0; i < len(rows); {
		j := i
		var buckets []int
		var counts []int64
		var total int64
		for ; j < len(rows) && rows[j].CuratorOrgID == rows[i].CuratorOrgID; j++ {
			buckets, counts, total = append(buckets, rows[j].Bucket), append(counts, rows[j].N), total+rows[j].N
		}
		out = append(out, DecisionTime{CuratorOrgID: rows[i].CuratorOrgID, CuratorName: names[rows[i].CuratorOrgID], Decided: int(total),
			MedianHours: percentile(buckets, counts, total, 0.5), P90Hours: percentile(buckets, counts, total, 0.9)})
		i = j
	}
	slices.SortStableFunc(out, func(x, y DecisionTime) int { return strings.Compare(x.CuratorName, y.CuratorName) })
	return out, nil
}

// Recuration is a curated supplier whose curation rests on a checklist
// version no longer in force: it should be curated again.
type Recuration struct {
	AppID       int64
	Name        string
	ProductType string
	Version     int `db:"checklist_version"`
	Until       time.Time
	Version2    int `db:"app_version"` // the application's version, for actions on it
	// Sent says the product waits for its curators to check it again
	// (SendRecuration), or for another decision of theirs.
	Sent bool
}

// replacedChecklistsSQL finds the checklist versions out of force by $1: a
// handful, however many suppliers there are.
const replacedChecklistsSQL = `SELECT id FROM checklists
 WHERE in_force_until IS NOT NULL AND in_force_until <= $1::date ORDER BY id`

// recurationSQL walks the first curating reviews of one replaced
// checklist in application order (reviews_curated_checklist_idx, at most
// 200 of them) and keeps those of the current curation, up to
// the page's size, which is written after LIMIT. The inner limit makes the
// walk the plan: without it, a generic plan read every curating review of
// the checklist (38,851 at 200,000 suppliers) to sort them. Suppliers
// curated again since drop out, and later ones come up.
const recurationSQL = `SELECT a.id AS app_id, coalesce(nullif(p.legal_name, ''), o.name) AS name,
       coalesce(cl.product_type, '') AS product_type, cl.version AS checklist_version,
       cl.in_force_until::timestamptz AS until, a.version AS app_version,
       EXISTS (SELECT 1 FROM product_proposals pp WHERE pp.application_id = a.id AND pp.product_type = cl.product_type) AS sent
  FROM (SELECT r.application_id, r.submission, r.checklist_id FROM reviews r
         WHERE r.checklist_id = $1 AND r.decision = 'curate'
         ORDER BY r.application_id
         LIMIT 200) r
  JOIN applications a ON a.id = r.application_id AND a.status = 'curated' AND a.submissions = r.submission
  JOIN checklists cl ON cl.id = r.checklist_id
  JOIN organizations o ON o.id = a.organization_id
  LEFT JOIN supplier_profiles p ON p.organization_id = a.organization_id
 WHERE ($2::bigint = 0 OR a.assigned_org_id = $2)
   -- A product no longer curated (it failed a re-check): nothing to redo.
   AND (cl.product_type IS NULL OR EXISTS (SELECT 1 FROM application_products ap
         WHERE ap.application_id = a.id AND ap.product_type = cl.product_type AND ap.curation = 'curated'))
   -- Checked again since against a later version: done.
   AND NOT EXISTS (SELECT 1 FROM reviews r2 JOIN checklists c2 ON c2.id = r2.checklist_id
                    WHERE r2.application_id = a.id AND r2.submission = a.submissions
                      AND r2.product_type = cl.product_type AND c2.version > cl.version)
 ORDER BY r.application_id
 LIMIT `

// MaxRecuration is the most suppliers due for re-curation listed at once.
const MaxRecuration = 100

// RecurationDue lists curated suppliers whose curation used a checklist
// version that has since been replaced (a standard changed), for the
// ministry (all) or a curator organisation (its own).
func (s *Store) RecurationDue(ctx context.Context, a account.Actor, on time.Time, limit int) ([]Recuration, error) {
	limit = min(max(limit, 1), MaxRecuration)
	var org int64
	switch {
	case a.IsMinistryAdmin():
	case isCurator(a):
		org = a.OrgID
	default:
		return nil, database.ErrNotFound
	}
	var out []Recuration
	err := s.db.Stale(ctx).ReadTx(ctx, a.Scope(), func(tx pgx.Tx) error {
		// Walk the index in order: gathering a checklist's reviews with a
		// bitmap scan to sort them is what a small table invites and a
		// large one cannot afford (a generic plan does not know which).
		if _, err := tx.Exec(ctx, `SET LOCAL enable_bitmapscan = off`); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, replacedChecklistsSQL, on)
		if err != nil {
			return err
		}
		replaced, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		// The limit is written into the statement: a number of ours (at most
		// MaxRecuration), never input.
		q := recurationSQL + strconv.Itoa(limit)
		for _, cl := range replaced {
			rows, err := tx.Query(ctx, q, cl, org)
			if err != nil {
				return err
			}
			some, err := database.CollectRows[Recuration](rows)
			if err != nil {
				return err
			}
			out = append(out, some...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("curation: re-curation due: %w", err)
	}
	slices.SortStableFunc(out, func(x, y Recuration) int { return cmp.Compare(x.AppID, y.AppID) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// TypicalDecision is the median time from a submission to its decision
// across every curator organisation, in hours, for the page that confirms
// a submission: an aggregate of the histogram, nobody's record. ok is false
// before the first decision.
func (s *Store) TypicalDecision(ctx context.Context, a account.Actor) (hours float64, ok bool, err error) {
	var buckets []int
	var counts []int64
	var total int64
	b := &pgx.Batch{}
	b.Queue(`SELECT bucket, sum(n)::bigint FROM decision_time_buckets WHERE n > 0 GROUP BY bucket ORDER BY bucket`).
		Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var bucket int
				var n int64
				if err := rows.Scan(&bucket, &n); err != nil {
					return err
				}
				buckets, counts, total = append(buckets, bucket), append(counts, n), total+n
			}
			return rows.Err()
		})
	if err := s.db.ReadBatch(ctx, a.Scope(), b); err != nil {
		return 0, false, fmt.Errorf("curation: typical decision: %w", err)
	}
	if total == 0 {
		return 0, false, nil
	}
	return percentile(buckets, counts, total, 0.5), true, nil
}
