// Control totals: the CRIMINT export against its manifest (record counts and SHA-256 of the files
// as read), the CRIS row counts taken from the source now, and conservation per step,
// source = loaded + quarantined + excluded + superseded, counted in the TARGET TABLES (not only
// in the runs' batch counters, which are reported beside them).
import type pg from 'pg';
import { checkManifest } from '../sources/json-export.ts';
import type { Source } from '../sources/types.ts';
import type { Mapping, TargetTable } from '../pipeline/types.ts';
import { linkPlansFor } from './link-plan.ts';
import type { ConservationResult, ManifestResult, StepCounts } from './types.ts';

export async function manifestTotals(dir: string): Promise<ManifestResult> {
  try {
    const files = await checkManifest(dir);
    return { dir, ok: files.every((f) => f.ok), files, error: null };
  } catch (err) {
    return { dir, ok: false, files: [], error: (err as Error).message };
  }
}

export async function crisTotals(source: Source, entities: string[]): Promise<Array<{ entity: string; rows: number }>> {
  const out: Array<{ entity: string; rows: number }> = [];
  for (const entity of entities) out.push({ entity, rows: await source.count(entity) });
  return out;
}

const n = (v: string | null | undefined) => Number(v ?? 0);

/** One row of the loaded counts: what a step's rows in one target table (or its audit events) number. */
interface LoadedRow { system: string; entity: string; table: string; n: string }

/**
 * The SQL that counts what each mapping loaded, in the target, in one statement. Lineage's main
 * rows of the steps involved are read once (materialized), then joined with each target table
 * they point into: a lineage main row counts when its row exists. A link-only step counts its
 * link rows whose both sides are lineage main rows of the referenced steps; an audit step counts
 * its legacy audit events. Each arm yields (system, entity, table, n).
 */
function loadedSql(mappings: readonly Mapping[]): { text: string; values: string[] } {
  const values: string[] = [];
  const param = (v: string) => {
    const i = values.indexOf(v);
    return `$${i < 0 ? values.push(v) : i + 1}::text`;
  };
  const traced = new Map<string, [string, string]>(); // the (system, entity) pairs whose lineage main rows are read
  const trace = (system: string, entity: string) => traced.set(`${system}:${entity}`, [system, entity]);
  const tables = new Set<TargetTable>();
  const arms: string[] = [];
  for (const m of mappings) {
    if (m.audit) {
      arms.push(`SELECT ${param(m.system)}, ${param(m.entity)}, 'audit.event', count(*) FROM audit.event WHERE origin = ${param(m.system)} AND legacy_audit_id IS NOT NULL`);
    } else if (m.linkOnly) {
      for (const plan of linkPlansFor(m.system, m.entity)) {
        const other = plan.other!;
        trace(m.system, plan.owner.entity);
        trace(m.system, other.entity);
        arms.push(`SELECT ${param(m.system)}, ${param(m.entity)}, '${plan.table}', count(*) FROM ${plan.table} k
          JOIN main lo ON lo.id = k.${plan.owner.column} AND lo.s = ${param(m.system)} AND lo.e = ${param(plan.owner.entity)}
          JOIN main lx ON lx.id = k.${other.column} AND lx.s = ${param(m.system)} AND lx.e = ${param(other.entity)}`);
      }
    } else {
      trace(m.system, m.entity);
      for (const t of Object.keys(m.schemas) as TargetTable[]) tables.add(t);
    }
  }
  for (const t of tables) arms.push(`SELECT m.s, m.e, '${t}', count(*) FROM main m JOIN ${t} t ON t.id = m.id WHERE m.tt = '${t}' GROUP BY m.s, m.e`);
  const pairs = [...traced.values()].map(([sys, ent]) => `(${param(sys)}, ${param(ent)})`);
  const main = pairs.length
    ? `WITH main AS MATERIALIZED (SELECT source_system AS s, source_entity AS e, target_table AS tt, target_id AS id FROM migration.lineage
         WHERE parent_key IS NULL AND (source_system, source_entity) IN (${pairs.join(', ')})) `
    : '';
  return { text: `${main}SELECT s.* FROM (${arms.join('\n UNION ALL ')}) AS s(system, entity, "table", n)`, values };
}

/**
 * Loaded, counted in the target, for each mapping (in order): lineage main rows whose row exists
 * in the mapping's tables; link rows of a link-only step; legacy audit events of an audit step.
 * One statement for them all, in one backend: a pass over lineage for every step would cost more
 * than the joins themselves (and parallel workers more CPU than they save, beside the rest).
 */
async function loadedInTarget(pool: pg.Pool, mappings: readonly Mapping[]): Promise<number[]> {
  const { text, values } = loadedSql(mappings);
  const client = await pool.connect();
  let failed = false;
  try {
    await client.query(`BEGIN; SET LOCAL work_mem = '64MB'; SET LOCAL enable_nestloop = off; SET LOCAL max_parallel_workers_per_gather = 0`);
    const { rows } = await client.query<LoadedRow>(text, values);
    await client.query('COMMIT');
    return mappings.map((m) => {
      const counted = m.audit ? ['audit.event'] : m.linkOnly ? linkPlansFor(m.system, m.entity).map((p) => p.table) : Object.keys(m.schemas);
      return rows.filter((r) => r.system === m.system && r.entity === m.entity && counted.includes(r.table)).reduce((t, r) => t + n(r.n), 0);
    });
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    client.release(failed);
  }
}

/** Quarantined, excluded and superseded of each mapping (in order): one pass over each table. */
async function controlCounts(pool: pg.Pool, mappings: readonly Mapping[]): Promise<Array<Omit<StepCounts, 'loaded'>>> {
  const { rows } = await pool.query<{ kind: 'quarantined' | 'excluded' | 'superseded'; system: string; entity: string; n: string }>(
    `SELECT 'quarantined' AS kind, source_system AS system, source_entity AS entity, count(*) AS n FROM migration.quarantine WHERE source_system = ANY($1) GROUP BY 2, 3
     UNION ALL SELECT 'excluded', source_system, source_entity, count(*) FROM migration.exclusion WHERE source_system = ANY($1) GROUP BY 2, 3
     UNION ALL SELECT 'superseded', source_system, source_entity, count(*) FROM migration.superseded WHERE source_system = ANY($1) GROUP BY 2, 3`,
    [[...new Set(mappings.map((m) => m.system))]],
  );
  return mappings.map((m) => {
    const of = (kind: string) => n(rows.find((r) => r.kind === kind && r.system === m.system && r.entity === m.entity)?.n);
    return { quarantined: of('quarantined'), excluded: of('excluded'), superseded: of('superseded') };
  });
}

/** The batch counters of the runs since the last one that started afresh (not --resume); re-migrations of keys (`run --keys`) are not loads and are left out. */
export async function runCounters(pool: pg.Pool, pipeline: string, step: string): Promise<ConservationResult['run']> {
  const { rows } = await pool.query(
    `SELECT count(*) AS batches, sum(read) AS read, sum(loaded) AS loaded, sum(quarantined) AS quarantined,
            sum(excluded) AS excluded, sum(superseded) AS superseded, sum(orphans) AS orphans
     FROM migration.batch
     WHERE pipeline = $1 AND step = $2 AND run_id >= (
       SELECT coalesce(max(run_id), 0) FROM migration.run WHERE pipeline = $1 AND NOT coalesce((options->>'resume')::boolean, false) AND NOT options ? 'keys')
       AND run_id NOT IN (SELECT run_id FROM migration.run WHERE pipeline = $1 AND options ? 'keys')`,
    [pipeline, step],
  );
  const r = rows[0];
  if (!r || n(r.batches) === 0) return null;
  return { read: n(r.read), loaded: n(r.loaded), quarantined: n(r.quarantined), excluded: n(r.excluded), superseded: n(r.superseded), orphans: n(r.orphans) };
}

export interface TargetCounts {
  target: Omit<ConservationResult['target'], 'erased'>;
  run: ConservationResult['run'];
}

/**
 * The steps' outcomes counted by queries on the target tables (in the order of `mappings`): for
 * audit steps, for a step whose merge-join failed (a merge-join counts them as it reads them:
 * StepOutput.counts), and for every step of `reconcile --delta`.
 */
export async function countedInTarget(pool: pg.Pool, mappings: readonly Mapping[]): Promise<StepCounts[]> {
  if (!mappings.length) return [];
  const loaded = await loadedInTarget(pool, mappings);
  const rest = await controlCounts(pool, mappings);
  return mappings.map((_, i) => ({ loaded: loaded[i]!, ...rest[i]! }));
}

export const withTotal = (c: StepCounts): TargetCounts['target'] => ({ ...c, total: c.loaded + c.quarantined + c.excluded + c.superseded });

/**
 * Conservation: the source count against the target's counts (and the run counters, as notes).
 * `erased`: records the merge-join found erased on the new platform with no outcome row yet.
 */
export function conservation(pipeline: string, step: string, mapping: Mapping, source: number | null, counts: TargetCounts, erased = 0): ConservationResult {
  const { run } = counts;
  const target = { ...counts.target, erased, total: counts.target.total + erased };
  const notes: string[] = [];
  if (source === null) notes.push('the source count is not available');
  if (!run) notes.push('no run has loaded this step');
  else {
    if (source !== null && run.read !== source) notes.push(`the runs read ${run.read} records; the source has ${source} now`);
    const runTotal = run.loaded + run.quarantined + run.excluded + run.superseded;
    if (runTotal !== run.read) notes.push(`run counters do not balance: read ${run.read} ≠ loaded ${run.loaded} + quarantined ${run.quarantined} + excluded ${run.excluded} + superseded ${run.superseded} (${runTotal})`);
    for (const k of ['loaded', 'quarantined', 'excluded', 'superseded'] as const) {
      if (run[k] !== target[k]) notes.push(`${k}: run counters ${run[k]}, target tables ${target[k]}`);
    }
  }
  const balanced = source !== null && source === target.total;
  return {
    pipeline, step, entity: mapping.entity, kind: mapping.audit ? 'audit' : mapping.linkOnly ? 'link' : 'record',
    source, target, run, balanced, notes, ok: balanced,
  };
}
