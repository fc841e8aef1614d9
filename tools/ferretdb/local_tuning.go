package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// FerretDB 1.24 turns every equality filter, `_id` included, into jsonb containment
// (`_jsonb->'_id' @> '"…"'`), which its own btree `_id` index cannot serve: each find, update
// and delete by `_id` read the whole table. MongoDB always answers those from the `_id`
// index, so the local stand-in gets an index that serves the containment form: a GIN
// expression index on `_jsonb->'_id'` for every collection table, added by an event trigger
// when FerretDB creates the table, and to tables created before this existed. Indexes do not
// change results, only speed; FerretDB neither sees nor lists them.
const idLookupIndexSQL = `
CREATE OR REPLACE FUNCTION tutortrack_add_id_lookup_index(target regclass) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = target AND attname = '_jsonb' AND NOT attisdropped)
     AND NOT EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                     WHERE i.indrelid = target AND c.relname LIKE '%\_id\_lookup') THEN
    EXECUTE format('CREATE INDEX %I ON %s USING gin ((_jsonb->''_id'') jsonb_path_ops) WITH (fastupdate = off)',
                   left((SELECT relname FROM pg_class WHERE oid = target), 50) || '_id_lookup', target);
  END IF;
END
$fn$;

CREATE OR REPLACE FUNCTION tutortrack_index_new_collection() RETURNS event_trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  created record;
BEGIN
  FOR created IN SELECT objid FROM pg_event_trigger_ddl_commands()
                 WHERE command_tag = 'CREATE TABLE' AND object_type = 'table' LOOP
    BEGIN
      PERFORM tutortrack_add_id_lookup_index(created.objid::regclass);
    EXCEPTION WHEN OTHERS THEN
      -- Never fail FerretDB's own CREATE TABLE over a missing speed-up.
      RAISE WARNING 'tutortrack: no _id lookup index on %: %', created.objid::regclass, SQLERRM;
    END;
  END LOOP;
END
$fn$;

DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'tutortrack_index_new_collections') THEN
    CREATE EVENT TRIGGER tutortrack_index_new_collections ON ddl_command_end
      WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION tutortrack_index_new_collection();
  END IF;
END
$do$;

-- MongoDB acknowledges a write before its journal reaches disk (journal commits are grouped, every 100 ms
-- by default); PostgreSQL's default waits for an fsync per commit. Grouping them here as well makes the
-- stand-in's writes cost what MongoDB's do. A PostgreSQL crash can lose the last moments of commits, never
-- consistency (no torn transactions); a process crash loses nothing.
DO $do$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET synchronous_commit = off', current_database());
END
$do$;

-- FerretDB sends every filter as one prepared statement per shape, the field name a parameter
-- (_jsonb->$1 @> $2). After a few executions PostgreSQL may switch such a statement to its generic plan,
-- which cannot know that $1 is '_id' and so cannot use the index above: a sequential scan per read, whose cost
-- grows with the collection (in a soak, 45 % of change-log reads scanned the whole table). Planning each
-- execution with its values (~0.05 ms) keeps reads by _id on the index.
DO $do$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET plan_cache_mode = force_custom_plan', current_database());
END
$do$;

SELECT tutortrack_add_id_lookup_index(c.oid::regclass)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = '_jsonb' AND NOT a.attisdropped);
`

// ensureIDLookupIndexes installs the trigger and indexes in the database postgresURL names.
// Creating an event trigger needs a superuser (the local PostgreSQL's trust login is one);
// without it the stand-in still works, only slower, so the caller logs and goes on.
func ensureIDLookupIndexes(postgresURL string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, postgresURL)
	if err != nil {
		return fmt.Errorf("connecting to PostgreSQL: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, idLookupIndexSQL); err != nil {
		return fmt.Errorf("installing the _id lookup indexes: %w", err)
	}
	return nil
}

// Autovacuum's default trigger (autovacuum_vacuum_threshold + autovacuum_vacuum_scale_factor × live rows, and the
// analyze pair), used while the server's own autovacuum is off.
const tablesDueForVacuumSQL = `
SELECT format('%I.%I', schemaname, relname)
FROM pg_stat_user_tables
WHERE n_dead_tup > 50 + 0.2 * n_live_tup OR n_mod_since_analyze > 50 + 0.1 * n_live_tup`

// vacuumEvery is how often the launcher looks for tables due (autovacuum's own nap is a minute; the tables here
// are small and churn fast).
const vacuumEvery = 10 * time.Second

// keepTablesVacuumed does autovacuum's work for the database postgresURL names while the server runs with
// autovacuum = off (this machine's PostgreSQL is configured so). FerretDB turns every update and delete into a
// dead row version; unvacuumed, the tables that churn (booking claims, the mail queue, the change log, rate-limit
// hits) grow without bound, every read that scans them reads the dead rows as well, and latency drifts up with the
// age of the database (a soak: 556 live claims in 14,610 dead, cancels p99 85 -> 460 ms in ten minutes). MongoDB
// reclaims space by itself; so does PostgreSQL with autovacuum on, in which case this returns at once.
// It runs until ctx ends; a failure is logged and retried at the next tick.
func keepTablesVacuumed(ctx context.Context, postgresURL string, logger *slog.Logger) {
	var conn *pgx.Conn
	defer func() {
		if conn != nil {
			conn.Close(context.Background())
		}
	}()
	ticker := time.NewTicker(vacuumEvery)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		if conn == nil {
			var err error
			if conn, err = pgx.Connect(ctx, postgresURL); err != nil {
				conn = nil
				logger.Warn("vacuum: cannot connect", "error", err)
				continue
			}
			var autovacuum string
			if err := conn.QueryRow(ctx, "SHOW autovacuum").Scan(&autovacuum); err == nil && autovacuum == "on" {
				logger.Debug("vacuum: the server's autovacuum is on; nothing to do")
				return
			}
		}
		if err := vacuumTablesDue(ctx, conn, logger); err != nil {
			if ctx.Err() != nil {
				return
			}
			logger.Warn("vacuum: pass failed", "error", err)
			conn.Close(context.Background())
			conn = nil
		}
	}
}

func vacuumTablesDue(ctx context.Context, conn *pgx.Conn, logger *slog.Logger) error {
	rows, err := conn.Query(ctx, tablesDueForVacuumSQL)
	if err != nil {
		return err
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, table := range tables {
		started := time.Now()
		// VACUUM takes no lock that blocks reads or writes; ANALYZE gives the planner the statistics it never had.
		if _, err := conn.Exec(ctx, "VACUUM (ANALYZE) "+table); err != nil {
			return fmt.Errorf("vacuuming %s: %w", table, err)
		}
		logger.Debug("vacuum: done", "table", table, "took", time.Since(started))
	}
	return nil
}

// FerretDB keeps idle PostgreSQL connections for half an hour; here they go after a minute (FerretDB 1.24 turns any
// pool_max_conn_idle_time into 1m), so an instance holds what it uses, not what its last burst used. maxConns > 0
// also bounds the pool (FerretDB's own bound is 50): the tests run several instances at once against one PostgreSQL
// server (100 connections by default), and bursts in two lanes left a replica in a third unable to start ("too many
// clients already"); test/setup/globalSetup.ts asks for 24 (LOCAL_DB_PG_MAX_CONNS). Not lower: with 12, once
// PostgreSQL had refused and cut its connections, test/integration/storageUnavailable.test.ts's ~34 retried bookings
// never got a connection again. Not for one instance alone (dev, benchmarks): a page reads in parallel, and with 24
// the overload bench's accepted pages waited in the pool (p99 1.25-1.37 s, 0.90-0.94 s with 50).
func withPoolLimits(postgresURL string, maxConns int) (string, error) {
	u, err := url.Parse(postgresURL)
	if err != nil {
		return "", fmt.Errorf("parsing -postgresql-url: %w", err)
	}
	q := u.Query()
	limits := map[string]string{"pool_max_conn_idle_time": "1m", "pool_health_check_period": "10s"}
	if maxConns > 0 {
		limits["pool_max_conns"] = strconv.Itoa(maxConns)
	}
	for name, value := range limits {
		if !q.Has(name) {
			q.Set(name, value)
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}
