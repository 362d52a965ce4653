// The job queue: graphile-worker 0.17 in the target database (schema graphile_worker). Its jobs
// are queued with its SQL API (graphile_worker.add_job) on the caller's client, so a plan and
// its jobs commit in one transaction. One definition of each job kind and its key.
import type pg from 'pg';
import { Logger, runMigrations } from 'graphile-worker';
import { CutoverError } from '../core/problems.ts';
import { log } from '../core/log.ts';
import { createPool } from '../db/pool.ts';

export const TASK = {
  /** one batch of one step: a key range, written in one transaction (batch-job.ts) */
  batch: 'cutover_batch',
  /** does nothing: the bench measures the queue's own cost per job with it */
  noop: 'cutover_noop',
  /** one merge-join step of `cutover reconcile --distributed` (reconcile-jobs.ts) */
  reconcileStep: 'cutover_reconcile_step',
} as const;

export interface BatchPayload {
  pipeline: string;
  step: string;
  partition: number;
}

/** A batch job's key: at most one live job per batch (graphile-worker's job_key). */
export function batchJobKey(p: BatchPayload): string {
  return `cutover:${p.pipeline}:${p.step}:${p.partition}`;
}

/** Serial steps (file order, the audit trail) share a named queue: graphile-worker runs one job of a queue at a time, in order. */
export function serialQueueName(pipeline: string, step: string): string {
  return `cutover:${pipeline}:${step}`;
}

/** A pool for graphile-worker: errors of idle and connecting clients handled (they surface on the next query). */
export function queuePool(url: string, max: number): pg.Pool {
  const pool = createPool(url, max);
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

const LOCK_INSTALL = 1129665585; // 'CUT1': one process installs or upgrades the queue schema at a time

/** Install or upgrade graphile-worker's schema (idempotent; serialised across processes). */
export async function installQueue(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_INSTALL]);
    try {
      await runMigrations({ pgPool: pool, logger: quietLogger() });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [LOCK_INSTALL]);
    }
  } catch (err) {
    throw new CutoverError(`cannot install the job queue (graphile_worker schema): ${(err as Error).message}`, 'the target role needs CREATE on the database; see README, Scale-out', { cause: err });
  } finally {
    client.release();
  }
}

export interface QueuedJob {
  payload: BatchPayload;
  queueName: string | null;
}

/** Queue batch jobs on the caller's client (inside its transaction). An existing live job with the same key is left alone. */
export async function queueBatchJobs(client: pg.ClientBase, jobs: QueuedJob[], maxAttempts: number): Promise<void> {
  if (!jobs.length) return;
  await client.query(
    `SELECT graphile_worker.add_job($1, (x.j->'payload')::json, queue_name := x.j->>'queue', max_attempts := $2, job_key := x.j->>'key', job_key_mode := 'unsafe_dedupe')
     FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS x(j, n) ORDER BY x.n`,
    [TASK.batch, maxAttempts, JSON.stringify(jobs.map((j) => ({ payload: j.payload, queue: j.queueName, key: batchJobKey(j.payload) })))],
  );
}

export interface FailedJob {
  id: string;
  pipeline: string;
  step: string;
  partition: number;
  attempts: number;
  lastError: string;
}

/** Batch jobs that used up their attempts: graphile-worker keeps them, failed, until they are queued again. */
export async function failedBatchJobs(db: pg.Pool | pg.ClientBase, pipeline?: string): Promise<FailedJob[]> {
  const { rows: [has] } = await db.query<{ ok: boolean }>(`SELECT to_regclass('graphile_worker.jobs') IS NOT NULL AS ok`);
  if (!has?.ok) return [];
  // the public jobs view leaves the payload out; 0.17.3 is pinned, its private table is read directly
  const { rows } = await db.query<{ id: string; payload: BatchPayload; attempts: number; last_error: string | null }>(
    `SELECT j.id::text, j.payload, j.attempts, j.last_error FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
     WHERE t.identifier = $1 AND j.attempts >= j.max_attempts AND ($2::text IS NULL OR j.payload->>'pipeline' = $2) ORDER BY j.id`,
    [TASK.batch, pipeline ?? null],
  );
  return rows.map((r) => ({ id: r.id, ...r.payload, attempts: r.attempts, lastError: r.last_error ?? '' }));
}

/** Forget failed jobs before they are queued again (a resumed run retries them). */
export async function dropFailedJobs(client: pg.ClientBase, ids: string[]): Promise<void> {
  if (ids.length) await client.query(`DELETE FROM graphile_worker._private_jobs WHERE id = ANY($1::bigint[]) AND attempts >= max_attempts`, [ids]);
}

/** Forget a pipeline's batch jobs that no worker is running (waiting or failed): a restarted run plans again. */
export async function dropWaitingJobs(db: pg.Pool | pg.ClientBase, pipeline: string): Promise<void> {
  await db.query(
    `DELETE FROM graphile_worker._private_jobs j USING graphile_worker._private_tasks t
     WHERE t.id = j.task_id AND t.identifier = $1 AND j.locked_at IS NULL AND j.payload->>'pipeline' = $2`, [TASK.batch, pipeline]);
}

/** Logs from graphile-worker: warnings and errors only, through our log. */
export function quietLogger() {
  return graphileLogger(false);
}

/** graphile-worker's logger on ours; info lines too when asked (a worker says what it does). */
export function graphileLogger(info: boolean) {
  return new Logger(() => (level, message) => {
    if (level === 'error' || level === 'warning') log.warn(`queue: ${message}`);
    else if (level === 'info' && info) log.info(`queue: ${message}`);
  });
}
