package listing

import (
	"context"
	"encoding/base64"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
)

// Sort orders of the catalogue.
const (
	SortName     = "name"
	SortCapacity = "capacity"
	SortCurated  = "curated"
)

// Permit filters: products with an izin edar, or with an SNI certificate.
const (
	PermitIzinEdar = "izin_edar"
	PermitSNI      = "sni"
)

// PageSize is the number of entries on a catalogue page.
const PageSize = 25

// ScanLimit is how many entries a page reads at most along its walk: when
// the other filters reject most of them, the page stops there and says so
// (Page.Narrowed), rather than read the whole catalogue.
const ScanLimit = 1000

// CountLimit is the count above which the catalogue says "more than",
// for the catalogue as a whole and a word alone (counted without reading
// the entries).
const CountLimit = 1000

// SearchCountLimit is the count above which a search counted along its
// walk (a name, a word with filters) says "more than": counting to 1,000
// read up to 1,000 entries on every page of a common name at 1,000,000
// suppliers, against a few dozen at 10,000.
const SearchCountLimit = 200

// wordFacetLimit bounds the entries read for the facets of a search by one
// word, which is counted without reading them.
const wordFacetLimit = 250

// Filter is a catalogue search, as the query string carries it.
type Filter struct {
	Q           string
	Product     string
	Province    string
	Regency     string
	SizeClass   string
	Permit      string
	MinCapacity int
	Sort        string
	Cursor      string
}

// Entry is one listed product of one supplier: public data only.
type Entry struct {
	ID              int64      `db:"id"`
	OrgID           int64      `db:"organization_id"`
	Slug            string     `db:"slug"`
	Name            string     `db:"name"`
	ProductType     string     `db:"product_type"`
	SizeClass       string     `db:"size_class"`
	ProvinceCode    string     `db:"province_code"`
	RegencyCode     string     `db:"regency_code"`
	MonthlyCapacity int        `db:"monthly_capacity"`
	LeadTimeDays    *int       `db:"lead_time_days"`
	PriceMin        int64      `db:"price_min"`
	PriceMax        int64      `db:"price_max"`
	IzinEdar        bool       `db:"izin_edar"`
	SNI             bool       `db:"sni"`
	PausedUntil     *time.Time `db:"paused_until"`
	CuratedAt       time.Time  `db:"curated_at"`
	ConfirmedAt     time.Time  `db:"confirmed_at"`
	CertificateCode string     `db:"certificate_code"`
}

// Facet is one choice of a filter with the number of entries it leaves.
type Facet struct {
	Code string `db:"code"`
	N    int    `db:"n"`
}

// Page is a page of the catalogue.
type Page struct {
	Entries []Entry
	// Next is the cursor of the next page; empty on the last.
	Next string
	// Total counts the entries of the search, up to CountLimit (a search
	// counted along its walk, up to SearchCountLimit); Over says there
	// are at least that many, maybe more (beyond the limit, or beyond what
	// a walk that stopped at ScanLimit could count).
	Total int
	Over  bool
	// Narrowed says the walk read ScanLimit entries and found less than a
	// page: there may be more further on; a narrower search finds them.
	Narrowed bool
	// Corrected is the search as run when words of Q are in no entry and
	// were taken for typos ("bandun" → "bandung"); empty otherwise.
	Corrected string
	// Facets per product type and per province (FacetsCounted): for a
	// search by those two alone, from the kept counts, each under the other
	// filter; for any other, what the search found, when it was counted
	// exactly (not Over).
	Products      []Facet
	Provinces     []Facet
	FacetsCounted bool
}

// walk is the index a page reads along: a word of the search, a filter, or
// the sort alone.
type walk struct {
	table string // catalog_words or catalog_entries
	key   string // the leading column, "" for none
	value string
}

// sortSpec is a sort's ORDER BY and keyset condition (after the cursor),
// with {a} for the table's alias.
type sortSpec struct {
	order string
	after string
}

var sorts = map[string]sortSpec{
	SortName: {order: "{a}.name, {a}.id", after: "({a}.name, {a}.id) > (@after_text, @after_id)"},
	SortCapacity: {order: "{a}.monthly_capacity DESC, {a}.id",
		after: "({a}.monthly_capacity < @after_int OR ({a}.monthly_capacity = @after_int AND {a}.id > @after_id))"},
	SortCurated: {order: "{a}.curated_at DESC, {a}.id",
		after: "({a}.curated_at < @after_time OR ({a}.curated_at = @after_time AND {a}.id > @after_id))"},
}

// on writes a sort's clause for the table alias a.
func on(clause, a string) string { return strings.ReplaceAll(clause, "{a}", a) }

const entryColumns = `e.id, e.organization_id, e.slug, e.name, e.product_type, e.size_class, e.province_code,
       e.regency_code, e.monthly_capacity, e.lead_time_days, e.price_min, e.price_max, e.izin_edar, e.sni,
       e.paused_until, e.curated_at, e.confirmed_at, e.certificate_code`

// lexiconSQL reads the search's words as the catalogue indexes them (the
// lexemes of Postgres's Indonesian configuration: "penjahit" is "jahit"),
// in the order typed; a word in no entry is replaced by the nearest word
// that is in some (a typo: "bandun" is "bandung"); then each word and each
// pair of neighbouring words, with how many entries have it. A business
// name's words are each common ("konveksi", "melati"), its pairs seldom:
// walking the rarest pair keeps a search for a name as short at a million
// suppliers as at ten thousand.
const lexiconSQL = `WITH typed AS (
    SELECT t.lexeme, min(pos) AS pos
      FROM unnest(to_tsvector('indonesian', $1)) AS t(lexeme, positions, weights), unnest(t.positions) AS pos
     GROUP BY t.lexeme
), fixed AS (
    SELECT y.pos, y.lexeme, l.n,
           CASE WHEN l.n IS NULL THEN
             (SELECT x.word FROM catalog_lexicon x WHERE x.word % y.lexeme AND x.word NOT LIKE '% %'
               ORDER BY x.word <-> y.lexeme, x.word LIMIT 1)
           ELSE y.lexeme END AS word
      FROM typed y LEFT JOIN catalog_lexicon l ON l.word = y.lexeme
), pairs AS (
    SELECT word || ' ' || lead(word) OVER (ORDER BY pos) AS pair FROM fixed WHERE word IS NOT NULL
)
SELECT f.lexeme AS typed, coalesce(f.word, '') AS word,
       coalesce(f.n, (SELECT x.n FROM catalog_lexicon x WHERE x.word = f.word), 0) AS n, false AS pair
  FROM fixed f
UNION ALL
SELECT p.pair, p.pair, l.n, true
  FROM pairs p JOIN catalog_lexicon l ON l.word = p.pair`

// countsSQL reads the kept counts per product type and province.
const countsSQL = `SELECT product_type, province_code, n FROM catalog_counts`

// lexeme is a word of a search (or a pair of neighbouring words): as
// typed, as searched (a typo corrected; "" when nothing is near), and how
// many entries have it.
type lexeme struct {
	Typed string `db:"typed"`
	Word  string `db:"word"`
	N     int    `db:"n"`
	Pair  bool   `db:"pair"`
}

type countRow struct {
	ProductType  string `db:"product_type"`
	ProvinceCode string `db:"province_code"`
	N            int    `db:"n"`
}

// search reads a page of the catalogue. Everything it reads is public
// (catalog_entries, migration 0012), so buyers and the directory share it.
func (s *Store) search(ctx context.Context, f Filter, gen int64) (Page, error) {
	if _, ok := sorts[f.Sort]; !ok {
		f.Sort = SortName
	}
	var page Page
	var lex []lexeme
	q := strings.TrimSpace(f.Q)
	// The kept counts, when read under the same generation.
	var counts []countRow
	kept := s.counts.Load()
	have := kept != nil && kept.gen == gen
	if have {
		counts = kept.rows
	}
	queueCounts := func(b *pgx.Batch) {
		if have {
			return
		}
		b.Queue(countsSQL).Query(func(rows pgx.Rows) error {
			var err error
			if counts, err = database.CollectRows[countRow](rows); err == nil {
				s.counts.Store(&keptCounts{gen: gen, rows: counts})
			}
			return err
		})
	}
	// The walk depends on the words of the search and on the counts when
	// both the product type and the province are chosen: then they are read
	// first, in a round trip of their own.
	first := q != "" || (f.Product != "" && f.Province != "" && !have)
	if first {
		b := &pgx.Batch{}
		queueCounts(b)
		if q != "" {
			b.Queue(lexiconSQL, q).Query(func(rows pgx.Rows) error {
				var err error
				lex, err = database.CollectRows[lexeme](rows)
				return err
			})
		}
		if err := s.db.Stale(ctx).ReadPublic(ctx, b); err != nil {
			return Page{}, fmt.Errorf("listing: search: %w", err)
		}
		have = true
	}
	words, corrected := correct(lex)
	page.Corrected = corrected
	// A word in no entry, with nothing near it: nothing can match.
	if q != "" && len(words) == 0 {
		return page, nil
	}
	walkWord, walkN, probe := rarest(lex, words)
	if len(probe) > maxWords {
		probe = probe[:maxWords]
	}

	sums := func() (product, province int) {
		for _, c := range counts {
			if c.ProductType == f.Product {
				product += c.N
			}
			if c.ProvinceCode == f.Province {
				province += c.N
			}
		}
		return product, province
	}
	productN, provinceN := sums()
	// The walk: the rarest word, else the narrowest filter that leads an
	// index, else the sort alone.
	var w walk
	switch {
	case walkWord != "":
		w = walk{table: "catalog_words", key: "word", value: walkWord}
	case f.Regency != "":
		w = walk{table: "catalog_entries", key: "regency_code", value: f.Regency}
	case f.Product != "" && (f.Province == "" || productN <= provinceN):
		w = walk{table: "catalog_entries", key: "product_type", value: f.Product}
	case f.Province != "":
		w = walk{table: "catalog_entries", key: "province_code", value: f.Province}
	default:
		w = walk{table: "catalog_entries"}
	}
	sql, args := searchQuery(f, w, probe, PageSize+1)
	countSQL, countArgs := searchQuery(Filter{Q: f.Q, Product: f.Product, Province: f.Province, Regency: f.Regency,
		SizeClass: f.SizeClass, Permit: f.Permit, MinCapacity: f.MinCapacity, Sort: f.Sort}, w, probe, SearchCountLimit+1)
	b := &pgx.Batch{}
	queueCounts(b)
	b.Queue(sql, args).Query(func(rows pgx.Rows) error {
		var err error
		page.Entries, err = database.CollectRows[Entry](rows)
		return err
	})
	plain := len(words) == 0 && f.Regency == "" && f.SizeClass == "" && f.Permit == "" && f.MinCapacity == 0
	oneWord := walkWord != "" && len(probe) == 0 && f.Product == "" && f.Province == "" && f.Regency == "" && f.SizeClass == "" &&
		f.Permit == "" && f.MinCapacity == 0
	if err := s.db.Stale(ctx).ReadPublic(ctx, b); err != nil {
		return Page{}, fmt.Errorf("listing: search: %w", err)
	}
	// Any other search is counted when it fills a page (a name, the usual
	// search, seldom does: then the page is the count), along the same
	// walk, in a round trip of its own, by product and province: the
	// facets of the search. A word alone is counted by the lexicon, and its
	// facets read the same way when it is in at most wordFacetLimit entries
	// (a common word would read a thousand for them on every page).
	var found []countRow
	switch {
	case plain:
	case f.Cursor == "" && len(page.Entries) <= PageSize && (!oneWord || walkN <= PageSize):
		// The page is all there is.
		for _, e := range page.Entries {
			found = append(found, countRow{ProductType: e.ProductType, ProvinceCode: e.ProvinceCode, N: 1})
		}
	case !oneWord || walkN <= wordFacetLimit:
		b := &pgx.Batch{}
		b.Queue(`SELECT product_type, province_code, count(*) AS n FROM (`+countSQL+`) c GROUP BY 1, 2`, countArgs).
			Query(func(rows pgx.Rows) error {
				var err error
				found, err = database.CollectRows[countRow](rows)
				return err
			})
		if err := s.db.Stale(ctx).ReadPublic(ctx, b); err != nil {
			return Page{}, fmt.Errorf("listing: search: %w", err)
		}
	}
	if !plain && !oneWord {
		page.Total = 0
		for _, c := range found {
			page.Total += c.N
		}
	}
	productN, provinceN = sums()
	// The facets from the kept counts, under the other of the two filters.
	products, provinces := map[string]int{}, map[string]int{}
	total := 0
	for _, c := range counts {
		if f.Province == "" || c.ProvinceCode == f.Province {
			products[c.ProductType] += c.N
		}
		if f.Product == "" || c.ProductType == f.Product {
			provinces[c.ProvinceCode] += c.N
		}
		if (f.Province == "" || c.ProvinceCode == f.Province) && (f.Product == "" || c.ProductType == f.Product) {
			total += c.N
		}
	}
	page.Products, page.Provinces = facets(products), facets(provinces)
	// How many entries the walk's index holds: -1 for a regency's (not
	// counted).
	walked := -1
	switch w.key {
	case "word":
		walked = walkN
	case "product_type":
		walked = productN
	case "province_code":
		walked = provinceN
	case "":
		walked = total
	}
	switch {
	case plain:
		// Exact, from the kept counts.
		page.Total, page.FacetsCounted = total, true
	case oneWord:
		// Exact: the entries that have the word.
		page.Total = walked
	case walked < 0 || walked > ScanLimit:
		// Counted along a walk that stops at ScanLimit: at least that.
		page.Over = true
	}
	switch {
	case !plain && !oneWord && page.Total > SearchCountLimit:
		page.Total, page.Over = SearchCountLimit, true
	case page.Total > CountLimit:
		page.Total, page.Over = CountLimit, true
	}
	if !plain && !page.Over && found != nil {
		// The facets of the search: what it found, by product and province.
		products, provinces := map[string]int{}, map[string]int{}
		for _, c := range found {
			products[c.ProductType] += c.N
			provinces[c.ProvinceCode] += c.N
		}
		page.Products, page.Provinces, page.FacetsCounted = facets(products), facets(provinces), true
	}
	if len(page.Entries) > PageSize {
		page.Entries = page.Entries[:PageSize]
		page.Next = encodeCursor(f.Sort, page.Entries[len(page.Entries)-1])
	} else if scanned(f, w) {
		// A walk that filters what it reads stops at ScanLimit: when its
		// index holds more than that, there may be more further on.
		page.Narrowed = walked < 0 || walked > ScanLimit
	}
	return page, nil
}

// maxWords bounds the words of a search probed on each entry.
const maxWords = 6

// correct returns the words to search (each typo replaced by its nearest
// word) and, when any was replaced, the search as run. A word in no entry
// with nothing near empties the search.
func correct(lex []lexeme) ([]string, string) {
	var words []string
	changed := false
	for _, l := range lex {
		switch {
		case l.Pair:
		case l.Word == "":
			return nil, ""
		default:
			changed = changed || l.Word != l.Typed
			if !slices.Contains(words, l.Word) {
				words = append(words, l.Word)
			}
		}
	}
	if !changed {
		return words, ""
	}
	return words, strings.Join(words, " ")
}

// rarest returns the word or pair with the fewest entries, to walk, and
// the words still to probe on each entry it reads.
func rarest(lex []lexeme, words []string) (walk string, n int, probe []string) {
	n = -1
	var pair bool
	for _, l := range lex {
		if l.Word == "" || l.N <= 0 {
			continue
		}
		if n < 0 || l.N < n {
			walk, n, pair = l.Word, l.N, l.Pair
		}
	}
	covered := []string{walk}
	if pair {
		covered = strings.SplitN(walk, " ", 2)
	}
	for _, w := range words {
		if !slices.Contains(covered, w) {
			probe = append(probe, w)
		}
	}
	return walk, n, probe
}

// scanned says whether the page's walk applies filters that may reject
// what it reads (so that it may stop at ScanLimit short of a page).
func scanned(f Filter, w walk) bool {
	return w.table == "catalog_words" || f.SizeClass != "" || f.Permit != "" || f.MinCapacity > 0 ||
		(f.Product != "" && w.key != "product_type") || (f.Province != "" && w.key != "province_code") ||
		(f.Regency != "" && w.key != "regency_code")
}

func facets(m map[string]int) []Facet {
	out := make([]Facet, 0, len(m))
	for k, n := range m {
		if k != "" && n > 0 {
			out = append(out, Facet{Code: k, N: n})
		}
	}
	slices.SortFunc(out, func(a, b Facet) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// searchQuery puts together a page's statement: the walk along one index,
// at most ScanLimit deep, then the other filters on each entry read, then
// the page. Each combination of filters is a statement of its own (and a
// plan of its own); values travel as arguments.
func searchQuery(f Filter, w walk, probe []string, limit int) (string, pgx.NamedArgs) {
	s := sorts[f.Sort]
	args := pgx.NamedArgs{"after_id": int64(0), "after_text": "", "after_int": int64(math.MaxInt32), "after_time": time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}
	if f.Cursor != "" {
		if ok := decodeCursor(f.Sort, f.Cursor, args); !ok {
			args["after_id"] = int64(0)
		}
	}
	var b strings.Builder
	b.WriteString("SELECT " + entryColumns + "\n  FROM (SELECT d.* FROM " + w.table + " d WHERE ")
	if w.key != "" {
		b.WriteString("d." + w.key + " = @walk AND ")
		args["walk"] = w.value
	}
	b.WriteString(on(s.after, "d") + "\n         ORDER BY " + on(s.order, "d") + " LIMIT " + strconv.Itoa(ScanLimit) + ") ")
	// Along the words, each entry is read by its key; along the entries,
	// the walk is the entries.
	order := on(s.order, "e")
	if w.table == "catalog_words" {
		b.WriteString("d\n  JOIN catalog_entries e ON e.id = d.id\n")
		order = on(s.order, "d")
	} else {
		b.WriteString("e\n")
	}
	b.WriteString(" WHERE true")
	// The other words: each probed in the words' index by entry, without
	// reading the entry.
	for i, word := range probe {
		name := "word_" + strconv.Itoa(i)
		b.WriteString("\n   AND EXISTS (SELECT 1 FROM catalog_words o WHERE o.id = e.id AND o.word = @" + name + ")")
		args[name] = word
	}
	if f.Product != "" && w.key != "product_type" {
		b.WriteString("\n   AND e.product_type = @product")
		args["product"] = f.Product
	}
	if f.Province != "" && w.key != "province_code" {
		b.WriteString("\n   AND e.province_code = @province")
		args["province"] = f.Province
	}
	if f.Regency != "" && w.key != "regency_code" {
		b.WriteString("\n   AND e.regency_code = @regency")
		args["regency"] = f.Regency
	}
	if f.SizeClass != "" {
		b.WriteString("\n   AND e.size_class = @size_class")
		args["size_class"] = f.SizeClass
	}
	switch f.Permit {
	case PermitIzinEdar:
		b.WriteString("\n   AND e.izin_edar")
	case PermitSNI:
		b.WriteString("\n   AND e.sni")
	}
	if f.MinCapacity > 0 {
		b.WriteString("\n   AND e.monthly_capacity >= @min_capacity")
		args["min_capacity"] = f.MinCapacity
	}
	b.WriteString("\n ORDER BY " + order + "\n LIMIT " + strconv.Itoa(limit))
	return b.String(), args
}

// A cursor is the last entry's sort value and id.
func encodeCursor(sort string, e Entry) string {
	var v string
	switch sort {
	case SortCapacity:
		v = strconv.Itoa(e.MonthlyCapacity)
	case SortCurated:
		v = strconv.FormatInt(e.CuratedAt.UnixMicro(), 10)
	default:
		v = e.Name
	}
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(e.ID, 10) + "." + v))
}

// decodeCursor writes a cursor's values into args; a cursor that is not
// one of ours reads as the first page.
func decodeCursor(sort, c string, args pgx.NamedArgs) bool {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return false
	}
	id, v, ok := strings.Cut(string(raw), ".")
	// A cursor made by hand may hold bytes Postgres refuses as text.
	if !ok || !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
		return false
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n < 0 {
		return false
	}
	switch sort {
	case SortCapacity:
		c, err := strconv.ParseInt(v, 10, 32)
		if err != nil {
			return false
		}
		args["after_int"] = c
	case SortCurated:
		us, err := strconv.ParseInt(v, 10, 64)
		if err != nil || us < 0 || us > 253402300799999999 {
			return false
		}
		args["after_time"] = time.UnixMicro(us)
	default:
		args["after_text"] = v
	}
	args["after_id"] = n
	return true
}
