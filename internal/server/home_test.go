package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
	"pasokan/internal/i18n"
	"pasokan/internal/server"
	"pasokan/internal/testapp"
)

// homeFigureRe reads a figure of the home page by its test id.
var homeFigureRe = regexp.MustCompile(`data-testid="(figure-[a-z-]+)"><p class="figure-value">([^<]+)</p>`)

// homeFigures are the home page's figures by test id, as numbers.
func homeFigures(t *testing.T, body string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, m := range homeFigureRe.FindAllStringSubmatch(body, -1) {
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, m[2])
		n, err := strconv.ParseInt(digits, 10, 64)
		if err != nil {
			t.Fatalf("figure %s reads %q", m[1], m[2])
		}
		out[m[1]] = n
	}
	if len(out) != 5 {
		t.Fatalf("the home page shows %d figures, want 5: %v", len(out), out)
	}
	return out
}

// countedFigures counts the home page's figures from the source tables,
// not the kept counts the page reads: curated applications, and the
// provinces, product types and capacity of what is listed.
func countedFigures(t *testing.T, app *testapp.App) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	var f struct{ Curated, Provinces, Types, Masks, Sanitizer int64 }
	err := app.DB.App.ReadTx(ctx, database.System(), func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT (SELECT count(*) FROM applications WHERE status = 'curated') AS curated,
       count(DISTINCT l.province_code) AS provinces, count(DISTINCT p.product_type) AS types,
       coalesce(sum(p.monthly_capacity) FILTER (WHERE pt.category = 'masker'), 0) AS masks,
       coalesce(sum(p.monthly_capacity) FILTER (WHERE pt.category = 'hand_sanitizer'), 0) AS sanitizer
  FROM listings l
  JOIN listing_products p ON p.organization_id = l.organization_id
  JOIN product_types pt ON pt.code = p.product_type
 WHERE l.withdrawn_at IS NULL AND l.lapsed_at IS NULL`)
		var err error
		f, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[struct{ Curated, Provinces, Types, Masks, Sanitizer int64 }])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]int64{"figure-curated": f.Curated, "figure-provinces": f.Provinces,
		"figure-product-types": f.Types, "figure-masks": f.Masks, "figure-sanitizer": f.Sanitizer}
}

func sameFigures(t *testing.T, when string, got, want map[string]int64) {
	t.Helper()
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %s shows %d, want %d", when, k, got[k], w)
		}
	}
}

// The home page names the ministry and the programme, and its figures are
// the curated ones, counted right: suppliers whose application stands
// curated (not drafts, the submitted, those in review or sent back, the
// rejected or the suspended), the distinct provinces and product types of
// what is listed, and its monthly capacity; they follow a change at once.
func TestHomeShowsTheCuratedFigures(t *testing.T) {
	t.Parallel()
	app := testapp.NewScale(t, 60)
	visitor := app.Client(t)
	r := visitor.Get("/")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("/: %d", r.StatusCode)
	}
	for _, s := range []string{`data-testid="home-ministry">Kementerian Koperasi dan UKM Republik Indonesia</p>`,
		i18n.Translate(i18n.ID, "home.programme"), `href="/help" data-testid="home-help"`} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("the home page lacks %q", s)
		}
	}
	got, want := homeFigures(t, r.Body), countedFigures(t, app)
	sameFigures(t, "seeded", got, want)

	// The story has suppliers in every other state, and several listed
	// products per province: a count of organisations or of entries would
	// differ.
	suppliers := count(t, app, `SELECT count(*) FROM organizations WHERE kind = 'supplier'`)
	entries := count(t, app, `SELECT count(*) FROM catalog_entries`)
	if want["figure-curated"] == 0 || int(want["figure-curated"]) >= suppliers {
		t.Fatalf("%d curated of %d suppliers: the story cannot tell them apart", want["figure-curated"], suppliers)
	}
	if want["figure-provinces"] < 2 || int(want["figure-provinces"]) >= entries {
		t.Fatalf("%d provinces for %d listed products: the story cannot tell distinct from all", want["figure-provinces"], entries)
	}
	if want["figure-masks"] == 0 {
		t.Fatal("no mask capacity listed")
	}

	// A producer raises its capacity; another is suspended and leaves the
	// catalogue: the figures follow, without waiting.
	if n := asOwner(t, app, `UPDATE listing_products SET monthly_capacity = monthly_capacity + 1000
 WHERE id = (SELECT min(id) FROM listing_products WHERE product_type = 'masker-kain')`); n != 1 {
		t.Fatalf("raised %d capacities", n)
	}
	var gone int64
	if err := app.DB.App.ReadTx(context.Background(), database.System(), func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT l.application_id FROM listings l
 WHERE l.withdrawn_at IS NULL AND l.lapsed_at IS NULL ORDER BY l.organization_id DESC LIMIT 1`).Scan(&gone)
	}); err != nil {
		t.Fatal(err)
	}
	asOwner(t, app, `UPDATE applications SET status = 'suspended' WHERE id = $1`, gone)
	resync(t, app, gone)
	after := countedFigures(t, app)
	if after["figure-curated"] != want["figure-curated"]-1 {
		t.Fatalf("after a suspension %d curated, want %d", after["figure-curated"], want["figure-curated"]-1)
	}
	sameFigures(t, "after a change", homeFigures(t, visitor.Get("/").Body), after)

	// English: the ministry's name in English beside its own, numbers as
	// English writes them.
	visitor.Post("/language", vals("lang", "en", "next", "/"))
	en := visitor.Get("/").Body
	if !strings.Contains(en, i18n.Translate(i18n.EN, "home.ministry")) || !strings.Contains(en, "masks a month") {
		t.Error("the English home page lacks the ministry's name or the figures' words")
	}
	if masks := i18n.FormatInt(i18n.EN, after["figure-masks"]); !strings.Contains(en, `<p class="figure-value">`+masks+`</p>`) {
		t.Errorf("the English home page does not show %s masks", masks)
	}
}

// The help page answers the owners' questions in both languages and is
// linked from every page's footer; the helpdesk's contacts show when they
// are configured, and without them the page says where to turn instead.
func TestHelpPage(t *testing.T) {
	t.Parallel()
	app := testapp.New(t)
	c := app.Client(t)
	questions := []string{"who", "documents", "duration", "cost", "buyers", "verify", "password"}
	for _, lang := range []i18n.Lang{i18n.ID, i18n.EN} {
		if lang == i18n.EN {
			c.Post("/language", vals("lang", "en", "next", "/help"))
		}
		r := c.Get("/help")
		if r.StatusCode != http.StatusOK {
			t.Fatalf("%s /help: %d", lang, r.StatusCode)
		}
		for _, q := range questions {
			for _, key := range []string{"help.q." + q, "help.a." + q} {
				if want := templateText(i18n.Translate(lang, key)); !strings.Contains(r.Body, want) {
					t.Errorf("%s /help lacks %s", lang, key)
				}
			}
		}
		if !strings.Contains(r.Body, `<title>`+i18n.Translate(lang, "help.title")) {
			t.Errorf("%s /help: its title is not %q", lang, i18n.Translate(lang, "help.title"))
		}
		// Free, said plainly.
		if !strings.Contains(r.Body, map[i18n.Lang]string{i18n.ID: "Gratis.", i18n.EN: "Nothing."}[lang]) {
			t.Errorf("%s /help does not say curation is free", lang)
		}
		// No helpdesk configured: no contact line, and where to turn.
		if strings.Contains(r.Body, "mailto:") || strings.Contains(r.Body, "wa.me") ||
			!strings.Contains(r.Body, `data-testid="helpdesk-none"`) {
			t.Errorf("%s /help without a helpdesk shows a contact, or no word instead", lang)
		}
		// Every page's footer links it, this one and the home page.
		for _, page := range []string{"/help", "/"} {
			if body := c.Get(page).Body; !strings.Contains(body, `<li><a href="/help">`+i18n.Translate(lang, "help.footer_link")+`</a></li>`) {
				t.Errorf("%s %s: no footer link to /help", lang, page)
			}
		}
	}

	// A deployment with a helpdesk.
	d := app.Server.Deps
	d.HelpdeskEmail, d.HelpdeskPhone = "bantuan@kemenkopukm.go.id", "+6281112345678"
	withDesk := server.New(d)
	for _, lang := range []string{"id", "en"} {
		req := httptest.NewRequest(http.MethodGet, "/help", nil)
		req.Header.Set("Accept-Language", lang)
		w := httptest.NewRecorder()
		withDesk.ServeHTTP(w, req)
		body := w.Body.String()
		if w.Code != http.StatusOK {
			t.Fatalf("%s /help with a helpdesk: %d", lang, w.Code)
		}
		for _, want := range []string{`<a href="mailto:bantuan@kemenkopukm.go.id">bantuan@kemenkopukm.go.id</a>`,
			`<a href="https://wa.me/6281112345678">+6281112345678</a>`,
			templateText(i18n.Translate(i18n.Lang(lang), "help.contact_lead"))} {
			if !strings.Contains(body, want) {
				t.Errorf("%s /help with a helpdesk lacks %q", lang, want)
			}
		}
		if strings.Contains(body, `data-testid="helpdesk-none"`) {
			t.Errorf("%s /help with a helpdesk says there is none", lang)
		}
	}
	// Only an e-mail address: no WhatsApp line.
	d.HelpdeskPhone = ""
	req := httptest.NewRequest(http.MethodGet, "/help", nil)
	w := httptest.NewRecorder()
	server.New(d).ServeHTTP(w, req)
	if body := w.Body.String(); !strings.Contains(body, `data-testid="helpdesk-email"`) || strings.Contains(body, `data-testid="helpdesk-phone"`) {
		t.Error("/help with an e-mail address only: wrong contact lines")
	}
}

// templateText is s as templ writes it into a page.
func templateText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}
