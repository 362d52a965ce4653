// reconcile(): prove, from the source as it is now and the target as it is now, that nothing was
// lost, added or changed. Control totals (manifest, source counts, conservation per step in the
// target tables), then per step one streaming merge-join of source and target: outcomes, rows
// field by field, links, and profiles of every mapped field. Returns a structured result; the
// CLI renders it and exits 1 unless `ok`.
import { availableParallelism } from 'node:os';
import type { Mapping } from '../pipeline/types.ts';
import type { SystemName } from '../sources/types.ts';
import { conservation, countedInTarget, crisTotals, runCounters, withTotal } from './control-totals.ts';
import { DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, reconcilePool } from './db.ts';
import { freshenStatistics } from '../db/statistics.ts';
import { columnKinds, openCheckedSources, plannedSteps, resolvePipelines, type CheckedSources, type PlannedStep } from './plan.ts';
import { reconcileStep, type StepOutput } from './step.ts';
import { summarise } from './summary.ts';
import { untraced } from './untraced.ts';
import { StepWorker } from './workers.ts';
import type { QueuedSteps } from '../distributed/reconcile-jobs.ts';
import type pg from 'pg';
import type { ConservationResult, EntityResult, LinkResult, ReconcileOptions, ReconcileResult, StepCounts } from './types.ts';

export type * from './types.ts';
export { plainRead, type PlainReadResult } from './plain-read.ts';
export { formatReconcile } from './format.ts';
export { FIELD_RULES } from './field-rules.ts';

/** For tests: run the reconciliation with substituted mappings (e.g. a mapping bug the loader shared). */
export interface ReconcileInternals {
  mapping?: (m: Mapping) => Mapping;
}

export { DEFAULT_CONCURRENCY };

/**
 * Worker threads by default: one beside this thread on 2 or 3 cores; from 4 cores one per lane
 * (this thread then only coordinates), leaving two cores to the database. On 2 cores this thread
 * alone was the bottleneck at scale 100,000, with a fifth of the machine idle: one worker beside
 * it cut reconcile from 11.2 s to 10.0 s (for about 100 MB more peak RSS); two workers, each with
 * its own heap and this thread left idle, were slower than one.
 */
export function defaultWorkers(cores: number, concurrency: number): number {
  if (cores < 2) return 0;
  return Math.min(concurrency, cores >= 4 ? cores - 2 : 1);
}

type Lane = StepWorker | QueuedSteps | null;

/**
 * The database-only checks, started beside the merge-joins (which keep this thread busy):
 * control totals of the sources as they are now (CRIMINT steps wait for the manifest check), the
 * runs' counters of every step with the outcome counts of the audit steps (a merge-join counts its
 * step's outcomes as it reads them), and target rows nothing traces. Each is awaited by its user.
 */
function startDatabaseChecks(pool: pg.Pool, sources: CheckedSources, steps: PlannedStep[], systems: Set<SystemName>, differences: ReconcileOptions['differences']) {
  const crisEntities = steps.filter((s) => s.system === 'CRIS').map((s) => s.mapping.entity);
  const written = new Set(steps.filter((s) => !s.mapping.audit).flatMap((s) => Object.keys(s.mapping.schemas).map((t) => `${s.system}:${s.mapping.entity}:${t}`)));
  const checks = {
    manifest: sources.manifest,
    cris: systems.has('CRIS') ? crisTotals(sources.get('CRIS'), crisEntities) : Promise.resolve(null),
    counts: (async () => {
      const audits = steps.filter((s) => s.mapping.audit);
      const counted = await countedInTarget(pool, audits.map((s) => s.mapping));
      const out = [];
      for (const s of steps) out.push({ run: await runCounters(pool, s.pipeline, s.step), target: counted[audits.indexOf(s)] ?? null });
      return out;
    })(),
    untraced: untraced(pool, [...systems], written, differences ?? null),
  };
  for (const p of Object.values(checks)) (p as Promise<unknown>).catch(() => {}); // awaited by their users
  return checks;
}

/** A step whose merge-join threw: its error, and nothing counted (conservation then counts by query). */
function failedStep(s: PlannedStep, err: unknown): StepOutput {
  const entity: EntityResult = {
    pipeline: s.pipeline, system: s.system, entity: s.mapping.entity, step: s.step, kind: s.mapping.linkOnly ? 'link' : 'record', keyKind: '?',
    outcomes: { read: 0, loaded: 0, quarantined: 0, excluded: 0, superseded: 0, erased: 0, unaccounted: { count: 0, examples: [] }, mismatched: { count: 0, examples: [] }, unexpected: { count: 0, examples: [] } },
    tables: [], error: (err as Error).message, seconds: 0, ok: false,
  };
  return { entity, links: [] as LinkResult[], unplannedLinks: [] as string[], counts: null };
}

/**
 * Merge-join each compared step (audit steps: conservation only; their fields are src/audit's).
 * Lanes take steps in plan order; a lane with a live worker (thread, or the queue of `cutover
 * worker`s) hands its step over, the others run theirs on this thread. A worker that could not
 * start, or whose thread has exited, leaves its lane to this thread.
 */
async function mergeJoinSteps(
  compared: PlannedStep[],
  lanes: Array<Promise<Lane>>,
  run: (s: PlannedStep, worker: Lane) => Promise<StepOutput>,
): Promise<StepOutput[]> {
  const outputs: StepOutput[] = new Array(compared.length);
  let next = 0;
  const lane = async (worker: Promise<Lane>): Promise<void> => {
    const w = await worker;
    while (next < compared.length) {
      const i = next++;
      const s = compared[i]!;
      outputs[i] = await run(s, w?.alive ? w : null).catch((err: unknown) => failedStep(s, err));
    }
  };
  await Promise.all(lanes.map(lane));
  return outputs;
}

/** Conservation per step: source count = the step's outcomes in the target (and its run's counters). */
async function conservationOf(
  pool: pg.Pool,
  steps: PlannedStep[],
  outputs: StepOutput[],
  counts: Array<{ run: ConservationResult['run']; target: StepCounts | null }>,
  sourceCount: (system: SystemName, entity: string) => number | null,
): Promise<ConservationResult[]> {
  const erasedIn = (step: string) => {
    const o = outputs.find((x) => x.entity.step === step);
    if (!o) return 0;
    return o.entity.kind === 'link' ? o.links.reduce((n, l) => n + l.erased, 0) : o.entity.outcomes.erased;
  };
  const out: ConservationResult[] = [];
  for (const [i, s] of steps.entries()) {
    // a step whose merge-join failed has its outcomes counted by query instead
    const target = counts[i]!.target ?? outputs.find((o) => o.entity.step === s.step)?.counts ?? (await countedInTarget(pool, [s.mapping]))[0]!;
    out.push(conservation(s.pipeline, s.step, s.mapping, sourceCount(s.system, s.mapping.entity), { target: withTotal(target), run: counts[i]!.run }, erasedIn(s.step)));
  }
  return out;
}

export async function reconcile(opts: ReconcileOptions, internals: ReconcileInternals = {}): Promise<ReconcileResult> {
  const started = new Date();
  const defs = resolvePipelines(opts.pipelines);
  const steps = plannedSteps(defs, internals.mapping);
  const systems = new Set<SystemName>(defs.map((d) => d.system));
  const concurrency = Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY);
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const pool = reconcilePool(opts.databaseUrl, concurrency * 10 + 4);
  let sources: CheckedSources | null = null;
  let starting: Array<Promise<Lane>> = [];
  try {
    await freshenStatistics(pool);
    const kinds = await columnKinds(pool);
    const compared = steps.filter((s) => !s.mapping.audit);
    sources = openCheckedSources(opts, systems, concurrency + 2);
    const checks = startDatabaseChecks(pool, sources, steps, systems, opts.differences);

    // Worker threads are not used with substituted mappings (functions stay here) nor when every
    // difference is written; they start in the background (a second each) while this thread's
    // lanes begin. Distributed: one lane per step, each handing its step to the job queue.
    const local = !internals.mapping && !opts.differences;
    const wanted = local ? Math.min(opts.workers ?? defaultWorkers(availableParallelism(), concurrency), concurrency, availableParallelism()) : 0;
    // (loaded only when asked: the job queue's modules are not every reconcile's start-up cost)
    const queued = opts.distributed && local ? await (await import('../distributed/reconcile-jobs.ts')).QueuedSteps.open(opts.databaseUrl, { kinds: [...kinds], batchSize }) : null;
    starting = queued ? compared.map(() => Promise.resolve(queued)) : Array.from({ length: wanted }, () => StepWorker.start({ ...opts, kinds: [...kinds], batchSize }));
    const lanes = queued ? starting : Array.from({ length: concurrency }, (_, i) => starting[i] ?? Promise.resolve(null));
    const src = sources;
    const outputs = await mergeJoinSteps(compared, lanes, async (s, worker) => {
      if (worker) {
        const m = s.system === 'CRIMINT' ? await checks.manifest : null;
        return worker.run(s.pipeline, s.step, m && !m.error ? m.files : undefined);
      }
      return reconcileStep({
        pool, pipeline: s.pipeline, step: s.step, mapping: s.mapping, source: await src.ready(s.system),
        info: src.info(s.system, s.mapping.entity), kinds, batchSize, differences: opts.differences,
      });
    });

    const manifest = await checks.manifest;
    const cris = await checks.cris;
    const sourceCount = (system: SystemName, entity: string): number | null => {
      if (system === 'CRIS') return cris?.find((c) => c.entity === entity)?.rows ?? null;
      return manifest?.files.find((f) => f.entity === entity)?.actualRecords ?? null;
    };
    const conservationResults = await conservationOf(pool, steps, outputs, await checks.counts, sourceCount);
    const entities = outputs.map((o) => o.entity);
    const links = outputs.flatMap((o) => o.links);
    const untracedRows = await checks.untraced;
    const parts = { controlTotals: { manifest, cris, conservation: conservationResults }, entities, links, untraced: untracedRows, unplannedLinks: [...new Set(outputs.flatMap((o) => o.unplannedLinks))] };
    const verdict = summarise(parts);
    const ended = new Date();
    return {
      ok: verdict.ok,
      startedAt: started.toISOString(),
      endedAt: ended.toISOString(),
      seconds: (ended.getTime() - started.getTime()) / 1000,
      pipelines: defs.map((d) => d.name),
      controlTotals: parts.controlTotals,
      entities,
      links,
      untraced: untracedRows,
      summary: verdict.summary,
      problems: verdict.problems,
    };
  } finally {
    await Promise.all(starting.map(async (w) => (await w)?.close()));
    await sources?.close();
    await pool.end();
  }
}
