// Indexes a first load builds after its data (src/load/indexes.ts). A load into empty tables
// drops their secondary, search and GIN indexes and records each definition here in the same
// transaction; each is rebuilt, and its row deleted, in one transaction. A row here means the
// index is missing: a resumed run or any check rebuilds it before use.
import type { MigrationBuilder } from 'node-pg-migrate';

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    CREATE TABLE migration.deferred_index (
      index_name   text PRIMARY KEY,
      table_name   text NOT NULL,
      definition   text NOT NULL,
      deferred_at  timestamptz NOT NULL DEFAULT now()
    );
    COMMENT ON TABLE migration.deferred_index IS 'Secondary indexes dropped for a first load into empty tables and not yet rebuilt';
  `);
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`DROP TABLE migration.deferred_index`);
}
