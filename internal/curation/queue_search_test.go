package curation_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/curation"
	"pasokan/internal/database"
	"pasokan/internal/database/dbtest"
)

// queued is an application as the queue's reference reads it.
type queued struct {
	ID        int64
	Legal     string `db:"legal_name"`
	Trade     string `db:"trading_name"`
	NIB       string
	Province  string `db:"province_code"`
	Status    string
	Products  []string
	Submitted time.Time `db:"submitted_at"`
}

// words splits a name as the search tokens do.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') })
}

// matches is the search's meaning, written plainly: a NIB is matched
// whole; otherwise every word of three letters or more must begin a word of
// the names, and a search of several words (or with short ones) must also
// appear as written in one of the names, from a word's start.
func matches(x queued, q string) bool {
	q = strings.TrimSpace(q)
	if q == "" {
		return true
	}
	// An NIB, whole or in groups parted by spaces, dots, dashes or slashes.
	if digits := strings.Map(func(r rune) rune {
		if strings.ContainsRune(" .-/", r) {
			return -1
		}
		return r
	}, q); len(digits) == 13 && strings.Trim(digits, "0123456789") == "" {
		return x.NIB == digits
	}
	names := words(x.Legal + " " + x.Trade)
	qw := words(q)
	long := 0
	for _, w := range qw {
		if len(w) < 3 {
			continue
		}
		long++
		w = w[:min(len(w), 12)]
		if !slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, w) }) {
			return false
		}
	}
	whole := len(qw) == 1 && long == 1 && len(qw[0]) <= 12 && strings.ToLower(q) == qw[0]
	if whole {
		return true
	}
	return x.NIB == q || fromWordStart(x.Legal, q) || fromWordStart(x.Trade, q)
}

// fromWordStart says q stands in name as written, ignoring case, at the
// name's start or after a character that is not a letter or digit.
func fromWordStart(name, q string) bool {
	name, q = strings.ToLower(name), strings.ToLower(q)
	for i := 0; i+len(q) <= len(name); i++ {
		if strings.HasPrefix(name[i:], q) && (i == 0 || len(words(name[i-1:i])) == 0) {
			return true
		}
	}
	return false
}

// TestQueueSearchAndFiltersMatchAPlainReading pages through the queue for
// many combinations of search, province, product and status, and compares
// every page with a plain reading of the same applications in Go.
func TestQueueSearchAndFiltersMatchAPlainReading(t *testing.T) {
	t.Parallel()
	b := setupScale(t, 1200)
	app, store := b.app, b.store
	ctx := context.Background()
	partner := b.actor(t, "kurator@pasokan.test")

	var all []queued
	err := app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT a.id, p.legal_name, p.trading_name, p.nib, p.province_code, a.status,
       coalesce((SELECT array_agg(ap.product_type) FROM application_products ap WHERE ap.application_id = a.id), '{}') AS products,
       a.submitted_at
  FROM applications a JOIN supplier_profiles p ON p.organization_id = a.organization_id
 WHERE a.assigned_org_id = $1 ORDER BY a.submitted_at, a.id`, partner.OrgID)
		if err != nil {
			return err
		}
		all, err = pgx.CollectRows(rows, pgx.RowToStructByName[queued])
		return err
	})
	dbtest.Must(t, err)
	if len(all) < 200 {
		t.Fatalf("only %d applications for the partner", len(all))
	}
	// Searches drawn from the data: a whole legal name, a common word, a
	// word's beginning, two letters, an NIB, and nothing that exists.
	// The sample waits, so that the searches made of its names find it.
	i := len(all) / 2
	for i < len(all)-1 && all[i].Status != "submitted" {
		i++
	}
	sample := all[i]
	if !matches(sample, sample.Legal) || len(strings.Fields(sample.Legal)) < 2 {
		t.Fatalf("the sample %q does not serve", sample.Legal)
	}
	common := words(sample.Legal)[len(words(sample.Legal))-1]
	spacedNIB := sample.NIB[:4] + " " + sample.NIB[4:8] + " " + sample.NIB[8:12] + " " + sample.NIB[12:]
	// Of several words: the last cut short, the first two (a common
	// pair), the last two, from inside a word (no match), and with a word
	// of two letters at the end.
	sw := strings.Fields(sample.Legal)
	lastTwo := strings.Join(sw[len(sw)-2:], " ")
	searches := []string{"", sample.Legal, common, common[:min(4, len(common))], "cv", sample.NIB, "zzzqqq tidak ada",
		strings.ToUpper(sample.Trade), spacedNIB, strings.ReplaceAll(spacedNIB, " ", "."), sample.NIB[:12],
		sample.Legal[:len(sample.Legal)-2], strings.Join(sw[:2], " "), lastTwo, lastTwo[1:], sw[0] + " Ja"}
	for _, q := range searches {
		for _, province := range []string{"", "32"} {
			for _, product := range []string{"", "masker-kain"} {
				for _, status := range []string{"", "curated"} {
					f := curation.QueueFilter{Q: q, Province: province, Product: product, Status: status, Limit: 7}
					name := fmt.Sprintf("q=%q province=%s product=%s status=%s", q, province, product, status)
					var want []int64
					for _, x := range all {
						st := []string{"submitted", "in_review"}
						if status != "" {
							st = []string{status}
						}
						if slices.Contains(st, x.Status) && (province == "" || x.Province == province) &&
							(product == "" || slices.Contains(x.Products, product)) && matches(x, q) {
							want = append(want, x.ID)
						}
					}
					var got []int64
					for pages := 0; ; pages++ {
						page, err := store.Queue(ctx, partner, f)
						dbtest.Must(t, err)
						for _, it := range page.Items {
							got = append(got, it.AppID)
						}
						if pages == 0 {
							// The count says as much as it knows, and
							// nothing false.
							switch {
							case page.FoundOver && len(want) <= page.Found,
								page.FoundCut && !page.FoundOver && len(want) < page.Found,
								!page.FoundOver && !page.FoundCut && len(want) != page.Found:
								t.Errorf("%s: %d match, the page counts %d (more %v, at least %v)", name, len(want),
									page.Found, page.FoundOver, page.FoundCut)
							}
						}
						if page.Next == "" || pages > 500 {
							break
						}
						f.Cursor = page.Next
					}
					if !slices.Equal(got, want) {
						t.Errorf("%s: %d applications %v, want %d %v", name, len(got), head(got), len(want), head(want))
					}
				}
			}
		}
	}
}

func head(ids []int64) []int64 { return ids[:min(len(ids), 8)] }

// TestQueueSearchFollowsChanges: the search tokens follow a new name and a
// decision, and no other organisation sees them.
func TestQueueSearchFollowsChanges(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	partner, sup, sapp := b.assigned(t, "ganti@contoh.id", 9)
	find := func(q, status string) bool {
		t.Helper()
		page, err := b.store.Queue(ctx, partner, curation.QueueFilter{Q: q, Status: status})
		dbtest.Must(t, err)
		return slices.ContainsFunc(page.Items, func(it curation.QueueItem) bool { return it.AppID == sapp.ID })
	}
	var legal string
	err := b.app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT legal_name FROM supplier_profiles WHERE organization_id = $1`, sup.OrgID).Scan(&legal)
	})
	dbtest.Must(t, err)
	if !find(legal, "") {
		t.Fatalf("%q not found in the queue", legal)
	}
	// The name changes (as a revision would bring).
	err = b.app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE supplier_profiles SET legal_name = 'Konveksi Pelangi Baru' WHERE organization_id = $1`, sup.OrgID)
		return err
	})
	dbtest.Must(t, err)
	if !find("pelangi", "") || find(legal, "") {
		t.Errorf("after renaming: new name found %v, old name found %v", find("pelangi", ""), find(legal, ""))
	}
	// A search of several words stands in the name as written, from a
	// word's start: the name's start, after a space, or after another
	// sign; never from inside a word.
	err = b.app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE supplier_profiles SET legal_name = 'CV. Al-Pelangi Baru/Jaya' WHERE organization_id = $1`, sup.OrgID)
		return err
	})
	dbtest.Must(t, err)
	for q, want := range map[string]bool{"cv. al-pelangi": true, "AL-PELANGI BARU": true, "Pelangi Baru": true,
		"Baru/Jaya": true, "pelangi baru/j": true, "l-Pelangi Baru": false, "elangi Baru": false, "Baru Jaya": false,
		"Al-Pelangi_Baru": false, "Al-Pelangi%Baru": false} {
		if find(q, "") != want {
			t.Errorf("%q: found %v, want %v", q, !want, want)
		}
	}
	// A decision moves it out of the waiting queue into its status.
	err = b.app.DB.App.Tx(ctx, database.System(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE applications SET status = 'rejected' WHERE id = $1`, sapp.ID)
		return err
	})
	dbtest.Must(t, err)
	if find("pelangi baru", "") || !find("pelangi baru", "rejected") {
		t.Error("the search tokens did not follow the decision")
	}
	// Another curator organisation and the supplier see none of the tokens.
	other := b.newCurator(t, "Kurasi Lain", "lain@kurasi.id")
	for who, a := range map[string]account.Actor{"another curator": other, "the supplier": sup} {
		var n int
		err := b.app.DB.App.ReadTx(ctx, a.Scope(), func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT count(*) FROM queue_search`).Scan(&n)
		})
		dbtest.Must(t, err)
		if n != 0 {
			t.Errorf("%s sees %d search tokens", who, n)
		}
	}
}
