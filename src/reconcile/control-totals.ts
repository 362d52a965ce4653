// Control totals: the CRIMINT export against its manifest (record counts and SHA-256 of the files
// as read), the CRIS row counts taken from the source now, and conservation per step,
// source = loaded + quarantined + excluded + superseded, counted in the TARGET TABLES (not only
// in the runs' batch counters, which are reported beside them).
import type pg from 'pg';
import { queryHashJoined } from '../db/pool.ts';
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

/** Loaded, counted in the target: lineage main rows whose row exists; link rows of a link-only step; audit rows. */
async function loadedInTarget(pool: pg.Pool, mapping: Mapping): Promise<number> {
  const { system, entity } = mapping;
  if (mapping.audit) {
    const { rows } = await pool.query(`SELECT count(*) AS n FROM audit.event WHERE origin = $1 AND legacy_audit_id IS NOT NULL`, [system]);
    return n(rows[0].n);
  }
  if (mapping.linkOnly) {
    let total = 0;
    for (const plan of linkPlansFor(system, entity)) {
      const other = plan.other!;
      const { rows } = await queryHashJoined<{ n: string }>(pool,
        `SELECT count(*) AS n FROM ${plan.table} k
         JOIN migration.lineage lo ON lo.target_id = k.${plan.owner.column} AND lo.source_system = $1 AND lo.source_entity = $2 AND lo.parent_key IS NULL
         JOIN migration.lineage lx ON lx.target_id = k.${other.column} AND lx.source_system = $1 AND lx.source_entity = $3 AND lx.parent_key IS NULL`,
        [system, plan.owner.entity, other.entity],
      );
      total += n(rows[0].n);
    }
    return total;
  }
  let total = 0;
  for (const table of Object.keys(mapping.schemas) as TargetTable[]) {
    const { rows } = await pool.query(
      `SELECT count(*) AS n FROM migration.lineage l JOIN ${table} t ON t.id = l.target_id
       WHERE l.source_system = $1 AND l.source_entity = $2 AND l.target_table = $3 AND l.parent_key IS NULL`,
      [system, entity, table],
    );
    total += n(rows[0].n);
  }
  return total;
}

async function controlCounts(pool: pg.Pool, system: string, entity: string): Promise<Omit<StepCounts, 'loaded'>> {
  const { rows } = await pool.query(
    `SELECT (SELECT count(*) FROM migration.quarantine WHERE source_system = $1 AND source_entity = $2) AS quarantined,
            (SELECT count(*) FROM migration.exclusion WHERE source_system = $1 AND source_entity = $2) AS excluded,
            (SELECT count(*) FROM migration.superseded WHERE source_system = $1 AND source_entity = $2) AS superseded`,
    [system, entity],
  );
  return { quarantined: n(rows[0].quarantined), excluded: n(rows[0].excluded), superseded: n(rows[0].superseded) };
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
 * The step's outcomes counted by queries on the target tables: for audit steps, and for a step
 * whose merge-join failed (a merge-join counts them as it reads them: StepOutput.counts).
 */
export async function countedInTarget(pool: pg.Pool, mapping: Mapping): Promise<StepCounts> {
  const loaded = await loadedInTarget(pool, mapping);
  return { loaded, ...(await controlCounts(pool, mapping.system, mapping.entity)) };
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
