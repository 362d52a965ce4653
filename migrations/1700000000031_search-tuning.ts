// Search tuning after 1700000000010_search-indexes (numbered after 0030 because node-pg-migrate
// checks order: a 0011 would be refused by databases that already ran 0020/0030).
//
// - GIN pending lists of 1 MB instead of 256 kB. Right after a load, before any VACUUM, every
//   search scans the whole pending list (with the 4 MB default, ~10 ms per S14 query on a freshly
//   loaded target); but a small list makes the loader merge it into the index more often. Loading
//   100k events in 5,000-row batches (measured): 256 kB 21.5 s, 1 MB 16.0 s, 4 MB 14.3 s,
//   fastupdate off 43 s.
// - The person DOB index INCLUDEs (id, restricted): S04/S05 over tens of thousands of people are
//   then index-only scans once the table is vacuumed (~15–20 % faster on 40k-person age ranges).
//
// Load cost of the search support as a whole (test/search/perf.ts, 1.5 M synthetic target rows,
// idle machine): COPY of every table 17.8 s without it, 37.5 s with it. Nearly all of the
// difference is record.event (1.0 s → 17 s for 100k events of ~300 characters): ~4 s tokenising,
// the rest maintaining the S14 GIN index row by row (tokens + bigrams; tokens alone would be ~3 s,
// but two-word phrase queries would then be 10–15× slower). Building that index once after a bulk
// load takes ~4 s: the loader may drop and recreate event_search_tokens_idx around an initial load.
import type { MigrationBuilder } from 'node-pg-migrate';

const GIN = ['person_search_surname_trgm_idx', 'location_search_street_idx', 'object_search_vrm_trgm_idx', 'event_search_tokens_idx'];

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    ${GIN.map((i) => `ALTER INDEX record.${i} SET (gin_pending_list_limit = 1024);`).join('\n    ')}
    DROP INDEX record.person_search_dob_idx;
    CREATE INDEX person_search_dob_idx ON record.person (dob_precision, date_of_birth) INCLUDE (id, restricted)
      WHERE date_of_birth IS NOT NULL;
  `);
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    ${GIN.map((i) => `ALTER INDEX record.${i} SET (gin_pending_list_limit = 256);`).join('\n    ')}
    DROP INDEX record.person_search_dob_idx;
    CREATE INDEX person_search_dob_idx ON record.person (dob_precision, date_of_birth) WHERE date_of_birth IS NOT NULL;
  `);
}
