// Package demo loads the demo data that tells the 2020 story: the ministry,
// the curation partner, partner buyers and UMKM suppliers, with the demo
// accounts of DESIGN.md. Development only: it refuses a database that holds
// any other users.
//
// The story: 330 made-up UMKM and cooperatives from 16 provinces, most of
// them on Java, that switched from garments, batik, weaving, soap or
// plastics to masks, gowns and sanitizer in April and May 2020; 80 of them
// curated by Karya Nusantara, the others on their way (drafts, submitted,
// in review, sent back for revision, rejected, a few suspended), each with
// its events, snapshots and documents, and a few deliberate duplicates for
// curators to find. The curators' side is what the portal's curation would
// have written: an assignment rule sending every new application to the
// partner, claims, samples, a review per checklist of every decision (in
// the checklist versions in force on its day, scored by curation's own
// Evaluate), the products' outcomes and the certificates of the curated.
// The buyers' side is what package order would have written: the demo
// buyer's demand for a million cloth masks, split by the planner across
// the producers curated by then, its orders in every state of a spring
// (accepted, in production, shipped, partly received, one partly rejected,
// one declined, one expired, one countered, one paid), and Karya
// Nusantara's 15,000 masks in delivery. SeedScale tells the same story at
// any size, and beyond 2020's 330 suppliers adds the orders of the years
// after, about five per supplier, for load tests.
package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/audit"
	"pasokan/internal/curation"
	"pasokan/internal/database"
	"pasokan/internal/region"
)

// ErrOtherUsers means the database holds users that are not demo accounts.
var ErrOtherUsers = errors.New("demo: the database holds users other than the demo accounts; refusing to seed")

// chunkSize is how many suppliers go in per round of INSERTs.
const chunkSize = 2000

// Stats says what a seed did.
type Stats struct {
	// Seeded is false when the demo accounts were there already.
	Seeded bool
	// Completed is true when a story seeded before the seed wrote one of
	// its later steps (laterSteps) has it added.
	Completed bool
	Suppliers int
	// Rows counts inserted rows per table.
	Rows    map[string]int64
	Elapsed time.Duration
}

// TotalRows is the number of rows inserted.
func (s Stats) TotalRows() int64 {
	var n int64
	for _, r := range s.Rows {
		n += r
	}
	return n
}

// RowsPerSecond is the seed's insert rate.
func (s Stats) RowsPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.TotalRows()) / s.Elapsed.Seconds()
}

// Seed loads the demo data: the story of DefaultSuppliers suppliers. It
// does nothing when the demo accounts exist already, and refuses a
// database with any other users.
func Seed(ctx context.Context, db *database.DB, passwords *account.Passwords) (bool, error) {
	st, err := SeedScale(ctx, db, passwords, DefaultSuppliers)
	return st.Seeded, err
}

// SeedScale loads the demo story with n suppliers (n >= 1; the first is the
// demo supplier of umkm@pasokan.test), its statuses and provinces in the
// proportions of the 330 of 2020, moved into the present: its last moment
// falls less than a day before now (see calendar). The same n on the same
// day always gives the same story. Everything goes in one transaction, so a
// seed is whole or absent.
func SeedScale(ctx context.Context, db *database.DB, passwords *account.Passwords, n int) (Stats, error) {
	return SeedScaleAt(ctx, db, passwords, n, time.Now())
}

// SeedScaleAt is SeedScale as if it ran at now: the same n and now always
// give the same story, to the microsecond.
func SeedScaleAt(ctx context.Context, db *database.DB, passwords *account.Passwords, n int, now time.Time) (Stats, error) {
	st := Stats{Suppliers: n, Rows: map[string]int64{}}
	if n < 1 {
		return st, fmt.Errorf("demo: seed: want at least 1 supplier, not %d", n)
	}
	start := time.Now()
	// One hash for every demo user: argon2 is slow on purpose.
	hash, err := passwords.Hash(ctx, Password)
	if err != nil {
		return st, err
	}
	regions, err := region.NewStore(db).Load(ctx)
	if err != nil {
		return st, fmt.Errorf("demo: seed: %w", err)
	}
	cal := newCalendar(now, n)
	lists, err := newChecklists(ctx, curation.NewChecklists(db), cal)
	if err != nil {
		return st, fmt.Errorf("demo: seed: %w", err)
	}
	err = db.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		// One seed at a time, even from several processes.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('pasokan demo seed'))`); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `SELECT count(*) FILTER (WHERE email NOT LIKE '%@pasokan.test') AS others,
       count(*) FILTER (WHERE email LIKE '%@pasokan.test') AS demos FROM users`)
		users, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[struct{ Others, Demos int }])
		if err != nil {
			return err
		}
		others, demos := users.Others, users.Demos
		if others > 0 {
			return ErrOtherUsers
		}
		if demos > 0 {
			// A story seeded before the seed wrote its notifications or
			// the ministry's support work gets them now: the load test's
			// stories take hours to write.
			if !regional(n) {
				return nil
			}
			return completeStory(ctx, tx, now, &st)
		}
		ids, err := insertAccounts(ctx, tx, hash, cal)
		if err != nil {
			return err
		}
		st.Rows["users"], st.Rows["organizations"], st.Rows["memberships"] = int64(len(Accounts)), int64(len(Accounts)+1), int64(len(Accounts)+1)
		// The ministry's one assignment rule: every new application goes
		// to the demo curation partner.
		if _, err := tx.Exec(ctx, `INSERT INTO assignment_rules (curator_org_id, category, province_code, priority, created_by, created_at)
VALUES ($1, NULL, NULL, 0, $2, $3)`, ids.orgs[account.KindCurator], ids.users[account.KindMinistry], cal.at(partnersJoined)); err != nil {
			return fmt.Errorf("insert assignment_rules: %w", err)
		}
		st.Rows["assignment_rules"] = 1
		p := newPlan(n)
		in := &inserter{tx: tx, hash: hash, rows: st.Rows, pairs: map[int]pairMember{}, plan: &p, cal: cal,
			rejections: map[[2]int64]time.Time{}, stages: map[string]bool{},
			curatorOrg: ids.orgs[account.KindCurator], curatorUser: ids.users[account.KindCurator],
			ministryOrg: ids.orgs[account.KindMinistry], adminUser: ids.users[account.KindMinistry],
			demoOrg: ids.orgs[account.KindSupplier], demoUser: ids.users[account.KindSupplier]}
		in.curators = []curatorRef{{org: in.curatorOrg, user: in.curatorUser}}
		if regional(n) {
			refs, rules, err := insertRegionalCurators(ctx, tx, hash, in.adminUser, cal.at(partnersJoined))
			if err != nil {
				return err
			}
			in.curators = append(in.curators, refs...)
			st.Rows["organizations"] += int64(len(refs))
			st.Rows["users"] += int64(len(refs))
			st.Rows["memberships"] += int64(len(refs))
			st.Rows["assignment_rules"] += int64(rules)
		}
		g := newGenerator(p, regions, lists, cal)
		if err := story(ctx, in, g); err != nil {
			return err
		}
		// The buyers' side, once the curated are listed: the demands of
		// 2020 and, beyond 2020's size, the orders of the years after.
		codes := newOrderCodes(g.codes)
		buyers := buyerRefs{org: ids.orgs[account.KindBuyer], user: ids.users[account.KindBuyer], name: buyerName,
			programme: ids.programme, programmeName: secondBuyer}
		if err := in.orderStory(ctx, codes, buyers); err != nil {
			return err
		}
		if err := in.orderHistory(ctx, codes, buyers); err != nil {
			return err
		}
		if err := in.rejectionSignals(ctx); err != nil {
			return err
		}
		// What a story larger than 2020's holds beyond it (laterSteps):
		// the notifications the portal would have sent and the ministry's
		// support work. The default story of 330, which the browser tests
		// log in to, has neither: its inboxes and support lists are empty.
		if regional(n) {
			for _, later := range laterSteps {
				if err := later.write(ctx, tx, now, st.Rows); err != nil {
					return err
				}
			}
		}
		st.Seeded = true
		// Every application event is also an audit event (the trail's
		// trigger, migration 0036).
		st.Rows["audit_events"] += st.Rows["application_events"] + 1
		return audit.Record(ctx, tx, audit.Event{Action: "demo.seeded",
			Detail: map[string]any{"accounts": len(Accounts), "suppliers": n, "days_moved": cal.days}})
	})
	st.Elapsed = time.Since(start)
	if err != nil {
		return st, fmt.Errorf("demo: seed: %w", err)
	}
	return st, nil
}

// story generates the suppliers chunk by chunk in one goroutine while the
// previous chunk is being inserted, so that the two cores of a small
// machine share the work (the generator is sequential, so the story stays
// the same), then records the duplicate pairs' signals.
func story(ctx context.Context, in *inserter, g *generator) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan []*supplierData, 2)
	go func() {
		defer close(chunks)
		for from := 0; from < g.plan.n; from += chunkSize {
			list := make([]*supplierData, 0, chunkSize)
			for i := from; i < min(from+chunkSize, g.plan.n); i++ {
				if i == 0 {
					list = append(list, g.demoSupplier())
				} else {
					list = append(list, g.supplier(i))
				}
			}
			select {
			case chunks <- list:
			case <-ctx.Done():
				return
			}
		}
	}()
	for list := range chunks {
		if err := g.lists.failed(); err != nil {
			cancel()
			for range chunks { // let the generator finish
			}
			return err
		}
		if err := in.chunk(ctx, list); err != nil {
			cancel()
			for range chunks { // let the generator finish
			}
			return err
		}
	}
	if err := g.lists.failed(); err != nil {
		return err
	}
	return in.signals(ctx)
}
