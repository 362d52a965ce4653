// migration.*: lineage and quarantine (fixed names), plus runs, batches, checkpoints,
// exclusions, supersessions, orphans and data-quality warnings.
import type { MigrationBuilder } from 'node-pg-migrate';

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    CREATE SCHEMA IF NOT EXISTS migration;

    CREATE TABLE migration.run (
      run_id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      pipeline         text NOT NULL,
      status           text NOT NULL CHECK (status IN ('running','completed','failed','interrupted')),
      options          jsonb,
      source_identity  text,
      started_at       timestamptz NOT NULL DEFAULT now(),
      ended_at         timestamptz,
      error            text
    );

    CREATE TABLE migration.batch (
      batch_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      run_id       bigint NOT NULL REFERENCES migration.run(run_id),
      pipeline     text NOT NULL,
      step         text NOT NULL,
      partition    integer NOT NULL,
      key_from     text,
      key_to       text,
      read         integer NOT NULL,
      loaded       integer NOT NULL,
      quarantined  integer NOT NULL,
      excluded     integer NOT NULL,
      superseded   integer NOT NULL,
      orphans      integer NOT NULL DEFAULT 0,
      warnings     jsonb NOT NULL DEFAULT '{}',
      started_at   timestamptz NOT NULL,
      ended_at     timestamptz NOT NULL DEFAULT now(),
      status       text NOT NULL DEFAULT 'committed'
    );
    CREATE INDEX batch_run_idx ON migration.batch(run_id, step);

    CREATE TABLE migration.checkpoint (
      pipeline      text NOT NULL,
      step          text NOT NULL,
      partition     integer NOT NULL,
      range_after   text,
      range_up_to   text,
      last_key      text,
      last_ordinal  bigint,
      done          boolean NOT NULL DEFAULT false,
      run_id        bigint REFERENCES migration.run(run_id),
      updated_at    timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (pipeline, step, partition)
    );

    CREATE TABLE migration.lineage (
      source_system   text NOT NULL,
      source_entity   text NOT NULL,
      source_key      text COLLATE "C" NOT NULL,
      target_table    text NOT NULL,
      target_id       uuid NOT NULL,
      parent_key      text,
      source_hash     text NOT NULL,
      source_ordinal  bigint NOT NULL DEFAULT 0,
      run_id          bigint NOT NULL,
      batch_id        bigint,
      PRIMARY KEY (source_system, source_entity, source_key)
    );
    CREATE INDEX lineage_target_idx ON migration.lineage(target_id);
    CREATE INDEX lineage_parent_idx ON migration.lineage(source_system, source_entity, parent_key) WHERE parent_key IS NOT NULL;

    CREATE TABLE migration.quarantine (
      quarantine_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      source_system   text NOT NULL,
      source_entity   text NOT NULL,
      source_key      text COLLATE "C" NOT NULL,
      reason_code     text NOT NULL,
      field           text,
      message         text NOT NULL,
      raw             jsonb NOT NULL,
      problems        jsonb,
      source_ordinal  bigint NOT NULL DEFAULT 0,
      run_id          bigint NOT NULL,
      quarantined_at  timestamptz NOT NULL DEFAULT now(),
      resolved_at     timestamptz,
      UNIQUE (source_system, source_entity, source_key)
    );

    CREATE TABLE migration.exclusion (
      source_system   text NOT NULL,
      source_entity   text NOT NULL,
      source_key      text COLLATE "C" NOT NULL,
      reason          text NOT NULL CHECK (reason IN ('legacy_deleted','retention_expired')),
      source_ordinal  bigint NOT NULL DEFAULT 0,
      run_id          bigint NOT NULL,
      PRIMARY KEY (source_system, source_entity, source_key)
    );

    -- An earlier copy of a key repeated in a re-export: the later occurrence wins.
    CREATE TABLE migration.superseded (
      source_system   text NOT NULL,
      source_entity   text NOT NULL,
      source_key      text COLLATE "C" NOT NULL,
      source_ordinal  bigint NOT NULL,
      run_id          bigint NOT NULL,
      PRIMARY KEY (source_system, source_entity, source_key, source_ordinal)
    );

    -- A legacy link whose other side is missing or excluded: never silently dropped.
    CREATE TABLE migration.orphan (
      source_system   text NOT NULL,
      source_entity   text NOT NULL,
      source_key      text COLLATE "C" NOT NULL,
      link_table      text NOT NULL,
      missing_entity  text NOT NULL,
      missing_key     text NOT NULL,
      run_id          bigint NOT NULL,
      PRIMARY KEY (source_system, source_entity, source_key, link_table, missing_entity)
    );

    -- Invalid optional values become NULL and raise a counted warning.
    CREATE TABLE migration.dq_warning (
      source_system   text NOT NULL,
      source_entity   text NOT NULL,
      source_key      text COLLATE "C" NOT NULL,
      code            text NOT NULL,
      field           text NOT NULL DEFAULT '',
      run_id          bigint NOT NULL,
      PRIMARY KEY (source_system, source_entity, source_key, code, field)
    );
  `);
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  pgm.sql('DROP SCHEMA migration CASCADE');
}
