// Package order owns a buyer's demands and the orders they split into: the
// demand (what, how many, by when, delivered where), the plan that splits it
// across curated producers (package planner decides the split), and each
// order from the offer to the supplier's answer. It writes demands,
// demand_sites, orders and order_events (migration 0016); no other package
// changes them.
//
// An order is seen by two organisations: the buyer that offered it and the
// one supplier it names. Each method takes the acting organisation and
// names its rows by it; row-level security says the same again. A supplier
// never reads the demand, so never its target price, its notes or another
// supplier's line.
package order

import (
	"strconv"
	"strings"
	"time"

	"pasokan/internal/product"
	"pasokan/internal/region"
	"pasokan/internal/validation"
)

// Demand statuses (docs/DESIGN.md, "State machines").
const (
	DemandDraft    = "draft"
	DemandApproved = "approved"
	DemandPlanned  = "planned"
	DemandClosed   = "closed"
)

// Order statuses.
const (
	StatusOffered      = "offered"
	StatusCountered    = "countered"
	StatusAccepted     = "accepted"
	StatusDeclined     = "declined"
	StatusExpired      = "expired"
	StatusInProduction = "in_production"
	StatusShipped      = "shipped"
	StatusCompleted    = "completed"
	StatusInvoiced     = "invoiced"
	StatusPaid         = "paid"
	StatusCancelled    = "cancelled"
)

// Open says whether an order in status s still counts towards its demand:
// declined, expired and cancelled quantity returns to the shortfall.
func Open(s string) bool {
	return s != StatusDeclined && s != StatusExpired && s != StatusCancelled
}

// Limits of what a demand may hold.
const (
	MaxSites    = 20
	MaxQuantity = 100_000_000
	MaxPrice    = 100_000_000_000
)

// MaxHorizon bounds a deadline or a delivery date: beyond it a date is a
// typing mistake (9999-12-31), not a plan.
const MaxHorizon = 2 * 365 * 24 * time.Hour

// dateIn reads a date typed into field that must fall after today and
// within MaxHorizon.
func dateIn(errs validation.Errors, field, s string, today time.Time) time.Time {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	switch {
	case err != nil:
		errs.Add(field, "error.date_invalid")
	case !t.After(today):
		errs.Add(field, "error.deadline_past")
	case t.After(today.Add(MaxHorizon)):
		errs.Add(field, "error.deadline_far")
	default:
		return t
	}
	return time.Time{}
}

// ResponseDays is how many working days a supplier has to answer an offer.
const ResponseDays = 3

// RespondBy is when an offer made at t expires: ResponseDays working days
// later (Saturdays and Sundays do not count), at the same time of day.
func RespondBy(t time.Time) time.Time {
	for n := 0; n < ResponseDays; {
		t = t.AddDate(0, 0, 1)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return t
}

// Site is a delivery site of a demand.
type Site struct {
	ID           int64  `db:"id"`
	Position     int    `db:"position"`
	ProvinceCode string `db:"province_code"`
	RegencyCode  string `db:"regency_code"`
	Address      string `db:"address"`
	Quantity     int    `db:"quantity"`
}

// Demand is what a buyer needs.
type Demand struct {
	ID          int64      `db:"id"`
	BuyerOrgID  int64      `db:"buyer_org_id"`
	Title       string     `db:"title"`
	ProductType string     `db:"product_type"`
	Quantity    int        `db:"quantity"`
	Deadline    time.Time  `db:"deadline"`
	Standard    string     `db:"standard"`
	TargetPrice *int64     `db:"target_price"`
	Notes       string     `db:"notes"`
	Status      string     `db:"status"`
	Version     int        `db:"version"`
	CreatedBy   string     `db:"created_by_name"`
	ApprovedBy  string     `db:"approved_by_name"`
	ApprovedAt  *time.Time `db:"approved_at"`
	CreatedAt   time.Time  `db:"created_at"`
	Sites       []Site     `db:"-"`
	// Orders are the demand's orders, every status, oldest first.
	Orders []Order `db:"-"`
}

// Ordered is what the demand's open orders hold, per site id.
func (d Demand) Ordered() map[int64]int {
	m := map[int64]int{}
	for _, o := range d.Orders {
		if Open(o.Status) {
			m[o.SiteID] += o.Quantity
		}
	}
	return m
}

// Remaining is what each site still needs beyond its open orders, in the
// order of the sites.
func (d Demand) Remaining() []int {
	ordered := d.Ordered()
	out := make([]int, len(d.Sites))
	for i, s := range d.Sites {
		out[i] = max(0, s.Quantity-ordered[s.ID])
	}
	return out
}

// DemandSummary is a demand in the buyer's list.
type DemandSummary struct {
	ID          int64     `db:"id"`
	Title       string    `db:"title"`
	ProductType string    `db:"product_type"`
	Quantity    int       `db:"quantity"`
	Deadline    time.Time `db:"deadline"`
	Status      string    `db:"status"`
	Sites       int       `db:"sites"`
	Ordered     int       `db:"ordered"`
	Accepted    int       `db:"accepted"`
	CreatedAt   time.Time `db:"created_at"`
	// BuyerName names the buyer, for the ministry's list.
	BuyerName string `db:"buyer_name"`
}

// Order is one producer's part of a demand, as both parties see it.
type Order struct {
	ID               int64      `db:"id"`
	DemandID         int64      `db:"demand_id"`
	SiteID           int64      `db:"site_id"`
	BuyerOrgID       int64      `db:"buyer_org_id"`
	SupplierOrgID    int64      `db:"supplier_org_id"`
	BuyerName        string     `db:"buyer_name"`
	SupplierName     string     `db:"supplier_name"`
	ProductType      string     `db:"product_type"`
	Standard         string     `db:"standard"`
	Quantity         int        `db:"quantity"`
	UnitPrice        int64      `db:"unit_price"`
	DueDate          time.Time  `db:"due_date"`
	RespondBy        time.Time  `db:"respond_by"`
	Status           string     `db:"status"`
	CounterQuantity  *int       `db:"counter_quantity"`
	CounterUnitPrice *int64     `db:"counter_unit_price"`
	CounterDueDate   *time.Time `db:"counter_due_date"`
	Reason           string     `db:"reason"`
	Version          int        `db:"version"`
	CreatedAt        time.Time  `db:"created_at"`
	UpdatedAt        time.Time  `db:"updated_at"`
	// Deliveries: running sums of the shipments and receipts, and the
	// invoice and payment.
	ShippedUnits  int        `db:"shipped_units"`
	AcceptedUnits int        `db:"accepted_units"`
	RejectedUnits int        `db:"rejected_units"`
	CompletedAt   *time.Time `db:"completed_at"`
	InvoicedOn    *time.Time `db:"invoiced_on"`
	InvoiceAmount *int64     `db:"invoice_amount"`
	PaidOn        *time.Time `db:"paid_on"`
	// Code verifies the printed order (Surat Pesanan).
	Code *string `db:"code"`
	// The delivery site, for the order's page.
	SiteProvince string `db:"site_province_code"`
	SiteRegency  string `db:"site_regency_code"`
	SiteAddress  string `db:"site_address"`
	// Events is the order's timeline, Shipments its deliveries with what
	// was received of each (the order's page only).
	Events    []Event    `db:"-"`
	Shipments []Shipment `db:"-"`
}

// InTransit is what was shipped and not yet received.
func (o Order) InTransit() int { return o.ShippedUnits - o.AcceptedUnits - o.RejectedUnits }

// ToShip is what the supplier may still ship: the order's quantity and a
// replacement for every unit rejected, less what it shipped.
func (o Order) ToShip() int { return max(0, o.Quantity+o.RejectedUnits-o.ShippedUnits) }

// Shipment is one delivery of an order, with the goods-received record once
// the buyer made it.
type Shipment struct {
	ID        int64     `db:"id"`
	Quantity  int       `db:"quantity"`
	ShippedOn time.Time `db:"shipped_on"`
	Courier   string    `db:"courier"`
	Tracking  string    `db:"tracking"`
	CreatedAt time.Time `db:"created_at"`
	// The receipt (Berita Acara Serah Terima), when recorded.
	ReceiptID  *int64     `db:"receipt_id"`
	ReceivedOn *time.Time `db:"received_on"`
	Accepted   *int       `db:"accepted"`
	Rejected   *int       `db:"rejected"`
	Reason     *string    `db:"reason"`
	// ReceiptCode verifies the printed goods-received record.
	ReceiptCode *string `db:"receipt_code"`
}

// Value is what the order is worth at its price.
func (o Order) Value() int64 { return int64(o.Quantity) * o.UnitPrice }

// Event is one entry of an order's timeline.
type Event struct {
	ID         int64     `db:"id"`
	Action     string    `db:"action"`
	FromStatus string    `db:"from_status"`
	ToStatus   string    `db:"to_status"`
	Reason     string    `db:"reason"`
	ActorName  string    `db:"actor_name"`
	ActorOrg   string    `db:"actor_org"`
	At         time.Time `db:"at"`
}

// SiteInput is a delivery site as typed; a row left wholly empty is no site.
type SiteInput struct {
	ProvinceCode, RegencyCode, Address, Quantity string
}

func (s SiteInput) empty() bool {
	return strings.TrimSpace(s.ProvinceCode+s.RegencyCode+s.Address+s.Quantity) == ""
}

// DemandInput is the demand form as typed.
type DemandInput struct {
	Title, ProductType, Deadline, Standard, TargetPrice, Notes string
	Sites                                                      []SiteInput
}

// DemandFields are the demand form's single fields; the sites' fields are
// repeated (SiteFields).
var DemandFields = []string{"title", "product_type", "deadline", "standard", "target_price", "notes"}

// SiteFields are a site's fields, repeated once per site.
var SiteFields = []string{"site_province_code", "site_regency_code", "site_address", "site_quantity"}

// SiteField names the field of the site at (1-based) position for errors
// and ids: "site_quantity_2".
func SiteField(name string, position int) string {
	return name + "_" + strconv.Itoa(position)
}

// parsedDemand is a checked demand.
type parsedDemand struct {
	Title, ProductType, Standard, Notes string
	Deadline                            time.Time
	TargetPrice                         *int64
	Quantity                            int
	Sites                               []Site
}

// Parse checks a demand as typed: every error names its field (a site's as
// SiteField), and nothing is stored while any remains.
func (in DemandInput) Parse(products *product.Catalog, regions *region.Catalog, today time.Time) (parsedDemand, validation.Errors) {
	errs := validation.Errors{}
	var d parsedDemand
	d.Title = errs.SingleLine("title", in.Title, 1, 200, "error.demand_title_length")
	errs.Clean(map[string]string{"product_type": in.ProductType, "deadline": in.Deadline, "target_price": in.TargetPrice})
	d.ProductType = strings.TrimSpace(in.ProductType)
	if _, ok := products.Get(d.ProductType); !ok {
		errs.Add("product_type", "error.choose_option")
	}
	d.Deadline = dateIn(errs, "deadline", in.Deadline, today)
	d.Standard = errs.SingleLine("standard", in.Standard, 0, 200, "error.demand_standard_length")
	if s := strings.TrimSpace(in.TargetPrice); s != "" {
		if n, ok := validation.Amount(s); !ok || n < 1 || n > MaxPrice {
			errs.Add("target_price", "error.price_invalid")
		} else {
			d.TargetPrice = &n
		}
	}
	d.Notes = errs.MultiLine("notes", in.Notes, 0, 2000, "error.demand_notes_length")
	position := 0
	for i, s := range in.Sites {
		if s.empty() {
			continue
		}
		position++
		at := i + 1
		site := Site{Position: position}
		errs.Clean(map[string]string{SiteField("site_province_code", at): s.ProvinceCode,
			SiteField("site_regency_code", at): s.RegencyCode, SiteField("site_quantity", at): s.Quantity})
		site.ProvinceCode, site.RegencyCode = strings.TrimSpace(s.ProvinceCode), strings.TrimSpace(s.RegencyCode)
		if _, ok := regions.Province(site.ProvinceCode); !ok {
			errs.Add(SiteField("site_province_code", at), "error.choose_option")
		} else if !regions.Valid(site.ProvinceCode, site.RegencyCode) {
			errs.Add(SiteField("site_regency_code", at), "error.regency_outside_province")
		}
		site.Address = errs.MultiLine(SiteField("site_address", at), s.Address, 1, 500, "error.site_address_length")
		if n, ok := validation.WholeNumber(s.Quantity); !ok || n < 1 || n > MaxQuantity {
			errs.Add(SiteField("site_quantity", at), "error.quantity_invalid")
		} else {
			site.Quantity = int(n)
			d.Quantity += int(n)
		}
		d.Sites = append(d.Sites, site)
	}
	switch {
	case position == 0:
		errs.Add(SiteField("site_address", 1), "error.demand_no_site")
	case position > MaxSites:
		errs.Add(SiteField("site_address", 1), "error.demand_too_many_sites")
	case d.Quantity > MaxQuantity:
		errs.Add(SiteField("site_quantity", 1), "error.quantity_invalid")
	}
	return d, errs
}
