// `cutover run --delta`: bring over what changed in the legacy data since the pipeline's last
// completed run. A delta is a migration.run (options.delta = true) made of batches; an
// interrupted delta is continued by the next `run --delta` (the keys it already changed are read
// back from migration.delta_change, so the records that link to them are still re-derived).
import type pg from 'pg';
import { progress as makeProgress } from '../pipeline/progress.ts';
import { stepName, type PipelineDef } from '../pipeline/define.ts';
import { ConfigError } from '../core/problems.ts';
import { log } from '../core/log.ts';
import { hashesAhead, recordStep, type DeltaStepResult } from './step.ts';
import { auditStep } from './audit.ts';
import type { Source } from '../sources/types.ts';
import { ChangedKeys } from './mentions.ts';

export interface DeltaOptions {
  batchSize?: number;
  progress?: boolean;
  signal?: AbortSignal;
  recordOptions?: Record<string, unknown>;
  /**
   * The audit steps start once this settles (runDeltas: the pipelines named before this one), so
   * legacy audit entries join the chain in the order of a run of one pipeline after another.
   */
  auditAfter?: Promise<unknown>;
}

export interface DeltaResult {
  pipeline: string;
  runId: string;
  kind: 'delta';
  /** continued: an interrupted delta was resumed */
  status: 'completed' | 'partial';
  resumed: boolean;
  startedAt: string;
  endedAt: string;
  seconds: number;
  source: string;
  /** changes by kind over all steps */
  changes: Record<string, number>;
  removed: number;
  steps: DeltaStepResult[];
}

/** Kinds of delta_change whose keys the later steps' records may link to. */
const NOT_MENTIONABLE = ['moved', 'audit'];

/** The change version (Change Tracking) the last completed load or delta of the pipeline stored, if any. */
async function storedVersion(pool: pg.Pool, pipeline: string, before: string): Promise<string | null> {
  const { rows } = await pool.query<{ v: string | null }>(
    `SELECT options->>'changeVersion' AS v FROM migration.run WHERE pipeline = $1 AND status = 'completed' AND run_id < $2 AND NOT options ? 'keys' ORDER BY run_id DESC LIMIT 1`,
    [pipeline, before],
  );
  return rows[0]?.v ?? null;
}

/** A delta (or a re-migration of keys) builds on a completed full load of the pipeline. */
export async function requireFullLoad(pool: pg.Pool, def: PipelineDef, what = 'take a delta from'): Promise<void> {
  const { rows: cps } = await pool.query<{ done: boolean }>('SELECT done FROM migration.checkpoint WHERE pipeline = $1', [def.name]);
  if (!cps.length || cps.some((c) => !c.done)) {
    throw new ConfigError(`pipeline ${def.name} has no completed full load to ${what}`,
      cps.length ? `finish it first: \`cutover run ${def.name} --resume\`` : `run the full load first: \`cutover run ${def.name}\``);
  }
}

async function deltaRun(pool: pg.Pool, def: PipelineDef, source: Source, opts: DeltaOptions): Promise<{ runId: string; resumed: boolean }> {
  await requireFullLoad(pool, def);
  const { rows: [open] } = await pool.query<{ run_id: string }>(
    `SELECT run_id::text FROM migration.run WHERE pipeline = $1 AND options->>'delta' = 'true' AND status <> 'completed' ORDER BY run_id DESC LIMIT 1`,
    [def.name],
  );
  if (open) {
    await pool.query(`UPDATE migration.run SET status = 'running', ended_at = NULL, error = NULL WHERE run_id = $1`, [open.run_id]);
    return { runId: open.run_id, resumed: true };
  }
  const { rows: [run] } = await pool.query<{ run_id: string }>(
    `INSERT INTO migration.run (pipeline, status, options, source_identity) VALUES ($1, 'running', $2, $3) RETURNING run_id::text`,
    [def.name, JSON.stringify({ delta: true, batchSize: opts.batchSize ?? def.batchSize, changeVersion: (await source.changeVersion?.()) ?? null, ...opts.recordOptions }), source.identity],
  );
  return { runId: run!.run_id, resumed: false };
}

/** `work` as the body of migration.run `runId`: it ends completed, interrupted (aborted: partial) or failed with the error. */
export async function asRun(pool: pg.Pool, runId: string, signal: AbortSignal | undefined, work: () => Promise<void>): Promise<'completed' | 'partial'> {
  try {
    await work();
    const aborted = Boolean(signal?.aborted);
    await pool.query(`UPDATE migration.run SET status = $2, ended_at = now() WHERE run_id = $1`, [runId, aborted ? 'interrupted' : 'completed']);
    return aborted ? 'partial' : 'completed';
  } catch (err) {
    await pool.query(`UPDATE migration.run SET status = 'failed', ended_at = now(), error = $2 WHERE run_id = $1`, [runId, (err as Error).message]).catch(() => {});
    throw err;
  }
}

export async function runDelta(def: PipelineDef, source: Source, pool: pg.Pool, opts: DeltaOptions = {}): Promise<DeltaResult> {
  const started = new Date();
  const { runId, resumed } = await deltaRun(pool, def, source, opts);
  if (resumed) log.info(`${def.name}: continuing the interrupted delta (run #${runId})`);
  const { rows: done } = await pool.query<{ entity: string; key: string }>(
    `SELECT source_entity AS entity, source_key AS key FROM migration.delta_change WHERE run_id = $1 AND kind <> ALL($2)`, [runId, NOT_MENTIONABLE]);
  const mentions = new ChangedKeys();
  for (const r of done) mentions.add(r.entity, r.key);
  const since = await storedVersion(pool, def.name, runId);
  const result: DeltaResult = {
    pipeline: def.name, runId, kind: 'delta', status: 'completed', resumed, startedAt: started.toISOString(), endedAt: '', seconds: 0,
    source: source.identity, changes: {}, removed: 0, steps: [],
  };
  result.status = await asRun(pool, runId, opts.signal, async () => {
    const steps = def.steps.map((step) => ({
      step,
      ref: { runId, pipeline: def.name, step: stepName(def, step), partition: -1, system: def.system, mapping: step.mapping,
        keysMayRepeat: source.entities().find((e) => e.name === step.mapping.entity)?.keyKind === 'ordinal' },
    }));
    // the source's server hashes the next step's entity while the target compares and writes this one's
    let ahead = steps.length ? hashesAhead(source, steps[0]!.ref) : null;
    try {
      for (const [i, { step, ref }] of steps.entries()) {
        const hashes = ahead;
        const next = steps[i + 1];
        ahead = next ? (hashes ?? Promise.resolve(null)).then(() => hashesAhead(source, next.ref), () => hashesAhead(source, next.ref)) : null;
        ahead?.catch(() => {}); // its failure is thrown in its own step
        if (step.mapping.audit) await opts.auditAfter;
        const bar = opts.progress === false ? null : makeProgress(`${ref.step} (delta)`, null);
        const ctx = { pool, source, ref, batchSize: step.batchSize ?? opts.batchSize ?? def.batchSize, mentions, since, signal: opts.signal, onBatch: (n: number) => bar?.add(n), hashes };
        const r = step.mapping.audit ? await auditStep(ctx) : await recordStep(ctx);
        bar?.done();
        result.steps.push(r);
        for (const [k, v] of Object.entries(r.changes)) result.changes[k] = (result.changes[k] ?? 0) + v;
        result.removed += r.removed;
        if (opts.signal?.aborted) break;
      }
    } finally {
      await ahead?.catch(() => null); // no read of the source left running behind the run
    }
  });
  const ended = new Date();
  result.endedAt = ended.toISOString();
  result.seconds = (ended.getTime() - started.getTime()) / 1000;
  return result;
}
