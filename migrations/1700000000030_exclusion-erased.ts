// A person erased on the new platform must not come back when a pipeline is run again over the
// legacy extract: such records are excluded with the reason `erased` (src/load/batch.ts).
import type { MigrationBuilder } from 'node-pg-migrate';

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    ALTER TABLE migration.exclusion DROP CONSTRAINT exclusion_reason_check;
    ALTER TABLE migration.exclusion ADD CONSTRAINT exclusion_reason_check CHECK (reason IN ('legacy_deleted', 'retention_expired', 'erased'));
  `);
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    ALTER TABLE migration.exclusion DROP CONSTRAINT exclusion_reason_check;
    ALTER TABLE migration.exclusion ADD CONSTRAINT exclusion_reason_check CHECK (reason IN ('legacy_deleted', 'retention_expired'));
  `);
}
