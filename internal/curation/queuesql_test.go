package curation

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestSearchTokensReadAnNIBAsPeopleTypeIt: an NIB is found with or without
// the separators people copy or type (spaces, dots, dashes, slashes), and
// only when it is thirteen digits; anything else is read as words.
func TestSearchTokensReadAnNIBAsPeopleTypeIt(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		q      string
		tokens []string
		whole  bool
	}{
		{"9120001234567", []string{"nib:9120001234567"}, true},
		{"  9120001234567 ", []string{"nib:9120001234567"}, true},
		{"9120 0012 3456 7", []string{"nib:9120001234567"}, true},
		{"9120.0012.3456.7", []string{"nib:9120001234567"}, true},
		{"9120-001-234-567", []string{"nib:9120001234567"}, true},
		{"912/0001/234567", []string{"nib:9120001234567"}, true},
		{"9120\u00a00012\u00a03456\u00a07", []string{"nib:9120001234567"}, true},
		// Twelve or fourteen digits are no NIB: words, as before.
		{"9120 0012 3456", []string{"0012 345", "9120 001"}, false},
		{"91200012345678", []string{"912000123456"}, false},
		// Digits among letters are words of a name.
		{"CV 9120 0012 3456 7", []string{"0012 345", "9120 001", "cv 912"}, false},
		{"Konveksi Maju", []string{"konveksi maj"}, false},
		// Pairs of neighbouring words, the last first: the last word only
		// when it has three letters (it may be cut short), a word of two
		// whole; a search without a pair has its words.
		{"Koperasi Konveksi Sakinah Aba", []string{"sakinah aba", "konveksi sak", "koperasi kon"}, false},
		{"Maju CV", []string{"maju", "cv"}, false},
		{"Mitra Maju CV", []string{"mitra maj"}, false},
		{"CV Maju Ja", []string{"cv maj"}, false},
		{"Koperasi CV Maju", []string{"cv maj", "koperasi cv"}, false},
		{"Pertenunanrajutan Maju", []string{"pertenunanra maj"}, false},
		{"a b c d e f g h", []string{"e f", "d e", "c d", "b c", "a b"}, false},
		{"jahit", []string{"jahit"}, true},
		{"cv", []string{"cv"}, true},
		{"CV ", []string{"cv"}, true},
		{"c", nil, false},
	} {
		tokens, whole := SearchTokens(tc.q)
		if !slices.Equal(tokens, tc.tokens) || whole != tc.whole {
			t.Errorf("SearchTokens(%q) = %q, %v; want %q, %v", tc.q, tokens, whole, tc.tokens, tc.whole)
		}
	}
}

// TestQueueStatementsWalkOneIndexPerPage: the waiting queue is one walk
// along its partial index, with the statuses written as its predicate says
// them; the unclaimed are asked for with IS NULL (their partial index); a
// search of one token is counted along the tokens alone, in the page's
// round trip; other filters are not counted beyond the page.
func TestQueueStatementsWalkOneIndexPerPage(t *testing.T) {
	t.Parallel()
	build := func(f QueueFilter, assignee int64) queueStatement {
		statuses := WaitingStatuses
		if f.Status != "" {
			statuses = []string{f.Status}
		}
		f.Limit = QueuePageSize
		tokens, whole := SearchTokens(f.Q)
		return queueQuery(f, 7, statuses, assignee, time.Time{}, 0, tokens, whole)
	}
	waitingWalk := "a.status IN ('submitted', 'in_review')"
	for _, tc := range []struct {
		name     string
		f        QueueFilter
		assignee int64
		kind     countKind
		has      []string
		hasNot   []string
	}{
		{"waiting", QueueFilter{}, -1, countKept, []string{waitingWalk}, []string{"unnest"}},
		{"a status", QueueFilter{Status: "curated"}, -1, countKept, []string{"unnest"}, []string{waitingWalk}},
		{"unclaimed", QueueFilter{Assignee: "none"}, 0, countPage, []string{"assigned_user_id IS NULL"}, []string{waitingWalk}},
		{"an NIB with spaces", QueueFilter{Q: "9120 0012 3456 7"}, -1, countToken, []string{"queue_search"}, []string{"~*"}},
		{"a province", QueueFilter{Province: "32"}, -1, countToken, []string{"w.status IN ('submitted', 'in_review')"}, []string{"unnest"}},
		{"a province, curated", QueueFilter{Province: "32", Status: "curated"}, -1, countToken, []string{"queue_search", "unnest"}, nil},
		{"a province, mine", QueueFilter{Province: "32", Assignee: "me"}, 5, countPage, []string{"queue_search", "unnest"}, nil},
		{"a name", QueueFilter{Q: "Konveksi Maju"}, -1, countPage, []string{"~*"}, nil},
		{"a product", QueueFilter{Product: "masker-kain"}, -1, countPage, []string{"LIMIT 500"}, nil},
	} {
		st := build(tc.f, tc.assignee)
		if st.kind != tc.kind {
			t.Errorf("%s: counted as %d, want %d", tc.name, st.kind, tc.kind)
		}
		if (st.count != "") != (tc.kind == countToken) {
			t.Errorf("%s: count statement %q", tc.name, st.count)
		}
		for _, s := range tc.has {
			if !strings.Contains(st.page, s) {
				t.Errorf("%s: the page's statement lacks %q:\n%s", tc.name, s, st.page)
			}
		}
		for _, s := range tc.hasNot {
			if strings.Contains(st.page, s) {
				t.Errorf("%s: the page's statement has %q:\n%s", tc.name, s, st.page)
			}
		}
		if strings.Contains(st.page+st.count, "{") {
			t.Errorf("%s: a size left unwritten:\n%s\n%s", tc.name, st.page, st.count)
		}
	}
}
