package order

import (
	"fmt"
	"maps"
	"slices"
	"sync"

	"pasokan/internal/planner"
)

// A buyer's demand page plans what the demand still needs on every view
// (Propose). The plan is a function of the planner's input as read with the
// demand (what each site still needs, the deadline, the target price, the
// day, the buyer's preferences), of the catalogue's entries of the product
// and of the orders: what each producer has committed, and the buyer's own
// offers still unanswered. A Store keeps the plans it made, each under the
// generations of the catalogue (migration 0028) and of the orders (0051) it
// read first, and serves one again only while neither has moved: any commit
// that changes an entry or an order, in any process, moves one, and the
// next view plans anew. The input is the key, whole; the buyer is in it
// because the buyer's own offers are read.

// maxKeptPlans bounds the plans a Store keeps; when it is full it starts
// again empty (a plan holds its lines and the producers they name: one
// line and one producer of a few hundred bytes each per producer chosen).
const maxKeptPlans = 256

// generationsSQL reads the catalogue's and the orders' generations, and
// how many producers list the demand's product ($1), with the demand.
const generationsSQL = `SELECT (SELECT coalesce(sum(n), 0) FROM catalog_counts
         WHERE product_type = (SELECT product_type FROM demands WHERE id = $1))::int AS candidates,
       (SELECT sum(n) FROM catalog_generation)::bigint AS catalog,
       (SELECT sum(n) FROM order_generation)::bigint AS orders`

// generations are the sums a kept plan was read under.
type generations struct {
	Candidates int   `db:"candidates"`
	Catalog    int64 `db:"catalog"`
	Orders     int64 `db:"orders"`
}

// planKey is a plan's whole input but the candidates.
type planKey struct {
	buyer   int64
	product string
	batch   int
	input   string
}

func keyOf(buyer int64, product string, batch int, in planner.Input) planKey {
	return planKey{buyer: buyer, product: product, batch: batch, input: fmt.Sprintf("%s|%s|%d|%+v|%+v",
		in.Today.Format("2006-01-02"), in.Deadline.Format("2006-01-02"), in.TargetPrice, in.Options, in.Sites)}
}

// keptPlan is a plan, the producers it names and how many were read, as
// made under catalog and orders.
type keptPlan struct {
	catalog, orders int64
	plan            planner.Plan
	suppliers       map[int64]planner.Candidate
	read            int
}

// keptPlans are a Store's plans by input.
type keptPlans struct {
	mu    sync.Mutex
	plans map[planKey]keptPlan
	// hits counts the plans served again, for tests.
	hits int
}

// clone gives each caller its own slices and map: the page may change what
// it gets.
func (k keptPlan) clone() keptPlan {
	k.plan.Lines, k.plan.Sites = slices.Clone(k.plan.Lines), slices.Clone(k.plan.Sites)
	k.suppliers = maps.Clone(k.suppliers)
	return k
}

func (k *keptPlans) get(key planKey, g generations) (keptPlan, bool) {
	k.mu.Lock()
	kept, ok := k.plans[key]
	ok = ok && kept.catalog == g.Catalog && kept.orders == g.Orders
	if ok {
		k.hits++
	}
	k.mu.Unlock()
	if !ok {
		return keptPlan{}, false
	}
	return kept.clone(), true
}

func (k *keptPlans) put(key planKey, g generations, p keptPlan) {
	p = p.clone()
	p.catalog, p.orders = g.Catalog, g.Orders
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.plans == nil || len(k.plans) >= maxKeptPlans {
		k.plans = make(map[planKey]keptPlan)
	}
	k.plans[key] = p
}

// PlansKept is how many plans the Store served again without making them.
func (s *Store) PlansKept() int {
	s.kept.mu.Lock()
	defer s.kept.mu.Unlock()
	return s.kept.hits
}
