// Only a record's own lineage row holds its read position (src/load/batch.ts): the rows of its
// inline items (parent_key set) hold 0, and reconcile orders them by their record's position
// through parent_key. A target loaded before that rule holds the record's position on its items'
// rows too; they are set to 0 here, so that it matches a target loaded now row for row (the delta
// equivalence compares lineage) and a newer export's moves rewrite nothing on them.
import type { MigrationBuilder } from 'node-pg-migrate';

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    UPDATE migration.lineage SET source_ordinal = 0 WHERE parent_key IS NOT NULL AND source_ordinal <> 0;
    COMMENT ON COLUMN migration.lineage.source_ordinal IS 'Read position of the record in a file-order source (its index in the JSON array); 0 for keyed sources and on the rows of a record''s inline items (parent_key set), which take their record''s';
  `);
}

export async function down(): Promise<void> {
  // the positions the items held are their records': nothing to restore that reconcile reads
}
