// What the target knows of one legacy entity, by source key: the content hash and read position
// of the record as it was loaded, quarantined or excluded. The universal change detection
// (src/sources/changes.ts) compares the source with this.
import type pg from 'pg';
import { queryHashJoined } from '../db/pool.ts';
import { CONTENT_IS_KEY, type KnownRecord } from '../sources/changes.ts';
import { linkOnlyKey, linkOnlyKeysSql, type LinkOnlyRow } from './link-only.ts';
import type { Mapping } from '../pipeline/types.ts';

export interface KnownEntity {
  known: Map<string, KnownRecord>;
  /** Keys erased on the new platform: never brought back, never reported as changed. */
  erased: Set<string>;
}

/** One row of the state query, read as an array: up to 200,000 an entity at scale 100,000, so no object per row. */
type StateRow = [key: string, hash: string | null, ordinal: number | string, state: string];

export async function knownState(db: pg.Pool | pg.ClientBase, mapping: Mapping): Promise<KnownEntity> {
  const { system, entity } = mapping;
  // source_ordinal as float8: a number as the driver parses it (exact to 2^53), unless the pool reads all as text
  const { rows } = await db.query<StateRow>({
    text: `SELECT source_key AS key, source_hash AS hash, source_ordinal::float8 AS ordinal, 'loaded' AS state
       FROM migration.lineage WHERE source_system = $1 AND source_entity = $2 AND parent_key IS NULL
     UNION ALL SELECT source_key, source_hash, source_ordinal::float8, 'quarantined'
       FROM migration.quarantine WHERE source_system = $1 AND source_entity = $2
     UNION ALL SELECT source_key, NULL, source_ordinal::float8, reason
       FROM migration.exclusion WHERE source_system = $1 AND source_entity = $2`,
    values: [system, entity],
    rowMode: 'array',
  });
  const known = new Map<string, KnownRecord>();
  const erased = new Set<string>();
  for (const [key, hash, ordinal, state] of rows) {
    if (state === 'erased') erased.add(key);
    else known.set(key, { hash, ordinal: Number(ordinal), state });
  }
  // A loaded link-only record (CRIS CRIME_NOMINAL) leaves no lineage: its link row is its trace,
  // and its content is its key, so the key is rebuilt from the link row and no hash is compared.
  const sql = mapping.linkOnly ? linkOnlyKeysSql(entity) : null;
  if (sql) {
    const { rows: links } = await queryHashJoined<LinkOnlyRow>(db, { text: sql, rowMode: 'array' });
    for (const l of links) {
      const key = linkOnlyKey(entity, l);
      if (key !== null && !known.has(key)) known.set(key, { hash: CONTENT_IS_KEY, ordinal: 0, state: 'loaded' });
    }
  }
  return { known, erased };
}
