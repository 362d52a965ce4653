// The distributed run's part of `npm run bench` (called from bench/run.ts; also runnable alone:
// `node --import tsx bench/distributed.ts`). On one extract, each on an empty target:
//   single   — `cutover run` in one process (the runner's defaults);
//   1 worker — `cutover run --distributed` with one `cutover worker` process;
//   2 workers — the same with two worker processes;
// and the queue's own cost: empty jobs (cutover_noop) queued at once, taken by 1 and 2 workers.
// Times are wall clock from the run's start to its end; workers are started (and ready) first.
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { ensureEmbedded, embeddedUrl } from '../src/db/embedded.ts';
import { recreateDatabase, withClient } from '../src/db/pool.ts';
import { migrate } from '../src/db/migrate.ts';

const BIN = path.resolve('bin/cutover.js');
const NODE_FLAGS = ['--max-old-space-size=256'];

interface Started { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string; ms: number; rssMb: number }> }

function start(args: string[], env: Record<string, string>): Started {
  const t0 = performance.now();
  const child = spawn(process.execPath, [...NODE_FLAGS, BIN, ...args], { env: { ...process.env, ...env, CUTOVER_PRINT_MAXRSS: '1', CI: '1', CUTOVER_QUIET: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string; ms: number; rssMb: number }>((resolve) => child.on('exit', (code) => resolve({
    code, stdout, stderr, ms: performance.now() - t0, rssMb: Number(/cutover-maxrss-mb=([\d.]+)/.exec(stderr)?.[1] ?? NaN),
  })));
  return { child, done };
}

async function must(s: Started, what: string) {
  const r = await s.done;
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.stderr.slice(-2000)}`);
  return r;
}

const one = async <T>(url: string, sql: string, params: unknown[] = []) => withClient(url, async (c) => (await c.query(sql, params)).rows[0] as T);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Start n workers on the target and wait until each has registered (so start-up is not timed). */
async function workers(n: number, env: Record<string, string>): Promise<{ stop(): Promise<number[]> }> {
  const url = env.CUTOVER_DATABASE_URL!;
  const procs = Array.from({ length: n }, () => start(['worker'], env));
  for (;;) {
    const r = await one<{ n: number }>(url, `SELECT count(*)::int AS n FROM migration.dist_worker WHERE ended_at IS NULL AND pool_id IS NOT NULL`);
    if (r.n >= n) break;
    await sleep(100);
  }
  return {
    async stop() {
      for (const p of procs) p.child.kill('SIGTERM');
      return Promise.all(procs.map(async (p) => (await p.done).rssMb));
    },
  };
}

async function freshTarget(url: string) {
  await recreateDatabase(url);
  await migrate(url);
}

interface RunFigures { seconds: number; records: number; recordsPerSecond: number; jobs?: number; peakRssMb: number[] }

async function timedRun(args: string[], env: Record<string, string>, nWorkers: number): Promise<RunFigures> {
  const w = nWorkers ? await workers(nWorkers, env) : null;
  const r = await must(start(['run', ...args, '--json'], env), `run ${args.join(' ')}`);
  const rss = [r.rssMb, ...((await w?.stop()) ?? [])];
  const runs = JSON.parse(r.stdout).runs as Array<{ steps: Array<{ read: number; partitions: number }> }>;
  const records = runs.flatMap((x) => x.steps).reduce((a, s) => a + s.read, 0);
  const jobs = nWorkers ? runs.flatMap((x) => x.steps).reduce((a, s) => a + s.partitions, 0) : undefined;
  return { seconds: r.ms / 1000, records, recordsPerSecond: Math.round(records / (r.ms / 1000)), jobs, peakRssMb: rss };
}

/** Empty jobs: queued in one transaction with graphile_worker.add_job, timed until the last is gone. */
async function emptyJobs(n: number, nWorkers: number, env: Record<string, string>): Promise<{ jobs: number; seconds: number; msPerJob: number; jobsPerSecond: number }> {
  const url = env.CUTOVER_DATABASE_URL!;
  const w = await workers(nWorkers, env);
  const t0 = performance.now();
  await withClient(url, (c) => c.query(`SELECT graphile_worker.add_job('cutover_noop', '{}'::json) FROM generate_series(1, $1)`, [n]));
  for (;;) {
    const r = await one<{ n: number }>(url, `SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'cutover_noop'`);
    if (r.n === 0) break;
    await sleep(20);
  }
  const ms = performance.now() - t0;
  await w.stop();
  return { jobs: n, seconds: ms / 1000, msPerJob: ms / n, jobsPerSecond: Math.round(n / (ms / 1000)) };
}

export interface DistributedBench {
  scale: number;
  batchSize: number;
  cores: number;
  single: RunFigures;
  workers1: RunFigures;
  workers2: RunFigures;
  emptyJobs1: Awaited<ReturnType<typeof emptyJobs>>;
  emptyJobs2: Awaited<ReturnType<typeof emptyJobs>>;
}

export async function benchDistributed(opts: { port: number; home: string; scale: number; batchSize?: number; emptyJobs?: number }): Promise<DistributedBench> {
  const { port, home, scale } = opts;
  const batchSize = opts.batchSize ?? 2000;
  const cris = embeddedUrl(port, `bench_dist_cris_${scale}`);
  const target = embeddedUrl(port, `bench_dist_target_${scale}`);
  const env = { CUTOVER_DATABASE_URL: target, CUTOVER_CRIS_URL: cris, CUTOVER_CRIMINT_DIR: path.join(home, `dist_crimint_${scale}`), CUTOVER_RESULTS_DIR: path.join(home, `dist_results_${scale}`) };
  const fmt = (n: number) => n.toLocaleString('en-GB');
  console.log(`\n== distributed runs, scale ${fmt(scale)}, batches of ${fmt(batchSize)} (${os.cpus().length} cores) ==`);
  await recreateDatabase(cris);
  await must(start(['generate', '--scale', String(scale), '--seed', '1'], env), 'generate');
  const batch = ['--batch-size', String(batchSize)];

  await freshTarget(target);
  const single = await timedRun(batch, env, 0);
  console.log(`single     ${fmt(single.records)} records in ${single.seconds.toFixed(1)} s = ${fmt(single.recordsPerSecond)} records/s (one process, 2 partitions per step)`);
  const figures: Record<1 | 2, RunFigures> = {} as Record<1 | 2, RunFigures>;
  for (const n of [1, 2] as const) {
    await freshTarget(target);
    figures[n] = await timedRun(['--distributed', ...batch], env, n);
    const f = figures[n];
    console.log(`${n} worker${n > 1 ? 's' : ' '}  ${fmt(f.records)} records in ${f.seconds.toFixed(1)} s = ${fmt(f.recordsPerSecond)} records/s, ${f.jobs} jobs → ${(f.recordsPerSecond / single.recordsPerSecond).toFixed(2)} × single; peak RSS ${f.peakRssMb.map((x) => `${x} MB`).join(' / ')} (run / workers)`);
  }
  const n = opts.emptyJobs ?? 2000;
  const e1 = await emptyJobs(n, 1, env);
  const e2 = await emptyJobs(n, 2, env);
  console.log(`queue      ${fmt(n)} empty jobs: ${e1.msPerJob.toFixed(2)} ms per job with 1 worker (${fmt(e1.jobsPerSecond)} jobs/s), ${e2.msPerJob.toFixed(2)} ms with 2 (${fmt(e2.jobsPerSecond)} jobs/s)`);
  return { scale, batchSize, cores: os.cpus().length, single, workers1: figures[1], workers2: figures[2], emptyJobs1: e1, emptyJobs2: e2 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const home = path.resolve(process.env.CUTOVER_BENCH_HOME ?? '.cutover/bench');
  const { port } = await ensureEmbedded({ home, port: Number(process.env.CUTOVER_BENCH_PORT ?? 54369) });
  const r = await benchDistributed({ port, home, scale: Number(process.env.CUTOVER_BENCH_DIST_SCALE ?? 10000), batchSize: process.env.CUTOVER_BENCH_DIST_BATCH ? Number(process.env.CUTOVER_BENCH_DIST_BATCH) : undefined });
  console.log(JSON.stringify(r, null, 2));
  process.exit(0);
}
