package listing

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/jackc/pgx/v5"
)

// Every buyer who opens the catalogue, and every visitor of the directory,
// reads the same public entries. A Store keeps the pages it found, each under
// the catalogue's generation it read first (migration 0028: a sum that grows
// with every commit that changes an entry, in any process), and serves one
// again only while the generation has not moved. A change is seen at once:
// a supplier suspended leaves the next page served, here and in every other
// process.

// maxKeptPages bounds the pages a Store keeps; when it is full it starts
// again empty (a page is a few kilobytes).
const maxKeptPages = 2048

// generationSQL reads the catalogue's generation.
const generationSQL = `SELECT sum(n)::bigint FROM catalog_generation`

// Generation is the catalogue's generation as read in a round trip a
// request makes anyway (the session's), for Search to use rather than read
// it again.
type Generation struct {
	N    int64
	Read bool
}

// QueueGeneration queues the read of the catalogue's generation into g.
func QueueGeneration(b *pgx.Batch, g *Generation) {
	b.Queue(generationSQL).QueryRow(func(r pgx.Row) error {
		err := r.Scan(&g.N)
		g.Read = err == nil
		return err
	})
}

type generationKey struct{}

// WithGeneration gives Search a generation read earlier in the request.
func WithGeneration(ctx context.Context, g *Generation) context.Context {
	return context.WithValue(ctx, generationKey{}, g)
}

// Generation returns the catalogue's generation: the one read earlier in
// the request (WithGeneration), else read now.
func (s *Store) Generation(ctx context.Context) (int64, error) {
	if g, _ := ctx.Value(generationKey{}).(*Generation); g != nil && g.Read {
		return g.N, nil
	}
	var gen int64
	b := &pgx.Batch{}
	b.Queue(generationSQL).QueryRow(func(r pgx.Row) error { return r.Scan(&gen) })
	if err := s.db.Stale(ctx).ReadPublic(ctx, b); err != nil {
		return 0, fmt.Errorf("listing: the catalogue's generation: %w", err)
	}
	return gen, nil
}

// keptPage is a page and the generation it was read under.
type keptPage struct {
	gen  int64
	page Page
}

// keptPages are a Store's pages by search.
type keptPages struct {
	mu    sync.Mutex
	pages map[Filter]keptPage
	// hits counts the pages served again, for tests.
	hits int
}

func (k *keptPages) get(f Filter, gen int64) (Page, bool) {
	k.mu.Lock()
	kept, ok := k.pages[f]
	if ok && kept.gen == gen {
		k.hits++
	}
	k.mu.Unlock()
	if !ok || kept.gen != gen {
		return Page{}, false
	}
	// The caller may sort or change what it gets: each gets its own.
	p := kept.page
	p.Entries, p.Products, p.Provinces = slices.Clone(p.Entries), slices.Clone(p.Products), slices.Clone(p.Provinces)
	return p, true
}

func (k *keptPages) put(f Filter, gen int64, p Page) {
	p.Entries, p.Products, p.Provinces = slices.Clone(p.Entries), slices.Clone(p.Products), slices.Clone(p.Provinces)
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.pages == nil || len(k.pages) >= maxKeptPages {
		k.pages = make(map[Filter]keptPage)
	}
	k.pages[f] = keptPage{gen: gen, page: p}
}

// Hits is how many pages the Store served again without reading them.
func (s *Store) Hits() int {
	s.kept.mu.Lock()
	defer s.kept.mu.Unlock()
	return s.kept.hits
}

// Search returns a page of the catalogue: the one kept from an earlier
// search, when nothing in the catalogue has changed since, or read anew.
func (s *Store) Search(ctx context.Context, f Filter) (Page, error) {
	if _, ok := sorts[f.Sort]; !ok {
		f.Sort = SortName
	}
	gen, err := s.Generation(ctx)
	if err != nil {
		return Page{}, err
	}
	if p, ok := s.kept.get(f, gen); ok {
		return p, nil
	}
	p, err := s.search(ctx, f, gen)
	if err != nil {
		return Page{}, err
	}
	// Kept under the generation read before the page: a change committed
	// in between moves the generation past it, and the next search reads
	// the page again.
	s.kept.put(f, gen, p)
	return p, nil
}
