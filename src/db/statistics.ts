// Planner statistics after bulk loading. A migration writes a million rows in a minute; autovacuum
// analyzes them some seconds later. A check that plans its joins before then plans them for empty
// tables (seen: a reconcile join of lineage and links ran for minutes instead of half a second).
// So `cutover run` ends by analyzing what it changed, and every check starts by doing the same for
// anything still stale. Tables whose statistics are current are left alone: this costs nothing
// after autovacuum has caught up.
import type pg from 'pg';
import { log } from '../core/log.ts';

const SCHEMAS = ['record', 'migration', 'audit'];

/** Tables of the target whose statistics miss more than a tenth of their rows (or were never taken). */
export async function staleTables(db: pg.Pool | pg.ClientBase): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_user_tables
      WHERE schemaname = ANY($1)
        AND (n_mod_since_analyze > greatest(500, n_live_tup / 10)
             OR (n_live_tup > 0 AND last_analyze IS NULL AND last_autoanalyze IS NULL))
      ORDER BY 1`,
    [SCHEMAS],
  );
  return rows.map((r) => r.name);
}

/** ANALYZE the stale tables of the target; returns what it analyzed. */
export async function freshenStatistics(db: pg.Pool | pg.ClientBase): Promise<{ tables: string[]; seconds: number }> {
  const t0 = Date.now();
  const tables = await staleTables(db);
  // from a pool, the tables are analyzed side by side, as many at once as the pool has connections
  if ('totalCount' in db) await Promise.all(tables.map((t) => db.query(`ANALYZE ${t}`)));
  else if (tables.length) await db.query(`ANALYZE ${tables.join(', ')}`);
  const seconds = (Date.now() - t0) / 1000;
  if (tables.length) log.info(`statistics: analyzed ${tables.length} table(s) in ${seconds.toFixed(1)} s (${tables.join(', ')})`);
  return { tables, seconds };
}
