// Package material owns raw-material requests (bahan baku, issue 12): a
// supplier asks the ministry for a material it needs to produce; the
// ministry groups requests for the same material into a purchase, records
// where it comes from and what reaches each producer, and closes them. It
// writes material_requests, material_purchases and material_events
// (migration 0029); no other package changes them.
//
// A supplier's members read and make their own organisation's requests
// only; the ministry reads all of them and moves them. Each method takes
// the actor and names its rows by it; row-level security says the same
// again.
package material

import (
	"errors"
	"slices"
	"time"

	"pasokan/internal/database"
	"pasokan/internal/notify"
)

// Materials are the raw materials a supplier may ask for, in the order the
// form offers them: fabrics for masks and gowns, then what hand sanitizer
// is made of, then packaging. "other" is named in the request's note.
var Materials = []string{"spunbond", "meltblown", "cotton", "elastic", "thread",
	"ethanol96", "isopropanol", "glycerol", "peroxide3", "packaging", "other"}

// Units a quantity is counted in: metres, kilograms, litres, pieces, rolls.
var Units = []string{"m", "kg", "l", "pcs", "roll"}

// Request statuses: asked for; grouped into a purchase that is being
// sourced; delivered in full; closed (delivered in part, or not sourced,
// with the ministry's reason).
const (
	StatusRequested = "requested"
	StatusSourcing  = "sourcing"
	StatusDelivered = "delivered"
	StatusClosed    = "closed"
)

// Statuses lists them in their order.
var Statuses = []string{StatusRequested, StatusSourcing, StatusDelivered, StatusClosed}

// Limits of a request.
const (
	MaxQuantity = 100_000_000
	// MaxHorizon bounds the day a material is needed by.
	MaxHorizon = 365 * 24 * time.Hour
	// MaxGroup is how many requests one purchase takes at once.
	MaxGroup = 200
	// PageSize is how many requests a page of the ministry's list shows;
	// the page links to the next (a 100-request page was 63 KB to send
	// and, at a million suppliers, over the per-page budget of
	// docs/SCALE.md in Go and in Postgres alike).
	PageSize = 50
	// OrgListSize is how many of an organisation's latest requests its own
	// list and the ministry's page of it show.
	OrgListSize = 100
)

// Fields are the request form's fields.
var Fields = []string{"material", "quantity", "unit", "needed_by", "order_id", "note"}

// Errors a caller shows as a page rather than a field.
var (
	// ErrState: the request is not in a state that allows this.
	ErrState = errors.New("material: not allowed in this state")
)

// Request is one raw-material request.
type Request struct {
	ID           int64     `db:"id"`
	OrgID        int64     `db:"organization_id"`
	OrgName      string    `db:"organization_name"`
	ProvinceCode string    `db:"province_code"`
	Material     string    `db:"material"`
	Quantity     int       `db:"quantity"`
	Unit         string    `db:"unit"`
	NeededBy     time.Time `db:"needed_by"`
	OrderID      int64     `db:"order_id"`
	Note         string    `db:"note"`
	Status       string    `db:"status"`
	PurchaseID   int64     `db:"purchase_id"`
	Source       string    `db:"source"`
	Delivered    int       `db:"delivered"`
	Reason       string    `db:"reason"`
	Version      int       `db:"version"`
	CreatedAt    time.Time `db:"created_at"`
	UpdatedAt    time.Time `db:"updated_at"`
}

// Open says whether the ministry still has work on the request.
func (r Request) Open() bool { return r.Status == StatusRequested || r.Status == StatusSourcing }

// ToDeliver is what is still to reach the producer.
func (r Request) ToDeliver() int { return max(r.Quantity-r.Delivered, 0) }

// Event is one step of a request, for its timeline.
type Event struct {
	ID       int64      `db:"id"`
	Action   string     `db:"action"`
	Quantity *int       `db:"quantity"`
	OnDate   *time.Time `db:"on_date"`
	Note     string     `db:"note"`
	At       time.Time  `db:"created_at"`
}

// Purchase is the ministry's grouping of requests for one material.
type Purchase struct {
	ID        int64     `db:"id"`
	Material  string    `db:"material"`
	Unit      string    `db:"unit"`
	Source    string    `db:"source"`
	Note      string    `db:"note"`
	CreatedAt time.Time `db:"created_at"`
}

// OrderChoice is an accepted order a request may serve.
type OrderChoice struct {
	ID          int64     `db:"id"`
	BuyerName   string    `db:"buyer_name"`
	ProductType string    `db:"product_type"`
	Quantity    int       `db:"quantity"`
	DueDate     time.Time `db:"due_date"`
}

// Store reads and changes raw-material requests.
type Store struct {
	db     *database.DB
	outbox *notify.Outbox
	// Now is the clock (tests move it); nil is time.Now.
	Now func() time.Time
}

// NewStore returns a Store; outbox carries the supplier's notifications.
func NewStore(db *database.DB, outbox *notify.Outbox) *Store {
	return &Store{db: db, outbox: outbox}
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// known says whether v is one of the choices.
func known(choices []string, v string) bool { return slices.Contains(choices, v) }
