package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
)

// regionalCurator is one curation body of a national programme. A story
// larger than 2020's spreads the applications over these by province, as a
// national call would, so that the queue, the review page and the
// dashboard are measured at a realistic size per organisation as well as
// in total. The demo partner keeps Jakarta, West Java and Banten.
type regionalCurator struct {
	org, email, name string
	provinces        []string
}

var regionalCurators = []regionalCurator{
	{"Kurasi Regional Jawa Tengah dan DI Yogyakarta", "kurasi.jateng@pasokan.test", "Kurator Jawa Tengah", []string{"33", "34"}},
	{"Kurasi Regional Jawa Timur", "kurasi.jatim@pasokan.test", "Kurator Jawa Timur", []string{"35"}},
	{"Kurasi Regional Sumatra", "kurasi.sumatra@pasokan.test", "Kurator Sumatra", []string{"11", "12", "13", "14", "16", "18"}},
	{"Kurasi Regional Bali dan Nusa Tenggara", "kurasi.balinusra@pasokan.test", "Kurator Bali dan Nusa Tenggara", []string{"51", "52"}},
	{"Kurasi Regional Kalimantan dan Sulawesi", "kurasi.kalsul@pasokan.test", "Kurator Kalimantan dan Sulawesi", []string{"64", "73"}},
}

// regional reports whether a story of n suppliers spreads curation over the
// regional bodies: only beyond the 330 of 2020, which one partner curated.
func regional(n int) bool { return n > DefaultSuppliers }

// curatorIndex is the curation body of a supplier in province of a story
// of n: 0 for the demo partner, i+1 for regionalCurators[i].
func curatorIndex(n int, province string) int {
	if !regional(n) {
		return 0
	}
	for i, c := range regionalCurators {
		if slices.Contains(c.provinces, province) {
			return i + 1
		}
	}
	return 0
}

// curatorName is the name certificates print for curation body i.
func curatorName(i int) string {
	if i == 0 {
		return curatorOrgName
	}
	return regionalCurators[i-1].org
}

// curatorRef is a curation body's organisation and lead in the database.
type curatorRef struct{ org, user int64 }

// insertRegionalCurators adds the regional bodies, a lead each, and the
// ministry's assignment rule for each of their provinces, all made when the
// programme's partners joined.
func insertRegionalCurators(ctx context.Context, tx pgx.Tx, hash string, admin int64, joined time.Time) ([]curatorRef, int, error) {
	var refs []curatorRef
	rules := 0
	for _, c := range regionalCurators {
		org, err := insertOrg(ctx, tx, account.KindCurator, c.org, joined)
		if err != nil {
			return nil, 0, fmt.Errorf("insert regional curator: %w", err)
		}
		var user int64
		if err := tx.QueryRow(ctx, `INSERT INTO users (email, name, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
RETURNING id`, c.email, c.name, hash, joined).Scan(&user); err != nil {
			return nil, 0, fmt.Errorf("insert regional curator: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO memberships (organization_id, user_id, role, created_at) VALUES ($1, $2, 'lead', $3)`,
			org, user, joined); err != nil {
			return nil, 0, fmt.Errorf("insert regional curator: %w", err)
		}
		for _, p := range c.provinces {
			if _, err := tx.Exec(ctx, `INSERT INTO assignment_rules (curator_org_id, category, province_code, priority, created_by, created_at)
VALUES ($1, NULL, $2, 10, $3, $4)`, org, p, admin, joined); err != nil {
				return nil, 0, fmt.Errorf("insert assignment_rules: %w", err)
			}
			rules++
		}
		refs = append(refs, curatorRef{org: org, user: user})
	}
	return refs, rules, nil
}
