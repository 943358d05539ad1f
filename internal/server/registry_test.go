package server_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/testapp"
)

var (
	linkFieldRe = regexp.MustCompile(`name="(link_\d+)"`)
	keptPass    = regexp.MustCompile(`value="pass" id="[^"]+" checked`)
)

// TestRegistryLinkRecordedWithTheItem: the permit's lookup in the Ministry
// of Health's register is recorded with its checklist item (issue 14). An
// isolation gown's review asks for the link of the register's page; a
// decision without it, or with a link elsewhere, is refused with the item
// named, keeps what was typed and changes nothing; with it, the review
// keeps the link and the page lists it for the next reader.
func TestRegistryLinkRecordedWithTheItem(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	gown := url.Values{"product_type": {"gaun-isolasi"}, "monthly_capacity": {"2.000"}, "price_min": {"35000"}, "price_max": {"60000"}}
	_, path := submittedSupplier(t, app, "wulan@contoh.id", 11, gown)
	cur, page := claimedReview(t, app, path)

	fields := linkFieldRe.FindAllStringSubmatch(page, -1)
	if len(fields) != 1 {
		t.Fatalf("want one link field (the gown's permit lookup; the cloth mask needs no permit), got %d", len(fields))
	}
	field := fields[0][1]
	if !strings.Contains(page, `<label for="f-`+field+`">Tautan halaman daftar yang Anda baca</label>`) ||
		!strings.Contains(page, `type="url"`) {
		t.Fatal("the link field has no label or is not a URL field")
	}

	reviews := func() int {
		var n int
		err := app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT count(*) FROM reviews`).Scan(&n)
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := reviews()

	version := reviewVersion(t, page)
	form := allPass(page, version, "curate")
	form.Del(field)
	r := cur.Post(path+"/decision", form)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("curating without the link: %d, want 422", r.StatusCode)
	}
	if !strings.Contains(r.Body, `href="#f-`+field+`"`) || !strings.Contains(r.Body, "Gaun isolasi, butir") ||
		!strings.Contains(r.Body, "tulis tautan halaman daftar yang Anda baca") {
		t.Error("the error summary does not name the gown's item and its missing link")
	}
	if !strings.Contains(r.Body, `aria-invalid="true"`) || !keptPass.MatchString(r.Body) {
		t.Error("the refused form does not mark the field or keep the answers")
	}

	form.Set(field, "http://infoalkes.kemkes.go.id.example.com/izin/123")
	r = cur.Post(path+"/decision", form)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "tautan harus alamat https di kemkes.go.id") {
		t.Fatalf("a link outside the register: %d, want 422 with its message", r.StatusCode)
	}
	if !strings.Contains(html.UnescapeString(r.Body), `value="http://infoalkes.kemkes.go.id.example.com/izin/123"`) {
		t.Error("the typed link is not kept")
	}
	// A rejection does not read the checklist, but a bad link typed into
	// it is still refused rather than dropped.
	reject := url.Values{"version": {version}, "decision": {"reject"}, "reason": {"Izin edar tidak ditemukan"},
		field: {"https://kemkes.go.id@evil.example/x"}}
	if r := cur.Post(path+"/decision", reject); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a rejection with a bad link: %d, want 422", r.StatusCode)
	}
	if n := reviews(); n != before {
		t.Fatalf("refused decisions wrote %d reviews", n-before)
	}

	link := "https://infoalkes.kemkes.go.id/perusahaan/detail?reg=KEMENKES+RI+AKD+21603020123"
	form.Set(field, link)
	if r := cur.Post(path+"/decision", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("curating with the link: %d\n%s", r.StatusCode, r.Body)
	}
	var stored string
	err := app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(),
			`SELECT links ->> 'permit_registry' FROM reviews WHERE product_type = 'gaun-isolasi' AND decision = 'curate'`).Scan(&stored)
	})
	if err != nil || stored != link {
		t.Fatalf("the gown's review holds %q (%v), want the link", stored, err)
	}
	after := cur.Get(path)
	if !strings.Contains(after.Body, `data-testid="lookups"`) ||
		!strings.Contains(html.UnescapeString(after.Body), `href="`+link+`"`) {
		t.Error("the review page does not list the recorded lookup")
	}
	// The ministry reads it on the organisation's page too.
	admin := app.Client(t)
	admin.Login("admin@pasokan.test", "pasokan-demo", "/admin")
	org := regexp.MustCompile(`href="(/admin/organizations/\d+)"`)
	orgs := admin.Get("/admin/organizations?q=" + url.QueryEscape("CV Maju Jaya"))
	m := org.FindStringSubmatch(orgs.Body)
	if m == nil {
		t.Fatal("the ministry does not find the supplier")
	}
	if p := admin.Get(m[1]); !strings.Contains(html.UnescapeString(p.Body), `href="`+link+`"`) {
		t.Error("the ministry's page of the organisation does not list the lookup")
	}
}
