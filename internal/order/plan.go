package order

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/audit"
	"pasokan/internal/database"
	"pasokan/internal/i18n"
	"pasokan/internal/notify"
	"pasokan/internal/planner"
	"pasokan/internal/validation"
	"pasokan/internal/vcode"
)

// Proposal is a plan for what a demand still needs, with what explains it.
type Proposal struct {
	Demand Demand
	// Remaining is what each site still needs (in the order of
	// Demand.Sites); the plan splits these.
	Remaining []int
	Plan      planner.Plan
	Options   planner.Options
	// Suppliers are the candidates the plan names, by organisation id.
	Suppliers map[int64]planner.Candidate
	// Candidates is how many producers list the product (the plan is the
	// plan over all of them).
	Candidates int
	// Read is how many of them were read to make the plan: the most
	// capable of each site's regency, province, island and the rest, as
	// many as it takes to prove that the others would change nothing.
	Read int
	// Took is how long the proposal took: reading the demand, then the
	// candidates and planning, unless the plan was kept (keep.go).
	Took time.Duration
}

// input is the planner's input for what the demand still needs.
func input(d Demand, remaining []int, cands []planner.Candidate, opts planner.Options, now time.Time) planner.Input {
	in := planner.Input{Today: i18n.Today(now), Deadline: d.Deadline, Candidates: cands, Options: opts}
	if d.TargetPrice != nil {
		in.TargetPrice = *d.TargetPrice
	}
	for i, s := range d.Sites {
		in.Sites = append(in.Sites, planner.Site{ProvinceCode: s.ProvinceCode, RegencyCode: s.RegencyCode, Quantity: remaining[i]})
	}
	return in
}

// Propose plans what an approved demand still needs across the listed
// producers of its product. It changes nothing: the buyer edits the lines
// and confirms them (Confirm).
func (s *Store) Propose(ctx context.Context, a account.Actor, id int64, opts planner.Options) (Proposal, error) {
	if a.Kind != account.KindBuyer {
		return Proposal{}, database.ErrNotFound
	}
	var p Proposal
	start := time.Now()
	// One round trip: the demand, how many producers list its product, and
	// the generations a kept plan is checked against. A kept plan is all
	// the page needs then; planning reads in a transaction of its own.
	var d Demand
	var gens generations
	b := demandBatch(id, a.OrgID, &d, func(b *pgx.Batch) {
		b.Queue(generationsSQL, id).Query(func(rows pgx.Rows) error {
			var err error
			gens, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[generations])
			return err
		})
	})
	if err := s.db.ReadBatch(ctx, a.Scope(), b); err != nil {
		return Proposal{}, fmt.Errorf("order: propose for demand %d: %w", id, err)
	}
	p.Demand, p.Remaining, p.Options, p.Candidates = d, d.Remaining(), opts, gens.Candidates
	if d.Status != DemandApproved && d.Status != DemandPlanned {
		p.Took = time.Since(start)
		return p, nil
	}
	in := input(d, p.Remaining, nil, opts, s.now())
	key := keyOf(a.OrgID, d.ProductType, s.PlanBatch, in)
	if kept, ok := s.kept.get(key, gens); ok {
		p.Plan, p.Suppliers, p.Read = kept.plan, kept.suppliers, kept.read
		p.Took = time.Since(start)
		return p, nil
	}
	err := s.db.ReadTx(ctx, a.Scope(), func(tx pgx.Tx) error {
		plan, cands, err := planFor(ctx, tx, d.ProductType, a.OrgID, in, s.PlanBatch)
		if err != nil {
			return err
		}
		p.Plan, p.Read = plan, len(cands)
		p.Suppliers = map[int64]planner.Candidate{}
		for _, c := range cands {
			p.Suppliers[c.SupplierID] = c
		}
		for id := range p.Suppliers {
			if !planned(p.Plan, id) {
				delete(p.Suppliers, id)
			}
		}
		// Kept under the generations read before the plan: a change
		// committed in between moves one past it, and the next view plans
		// again.
		s.kept.put(key, gens, keptPlan{plan: p.Plan, suppliers: p.Suppliers, read: p.Read})
		return nil
	})
	if err != nil {
		return Proposal{}, fmt.Errorf("order: propose for demand %d: %w", id, err)
	}
	p.Took = time.Since(start)
	return p, nil
}

func planned(p planner.Plan, supplier int64) bool {
	for _, l := range p.Lines {
		if l.SupplierID == supplier {
			return true
		}
	}
	return false
}

// LineInput is a line of a plan as the buyer confirms it: the site and the
// producer as proposed, the quantity as typed (0 or empty leaves it out).
type LineInput struct {
	SiteID     int64
	SupplierID int64
	Quantity   string
}

// LineField names a line's quantity field (1-based) for errors and ids.
func LineField(position int) string { return "line_quantity_" + strconv.Itoa(position) }

// Confirm offers the lines as orders, one per line, in one transaction, on
// the demand's version the buyer saw: each line's producer must still be
// listed for the product, its quantity within the producer's free capacity
// and the site's remaining need. The demand becomes planned; each producer
// is told (in the portal and by e-mail). It returns the orders made.
func (s *Store) Confirm(ctx context.Context, a account.Actor, id int64, version int, lines []LineInput) ([]int64, error) {
	if a.Kind != account.KindBuyer {
		return nil, database.ErrNotFound
	}
	var made []int64
	now := s.now()
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		var v int
		if err := tx.QueryRow(ctx, `SELECT version FROM demands WHERE id = $1 AND buyer_org_id = $2 FOR UPDATE`,
			id, a.OrgID).Scan(&v); errors.Is(err, pgx.ErrNoRows) {
			return database.ErrNotFound
		} else if err != nil {
			return err
		}
		if v != version {
			return database.ErrStale
		}
		d, err := loadDemand(ctx, tx, id, a.OrgID)
		if err != nil {
			return err
		}
		if d.Status != DemandApproved && d.Status != DemandPlanned {
			return ErrState
		}
		orgs := make([]int64, len(lines))
		for i, l := range lines {
			orgs[i] = l.SupplierID
		}
		cands, err := candidatesOf(ctx, tx, d.ProductType, a.OrgID, orgs)
		if err != nil {
			return err
		}
		byID := make(map[int64]planner.Candidate, len(cands))
		for _, c := range cands {
			byID[c.SupplierID] = c
		}
		remaining := d.Remaining()
		siteAt := map[int64]int{}
		for i, site := range d.Sites {
			siteAt[site.ID] = i
		}
		errs := validation.Errors{}
		used := map[int64]int{}
		type line struct {
			site int
			c    planner.Candidate
			n    int
		}
		var keep []line
		for i, l := range lines {
			field := LineField(i + 1)
			if l.Quantity == "" || l.Quantity == "0" {
				continue
			}
			n, ok := validation.WholeNumber(l.Quantity)
			at, siteOK := siteAt[l.SiteID]
			c, listed := byID[l.SupplierID]
			switch {
			case !ok || n < 0 || n > MaxQuantity:
				errs.Add(field, "error.quantity_invalid")
			case n == 0:
			case !siteOK:
				errs.Add(field, "error.plan_line_unknown")
			case !listed:
				errs.Add(field, "error.plan_supplier_unlisted")
			default:
				free := max(0, planner.CapacityIn(c, i18n.Today(now), d.Deadline)-c.Committed) - used[c.SupplierID]
				switch {
				case int(n) > free:
					errs.Add(field, "error.plan_over_capacity")
				case int(n) > remaining[at]:
					errs.Add(field, "error.plan_over_site")
				default:
					used[c.SupplierID] += int(n)
					remaining[at] -= int(n)
					keep = append(keep, line{site: at, c: c, n: int(n)})
				}
			}
		}
		if errs.Any() {
			return errs
		}
		if len(keep) == 0 {
			return fieldError(LineField(1), "error.plan_empty")
		}
		respondBy := RespondBy(now)
		var target int64
		if d.TargetPrice != nil {
			target = *d.TargetPrice
		}
		for _, l := range keep {
			var oid int64
			site := d.Sites[l.site]
			if err := tx.QueryRow(ctx, `INSERT INTO orders (demand_id, site_id, buyer_org_id, supplier_org_id, buyer_name,
       supplier_name, product_type, standard, quantity, unit_price, due_date, respond_by, created_by, code)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
				d.ID, site.ID, a.OrgID, l.c.SupplierID, a.OrgName, l.c.Name, d.ProductType, d.Standard, l.n,
				planner.UnitPrice(target, l.c), d.Deadline, respondBy, a.UserID, vcode.New()).Scan(&oid); err != nil {
				return err
			}
			made = append(made, oid)
			if err := event(ctx, tx, a, oid, a.OrgID, l.c.SupplierID, "order.offered", "", StatusOffered, "", nil); err != nil {
				return err
			}
			if err := s.outbox.Notify(ctx, tx, notify.Notification{OrgID: l.c.SupplierID, Key: "order_offered",
				Args: []string{a.OrgName, strconv.Itoa(l.n)}, Link: "/supplier/orders/" + strconv.FormatInt(oid, 10), Email: true}); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE demands SET status = 'planned', version = version + 1, updated_at = now() WHERE id = $1`, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: a.OrgID,
			Action: "demand.planned", SubjectType: "demand", SubjectID: id,
			Detail: map[string]any{"orders": made}})
	})
	if err != nil {
		return nil, fmt.Errorf("order: confirm plan of demand %d: %w", id, err)
	}
	return made, nil
}

// event appends an entry to an order's timeline.
func event(ctx context.Context, tx pgx.Tx, a account.Actor, orderID, buyer, supplier int64, action, from, to, reason string,
	detail map[string]any) error {
	if detail == nil {
		detail = map[string]any{}
	}
	_, err := tx.Exec(ctx, `INSERT INTO order_events (order_id, buyer_org_id, supplier_org_id, actor_user_id, actor_org_id,
       action, from_status, to_status, reason, detail)
VALUES ($1, $2, $3, nullif($4, 0), nullif($5, 0), $6, $7, $8, $9, $10)`, orderID, buyer, supplier, a.UserID, a.OrgID,
		action, from, to, reason, detail)
	return err
}
