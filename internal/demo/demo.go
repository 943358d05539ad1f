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
	"encoding/json"
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
	// Resumed is true when the seed finished a story a seed before it
	// began (see SeedScale).
	Resumed   bool
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
// day always gives the same story.
//
// The story goes in a unit at a time (see units), each in a transaction of
// its own, so that a seed stopped part way (a crash, a load test's story
// that takes longer than a sitting) is resumed by the next seed of the same
// size: it tells the story again from its beginning, writes only the units
// not yet committed, and ends with the same story as one seed that ran
// through. A seed runs as the only seed of its database (an advisory lock
// held for its whole length).
func SeedScale(ctx context.Context, db *database.DB, passwords *account.Passwords, n int) (Stats, error) {
	return SeedScaleAt(ctx, db, passwords, n, time.Now())
}

// SeedScaleAt is SeedScale as if it ran at now: the same n and now always
// give the same story, to the microsecond. A seed that resumes a story
// begun before tells it as of the moment that seed began.
func SeedScaleAt(ctx context.Context, db *database.DB, passwords *account.Passwords, n int, now time.Time) (Stats, error) {
	return seedScale(ctx, db, passwords, n, now, units{chunk: chunkSize, batch: historyBatch})
}

// units are how much of a story goes in one transaction: the accounts;
// each chunk of suppliers (the last with the duplicates' signals); the
// demands of 2020; each batch of the history's demands; the rejections'
// signals with the seed's record; each later step. Between two units a
// seed can stop and be resumed.
type units struct {
	chunk, batch int
	// stop, when not nil, is told each unit committed, by name; the seed
	// ends with errStopped after the one it returns true for (tests stop
	// seeds so, as a crash would).
	stop func(unit string) bool
}

// errStopped ends a seed that units.stop stopped.
var errStopped = errors.New("demo: seed stopped between two units")

// seedState is what a database holds of a story already.
type seedState struct {
	Others, Demos int
	// Seeded is true once a story is written (the demo.seeded record).
	Seeded bool
	// Begun is the demo.seeding record of a story begun: its size and
	// the moment it is told as of.
	Begun []byte
}

type begun struct {
	Suppliers int       `json:"suppliers"`
	Now       time.Time `json:"now"`
}

const seedStateSQL = `SELECT count(*) FILTER (WHERE email NOT LIKE '%@pasokan.test') AS others,
       count(*) FILTER (WHERE email LIKE '%@pasokan.test') AS demos,
       EXISTS (SELECT 1 FROM audit_events WHERE action = 'demo.seeded') AS seeded,
       (SELECT detail FROM audit_events WHERE action = 'demo.seeding' ORDER BY id LIMIT 1) AS begun
  FROM users`

func seedScale(ctx context.Context, db *database.DB, passwords *account.Passwords, n int, now time.Time, u units) (st Stats, err error) {
	st = Stats{Suppliers: n, Rows: map[string]int64{}}
	if n < 1 {
		return st, fmt.Errorf("demo: seed: want at least 1 supplier, not %d", n)
	}
	start := time.Now()
	defer func() {
		st.Elapsed = time.Since(start)
		if err != nil && !errors.Is(err, errStopped) && !errors.Is(err, ErrOtherUsers) {
			err = fmt.Errorf("demo: seed: %w", err)
		}
	}()
	unlock, err := seedLock(ctx, db)
	if err != nil {
		return st, err
	}
	defer unlock()
	var state seedState
	if err := db.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, seedStateSQL)
		state, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[seedState])
		return err
	}); err != nil {
		return st, err
	}
	if state.Others > 0 {
		return st, ErrOtherUsers
	}
	if state.Begun != nil {
		var b begun
		if err := json.Unmarshal(state.Begun, &b); err != nil {
			return st, fmt.Errorf("read the story's record: %w", err)
		}
		if b.Suppliers != n {
			return st, fmt.Errorf("a story of %d suppliers is here already; seed %d to finish or keep it, or start from an empty database", b.Suppliers, b.Suppliers)
		}
		now = b.Now
	}
	// One hash for every demo user: argon2 is slow on purpose.
	hash, err := passwords.Hash(ctx, Password)
	if err != nil {
		return st, err
	}
	in := &inserter{db: db, units: u, hash: hash, rows: st.Rows, stages: map[string]bool{}}
	if state.Seeded {
		// A story seeded before the seed wrote its notifications or the
		// ministry's support work gets them now: the load test's stories
		// take hours to write.
		if regional(n) {
			st.Completed, err = in.later(ctx, now)
		}
		return st, err
	}
	if state.Demos > 0 && state.Begun == nil {
		return st, errors.New("the demo accounts are here without a story's record; start from an empty database")
	}
	st.Seeded, st.Resumed = true, state.Begun != nil
	regions, err := region.NewStore(db).Load(ctx)
	if err != nil {
		return st, err
	}
	cal := newCalendar(now, n)
	lists, err := newChecklists(ctx, curation.NewChecklists(db), cal)
	if err != nil {
		return st, err
	}
	if !st.Resumed {
		if err := in.unit(ctx, "accounts", func(ctx context.Context) error {
			return in.accountsUnit(ctx, n, now, cal)
		}); err != nil {
			return st, err
		}
	}
	ids, curators, err := loadNamed(ctx, db, n)
	if err != nil {
		return st, err
	}
	p := newPlan(n)
	in.plan, in.cal, in.pairs = &p, cal, map[int]pairMember{}
	in.curatorOrg, in.curatorUser = ids.orgs[account.KindCurator], ids.users[account.KindCurator]
	in.ministryOrg, in.adminUser = ids.orgs[account.KindMinistry], ids.users[account.KindMinistry]
	in.demoOrg, in.demoUser = ids.orgs[account.KindSupplier], ids.users[account.KindSupplier]
	in.curators = append([]curatorRef{{org: in.curatorOrg, user: in.curatorUser}}, curators...)
	done, err := in.progress(ctx)
	if err != nil {
		return st, err
	}
	g := newGenerator(p, regions, lists, cal)
	if err := story(ctx, in, g, done.Suppliers); err != nil {
		return st, err
	}
	// The buyers' side, once the curated are listed: the demands of 2020
	// and, beyond 2020's size, the orders of the years after.
	buyers := buyerRefs{org: ids.orgs[account.KindBuyer], user: ids.users[account.KindBuyer], name: buyerName,
		programme: ids.programme, programmeName: secondBuyer}
	if done.Story == 0 {
		if err := in.unit(ctx, "demands of 2020", func(ctx context.Context) error {
			return in.orderStory(ctx, newOrderCodes(g.codes, storyCodes), buyers)
		}); err != nil {
			return st, err
		}
	}
	if err := in.orderHistory(ctx, g.codes, buyers, done.History); err != nil {
		return st, err
	}
	if err := in.unit(ctx, "record", func(ctx context.Context) error {
		if err := in.rejectionSignals(ctx); err != nil {
			return err
		}
		// Every application event is also an audit event (the trail's
		// trigger, migration 0036).
		st.Rows["audit_events"] += st.Rows["application_events"] + 1
		return audit.Record(ctx, in.tx, audit.Event{Action: "demo.seeded",
			Detail: map[string]any{"accounts": len(Accounts), "suppliers": n, "days_moved": cal.days}})
	}); err != nil {
		return st, err
	}
	// What a story larger than 2020's holds beyond it (laterSteps): the
	// notifications the portal would have sent and the ministry's support
	// work. The default story of 330, which the browser tests log in to,
	// has neither: its inboxes and support lists are empty.
	if regional(n) {
		_, err = in.later(ctx, now)
	}
	return st, err
}

// seedLock makes the seed the only one of its database, even from several
// processes, until the returned function is called: a session's advisory
// lock on a connection held for the purpose.
func seedLock(ctx context.Context, db *database.DB) (func(), error) {
	c, err := db.PoolFor(database.System()).Acquire(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := c.Exec(ctx, `SELECT pg_advisory_lock(hashtext('pasokan demo seed'))`); err != nil {
		c.Release()
		return nil, err
	}
	return func() {
		if _, err := c.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtext('pasokan demo seed'))`); err != nil {
			c.Conn().Close(context.WithoutCancel(ctx)) // the lock goes with the session
		}
		c.Release()
	}, nil
}

// unit runs fn as one unit of the story, in a transaction of its own
// (in.tx while it runs): whole or absent.
func (in *inserter) unit(ctx context.Context, name string, fn func(ctx context.Context) error) error {
	err := in.db.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		// A stage (orderinsert.go) is dropped at commit.
		in.tx = tx
		clear(in.stages)
		return fn(ctx)
	})
	in.tx = nil
	if err != nil {
		return err
	}
	if in.units.stop != nil && in.units.stop(name) {
		return errStopped
	}
	return nil
}

// accountsUnit writes the demo accounts, the assignment rules and, for a
// story larger than 2020's, the regional curation bodies, with the record
// that a story of n suppliers as of now is begun.
func (in *inserter) accountsUnit(ctx context.Context, n int, now time.Time, cal calendar) error {
	tx := in.tx
	ids, err := insertAccounts(ctx, tx, in.hash, cal)
	if err != nil {
		return err
	}
	in.rows["users"], in.rows["organizations"], in.rows["memberships"] = int64(len(Accounts)), int64(len(Accounts)+1), int64(len(Accounts)+1)
	// The ministry's one assignment rule: every new application goes to
	// the demo curation partner.
	if _, err := tx.Exec(ctx, `INSERT INTO assignment_rules (curator_org_id, category, province_code, priority, created_by, created_at)
VALUES ($1, NULL, NULL, 0, $2, $3)`, ids.orgs[account.KindCurator], ids.users[account.KindMinistry], cal.at(partnersJoined)); err != nil {
		return fmt.Errorf("insert assignment_rules: %w", err)
	}
	in.rows["assignment_rules"] = 1
	if regional(n) {
		refs, rules, err := insertRegionalCurators(ctx, tx, in.hash, ids.users[account.KindMinistry], cal.at(partnersJoined))
		if err != nil {
			return err
		}
		in.rows["organizations"] += int64(len(refs))
		in.rows["users"] += int64(len(refs))
		in.rows["memberships"] += int64(len(refs))
		in.rows["assignment_rules"] += int64(rules)
	}
	in.rows["audit_events"]++
	return audit.Record(ctx, tx, audit.Event{Action: "demo.seeding",
		Detail: map[string]any{"suppliers": n, "now": now.Format(time.RFC3339Nano)}})
}

// progress is how far a story got: its suppliers written (each has its one
// application), the demands of 2020, the history's demands.
type progress struct {
	Suppliers, Story, History int
}

func (in *inserter) progress(ctx context.Context) (progress, error) {
	var p progress
	err := in.db.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT (SELECT count(*) FROM applications) AS suppliers,
       (SELECT count(*) FROM demands WHERE created_at < $1) AS story,
       (SELECT count(*) FROM demands WHERE created_at >= $1) AS history`, in.cal.at(historyStart))
		var err error
		p, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[progress])
		return err
	})
	return p, err
}

// later writes the later steps a story lacks, each in a unit of its own;
// it reports whether it wrote one.
func (in *inserter) later(ctx context.Context, now time.Time) (bool, error) {
	wrote := false
	for _, later := range laterSteps {
		err := in.unit(ctx, later.table, func(ctx context.Context) error {
			var has bool
			if err := in.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+later.table+`)`).Scan(&has); err != nil || has {
				return err
			}
			wrote = true
			return later.write(ctx, in.tx, now, in.rows)
		})
		if err != nil {
			return wrote, err
		}
	}
	return wrote, nil
}

// story generates the suppliers chunk by chunk in one goroutine while the
// previous chunk is being inserted, so that the two cores of a small
// machine share the work (the generator is sequential, so the story stays
// the same). Each chunk is a unit; the first done suppliers, written by a
// seed before, are generated again (the generator's state is the story so
// far) and not written. The last chunk records the duplicate pairs'
// signals.
func story(ctx context.Context, in *inserter, g *generator, done int) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	size := in.units.chunk
	chunks := make(chan []*supplierData, 2)
	go func() {
		defer close(chunks)
		for from := 0; from < g.plan.n; from += size {
			list := make([]*supplierData, 0, size)
			for i := from; i < min(from+size, g.plan.n); i++ {
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
	k := 0
	for list := range chunks {
		err := g.lists.failed()
		from, to := list[0].index, list[len(list)-1].index+1
		switch {
		case err != nil:
		case to <= done:
			in.remember(list)
			if to == done {
				err = in.sameStory(ctx, list[len(list)-1])
			}
		case from < done:
			err = fmt.Errorf("%d suppliers are here, not a whole number of chunks of %d: seed with the chunks that began the story", done, size)
		default:
			err = in.unit(ctx, fmt.Sprintf("suppliers %d", k), func(ctx context.Context) error {
				if err := in.chunk(ctx, list); err != nil {
					return err
				}
				if to == g.plan.n {
					return in.signals(ctx)
				}
				return nil
			})
		}
		if err != nil {
			cancel()
			for range chunks { // let the generator finish
			}
			return err
		}
		k++
	}
	return g.lists.failed()
}

// sameStory checks that the last supplier a seed before wrote is the one
// this seed tells there: a story begun by a seed that tells it otherwise
// (another version of this package) would be finished with another.
func (in *inserter) sameStory(ctx context.Context, last *supplierData) error {
	var same bool
	if err := in.db.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM organizations o JOIN applications a ON a.organization_id = o.id
 WHERE o.slug = $1 AND o.name = $2 AND a.status = $3)`, last.slug, last.name, string(last.path.status)).Scan(&same)
	}); err != nil {
		return err
	}
	if !same {
		return fmt.Errorf("the story here was begun by a seed that tells it otherwise (its supplier %d is not %s, %s): start from an empty database",
			last.index+1, last.name, last.path.status)
	}
	return nil
}
