// Command ferretdb runs an embedded FerretDB (MongoDB wire protocol) server
// backed by PostgreSQL (when -postgresql-url is given) or SQLite, for local
// development and tests of TutorTrack.
//
// It wraps github.com/FerretDB/FerretDB/ferretdb instead of using the upstream
// cmd/ferretdb, whose `go install` build panics at start (it needs
// build/version/version.txt, which is not part of the Go module).
//
// Usage:
//
//	ferretdb -listen 127.0.0.1:27017 -data .data/ferretdb [-log-level warn] [-exit-on-stdin-eof] [-delete-data-on-exit]
//	ferretdb -listen 127.0.0.1:0 -postgresql-url postgres://postgres@127.0.0.1:5432/tutortrack_x [-postgresql-max-conns 24] [-delete-data-on-exit]
//
// With -postgresql-url the PostgreSQL database is created when missing, and
// -delete-data-on-exit drops it on shutdown.
//
// Once the TCP socket is bound it prints exactly one line to stdout:
//
//	ferretdb listening on 127.0.0.1:PORT
//
// (with the real port, so `-listen 127.0.0.1:0` works too). It exits with
// status 0 on SIGINT/SIGTERM and non-zero on start-up errors.
//
// With -exit-on-stdin-eof it also shuts down when its stdin reaches EOF, so a
// parent that holds the write end of a pipe takes the server down with it even
// when the parent is killed with SIGKILL. With -delete-data-on-exit it removes
// the -data directory when it stops (for throw-away test databases).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"github.com/jackc/pgx/v5"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on (port 0 = pick a free port)")
	dataDir := flag.String("data", ".data/ferretdb", "directory for SQLite data files (created if missing)")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn or error")
	exitOnEOF := flag.Bool("exit-on-stdin-eof", false, "shut down when stdin is closed (parent process died)")
	deleteData := flag.Bool("delete-data-on-exit", false, "remove the -data directory on shutdown (temporary databases)")
	postgresURL := flag.String("postgresql-url", "", "store data in this PostgreSQL database instead of SQLite files (e.g. postgres://127.0.0.1:5432/tutortrack)")
	postgresMaxConns := flag.Int("postgresql-max-conns", 0, "at most this many PostgreSQL connections (0: FerretDB's own 50)")
	flag.Parse()

	if err := run(*listen, *dataDir, *logLevel, *postgresURL, *postgresMaxConns, *exitOnEOF, *deleteData); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}
}

func run(listen, dataDir, logLevel, postgresURL string, postgresMaxConns int, exitOnEOF, deleteData bool) (err error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("invalid -log-level %q: %w", logLevel, err)
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(logger)

	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return fmt.Errorf("resolving -data %q: %w", dataDir, err)
	}

	if err = os.MkdirAll(abs, 0o755); err != nil {
		return fmt.Errorf("creating data directory: %w", err)
	}

	if postgresURL != "" {
		if err = ensurePostgresDatabase(postgresURL); err != nil {
			return err
		}
		if ierr := ensureIDLookupIndexes(postgresURL); ierr != nil {
			logger.Warn("lookups by _id will read whole tables", "error", ierr)
		}
		if deleteData {
			// Runs after FerretDB has stopped and closed its connections (deferred calls run last-in, first-out).
			defer func() {
				if derr := dropPostgresDatabase(postgresURL); derr != nil && err == nil {
					err = derr
				}
			}()
		}
	}

	if deleteData {
		defer func() {
			if rerr := os.RemoveAll(abs); rerr != nil && err == nil {
				err = fmt.Errorf("removing data directory: %w", rerr)
			}
		}()
	}

	path := filepath.ToSlash(abs)
	if !strings.HasSuffix(path, "/") {
		path += "/"
	}

	// FerretDB's SQLite handler wants a "file:" URI naming an existing directory, ending with "/".
	sqliteURL := (&url.URL{Scheme: "file", Path: path, OmitHost: true}).String()

	// The parent may be gone by the time we log on shutdown: get EPIPE instead of dying
	// by SIGPIPE, so the shutdown (and -delete-data-on-exit) still completes.
	signal.Ignore(syscall.SIGPIPE)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if exitOnEOF {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			logger.Warn("stdin closed, shutting down")
			stop()
		}()
	}

	// New binds the TCP socket synchronously; connections made after it returns
	// wait in the backlog until Run starts accepting them.
	config := &ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	}
	if postgresURL != "" {
		config.Handler = "postgresql"
		config.SQLiteURL = ""
		if config.PostgreSQLURL, err = withPoolLimits(postgresURL, postgresMaxConns); err != nil {
			return err
		}
	}

	f, err := ferretdb.New(config)
	if err != nil {
		return err
	}

	done := make(chan error, 1)

	go func() { done <- f.Run(ctx) }()

	if postgresURL != "" {
		// Stopped and waited for before the deferred drop of a throw-away database runs.
		vacuumCtx, stopVacuum := context.WithCancel(ctx)
		vacuumed := make(chan struct{})
		go func() { defer close(vacuumed); keepTablesVacuumed(vacuumCtx, postgresURL, logger) }()
		defer func() { stopVacuum(); <-vacuumed }()
	}

	// MongoDBURI is safe to call once New has returned (the listener is ready)
	// and reports the actual bound address.
	addr := listen
	if u, perr := url.Parse(f.MongoDBURI()); perr == nil && u.Host != "" {
		addr = u.Host
	}

	fmt.Fprintf(os.Stdout, "ferretdb listening on %s\n", addr)

	return <-done
}

// maintenanceConnection connects to the "postgres" database of the server that
// postgresURL names, and returns the name of the database postgresURL names.
func maintenanceConnection(ctx context.Context, postgresURL string) (*pgx.Conn, string, error) {
	u, err := url.Parse(postgresURL)
	if err != nil {
		return nil, "", fmt.Errorf("invalid -postgresql-url: %w", err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" || name == "postgres" {
		return nil, "", fmt.Errorf("-postgresql-url must name a database of its own, not %q", name)
	}
	u.Path = "/postgres"
	conn, err := pgx.Connect(ctx, u.String())
	if err != nil {
		return nil, "", fmt.Errorf("connecting to PostgreSQL: %w", err)
	}
	return conn, name, nil
}

// withMaintenanceConnection runs fn on a connection to the "postgres" database of the server postgresURL
// names, passing the name of the database postgresURL names.
func withMaintenanceConnection(postgresURL string, fn func(ctx context.Context, conn *pgx.Conn, name string) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, name, err := maintenanceConnection(ctx, postgresURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return fn(ctx, conn, name)
}

func ensurePostgresDatabase(postgresURL string) error {
	return withMaintenanceConnection(postgresURL, func(ctx context.Context, conn *pgx.Conn, name string) error {
		var exists bool
		if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
			return fmt.Errorf("looking up database %q: %w", name, err)
		}
		if exists {
			return nil
		}
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
			return fmt.Errorf("creating database %q: %w", name, err)
		}
		return nil
	})
}

func dropPostgresDatabase(postgresURL string) error {
	return withMaintenanceConnection(postgresURL, func(ctx context.Context, conn *pgx.Conn, name string) error {
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("dropping database %q: %w", name, err)
		}
		return nil
	})
}
