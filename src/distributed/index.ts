// Library entry points for distributed runs: the run (plan, queue, follow) and the worker.
import { migrate } from '../db/migrate.ts';
import { freshenStatistics } from '../db/statistics.ts';
import { PIPELINES } from '../../pipelines/index.ts';
import { queuePool } from './queue.ts';
import { runDistributed, type DistributedOptions, type DistributedRunResult } from './coordinator.ts';
import type { Connections } from '../db/config.ts';

export async function runPipelinesDistributed(c: Connections, names: string[], opts: DistributedOptions = {}): Promise<DistributedRunResult[]> {
  await migrate(c.databaseUrl);
  const results: DistributedRunResult[] = [];
  const pool = queuePool(c.databaseUrl, 3);
  try {
    for (const name of names) {
      const def = PIPELINES[name]!;
      const source = def.openSource(c);
      try {
        results.push(await runDistributed(def, source, pool, opts));
      } finally {
        await source.close();
      }
      if (opts.signal?.aborted) break;
    }
    if (!opts.signal?.aborted) await freshenStatistics(pool, { vacuum: true });
  } finally {
    await pool.end();
  }
  return results;
}

export { runWorker, type WorkerOptions, type WorkerStats } from './worker.ts';
export { failedBatchJobs, type FailedJob } from './queue.ts';
export type { DistributedOptions, DistributedRunResult } from './coordinator.ts';
