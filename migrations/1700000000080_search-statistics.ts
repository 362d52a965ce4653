// No planner statistics for the S14 GIN expression (search.tokens_tsv(search_tokens)). ANALYZE
// computes them from every sampled event's tsvector of tokens and bigrams: measured at 9.9 s of
// the 13.4 s ANALYZE of record.event after a load (scale 20,000, crowded 2 cores), the largest
// part of the final statistics of `cutover run`. S14 is a bitmap scan of this index whatever the
// estimate (the only index for @@; restriction is the only other condition), so the default
// selectivity serves it as well.
//
// A first load drops and rebuilds this index (src/load/indexes.ts): the setting is recorded with
// the definition (migration.deferred_index.after_build) and set again in the build's transaction.
import type { MigrationBuilder } from 'node-pg-migrate';

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    ALTER INDEX record.event_search_tokens_idx ALTER COLUMN 1 SET STATISTICS 0;
    ALTER TABLE migration.deferred_index ADD COLUMN after_build text NOT NULL DEFAULT '';
    COMMENT ON COLUMN migration.deferred_index.after_build IS 'Statements that restore the index''s own settings (per-column statistics targets), run in the build''s transaction';
  `);
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    ALTER TABLE migration.deferred_index DROP COLUMN after_build;
    ALTER INDEX record.event_search_tokens_idx ALTER COLUMN 1 SET STATISTICS -1;
  `);
}
