// Reconcile's merge-join steps as jobs on the `cutover worker` processes (`cutover reconcile
// --distributed`). A lane hands a step to the queue instead of a worker thread; a worker runs
// reconcileStep() exactly as a worker thread does and leaves the StepOutput in
// migration.dist_result, which the reconcile takes (and deletes) and combines as it combines the
// threads' outputs. Results are read once and deleted: they can hold record values, and nothing of
// an erased person may linger in the target.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { reconcilePool } from '../reconcile/db.ts';
import { openSources, plannedSteps, resolvePipelines } from '../reconcile/plan.ts';
import { reconcileStep, type StepOutput } from '../reconcile/step.ts';
import { installQueue, queuePool, TASK } from './queue.ts';
import type { ManifestCheck } from '../sources/json-export.ts';
import type { SystemName } from '../sources/types.ts';
import type { ValueKind } from '../reconcile/values.ts';
import type { Connections } from '../db/config.ts';

export interface ReconcileStepPayload {
  request: string;
  pipeline: string;
  step: string;
  kinds: Array<[string, ValueKind]>;
  batchSize: number;
  crimintChecks?: ManifestCheck[];
}

/** A reconcile step job failed on every attempt (its worker's error). */
async function failure(pool: pg.Pool, request: string): Promise<string | null> {
  const { rows: [r] } = await pool.query<{ last_error: string | null }>(
    `SELECT last_error FROM graphile_worker.jobs WHERE key = $1 AND attempts >= max_attempts`, [`cutover:reconcile:${request}`]);
  return r ? (r.last_error ?? 'failed') : null;
}

/** The reconcile's side: steps queued, outputs collected. Shaped like a StepWorker, so a lane can use either. */
export class QueuedSteps {
  readonly alive = true;
  private constructor(private readonly pool: pg.Pool, private readonly init: { kinds: Array<[string, ValueKind]>; batchSize: number }, private readonly pollMs: number) {}

  static async open(databaseUrl: string, init: { kinds: Array<[string, ValueKind]>; batchSize: number }, pollMs = 200): Promise<QueuedSteps> {
    const pool = queuePool(databaseUrl, 2);
    await installQueue(pool);
    return new QueuedSteps(pool, init, pollMs);
  }

  async run(pipeline: string, step: string, crimintChecks?: ManifestCheck[]): Promise<StepOutput> {
    const request = randomUUID();
    const payload: ReconcileStepPayload = { request, pipeline, step, ...this.init, crimintChecks };
    await this.pool.query(`SELECT graphile_worker.add_job($1, $2::json, max_attempts := 3, job_key := $3)`, [TASK.reconcileStep, JSON.stringify(payload), `cutover:reconcile:${request}`]);
    for (;;) {
      const { rows: [r] } = await this.pool.query<{ output: StepOutput }>('DELETE FROM migration.dist_result WHERE request_id = $1 RETURNING output', [request]);
      if (r) return r.output;
      const failed = await failure(this.pool, request);
      if (failed) throw new Error(`${step} on a worker: ${failed}`);
      await new Promise((res) => setTimeout(res, this.pollMs));
    }
  }

  private closed = false;

  /** Every lane closes what it was given: the first close ends the pool. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/** The worker's side: one reconcile step, its output stored for the reconcile that asked. */
export async function runReconcileStepJob(c: Connections, targetPool: pg.Pool, p: ReconcileStepPayload): Promise<void> {
  const s = plannedSteps(resolvePipelines([p.pipeline])).find((x) => x.step === p.step);
  if (!s) throw new Error(`no step ${p.step} in pipeline ${p.pipeline}`);
  const pool = reconcilePool(c.databaseUrl, 10);
  const sources = openSources(c, new Set<SystemName>([s.system]), 3, () => p.crimintChecks);
  try {
    const output = await reconcileStep({
      pool, pipeline: s.pipeline, step: s.step, mapping: s.mapping, source: sources.get(s.system),
      info: sources.info(s.system, s.mapping.entity), kinds: new Map(p.kinds), batchSize: p.batchSize,
    });
    await targetPool.query('INSERT INTO migration.dist_result (request_id, output) VALUES ($1, $2) ON CONFLICT DO NOTHING', [p.request, JSON.stringify(output)]);
  } finally {
    await sources.close();
    await pool.end();
  }
}
