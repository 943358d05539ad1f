package curation

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
)

// The queue's SQL is put together from the constant fragments below, one
// per filter in use, so that each combination gets a plan of its own:
// written as one statement with "$4 = '' OR ..." for every filter, a
// generic plan could not know which were empty and read every waiting
// application. Values only ever travel as arguments.

// queueSelectSQL reads the page's rows; what the queue shows of each
// application comes from its card (queue_cards, migration 0011), one row by
// primary key. The assignee's name comes from the organisation's members,
// read for the assignee filter in the same round trip (curatorsSQL): read
// by a probe of the users per row, under their policy, it cost the queue
// 0.05 to 0.1 ms of Postgres a page (a join let the policy walk every
// user).
const queueSelectSQL = `SELECT a.id AS app_id, a.organization_id AS org_id, c.name, c.nib, c.province_code,
       a.status, a.version, a.submitted_at, coalesce(a.assigned_user_id, 0) AS assignee_id,
       c.products, c.signals
  FROM (`

const queueFromSQL = `) a
  JOIN queue_cards c ON c.application_id = a.id
 ORDER BY a.submitted_at, a.id`

// queueWaitingSQL chooses a page of the waiting queue (submitted and in
// review, the page curators open) in one walk along the partial index of
// the waiting (assigned_org_id, submitted_at, id), migration 0019, that
// stops after the page. The statuses are written in, as the index's
// predicate says them: a generic plan cannot prove that an argument names
// them. (A walk per status read a page of each and sorted both.)
const queueWaitingSQL = `SELECT a.* FROM applications a
         WHERE a.assigned_org_id = @org AND a.status IN ('submitted', 'in_review')
           AND (a.submitted_at, a.id) > (@after, @after_id)
         ORDER BY a.submitted_at, a.id
         LIMIT {limit}`

// queueByStatusSQL chooses the page per status along the index
// (assigned_org_id, status, submitted_at, id), each status reading only as
// far as the page needs, then merges them.
const queueByStatusSQL = `SELECT x.* FROM unnest(@statuses::text[]) AS st(status),
        LATERAL (SELECT a.* FROM applications a
                  WHERE a.assigned_org_id = @org AND a.status = st.status
                    AND (a.submitted_at, a.id) > (@after, @after_id)`

// queueByStatusBoundedSQL is queueByStatusSQL for filters that may reject
// most of what they read (a search with no word long enough for the
// tokens, one letter, a product, signals): each status is read at most
// {scan} applications deep. A two-letter search that matched nothing read
// every waiting application of the organisation (86 ms at 200,000
// suppliers, growing with them), before two letters were tokens. The page
// then says the search may have stopped short.
const queueByStatusBoundedSQL = `SELECT x.* FROM unnest(@statuses::text[]) AS st(status),
        LATERAL (SELECT a.* FROM (SELECT a.* FROM applications a
                                   WHERE a.assigned_org_id = @org AND a.status = st.status
                                     AND (a.submitted_at, a.id) > (@after, @after_id)
                                   ORDER BY a.submitted_at, a.id
                                   LIMIT {scan}) a
                  WHERE true`

const queueByStatusEndSQL = `
                  ORDER BY a.submitted_at, a.id
                  LIMIT {limit}) x
         ORDER BY x.submitted_at, x.id
         LIMIT {limit}`

// queueByTokenSQL chooses the page per status along the search tokens of
// the organisation's applications (queue_search_walk_idx), then merges.
// The walk reads at most {scan} tokens per status: when every word of a
// search is common and the applications it names are few, or none, it
// would otherwise read every application with the commonest word (seconds
// at 1,000,000 suppliers). The page then says the search was cut short.
const queueByTokenSQL = `SELECT x.* FROM unnest(@statuses::text[]) AS st(status),
        LATERAL (SELECT a.* FROM (SELECT w.application_id, w.submitted_at FROM queue_search w
                                   WHERE w.assigned_org_id = @org AND w.token = {token} AND w.status = st.status
                                     AND (w.submitted_at, w.application_id) > (@after, @after_id)
                                   ORDER BY w.submitted_at, w.application_id
                                   LIMIT {scan}) w
                   JOIN applications a ON a.id = w.application_id
                  WHERE a.status = st.status`

// queueByTokenProbedSQL is queueByTokenSQL for filters that read only
// the application's id (not its assignee): they probe the tokens' entries,
// and only the page's applications are read. Read before the probes, every
// application the walk passed cost a lookup: a quarter of a common name's
// page at 1,000,000 suppliers (117 applications read for 26 shown per
// status). The tokens keep the application's status (0009), so it is
// checked again only on the page's.
const queueByTokenProbedSQL = `SELECT x.* FROM unnest(@statuses::text[]) AS st(status),
        LATERAL (SELECT p.* FROM (SELECT a.id, a.submitted_at
                                    FROM (SELECT w.application_id AS id, w.submitted_at FROM queue_search w
                                           WHERE w.assigned_org_id = @org AND w.token = {token} AND w.status = st.status
                                             AND (w.submitted_at, w.application_id) > (@after, @after_id)
                                           ORDER BY w.submitted_at, w.application_id
                                           LIMIT {scan}) a
                                   WHERE true`

const queueByTokenProbedEndSQL = `
                                   ORDER BY a.submitted_at, a.id
                                   LIMIT {limit}) a
                   JOIN applications p ON p.id = a.id AND p.status = st.status) x
         ORDER BY x.submitted_at, x.id
         LIMIT {limit}`

// queueWaitingByTokenSQL is queueByTokenProbedSQL for the waiting queue
// (submitted and in review, the tab curators open): one walk along the
// partial index of the waiting applications' tokens (migration 0050), in
// the page's order, instead of a walk per status merged after. Per status,
// a page of 26 probed 52 applications and counted up to 402 entries.
const queueWaitingByTokenSQL = `SELECT p.* FROM (SELECT a.id, a.submitted_at
          FROM (SELECT w.application_id AS id, w.submitted_at FROM queue_search w
                 WHERE w.assigned_org_id = @org AND w.token = {token} AND w.status IN ('submitted', 'in_review')
                   AND (w.submitted_at, w.application_id) > (@after, @after_id)
                 ORDER BY w.submitted_at, w.application_id
                 LIMIT {scan}) a
         WHERE true`

const queueWaitingByTokenEndSQL = `
         ORDER BY a.submitted_at, a.id
         LIMIT {limit}) a
  JOIN applications p ON p.id = a.id AND p.status IN ('submitted', 'in_review')`

const queueByTokenEndSQL = `
                  ORDER BY w.submitted_at, w.application_id
                  LIMIT {limit}) x
         ORDER BY x.submitted_at, x.id
         LIMIT {limit}`

// The filters, each one probe per application read; products and signals
// are read from the application's card (queue_cards), whose policy is
// settled once per statement, not through policies that probe the
// applications again for every row. OFFSET 0 keeps each a probe: without
// it Postgres may join the filter instead, reading every entry of the
// curator's with the word; as the curators' role, whose policy on the
// tokens is an equality an index serves (migration 0052), the generic
// plan of a name search did, and read 2,267 entries of its second word
// for a page of 26 at 1,000,000 suppliers (2.0 ms of Postgres a view).
const (
	filterProductSQL = `
           AND EXISTS (SELECT 1 FROM queue_cards c WHERE c.application_id = a.id AND @product = ANY (c.products) OFFSET 0)`
	// The unclaimed are asked for as such: a generic plan takes
	// "= @assignee" for a rare value, and gathered a whole status to sort
	// it when most of it was unclaimed (185 ms at 200,000 suppliers). They
	// are walked in order along a partial index of their own (migration
	// 0019): IS NULL on a column of (org, status, assignee, time) does not
	// keep the order, so that walk read every unclaimed application of a
	// status and sorted them.
	filterAssigneeSQL = `
           AND a.assigned_user_id = @assignee`
	filterUnclaimedSQL = `
           AND a.assigned_user_id IS NULL`
	filterSignalsSQL = `
           AND EXISTS (SELECT 1 FROM queue_cards c WHERE c.application_id = a.id AND c.signals > 0 OFFSET 0)`
	filterProvinceSQL = `
           AND EXISTS (SELECT 1 FROM queue_search t WHERE t.application_id = a.id AND t.token = @province_token OFFSET 0)`
	// filterNameSQL confirms the whole search text where the token walk
	// found only its rarest word or pair, or where no word was long enough
	// to be a token: as written, from a word's start, in either name, or
	// the NIB as typed. A name is first asked whether it has the text at
	// all (@like_any), then whether at its start or after a space, the
	// usual places; only a name that has it elsewhere is asked the regular
	// expression (@words, namePattern), after another sign ("Al-Ikhlas").
	// The regular expression on every name the walk read was half the
	// statement's time: 2.5 µs a name against 0.7 for LIKE.
	filterNameSQL = `
           AND EXISTS (SELECT 1 FROM queue_cards c WHERE c.application_id = a.id
                        AND (c.nib = @q` + nameMatchSQL + `) OFFSET 0)`
)

// nameMatchSQL matches the search text, as written from a word's start,
// in the card's legal or trading name (filterNameSQL).
const nameMatchSQL = `
                             OR lower(c.name) LIKE lower(@like_any)
                                AND (lower(c.name) LIKE lower(@like_start) OR lower(c.name) LIKE lower(@like_word)
                                     OR c.name ~* @words)
                             OR lower(c.trading_name) LIKE lower(@like_any)
                                AND (lower(c.trading_name) LIKE lower(@like_start) OR lower(c.trading_name) LIKE lower(@like_word)
                                     OR c.trading_name ~* @words)`

// Tokens are word prefixes of minTokenLen to maxTokenLen letters
// (queue_search_tokens, migrations 0009 and 0049: two letters since "CV",
// "UD" and "PT" begin so many names), and pairs of a word and the next
// word's first pairLen letters (0025).
const (
	minTokenLen = 2
	maxTokenLen = 12
	pairLen     = 3
)

// nibLen is the length of an NIB (Nomor Induk Berusaha), all digits.
const nibLen = 13

// nibDigits returns the NIB that q is when it reads as one: thirteen
// digits, whole or in groups parted by spaces, dots, dashes or slashes, as
// people copy it from a certificate or type it ("1234 5678 9012 3",
// "1234.5678.9012.3").
func nibDigits(q string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.TrimSpace(q) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '/' || r == '\u00a0':
		default:
			return "", false
		}
	}
	return b.String(), b.Len() == nibLen
}

// SearchTokens returns the tokens of a search: the NIB's when q is one
// (with or without separators); else each pair of neighbouring words
// (searchPairs), the last first; else, for a search without a pair, each
// word's of at least two letters (its first twelve), longest first; and
// whether the tokens say all of q (one word of at most twelve letters, or
// an NIB), so that no text check is needed. None means no word is long
// enough: the queue is then filtered, not walked.
func SearchTokens(q string) (tokens []string, whole bool) {
	if nib, ok := nibDigits(q); ok {
		return []string{"nib:" + nib}, true
	}
	words := strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	var single []string
	for _, w := range words {
		if len(w) >= minTokenLen {
			single = append(single, w[:min(len(w), maxTokenLen)])
		}
	}
	slices.SortStableFunc(single, func(a, b string) int { return len(b) - len(a) })
	// Pairs say more than their words: probing the words too read more
	// and kept nothing more.
	if tokens = searchPairs(words); len(tokens) == 0 {
		tokens = slices.Compact(single)
	}
	whole = len(words) == 1 && len(tokens) == 1 && len(words[0]) <= maxTokenLen &&
		strings.TrimFunc(strings.ToLower(q), unicode.IsSpace) == words[0]
	return tokens, whole
}

// searchPairs returns the pair tokens of a search's words (migration
// 0025): each word but the last followed by a space and the next word's
// first three letters ("sakinah aba"), at most 1+maxOtherTokens of them,
// the last first. A search of several words matches a name where it stands
// as written from a word's start (filterNameSQL), so each word followed by
// another is whole in the name and the next begins a word of it: the name
// has the pair. The last word may be cut short, so a pair ending in it is
// made only when it has three letters. The last pairs come first: when
// their counts tie (rarestTokenSQL stops counting), a name's later words
// (a place, a person) are rarer than its first (Koperasi, CV).
func searchPairs(words []string) []string {
	var pairs []string
	for i := 0; i+1 < len(words) && len(pairs) <= maxOtherTokens; i++ {
		next := words[i+1]
		if i+2 == len(words) && len(next) < pairLen {
			break
		}
		pairs = append(pairs, words[i][:min(len(words[i]), maxTokenLen)]+" "+next[:min(len(next), pairLen)])
	}
	slices.Reverse(pairs)
	return slices.Compact(pairs)
}

// maxOtherTokens bounds the pairs of a search counted to choose its walk.
const maxOtherTokens = 4

// rarestTokenSQL chooses the token a search of several walks, in the
// page's statement: the one with the fewest entries in the organisation,
// counted up to 100 in the statuses shown ({count_statuses}: the waiting
// tab's along their partial index, in one descent; another tab's one
// status), the limit written in (a generic plan for LIMIT $n gathered them
// all); of tokens counted alike, the first (SearchTokens's order). Counted
// to 1,000 in every status, the three pairs of a common name read 3,000
// entries, more than the page's walk; counted to 100 per status, 600; in a
// round trip of their own, before the page, they cost the trip.
const rarestTokenSQL = `(SELECT x.t FROM unnest(@tokens::text[]) WITH ORDINALITY AS x(t, i)
                 ORDER BY (SELECT count(*) FROM (SELECT 1 FROM queue_search w
                                                  WHERE w.assigned_org_id = @org AND w.token = x.t AND {count_statuses}
                                                  LIMIT 100) y), x.i
                 LIMIT 1)`

// likeEscaper escapes what LIKE reads as a pattern (backslash being its
// escape character).
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// namePattern is the regular expression (Postgres's, case being ignored
// by ~*) of s as written, from a word's start: at the name's start or after
// a character that is not a letter or digit, as the tokens part words.
func namePattern(s string) string {
	return `(^|[^a-z0-9])` + regexp.QuoteMeta(s)
}

// countTokenSQL counts a search that is one token and nothing else (an
// NIB, one word, a province) along the walk index alone, per status, up to
// TokenCountLimit and one more each: the tokens' policy reads only the
// organisation, a column of the index, so no application is read. (Asked
// as "status = ANY (@statuses)", the generic plan filtered the token's
// every status rather than seek each.)
const countTokenSQL = `SELECT coalesce(sum(c.n), 0)::int FROM unnest(@statuses::text[]) AS st(status),
       LATERAL (SELECT count(*) AS n FROM (SELECT 1 FROM queue_search w
                                            WHERE w.assigned_org_id = @org AND w.token = @token AND w.status = st.status
                                            LIMIT {count}) x) c`

// countWaitingTokenSQL is countTokenSQL for the waiting queue, along the
// same partial index as queueWaitingByTokenSQL.
const countWaitingTokenSQL = `SELECT count(*)::int FROM (SELECT 1 FROM queue_search w
        WHERE w.assigned_org_id = @org AND w.token = @token AND w.status IN ('submitted', 'in_review')
        LIMIT {count}) x`

// QueueCountLimit is the count above which the queue says "more than", as
// the catalogue does (listing.CountLimit): a count reads what it counts.
const QueueCountLimit = 1000

// TokenCountLimit is QueueCountLimit for a search of one token: counted to
// 1,000 per status, a province's count read 2,002 entries of the tokens at
// 200,000 suppliers and more (1,321 buffers: each entry's visibility is
// looked up), half the page's Postgres time. Past 200, eight pages, a
// curator narrows the search rather than counting.
const TokenCountLimit = 200

// countKind says how a queue's matches are counted.
type countKind int

const (
	// countKept: no filter but the status; the kept counts say it.
	countKept countKind = iota
	// countToken: one token and nothing else, along its index, in the
	// page's own round trip.
	countToken
	// countPage: filters that each application read must pass (another
	// word, the name, a product, signals, the assignee) are counted no
	// further than the page. Counted along the walk, as deep as the page
	// may read (TokenScan per status), they cost a probe per application:
	// at 10,000 suppliers a product's count took 8.8 ms and a two-letter
	// search's 6.9 ms under EXPLAIN ANALYZE, their pages under 1 ms.
	countPage
)

// queueStatement is a queue page's statement and, when it is counted
// along an index, that of its count.
type queueStatement struct {
	page, count string
	kind        countKind
	args        pgx.NamedArgs
}

// waiting says statuses are the waiting ones, the queue's default.
func waiting(statuses []string) bool { return slices.Equal(statuses, WaitingStatuses) }

// queueQuery puts together the statements and arguments of a queue page
// and its count. tokens are the search's (SearchTokens); of several, the
// statement walks the rarest (rarestTokenSQL); whole says they are all of
// the search.
func queueQuery(f QueueFilter, org int64, statuses []string, assignee int64, after time.Time, afterID int64,
	tokens []string, whole bool) queueStatement {
	args := pgx.NamedArgs{"org": org, "statuses": statuses, "after": after, "after_id": afterID}
	q := strings.TrimSpace(f.Q)
	walk, token := "", "@token"
	switch {
	case len(tokens) > 0:
		walk = tokens[0]
	case f.Province != "":
		walk = "prov:" + f.Province
	}
	// The filters, each a probe per application the walk reads. The
	// search's other tokens are not probed: a search of several tokens is
	// confirmed against the name (filterNameSQL), which has every pair of
	// the search's words when it has them as written, and probing the
	// tokens too cost a probe more per application the name check kept (a
	// name of four words at 1,000,000 suppliers: 208 of 700 buffers).
	var filters strings.Builder
	if f.Product != "" {
		filters.WriteString(filterProductSQL)
		args["product"] = f.Product
	}
	var assigneeSQL string
	switch {
	case assignee == 0:
		assigneeSQL = filterUnclaimedSQL
	case assignee != -1:
		assigneeSQL = filterAssigneeSQL
		args["assignee"] = assignee
	}
	filters.WriteString(assigneeSQL)
	if f.Signals {
		filters.WriteString(filterSignalsSQL)
	}
	if f.Province != "" && walk != "prov:"+f.Province {
		filters.WriteString(filterProvinceSQL)
		args["province_token"] = "prov:" + f.Province
	}
	if q != "" && !whole {
		filters.WriteString(filterNameSQL)
		like := likeEscaper.Replace(q)
		args["q"], args["words"] = q, namePattern(q)
		args["like_any"], args["like_start"], args["like_word"] = "%"+like+"%", like+"%", "% "+like+"%"
	}

	st := queueStatement{args: args, kind: countPage}
	var page strings.Builder
	page.WriteString(queueSelectSQL)
	switch {
	case walk != "":
		args["token"] = walk
		if len(tokens) > 1 {
			token, args["tokens"] = rarestTokenSQL, tokens
			if waiting(statuses) {
				token = strings.Replace(token, "{count_statuses}", "w.status IN ('submitted', 'in_review')", 1)
			} else {
				token = strings.Replace(token, "{count_statuses}", "w.status = @status", 1)
				args["status"] = statuses[0]
			}
		}
		count := countTokenSQL
		switch {
		case assigneeSQL == "" && waiting(statuses):
			page.WriteString(queueWaitingByTokenSQL + filters.String() + queueWaitingByTokenEndSQL)
			count = countWaitingTokenSQL
		case assigneeSQL == "":
			page.WriteString(queueByTokenProbedSQL + filters.String() + queueByTokenProbedEndSQL)
		default:
			page.WriteString(queueByTokenSQL + filters.String() + queueByTokenEndSQL)
		}
		if filters.Len() == 0 {
			st.kind, st.count = countToken, count
		}
	case bounded(f, tokens):
		page.WriteString(queueByStatusBoundedSQL + filters.String() + queueByStatusEndSQL)
	case assigneeSQL == "" && waiting(statuses):
		st.kind = countKept
		page.WriteString(queueWaitingSQL)
	default:
		if assigneeSQL == "" {
			st.kind = countKept
		}
		page.WriteString(queueByStatusSQL + filters.String() + queueByStatusEndSQL)
	}
	page.WriteString(queueFromSQL)
	// Sizes are written into the statements, numbers of ours (Queue bounds
	// the page): with LIMIT as an argument the generic plan cannot know it
	// is small, and gathered and sorted every application of the status.
	r := strings.NewReplacer("{limit}", strconv.Itoa(f.Limit+1), "{scan}", strconv.Itoa(TokenScan),
		"{count}", strconv.Itoa(TokenCountLimit+1), "{token}", token)
	st.page, st.count = r.Replace(page.String()), r.Replace(st.count)
	return st
}

// bounded says the queue is walked by status, at most TokenScan deep: no
// token to walk, and a filter that may reject most of what it reads.
func bounded(f QueueFilter, tokens []string) bool {
	return len(tokens) == 0 && f.Province == "" && (strings.TrimSpace(f.Q) != "" || f.Product != "" || f.Signals)
}

// TokenScan is how many search tokens a queue page reads per status, at
// most (the waiting tab: of both together, in one walk); and how deep a
// filtered walk by status reads.
const TokenScan = 500
