// Command loadtest measures the portal's pages under load at a given scale:
// it seeds a private cluster with the demo story at -suppliers (once; the
// data is kept in .data/load-N for the next run), starts bin/pasokan on it,
// logs in as each kind of person, and drives each page with wrk from
// Debian for -duration at -connections. It prints requests per second,
// latency p50/p99, and CPU per request of the server process and of
// Postgres, next to a static asset of the same binary measured in the same
// run: on a shared machine CPU per request is the steadier figure.
//
//	go run ./cmd/loadtest -suppliers 200000 -duration 10s
//
// Given several scales (-suppliers 10000,200000,1000000) it starts a
// server on each and measures every page at each scale in turn, run by
// run, and prints one table with the last scale's CPU over the first's: a
// machine whose speed drifts over minutes then moves all scales alike,
// where runs a scale at a time, ten minutes apart, compared its slow
// minutes with its fast ones.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/database"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

type options struct {
	suppliers int
	// scales are the scales measured side by side (-suppliers a list).
	scales      []int
	duration    time.Duration
	connections int
	conns       []int
	threads     int
	bin         string
	only        string
	repeat      int
	// replica serves the pages with a streaming replica of the cluster
	// (DATABASE_READ_URL) and reports its lag; writes is the rate of
	// listing saves kept up meanwhile, so that there is WAL to replay.
	replica bool
	writes  int
	// search names the searched words instead of reading them from the
	// database, so that two scales are measured on the same searches.
	search searches
}

// searches are the words the search pages look for: a name in the demo
// curator's queue, one in another curator's, the commonest first word, and
// the commonest start of three words in the demo curator's waiting queue.
// The name is the queue's newest, so its matches grow with the scale (one
// at 10,000 suppliers, a full page at 1,000,000); the phrase fills the
// queue's first page, or nearly, at every scale, so that its pages compare
// the same work across scales.
type searches struct {
	name, other, word, phrase string
}

func run() error {
	var o options
	scales := flag.String("suppliers", "10000", "suppliers in the demo story (the seed's scale); a comma-separated list (e.g. 10000,200000) measures every page at each scale in turn, alternated run by run, in one table")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "how long each page is driven")
	connections := flag.String("connections", "16", "concurrent connections; a comma-separated list measures every page at each (e.g. 16,64)")
	flag.IntVar(&o.threads, "threads", 2, "wrk threads")
	flag.StringVar(&o.bin, "bin", "bin/pasokan", "the portal's binary")
	flag.StringVar(&o.only, "pages", "", "comma-separated page names to measure (default: all)")
	flag.IntVar(&o.repeat, "repeat", 1, "measure each page this many times and print the run of median CPU (this shared machine's figures move by a third between runs)")
	flag.BoolVar(&o.replica, "replica", false, "serve with a streaming replica of the cluster (made once in .data/load-N/replica) and report its lag under the load")
	flag.IntVar(&o.writes, "writes", 0, "with -replica: listing saves per second kept up by a curated supplier throughout, so that the replica has changes to replay")
	flag.StringVar(&o.search.name, "name", "", "the name searched by queue-name and admin-org-name (default: the newest in the demo curator's queue)")
	flag.StringVar(&o.search.other, "other", "", "the name searched by queue-other (default: the newest in another curator's queue)")
	flag.StringVar(&o.search.word, "word", "", "the word searched by queue-word and admin-org-word (default: the commonest first word of names)")
	flag.StringVar(&o.search.phrase, "phrase", "", "the words searched by queue-phrase and admin-org-phrase (default: the commonest three first words of names in the demo curator's waiting queue)")
	flag.Parse()
	if o.repeat < 1 {
		o.repeat = 1
	}
	for _, c := range strings.Split(*connections, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil || n < 1 {
			return fmt.Errorf("-connections %q: a list of positive numbers", *connections)
		}
		o.conns = append(o.conns, n)
	}
	for _, v := range strings.Split(*scales, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 1 {
			return fmt.Errorf("-suppliers %q: a list of positive numbers", *scales)
		}
		o.scales = append(o.scales, n)
	}
	o.suppliers = o.scales[0]
	if len(o.scales) > 1 && o.replica {
		return errors.New("-replica measures one scale")
	}
	if _, err := exec.LookPath("wrk"); err != nil {
		return errors.New("wrk is not installed (Debian: apt-get install -y wrk)")
	}
	ctx := context.Background()
	if len(o.scales) > 1 {
		return sideBySide(ctx, o)
	}
	dir, err := scaleDir(o.suppliers)
	if err != nil {
		return err
	}
	if err := seed(ctx, o, dir); err != nil {
		return err
	}
	var env []string
	var lag *lagSampler
	if o.replica {
		primary, err := database.NewCluster(dir, database.ClusterOptions{Log: slog.New(slog.DiscardHandler)})
		if err != nil {
			return err
		}
		if err := primary.Start(ctx); err != nil {
			return err
		}
		rep, err := primary.StartReplica(ctx, database.ReplicaDir(dir))
		if err != nil {
			return err
		}
		defer func() { _ = rep.Stop(context.Background()) }()
		env = append(env, "DATABASE_READ_URL="+rep.AppURL(database.DatabaseName))
		lag = &lagSampler{primary: primary}
	}
	srv, err := startServer(ctx, o, dir, env...)
	if err != nil {
		return err
	}
	defer srv.stop()

	pages, err := discover(ctx, o, srv)
	if err != nil {
		return err
	}
	if lag != nil {
		srv.lag = lag
		if o.writes > 0 {
			stop, err := startWriter(ctx, srv, o.writes)
			if err != nil {
				return err
			}
			defer stop()
		}
	}
	for _, conns := range o.conns {
		o.connections = conns
		if err := table(ctx, o, srv, pages); err != nil {
			return err
		}
	}
	return nil
}

// scaleDir is where the story at n suppliers is kept.
func scaleDir(n int) (string, error) {
	return filepath.Abs(filepath.Join(".data", fmt.Sprintf("load-%d", n)))
}

// rig is one scale's server and the pages found on it.
type rig struct {
	suppliers int
	srv       *server
	pages     map[string]page
}

// sideBySide seeds each of o.scales (once), starts a server on each, and
// measures each page at every scale in turn: for each of o.repeat runs,
// one run at each scale, so that the scales of a page are measured within
// seconds of one another. Each scale's static asset is measured the same
// way, as its first page.
func sideBySide(ctx context.Context, o options) error {
	var rigs []rig
	defer func() {
		for _, r := range rigs {
			r.srv.stop()
		}
	}()
	var order []string
	for _, n := range o.scales {
		dir, err := scaleDir(n)
		if err != nil {
			return err
		}
		o := o
		o.suppliers = n
		if err := seed(ctx, o, dir); err != nil {
			return err
		}
		srv, err := startServer(ctx, o, dir)
		if err != nil {
			return err
		}
		rigs = append(rigs, rig{suppliers: n, srv: srv, pages: map[string]page{}})
		fmt.Printf("%d suppliers: ", n)
		pages, err := discover(ctx, o, srv)
		if err != nil {
			return fmt.Errorf("%d suppliers: %w", n, err)
		}
		for _, p := range pages {
			if _, ok := rigs[len(rigs)-1].pages[p.name]; !ok && !slices.Contains(order, p.name) {
				order = append(order, p.name)
			}
			rigs[len(rigs)-1].pages[p.name] = p
		}
	}
	for _, conns := range o.conns {
		o.connections = conns
		if err := sideBySideTable(ctx, o, rigs, order); err != nil {
			return err
		}
	}
	return nil
}

// sideBySideTable measures the pages in order at every rig, alternated
// run by run, and prints one table: for each scale the page's size,
// req/s, p50/p99, server + Postgres CPU ms a request and its rate as a
// share of the static asset's at that scale; last, the last scale's CPU
// over the first's. The static asset is measured again after the pages,
// its rate a share of the first: the machine's drift over the run.
func sideBySideTable(ctx context.Context, o options, rigs []rig, order []string) error {
	names := make([]string, len(rigs))
	for i, r := range rigs {
		names[i] = thousands(r.suppliers)
	}
	fmt.Printf("\n%s suppliers, alternated run by run; %s per run, %d connections, %d wrk threads, the median of %d runs per page and scale\n\n",
		strings.Join(names, ", "), o.duration, o.connections, o.threads, o.repeat)
	head := "| page | " + names[0] + ": KB, req/s, p50/p99, CPU ms, vs static"
	rule := "| --- | ---"
	for _, n := range names[1:] {
		head += " | " + n
		rule += " | ---"
	}
	fmt.Printf("%s | %s/%s CPU |\n%s | ---: |\n", head, names[len(names)-1], names[0], rule)
	static := make([]float64, len(rigs))
	// row measures one page at every rig and prints its row; the static
	// asset's first row sets the rate the others are a share of, and its
	// row again at the end (again) is a share of that: how far the
	// machine's speed drifted over the run.
	row := func(name string, again bool) error {
		sizes := make([]float64, len(rigs))
		runs := make([][]result, len(rigs))
		for i, r := range rigs {
			p, ok := r.pages[name]
			if !ok {
				continue
			}
			body, err := getPage(r.srv.base, &p)
			if err != nil {
				return fmt.Errorf("%s at %d: %w", name, r.suppliers, err)
			}
			r.pages[name] = p
			sizes[i] = float64(len(body)) / 1024
		}
		for range o.repeat {
			for i, r := range rigs {
				p, ok := r.pages[name]
				if !ok {
					continue
				}
				if err := quiesce(ctx, r.srv); err != nil {
					return fmt.Errorf("%s at %d: %w", name, r.suppliers, err)
				}
				res, err := measure(o, r.srv, p)
				if err != nil {
					return fmt.Errorf("%s at %d: %w", name, r.suppliers, err)
				}
				runs[i] = append(runs[i], res)
			}
		}
		line := "| " + name
		if again {
			line += ", again at the end"
		}
		var first, last float64
		for i := range rigs {
			if runs[i] == nil {
				line += " | —"
				continue
			}
			m := median(runs[i])
			if name == "static" && !again {
				static[i] = m.rps
			}
			share := "100 %"
			if (name != "static" || again) && static[i] > 0 {
				share = fmt.Sprintf("%.0f %%", 100*m.rps/static[i])
			}
			line += fmt.Sprintf(" | %.1f, %s, %s/%s ms, %.2f + %.2f, %s", sizes[i], thousands(int(m.rps+0.5)), millis(m.p50), millis(m.p99), m.appCPU, m.pgCPU, share)
			if m.bad > 0 {
				line += fmt.Sprintf(" (%d answers not 2xx/3xx)", m.bad)
			}
			if i == 0 {
				first = m.appCPU + m.pgCPU
			}
			if i == len(rigs)-1 {
				last = m.appCPU + m.pgCPU
			}
		}
		ratio := "—"
		if first > 0 && last > 0 {
			ratio = fmt.Sprintf("%.2f", last/first)
		}
		fmt.Printf("%s | %s |\n", line, ratio)
		return nil
	}
	for _, name := range order {
		if o.only != "" && name != "static" && !contains(strings.Split(o.only, ","), name) {
			continue
		}
		if err := row(name, false); err != nil {
			return err
		}
	}
	if slices.Contains(order, "static") {
		return row("static", true)
	}
	return nil
}

// millis writes a latency as wrk prints it (850.00us, 7.81ms, 1.02s) in
// milliseconds to two significant figures.
func millis(wrk string) string {
	for _, u := range []struct {
		suffix string
		scale  float64
	}{{"us", 0.001}, {"ms", 1}, {"s", 1000}, {"m", 60000}} {
		if v, ok := strings.CutSuffix(wrk, u.suffix); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				break
			}
			if ms := f * u.scale; ms >= 10 {
				return strconv.FormatFloat(ms, 'f', 0, 64)
			}
			return strconv.FormatFloat(f*u.scale, 'g', 2, 64)
		}
	}
	return wrk
}

// thousands writes n with commas between its thousands (200,000).
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// table measures every page chosen at o.connections, the static asset
// first, and prints one table.
func table(ctx context.Context, o options, srv *server, pages []page) error {
	fmt.Printf("\n%d suppliers, %s per page, %d connections, %d wrk threads, the median of %d runs per page\n\n",
		o.suppliers, o.duration, o.connections, o.threads, o.repeat)
	fmt.Println("| page | KB | req/s | p50 | p99 | server CPU ms/req | Postgres CPU ms/req | req/s vs static |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	var static float64
	for _, p := range pages {
		if o.only != "" && p.name != "static" && !contains(strings.Split(o.only, ","), p.name) {
			continue
		}
		// The page's size: a page that costs more at a larger scale may
		// show more (a search with more answers), bounded by its page.
		body, err := getPage(srv.base, &p)
		if err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		var runs []result
		for range o.repeat {
			if err := quiesce(ctx, srv); err != nil {
				return fmt.Errorf("%s: %w", p.name, err)
			}
			r, err := measure(o, srv, p)
			if err != nil {
				return fmt.Errorf("%s: %w", p.name, err)
			}
			runs = append(runs, r)
		}
		r := median(runs)
		if p.name == "static" {
			static = r.rps
		}
		ratio := "1"
		if p.name != "static" && static > 0 {
			ratio = fmt.Sprintf("1/%.0f (%.0f %%)", static/r.rps, 100*r.rps/static)
		}
		fmt.Printf("| %s `%s` | %.1f | %.0f | %s | %s | %.3f | %.3f | %s |\n", p.name, p.path, float64(len(body))/1024, r.rps, r.p50, r.p99, r.appCPU, r.pgCPU, ratio)
		if r.lag != "" {
			fmt.Printf("|   ↳ %s | | | | | | | |\n", r.lag)
		}
		if r.bad > 0 {
			fmt.Printf("|   ↳ %d answers were not 2xx/3xx | | | | | | | |\n", r.bad)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.TrimSpace(x) == s {
			return true
		}
	}
	return false
}

// seededWith is the line of the seed marker that says the story has what
// the seed writes after it (its notifications, the ministry's support
// work): a story seeded before gets them from the seed run again (minutes,
// where the story takes hours).
const seededWith = "support-work"

// seed loads the story at the scale once; a marker file remembers it.
func seed(ctx context.Context, o options, dir string) error {
	marker := filepath.Join(dir, "seeded")
	if b, err := os.ReadFile(marker); err == nil {
		if slices.Contains(strings.Fields(string(b)), seededWith) {
			return nil
		}
		fmt.Printf("adding what later seeds write to the story of %d suppliers in %s...\n", o.suppliers, dir)
	} else {
		fmt.Printf("seeding %d suppliers into %s (once; kept for the next run; a seed stopped part way resumes)...\n", o.suppliers, dir)
	}
	cmd := exec.CommandContext(ctx, o.bin, "seed", "-suppliers", strconv.Itoa(o.suppliers))
	cmd.Env = append(os.Environ(), "PASOKAN_DATA_DIR="+dir)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Printf("seeded in %s\n", time.Since(start).Round(time.Second))
	return os.WriteFile(marker, []byte(time.Now().Format(time.RFC3339)+"\n"+seededWith+"\n"), 0o644)
}

type server struct {
	cmd     *exec.Cmd
	base    string
	cluster *database.Cluster
	lag     *lagSampler
}

func startServer(ctx context.Context, o options, dir string, env ...string) (*server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	logFile, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(o.bin, "serve")
	cmd.Env = append(os.Environ(), "PASOKAN_DATA_DIR="+dir, "PASOKAN_ADDR="+addr, "PASOKAN_SEED=off",
		"PASOKAN_BASE_URL=http://"+addr)
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, base: "http://" + addr}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("the server did not become ready; see %s", logFile.Name())
		}
		time.Sleep(200 * time.Millisecond)
	}
	c, err := database.NewCluster(dir, database.ClusterOptions{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		s.stop()
		return nil, err
	}
	// Start joins the running cluster and reads its credentials.
	if err := c.Start(ctx); err != nil {
		s.stop()
		return nil, err
	}
	s.cluster = c
	return s, nil
}

// stop ends the server, which stops its cluster.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGINT)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		_ = s.cmd.Process.Kill()
	}
}

type page struct {
	name, path, cookie string
}

// discover logs in as each kind of person and finds the records the pages
// name: an application in the curator's queue, a certificate, a name.
func discover(ctx context.Context, o options, s *server) ([]page, error) {
	home, err := get(s.base+"/", "")
	if err != nil {
		return nil, err
	}
	css := regexp.MustCompile(`href="(/static/[^"]+\.css)"`).FindStringSubmatch(home)
	if css == nil {
		return nil, errors.New("no stylesheet on the home page")
	}
	cookies := map[string]string{}
	for who, email := range map[string]string{"supplier": "umkm@pasokan.test", "curator": "kurator@pasokan.test",
		"ministry": "admin@pasokan.test", "buyer": "pembeli@pasokan.test"} {
		c, err := login(s.base, email)
		if err != nil {
			return nil, fmt.Errorf("login %s: %w", email, err)
		}
		cookies[who] = c
	}
	queue, err := get(s.base+"/curation", cookies["curator"])
	if err != nil {
		return nil, err
	}
	app := regexp.MustCompile(`href="(/curation/applications/\d+)"`).FindStringSubmatch(queue)
	if app == nil {
		return nil, errors.New("no application in the curator's queue")
	}
	code, found, err := samples(ctx, s.cluster)
	if err != nil {
		return nil, err
	}
	name, other, word := cmp.Or(o.search.name, found.name), cmp.Or(o.search.other, found.other), cmp.Or(o.search.word, found.word)
	phrase := cmp.Or(o.search.phrase, found.phrase)
	fmt.Printf("searched: name %q, other %q, word %q, phrase %q\n", name, other, word, phrase)
	cat, err := listedSample(ctx, s.cluster)
	if err != nil {
		return nil, err
	}
	busy, product, week, err := busySupplier(ctx, s.cluster)
	if err != nil {
		return nil, err
	}
	deep, err := pageDeep(s.base, "/catalog", cookies["buyer"], 50)
	if err != nil {
		return nil, err
	}
	pages := []page{
		{"static", css[1], ""},
		{"home", "/", ""},
		{"verify", "/verify/" + code, ""},
		{"supplier", "/supplier", cookies["supplier"]},
		{"profile", "/supplier/profile", cookies["supplier"]},
		{"application", "/supplier/application", cookies["supplier"]},
		{"queue", "/curation", cookies["curator"]},
		{"queue-province", "/curation?province=32", cookies["curator"]},
		{"queue-name", "/curation?q=" + url.QueryEscape(name), cookies["curator"]},
		{"queue-other", "/curation?q=" + url.QueryEscape(other), cookies["curator"]},
		{"queue-word", "/curation?q=" + url.QueryEscape(word), cookies["curator"]},
		{"queue-phrase", "/curation?q=" + url.QueryEscape(phrase), cookies["curator"]},
		{"queue-curated", "/curation?status=curated", cookies["curator"]},
		{"review", app[1], cookies["curator"]},
		{"admin", "/admin", cookies["ministry"]},
		// The lists behind the dashboard's figures, and the ministry's
		// support work.
		{"admin-figure-list", "/admin/figures/suppliers?province=32&status=curated", cookies["ministry"]},
		{"admin-materials", "/admin/materials", cookies["ministry"]},
		{"admin-permits", "/admin/permits", cookies["ministry"]},
		// The ministry runs the programme: organisations found by a name
		// and by a common word, one supplier read whole, the audit log
		// (whole and one organisation's), curation across curators.
		{"admin-org-name", "/admin/organizations?q=" + url.QueryEscape(name), cookies["ministry"]},
		{"admin-org-word", "/admin/organizations?q=" + url.QueryEscape(word), cookies["ministry"]},
		{"admin-org-phrase", "/admin/organizations?q=" + url.QueryEscape(phrase), cookies["ministry"]},
		{"admin-org", "/admin/organizations/" + strconv.FormatInt(busy, 10), cookies["ministry"]},
		{"admin-audit", "/admin/audit", cookies["ministry"]},
		{"admin-audit-org", "/admin/audit?org=" + strconv.FormatInt(busy, 10), cookies["ministry"]},
		{"admin-curation", "/admin/curation", cookies["ministry"]},
		// The orders behind a product's units ordered, and behind a week.
		{"admin-figure-orders", "/admin/figures/orders?measure=ordered&product=" + product, cookies["ministry"]},
		{"admin-figure-week", "/admin/figures/orders?week=" + week, cookies["ministry"]},
		{"catalog", "/catalog", cookies["buyer"]},
		{"catalog-filter", "/catalog?product=masker-kain&province=32&sort=capacity", cookies["buyer"]},
		{"catalog-word", "/catalog?q=penjahit", cookies["buyer"]},
		{"catalog-typo", "/catalog?q=" + url.QueryEscape(cat.typo), cookies["buyer"]},
		{"catalog-name-product", "/catalog?q=" + url.QueryEscape(cat.name) + "&product=" + cat.product, cookies["buyer"]},
		{"catalog-page-50", deep, cookies["buyer"]},
		{"catalog-supplier", "/catalog/" + cat.slug, cookies["buyer"]},
		// Notifications, newest first (the story's, notified as the
		// portal does; a curation body has thousands unread, and a
		// supplier with orders is in orderPages).
		{"curator-notifications", "/notifications", cookies["curator"]},
		{"buyer-notifications", "/notifications", cookies["buyer"]},
		{"directory", "/directory", ""},
		{"directory-supplier", "/directory/" + cat.slug, ""},
	}
	orders, err := orderPages(ctx, s, cookies["buyer"], cookies["ministry"])
	if err != nil {
		return nil, err
	}
	return append(pages, orders...), nil
}

// orderPages are the page of a demand the buyer is planning, at every
// scale, and the buyer's demands and orders and a supplier's orders when
// the demo holds any (its story does, in databases seeded since orders
// exist): the demand's page plans what remains on every view.
func orderPages(ctx context.Context, s *server, buyer, ministry string) ([]page, error) {
	// The story's demands are past their deadlines (2020–2022), so their
	// pages plan nothing: a demand due in 60 days is drafted and approved
	// (once; later runs take it again while it is a month from its
	// deadline), and its page plans a million masks on every view. It
	// needs only the catalogue, so it is measured at every scale.
	past, open, err := demandsOf(ctx, s.cluster)
	if err != nil {
		return nil, err
	}
	if open == "" {
		if open, err = openDemand(s.base, buyer); err != nil {
			return nil, fmt.Errorf("a demand to plan: %w", err)
		}
	}
	planning := []page{
		{"demand", open, buyer},
		{"demand-favours", open + "?favour_micro=1&favour_outside_java=1", buyer},
	}
	orders, err := get(s.base+"/buyer/orders", buyer)
	if err != nil {
		return nil, err
	}
	order := regexp.MustCompile(`href="/buyer/orders/(\d+)"`).FindStringSubmatch(orders)
	if past == "" || order == nil {
		return planning, nil
	}
	// The supplier's pages are the busiest supplier's, whose lists fill
	// their pages at every scale: the supplier of the newest order had 9
	// KB of orders at 10,000 suppliers and 13 at 200,000, and its
	// notifications 3.5 KB against 9.9, so their ratio compared unlike
	// pages.
	busiest, err := busiestSupplier(ctx, s.cluster)
	if err != nil {
		return nil, err
	}
	supplier, err := login(s.base, busiest.orders.email)
	if err != nil {
		return nil, fmt.Errorf("login %s: %w", busiest.orders.email, err)
	}
	notified, err := login(s.base, busiest.notifications.email)
	if err != nil {
		return nil, fmt.Errorf("login %s: %w", busiest.notifications.email, err)
	}
	return append(planning, []page{
		{"demands", "/buyer/demands", buyer},
		{"demand-past", past, buyer},
		{"buyer-orders", "/buyer/orders", buyer},
		// A rare status among the buyer's orders, and a page deep in them.
		{"buyer-orders-countered", "/buyer/orders?status=countered", buyer},
		{"buyer-orders-deep", "/buyer/orders?before=" + halfway(order[1]), buyer},
		{"buyer-order", "/buyer/orders/" + order[1], buyer},
		{"supplier-orders", "/supplier/orders", supplier},
		{"supplier-order", "/supplier/orders/" + strconv.FormatInt(busiest.orders.newest, 10), supplier},
		{"supplier-notifications", "/notifications", notified},
		{"admin-orders", "/admin/orders", ministry},
		{"admin-orders-shipped", "/admin/orders?status=shipped", ministry},
		{"admin-order", "/admin/orders/" + order[1], ministry},
		{"admin-demands", "/admin/demands", ministry},
	}...), nil
}

// openDemandTitle is the title of the demand openDemand drafts.
const openDemandTitle = "Masker kain (uji beban)"

// demandsOf reads, as the system, the demo buyer's newest demand past its
// deadline and the newest demand openDemand drafted that is still a month
// from its deadline ("" for none), as pages.
func demandsOf(ctx context.Context, c *database.Cluster) (past, open string, err error) {
	conn, err := pgx.Connect(ctx, c.AppURL(database.DatabaseName))
	if err != nil {
		return "", "", err
	}
	defer conn.Close(ctx)
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('pasokan.mode', 'system', true)`); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `WITH buyer AS (SELECT m.organization_id FROM memberships m JOIN users u ON u.id = m.user_id
                WHERE u.email = 'pembeli@pasokan.test' ORDER BY m.organization_id LIMIT 1)
SELECT coalesce((SELECT '/buyer/demands/' || id FROM demands
                  WHERE buyer_org_id = (SELECT organization_id FROM buyer) AND deadline < current_date
                  ORDER BY id DESC LIMIT 1), ''),
       coalesce((SELECT '/buyer/demands/' || id FROM demands
                  WHERE buyer_org_id = (SELECT organization_id FROM buyer) AND title = $1 AND status = 'approved'
                    AND deadline > current_date + 30
                  ORDER BY id DESC LIMIT 1), '')`, openDemandTitle).Scan(&past, &open)
	})
	if err != nil {
		return "", "", fmt.Errorf("the buyer's demands: %w", err)
	}
	return past, open, nil
}

// openDemand drafts and approves, as the buyer, a demand for a million
// cloth masks due in 60 days in Jakarta, Bandung and Makassar, through the
// portal's own forms, and returns its page.
func openDemand(base, cookie string) (string, error) {
	form := url.Values{"title": {openDemandTitle}, "product_type": {"masker-kain"},
		"deadline": {time.Now().AddDate(0, 0, 60).Format(time.DateOnly)}, "standard": {"SNI 8914:2020"},
		"target_price": {"4000"}, "notes": {""}}
	for _, site := range [][4]string{{"31", "31.71", "Gudang Jakarta", "500000"}, {"32", "32.73", "Gudang Bandung", "300000"},
		{"73", "73.71", "Gudang Makassar", "200000"}} {
		form.Add("site_province_code", site[0])
		form.Add("site_regency_code", site[1])
		form.Add("site_address", site[2])
		form.Add("site_quantity", site[3])
	}
	page, err := post(base+"/buyer/demands", cookie, form)
	if err != nil {
		return "", err
	}
	if !regexp.MustCompile(`^/buyer/demands/\d+$`).MatchString(page) {
		return "", fmt.Errorf("drafted, sent to %q", page)
	}
	if _, err := post(base+page+"/approve", cookie, url.Values{"version": {"1"}}); err != nil {
		return "", fmt.Errorf("approve: %w", err)
	}
	return page, nil
}

// post sends a form and returns where the portal sends the person next.
func post(u, cookie string, form url.Values) (string, error) {
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", cookie)
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("POST %s: %d", u, resp.StatusCode)
	}
	return resp.Header.Get("Location"), nil
}

// halfway is half an id: a list page as deep in the ids as it gets.
func halfway(id string) string {
	n, _ := strconv.ParseInt(id, 10, 64)
	return strconv.FormatInt(n/2, 10)
}

// busiest are the suppliers with the most orders and with the most
// notifications: the owner's e-mail of each, and the newest order of the
// first.
type busiest struct {
	orders, notifications struct {
		email  string
		newest int64
	}
}

// busiestSupplier reads, as the system, the busiest suppliers.
func busiestSupplier(ctx context.Context, c *database.Cluster) (busiest, error) {
	var b busiest
	conn, err := pgx.Connect(ctx, c.AppURL(database.DatabaseName))
	if err != nil {
		return b, err
	}
	defer conn.Close(ctx)
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('pasokan.mode', 'system', true)`); err != nil {
			return err
		}
		const owner = `(SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
  WHERE m.organization_id = x.org AND m.role = 'owner' ORDER BY m.user_id LIMIT 1)`
		if err := tx.QueryRow(ctx, `SELECT `+owner+`, x.newest FROM (SELECT supplier_org_id AS org, max(id) AS newest FROM orders
  GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1) x`).Scan(&b.orders.email, &b.orders.newest); err != nil {
			return fmt.Errorf("the supplier with the most orders: %w", err)
		}
		if err := tx.QueryRow(ctx, `SELECT `+owner+` FROM (SELECT n.organization_id AS org FROM notifications n
  JOIN organizations o ON o.id = n.organization_id WHERE o.kind = 'supplier'
  GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1) x`).Scan(&b.notifications.email); err != nil {
			return fmt.Errorf("the supplier with the most notifications: %w", err)
		}
		return nil
	})
	return b, err
}

// listed is a listed supplier for the catalogue's pages: its name, a typo
// of it (the last word short of a letter), its slug and a product.
type listed struct {
	name, typo, slug, product string
}

// listedSample reads a listed supplier from the catalogue (public data).
func listedSample(ctx context.Context, c *database.Cluster) (listed, error) {
	var l listed
	conn, err := pgx.Connect(ctx, c.AppURL(database.DatabaseName))
	if err != nil {
		return l, err
	}
	defer conn.Close(ctx)
	type row struct{ Name, Slug, ProductType string }
	rows, _ := conn.Query(ctx, `SELECT name, slug, product_type FROM catalog_entries
 WHERE product_type = 'masker-kain' ORDER BY id DESC LIMIT 1`)
	r, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[row])
	if err != nil {
		return l, fmt.Errorf("a listed supplier: %w", err)
	}
	l.name, l.slug, l.product = r.Name, r.Slug, r.ProductType
	words := strings.Fields(l.name)
	last := words[len(words)-1]
	l.typo = strings.Join(append(words[:len(words)-1:len(words)-1], last[:len(last)-1]), " ")
	return l, nil
}

// pageDeep follows the catalogue's "next page" links from path, n pages
// deep, and returns the path of the last.
func pageDeep(base, path, cookie string, n int) (string, error) {
	next := regexp.MustCompile(`href="(/catalog\?[^"]*cursor=[^"]*)"`)
	for range n - 1 {
		body, err := get(base+path, cookie)
		if err != nil {
			return "", err
		}
		m := next.FindStringSubmatch(body)
		if m == nil {
			return "", fmt.Errorf("no next page after %s", path)
		}
		path = strings.ReplaceAll(m[1], "&amp;", "&")
	}
	return path, nil
}

// samples reads, as the system, a live certificate's code, the legal
// names of two suppliers whose applications wait for a curator (in the demo
// curator's organisation and in another), and a common word of names.
// busySupplier is the supplier of the newest order (one with orders, a
// curated application and entries in the audit trail), that order's
// product and the Monday of its week.
func busySupplier(ctx context.Context, c *database.Cluster) (org int64, product, week string, err error) {
	conn, err := pgx.Connect(ctx, c.AppURL(database.DatabaseName))
	if err != nil {
		return 0, "", "", err
	}
	defer conn.Close(ctx)
	type newest struct {
		Org     int64
		Product string
		Week    string
	}
	var n newest
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('pasokan.mode', 'system', true)`); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `SELECT supplier_org_id AS org, product_type AS product, wib_week(created_at)::text AS week
  FROM orders ORDER BY id DESC LIMIT 1`)
		var err error
		n, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[newest])
		return err
	})
	if err != nil {
		return 0, "", "", fmt.Errorf("a supplier with orders: %w", err)
	}
	return n.Org, n.Product, n.Week, nil
}

func samples(ctx context.Context, c *database.Cluster) (code string, found searches, err error) {
	conn, err := pgx.Connect(ctx, c.AppURL(database.DatabaseName))
	if err != nil {
		return "", searches{}, err
	}
	defer conn.Close(ctx)
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('pasokan.mode', 'system', true)`); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT code FROM certificates WHERE revoked_at IS NULL ORDER BY id LIMIT 1`).Scan(&code); err != nil {
			return fmt.Errorf("a certificate: %w", err)
		}
		// One in the demo curator's own queue, and one in another
		// organisation's: a search that finds few or none.
		if err := tx.QueryRow(ctx, `WITH own AS (SELECT m.organization_id FROM memberships m JOIN users u ON u.id = m.user_id
                             WHERE u.email = 'kurator@pasokan.test' LIMIT 1)
SELECT (SELECT p.legal_name FROM supplier_profiles p JOIN applications a ON a.organization_id = p.organization_id
         WHERE a.status IN ('submitted', 'in_review') AND a.assigned_org_id = (SELECT * FROM own)
         ORDER BY a.id DESC LIMIT 1),
       (SELECT p.legal_name FROM supplier_profiles p JOIN applications a ON a.organization_id = p.organization_id
         WHERE a.status IN ('submitted', 'in_review') AND a.assigned_org_id <> (SELECT * FROM own)
         ORDER BY a.id DESC LIMIT 1)`).Scan(&found.name, &found.other); err != nil {
			return fmt.Errorf("a waiting supplier: %w", err)
		}
		// The commonest first word of names: a search with many answers.
		if err := tx.QueryRow(ctx, `SELECT split_part(legal_name, ' ', 1) FROM supplier_profiles
 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`).Scan(&found.word); err != nil {
			return fmt.Errorf("a common word: %w", err)
		}
		// The commonest three first words in the demo curator's waiting
		// queue: a name of several words that fills its first page.
		if err := tx.QueryRow(ctx, `WITH own AS (SELECT m.organization_id FROM memberships m JOIN users u ON u.id = m.user_id
                             WHERE u.email = 'kurator@pasokan.test' LIMIT 1)
SELECT array_to_string((string_to_array(p.legal_name, ' '))[1:3], ' ')
  FROM supplier_profiles p JOIN applications a ON a.organization_id = p.organization_id
 WHERE a.status IN ('submitted', 'in_review') AND a.assigned_org_id = (SELECT * FROM own)
 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`).Scan(&found.phrase); err != nil {
			return fmt.Errorf("a common phrase: %w", err)
		}
		return nil
	})
	return code, found, err
}

func login(base, email string) (string, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(base+"/login", url.Values{"email": {email}, "password": {"pasokan-demo"}})
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("status %d", resp.StatusCode)
	}
	u, _ := url.Parse(base)
	for _, ck := range jar.Cookies(u) {
		if ck.Name == "pasokan_session" {
			cookie := ck.Name + "=" + ck.Value
			logins.Store(cookie, email)
			return cookie, nil
		}
	}
	return "", errors.New("no session cookie")
}

// errRedirected is a page that answered with a redirect: for a logged-in
// page, its session ended (the login page), so wrk would measure the
// redirect, which it counts as an answer like any other.
var errRedirected = errors.New("redirected")

// noRedirects is a client that reports a redirect rather than follows it.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func get(u, cookie string) (string, error) {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return "", fmt.Errorf("GET %s: %d to %s: %w", u, resp.StatusCode, resp.Header.Get("Location"), errRedirected)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: %d", u, resp.StatusCode)
	}
	return string(b), err
}

// logins are the addresses the sessions were opened for (cookie to
// e-mail), so that a session ended while other pages ran is opened again.
var logins sync.Map

// getPage reads a page before it is measured. A logged-in page whose
// session has ended answers with the login page: the portal ends a session
// idle for 30 minutes, and in a long run a page's person may sit idle that
// long (one person's page, measured late: in one run of three scales the
// supplier's notifications were the login page's redirect at two of them).
// The person logs in again and p's cookie is the new session's.
func getPage(base string, p *page) (string, error) {
	body, err := get(base+p.path, p.cookie)
	if !errors.Is(err, errRedirected) || p.cookie == "" {
		return body, err
	}
	email, ok := logins.Load(p.cookie)
	if !ok {
		return "", err
	}
	if p.cookie, err = login(base, email.(string)); err != nil {
		return "", fmt.Errorf("%s: logging in again: %w", p.name, err)
	}
	return get(base+p.path, p.cookie)
}

type result struct {
	rps           float64
	p50, p99      string
	appCPU, pgCPU float64
	bad           int
	lag           string
}

var (
	rpsRe   = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	totalRe = regexp.MustCompile(`(\d+) requests in`)
	badRe   = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	pctRe   = regexp.MustCompile(`(?m)^\s+(50|99)%\s+(\S+)`)
)

// measure drives one page: a short warm-up, then the measured run, with
// the CPU time of the server and of every Postgres process read before and
// after.
func measure(o options, s *server, p page) (result, error) {
	args := func(d time.Duration) []string {
		a := []string{"-t", strconv.Itoa(o.threads), "-c", strconv.Itoa(o.connections), "-d", d.String(), "--latency"}
		if p.cookie != "" {
			a = append(a, "-H", "Cookie: "+p.cookie)
		}
		return append(a, s.base+p.path)
	}
	if out, err := exec.Command("wrk", args(time.Second)...).CombinedOutput(); err != nil {
		return result{}, fmt.Errorf("wrk: %w\n%s", err, out)
	}
	app0, pg0, err := cpuTicks(s)
	if err != nil {
		return result{}, err
	}
	var lagDone func() string
	if s.lag != nil {
		lagDone = s.lag.during(context.Background())
	}
	out, err := exec.Command("wrk", args(o.duration)...).CombinedOutput()
	var lag string
	if lagDone != nil {
		lag = lagDone()
	}
	if err != nil {
		return result{}, fmt.Errorf("wrk: %w\n%s", err, out)
	}
	app1, pg1, err := cpuTicks(s)
	if err != nil {
		return result{}, err
	}
	r := result{lag: lag}
	text := string(out)
	if m := rpsRe.FindStringSubmatch(text); m != nil {
		r.rps, _ = strconv.ParseFloat(m[1], 64)
	}
	total := 0.0
	if m := totalRe.FindStringSubmatch(text); m != nil {
		total, _ = strconv.ParseFloat(m[1], 64)
	}
	if m := badRe.FindStringSubmatch(text); m != nil {
		r.bad, _ = strconv.Atoi(m[1])
	}
	for _, m := range pctRe.FindAllStringSubmatch(text, -1) {
		if m[1] == "50" {
			r.p50 = m[2]
		} else {
			r.p99 = m[2]
		}
	}
	if total > 0 {
		// Clock ticks are 10 ms on Linux (USER_HZ = 100).
		r.appCPU = float64(app1-app0) * 10 / total
		r.pgCPU = float64(pg1-pg0) * 10 / total
	}
	return r, nil
}

// cpuTicks returns the user+system clock ticks of the server process and of
// the cluster's postmaster with all its children.
func cpuTicks(s *server) (app, pg int64, err error) {
	app, err = procTicks(s.cmd.Process.Pid)
	if err != nil {
		return 0, 0, err
	}
	pidFile, err := os.ReadFile(filepath.Join(s.cluster.Root, "cluster", "pgdata", "postmaster.pid"))
	if err != nil {
		return 0, 0, err
	}
	postmaster, err := strconv.Atoi(strings.SplitN(string(pidFile), "\n", 2)[0])
	if err != nil {
		return 0, 0, err
	}
	// The postmaster's own time, with that of its children that have ended
	// (backends, parallel workers), then that of the living children. A
	// child reaped between the two reads would be counted in neither (or,
	// read first, in both): when the postmaster's sum moved during the
	// reading of its children, read again. Backends end at the end of a
	// run, when wrk leaves requests in flight; the figures read across
	// such a reap came out as low as -0.48 ms of Postgres a request.
	for range 20 {
		before, err := postmasterTicks(postmaster)
		if err != nil {
			return 0, 0, err
		}
		children, err := childTicks(postmaster)
		if err != nil {
			return 0, 0, err
		}
		after, err := postmasterTicks(postmaster)
		if err != nil {
			return 0, 0, err
		}
		if before == after {
			return app, before + children, nil
		}
	}
	return 0, 0, errors.New("the cluster's processes kept ending while their time was read")
}

// postmasterTicks is the postmaster's user and system ticks with those of
// its children that have ended.
func postmasterTicks(postmaster int) (int64, error) {
	f, err := procStat(postmaster)
	if err != nil || len(f) < 15 {
		return 0, fmt.Errorf("stat of the postmaster: %v", err)
	}
	var n int64
	for _, i := range []int{11, 12, 13, 14} {
		v, _ := strconv.ParseInt(f[i], 10, 64)
		n += v
	}
	return n, nil
}

// childTicks is the user and system ticks of the postmaster's living
// children.
func childTicks(postmaster int) (int64, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, err
	}
	var n int64
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == postmaster || parentOf(pid) != postmaster {
			continue
		}
		if t, err := procTicks(pid); err == nil {
			n += t
		}
	}
	return n, nil
}

// procStat returns the fields of /proc/pid/stat after the command name.
func procStat(pid int) ([]string, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil, err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil, errors.New("unreadable stat")
	}
	return strings.Fields(s[i+1:]), nil
}

func parentOf(pid int) int {
	f, err := procStat(pid)
	if err != nil || len(f) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(f[1])
	return ppid
}

// procTicks is utime + stime (fields 14 and 15 of stat; 12 and 13 after the
// name).
func procTicks(pid int) (int64, error) {
	f, err := procStat(pid)
	if err != nil || len(f) < 13 {
		return 0, fmt.Errorf("stat of %d: %v", pid, err)
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return u + s, nil
}

// quiesce waits until the cluster does no background work of its own before
// a page is measured: a checkpoint, then no autovacuum worker running. The
// Postgres CPU counted is that of every process of the cluster, and a
// checkpoint or a vacuum after a bulk load or a migration (minutes at
// 1,000,000 suppliers) had doubled some pages' figures in one run and not
// in the next.
func quiesce(ctx context.Context, s *server) error {
	conn, err := pgx.Connect(ctx, s.cluster.SuperURL(database.DatabaseName))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CHECKPOINT`); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	deadline := time.Now().Add(5 * time.Minute)
	for {
		var workers int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'`).Scan(&workers); err != nil {
			return err
		}
		if workers == 0 || time.Now().After(deadline) {
			return nil
		}
		time.Sleep(time.Second)
	}
}

// median returns the run whose CPU per request (server and Postgres
// together) is the median of runs.
func median(runs []result) result {
	sorted := slices.Clone(runs)
	slices.SortFunc(sorted, func(a, b result) int {
		return cmp.Compare(a.appCPU+a.pgCPU, b.appCPU+b.pgCPU)
	})
	return sorted[len(sorted)/2]
}
