// Change tracking: a stored check result is bound to the state of the target it was taken on, and
// goes stale when anything in `record`, `migration` or `audit` changes after it (issue 14).
//
// Every table of those three schemas gets one statement-level AFTER INSERT/UPDATE/DELETE/TRUNCATE
// trigger, `cutover_track`, that notes (transaction id, table) in `tracking.change`, once per
// transaction and table. A statement-level trigger fires once per statement whatever the row count
// (also for COPY and for a statement that changes no row), so one psql `DELETE` of one row adds
// one row here when it commits; a rolled-back change leaves nothing. The state of the target is
// the number of rows in `tracking.change` plus the epoch of `tracking.target` (a dropped and
// recreated database gets a new epoch): it can only grow, it is durable (an ordinary table,
// WAL-logged, so it survives a restart), and it never moves without a committed write.
//
// The triggers are ENABLE ALWAYS, so `session_replication_role = replica` does not silence them.
// `tracking.install()` puts the trigger on every table of the three schemas that lacks it; the
// migration runner calls it after every `db migrate`, so tables added by later migrations are
// covered too, and the state query reports any table without an enabled trigger (the gate then
// fails, naming it).
import type { MigrationBuilder } from 'node-pg-migrate';

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    CREATE SCHEMA IF NOT EXISTS tracking;

    CREATE TABLE tracking.target (
      one        boolean PRIMARY KEY DEFAULT true CHECK (one),
      epoch      uuid NOT NULL DEFAULT gen_random_uuid(),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    INSERT INTO tracking.target DEFAULT VALUES;

    CREATE TABLE tracking.change (
      xid      xid8 NOT NULL,
      tbl      text NOT NULL,
      at       timestamptz NOT NULL DEFAULT clock_timestamp(),
      app      text,
      by_user  text,
      PRIMARY KEY (xid, tbl)
    );

    CREATE FUNCTION tracking.note() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO tracking.change (xid, tbl, app, by_user)
      VALUES (pg_current_xact_id(), TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, current_setting('application_name', true), current_user)
      ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$;

    CREATE FUNCTION tracking.install() RETURNS integer LANGUAGE plpgsql AS $$
    DECLARE
      t record;
      n integer := 0;
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtext('cutover.tracking.install')); -- two concurrent migrates
      FOR t IN
        SELECT ns.nspname AS s, c.relname AS r FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
         WHERE ns.nspname IN ('record', 'migration', 'audit') AND c.relkind IN ('r', 'p')
           AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = 'cutover_track')
      LOOP
        EXECUTE format('CREATE TRIGGER cutover_track AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I.%I FOR EACH STATEMENT EXECUTE FUNCTION tracking.note()', t.s, t.r);
        n := n + 1;
      END LOOP;
      FOR t IN
        SELECT ns.nspname AS s, c.relname AS r FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace ns ON ns.oid = c.relnamespace
         WHERE g.tgname = 'cutover_track' AND g.tgenabled <> 'A'
      LOOP
        EXECUTE format('ALTER TABLE %I.%I ENABLE ALWAYS TRIGGER cutover_track', t.s, t.r);
      END LOOP;
      RETURN n;
    END $$;

    SELECT tracking.install();
  `);
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    DO $$ DECLARE t record; BEGIN
      FOR t IN SELECT ns.nspname AS s, c.relname AS r FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE g.tgname = 'cutover_track'
      LOOP EXECUTE format('DROP TRIGGER cutover_track ON %I.%I', t.s, t.r); END LOOP;
    END $$;
    DROP SCHEMA tracking CASCADE;
  `);
}
