// `cutover run --distributed`: plan each step, queue its batches as jobs for `cutover worker`
// processes, and follow them until every batch is done or has failed for good. Steps keep their
// order (records before the links that point at them, the audit trail last and in order): a
// step's jobs are queued when the step before it is finished. Stopping this process does not
// stop the workers; `--resume` follows the same run again.
import type pg from 'pg';
import { emptyCounts } from '../load/batch.ts';
import { progress as makeProgress } from '../pipeline/progress.ts';
import { stepName, type PipelineDef, type StepDef } from '../pipeline/define.ts';
import { ConfigError } from '../core/problems.ts';
import { log } from '../core/log.ts';
import { planStep } from './plan.ts';
import { dropWaitingJobs, failedBatchJobs, installQueue, type FailedJob } from './queue.ts';
import { liveWorkers, recoverLostWorkers, recoveredNote } from './presence.ts';
import type { Source } from '../sources/types.ts';
import type { RunResult, StepResult } from '../pipeline/runner.ts';

export interface DistributedOptions {
  resume?: boolean;
  restart?: boolean;
  batchSize?: number;
  /** attempts before a batch job fails for good (default 5: about 1.5 minutes of backoff) */
  maxAttempts?: number;
  progress?: boolean;
  signal?: AbortSignal;
  /** how often to look at the queue, ms (default 500) */
  pollMs?: number;
}

export interface DistributedRunResult extends RunResult {
  failedJobs: FailedJob[];
}

interface StepCounts {
  batches: number;
  done: number;
  read: number;
  loaded: number;
  quarantined: number;
  excluded: number;
  superseded: number;
  orphans: number;
  warnings: Record<string, number> | null;
}

async function stepCounts(pool: pg.Pool, pipeline: string, step: string, runId: string): Promise<StepCounts> {
  const { rows: [r] } = await pool.query<StepCounts>(
    `SELECT (SELECT count(*)::int FROM migration.checkpoint WHERE pipeline = $1 AND step = $2) AS batches,
            (SELECT count(*)::int FROM migration.checkpoint WHERE pipeline = $1 AND step = $2 AND done) AS done,
            coalesce(sum(read), 0)::int AS read, coalesce(sum(loaded), 0)::int AS loaded, coalesce(sum(quarantined), 0)::int AS quarantined,
            coalesce(sum(excluded), 0)::int AS excluded, coalesce(sum(superseded), 0)::int AS superseded, coalesce(sum(orphans), 0)::int AS orphans,
            (SELECT jsonb_object_agg(k, n) FROM (SELECT w.key AS k, sum(w.value::int) AS n FROM migration.batch b2, jsonb_each_text(b2.warnings) w
              WHERE b2.pipeline = $1 AND b2.step = $2 AND b2.run_id = $3 GROUP BY 1) ws) AS warnings
     FROM migration.batch WHERE pipeline = $1 AND step = $2 AND run_id = $3`, [pipeline, step, runId]);
  return r!;
}

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve) => {
  const wake = () => { clearTimeout(t); resolve(); };
  const t = setTimeout(() => { signal?.removeEventListener('abort', wake); resolve(); }, ms);
  signal?.addEventListener('abort', wake, { once: true });
});

export async function runDistributed(def: PipelineDef, source: Source, pool: pg.Pool, opts: DistributedOptions = {}): Promise<DistributedRunResult> {
  const started = new Date();
  const batchSize = Math.max(1, opts.batchSize ?? def.batchSize);
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 5);
  const result: DistributedRunResult = { pipeline: def.name, runId: null, status: 'completed', startedAt: started.toISOString(), endedAt: '', seconds: 0, source: source.identity, steps: [], failedJobs: [] };
  const finish = (status: RunResult['status']) => {
    const ended = new Date();
    Object.assign(result, { status, endedAt: ended.toISOString(), seconds: (ended.getTime() - started.getTime()) / 1000 });
    return result;
  };
  await installQueue(pool);
  if (opts.restart) {
    await pool.query('DELETE FROM migration.checkpoint WHERE pipeline = $1', [def.name]);
    await dropWaitingJobs(pool, def.name);
  }
  const { rows: cps } = await pool.query<{ step: string; done: boolean }>('SELECT step, done FROM migration.checkpoint WHERE pipeline = $1', [def.name]);
  const stepsDone = def.steps.every((s) => { const mine = cps.filter((c) => c.step === stepName(def, s)); return mine.length > 0 && mine.every((c) => c.done); });
  if (cps.length && stepsDone) {
    log.info(`${def.name}: already complete; nothing to do (use --restart to read everything again)`);
    return finish('already_complete');
  }
  if (cps.length && !opts.resume) {
    throw new ConfigError(`pipeline ${def.name} has an interrupted run (checkpoints exist for ${new Set(cps.map((c) => c.step)).size} step(s))`, `run \`cutover run ${def.name} --distributed --resume\` to continue (failed batches are queued again), or \`--restart\` to read everything again`);
  }
  const { rows: [run] } = await pool.query<{ run_id: string }>(
    `INSERT INTO migration.run (pipeline, status, options, source_identity) VALUES ($1, 'running', $2, $3) RETURNING run_id::text`,
    [def.name, JSON.stringify({ distributed: true, batchSize, maxAttempts, resume: Boolean(opts.resume), restart: Boolean(opts.restart) }), source.identity]);
  const runId = run!.run_id;
  result.runId = runId;
  try {
    for (const step of def.steps) {
      result.steps.push(await followStep(def, step, source, pool, runId, { ...opts, batchSize, maxAttempts }, result));
      if (opts.signal?.aborted) break;
    }
    const partial = result.failedJobs.length > 0 || result.steps.some((s) => !s.complete);
    finish(partial || opts.signal?.aborted ? 'partial' : 'completed');
    const error = result.failedJobs.length ? `${result.failedJobs.length} batch job(s) failed: ${result.failedJobs.map((j) => j.lastError.split('\n')[0]).join('; ')}` : null;
    await pool.query('UPDATE migration.run SET status = $2, ended_at = now(), error = $3 WHERE run_id = $1',
      [runId, opts.signal?.aborted ? 'interrupted' : error ? 'failed' : 'completed', error]);
    return result;
  } catch (err) {
    await pool.query(`UPDATE migration.run SET status = 'failed', ended_at = now(), error = $2 WHERE run_id = $1`, [runId, (err as Error).message]).catch(() => {});
    throw err;
  }
}

async function followStep(def: PipelineDef, step: StepDef, source: Source, pool: pg.Pool, runId: string, opts: DistributedOptions & { batchSize: number; maxAttempts: number }, result: DistributedRunResult): Promise<StepResult> {
  const name = stepName(def, step);
  const entity = step.mapping.entity;
  const info = source.entities().find((e) => e.name === entity);
  if (!info) throw new ConfigError(`the source ${source.identity} has no entity ${entity}`, 'check the pipeline definition and the source');
  const t0 = Date.now();
  const plan = await planStep(pool, def, step, name, info, source, runId, opts);
  const sourceCount = await source.count(entity).catch(() => null);
  const bar = opts.progress === false ? null : makeProgress(`${name} (${plan.batches} jobs)`, sourceCount);
  let shown = 0;
  let failed: FailedJob[] = [];
  let counts: StepCounts;
  let lastWorkersNote = 0;
  for (;;) {
    counts = await stepCounts(pool, def.name, name, runId);
    failed = (await failedBatchJobs(pool, def.name)).filter((j) => j.step === name);
    bar?.add(counts.read - shown);
    shown = counts.read;
    if (counts.done + failed.length >= counts.batches || opts.signal?.aborted) break;
    const note = recoveredNote(await recoverLostWorkers(pool).catch(() => ({ poolIds: [], jobs: 0 })));
    if (note) log.warn(note);
    if (Date.now() - lastWorkersNote > 30_000 && (await liveWorkers(pool)) === 0) {
      log.warn(`${name}: no \`cutover worker\` is running; ${counts.batches - counts.done} job(s) wait in the queue`);
      lastWorkersNote = Date.now();
    }
    await sleep(opts.pollMs ?? 500, opts.signal);
  }
  bar?.done();
  for (const f of failed) log.error(`failed job: ${f.lastError.split('\n')[0]}`);
  result.failedJobs.push(...failed);
  const { batches, done, warnings, ...sums } = counts;
  return {
    ...emptyCounts(), ...sums, warnings: warnings ?? {}, step: name, entity, sourceCount,
    partitions: batches, batches: done, seconds: (Date.now() - t0) / 1000, complete: done === batches,
  };
}
