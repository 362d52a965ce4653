// The runner: steps in order; key-range partitions of a step concurrently under p-limit;
// batches of one transaction each; resume from checkpoints; progress; structured results.
import pLimit from 'p-limit';
import type pg from 'pg';
import { writeBatch, emptyCounts, type BatchCounts, type PendingRecord, type StepRef } from '../load/batch.ts';
import { progress as makeProgress, type Progress } from './progress.ts';
import { rowProblem } from '../load/validate.ts';
import { deferredTables } from '../load/indexes.ts';
import { stepName, type PipelineDef, type StepDef } from './define.ts';
import { ConfigError, CutoverError } from '../core/problems.ts';
import { log } from '../core/log.ts';
import type { EntityInfo, Source, SourceRecord } from '../sources/types.ts';
import type { Mapping, Outcome } from './types.ts';

export interface RunOptions {
  /** continue an interrupted run from its checkpoints */
  resume?: boolean;
  /** forget the checkpoints and read everything again (idempotent: unchanged rows are not rewritten) */
  restart?: boolean;
  /** partitions per step run at once (default: the pipeline's) */
  concurrency?: number;
  /** rows per batch (default: the pipeline's) */
  batchSize?: number;
  /** stop each step after this many source records (the step stays resumable) */
  limit?: number;
  /** read, map and validate; write nothing */
  dryRun?: boolean;
  /** options recorded with the run (provenance) */
  recordOptions?: Record<string, unknown>;
  progress?: boolean;
  signal?: AbortSignal;
}

export interface StepResult extends BatchCounts {
  step: string;
  entity: string;
  sourceCount: number | null;
  partitions: number;
  batches: number;
  seconds: number;
  complete: boolean;
}

export interface RunResult {
  pipeline: string;
  runId: string | null;
  status: 'completed' | 'already_complete' | 'partial' | 'dry_run';
  startedAt: string;
  endedAt: string;
  seconds: number;
  source: string;
  steps: StepResult[];
}

interface CheckpointRow {
  step: string;
  partition: number;
  range_after: string | null;
  range_up_to: string | null;
  last_key: string | null;
  last_ordinal: string | null;
  done: boolean;
}

function addCounts(into: BatchCounts, c: BatchCounts) {
  into.read += c.read;
  into.loaded += c.loaded;
  into.quarantined += c.quarantined;
  into.excluded += c.excluded;
  into.superseded += c.superseded;
  into.orphans += c.orphans;
  for (const [k, v] of Object.entries(c.warnings)) into.warnings[k] = (into.warnings[k] ?? 0) + v;
}

export function outcomeOf(mapping: Mapping, rec: SourceRecord): Outcome {
  const reason = mapping.exclude(rec.raw);
  return reason ? { kind: 'excluded', reason } : mapping.map(rec);
}

export async function runPipeline(def: PipelineDef, source: Source, pool: pg.Pool, opts: RunOptions = {}): Promise<RunResult> {
  const started = new Date();
  const concurrency = Math.max(1, opts.concurrency ?? def.concurrency);
  const batchSize = Math.max(1, opts.batchSize ?? def.batchSize);
  const result: RunResult = { pipeline: def.name, runId: null, status: 'completed', startedAt: started.toISOString(), endedAt: '', seconds: 0, source: source.identity, steps: [] };
  const finish = (status: RunResult['status']) => {
    const ended = new Date();
    result.status = status;
    result.endedAt = ended.toISOString();
    result.seconds = (ended.getTime() - started.getTime()) / 1000;
    return result;
  };

  if (opts.dryRun) {
    for (const step of def.steps) result.steps.push(await dryRunStep(def, step, source, batchSize, opts));
    return finish('dry_run');
  }

  // What do the checkpoints say?
  if (opts.restart) await pool.query('DELETE FROM migration.checkpoint WHERE pipeline = $1', [def.name]);
  const { rows: existing } = await pool.query<CheckpointRow>('SELECT step, partition, range_after, range_up_to, last_key, last_ordinal::text, done FROM migration.checkpoint WHERE pipeline = $1 ORDER BY step, partition', [def.name]);
  const allStepsDone = def.steps.every((s) => {
    const cps = existing.filter((c) => c.step === stepName(def, s));
    return cps.length > 0 && cps.every((c) => c.done);
  });
  if (existing.length && allStepsDone) {
    log.info(`${def.name}: already complete; nothing to do (use --restart to read everything again)`);
    return finish('already_complete');
  }
  if (existing.length && !opts.resume) {
    throw new ConfigError(`pipeline ${def.name} has an interrupted run (checkpoints exist for ${new Set(existing.map((c) => c.step)).size} step(s))`, `run \`cutover run ${def.name} --resume\` to continue from the checkpoints, or \`--restart\` to read everything again`);
  }

  const { rows: [run] } = await pool.query<{ run_id: string }>(
    `INSERT INTO migration.run (pipeline, status, options, source_identity) VALUES ($1, 'running', $2, $3) RETURNING run_id::text`,
    [def.name, JSON.stringify({ concurrency, batchSize, limit: opts.limit ?? null, resume: Boolean(opts.resume), restart: Boolean(opts.restart), ...opts.recordOptions }), source.identity],
  );
  result.runId = run!.run_id;
  try {
    let partial = false;
    const direct = await deferredTables(pool);
    for (const step of def.steps) {
      const sr = await runStep(def, step, source, pool, result.runId, { ...opts, concurrency, batchSize, direct }, existing);
      result.steps.push(sr);
      if (!sr.complete) partial = true;
      if (opts.signal?.aborted) break;
    }
    finish(partial || opts.signal?.aborted ? 'partial' : 'completed');
    await pool.query(`UPDATE migration.run SET status = $2, ended_at = now() WHERE run_id = $1`, [result.runId, opts.signal?.aborted ? 'interrupted' : 'completed']);
    return result;
  } catch (err) {
    await pool.query(`UPDATE migration.run SET status = 'failed', ended_at = now(), error = $2 WHERE run_id = $1`, [result.runId, (err as Error).message]).catch(() => {});
    throw err;
  }
}

type StepOptions = RunOptions & { concurrency: number; batchSize: number; direct: ReadonlySet<string> };

async function runStep(def: PipelineDef, step: StepDef, source: Source, pool: pg.Pool, runId: string, opts: StepOptions, existing: CheckpointRow[]): Promise<StepResult> {
  const name = stepName(def, step);
  const entity = step.mapping.entity;
  const info = source.entities().find((e) => e.name === entity);
  if (!info) throw new ConfigError(`the source ${source.identity} has no entity ${entity}`, 'check the pipeline definition and the source');
  const t0 = Date.now();
  const cps = await stepCheckpoints(pool, def, name, source, entity, runId, opts.concurrency, existing);
  const sourceCount = await source.count(entity).catch(() => null);
  const totals: StepResult = { ...emptyCounts(), step: name, entity, sourceCount, partitions: cps.length, batches: 0, seconds: 0, complete: true };
  const bar: Progress | null = opts.progress === false ? null : makeProgress(name, sourceCount);
  const budget = { remaining: opts.limit ?? Infinity };
  const limit = pLimit(opts.concurrency);
  const partition: Partition = {
    def, step, name, source, info, totals, bar, budget, signal: opts.signal,
    batchSize: step.batchSize ?? opts.batchSize,
    ref: (p) => ({ runId, pipeline: def.name, step: name, partition: p, system: def.system, mapping: step.mapping, keysMayRepeat: info.keyKind === 'ordinal', direct: opts.direct }),
  };
  await Promise.all(cps.filter((c) => !c.done).map((cp) => limit(() => loadPartition(pool, partition, cp))));
  bar?.done();
  totals.seconds = (Date.now() - t0) / 1000;
  return totals;
}

/** The step's checkpoints: those of a run being resumed, else one per partition of the source's key range, stored. */
async function stepCheckpoints(pool: pg.Pool, def: PipelineDef, name: string, source: Source, entity: string, runId: string, concurrency: number, existing: CheckpointRow[]): Promise<CheckpointRow[]> {
  const resumed = existing.filter((c) => c.step === name);
  if (resumed.length) return resumed;
  const ranges = await source.partitions(entity, concurrency);
  const cps = ranges.map((r, i) => ({ step: name, partition: i, range_after: r.after, range_up_to: r.upTo, last_key: null, last_ordinal: null, done: false }));
  await pool.query(
    `INSERT INTO migration.checkpoint (pipeline, step, partition, range_after, range_up_to, run_id)
     SELECT $1, $2, x.partition, x.range_after, x.range_up_to, $3 FROM jsonb_to_recordset($4::jsonb) AS x(partition int, range_after text, range_up_to text)
     ON CONFLICT DO NOTHING`,
    [def.name, name, runId, JSON.stringify(cps)],
  );
  return cps;
}

/** What every partition of one step shares. */
interface Partition {
  def: PipelineDef;
  step: StepDef;
  name: string;
  source: Source;
  info: EntityInfo;
  totals: StepResult;
  bar: Progress | null;
  /** records still to read under --limit, shared by the step's partitions */
  budget: { remaining: number };
  signal: AbortSignal | undefined;
  batchSize: number;
  ref: (partition: number) => StepRef;
}

/**
 * Read one partition from its checkpoint on and write it in batches, each in a transaction of its
 * own that moves the checkpoint; the next batch is mapped while one is written. Marks the
 * partition done unless --limit or an abort stopped it first.
 */
async function loadPartition(pool: pg.Pool, p: Partition, cp: CheckpointRow): Promise<void> {
  const { def, step, name, source, info, totals, bar, budget } = p;
  const entity = step.mapping.entity;
  const client = await pool.connect();
  let clientBroken = false;
  try {
    const byOrdinal = info.keyKind === 'ordinal';
    const skipUpTo = byOrdinal && cp.last_ordinal !== null ? Number(cp.last_ordinal) : -1;
    const range = byOrdinal ? undefined : { after: cp.last_key ?? cp.range_after, upTo: cp.range_up_to };
    let batch: PendingRecord[] = [];
    let batchStart = new Date();
    let keyFrom: string | null = null;
    let writing: Promise<void> | null = null;
    const flush = (records: PendingRecord[], from: string | null, startedAt: Date) => {
      const last = records[records.length - 1]!.rec;
      const run = async () => {
        try {
          await client.query('BEGIN');
          const res = await writeBatch(client, p.ref(cp.partition), records, { lastKey: last.key, lastOrdinal: last.ordinal, keyFrom: from }, startedAt);
          await client.query('COMMIT');
          addCounts(totals, res);
          totals.batches++;
          bar?.add(records.length);
        } catch (err) {
          await client.query('ROLLBACK').catch(() => { clientBroken = true; });
          throw new CutoverError(`${name} partition ${cp.partition}: batch of keys ${from ?? '(start)'}…${last.key} failed and was rolled back: ${(err as Error).message}`, 'nothing committed earlier is lost; fix the cause and run again with --resume', { cause: err });
        }
      };
      // one batch ahead: map the next batch while this one is written
      const prev = writing;
      writing = (async () => { if (prev) await prev; await run(); })();
      writing.catch(() => {}); // awaited below; this only stops an early unhandled-rejection crash
    };
    let stopped = false;
    for await (const rec of source.read(entity, range)) {
      if (rec.ordinal <= skipUpTo) continue;
      if (budget.remaining <= 0 || p.signal?.aborted) { stopped = true; break; }
      budget.remaining--;
      if (!batch.length) { keyFrom = rec.key; batchStart = new Date(); }
      batch.push({ rec, outcome: outcomeOf(step.mapping, rec) });
      if (batch.length >= p.batchSize) {
        if (writing) await writing; // bounded: at most one batch in flight, one being mapped
        flush(batch, keyFrom, batchStart);
        batch = [];
      }
    }
    if (batch.length) flush(batch, keyFrom, batchStart);
    if (writing) await writing;
    if (stopped) totals.complete = false;
    else await client.query('UPDATE migration.checkpoint SET done = true, updated_at = now() WHERE pipeline = $1 AND step = $2 AND partition = $3', [def.name, name, cp.partition]);
  } finally {
    client.release(clientBroken);
  }
}

async function dryRunStep(def: PipelineDef, step: StepDef, source: Source, batchSize: number, opts: RunOptions): Promise<StepResult> {
  const name = stepName(def, step);
  const t0 = Date.now();
  const entity = step.mapping.entity;
  const totals: StepResult = { ...emptyCounts(), step: name, entity, sourceCount: await source.count(entity).catch(() => null), partitions: 1, batches: 0, seconds: 0, complete: true };
  const bar = opts.progress === false ? null : makeProgress(`${name} (dry run)`, totals.sourceCount);
  // The loader's supersession rule without a database: a repeated key's later copy wins and the
  // earlier copy's outcome is taken back. Only a source whose keys may repeat (file order) needs
  // the keys it has seen; a keyed SQL source holds none.
  const seen = source.entities().find((e) => e.name === entity)?.keyKind === 'ordinal' ? new Map<string, 'loaded' | 'quarantined' | 'excluded'>() : null;
  let n = 0;
  for await (const rec of source.read(entity)) {
    if (n++ >= (opts.limit ?? Infinity)) { totals.complete = false; break; }
    totals.read++;
    const o = outcomeOf(step.mapping, rec);
    const kind = o.kind === 'loaded' && rowProblem(step.mapping, o.mapped.rows, rec.key) ? 'quarantined' : o.kind;
    totals[kind]++;
    if (o.kind === 'loaded') for (const w of o.mapped.warnings) totals.warnings[w.code] = (totals.warnings[w.code] ?? 0) + 1;
    const earlier = seen?.get(rec.key);
    if (earlier) {
      totals[earlier]--;
      totals.superseded++;
    }
    seen?.set(rec.key, kind);
    if (totals.read % batchSize === 0) bar?.add(batchSize);
  }
  bar?.done();
  totals.seconds = (Date.now() - t0) / 1000;
  return totals;
}
