package listing

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
)

// exportPage is how many entries EachEntry reads per statement.
const exportPage = 1000

// eachSQL reads a page of the catalogue after a (name, id), along the name
// index: every page is as cheap as the first.
var eachSQL = `SELECT ` + entryColumns + ` FROM catalog_entries e
 WHERE (e.name, e.id) > ($1, $2)
 ORDER BY e.name, e.id LIMIT ` + strconv.Itoa(exportPage)

// EachEntry calls fn with every entry of the catalogue, by business name
// then id: the open data. It reads a thousand entries per statement and
// holds no connection while fn runs, so a slow download keeps none from the
// pool. The walk is not one snapshot: a supplier listed or withdrawn while
// it runs may be left out or included. An error from fn ends the walk and is
// returned as it is.
func (s *Store) EachEntry(ctx context.Context, fn func(Entry) error) error {
	afterName, afterID := "", int64(0)
	for {
		var es []Entry
		b := &pgx.Batch{}
		b.Queue(eachSQL, afterName, afterID).Query(func(rows pgx.Rows) error {
			var err error
			es, err = database.CollectRows[Entry](rows)
			return err
		})
		if err := s.db.Stale(ctx).ReadPublic(ctx, b); err != nil {
			return fmt.Errorf("listing: export: %w", err)
		}
		for _, e := range es {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(es) < exportPage {
			return nil
		}
		last := es[len(es)-1]
		afterName, afterID = last.Name, last.ID
	}
}
