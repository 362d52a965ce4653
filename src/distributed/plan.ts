// Planning a step of a distributed run: its key range cut into batch-sized ranges, one checkpoint
// row and one job per range, committed together (the job is queued in the transaction that
// makes it necessary). A resumed run queues again what is not done, failed jobs included.
import type pg from 'pg';
import { dropFailedJobs, failedBatchJobs, queueBatchJobs, serialQueueName, type QueuedJob } from './queue.ts';
import type { PipelineDef, StepDef } from '../pipeline/define.ts';
import type { EntityInfo, KeyRange, Source } from '../sources/types.ts';

/** Ranges of about batchSize records: key quantiles for a keyed source, ordinal spans for a file. The last range is open. */
export async function batchRanges(source: Source, info: EntityInfo, batchSize: number): Promise<KeyRange[]> {
  const count = await source.count(info.name);
  const n = Math.max(1, Math.ceil(count / batchSize));
  if (info.keyKind !== 'ordinal') return source.partitions(info.name, n);
  // a file is read in order: range i holds ordinals (i·B − 1, (i+1)·B − 1]
  return Array.from({ length: n }, (_, i) => ({
    after: i === 0 ? null : String(i * batchSize - 1),
    upTo: i === n - 1 ? null : String((i + 1) * batchSize - 1),
  }));
}

/** A step whose batches must commit in source order runs them one at a time: file order (a later copy of a key wins), the audit trail (the chain in legacy order). */
export function isSerialStep(info: EntityInfo, step: StepDef): boolean {
  return info.keyKind === 'ordinal' || Boolean(step.mapping.audit);
}

export interface StepPlan {
  step: string;
  batches: number;
  queued: number;
}

/**
 * Plan one step (first time) or queue again its unfinished batches (resume). One transaction:
 * checkpoints and jobs commit together, so a crash leaves either both or neither.
 */
export async function planStep(pool: pg.Pool, def: PipelineDef, step: StepDef, name: string, info: EntityInfo, source: Source, runId: string, opts: { batchSize: number; maxAttempts: number }): Promise<StepPlan> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows: existing } = await client.query<{ partition: number; done: boolean }>(
      'SELECT partition, done FROM migration.checkpoint WHERE pipeline = $1 AND step = $2 ORDER BY partition FOR UPDATE', [def.name, name]);
    let pending: number[];
    if (!existing.length) {
      const ranges = await batchRanges(source, info, step.batchSize ?? opts.batchSize);
      await client.query(
        `INSERT INTO migration.checkpoint (pipeline, step, partition, range_after, range_up_to, run_id)
         SELECT $1, $2, (x.n - 1)::int, x.r->>0, x.r->>1, $3 FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS x(r, n)`,
        [def.name, name, runId, JSON.stringify(ranges.map((r) => [r.after, r.upTo]))],
      );
      pending = ranges.map((_, i) => i);
    } else {
      await client.query('UPDATE migration.checkpoint SET run_id = $3 WHERE pipeline = $1 AND step = $2 AND NOT done', [def.name, name, runId]);
      const failed = (await failedBatchJobs(client, def.name)).filter((j) => j.step === name);
      await dropFailedJobs(client, failed.map((j) => j.id));
      pending = existing.filter((c) => !c.done).map((c) => c.partition);
    }
    const queueName = isSerialStep(info, step) ? serialQueueName(def.name, name) : null;
    const jobs: QueuedJob[] = pending.map((partition) => ({ payload: { pipeline: def.name, step: name, partition }, queueName }));
    await queueBatchJobs(client, jobs, opts.maxAttempts);
    await client.query('COMMIT');
    return { step: name, batches: existing.length || pending.length, queued: jobs.length };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
