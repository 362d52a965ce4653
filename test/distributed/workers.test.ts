// Distributed runs with real processes: `cutover run --distributed` queues the batches and
// `cutover worker` processes take them. A worker killed with SIGKILL in the middle of its jobs
// loses nothing and doubles nothing; a batch that fails every time fails alone.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import pg from 'pg';
import { createExtract, freshTarget, migrateAll, digest, query, type Extract } from '../helpers/extract.ts';
import { verifyChain } from '../../src/audit/verify.ts';
import { cutover, worker, stopAll, until, type Proc } from './processes.ts';

const BATCH = ['--batch-size', '100'];
let e: Extract;
let expected: Record<string, string>;

beforeAll(async () => {
  e = await createExtract('dist', { scale: 400, seed: 11 });
  // the single-process reference: the runner's own defaults (batches of 10,000, two partitions)
  const reference = await freshTarget(e, 'dist_ref');
  try {
    await migrateAll(reference);
    expected = await digest(reference.databaseUrl);
  } finally {
    await reference.dispose();
  }
}, 120_000);
afterAll(async () => e?.dispose());

/** A reconcile result without its clock readings (seconds, start and end times), for comparison. */
function withoutTimes(v: any): any {
  if (Array.isArray(v)) return v.map(withoutTimes);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => !['seconds', 'startedAt', 'endedAt'].includes(k)).map(([k, x]) => [k, withoutTimes(x)]));
  return v;
}

/** Jobs each worker process holds locked right now, by pid. */
async function lockedJobsByPid(url: string): Promise<Map<number, number>> {
  const rows = await query<{ pid: number; n: number }>(url, `
    SELECT w.pid, count(*)::int AS n FROM graphile_worker.jobs j JOIN migration.dist_worker w ON w.pool_id = j.locked_by
    WHERE w.ended_at IS NULL GROUP BY w.pid`);
  return new Map(rows.map((r) => [r.pid, r.n]));
}

describe('cutover run --distributed with cutover worker processes', () => {
  it('survives a worker killed with SIGKILL mid-job: the target is digest-identical to a single-process run', async () => {
    const target = await freshTarget(e, 'dist_kill');
    const procs: Proc[] = [];
    // Hold every batch's transaction open just before its batch row: the workers' jobs are then
    // certainly mid-transaction (target rows and lineage written, nothing committed) when one dies.
    const blocker = new pg.Client(target.databaseUrl);
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE migration.batch IN SHARE ROW EXCLUSIVE MODE');
      procs.push(worker(target), worker(target), worker(target));
      const run = cutover(['run', '--distributed', ...BATCH, '--json'], target);
      procs.push(run);
      let held = new Map<number, number>();
      await until('three registered workers, one of them holding jobs', async () => {
        const [ready] = await query<{ n: number }>(target.databaseUrl, 'SELECT count(*)::int AS n FROM migration.dist_worker WHERE pool_id IS NOT NULL AND ended_at IS NULL');
        held = await lockedJobsByPid(target.databaseUrl).catch(() => new Map<number, number>());
        return ready!.n === 3 && held.size > 0;
      }, 180_000);
      const victim = procs.find((p) => held.has(p.pid))!;
      const heldByVictim = held.get(victim.pid)!;
      victim.child.kill('SIGKILL');
      expect((await victim.exited).signal).toBe('SIGKILL');
      expect(heldByVictim).toBeGreaterThan(0);
      procs.push(worker(target));
      await blocker.query('COMMIT');

      const done = await run.exited;
      expect(done.code, run.stderr()).toBe(0);
      const summary = JSON.parse(run.stdout()) as { runs: Array<{ pipeline: string; status: string }> };
      expect(summary.runs.map((r) => [r.pipeline, r.status])).toEqual([['cris', 'completed'], ['crimint', 'completed']]);
      await stopAll(procs);

      expect(await digest(target.databaseUrl)).toEqual(expected);
      expect((await verifyChain(target.databaseUrl)).ok).toBe(true);
      // the dead worker was seen as lost, its jobs taken over by the others: none is left
      const [lost] = await query<{ ended: string }>(target.databaseUrl, 'SELECT ended FROM migration.dist_worker WHERE pid = $1', [victim.pid]);
      expect(lost?.ended).toBe('lost');
      expect(await query(target.databaseUrl, 'SELECT id FROM graphile_worker.jobs')).toEqual([]);
      const logs = procs.map((p) => p.stderr()).join('\n');
      expect(logs).toMatch(/unlocked [1-9]\d* job\(s\) of lost worker/);
    } finally {
      await blocker.end().catch(() => {});
      await stopAll(procs);
      await target.dispose();
    }
  }, 420_000);

  it('fails a batch that fails every time alone: the run is partial, status names its key range, a resume completes it', async () => {
    const target = await freshTarget(e, 'dist_poison');
    const procs: Proc[] = [];
    try {
      // Bad records are quarantined by design, so a batch that fails every time is one the target
      // refuses: here the second batch of the vehicle links.
      await query(target.databaseUrl, `
        CREATE FUNCTION public.refuse_batch() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
        CREATE TRIGGER refuse_batch BEFORE INSERT ON migration.batch FOR EACH ROW
          WHEN (NEW.step = 'CRIS:CRIME_VEHICLE' AND NEW.partition = 1) EXECUTE FUNCTION public.refuse_batch()`);
      procs.push(worker(target), worker(target));
      const run = cutover(['run', '--distributed', ...BATCH, '--max-attempts', '2', '--json'], target);
      const done = await run.exited;
      expect(done.code, run.stderr()).toBe(1);
      const summary = JSON.parse(run.stdout()) as { runs: Array<{ pipeline: string; status: string; failedJobs: Array<{ step: string; partition: number; attempts: number; lastError: string }> }> };
      // (a failure under load says which jobs failed and why)
      expect(summary.runs.map((r) => [r.pipeline, r.status]), JSON.stringify(summary.runs.map((r) => r.failedJobs)) + run.stderr().slice(-3000)).toEqual([['cris', 'partial'], ['crimint', 'completed']]);
      const [range] = await query<{ range_after: string; range_up_to: string }>(target.databaseUrl,
        `SELECT range_after, range_up_to FROM migration.checkpoint WHERE step = 'CRIS:CRIME_VEHICLE' AND partition = 1`);
      const failed = summary.runs[0]!.failedJobs;
      expect(failed.map((j) => [j.step, j.partition, j.attempts])).toEqual([['CRIS:CRIME_VEHICLE', 1, 2]]);
      expect(failed[0]!.lastError).toContain(`CRIS:CRIME_VEHICLE batch 1 (keys ${range!.range_after ?? '(start)'}…${range!.range_up_to ?? '(end)'}]`);
      expect(failed[0]!.lastError).toContain('refused by the test');
      // only that batch is missing; every other batch of every step committed, the audit trail after it
      const pending = await query<{ step: string; partition: number }>(target.databaseUrl, 'SELECT step, partition FROM migration.checkpoint WHERE NOT done');
      expect(pending).toEqual([{ step: 'CRIS:CRIME_VEHICLE', partition: 1 }]);

      const status = cutover(['status', '--json'], target);
      expect((await status.exited).code).toBe(0);
      const s = JSON.parse(status.stdout()) as { runs: Array<{ pipeline: string; status: string; error: string | null }>; failedJobs: Array<{ partition: number }> };
      expect(s.failedJobs.map((j) => j.partition)).toEqual([1]);
      expect(s.runs.find((r) => r.pipeline === 'cris')).toMatchObject({ status: 'failed', error: expect.stringContaining('CRIS:CRIME_VEHICLE batch 1') });

      // the cause fixed, a resumed run queues the failed batch again and the target is complete
      await query(target.databaseUrl, 'DROP TRIGGER refuse_batch ON migration.batch');
      const resumed = cutover(['run', 'cris', '--distributed', '--resume', ...BATCH], target);
      expect((await resumed.exited).code, resumed.stderr()).toBe(0);
      expect(await digest(target.databaseUrl)).toEqual(expected);

      // reconcile's merge-joins on the same workers: a planted difference is found, and the result
      // is the single-process reconcile's, combined the same way
      await query(target.databaseUrl, `UPDATE record.event SET narrative = left(narrative, 30) WHERE id = (SELECT id FROM record.event WHERE length(narrative) > 40 ORDER BY id LIMIT 1)`);
      const onWorkers = cutover(['reconcile', '--distributed', '--json'], target);
      const here = cutover(['reconcile', '--workers', '0', '--json'], target);
      const [a, b] = [await onWorkers.exited, await here.exited];
      expect([a.code, b.code], onWorkers.stderr() + here.stderr()).toEqual([1, 1]);
      const distributed = withoutTimes(JSON.parse(onWorkers.stdout()));
      expect(distributed.problems.join('\n')).toMatch(/narrative/);
      expect(distributed).toEqual(withoutTimes(JSON.parse(here.stdout())));
      expect(onWorkers.stderr()).not.toMatch(/error/i);
      expect(procs.map((p) => p.stderr()).join('\n')).toMatch(/reconciled CRIS:CRIME_REPORT/);
      expect(await query(target.databaseUrl, 'SELECT request_id FROM migration.dist_result')).toEqual([]);
      await stopAll(procs);
    } finally {
      await stopAll(procs);
      await target.dispose();
    }
  }, 420_000);
});
