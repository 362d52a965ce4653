// Delta cutover (src/delta): the content hash of quarantined records, so the universal change
// detection can tell an unchanged rejected record from a corrected one (exclusions keep no
// content, not even a hash: a record is unchanged for the target while it is still excluded), and
// the log of what each delta changed (kinds for the report, keys for `reconcile --delta`, and
// the keys whose presence changed, which a resumed delta still owes to the records that link
// to them).
import type { MigrationBuilder } from 'node-pg-migrate';

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    ALTER TABLE migration.quarantine ADD COLUMN IF NOT EXISTS source_hash text;

    CREATE TABLE migration.delta_change (
      run_id          bigint NOT NULL REFERENCES migration.run(run_id),
      source_system   text NOT NULL,
      source_entity   text NOT NULL,
      source_key      text COLLATE "C" NOT NULL,
      kind            text NOT NULL,
      batch_id        bigint,
      PRIMARY KEY (run_id, source_system, source_entity, source_key)
    );

    -- Deltas whose changed keys "cutover reconcile --delta" found in order: the next one compares only later keys.
    CREATE TABLE migration.delta_verified (
      run_id       bigint PRIMARY KEY REFERENCES migration.run(run_id),
      verified_at  timestamptz NOT NULL DEFAULT now()
    );
  `);
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    DROP TABLE migration.delta_verified;
    DROP TABLE migration.delta_change;
    ALTER TABLE migration.quarantine DROP COLUMN source_hash;
  `);
}
