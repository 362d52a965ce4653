// A first load into empty tables defers their foreign keys too (src/load/indexes.ts): each is
// recorded in migration.deferred_index beside the indexes, named `table.constraint`, with the
// ALTER TABLE … ADD CONSTRAINT that adds it back (checking every row) as its definition.
import type { MigrationBuilder } from 'node-pg-migrate';

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`COMMENT ON TABLE migration.deferred_index IS 'Secondary indexes and foreign keys dropped for a first load into empty tables and not yet built or added back (a foreign key is named table.constraint, its definition an ALTER TABLE … ADD CONSTRAINT)'`);
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`COMMENT ON TABLE migration.deferred_index IS 'Secondary indexes dropped for a first load into empty tables and not yet rebuilt'`);
}
