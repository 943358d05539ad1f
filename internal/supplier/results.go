package supplier

import (
	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/i18n"
)

// ProductResult is one product's outcome at the curation that decided the
// application: curated or not, and the checklist items it failed, so that
// a partial curation (cloth masks yes, hand sanitizer no) says which and
// why at the top of the supplier's page, not in the last line of its
// history.
type ProductResult struct {
	ProductType string   `db:"product_type"`
	Passed      bool     `db:"passed"`
	Notes       string   `db:"notes"`
	Failed      []string `db:"failed"`
}

// productResultsSQL reads the reviews of the curated application's last
// submission, with the text of each failed item in the reader's language.
const productResultsSQL = `SELECT r.product_type, r.passed, r.notes,
       ARRAY(SELECT CASE WHEN $3 = 'en' THEN i.text_en ELSE i.text_id END
               FROM checklist_items i
              WHERE i.checklist_id = r.checklist_id AND r.answers ->> i.key = 'fail'
              ORDER BY i.sort_order) AS failed
  FROM reviews r JOIN applications a ON a.id = r.application_id AND r.submission = a.submissions
 WHERE a.organization_id = $1 AND a.programme = $2 AND a.status = 'curated' AND r.product_type IS NOT NULL
 ORDER BY r.passed DESC, r.id`

// QueueProductResults queues the read of orgID's per-product results into
// out, for a caller's batch (the dashboard's Overview).
func QueueProductResults(b *pgx.Batch, orgID int64, lang i18n.Lang, out *[]ProductResult) {
	b.Queue(productResultsSQL, orgID, Programme, string(lang)).Query(func(rows pgx.Rows) error {
		var err error
		*out, err = database.CollectRows[ProductResult](rows)
		return err
	})
}

// Partial says whether some products were curated and some not.
func Partial(results []ProductResult) bool {
	var yes, no bool
	for _, r := range results {
		yes, no = yes || r.Passed, no || !r.Passed
	}
	return yes && no
}
