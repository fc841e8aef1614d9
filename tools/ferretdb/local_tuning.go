package main

import (
	"context"
	"fmt"
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
-- grows with the collection (in a soak, 45 % of change-log reads scanned the whole table). Planning each execution with its values (~0.05 ms) keeps reads by _id on the index.
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
