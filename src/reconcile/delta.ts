// `cutover reconcile --delta`: inside the freeze window, compare only the keys the deltas changed
// since the previous verified state (migration.delta_change of the deltas not yet in
// migration.delta_verified), each one through the same mapping the pipeline ran: its outcome,
// its target rows field by field and the links it owns. The control totals still cover
// everything: the source counts (CRIS) and manifest (CRIMINT), and conservation of every step.
import type pg from 'pg';
import { conservation, countedInTarget, withTotal } from './control-totals.ts';
import { reconcilePool } from './db.ts';
import { openCheckedSources, plannedSteps, resolvePipelines, type PlannedStep } from './plan.ts';
import { compareKeyed, type KeyedResult } from './delta-keys.ts';
import type { ConservationResult, ManifestResult } from './types.ts';
import type { SystemName } from '../sources/types.ts';

export interface DeltaReconcileOptions {
  databaseUrl: string;
  crisUrl: string;
  crimintDir: string;
  pipelines?: string[];
}

export interface DeltaReconcileResult {
  ok: boolean;
  /** the delta runs whose keys were compared */
  runs: string[];
  keys: number;
  steps: KeyedResult[];
  manifest: ManifestResult | null;
  conservation: ConservationResult[];
  seconds: number;
}

async function unverified(pool: pg.Pool, pipelines: string[]): Promise<string[]> {
  const { rows } = await pool.query<{ run_id: string }>(
    `SELECT r.run_id::text FROM migration.run r WHERE r.pipeline = ANY($1) AND (r.options->>'delta' = 'true' OR r.options ? 'keys')
       AND NOT EXISTS (SELECT 1 FROM migration.delta_verified v WHERE v.run_id = r.run_id) ORDER BY r.run_id`,
    [pipelines],
  );
  return rows.map((r) => r.run_id);
}

/**
 * The keys to compare: every kind of change but `moved` (an unchanged record read at another
 * position of a newer export: its content, rows and links are what they were, only its read
 * position was rewritten, which the comparison does not look at; conservation still counts it).
 */
async function changedKeys(pool: pg.Pool, runs: string[], s: PlannedStep): Promise<Set<string>> {
  const { rows } = await pool.query<{ key: string }>(
    `SELECT DISTINCT source_key AS key FROM migration.delta_change WHERE run_id = ANY($1::bigint[]) AND source_system = $2 AND source_entity = $3 AND kind <> 'moved'`,
    [runs, s.system, s.mapping.entity],
  );
  return new Set(rows.map((r) => r.key));
}

export async function reconcileDelta(opts: DeltaReconcileOptions): Promise<DeltaReconcileResult> {
  const t0 = Date.now();
  const defs = resolvePipelines(opts.pipelines);
  const steps = plannedSteps(defs);
  const systems = new Set<SystemName>(defs.map((d) => d.system));
  const pool = reconcilePool(opts.databaseUrl, 6);
  // the export is hashed once, for the control totals: its reads take that check (as the full reconcile's do)
  const sources = openCheckedSources(opts, systems, 4);
  try {
    const runs = await unverified(pool, defs.map((d) => d.name));
    // The control totals (every record of every step, not only the changed ones) are counted in
    // the databases while this thread compares the changed keys.
    const totals = (async () => {
      const counted = await countedInTarget(pool, steps.map((s) => s.mapping));
      const out: ConservationResult[] = [];
      for (const [i, s] of steps.entries()) {
        const count = await (await sources.ready(s.system)).count(s.mapping.entity).catch(() => null);
        out.push(conservation(s.pipeline, s.step, s.mapping, count, { target: withTotal(counted[i]!), run: null }));
      }
      return out;
    })();
    const compared = (async () => {
      const out: { keys: number; steps: KeyedResult[] } = { keys: 0, steps: [] };
      for (const s of steps) {
        if (s.mapping.audit) continue; // legacy audit entries: cutover audit reconcile
        const keys = await changedKeys(pool, runs, s);
        out.keys += keys.size;
        if (keys.size) out.steps.push(await compareKeyed(pool, await sources.ready(s.system), s, keys));
      }
      return out;
    })();
    // both run to their end before the pools close, whichever fails
    const [t, c] = await Promise.allSettled([totals, compared]);
    if (t.status === 'rejected') throw t.reason;
    if (c.status === 'rejected') throw c.reason;
    const result: DeltaReconcileResult = { ok: false, runs, keys: c.value.keys, steps: c.value.steps, manifest: await sources.manifest, conservation: t.value, seconds: 0 };
    result.ok = result.steps.every((x) => x.ok) && result.conservation.every((x) => x.ok) && (result.manifest?.ok ?? true);
    if (result.ok && runs.length) await pool.query(`INSERT INTO migration.delta_verified (run_id) SELECT unnest($1::bigint[]) ON CONFLICT DO NOTHING`, [runs]);
    result.seconds = (Date.now() - t0) / 1000;
    return result;
  } finally {
    await sources.close();
    await pool.end();
  }
}
