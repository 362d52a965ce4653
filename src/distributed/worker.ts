// `cutover worker`: a graphile-worker runner that takes Cutover's jobs from the target database
// until it is stopped (SIGINT/SIGTERM: finish the running jobs, then exit). Any number of them,
// on any machines that reach the target and the sources.
import { EventEmitter } from 'node:events';
import { run, type Runner, type TaskList } from 'graphile-worker';
import { migrate } from '../db/migrate.ts';
import { log } from '../core/log.ts';
import { PIPELINES } from '../../pipelines/index.ts';
import { graphileLogger, installQueue, queuePool, TASK, type BatchPayload } from './queue.ts';
import { register, recoverLostWorkers, recoveredNote } from './presence.ts';
import { runBatchJob } from './batch-job.ts';
import { runReconcileStepJob, type ReconcileStepPayload } from './reconcile-jobs.ts';
import type { Connections } from '../db/config.ts';
import type { PipelineDef } from '../pipeline/define.ts';
import type { Source } from '../sources/types.ts';

export interface WorkerOptions {
  /** jobs run at once in this process (default 2) */
  concurrency?: number;
  /** how often to look for lost workers, ms (default 2000) */
  sweepMs?: number;
  /** stop when this signal aborts (the CLI wires SIGINT/SIGTERM to it) */
  signal?: AbortSignal;
  /** log each job */
  verbose?: boolean;
}

export interface WorkerStats {
  workerNo: number;
  jobs: number;
  records: number;
  /** 'signal': asked to stop; 'lost': its presence connection broke (exit non-zero, restart it) */
  stoppedBy: 'signal' | 'lost';
}

export async function runWorker(c: Connections, opts: WorkerOptions = {}): Promise<WorkerStats> {
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  await migrate(c.databaseUrl);
  const pool = queuePool(c.databaseUrl, concurrency + 4);
  const sources = new Map<string, Source>();
  const stats: WorkerStats = { workerNo: 0, jobs: 0, records: 0, stoppedBy: 'signal' };
  let runner: Runner | null = null;
  let sweeper: NodeJS.Timeout | null = null;
  try {
    await installQueue(pool);
    const presence = await register(c.databaseUrl);
    stats.workerNo = presence.workerNo;
    const registered: Promise<void>[] = [];
    const events = new EventEmitter();
    events.on('pool:create', ({ workerPool }: { workerPool: { id: string } }) => registered.push(presence.setPoolId(workerPool.id)));
    const source = (def: PipelineDef) => {
      let s = sources.get(def.name);
      if (!s) sources.set(def.name, (s = def.openSource(c)));
      return s;
    };
    const taskList: TaskList = {
      [TASK.batch]: async (payload) => {
        await Promise.all(registered);
        const out = await runBatchJob({ pool, pipelines: PIPELINES, source }, payload as BatchPayload);
        stats.jobs++;
        if (out.kind === 'written') stats.records += out.read;
        if (opts.verbose) log.info(`worker ${presence.workerNo}: ${(payload as BatchPayload).step} batch ${(payload as BatchPayload).partition}: ${out.kind === 'written' ? `${out.read} records` : 'already done'}`);
      },
      [TASK.reconcileStep]: async (payload) => {
        const p = payload as ReconcileStepPayload;
        await runReconcileStepJob(c, pool, p);
        stats.jobs++;
        if (opts.verbose) log.info(`worker ${presence.workerNo}: reconciled ${p.step}`);
      },
      [TASK.noop]: async () => {
        stats.jobs++;
      },
    };
    runner = await run({ pgPool: pool, concurrency, taskList, noHandleSignals: true, pollInterval: 500, logger: graphileLogger(Boolean(opts.verbose)), events });
    log.info(`worker ${presence.workerNo} (pid ${process.pid}) taking jobs, ${concurrency} at a time`);
    const sweep = () => recoverLostWorkers(pool).then((r) => { const note = recoveredNote(r); if (note) log.warn(`worker ${presence.workerNo}: ${note}`); }, () => {});
    sweeper = setInterval(sweep, opts.sweepMs ?? 2000);
    void sweep();
    const stop = new Promise<string>((resolve) => {
      if (opts.signal?.aborted) resolve('stopped');
      opts.signal?.addEventListener('abort', () => resolve('stopped'), { once: true });
      void presence.lost.then((e) => resolve(`lost its presence connection (${e.message}); stopping so that its jobs can be taken over`));
    });
    const why = await Promise.race([stop, runner.promise.then(() => 'the queue runner ended')]);
    if (why !== 'stopped') {
      stats.stoppedBy = 'lost';
      log.warn(`worker ${presence.workerNo}: ${why}`);
    }
    clearInterval(sweeper);
    sweeper = null;
    await runner.stop();
    runner = null;
    await presence.close();
    log.info(`worker ${presence.workerNo}: stopped after ${stats.jobs} job(s), ${stats.records.toLocaleString('en-GB')} records`);
    return stats;
  } finally {
    if (sweeper) clearInterval(sweeper);
    if (runner) await runner.stop().catch(() => {});
    for (const s of sources.values()) await s.close().catch(() => {});
    await pool.end();
  }
}
