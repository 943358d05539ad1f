package order

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/audit"
	"pasokan/internal/database"
	"pasokan/internal/i18n"
	"pasokan/internal/notify"
	"pasokan/internal/product"
	"pasokan/internal/region"
	"pasokan/internal/validation"
)

// Store reads and changes demands and orders.
type Store struct {
	db       *database.DB
	products *product.Store
	regions  *region.Store
	outbox   *notify.Outbox
	// Now is the clock (tests move it); nil is time.Now.
	Now func() time.Time
	// PlanBatch is how many producers each source of a plan reads first
	// (tests make it small); 0 is DefaultPlanBatch.
	PlanBatch int
	// kept are the plans made, by input (keep.go).
	kept keptPlans
}

// NewStore returns a Store; outbox carries the parties' notifications.
func NewStore(db *database.DB, products *product.Store, regions *region.Store, outbox *notify.Outbox) *Store {
	return &Store{db: db, products: products, regions: regions, outbox: outbox}
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// ErrNotApprover: only the buyer's owner or admin approves a demand.
var ErrNotApprover = errors.New("order: only the buyer's owner or admin approves a demand")

// ErrState: the demand or order is not in a state that allows this.
var ErrState = errors.New("order: not allowed in this state")

// CreateDemand stores a draft demand of the actor's buyer organisation;
// any member may draft one. Bad input comes back as validation.Errors and
// stores nothing.
func (s *Store) CreateDemand(ctx context.Context, a account.Actor, in DemandInput) (int64, error) {
	if a.Kind != account.KindBuyer {
		return 0, database.ErrNotFound
	}
	products, err := s.products.Load(ctx)
	if err != nil {
		return 0, err
	}
	regions, err := s.regions.Load(ctx)
	if err != nil {
		return 0, err
	}
	d, errs := in.Parse(products, regions, i18n.Today(s.now()))
	if errs.Any() {
		return 0, errs
	}
	var id int64
	err = s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO demands (buyer_org_id, title, product_type, quantity, deadline, standard,
       target_price, notes, created_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, a.OrgID, d.Title, d.ProductType, d.Quantity, d.Deadline,
			d.Standard, d.TargetPrice, d.Notes, a.UserID).Scan(&id); err != nil {
			return err
		}
		b := &pgx.Batch{}
		for _, site := range d.Sites {
			b.Queue(`INSERT INTO demand_sites (demand_id, buyer_org_id, position, province_code, regency_code, address, quantity)
VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, a.OrgID, site.Position, site.ProvinceCode, site.RegencyCode, site.Address, site.Quantity)
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: a.OrgID,
			Action: "demand.drafted", SubjectType: "demand", SubjectID: id,
			Detail: map[string]any{"product_type": d.ProductType, "quantity": d.Quantity, "sites": len(d.Sites)}})
	})
	if err != nil {
		return 0, fmt.Errorf("order: create demand: %w", err)
	}
	return id, nil
}

// UpdateDraft replaces a draft demand with in, on the version the actor
// saw: its fields and its sites, in one transaction. Any member may edit a
// draft, as any member may write one; once approved it no longer changes
// (ErrState), since suppliers may hold orders for it. Bad input comes back
// as validation.Errors and changes nothing.
func (s *Store) UpdateDraft(ctx context.Context, a account.Actor, id int64, version int, in DemandInput) error {
	if a.Kind != account.KindBuyer {
		return database.ErrNotFound
	}
	products, err := s.products.Load(ctx)
	if err != nil {
		return err
	}
	regions, err := s.regions.Load(ctx)
	if err != nil {
		return err
	}
	d, errs := in.Parse(products, regions, i18n.Today(s.now()))
	if errs.Any() {
		return errs
	}
	err = s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		var status string
		var v int
		err := tx.QueryRow(ctx, `SELECT status, version FROM demands WHERE id = $1 AND buyer_org_id = $2 FOR UPDATE`,
			id, a.OrgID).Scan(&status, &v)
		if errors.Is(err, pgx.ErrNoRows) {
			return database.ErrNotFound
		}
		if err != nil {
			return err
		}
		if v != version {
			return database.ErrStale
		}
		if status != DemandDraft {
			return ErrState
		}
		b := &pgx.Batch{}
		b.Queue(`UPDATE demands SET title = $2, product_type = $3, quantity = $4, deadline = $5, standard = $6,
       target_price = $7, notes = $8, version = version + 1, updated_at = now() WHERE id = $1`,
			id, d.Title, d.ProductType, d.Quantity, d.Deadline, d.Standard, d.TargetPrice, d.Notes)
		// A draft has no orders, so its sites are replaced whole.
		b.Queue(`DELETE FROM demand_sites WHERE demand_id = $1`, id)
		for _, site := range d.Sites {
			b.Queue(`INSERT INTO demand_sites (demand_id, buyer_org_id, position, province_code, regency_code, address, quantity)
VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, a.OrgID, site.Position, site.ProvinceCode, site.RegencyCode, site.Address, site.Quantity)
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: a.OrgID,
			Action: "demand.edited", SubjectType: "demand", SubjectID: id,
			Detail: map[string]any{"product_type": d.ProductType, "quantity": d.Quantity, "sites": len(d.Sites)}})
	})
	if err != nil {
		return fmt.Errorf("order: edit demand %d: %w", id, database.MapError(err))
	}
	return nil
}

const demandSQL = `SELECT d.id, d.buyer_org_id, d.title, d.product_type, d.quantity, d.deadline, d.standard, d.target_price,
       d.notes, d.status, d.version, d.approved_at, d.created_at,
       coalesce((SELECT u.name FROM users u WHERE u.id = d.created_by), '') AS created_by_name,
       coalesce((SELECT u.name FROM users u WHERE u.id = d.approved_by), '') AS approved_by_name
  FROM demands d WHERE d.id = $1 AND ($2 = 0 OR d.buyer_org_id = $2)`

const sitesSQL = `SELECT id, position, province_code, regency_code, address, quantity
  FROM demand_sites WHERE demand_id = $1 ORDER BY position`

// Demand returns one of the buyer's demands, its sites and its orders;
// another organisation's is not found.
func (s *Store) Demand(ctx context.Context, a account.Actor, id int64) (Demand, error) {
	var buyer int64
	switch a.Kind {
	case account.KindBuyer:
		buyer = a.OrgID
	case account.KindMinistry:
		buyer = anyBuyer
	default:
		return Demand{}, database.ErrNotFound
	}
	// One round trip, the scope and the reads pipelined (in a transaction
	// of its own, begin and commit made it two more).
	var d Demand
	if err := s.db.ReadBatch(ctx, a.Scope(), demandBatch(id, buyer, &d)); err != nil {
		return Demand{}, fmt.Errorf("order: demand %d: %w", id, err)
	}
	return d, nil
}

// anyBuyer, as loadDemand's buyer, reads a demand of any buyer: the
// ministry's reading (row-level security still decides what it sees).
const anyBuyer = 0

// demandBatch reads demand id of buyer (anyBuyer: of whichever buyer holds
// it) with its sites and orders into d, and what also queues after them;
// a demand not found is database.ErrNotFound. Send it with DB.ReadBatch,
// or in a transaction with loadDemand.
func demandBatch(id, buyer int64, d *Demand, also ...func(*pgx.Batch)) *pgx.Batch {
	b := &pgx.Batch{}
	b.Queue(demandSQL, id, buyer).Query(func(rows pgx.Rows) error {
		var err error
		*d, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Demand])
		if errors.Is(err, pgx.ErrNoRows) {
			return database.ErrNotFound
		}
		return err
	})
	b.Queue(sitesSQL, id).Query(func(rows pgx.Rows) error {
		var err error
		d.Sites, err = database.CollectRows[Site](rows)
		return err
	})
	b.Queue(ordersSQL+` WHERE o.demand_id = $1 AND ($2 = 0 OR o.buyer_org_id = $2) ORDER BY o.id`, id, buyer).Query(func(rows pgx.Rows) error {
		var err error
		d.Orders, err = database.CollectRows[Order](rows)
		return err
	})
	for _, q := range also {
		q(b)
	}
	return b
}

// loadDemand is demandBatch sent in tx.
func loadDemand(ctx context.Context, tx pgx.Tx, id, buyer int64) (Demand, error) {
	var d Demand
	if err := tx.SendBatch(ctx, demandBatch(id, buyer, &d)).Close(); err != nil {
		return Demand{}, database.MapError(err)
	}
	return d, nil
}

// Approve moves a draft demand to approved: the buyer's owner or admin
// only, on the version they saw. Nothing is sent to a supplier before.
func (s *Store) Approve(ctx context.Context, a account.Actor, id int64, version int) error {
	if a.Kind != account.KindBuyer {
		return database.ErrNotFound
	}
	if a.Role != account.RoleOwner && a.Role != account.RoleAdmin {
		return ErrNotApprover
	}
	err := s.db.Tx(ctx, a.Scope(), func(tx pgx.Tx) error {
		var status string
		var v int
		err := tx.QueryRow(ctx, `SELECT status, version FROM demands WHERE id = $1 AND buyer_org_id = $2 FOR UPDATE`,
			id, a.OrgID).Scan(&status, &v)
		if errors.Is(err, pgx.ErrNoRows) {
			return database.ErrNotFound
		}
		if err != nil {
			return err
		}
		if v != version {
			return database.ErrStale
		}
		if status != DemandDraft {
			return ErrState
		}
		if _, err := tx.Exec(ctx, `UPDATE demands SET status = 'approved', approved_by = $2, approved_at = now(),
       version = version + 1, updated_at = now() WHERE id = $1`, id, a.UserID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: a.UserID, ActorOrgID: a.OrgID, OrgID: a.OrgID,
			Action: "demand.approved", SubjectType: "demand", SubjectID: id})
	})
	if err != nil {
		return fmt.Errorf("order: approve demand %d: %w", id, err)
	}
	return nil
}

// fieldError is a validation error on one field.
func fieldError(field, key string) error { return validation.Errors{field: key} }
