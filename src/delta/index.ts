// Library entry point of the delta cutover (README "Cutover workflow"), and a loop over the
// pipelines one after another, each with its source open, for `run --keys` (src/keys) and the
// delta equivalence test (test/delta/equivalence.test.ts).
import type pg from 'pg';
import { createPool } from '../db/pool.ts';
import { migrate } from '../db/migrate.ts';
import { freshenStatistics } from '../db/statistics.ts';
import { PIPELINES } from '../../pipelines/index.ts';
import { runDelta, type DeltaOptions, type DeltaResult } from './run.ts';
import type { PipelineDef } from '../pipeline/define.ts';
import type { Source } from '../sources/types.ts';
import type { Connections } from '../db/config.ts';
import { readTarget, sourceIdentities } from '../report/target.ts';
import { rememberDeltas } from './store.ts';

/** Run `fn` for each pipeline in order, each with its source open, on one pool of the target; stops when aborted. */
export async function eachPipeline<T>(c: Connections, names: string[], signal: AbortSignal | undefined,
  fn: (def: PipelineDef, source: Source, pool: pg.Pool) => Promise<T>): Promise<T[]> {
  await migrate(c.databaseUrl);
  const results: T[] = [];
  const pool = createPool(c.databaseUrl, 4);
  try {
    for (const name of names) {
      const def = PIPELINES[name]!;
      const source = def.openSource(c);
      try {
        results.push(await fn(def, source, pool));
      } finally {
        await source.close();
      }
      if (signal?.aborted) break;
    }
  } finally {
    await pool.end();
  }
  return results;
}

/** `cutover run --delta`: the deltas, kept for the freeze window with the target's state before and after them. */
export async function deltaCutover(c: Connections, names: string[], opts: DeltaOptions = {}): Promise<DeltaResult[]> {
  await migrate(c.databaseUrl); // the state before is read with the target's tables in place
  const before = await readTarget(c.databaseUrl);
  const results = await runDeltas(c, names, opts);
  rememberDeltas(before, await readTarget(c.databaseUrl), sourceIdentities(c), results);
  return results;
}

/**
 * The deltas of the pipelines, side by side, each with its own source and pool: one pipeline's
 * records are mapped in this thread while the other's servers hash and join (a delta of CRIS is
 * mostly the servers' work, one of CRIMINT mostly this thread's). A pipeline's audit steps wait
 * for the pipelines named before it, so the legacy audit entries join the chain in the order a run
 * of one pipeline after another gives. Each pipeline runs to its end before a failure is thrown.
 */
export async function runDeltas(c: Connections, names: string[], opts: DeltaOptions = {}): Promise<DeltaResult[]> {
  await migrate(c.databaseUrl);
  let before: Promise<unknown> = Promise.resolve();
  const runs = names.map((name) => {
    const def = PIPELINES[name]!;
    const run = (async () => {
      const pool = createPool(c.databaseUrl, 4);
      const source = def.openSource(c);
      try {
        return await runDelta(def, source, pool, { ...opts, auditAfter: before, recordOptions: { crimintDir: c.crimintDir, ...opts.recordOptions } });
      } finally {
        await source.close();
        await pool.end();
      }
    })();
    before = Promise.allSettled([before, run]);
    return run;
  });
  const settled = await Promise.allSettled(runs);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  if (!opts.signal?.aborted) {
    const pool = createPool(c.databaseUrl, 1);
    try {
      await freshenStatistics(pool, { vacuum: false });
    } finally {
      await pool.end();
    }
  }
  return settled.map((r) => (r as PromiseFulfilledResult<DeltaResult>).value);
}

export { runDelta } from './run.ts';
export type { DeltaOptions, DeltaResult } from './run.ts';
export type { DeltaStepResult } from './step.ts';
