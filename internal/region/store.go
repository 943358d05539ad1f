package region

import (
	"context"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
)

// Store reads the provinces and regencies from Postgres. It reads them once
// and keeps the Catalog: reference data changes only with a migration, and a
// migration means a new release of the server.
type Store struct {
	db *database.DB

	mu      sync.Mutex
	catalog *Catalog
}

// NewStore returns a Store reading from db.
func NewStore(db *database.DB) *Store { return &Store{db: db} }

const (
	selectProvincesSQL = `SELECT code, name FROM provinces ORDER BY code`
	selectRegenciesSQL = `SELECT code, province_code, name, kind FROM regencies ORDER BY code`
)

// Load returns the Catalog, reading it from the database on the first call
// only. A failed read is not kept: the next call tries again.
func (s *Store) Load(ctx context.Context) (*Catalog, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.catalog != nil {
		return s.catalog, nil
	}
	var (
		provinces []Province
		regencies []Regency
	)
	err := s.db.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, selectProvincesSQL)
		if err != nil {
			return err
		}
		if provinces, err = database.CollectRows[Province](rows); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, selectRegenciesSQL)
		if err != nil {
			return err
		}
		regencies, err = database.CollectRows[Regency](rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("region: load: %w", err)
	}
	s.catalog = newCatalog(provinces, regencies)
	return s.catalog, nil
}
