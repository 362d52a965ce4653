// Exactly-once under kill -9: a run killed at random points and resumed gives the same target,
// lineage, control rows and counts as an uninterrupted run, and its audit chain verifies.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createExtract, freshTarget, migrateAll, digest, query, type Extract } from '../helpers/extract.ts';
import { verifyChain } from '../../src/audit/verify.ts';
import { freshenStatistics } from '../../src/db/statistics.ts';
import { createPool } from '../../src/db/pool.ts';
import type pg from 'pg';
import { adminUrl, dropTestDatabase, urlFor } from '../helpers/db.ts';

const BIN = path.resolve('bin/cutover.js');
let e: Extract;

beforeAll(async () => {
  e = await createExtract('killed', { scale: 1500, seed: 5 });
});
afterAll(async () => e?.dispose());

async function withPool<T>(url: string, fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = createPool(url, 3);
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

/** `cutover run` on the extract; killed with SIGKILL after `killAfterMs`, or as soon as its log shows `killOn`. */
function cli(args: string[], target: string, killAfterMs?: number, killOn?: RegExp): Promise<{ code: number | null; signal: string | null; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [BIN, 'run', '--batch-size', '100', '--database-url', target, '--cris-url', e.crisUrl, '--crimint-dir', e.crimintDir, ...args], {
      env: { ...process.env, CUTOVER_QUIET: killOn ? '0' : '1', CI: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
      if (killOn?.test(stderr)) child.kill('SIGKILL');
    });
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
  }, 600_000); // six runs of the CLI: well under the default on an idle machine, not on a crowded one (load average 40 on 2 cores: 200–300 s)

  it.each([
    ['builds its deferred indexes', /indexes: building \d+ deferred indexes/],
    ['adds back its deferred foreign keys', /indexes: adding \d+ deferred foreign keys/],
  ])('a first load killed while it %s is finished by a resume, or by any check', async (_, killAt) => {
    const reference = await freshTarget(e, 'killed_iref');
    const byResume = await freshTarget(e, 'killed_ires');
    let byCheck: string | null = null;
    try {
      await migrateAll(reference, { batchSize: 100 });
      const expected = await digest(reference.databaseUrl);
      const deferred = async (url: string) => (await query<{ n: number }>(url, 'SELECT count(*)::int AS n FROM migration.deferred_index'))[0]!.n;

      const r = await cli([], byResume.databaseUrl, undefined, killAt);
      expect(r.signal, r.stderr).toBe('SIGKILL');
      // every batch committed, the indexes or keys not (yet) all there: the record of them says which
      expect(await deferred(byResume.databaseUrl)).toBeGreaterThan(0);
      // the same killed state twice: one finished by a resume, one by a check
      byCheck = await copyDatabase(byResume.databaseUrl, 'killed_ichk');

      const resumed = await cli(['--resume'], byResume.databaseUrl);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(await digest(byResume.databaseUrl)).toEqual(expected);

      // a check (here the statistics every check takes first) builds them before it queries
      await withPool(byCheck, (pool) => freshenStatistics(pool));
      expect(await deferred(byCheck)).toBe(0);
      expect(await digest(byCheck)).toEqual(expected);
    } finally {
      await reference.dispose();
      await byResume.dispose();
      if (byCheck) await dropTestDatabase(byCheck);
    }
  }, 600_000);
});

/** A copy of a database (CREATE DATABASE … TEMPLATE), once the killed run's backends have gone. */
async function copyDatabase(url: string, prefix: string): Promise<string> {
  const copy = urlFor(`${prefix}_${Date.now()}`);
  const from = new URL(url).pathname.slice(1);
  for (let attempt = 0; ; attempt++) {
    try {
      await query(adminUrl(), `CREATE DATABASE ${new URL(copy).pathname.slice(1)} TEMPLATE ${from}`);
      return copy;
    } catch (err) {
      // 55006: the source is still being accessed by the killed run's backend, which ends shortly
      if ((err as { code?: string }).code !== '55006' || attempt > 100) throw err;
      await new Promise((res) => setTimeout(res, 200));
    }
  }
}
