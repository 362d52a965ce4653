// Exactly-once under kill -9: a run killed at random points and resumed gives the same target,
// lineage, control rows and counts as an uninterrupted run, and its audit chain verifies.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createExtract, freshTarget, migrateAll, digest, query, type Extract } from '../helpers/extract.ts';
import { verifyChain } from '../../src/audit/verify.ts';

const BIN = path.resolve('bin/cutover.js');
let e: Extract;

beforeAll(async () => {
  e = await createExtract('killed', { scale: 1500, seed: 5 });
});
afterAll(async () => e?.dispose());

function cli(args: string[], target: string, killAfterMs?: number): Promise<{ code: number | null; signal: string | null; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [BIN, 'run', '--batch-size', '100', '--database-url', target, '--cris-url', e.crisUrl, '--crimint-dir', e.crimintDir, ...args], {
      env: { ...process.env, CUTOVER_QUIET: '1', CI: '1' },
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

describe('a run killed with SIGKILL and resumed', () => {
  it('is identical to an uninterrupted run', async () => {
    const reference = await freshTarget(e, 'killed_ref');
    const killed = await freshTarget(e, 'killed_k');
    try {
      await migrateAll(reference, { batchSize: 100 });
      const expected = await digest(reference.databaseUrl);

      const full = await cli([], (await freshTarget(e, 'killed_timing')).databaseUrl);
      expect(full.code, full.stderr).toBe(0);
      // kill at several random instants across the run, resuming each time
      const kills: number[] = [];
      let killedOnce = false;
      for (let i = 0; i < 4; i++) {
        const at = Math.round(600 + Math.random() * Math.max(200, full.ms - 600));
        kills.push(at);
        const r = await cli(killedOnce ? ['--resume'] : [], killed.databaseUrl, at);
        if (r.signal === 'SIGKILL') killedOnce = true;
        else expect(r.code, r.stderr).toBe(0);
      }
      const last = await cli(killedOnce ? ['--resume'] : [], killed.databaseUrl);
      expect(last.code, `kills at ${kills.join(', ')} ms: ${last.stderr}`).toBe(0);

      const actual = await digest(killed.databaseUrl);
      expect(actual, `killed at ${kills.join(', ')} ms`).toEqual(expected);
      const chain = await verifyChain(killed.databaseUrl);
      expect(chain.ok).toBe(true);
      const runs = await query<{ status: string }>(killed.databaseUrl, 'SELECT status FROM migration.run ORDER BY run_id');
      expect(runs.length).toBeGreaterThan(1);
    } finally {
      await reference.dispose();
      await killed.dispose();
    }
  });
});
