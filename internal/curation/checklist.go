package curation

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/i18n"
	"pasokan/internal/validation"
)

// Standard is one published standard in one version (SNI 8914:2020, EN
// 14683:2019+AC:2019, ...), with the dates the portal curates against it.
type Standard struct {
	ID      int64
	Code    string
	TitleID string
	TitleEN string
	Issuer  string
	// InForceFrom and InForceUntil bound the days the portal applies this
	// version: [from, until); a nil InForceUntil means still in force.
	InForceFrom  time.Time
	InForceUntil *time.Time
	// NoteID and NoteEN are what a reader should know beside the record:
	// sources that disagree, a correction of the record (migration 0040).
	NoteID, NoteEN string
}

// Note returns the standard's note in lang (Indonesian unless English).
func (s Standard) Note(lang i18n.Lang) string {
	if lang == i18n.EN {
		return s.NoteEN
	}
	return s.NoteID
}

// Title returns the standard's title in lang (Indonesian unless English).
func (s Standard) Title(lang i18n.Lang) string {
	if lang == i18n.EN {
		return s.TitleEN
	}
	return s.TitleID
}

// Item is one criterion of a checklist. A gate must pass for the product (or
// the applicant) to be curated; any other item counts for the score with its
// weight.
type Item struct {
	ID int64
	// Key is stable and unique within the checklist; reviews store answers
	// by it and the curator's form field is check_<Key>.
	Key    string
	TextID string
	TextEN string
	// Standard is read by its id (itemRow), not from the item's row.
	Standard Standard `db:"-"`
	// Clause says where in the standard the criterion comes from; empty
	// when not known for certain.
	Clause string
	Gate   bool
	// Weight is 1 to 5 for a weighted item and 0 for a gate.
	Weight int
	Sort   int
	// ErratumID and ErratumEN mark a correction of the item's text or
	// citation that does not change what is checked: its day and source.
	ErratumID, ErratumEN string
	// AsksLink marks an item whose answer needs the link of the public
	// register's page the curator read (the permit's lookup).
	AsksLink bool
}

// Erratum returns the item's erratum in lang, "" when it has none.
func (i Item) Erratum(lang i18n.Lang) string {
	if lang == i18n.EN {
		return i.ErratumEN
	}
	return i.ErratumID
}

// Text returns the item's text in lang (Indonesian unless English).
func (i Item) Text(lang i18n.Lang) string {
	if lang == i18n.EN {
		return i.TextEN
	}
	return i.TextID
}

// Field returns the name of the curator's form field for the item.
func (i Item) Field() string { return "check_" + i.Key }

// Checklist is the list of criteria for one product type, or for every
// applicant when ProductType is "", in one version.
type Checklist struct {
	ID          int64
	ProductType string
	Version     int
	// InForceFrom and InForceUntil bound the days a review uses this
	// version: [from, until); a nil InForceUntil means still in force.
	InForceFrom  time.Time
	InForceUntil *time.Time
	// ChangesID and ChangesEN say what this version changed from the one
	// before and on what source; empty for a first version.
	ChangesID, ChangesEN string
	// Items are in form order.
	Items []Item `db:"-"`
}

// Changes returns what the version changed, in lang.
func (c Checklist) Changes(lang i18n.Lang) string {
	if lang == i18n.EN {
		return c.ChangesEN
	}
	return c.ChangesID
}

// General reports whether c is the checklist every applicant is checked
// against, rather than one for a product type.
func (c Checklist) General() bool { return c.ProductType == "" }

// Item returns the item with key.
func (c Checklist) Item(key string) (Item, bool) {
	for _, it := range c.Items {
		if it.Key == key {
			return it, true
		}
	}
	return Item{}, false
}

// Standards returns the distinct standards c's items rest on, in the order
// they first appear: what a certificate names as the curation's basis.
func (c Checklist) Standards() []Standard {
	var out []Standard
	seen := map[int64]bool{}
	for _, it := range c.Items {
		if it.Standard.ID == 0 || seen[it.Standard.ID] {
			continue
		}
		seen[it.Standard.ID] = true
		out = append(out, it.Standard)
	}
	return out
}

// InForceOn reports whether c is in force on the calendar day of on, taken
// in on's location.
func (c Checklist) InForceOn(on time.Time) bool { return c.inForce(calendarDay(on)) }

// inForce reports whether c is in force on the calendar day day.
func (c Checklist) inForce(day time.Time) bool {
	return !day.Before(c.InForceFrom) && (c.InForceUntil == nil || day.Before(*c.InForceUntil))
}

// Answer is a curator's answer to one item.
type Answer string

// The answers, as posted in check_<key> and stored in reviews.answers.
const (
	AnswerPass Answer = "pass"
	AnswerFail Answer = "fail"
	// AnswerNA means the item does not apply to this product (for example
	// the type B filtration item for a type A cloth mask). A gate always
	// applies.
	AnswerNA Answer = "na"
)

// Valid reports whether a is one of the answers.
func (a Answer) Valid() bool { return a == AnswerPass || a == AnswerFail || a == AnswerNA }

// Result is what a set of answers to a checklist adds up to.
type Result struct {
	// Score is the weighted share, 0 to 100 and rounded down, of the
	// weighted items answered pass among those answered pass or fail; 100
	// when there are none. Rounding down keeps 100 for all passing.
	Score int
	// GatesPassed reports whether every gate was answered pass.
	GatesPassed bool
	// FailedGates are the keys of the gates answered fail, in form order.
	FailedGates []string
	// Passed reports whether every item has a valid answer and every gate
	// passed: the checklist allows curating.
	Passed bool
	// Missing are the keys of the items without an answer (or with an
	// empty one, as an unticked form field reads), in form order.
	Missing []string
}

// Evaluate adds up answers (by item key) to c. Every item needs an answer;
// a missing (or empty) or invalid one, or 'na' on a gate, is a field error on
// check_<key>. Answers to keys not in c are ignored. Result is filled in
// even when there are field errors, from the valid answers.
func (c Checklist) Evaluate(answers map[string]Answer) (Result, validation.Errors) {
	errs := validation.Errors{}
	res := Result{GatesPassed: true}
	var passed, counted int
	for _, it := range c.Items {
		a := answers[it.Key]
		switch {
		case a == "":
			res.Missing = append(res.Missing, it.Key)
			errs.Add(it.Field(), "error.check_required")
		case !a.Valid():
			errs.Add(it.Field(), "error.check_required")
		case it.Gate && a == AnswerNA:
			errs.Add(it.Field(), "error.check_gate_na")
		}
		if it.Gate {
			if a != AnswerPass {
				res.GatesPassed = false
			}
			if a == AnswerFail {
				res.FailedGates = append(res.FailedGates, it.Key)
			}
			continue
		}
		switch a {
		case AnswerPass:
			passed += it.Weight
			counted += it.Weight
		case AnswerFail:
			counted += it.Weight
		}
	}
	res.Score = 100
	if counted > 0 {
		res.Score = passed * 100 / counted
	}
	res.Passed = res.GatesPassed && !errs.Any()
	return res, errs
}

// Checklists reads the standards and checklists from Postgres. It reads
// them once and keeps them: reference data changes only with a migration,
// and a migration means a new release of the server. The checklists it
// hands out are copies the caller may keep or change.
type Checklists struct {
	db *database.DB

	mu  sync.Mutex
	set *checklistSet
}

// NewChecklists returns a Checklists store reading from db.
func NewChecklists(db *database.DB) *Checklists { return &Checklists{db: db} }

// InForce returns the checklist for productType ("" for the general one)
// in force on the calendar day of on, taken in on's location (pass a time in
// Asia/Jakarta, or the location the decision is dated in). It returns
// database.ErrNotFound when no version was in force that day, or the product
// type has no checklist.
func (c *Checklists) InForce(ctx context.Context, productType string, on time.Time) (Checklist, error) {
	set, err := c.load(ctx)
	if err != nil {
		return Checklist{}, err
	}
	day := calendarDay(on)
	for _, i := range set.byType[productType] {
		if set.all[i].inForce(day) {
			return set.all[i].clone(), nil
		}
	}
	return Checklist{}, fmt.Errorf("curation: checklist for %q in force on %s: %w", productType, day.Format(time.DateOnly), database.ErrNotFound)
}

// Get returns the checklist with id, as a review pinned it.
func (c *Checklists) Get(ctx context.Context, id int64) (Checklist, error) {
	set, err := c.load(ctx)
	if err != nil {
		return Checklist{}, err
	}
	i, ok := set.byID[id]
	if !ok {
		return Checklist{}, fmt.Errorf("curation: checklist %d: %w", id, database.ErrNotFound)
	}
	return set.all[i].clone(), nil
}

// All returns every checklist in every version: the general one first, then
// by product type in catalogue order, then by version.
func (c *Checklists) All(ctx context.Context) ([]Checklist, error) {
	set, err := c.load(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Checklist, len(set.all))
	for i, cl := range set.all {
		out[i] = cl.clone()
	}
	return out, nil
}

// Superseded returns the checklists no longer in force on the calendar day
// of on (their in_force_until is on or before it), in the order of All.
// Suppliers whose curation rests on one of them are due for re-curation.
func (c *Checklists) Superseded(ctx context.Context, on time.Time) ([]Checklist, error) {
	set, err := c.load(ctx)
	if err != nil {
		return nil, err
	}
	day := calendarDay(on)
	var out []Checklist
	for _, cl := range set.all {
		if cl.InForceUntil != nil && !cl.InForceUntil.After(day) {
			out = append(out, cl.clone())
		}
	}
	return out, nil
}

// checklistSet is every checklist in memory, never changed once built.
type checklistSet struct {
	all    []Checklist // general first, then catalogue order, then version
	byID   map[int64]int
	byType map[string][]int // product type ("" general) to indexes, by version
}

const (
	checklistStandardsSQL = `SELECT id, code, title_id, title_en, issuer, in_force_from, in_force_until, note_id, note_en
  FROM standards`
	checklistsSQL = `SELECT c.id, coalesce(c.product_type, '') AS product_type, c.version, c.in_force_from, c.in_force_until,
       c.changes_id, c.changes_en
  FROM checklists c LEFT JOIN product_types p ON p.code = c.product_type
 ORDER BY p.sort_order NULLS FIRST, c.product_type, c.version`
	checklistItemsSQL = `SELECT id, checklist_id, key, text_id, text_en, standard_id, clause, gate, weight, sort_order AS sort,
       erratum_id, erratum_en, asks_link
  FROM checklist_items ORDER BY checklist_id, sort_order, id`
)

// itemRow is a row of checklistItemsSQL: an item, its checklist and its
// standard's id.
type itemRow struct {
	Item
	ChecklistID int64
	StandardID  *int64
}

// load returns the checklists, reading them on the first call only. A
// failed read is not kept: the next call tries again.
func (c *Checklists) load(ctx context.Context) (*checklistSet, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.set != nil {
		return c.set, nil
	}
	var (
		standards  = map[int64]Standard{}
		checklists []Checklist
		items      = map[int64][]Item{}
	)
	err := c.db.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, checklistStandardsSQL)
		all, err := database.CollectRows[Standard](rows)
		if err != nil {
			return err
		}
		for _, s := range all {
			standards[s.ID] = s
		}

		rows, _ = tx.Query(ctx, checklistsSQL)
		checklists, err = database.CollectRows[Checklist](rows)
		if err != nil {
			return err
		}

		rows, _ = tx.Query(ctx, checklistItemsSQL)
		its, err := database.CollectRows[itemRow](rows)
		for _, r := range its {
			if r.StandardID != nil {
				r.Item.Standard = standards[*r.StandardID]
			}
			items[r.ChecklistID] = append(items[r.ChecklistID], r.Item)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("curation: load checklists: %w", err)
	}
	set := &checklistSet{byID: map[int64]int{}, byType: map[string][]int{}}
	for _, cl := range checklists {
		cl.InForceFrom = calendarDay(cl.InForceFrom)
		if cl.InForceUntil != nil {
			until := calendarDay(*cl.InForceUntil)
			cl.InForceUntil = &until
		}
		cl.Items = items[cl.ID]
		set.byID[cl.ID] = len(set.all)
		set.byType[cl.ProductType] = append(set.byType[cl.ProductType], len(set.all))
		set.all = append(set.all, cl)
	}
	c.set = set
	return set, nil
}

// calendarDay returns the calendar day of t, in t's location, as midnight
// UTC: the form dates read from Postgres take, so days compare directly.
func calendarDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// clone returns a deep copy of c, so that no caller can change the cached
// set through a slice or a date pointer.
func (c Checklist) clone() Checklist {
	c.InForceUntil = cloneTime(c.InForceUntil)
	c.Items = slices.Clone(c.Items)
	for i := range c.Items {
		c.Items[i].Standard.InForceUntil = cloneTime(c.Items[i].Standard.InForceUntil)
	}
	return c
}

func cloneTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := *t
	return &v
}
