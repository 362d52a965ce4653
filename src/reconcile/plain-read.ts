// The ceiling for the benchmark: read exactly what reconcile() reads (every compared step's source
// records, and the same target cursors: outcomes, rows per table, links per table) with no mapping
// and no comparison. reconcile() should run at no less than half this speed.
import pLimit from 'p-limit';
import { DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, reconcilePool, streamBatches } from './db.ts';
import { linkPlansFor } from './link-plan.ts';
import { KeyScheme } from './order.ts';
import { openSources, plannedSteps, resolvePipelines } from './plan.ts';
import { claimsSql, linksParams, linksSql, rowsSql } from './target-sql.ts';
import { TARGET_COLUMNS } from '../load/tables.ts';
import type { TargetTable } from '../pipeline/types.ts';
import type { ReconcileOptions } from './types.ts';

export interface PlainReadResult {
  seconds: number;
  sourceRecords: number;
  targetRows: number;
  steps: Array<{ step: string; sourceRecords: number; targetRows: number; seconds: number }>;
}

async function drain(rows: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of rows) n++;
  return n;
}

async function drainBatches(batches: AsyncIterable<unknown[]>): Promise<number> {
  let n = 0;
  for await (const b of batches) n += b.length;
  return n;
}

export async function plainRead(opts: ReconcileOptions): Promise<PlainReadResult> {
  const t0 = Date.now();
  const concurrency = Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY);
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const steps = plannedSteps(resolvePipelines(opts.pipelines)).filter((s) => !s.mapping.audit);
  const pool = reconcilePool(opts.databaseUrl, concurrency * 10 + 4);
  const sources = openSources(opts, new Set(steps.map((s) => s.system)), concurrency + 2);
  try {
    const limit = pLimit(concurrency);
    const results = await Promise.all(steps.map((s) => limit(async () => {
      const t = Date.now();
      const { system, entity } = s.mapping;
      const scheme = KeyScheme.of(system, sources.info(system, entity));
      const cursors: Array<Promise<number>> = [drainBatches(streamBatches(pool, claimsSql(scheme).sql, [system, entity], batchSize))];
      for (const table of Object.keys(s.mapping.schemas) as TargetTable[]) {
        const cols = TARGET_COLUMNS[table].filter((c) => c !== 'id' && c !== 'restricted');
        cursors.push(drainBatches(streamBatches(pool, rowsSql(scheme, table, cols).sql, [system, entity, table], batchSize)));
      }
      for (const plan of linkPlansFor(system, entity)) cursors.push(drainBatches(streamBatches(pool, linksSql(scheme, plan).sql, linksParams(plan), batchSize)));
      const [sourceRecords, ...target] = await Promise.all([drain(sources.get(system).read(entity)), ...cursors]);
      return { step: s.step, sourceRecords: sourceRecords!, targetRows: target.reduce((a, b) => a + b, 0), seconds: (Date.now() - t) / 1000 };
    })));
    return {
      seconds: (Date.now() - t0) / 1000,
      sourceRecords: results.reduce((a, r) => a + r.sourceRecords, 0),
      targetRows: results.reduce((a, r) => a + r.targetRows, 0),
      steps: results,
    };
  } finally {
    await sources.close();
    await pool.end();
  }
}
