package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"pasokan/internal/config"
	"pasokan/internal/database"
)

// pitrCommand is point-in-time recovery (issue 13): turning WAL archiving
// on for the private cluster, archiving the current WAL now, taking a base
// backup, and recovering one to a moment into a new cluster folder.
func pitrCommand(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("pitr: want archive, switch, base or recover")
	}
	switch args[0] {
	case "archive":
		return pitrArchive(ctx, cfg, log, args[1:], stdout)
	case "switch":
		return pitrSwitch(ctx, cfg, log, args[1:], stdout)
	case "base":
		return pitrBase(ctx, cfg, log, args[1:], stdout)
	case "recover":
		return pitrRecover(ctx, log, args[1:], stdout)
	}
	return fmt.Errorf("pitr: unknown subcommand %q", args[0])
}

// pitrArchive turns archiving on or off in the private cluster's
// configuration (restarting it when it runs).
func pitrArchive(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("pitr archive", flag.ContinueOnError)
	to := fs.String("to", "", "the folder to archive every finished WAL segment into")
	off := fs.Bool("off", false, "stop archiving")
	dir := fs.String("dir", cfg.DataDir, "cluster folder")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (*to == "") == !*off {
		return errors.New("pitr archive: give either -to DIR or -off")
	}
	if cfg.DatabaseURL != "" {
		return errors.New("pitr archive: with DATABASE_URL set, turn archiving on in that server's postgresql.conf (see README.md)")
	}
	cl, err := database.NewCluster(*dir, database.ClusterOptions{Log: log})
	if err != nil {
		return err
	}
	if err := cl.SetWALArchive(ctx, *to); err != nil {
		return err
	}
	archive, err := cl.WALArchive()
	if err != nil {
		return err
	}
	if archive == "" {
		fmt.Fprintf(stdout, "the private cluster in %s does not archive its WAL\n", cl.Root)
		return nil
	}
	fmt.Fprintf(stdout, "the private cluster in %s archives every finished WAL segment into %s (at least every %s when anything was written)\n",
		cl.Root, archive, database.ArchiveTimeout)
	return nil
}

// pitrSwitch closes the current WAL segment and waits until it is
// archived, so that the archive holds every commit made so far.
func pitrSwitch(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("pitr switch", flag.ContinueOnError)
	superURL := fs.String("super-url", "", "a superuser's connection to the server (default: the private cluster's)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	url, cl, err := superTarget(ctx, cfg, log, *superURL, "postgres")
	if err != nil {
		return err
	}
	if cl != nil {
		defer stopCluster(cl, log)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	segment, err := database.ArchiveCurrentWAL(ctx, url)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "archived WAL up to segment %s\n", segment)
	return nil
}

// pitrBase takes a base backup of the private cluster (with its
// credentials) or of the server -super-url names.
func pitrBase(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("pitr base", flag.ContinueOnError)
	out := fs.String("o", "pasokan-base-"+time.Now().Format("20060102-150405"), "the folder to write (new or empty)")
	superURL := fs.String("super-url", "", "a superuser's connection to the server (default: the private cluster's)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var (
		b   database.Base
		err error
	)
	switch {
	case *superURL != "":
		bin, err := database.FindPostgresBin()
		if err != nil {
			return err
		}
		b, err = database.BaseBackup(ctx, *superURL, bin, *out)
		if err != nil {
			return err
		}
	case cfg.DatabaseURL != "":
		return errors.New("pitr base: with DATABASE_URL set, give a superuser's connection with -super-url")
	default:
		cl, err := database.NewCluster(cfg.DataDir, database.ClusterOptions{Log: log})
		if err != nil {
			return err
		}
		if !cl.Running(ctx) {
			defer stopCluster(cl, log)
		}
		if err := cl.Start(ctx); err != nil {
			return err
		}
		b, err = cl.BaseBackup(ctx, *out)
		if err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "wrote a base backup of %.1f MB into %s (checked against its manifest) in %s; recover to any moment after %s\n",
		float64(b.Bytes)/1e6, *out, b.Finished.Sub(b.Started).Round(time.Millisecond), b.Finished.Format(targetLayout))
	return err
}

// pitrRecover makes a new private cluster folder from a base backup and
// the WAL archive, recovered to a moment.
func pitrRecover(ctx context.Context, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("pitr recover", flag.ContinueOnError)
	base := fs.String("base", "", "the base backup's folder (pasokan pitr base)")
	archive := fs.String("archive", "", "the WAL archive's folder")
	target := fs.String("target", "", "the moment to recover to, e.g. '2026-12-06 10:00:00+07' (without a zone: this machine's)")
	dir := fs.String("dir", "", "the new cluster folder, to serve with PASOKAN_DATA_DIR")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *base == "" || *archive == "" || *dir == "" {
		return errors.New("pitr recover: give -base, -archive, -target and -dir")
	}
	at, err := parseTarget(*target)
	if err != nil {
		return err
	}
	rec, err := database.Recover(ctx, *dir, database.RecoverOptions{Base: *base, Archive: *archive, Target: at, Log: log})
	if err != nil {
		return err
	}
	stopCluster(rec.Cluster, log)
	last := "no transaction after the base backup"
	if !rec.LastCommit.IsZero() {
		last = "the last transaction kept committed at " + rec.LastCommit.Local().Format(targetLayout)
	}
	fmt.Fprintf(stdout, "recovered to %s in %s (%s) into %s\nserve it with PASOKAN_DATA_DIR=%s pasokan serve (it does not archive: pasokan pitr archive -dir %s -to DIR)\n",
		at.Format(targetLayout), rec.Took.Round(time.Millisecond), last, rec.Root, *dir, *dir)
	return nil
}

// targetLayout is how moments are shown, as Postgres and `date '+%F %T%:z'`
// write them.
const targetLayout = "2006-01-02 15:04:05.999999Z07:00"

// parseTarget reads a moment as Postgres writes a timestamptz (fractions
// of a second allowed), or in RFC 3339; without a zone it is this
// machine's local time.
func parseTarget(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05Z07", "2006-01-02 15:04:05Z0700", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04:05", s, time.Local); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("pitr recover: -target %q is not a moment like '2026-12-06 10:00:00+07'", s)
}
