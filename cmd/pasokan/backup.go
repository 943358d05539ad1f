package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"

	"pasokan/internal/backup"
	"pasokan/internal/config"
	"pasokan/internal/database"
)

// superTarget is the superuser's connection to a database: -super-url, or
// the private cluster's. A cluster it starts comes back to be stopped
// afterwards; one already running (a portal serving from it) is left so.
func superTarget(ctx context.Context, cfg config.Config, log *slog.Logger, superURL, db string) (string, *database.Cluster, error) {
	if superURL != "" {
		return superURL, nil, nil
	}
	if cfg.DatabaseURL != "" {
		return "", nil, errors.New("with DATABASE_URL set, give a superuser's connection with -super-url (the tables force row-level security)")
	}
	cl, err := database.NewCluster(cfg.DataDir, database.ClusterOptions{Log: log})
	if err != nil {
		return "", nil, err
	}
	if cl.Running(ctx) {
		if err := cl.Start(ctx); err != nil { // reads its credentials
			return "", nil, err
		}
		return cl.SuperURL(db), nil, nil
	}
	if err := cl.Start(ctx); err != nil {
		return "", nil, err
	}
	return cl.SuperURL(db), cl, nil
}

// backupCommand writes a dump of the portal's database and its manifest.
func backupCommand(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	out := fs.String("o", "pasokan-"+time.Now().Format("20060102-150405")+".dump", "the dump to write (its manifest goes beside it)")
	superURL := fs.String("super-url", "", "a superuser's connection to the portal's database (default: the private cluster's)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	url, cl, err := superTarget(ctx, cfg, log, *superURL, database.DatabaseName)
	if err != nil {
		return err
	}
	if cl != nil {
		defer stopCluster(cl, log)
	}
	bin, err := database.FindPostgresBin()
	if err != nil {
		return err
	}
	start := time.Now()
	m, err := backup.Backup(ctx, url, bin, *out)
	if err != nil {
		return err
	}
	var rows int64
	for _, t := range m.Tables {
		rows += t.Rows
	}
	fmt.Fprintf(stdout, "wrote %s and %s: %d tables, %d rows, in %s\n", *out, backup.ManifestPath(*out), len(m.Tables), rows,
		time.Since(start).Round(time.Millisecond))
	return nil
}

var databaseName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// restoreCommand loads a dump into a new database and checks it.
func restoreCommand(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	in := fs.String("i", "", "the dump to load")
	db := fs.String("db", "", "the new database to load it into (created empty, owned by "+database.OwnerRole+")")
	superURL := fs.String("super-url", "", "a superuser's connection to that database, already created empty (default: the private cluster's)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" {
		return errors.New("restore: give the dump with -i")
	}
	if *superURL == "" && !databaseName.MatchString(*db) {
		return errors.New("restore: give the new database's name with -db (lower-case letters, digits, _)")
	}
	url, cl, err := superTarget(ctx, cfg, log, *superURL, *db)
	if err != nil {
		return err
	}
	if cl != nil {
		defer stopCluster(cl, log)
	}
	if *superURL == "" {
		admin, err := pgx.ParseConfig(url)
		if err != nil {
			return err
		}
		admin.Database = "postgres"
		conn, err := pgx.ConnectConfig(ctx, admin)
		if err != nil {
			return err
		}
		_, err = conn.Exec(ctx, `CREATE DATABASE `+*db+` OWNER `+database.OwnerRole)
		conn.Close(ctx)
		if err != nil {
			return fmt.Errorf("restore: create %s: %w", *db, err)
		}
	}
	bin, err := database.FindPostgresBin()
	if err != nil {
		return err
	}
	start := time.Now()
	m, err := backup.Restore(ctx, url, bin, *in)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s: %d tables, every row as dumped (checked), in %s\n", *in, len(m.Tables),
		time.Since(start).Round(time.Millisecond))
	if *superURL == "" {
		fmt.Fprintf(stdout, "the copy is the database %s of the private cluster; serve from it with DATABASE_URL set to its %s connection\n",
			*db, database.AppRole)
	}
	return nil
}

// stopCluster stops a private cluster the command started.
func stopCluster(cl *database.Cluster, log *slog.Logger) {
	log.Info("stopping the private Postgres cluster")
	if err := cl.Stop(context.Background()); err != nil {
		log.Error("stopping the cluster failed", "err", err)
	}
}
