// Library entry points for running pipelines.
import { createPool } from '../db/pool.ts';
import { migrate } from '../db/migrate.ts';
import { freshenStatistics } from '../db/statistics.ts';
import { deferIndexes } from '../load/indexes.ts';
import { runPipeline, type RunOptions, type RunResult } from './runner.ts';
import { PIPELINES } from '../../pipelines/index.ts';
import type { Connections } from '../db/config.ts';

export async function runPipelines(c: Connections, names: string[], opts: RunOptions = {}): Promise<RunResult[]> {
  if (!opts.dryRun) await migrate(c.databaseUrl);
  const results: RunResult[] = [];
  const concurrency = opts.concurrency ?? Math.max(...names.map((n) => PIPELINES[n]!.concurrency));
  const pool = createPool(c.databaseUrl, concurrency + 2);
  try {
    // a first load into empty tables builds their secondary indexes once, after the data
    if (!opts.dryRun) {
      const client = await pool.connect();
      try {
        await deferIndexes(client);
      } finally {
        client.release();
      }
    }
    for (const name of names) {
      const def = PIPELINES[name]!;
      const source = def.openSource(c);
      try {
        // the source's change version before reading (SQL Server Change Tracking): a delta starts from it
        const changeVersion = opts.dryRun ? null : ((await source.changeVersion?.()) ?? null);
        results.push(await runPipeline(def, source, pool, { ...opts, recordOptions: { crimintDir: c.crimintDir, changeVersion } }));
      } finally {
        await source.close();
      }
      if (opts.signal?.aborted) break;
    }
    // deferred indexes built and the planner's statistics taken, before anyone queries it
    if (!opts.dryRun && !opts.signal?.aborted) await freshenStatistics(pool, { vacuum: true });
  } finally {
    await pool.end();
  }
  return results;
}

/** A run as `cutover status` lists it. */
export interface RunRow {
  run_id: string;
  pipeline: string;
  status: string;
  started_at: Date;
  ended_at: Date | null;
  error: string | null;
}

/** A checkpoint of one partition of a step, with its batches so far. */
export interface CheckpointRow {
  pipeline: string;
  step: string;
  partition: number;
  last_key: string | null;
  done: boolean;
  batches: number;
  read: number;
}

export async function pipelineStatus(databaseUrl: string): Promise<{ runs: RunRow[]; checkpoints: CheckpointRow[] }> {
  const pool = createPool(databaseUrl, 1);
  try {
    const runs = (await pool.query<RunRow>(`SELECT run_id::text, pipeline, status, started_at, ended_at, error FROM migration.run ORDER BY run_id DESC LIMIT 20`)).rows;
    const checkpoints = (await pool.query<CheckpointRow>(`
      SELECT c.pipeline, c.step, c.partition, c.last_key, c.done,
             (SELECT count(*)::int FROM migration.batch b WHERE b.pipeline = c.pipeline AND b.step = c.step AND b.partition = c.partition) AS batches,
             (SELECT coalesce(sum(read), 0)::int FROM migration.batch b WHERE b.pipeline = c.pipeline AND b.step = c.step AND b.partition = c.partition) AS read
      FROM migration.checkpoint c ORDER BY c.pipeline, c.step, c.partition`)).rows;
    return { runs, checkpoints };
  } finally {
    await pool.end();
  }
}

export { runPipeline } from './runner.ts';
export type { RunOptions, RunResult, StepResult } from './runner.ts';
