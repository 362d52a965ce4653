// One batch job: read its key range, map it, and write it with the runner's batch writer in ONE
// transaction that also marks its checkpoint done. The checkpoint row is locked first and
// checked: a job run again after its batch committed (a worker killed between our commit and
// graphile-worker's completion, or a job unlocked while its first worker still ran) does nothing.
import type pg from 'pg';
import { writeBatch, type PendingRecord, type StepRef } from '../load/batch.ts';
import { outcomeOf } from '../pipeline/runner.ts';
import { stepName, type PipelineDef, type StepDef } from '../pipeline/define.ts';
import { CutoverError } from '../core/problems.ts';
import type { Source } from '../sources/types.ts';
import type { BatchPayload } from './queue.ts';

interface CheckpointRow {
  range_after: string | null;
  range_up_to: string | null;
  run_id: string;
  done: boolean;
}

export interface BatchJobContext {
  pool: pg.Pool;
  pipelines: Record<string, PipelineDef>;
  /** the worker's source for a pipeline (opened once per process) */
  source(def: PipelineDef): Source;
}

export type BatchJobOutcome = { kind: 'written'; read: number } | { kind: 'already_done' };

function findStep(ctx: BatchJobContext, p: BatchPayload): { def: PipelineDef; step: StepDef } {
  const def = ctx.pipelines[p.pipeline];
  const step = def?.steps.find((s) => stepName(def, s) === p.step);
  if (!def || !step) throw new CutoverError(`job for unknown step ${p.pipeline}/${p.step}`, 'workers and the run must use the same Cutover version');
  return { def, step };
}

/** A human name for a batch: its step, number and key range (in failed-job errors and status). */
export function batchLabel(p: BatchPayload, cp: { range_after: string | null; range_up_to: string | null } | undefined): string {
  return `${p.step} batch ${p.partition}${cp ? ` (keys ${cp.range_after ?? '(start)'}…${cp.range_up_to ?? '(end)'}]` : ''}`;
}

export async function runBatchJob(ctx: BatchJobContext, p: BatchPayload): Promise<BatchJobOutcome> {
  const { def, step } = findStep(ctx, p);
  const key = [p.pipeline, p.step, p.partition];
  const cpSql = 'SELECT range_after, range_up_to, run_id::text, done FROM migration.checkpoint WHERE pipeline = $1 AND step = $2 AND partition = $3';
  const { rows: [planned] } = await ctx.pool.query<CheckpointRow>(cpSql, key);
  if (!planned) throw new CutoverError(`${batchLabel(p, undefined)}: no checkpoint row (the run's plan is gone)`, 'run `cutover run --distributed --resume` again');
  if (planned.done) return { kind: 'already_done' };
  try {
    const source = ctx.source(def);
    const entity = step.mapping.entity;
    const info = source.entities().find((e) => e.name === entity)!;
    const startedAt = new Date();
    const records: PendingRecord[] = [];
    for await (const rec of source.read(entity, { after: planned.range_after, upTo: planned.range_up_to })) records.push({ rec, outcome: outcomeOf(step.mapping, rec) });

    const client = await ctx.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const { rows: [cp] } = await client.query<CheckpointRow>(`${cpSql} FOR UPDATE`, key);
      if (!cp || cp.done) {
        await client.query('ROLLBACK');
        return { kind: 'already_done' };
      }
      if (records.length) {
        const ref: StepRef = { runId: cp.run_id, pipeline: def.name, step: p.step, partition: p.partition, system: def.system, mapping: step.mapping, keysMayRepeat: info.keyKind === 'ordinal' };
        const last = records[records.length - 1]!.rec;
        await writeBatch(client, ref, records, { lastKey: last.key, lastOrdinal: last.ordinal, keyFrom: records[0]!.rec.key }, startedAt);
      }
      await client.query('UPDATE migration.checkpoint SET done = true, updated_at = now() WHERE pipeline = $1 AND step = $2 AND partition = $3', key);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => { broken = true; });
      throw err;
    } finally {
      client.release(broken);
    }
    return { kind: 'written', read: records.length };
  } catch (err) {
    throw new CutoverError(`${batchLabel(p, planned)} failed and was rolled back: ${(err as Error).message}`, undefined, { cause: err });
  }
}
