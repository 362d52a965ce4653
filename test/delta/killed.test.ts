// Exactly once for a delta: killed with SIGKILL at random points and continued by the next
// `cutover run --delta`, it gives the same target as an uninterrupted delta, with each removal
// logged once and the audit chain intact.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { query } from '../helpers/extract.ts';
import { verifyChain } from '../../src/audit/verify.ts';
import { cloneTarget, deltaDigest, loadThenChange, removals, type ChangedExtract } from './helpers.ts';

const BIN = path.resolve('bin/cutover.js');
let x: ChangedExtract;
let copy: { databaseUrl: string; dispose(): Promise<void> };

beforeAll(async () => {
  // the same full load twice: load once, copy the database, then change the legacy side
  x = await loadThenChange('dkill', { scale: 150, seed: 21, fraction: 0.05, beforeChanges: async (loaded) => { copy = await cloneTarget(loaded, 'dkill_copy'); } });
}, 120_000);
afterAll(async () => {
  await copy?.dispose();
  await x?.dispose();
});

function delta(target: string, killAfterMs?: number): Promise<{ code: number | null; signal: string | null; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [BIN, 'run', '--delta', '--batch-size', '10', '--database-url', target, '--cris-url', x.changed.crisUrl, '--crimint-dir', x.changed.crimintDir], {
      env: { ...process.env, CUTOVER_QUIET: '1', CI: '1', CUTOVER_RESULTS_DIR: path.join(x.changed.crimintDir, 'results') },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stderr, ms: Date.now() - t0 });
    });
  });
}

describe('a delta killed with SIGKILL and continued', () => {
  it('is identical to an uninterrupted delta', async () => {
    const whole = await delta(x.loaded.databaseUrl);
    expect(whole.code, whole.stderr).toBe(0);
    const expected = await deltaDigest(x.loaded.databaseUrl);
    const expectedRemovals = await removals(x.loaded.databaseUrl);
    expect(expectedRemovals.length).toBeGreaterThan(0);

    const kills: number[] = [];
    let killed = 0;
    for (let i = 0; i < 3; i++) {
      const at = Math.round(700 + Math.random() * Math.max(200, whole.ms - 700));
      kills.push(at);
      const r = await delta(copy.databaseUrl, at);
      if (r.signal === 'SIGKILL') killed++;
      else expect(r.code, r.stderr).toBe(0);
    }
    const last = await delta(copy.databaseUrl);
    expect(last.code, `kills at ${kills.join(', ')} ms: ${last.stderr}`).toBe(0);

    expect(await deltaDigest(copy.databaseUrl), `killed at ${kills.join(', ')} ms`).toEqual(expected);
    expect(await removals(copy.databaseUrl)).toEqual(expectedRemovals);
    expect((await verifyChain(copy.databaseUrl)).ok).toBe(true);
    // an interrupted delta is continued, not started again: one delta per pipeline holds its changes
    const runs = await query<{ pipeline: string; n: number }>(copy.databaseUrl,
      'SELECT r.pipeline, count(DISTINCT d.run_id)::int AS n FROM migration.delta_change d JOIN migration.run r USING (run_id) GROUP BY 1 ORDER BY 1');
    expect(runs, `${killed} kill(s) at ${kills.join(', ')} ms`).toEqual([{ pipeline: 'crimint', n: 1 }, { pipeline: 'cris', n: 1 }]);
  }, 240_000);
});
