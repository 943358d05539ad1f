package supplier

import (
	"encoding/json"
	"slices"

	"github.com/jackc/pgx/v5"
)

// A revision request names what to fix: a profile field, a product, a
// document kind. The supplier's pages say of each whether it has changed
// since the submission the curator read (application_snapshots holds it),
// so an owner sees which fixes are still to do, and the curator's note
// leads to its field.

// batchSnapshotSQL is the snapshot of the submission the revision request
// answered, while one is open.
const batchSnapshotSQL = `SELECT s.snapshot
  FROM application_snapshots s JOIN applications a ON a.id = s.application_id AND s.submission = a.submissions
 WHERE a.organization_id = $1 AND a.programme = $2 AND a.status = 'revision_requested'`

// queueSnapshot queues the read of the open revision request's submitted
// snapshot into l.
func (l *appLoad) queueSnapshot(b *pgx.Batch) {
	b.Queue(batchSnapshotSQL, l.orgID, Programme).Query(func(rows pgx.Rows) error {
		raw, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
		if err != nil || len(raw) == 0 {
			return err
		}
		var s Snapshot
		if err := json.Unmarshal(raw[0], &s); err != nil {
			return err
		}
		l.snapshot = &s
		return nil
	})
}

// MarkChanged sets each flag's Changed: whether its target differs now
// from what was submitted (snap). A field compares as the form shows it; a
// product by every detail the supplier typed (removed counts as changed);
// a document kind changes when a file of that kind was added or all were
// removed. Without a snapshot nothing is marked.
func MarkChanged(flags []Flag, snap *Snapshot, p Profile, app Application) {
	if snap == nil {
		return
	}
	before, now := snap.Profile.Input(), p.Input()
	for i := range flags {
		f := &flags[i]
		switch f.Target {
		case "field":
			f.Changed = before[f.TargetKey] != now[f.TargetKey]
		case "product":
			f.Changed = productChanged(f.TargetKey, snap.Products, app.Products)
		case "document":
			f.Changed = documentChanged(f.TargetKey, snap.Documents, app.Documents)
		}
	}
}

func productChanged(kind string, before, now []Product) bool {
	find := func(ps []Product) (Product, bool) {
		for _, p := range ps {
			if p.Type == kind {
				p.ID = 0
				return p, true
			}
		}
		return Product{}, false
	}
	b, okb := find(before)
	n, okn := find(now)
	return okb != okn || b != n
}

func documentChanged(kind string, before []DocumentRef, now []Document) bool {
	var old []int64
	for _, d := range before {
		if d.Kind == kind {
			old = append(old, d.ID)
		}
	}
	kept := 0
	for _, d := range now {
		if d.Kind != kind {
			continue
		}
		if !slices.Contains(old, d.ID) {
			return true
		}
		kept++
	}
	return kept == 0 && len(old) > 0
}

// Unchanged counts the flags not changed yet.
func Unchanged(flags []Flag) int {
	n := 0
	for _, f := range flags {
		if !f.Changed {
			n++
		}
	}
	return n
}

// FlagHref is where the supplier fixes what a flag names: the profile's
// field, the product's row, or the upload form with the kind chosen.
func FlagHref(f Flag) string {
	switch f.Target {
	case "field":
		return "/supplier/profile#f-" + f.TargetKey
	case "product":
		return "/supplier/application#product-" + f.TargetKey
	case "document":
		return "/supplier/application?kind=" + f.TargetKey + "#upload"
	}
	return "/supplier/application"
}

// FirstToFix is the href of the first flag not changed yet, or of the
// first flag when all are.
func FirstToFix(flags []Flag) string {
	for _, f := range flags {
		if !f.Changed {
			return FlagHref(f)
		}
	}
	if len(flags) > 0 {
		return FlagHref(flags[0])
	}
	return "/supplier/application"
}
