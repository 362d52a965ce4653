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
import { columnKinds, openCheckedSources, plannedSteps, resolvePipelines, type CheckedSources } from './plan.ts';
import { reconcileStep, type StepOutput } from './step.ts';
import { summarise } from './summary.ts';
import { untraced } from './untraced.ts';
import { StepWorker } from './workers.ts';
import type { QueuedSteps } from '../distributed/reconcile-jobs.ts';
import type { ConservationResult, EntityResult, LinkResult, ReconcileOptions, ReconcileResult } from './types.ts';

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

export async function reconcile(opts: ReconcileOptions, internals: ReconcileInternals = {}): Promise<ReconcileResult> {
  const started = new Date();
  const defs = resolvePipelines(opts.pipelines);
  const steps = plannedSteps(defs, internals.mapping);
  const systems = new Set<SystemName>(defs.map((d) => d.system));
  const cores = availableParallelism();
  const concurrency = Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY);
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const pool = reconcilePool(opts.databaseUrl, concurrency * 10 + 4);
  let sources: CheckedSources | null = null;
  let starting: Array<Promise<StepWorker | QueuedSteps | null>> = [];
  try {
    await freshenStatistics(pool);
    const kinds = await columnKinds(pool);
    const crisEntities = steps.filter((s) => s.system === 'CRIS').map((s) => s.mapping.entity);
    const compared = steps.filter((s) => !s.mapping.audit);
    const written = new Set(compared.flatMap((s) => Object.keys(s.mapping.schemas).map((t) => `${s.system}:${s.mapping.entity}:${t}`)));

    // The database-only checks run beside the merge-joins (which keep this thread busy):
    // 1. control totals of the sources as they are now (CRIMINT steps wait for the manifest check),
    // 3. the runs' counters of every step, and the outcome counts of the audit steps (a merge-join
    //    counts its step's outcomes as it reads them), 4. target rows nothing traces.
    sources = openCheckedSources(opts, systems, concurrency + 2);
    const manifestP = sources.manifest;
    const crisP = systems.has('CRIS') ? crisTotals(sources.get('CRIS'), crisEntities) : Promise.resolve(null);
    const countsP = (async () => {
      const audits = steps.filter((s) => s.mapping.audit);
      const counted = await countedInTarget(pool, audits.map((s) => s.mapping));
      const out = [];
      for (const s of steps) out.push({ run: await runCounters(pool, s.pipeline, s.step), target: counted[audits.indexOf(s)] ?? null });
      return out;
    })();
    const untracedP = untraced(pool, [...systems], written, opts.differences ?? null);
    for (const p of [manifestP, crisP, countsP, untracedP]) p.catch(() => {}); // awaited below

    // 2. Merge-join each compared step (audit steps: conservation only; their fields are src/audit's).
    //    `concurrency` lanes take steps in plan order; the first `wanted` lanes run theirs on a worker
    //    thread (not with substituted mappings: functions stay here), the rest on this thread. The
    //    workers start in the background (a second each) while this thread's lanes begin; a worker
    //    that cannot start, or whose thread has exited, leaves its lane to this thread.
    //    Distributed: one lane per step, each handing its step to the queue of `cutover worker`s.
    const wanted = internals.mapping || opts.differences ? 0 : Math.min(opts.workers ?? defaultWorkers(cores, concurrency), concurrency, cores);
    // (loaded only when asked: the job queue's modules are not every reconcile's start-up cost)
    const queued = opts.distributed && !internals.mapping && !opts.differences ? await (await import('../distributed/reconcile-jobs.ts')).QueuedSteps.open(opts.databaseUrl, { kinds: [...kinds], batchSize }) : null;
    const lanes = queued ? compared.length : concurrency;
    starting = queued ? Array.from({ length: lanes }, () => Promise.resolve(queued)) : Array.from({ length: wanted }, () => StepWorker.start({ ...opts, kinds: [...kinds], batchSize }));
    const runStep = async (s: (typeof compared)[number], worker: StepWorker | QueuedSteps | null): Promise<StepOutput> => {
      try {
        if (worker) {
          const m = s.system === 'CRIMINT' ? await manifestP : null;
          return await worker.run(s.pipeline, s.step, m && !m.error ? m.files : undefined);
        }
        const src = sources!;
        return await reconcileStep({
          pool, pipeline: s.pipeline, step: s.step, mapping: s.mapping, source: await src.ready(s.system),
          info: src.info(s.system, s.mapping.entity), kinds, batchSize, differences: opts.differences,
        });
      } catch (err) {
        const entity: EntityResult = {
          pipeline: s.pipeline, system: s.system, entity: s.mapping.entity, step: s.step, kind: s.mapping.linkOnly ? 'link' : 'record', keyKind: '?',
          outcomes: { read: 0, loaded: 0, quarantined: 0, excluded: 0, superseded: 0, erased: 0, unaccounted: { count: 0, examples: [] }, mismatched: { count: 0, examples: [] }, unexpected: { count: 0, examples: [] } },
          tables: [], error: (err as Error).message, seconds: 0, ok: false,
        };
        return { entity, links: [] as LinkResult[], unplannedLinks: [] as string[], counts: null };
      }
    };
    const outputs: StepOutput[] = new Array(compared.length);
    let next = 0;
    const lane = async (worker: Promise<StepWorker | QueuedSteps | null> | undefined): Promise<void> => {
      const w = worker ? await worker : null;
      while (next < compared.length) {
        const i = next++;
        outputs[i] = await runStep(compared[i]!, w?.alive ? w : null);
      }
    };
    await Promise.all(Array.from({ length: lanes }, (_, i) => lane(starting[i])));
    const entities = outputs.map((o) => o.entity);
    const links = outputs.flatMap((o) => o.links);
    const unplannedLinks = [...new Set(outputs.flatMap((o) => o.unplannedLinks))];

    const manifest = await manifestP;
    const cris = await crisP;
    const sourceCount = (system: SystemName, entity: string): number | null => {
      if (system === 'CRIS') return cris?.find((c) => c.entity === entity)?.rows ?? null;
      return manifest?.files.find((f) => f.entity === entity)?.actualRecords ?? null;
    };
    const counts = await countsP;
    const erasedIn = (step: string) => {
      const o = outputs.find((x) => x.entity.step === step);
      if (!o) return 0;
      return o.entity.kind === 'link' ? o.links.reduce((n, l) => n + l.erased, 0) : o.entity.outcomes.erased;
    };
    // a step whose merge-join failed has its outcomes counted by query instead
    const conservationResults: ConservationResult[] = [];
    for (const [i, s] of steps.entries()) {
      const target = counts[i]!.target ?? outputs.find((o) => o.entity.step === s.step)?.counts ?? (await countedInTarget(pool, [s.mapping]))[0]!;
      conservationResults.push(conservation(s.pipeline, s.step, s.mapping, sourceCount(s.system, s.mapping.entity), { target: withTotal(target), run: counts[i]!.run }, erasedIn(s.step)));
    }
    const untracedRows = await untracedP;

    const parts = { controlTotals: { manifest, cris, conservation: conservationResults }, entities, links, untraced: untracedRows, unplannedLinks };
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
