// Command pasokan is the portal's one binary: serve (the default), migrate,
// seed, user administration, and the private development database.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/account"
	"pasokan/internal/app"
	"pasokan/internal/config"
	"pasokan/internal/database"
	"pasokan/internal/demo"
	"pasokan/internal/logbuf"
)

const usage = `pasokan — the Pasokan portal

Usage:
  pasokan [serve]                 serve the portal (default)
  pasokan migrate                 apply pending migrations
  pasokan seed [-suppliers N]     load the demo data into an empty database
                                  (the 2020 story at N suppliers; default 330)
  pasokan user create-admin -email E -name N [-org NAME]
                                  create a ministry admin (password from
                                  PASOKAN_ADMIN_PASSWORD, else stdin, else generated)
  pasokan user disable -email E   disable an account and end its sessions
  pasokan user enable -email E    enable an account again
  pasokan devdb start|stop|url [-dir D]
                                  the private Postgres cluster (default .data)
  pasokan devdb replica|replica-stop [-dir D]
                                  a streaming read replica of it (in D/replica);
                                  prints the DATABASE_READ_URL to serve with
  pasokan backup [-o FILE] [-super-url URL]
                                  a consistent dump of the database (documents
                                  included) and its manifest (FILE.manifest.json)
  pasokan restore -i FILE -db NAME [-super-url URL]
                                  load a dump into a new, empty database and
                                  check every table against its manifest
  pasokan pitr archive -to DIR|-off [-dir D]
                                  archive the private cluster's WAL into DIR
  pasokan pitr switch [-super-url URL]
                                  archive the WAL written so far, now
  pasokan pitr base -o DIR [-super-url URL]
                                  a base backup of the running server
  pasokan pitr recover -base DIR -archive DIR -target TIME -dir NEWDIR
                                  a new private cluster recovered to TIME

Configuration is read from the environment; see README.md.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := config.FromOS()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	// The log is written a few times a second, a warning or an error at
	// once (logbuf): a busy server wrote its request log once a request.
	logs := logbuf.New(stderr, logInterval, 64<<10)
	defer logs.Close()
	log := newLogger(cfg, logs)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		err = serve(ctx, cfg, log, stdout)
	case "migrate":
		err = withDatabase(ctx, cfg, log, func(c conns) error {
			return requireOwner(c)
		})
	case "seed":
		fs := flag.NewFlagSet("seed", flag.ContinueOnError)
		suppliers := fs.Int("suppliers", demo.DefaultSuppliers, "supplier organisations in the story")
		if err = fs.Parse(args); err == nil {
			err = withDatabase(ctx, cfg, log, func(c conns) error {
				return seed(ctx, c, log, stdout, *suppliers)
			})
		}
	case "user":
		err = userCommand(ctx, cfg, log, args, stdin, stdout)
	case "devdb":
		err = devdb(ctx, cfg, log, args, stdout)
	case "backup":
		err = backupCommand(ctx, cfg, log, args, stdout)
	case "restore":
		err = restoreCommand(ctx, cfg, log, args, stdout)
	case "pitr":
		err = pitrCommand(ctx, cfg, log, args, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		log.Error(cmd+" failed", "err", err)
		return 1
	}
	return 0
}

// logInterval is how long the log holds its lines at most.
const logInterval = 200 * time.Millisecond

func newLogger(cfg config.Config, w *logbuf.Writer) *slog.Logger {
	var h slog.Handler = slog.NewTextHandler(w, nil)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(w, nil)
	}
	return slog.New(logbuf.Urgent(h, w, slog.LevelWarn))
}

// conns are the database connections a command works with.
type conns struct {
	appURL, ownerURL string
	// cluster is the private cluster when we started one.
	cluster *database.Cluster
	app     *database.DB
}

// connect finds the database: DATABASE_URL, or a private cluster in DataDir.
// It applies pending migrations when it has the owner's connection, then
// opens the application pool.
func connect(ctx context.Context, cfg config.Config, log *slog.Logger) (conns, error) {
	var c conns
	if cfg.DatabaseURL != "" {
		c.appURL, c.ownerURL = cfg.DatabaseURL, cfg.OwnerDatabaseURL
	} else {
		cl, err := database.NewCluster(cfg.DataDir, database.ClusterOptions{Log: log})
		if err != nil {
			return c, err
		}
		if err := cl.Start(ctx); err != nil {
			return c, err
		}
		c.cluster = cl
		c.appURL, c.ownerURL = cl.AppURL(database.DatabaseName), cl.OwnerURL(database.DatabaseName)
	}
	if c.ownerURL != "" {
		if err := database.Migrate(ctx, c.ownerURL, log); err != nil {
			return c, err
		}
	} else {
		log.Warn("DATABASE_OWNER_URL is not set: migrations are not applied at start-up; run `pasokan migrate` with it")
	}
	db, err := database.Open(ctx, c.appURL, database.Options{MaxConns: cfg.MaxDBConns, ApplicationName: "pasokan"})
	if err != nil {
		return c, err
	}
	if err := db.CheckAppRole(ctx); err != nil {
		db.Close()
		return c, err
	}
	if cfg.ReadDatabaseURL != "" {
		if err := db.UseReplica(ctx, cfg.ReadDatabaseURL, database.ReplicaOptions{MaxConns: cfg.MaxDBConns, MaxLag: cfg.ReadMaxLag, Log: log}); err != nil {
			db.Close()
			return c, fmt.Errorf("DATABASE_READ_URL: %w", err)
		}
		log.Info("reads that may be a moment old go to the read replica", "max_lag", cfg.ReadMaxLag)
	}
	c.app = db
	return c, nil
}

func (c conns) close(ctx context.Context, log *slog.Logger) {
	if c.app != nil {
		c.app.Close()
	}
	if c.cluster != nil {
		log.Info("stopping the private Postgres cluster")
		if err := c.cluster.Stop(context.WithoutCancel(ctx)); err != nil {
			log.Error("stopping the cluster failed", "err", err)
		}
	}
}

func withDatabase(ctx context.Context, cfg config.Config, log *slog.Logger, fn func(conns) error) error {
	c, err := connect(ctx, cfg, log)
	defer c.close(ctx, log)
	if err != nil {
		return err
	}
	return fn(c)
}

func requireOwner(c conns) error {
	if c.ownerURL == "" {
		return errors.New("migrate needs DATABASE_OWNER_URL (the schema owner's connection)")
	}
	return nil // connect has applied the migrations
}

func seed(ctx context.Context, c conns, log *slog.Logger, stdout io.Writer, suppliers int) error {
	pw, err := account.NewPasswords()
	if err != nil {
		return err
	}
	st, err := demo.SeedScale(ctx, c.app, pw, suppliers)
	if err != nil {
		return err
	}
	if st.Seeded {
		log.Info("demo data loaded", "suppliers", st.Suppliers, "resumed", st.Resumed, "rows", st.TotalRows(),
			"elapsed", st.Elapsed.Round(time.Millisecond), "rows_per_second", int(st.RowsPerSecond()))
		if err := analyze(ctx, c); err != nil {
			return err
		}
	} else if st.Completed {
		log.Info("demo data already present; what later seeds write added", "rows", st.Rows,
			"elapsed", st.Elapsed.Round(time.Millisecond))
		if err := analyze(ctx, c, demo.LaterTables...); err != nil {
			return err
		}
	} else {
		log.Info("demo data already present")
	}
	printDemoAccounts(stdout)
	return nil
}

// analyze vacuums and gathers the planner's statistics after a bulk load, as
// the schema owner (the application role may not): until autovacuum gets to
// it, a freshly seeded table has no statistics (every estimate is a guess)
// and the kept figures carry the dead versions of every statement's update
// (the dashboard's histogram read 1.2 million of them at 1,000,000
// suppliers: 69 ms).
//
// Given tables, it vacuums and analyses those alone.
func analyze(ctx context.Context, c conns, tables ...string) error {
	if c.ownerURL == "" {
		return nil
	}
	conn, err := pgx.Connect(ctx, c.ownerURL)
	if err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	defer conn.Close(ctx)
	if len(tables) > 0 {
		if _, err := conn.Exec(ctx, "VACUUM (ANALYZE) "+strings.Join(tables, ", ")); err != nil {
			return fmt.Errorf("analyze: %w", err)
		}
		return nil
	}
	if _, err := conn.Exec(ctx, "VACUUM (ANALYZE)"); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	// The kept counts are a few hundred rows, updated by every statement
	// of the load: VACUUM frees their dead versions but keeps the pages,
	// and the home page, which sums them, read 360 pages of catalog_counts
	// for 160 rows (three times) and 116 of application_counts for 36 at
	// 1,000,000 suppliers (0.43 ms of Postgres a view against 0.19 at
	// 10,000). Rewritten, they take a page or a few.
	if _, err := conn.Exec(ctx, "VACUUM (FULL, ANALYZE) "+strings.Join(keptCounts, ", ")); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}

// keptCounts are the tables of figures that triggers keep up to date, a
// few rows each.
var keptCounts = []string{"organization_counts", "application_counts", "catalog_counts", "decision_time_buckets",
	"application_figures", "product_figures", "weekly_figures"}

func printDemoAccounts(w io.Writer) {
	fmt.Fprintln(w, "\nDemo accounts (development only), password "+demo.Password+":")
	for _, a := range demo.Accounts {
		fmt.Fprintf(w, "  %-22s %-9s %s\n", a.Email, a.Kind, a.Org)
	}
	fmt.Fprintln(w)
}

func userCommand(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("user: want create-admin, disable or enable")
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	email := fs.String("email", "", "e-mail address")
	name := fs.String("name", "", "full name (create-admin)")
	org := fs.String("org", "Kementerian Koperasi dan UKM", "ministry organisation name (create-admin)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("user: -email is required")
	}
	return withDatabase(ctx, cfg, log, func(c conns) error {
		a, err := app.New(c.app, app.Options{Log: log, BaseURL: cfg.BaseURL})
		if err != nil {
			return err
		}
		store := a.Accounts
		switch args[0] {
		case "create-admin":
			password, generated, err := adminPassword(stdin)
			if err != nil {
				return err
			}
			u, o, err := store.CreateMinistryAdmin(ctx, *org, *name, *email, password)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "created ministry admin %s (user %d) in %q (organisation %d)\n", u.Email, u.ID, o.Name, o.ID)
			if generated {
				fmt.Fprintf(stdout, "generated password (shown once): %s\n", password)
			}
			return nil
		case "disable", "enable":
			id, err := store.UserIDByEmail(ctx, *email)
			if err != nil {
				return fmt.Errorf("user %s: %w", *email, err)
			}
			if err := store.SetDisabled(ctx, database.System(), id, args[0] == "disable"); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%sd %s\n", args[0], *email)
			return nil
		}
		return fmt.Errorf("user: unknown subcommand %q", args[0])
	})
}

// adminPassword takes the password from PASOKAN_ADMIN_PASSWORD, else one
// line of stdin when it is not a terminal, else generates one.
func adminPassword(stdin io.Reader) (string, bool, error) {
	if p := os.Getenv("PASOKAN_ADMIN_PASSWORD"); p != "" {
		return p, false, nil
	}
	if f, ok := stdin.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice == 0 {
			line, err := bufio.NewReader(f).ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				return "", false, err
			}
			if p := strings.TrimRight(line, "\r\n"); p != "" {
				return p, false, nil
			}
		}
	}
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return "", false, err
	}
	return base64.RawURLEncoding.EncodeToString(b), true, nil
}

func devdb(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("devdb: want start, stop, url, replica or replica-stop")
	}
	fs := flag.NewFlagSet("devdb", flag.ContinueOnError)
	dir := fs.String("dir", cfg.DataDir, "cluster folder")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	cl, err := database.NewCluster(*dir, database.ClusterOptions{Log: log})
	if err != nil {
		return err
	}
	switch args[0] {
	case "start", "url":
		if err := cl.Start(ctx); err != nil {
			return err
		}
		if args[0] == "url" {
			fmt.Fprintln(stdout, cl.OwnerURL(database.DatabaseName))
		}
		return nil
	case "stop", "replica-stop":
		// The replica first: it would only retry its primary.
		if rep, err := database.NewCluster(database.ReplicaDir(*dir), database.ClusterOptions{Log: log}); err == nil && rep.Exists() {
			if err := rep.StopIfRunning(ctx); err != nil {
				return err
			}
		}
		if args[0] == "replica-stop" || !cl.Exists() {
			return nil
		}
		return cl.StopIfRunning(ctx)
	case "replica":
		if err := cl.Start(ctx); err != nil {
			return err
		}
		rep, err := cl.StartReplica(ctx, database.ReplicaDir(*dir))
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, rep.AppURL(database.DatabaseName))
		return nil
	}
	return fmt.Errorf("devdb: unknown subcommand %q", args[0])
}
