// The bench's CPU accounting (bench/cpu.ts), on the suite's real server: the bound it prints for
// issue 17 (no loader beats the floor's server CPU over the cores) is only as good as these readings.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childrenCpuSeconds, measureCpu, serverCpuSeconds } from '../../bench/cpu.ts';
import { adminUrl } from '../helpers/db.ts';

/** One backend's own CPU seconds, read from /proc by itself: the reference the server's reading is held to. */
function backendCpu(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}
const pidOf = async (c: pg.Client) => (await c.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)).rows[0]!.pid;

const burn = (c: pg.Client, seconds: number) => c.query(`SELECT count(*) FROM generate_series(1, $1::int) g WHERE md5(g::text) LIKE '0%'`, [Math.round(seconds * 1_500_000)]);

describe('CPU accounting for the bench', () => {
  let dataDir: string;
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client(adminUrl());
    await client.connect();
    await client.query('SET max_parallel_workers_per_gather = 0');
    dataDir = (await client.query<{ d: string }>(`SELECT current_setting('data_directory') AS d`)).rows[0]!.d;
  });
  afterAll(() => client.end());

  it('counts the CPU of a query on a live backend', async () => {
    // the suite's server is shared with other test files running meanwhile, so the server's
    // reading can only be held to at least what this backend used, read from /proc on its own
    const pid = await pidOf(client);
    const before = backendCpu(pid);
    const { serverCpu } = await measureCpu(dataDir, () => burn(client, 0.5));
    const backend = backendCpu(pid) - before;
    expect(backend).toBeGreaterThan(0.1);
    expect(serverCpu).toBeGreaterThanOrEqual(backend - 0.02);
  });

  it('keeps the CPU of a backend that has exited (reaped by the postmaster)', async () => {
    const before = serverCpuSeconds(dataDir);
    const other = new pg.Client(adminUrl());
    await other.connect();
    await other.query('SET max_parallel_workers_per_gather = 0');
    await burn(other, 0.5);
    // all it used, read just before it goes: counted from then on only as the postmaster's reaped time
    const backend = backendCpu(await pidOf(other));
    await other.end();
    // the backend is gone once the postmaster has waited for it
    for (let i = 0; i < 50; i++) {
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend'`);
      if (rows[0]!.n === 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(backend).toBeGreaterThan(0.1);
    expect(serverCpuSeconds(dataDir) - before).toBeGreaterThanOrEqual(backend - 0.02);
  });

  it('counts the CPU of a child process once it has exited, and nothing of one that sleeps', () => {
    const c0 = childrenCpuSeconds();
    spawnSync(process.execPath, ['-e', 'const t = Date.now(); while (Date.now() - t < 400);']);
    const busy = childrenCpuSeconds() - c0;
    expect(busy).toBeGreaterThan(0.2);
    const c1 = childrenCpuSeconds();
    spawnSync('sleep', ['0.4']);
    expect(childrenCpuSeconds() - c1).toBeLessThan(0.1);
  });

  it('gives NaN for a folder with no running server', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cutover-cpu-'));
    try {
      expect(serverCpuSeconds(dir)).toBeNaN();
      writeFileSync(path.join(dir, 'postmaster.pid'), '999999999\n');
      expect(serverCpuSeconds(dir)).toBeNaN();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
