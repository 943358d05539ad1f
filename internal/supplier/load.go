package supplier

import (
	"errors"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
)

// The supplier's pages read the profile and the active application with
// its products, documents, timeline and revision requests. Each query
// names the application through the organisation, so that they can all go
// to Postgres at once (database.ReadBatch): one round trip instead of one
// per query, each of which cost Postgres CPU of its own.

// activeAppIDSQL is the organisation's active application in this
// programme, as a subquery.
const activeAppIDSQL = `(SELECT id FROM applications WHERE organization_id = $1 AND programme = $2 AND status <> 'rejected')`

const batchProductsSQL = `SELECT id, product_type AS type, monthly_capacity, coalesce(lead_time_days, 0) AS lead_time_days,
       price_min, price_max, materials, material_needs, permit_number, sni_certificate
  FROM application_products WHERE application_id = ` + activeAppIDSQL + ` ORDER BY id`

const batchEventsSQL = `SELECT e.id, e.action, e.from_status, e.to_status, e.reason,
       coalesce((SELECT u.name FROM users u WHERE u.id = e.actor_user_id), '') AS actor_name, e.occurred_at AS at
  FROM application_events e
 WHERE e.application_id = ` + activeAppIDSQL + ` ORDER BY e.id`

const batchFlagsSQL = `SELECT f.target, f.target_key, f.reason
  FROM application_flags f JOIN applications a ON a.id = f.application_id AND f.submission = a.submissions
 WHERE a.organization_id = $1 AND a.programme = $2 AND a.status = 'revision_requested'
 ORDER BY f.id`

// appLoad is an application being read in a batch.
type appLoad struct {
	orgID int64
	row   appRow
	found bool
	app   Application
	// snapshot is what the open revision request answered (queueSnapshot).
	snapshot *Snapshot
}

// queueApplication queues the reads of orgID's active application in b.
func queueApplication(b *pgx.Batch, orgID int64) *appLoad {
	l := &appLoad{orgID: orgID}
	b.Queue(activeAppSQL, orgID, Programme).Query(func(rows pgx.Rows) error {
		var err error
		l.row, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[appRow])
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		l.found = err == nil
		return err
	})
	b.Queue(batchProductsSQL, orgID, Programme).Query(func(rows pgx.Rows) error {
		var err error
		l.app.Products, err = database.CollectRows[Product](rows)
		return err
	})
	QueueDocumentsOf(b, orgID, &l.app.Documents)
	b.Queue(batchEventsSQL, orgID, Programme).Query(func(rows pgx.Rows) error {
		var err error
		l.app.Events, err = database.CollectRows[Event](rows)
		return err
	})
	b.Queue(batchFlagsSQL, orgID, Programme).Query(func(rows pgx.Rows) error {
		var err error
		l.app.Flags, err = database.CollectRows[Flag](rows)
		return err
	})
	return l
}

// application returns what was read: the active application, or a draft
// not yet made (with the organisation's documents).
func (l *appLoad) application() Application {
	app := l.app
	app.OrgID = l.orgID
	if !l.found {
		return Application{OrgID: l.orgID, Status: StatusDraft, Documents: app.Documents}
	}
	r := l.row
	app.ID, app.Status, app.Version, app.Submissions, app.SubmittedAt, app.CreatedAt =
		r.ID, r.Status, r.Version, r.Submissions, r.SubmittedAt, r.CreatedAt
	return app
}

// QueueProfileOfApplication queues the read of the profile of the
// organisation that holds application appID, for a page that reads the
// application in the same batch (and knows no more than its id). Without
// a profile, p is an empty draft whose OrgID the caller sets.
func QueueProfileOfApplication(b *pgx.Batch, appID int64, p *Profile) {
	queueProfile(b, profileOfApplicationSQL, appID, p)
}

// QueueProfileOf queues the read of organisation orgID's profile, as
// QueueProfileOfApplication does.
func QueueProfileOf(b *pgx.Batch, orgID int64, p *Profile) {
	queueProfile(b, profileSQL, orgID, p)
}

func queueProfile(b *pgx.Batch, sql string, id int64, p *Profile) {
	*p = Profile{KBLI: []string{}, KBLIEdition: "2020"}
	b.Queue(sql, id).Query(func(rows pgx.Rows) error {
		got, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[Profile])
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		*p = got
		return err
	})
}

// QueueDocumentsOf queues the read of organisation orgID's documents into
// docs, for a caller's batch.
func QueueDocumentsOf(b *pgx.Batch, orgID int64, docs *[]Document) {
	queueDocuments(b, documentsSQL, orgID, docs)
}

// QueueDocumentsOfApplication queues the read of the documents of the
// organisation that holds application appID.
func QueueDocumentsOfApplication(b *pgx.Batch, appID int64, docs *[]Document) {
	queueDocuments(b, documentsOfApplicationSQL, appID, docs)
}

func queueDocuments(b *pgx.Batch, sql string, id int64, docs *[]Document) {
	b.Queue(sql, id).Query(func(rows pgx.Rows) error {
		var err error
		*docs, err = database.CollectRows[Document](rows)
		return err
	})
}

// QueueEventsOf queues the read of application appID's events, oldest
// first, into events, for a caller's batch.
func QueueEventsOf(b *pgx.Batch, appID int64, events *[]Event) {
	queueEvents(b, eventsSQL, appID, events)
}

// QueueEventsOfOrganization is QueueEventsOf for organisation orgID's
// latest application (LatestApplicationOfSQL), for a page that knows only
// the organisation.
func QueueEventsOfOrganization(b *pgx.Batch, orgID int64, events *[]Event) {
	queueEvents(b, eventsOfOrganizationSQL, orgID, events)
}

// LatestApplicationOfSQL is organisation $1's latest application that was
// not rejected, as a subquery (an init plan): the one the ministry's page
// of the organisation shows.
const LatestApplicationOfSQL = `(SELECT id FROM applications WHERE organization_id = $1 AND status <> 'rejected' ORDER BY id DESC LIMIT 1)`

func queueEvents(b *pgx.Batch, sql string, id int64, events *[]Event) {
	b.Queue(sql, id).Query(func(rows pgx.Rows) error {
		var err error
		*events, err = database.CollectRows[Event](rows)
		return err
	})
}
