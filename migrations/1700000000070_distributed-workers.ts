// Distributed runs (src/distributed): every `cutover worker` process registers here and holds a
// session advisory lock (PRESENCE_LOCK, worker_no) for as long as it lives. A registered worker
// whose lock is gone has lost its connection (its process died): the jobs its graphile-worker
// pool (pool_id) had locked are unlocked at once instead of after graphile-worker's 4 hours.
// dist_result carries a reconcile step's output from a worker back to the reconcile.
import type { MigrationBuilder } from 'node-pg-migrate';

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    CREATE TABLE migration.dist_worker (
      worker_no   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      pool_id     text,
      host        text NOT NULL,
      pid         integer NOT NULL,
      started_at  timestamptz NOT NULL DEFAULT now(),
      ended_at    timestamptz,
      ended       text CHECK (ended IN ('stopped', 'lost'))
    );
    CREATE INDEX dist_worker_live_idx ON migration.dist_worker(pool_id) WHERE ended_at IS NULL;

    -- a reconcile step's output from a worker, taken (and deleted) by the reconcile that queued it
    CREATE TABLE migration.dist_result (
      request_id  uuid PRIMARY KEY,
      output      jsonb NOT NULL,
      created_at  timestamptz NOT NULL DEFAULT now()
    );
  `);
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`DROP TABLE migration.dist_result; DROP TABLE migration.dist_worker`);
}
