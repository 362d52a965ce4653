// What the target knows of one legacy entity, by source key: the content hash and read position
// of the record as it was loaded, quarantined or excluded. The universal change detection
// (src/sources/changes.ts) compares the source with this.
import type pg from 'pg';
import { queryHashJoined } from '../db/pool.ts';
import { CONTENT_IS_KEY, type KnownRecord } from '../sources/changes.ts';
import { linkOnlyKeysSql } from './link-only.ts';
import type { Mapping } from '../pipeline/types.ts';

export interface KnownEntity {
  known: Map<string, KnownRecord>;
  /** Keys erased on the new platform: never brought back, never reported as changed. */
  erased: Set<string>;
}

/**
 * One row of the state query, read as an array: up to 200,000 an entity at scale 100,000, so no
 * object per row. A link row of a link-only record has only its key (state null).
 */
export type StateRow = [key: string, hash: string | null, ordinal: number | string | null, state: string | null];

/**
 * What the target knows of an entity ($1 system, $2 entity), one StateRow per row of lineage,
 * quarantine and exclusion (erased keys among them), and, for a CRIS link table, per link row:
 * a loaded link-only record (CRIME_NOMINAL) leaves no lineage, its link row is its trace.
 */
export function knownStateSql(mapping: Mapping): string {
  const links = mapping.linkOnly ? linkOnlyKeysSql(mapping.entity) : null;
  // source_ordinal as float8: a number as the driver parses it (exact to 2^53), unless the pool reads all as text
  return `SELECT source_key AS key, source_hash AS hash, source_ordinal::float8 AS ordinal, 'loaded' AS state
       FROM migration.lineage WHERE source_system = $1 AND source_entity = $2 AND parent_key IS NULL
     UNION ALL SELECT source_key, source_hash, source_ordinal::float8, 'quarantined'
       FROM migration.quarantine WHERE source_system = $1 AND source_entity = $2
     UNION ALL SELECT source_key, NULL, source_ordinal::float8, reason
       FROM migration.exclusion WHERE source_system = $1 AND source_entity = $2` +
    (links ? `\n     UNION ALL SELECT key, NULL, NULL, NULL FROM (${links}) l` : '');
}

/** A link-only record known by its link row: its content is its key, so no hash is compared. */
const LINKED: KnownRecord = Object.freeze({ hash: CONTENT_IS_KEY, ordinal: 0, state: 'loaded' });

/** Which row stands for a key known twice: an exclusion over a quarantine over lineage, a link row only where nothing else is. */
const rank = (state: string | null) => (state === null ? 0 : state === 'loaded' ? 1 : state === 'quarantined' ? 2 : 3);

/** Take one state row into `into`, in any order of rows. */
export function remember(into: KnownEntity, [key, hash, ordinal, state]: StateRow): void {
  if (state === 'erased') {
    into.erased.add(key);
    return;
  }
  const was = into.known.get(key);
  if (was && rank(was === LINKED ? null : was.state) > rank(state)) return;
  into.known.set(key, state === null ? LINKED : { hash, ordinal: Number(ordinal), state });
}

export async function knownState(db: pg.Pool | pg.ClientBase, mapping: Mapping): Promise<KnownEntity> {
  // nested loops off: the link rows' join with lineage is misestimated into one (src/db/pool.ts)
  const { rows } = await queryHashJoined<StateRow>(db, { text: knownStateSql(mapping), rowMode: 'array' }, [mapping.system, mapping.entity]);
  const into: KnownEntity = { known: new Map(), erased: new Set() };
  for (const row of rows) remember(into, row);
  return into;
}
