// Planner statistics and visibility after bulk loading. A migration writes a million rows in a
// minute; autovacuum gets to them some seconds later. A check that plans its joins before then
// plans them for empty tables (seen: a reconcile join of lineage and links ran for minutes instead
// of half a second), and the first reader of each new page pays for setting its hint bits, racing
// autovacuum for the CPU. So `cutover run` ends with VACUUM (ANALYZE) of what it loaded, and every
// check starts by analyzing anything still stale. Tables that are current are left alone: this
// costs nothing once autovacuum has caught up.
import type pg from 'pg';
import { log } from '../core/log.ts';
import { buildDeferredIndexes } from '../load/indexes.ts';

const SCHEMAS = ['record', 'migration', 'audit'];

type Db = pg.Pool | pg.ClientBase;

interface TableNeeds {
  name: string;
  /** its statistics miss more than a tenth of its rows, or were never taken */
  analyze: boolean;
  /** more than a tenth of it was written since its last vacuum */
  vacuum: boolean;
}

/** What each table of the target needs, from the cumulative statistics (one query). */
async function tableNeeds(db: Db): Promise<TableNeeds[]> {
  // flags as 0/1: a pool that reads every value as text (the reconcile's) would give 't' and 'f'
  const { rows } = await db.query<{ name: string; analyze: number | string; vacuum: number | string }>(
    `SELECT format('%I.%I', schemaname, relname) AS name,
            (n_mod_since_analyze > greatest(500, n_live_tup / 10)
              OR (n_live_tup > 0 AND last_analyze IS NULL AND last_autoanalyze IS NULL))::int AS analyze,
            (n_ins_since_vacuum + n_dead_tup > greatest(500, n_live_tup / 10))::int AS vacuum
       FROM pg_stat_user_tables WHERE schemaname = ANY($1) ORDER BY 1`,
    [SCHEMAS],
  );
  return rows.map((r) => ({ name: r.name, analyze: Number(r.analyze) === 1, vacuum: Number(r.vacuum) === 1 }));
}

/** Tables of the target whose statistics miss more than a tenth of their rows (or were never taken). */
export async function staleTables(db: Db): Promise<string[]> {
  return (await tableNeeds(db)).filter((t) => t.analyze).map((t) => t.name);
}

/** Tables of the target of which more than a tenth was written since their last vacuum. */
export async function unvacuumedTables(db: Db): Promise<string[]> {
  return (await tableNeeds(db)).filter((t) => t.vacuum).map((t) => t.name);
}

export interface Freshened {
  /** tables vacuumed (and analyzed) */
  vacuumed: string[];
  /** tables analyzed only */
  analyzed: string[];
  seconds: number;
}

/**
 * Build any indexes a first load deferred (src/load/indexes.ts), then
 * ANALYZE the stale tables of the target; with `vacuum`, VACUUM (ANALYZE) the freshly written
 * ones first. From a pool the tables are done side by side, as many as it has connections.
 */
export async function freshenStatistics(db: Db, opts: { vacuum?: boolean } = {}): Promise<Freshened> {
  const t0 = Date.now();
  // indexes a first load deferred and nobody built yet (a killed or interrupted run): first
  await buildDeferredIndexes(db);
  const needs = await tableNeeds(db);
  const vacuumed = opts.vacuum ? needs.filter((t) => t.vacuum).map((t) => t.name) : [];
  const analyzed = needs.filter((t) => t.analyze && !vacuumed.includes(t.name)).map((t) => t.name);
  const statements = [...vacuumed.map((t) => `VACUUM (ANALYZE) ${t}`), ...analyzed.map((t) => `ANALYZE ${t}`)];
  if ('totalCount' in db) await Promise.all(statements.map((s) => db.query(s)));
  else for (const s of statements) await db.query(s);
  const seconds = (Date.now() - t0) / 1000;
  if (statements.length) {
    log.info(`statistics: ${vacuumed.length ? `vacuumed and analyzed ${vacuumed.join(', ')}; ` : ''}${analyzed.length ? `analyzed ${analyzed.join(', ')}; ` : ''}${seconds.toFixed(1)} s`);
  }
  return { vacuumed, analyzed, seconds };
}
