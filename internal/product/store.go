package product

import (
	"context"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
)

// Store reads the product types from Postgres. It reads them once and keeps
// the Catalog: reference data changes only with a migration, and a migration
// means a new release of the server.
type Store struct {
	db *database.DB

	mu      sync.Mutex
	catalog *Catalog
}

// NewStore returns a Store reading from db.
func NewStore(db *database.DB) *Store { return &Store{db: db} }

const selectTypesSQL = `SELECT code, category, name_id, name_en, unit_id, unit_en,
       permit_required, permit_kind, sort_order
  FROM product_types ORDER BY sort_order, code`

// Load returns the Catalog, reading it from the database on the first call
// only. A failed read is not kept: the next call tries again.
func (s *Store) Load(ctx context.Context) (*Catalog, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.catalog != nil {
		return s.catalog, nil
	}
	var types []Type
	err := s.db.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, selectTypesSQL)
		if err != nil {
			return err
		}
		types, err = database.CollectRows[Type](rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("product: load: %w", err)
	}
	s.catalog = newCatalog(types)
	return s.catalog, nil
}
