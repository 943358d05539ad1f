package database

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5"
)

// DatabaseName is the name of the portal's database in a private cluster.
const DatabaseName = "pasokan"

// ClusterOptions tune a private cluster.
type ClusterOptions struct {
	// Fast turns off durability (fsync, synchronous commit): for test
	// clusters only, whose data may be lost on a crash.
	Fast bool
	// Log receives progress messages; nil discards them.
	Log *slog.Logger
}

// Cluster is a private Postgres cluster the portal starts for itself from the
// Postgres binaries on the machine, when no DATABASE_URL is given. It runs as
// an unprivileged user when the portal runs as root, because Postgres refuses
// to run as root.
type Cluster struct {
	// Root is where the cluster lives: the requested folder, or a fallback
	// under /var/tmp when the unprivileged user cannot reach the requested one.
	Root   string
	binDir string
	runAs  *runAs
	opts   ClusterOptions
	creds  clusterCredentials
}

type runAs struct {
	name     string
	uid, gid uint32
}

type clusterCredentials struct {
	Port          int    `json:"port"`
	SuperPassword string `json:"super_password"`
	OwnerPassword string `json:"owner_password"`
	AppPassword   string `json:"app_password"`
}

// NewCluster prepares (but does not start) a private cluster in dir.
func NewCluster(dir string, opts ClusterOptions) (*Cluster, error) {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	bin, err := FindPostgresBin()
	if err != nil {
		return nil, err
	}
	c := &Cluster{Root: abs, binDir: bin, opts: opts}
	if os.Geteuid() == 0 {
		ra, err := unprivilegedUser()
		if err != nil {
			return nil, err
		}
		c.runAs = ra
		if !reachable(filepath.Dir(abs), ra) {
			sum := sha256.Sum256([]byte(abs))
			fallback := filepath.Join("/var/tmp", "pasokan-"+hex.EncodeToString(sum[:6]), filepath.Base(abs))
			opts.Log.Warn("the Postgres user cannot enter the project folder; keeping the private cluster elsewhere",
				"user", ra.name, "wanted", abs, "using", fallback)
			c.Root = fallback
		}
	}
	return c, nil
}

// FindPostgresBin finds the folder holding initdb and pg_ctl: PASOKAN_PG_BIN,
// then `pg_config --bindir`, then the newest /usr/lib/postgresql/*/bin, then
// PATH.
func FindPostgresBin() (string, error) {
	var candidates []string
	if v := os.Getenv("PASOKAN_PG_BIN"); v != "" {
		candidates = append(candidates, v)
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		candidates = append(candidates, strings.TrimSpace(string(out)))
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return pgMajor(dirs[i]) > pgMajor(dirs[j]) })
	candidates = append(candidates, dirs...)
	candidates = append(candidates, "/usr/local/pgsql/bin")
	if p, err := exec.LookPath("initdb"); err == nil {
		candidates = append(candidates, filepath.Dir(p))
	}
	for _, d := range candidates {
		if isExecutable(filepath.Join(d, "initdb")) && isExecutable(filepath.Join(d, "pg_ctl")) {
			return d, nil
		}
	}
	return "", errors.New("cluster: no Postgres server binaries found (initdb, pg_ctl); install Postgres (Debian: apt-get install postgresql) or set DATABASE_URL")
}

func pgMajor(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

// unprivilegedUser picks the account Postgres runs as when we are root.
func unprivilegedUser() (*runAs, error) {
	names := []string{"postgres", "nobody"}
	if v := os.Getenv("PASOKAN_PG_USER"); v != "" {
		names = []string{v}
	}
	for _, n := range names {
		u, err := user.Lookup(n)
		if err != nil {
			continue
		}
		uid, _ := strconv.ParseUint(u.Uid, 10, 32)
		gid, _ := strconv.ParseUint(u.Gid, 10, 32)
		if uid == 0 {
			continue
		}
		return &runAs{name: n, uid: uint32(uid), gid: uint32(gid)}, nil
	}
	return nil, fmt.Errorf("cluster: Postgres refuses to run as root and no unprivileged user (%s) exists; create one (useradd postgres), run as a normal user, or set DATABASE_URL", strings.Join(names, ", "))
}

// reachable reports whether ra may enter every folder from / down to dir
// (the folders that do not exist yet will be created by us, reachable).
func reachable(dir string, ra *runAs) bool {
	for p := dir; ; p = filepath.Dir(p) {
		st, err := os.Stat(p)
		if err == nil {
			sys, ok := st.Sys().(*syscall.Stat_t)
			if !ok {
				return false
			}
			mode := st.Mode().Perm()
			var can bool
			switch {
			case sys.Uid == ra.uid:
				can = mode&0o100 != 0
			case sys.Gid == ra.gid:
				can = mode&0o010 != 0
			default:
				can = mode&0o001 != 0
			}
			if !can {
				return false
			}
		}
		if p == "/" || p == "." {
			return true
		}
	}
}

func (c *Cluster) clusterDir() string { return filepath.Join(c.Root, "cluster") }
func (c *Cluster) dataDir() string    { return filepath.Join(c.clusterDir(), "pgdata") }
func (c *Cluster) logFile() string    { return filepath.Join(c.clusterDir(), "postgres.log") }
func (c *Cluster) credsFile() string  { return filepath.Join(c.Root, "credentials.json") }

// Start initialises the cluster if needed, starts it if it is not running,
// and makes sure the roles and the portal's database exist. Concurrent
// callers (test packages running in parallel) take turns on a file lock.
func (c *Cluster) Start(ctx context.Context) error {
	if err := os.MkdirAll(c.Root, 0o755); err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	unlock, err := lockFile(filepath.Join(c.Root, "lock"))
	if err != nil {
		return err
	}
	defer unlock()

	if _, err := os.Stat(filepath.Join(c.dataDir(), "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := c.initdb(ctx); err != nil {
			return err
		}
	} else if err := c.readCredentials(); err != nil {
		return err
	}
	if c.running(ctx) {
		c.opts.Log.Info("private Postgres cluster already running", "dir", c.dataDir(), "port", c.creds.Port)
	} else {
		if err := c.startServer(ctx); err != nil {
			return err
		}
	}
	return c.ensureRoles(ctx)
}

func (c *Cluster) initdb(ctx context.Context) error {
	c.opts.Log.Info("creating a private Postgres cluster", "dir", c.dataDir(), "bin", c.binDir)
	c.creds = clusterCredentials{
		SuperPassword: randomHex(16),
		OwnerPassword: randomHex(16),
		AppPassword:   randomHex(16),
	}
	// A half-made cluster from an interrupted run is useless: start over.
	if err := os.RemoveAll(c.clusterDir()); err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	if err := os.MkdirAll(c.clusterDir(), 0o700); err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	if err := c.chown(c.clusterDir()); err != nil {
		return err
	}
	pwfile := filepath.Join(c.clusterDir(), "pwfile")
	if err := os.WriteFile(pwfile, []byte(c.creds.SuperPassword+"\n"), 0o600); err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	defer os.Remove(pwfile)
	if err := c.chown(pwfile); err != nil {
		return err
	}
	out, err := c.command(ctx, "initdb", "-D", c.dataDir(), "-U", "postgres", "--auth=scram-sha-256",
		"--pwfile="+pwfile, "--encoding=UTF8", "--locale=C.UTF-8").CombinedOutput()
	if err != nil {
		return fmt.Errorf("cluster: initdb: %w\n%s", err, out)
	}
	conf := []string{
		"",
		"# Written by pasokan for a private development cluster.",
		"listen_addresses = '127.0.0.1'",
		"unix_socket_directories = ''",
		"max_connections = 300",
		"shared_buffers = 256MB",
		"logging_collector = off",
	}
	if c.opts.Fast {
		// A test cluster copies its template database for every test, and
		// Postgres 15 writes each copy to the WAL: with room for gigabytes
		// of WAL between checkpoints the test run filled a nearly full disk
		// (CI failed so). Without fsync and full-page writes a checkpoint
		// is cheap, so keep the WAL small.
		conf = append(conf, "fsync = off", "synchronous_commit = off", "full_page_writes = off",
			"max_wal_size = 256MB", "min_wal_size = 64MB")
	} else {
		// Seeding a national-scale story is one long transaction that writes
		// tens of gigabytes: with the default 1 GB of WAL between
		// checkpoints, every checkpoint made the next touch of each index
		// page write the whole page again, and a million suppliers took
		// hours instead of minutes. The WAL then takes up to this much disk.
		conf = append(conf, "max_wal_size = 8GB", "checkpoint_timeout = 30min")
	}
	f, err := os.OpenFile(filepath.Join(c.dataDir(), "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	_, err = f.WriteString(strings.Join(conf, "\n") + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cluster: write postgresql.conf: %w", err)
	}
	return c.writeCredentials()
}

func (c *Cluster) startServer(ctx context.Context) error {
	// Two clusters starting at once (a test cluster and `make run`, say) may
	// pick the same free port; the loser retries on another.
	var err error
	for attempt := 0; attempt < 4; attempt++ {
		if attempt > 0 || c.creds.Port == 0 || !portFree(c.creds.Port) {
			p, perr := freePort()
			if perr != nil {
				return perr
			}
			c.creds.Port = p
			if werr := c.writeCredentials(); werr != nil {
				return werr
			}
		}
		c.opts.Log.Info("starting the private Postgres cluster", "dir", c.dataDir(), "port", c.creds.Port)
		cmd := c.command(ctx, "pg_ctl", "-D", c.dataDir(), "-l", c.logFile(), "-w", "-t", "120",
			"-o", fmt.Sprintf("-p %d", c.creds.Port), "start")
		out, runErr := cmd.CombinedOutput()
		if runErr == nil {
			return nil
		}
		err = fmt.Errorf("cluster: pg_ctl start: %w\n%s\nlast lines of %s:\n%s", runErr, out, c.logFile(), tail(c.logFile(), 15))
		if !strings.Contains(tail(c.logFile(), 5), "Address already in use") {
			return err
		}
	}
	return err
}

// running reports whether the cluster's postmaster is alive and answering.
func (c *Cluster) running(ctx context.Context) bool {
	if c.command(ctx, "pg_ctl", "-D", c.dataDir(), "status").Run() != nil {
		return false
	}
	conn, err := pgx.Connect(ctx, c.SuperURL("postgres"))
	if err != nil {
		return false
	}
	conn.Close(ctx)
	return true
}

// Exists reports whether the cluster has been initialised.
// Running reports whether the cluster's server answers now.
func (c *Cluster) Running(ctx context.Context) bool {
	return c.Exists() && c.readCredentials() == nil && c.running(ctx)
}

func (c *Cluster) Exists() bool {
	_, err := os.Stat(filepath.Join(c.dataDir(), "PG_VERSION"))
	return err == nil
}

// StopIfRunning stops the cluster when its postmaster runs.
func (c *Cluster) StopIfRunning(ctx context.Context) error {
	if c.command(ctx, "pg_ctl", "-D", c.dataDir(), "status").Run() != nil {
		return nil
	}
	return c.Stop(ctx)
}

// Stop shuts the cluster down, letting open transactions finish quickly.
func (c *Cluster) Stop(ctx context.Context) error {
	out, err := c.command(ctx, "pg_ctl", "-D", c.dataDir(), "-m", "fast", "-w", "-t", "60", "stop").CombinedOutput()
	if err != nil {
		return fmt.Errorf("cluster: pg_ctl stop: %w\n%s", err, out)
	}
	return nil
}

// ensureRoles creates the owner and application roles and the portal's
// database when missing. The application role has no superuser, no
// BYPASSRLS and owns nothing.
func (c *Cluster) ensureRoles(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, c.SuperURL("postgres"))
	if err != nil {
		return fmt.Errorf("cluster: connect: %w", err)
	}
	defer conn.Close(ctx)
	type role struct {
		name, password, attrs string
		// ofApp: the application's role is made a member, to set its
		// connections to this one.
		ofApp bool
	}
	roles := []role{
		{OwnerRole, c.creds.OwnerPassword, "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS", false},
		{AppRole, c.creds.AppPassword, "LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS", false},
	}
	// The kind roles (migration 0052) log in never: the application's role
	// sets its connections to them, as a member that does not inherit them
	// (NOINHERIT, above), so that their policies never apply to it.
	for _, kind := range []string{"supplier", "curator", "buyer", "ministry"} {
		roles = append(roles, role{KindRoles[kind], "", "NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS", true})
	}
	for _, r := range roles {
		var exists bool
		if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1)`, r.name).Scan(&exists); err != nil {
			return fmt.Errorf("cluster: %w", err)
		}
		verb := "ALTER"
		if !exists {
			verb = "CREATE"
		}
		// Passwords are our own hex strings; identifiers are constants.
		q := fmt.Sprintf(`%s ROLE %s WITH %s`, verb, pgx.Identifier{r.name}.Sanitize(), r.attrs)
		if r.password != "" {
			q += fmt.Sprintf(` PASSWORD '%s'`, r.password)
		}
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("cluster: role %s: %w", r.name, err)
		}
		if r.ofApp {
			if _, err := conn.Exec(ctx, fmt.Sprintf(`GRANT %s TO %s`, pgx.Identifier{r.name}.Sanitize(), AppRole)); err != nil {
				return fmt.Errorf("cluster: role %s: %w", r.name, err)
			}
		}
	}
	var dbExists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)`, DatabaseName).Scan(&dbExists); err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	if !dbExists {
		if _, err := conn.Exec(ctx, fmt.Sprintf(`CREATE DATABASE %s OWNER %s`, DatabaseName, OwnerRole)); err != nil {
			return fmt.Errorf("cluster: create database: %w", err)
		}
	}
	return nil
}

// Port is the TCP port the cluster listens on (127.0.0.1 only).
func (c *Cluster) Port() int { return c.creds.Port }

// SuperPassword is the password of the cluster's superuser, postgres.
func (c *Cluster) SuperPassword() string { return c.creds.SuperPassword }

// OwnerPassword is the password of the schema owner role.
func (c *Cluster) OwnerPassword() string { return c.creds.OwnerPassword }

// SuperURL connects to db as the cluster's superuser.
func (c *Cluster) SuperURL(db string) string {
	return c.url("postgres", c.creds.SuperPassword, db)
}

// OwnerURL connects to db as the schema owner, for migrations and the seed.
func (c *Cluster) OwnerURL(db string) string { return c.url(OwnerRole, c.creds.OwnerPassword, db) }

// AppURL connects to db as the application role, as the server does.
func (c *Cluster) AppURL(db string) string { return c.url(AppRole, c.creds.AppPassword, db) }

func (c *Cluster) url(user, password, db string) string {
	return fmt.Sprintf("postgres://%s:%s@127.0.0.1:%d/%s?sslmode=disable", user, password, c.creds.Port, db)
}

func (c *Cluster) readCredentials() error {
	b, err := os.ReadFile(c.credsFile())
	if err != nil {
		return fmt.Errorf("cluster: the cluster in %s has no credentials file (%w); delete the folder to start afresh", c.Root, err)
	}
	if err := json.Unmarshal(b, &c.creds); err != nil {
		return fmt.Errorf("cluster: read %s: %w", c.credsFile(), err)
	}
	return nil
}

func (c *Cluster) writeCredentials() error {
	b, _ := json.MarshalIndent(c.creds, "", "  ")
	tmp := c.credsFile() + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	return os.Rename(tmp, c.credsFile())
}

// command builds a Postgres command, run as the unprivileged user when we are
// root, in its own process group so that a Ctrl-C in the terminal reaches
// only us: we stop the cluster ourselves, in order.
func (c *Cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(c.binDir, name), args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	if _, err := os.Stat(c.clusterDir()); err == nil {
		cmd.Dir = c.clusterDir()
	} else {
		cmd.Dir = "/"
	}
	if c.runAs != nil {
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: c.runAs.uid, Gid: c.runAs.gid}
		cmd.Env = append(cmd.Env, "HOME="+c.clusterDir(), "USER="+c.runAs.name, "LOGNAME="+c.runAs.name)
	}
	return cmd
}

func (c *Cluster) chown(path string) error {
	if c.runAs == nil {
		return nil
	}
	if err := os.Chown(path, int(c.runAs.uid), int(c.runAs.gid)); err != nil {
		return fmt.Errorf("cluster: chown %s: %w", path, err)
	}
	return nil
}

func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cluster: lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("cluster: lock: %w", err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

func portFree(port int) bool {
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// freePort asks the kernel for a free port on the loopback address: its
// choice is random, so clusters starting at once rarely collide.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("cluster: no free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on Linux
	}
	return hex.EncodeToString(b)
}

func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
