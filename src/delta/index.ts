// Library entry point of the delta cutover (README "Cutover workflow").
import { createPool } from '../db/pool.ts';
import { migrate } from '../db/migrate.ts';
import { freshenStatistics } from '../db/statistics.ts';
import { PIPELINES } from '../../pipelines/index.ts';
import { runDelta, type DeltaOptions, type DeltaResult } from './run.ts';
import type { Connections } from '../db/config.ts';
import { readTarget, sourceIdentities } from '../report/target.ts';
import { rememberDeltas } from './store.ts';

export async function runDeltas(c: Connections, names: string[], opts: DeltaOptions = {}): Promise<DeltaResult[]> {
  await migrate(c.databaseUrl);
  const results: DeltaResult[] = [];
  const pool = createPool(c.databaseUrl, 4);
  try {
    for (const name of names) {
      const def = PIPELINES[name]!;
      const source = def.openSource(c);
      try {
        results.push(await runDelta(def, source, pool, { ...opts, recordOptions: { crimintDir: c.crimintDir, ...opts.recordOptions } }));
      } finally {
        await source.close();
      }
      if (opts.signal?.aborted) break;
    }
    if (!opts.signal?.aborted) await freshenStatistics(pool, { vacuum: false });
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

export { runDelta } from './run.ts';
export type { DeltaOptions, DeltaResult } from './run.ts';
export type { DeltaStepResult } from './step.ts';
