// Which workers are alive. graphile-worker 0.17 takes a dead worker's jobs back only after their
// lock is 4 hours old (fixed in its SQL, not an option). Each `cutover worker` therefore holds a
// session advisory lock on a connection of its own for as long as it lives; when its process
// dies, the server closes that connection and the lock is gone. Any worker (or the run) that
// sees a registered worker without its lock calls graphile-worker's force_unlock_workers for
// that worker's pool id: its jobs are taken over at once. Exactly once does not depend on this
// being right: a batch job checks its checkpoint under a row lock before writing.
import os from 'node:os';
import type pg from 'pg';
import { connect } from '../db/pool.ts';

/** classid of the presence locks ('CUT0'); objid is the worker's worker_no. */
export const PRESENCE_LOCK = 1129665584;

/** A pool id that has held a job this long without registering is a worker that died while starting. */
const UNREGISTERED_GRACE = '1 minute';

export interface Presence {
  workerNo: number;
  /** graphile-worker's pool id: the locked_by of every job this process takes */
  setPoolId(id: string): Promise<void>;
  /** resolves if the presence connection is lost (the worker must then stop: others may take its jobs) */
  lost: Promise<Error>;
  close(): Promise<void>;
}

export async function register(databaseUrl: string): Promise<Presence> {
  const client = await connect(databaseUrl);
  let onLost!: (e: Error) => void;
  const lost = new Promise<Error>((resolve) => (onLost = resolve));
  client.on('error', (e) => onLost(e));
  client.on('end', () => onLost(new Error('presence connection closed')));
  await client.query('BEGIN');
  const { rows: [row] } = await client.query<{ worker_no: number }>(
    'INSERT INTO migration.dist_worker (host, pid) VALUES ($1, $2) RETURNING worker_no', [os.hostname(), process.pid]);
  // taken before the row is visible to anyone: a sweeper never sees this worker without its lock
  await client.query('SELECT pg_advisory_lock($1, $2)', [PRESENCE_LOCK, row!.worker_no]);
  await client.query('COMMIT');
  let closed = false;
  return {
    workerNo: row!.worker_no,
    lost,
    async setPoolId(id) {
      await client.query('UPDATE migration.dist_worker SET pool_id = $2 WHERE worker_no = $1', [row!.worker_no, id]);
    },
    async close() {
      if (closed) return;
      closed = true;
      client.removeAllListeners('end');
      await client.query(`UPDATE migration.dist_worker SET ended_at = now(), ended = 'stopped' WHERE worker_no = $1 AND ended_at IS NULL`, [row!.worker_no]).catch(() => {});
      await client.end().catch(() => {});
    },
  };
}

export interface Recovered {
  /** pool ids of the lost workers */
  poolIds: string[];
  /** jobs they held, now free for others */
  jobs: number;
}

/**
 * Unlock the jobs of workers that are gone: registered without their presence lock, or (never
 * registered) holding a job for more than a minute.
 */
export async function recoverLostWorkers(db: pg.Pool): Promise<Recovered> {
  const none = { poolIds: [], jobs: 0 };
  const { rows: [has] } = await db.query<{ ok: boolean }>(`SELECT to_regclass('graphile_worker.jobs') IS NOT NULL AS ok`);
  if (!has?.ok) return none;
  const { rows: lost } = await db.query<{ pool_id: string | null }>(
    `UPDATE migration.dist_worker w SET ended_at = now(), ended = 'lost'
     WHERE ended_at IS NULL AND NOT EXISTS (
       SELECT 1 FROM pg_locks l
       WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND l.classid::bigint = $1 AND l.objid::bigint = w.worker_no AND l.objsubid = 2 AND l.granted)
     RETURNING pool_id`, [PRESENCE_LOCK]);
  const { rows: strays } = await db.query<{ pool_id: string }>(
    `SELECT DISTINCT j.locked_by AS pool_id FROM graphile_worker.jobs j
     WHERE j.task_identifier LIKE 'cutover\\_%' AND j.locked_by IS NOT NULL AND j.locked_at < now() - $1::interval
       AND NOT EXISTS (SELECT 1 FROM migration.dist_worker w WHERE w.pool_id = j.locked_by AND w.ended_at IS NULL)`, [UNREGISTERED_GRACE]);
  const ids = [...new Set([...lost.map((r) => r.pool_id), ...strays.map((r) => r.pool_id)].filter((id): id is string => Boolean(id)))];
  if (!ids.length) return none;
  const { rows: [held] } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE locked_by = ANY($1::text[])', [ids]);
  await db.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [ids]);
  return { poolIds: ids, jobs: held?.n ?? 0 };
}

/** The log line for a recovery, or null when nothing was lost. */
export function recoveredNote(r: Recovered): string | null {
  return r.poolIds.length ? `unlocked ${r.jobs} job(s) of lost worker(s) ${r.poolIds.join(', ')}: other workers take them over` : null;
}

/** Live workers (for progress lines and status). */
export async function liveWorkers(db: pg.Pool): Promise<number> {
  const { rows: [r] } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM migration.dist_worker WHERE ended_at IS NULL');
  return r?.n ?? 0;
}
