// The keys a delta must compare, found by the servers: the source hashes every record itself
// (Source.keyHashes), the hashes are copied into a temporary table of the target, and one join
// with what the target knows (known.ts) leaves the keys that are new, gone, or of another hash,
// every key without a hash on either side (excluded records, records that may mention a changed
// key), and erased keys (skipped later). Only those records are then read and compared in full,
// by the same comparison as every other delta (src/sources/changes.ts): the join only narrows.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type pg from 'pg';
import { knownStateSql, remember, type KnownEntity, type StateRow } from './known.ts';
import type { Mapping } from '../pipeline/types.ts';

export interface NarrowedState {
  /** the keys to compare that the source has (the others are known to the target only) */
  present: string[];
  /** what the target knows of the keys to compare */
  state: KnownEntity;
}

type CandidateRow = [present: boolean, known: boolean, ...StateRow];

/**
 * The keys whose record is new, gone, of another hash, or without a hash on either side (an
 * excluded record, a record that may mention a changed key; a link-only record known by its link
 * row is its key, so the same key is the same content), each with every state row the target has
 * of it. $1 system, $2 entity.
 */
function candidatesSql(mapping: Mapping): string {
  return `WITH k AS MATERIALIZED (${knownStateSql(mapping)}),
  c AS (SELECT coalesce(s.key, k.key) AS key, bool_or(s.key IS NOT NULL) AS present
    FROM pg_temp.delta_seen s FULL JOIN k ON k.key = s.key
    WHERE s.key IS NULL OR k.key IS NULL OR s.hash IS NULL
       OR (k.state IS NOT NULL AND (k.hash IS NULL OR s.hash <> k.hash))
    GROUP BY 1)
  SELECT c.present, k.key IS NOT NULL, c.key, k.hash, k.ordinal, k.state FROM c LEFT JOIN k ON k.key = c.key`;
}

/**
 * Copy the source's `(key, hash)` rows into the target, `mentioning` (keys of records that may
 * mention a changed key) without their hash; the keys whose records differ or may differ, with
 * what the target knows of them.
 */
export async function narrowedState(pool: pg.Pool, mapping: Mapping, hashes: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, mentioning: readonly string[] = []): Promise<NarrowedState> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query('CREATE TEMP TABLE delta_seen (key text NOT NULL, hash text) ON COMMIT DROP');
    await pipeline(Readable.from(hashes, { objectMode: false }), client.query(copyFrom('COPY pg_temp.delta_seen (key, hash) FROM STDIN')));
    if (mentioning.length) await client.query('UPDATE pg_temp.delta_seen SET hash = NULL WHERE key = ANY($1)', [mentioning]);
    // hash joins in memory, and no statistics taken of the hashes (ANALYZE cost 75 ms an entity, the
    // join no less): with nested loops and merge joins off, the planner has no worse plan to pick
    await client.query(`SET LOCAL work_mem = '64MB'; SET LOCAL enable_nestloop = off; SET LOCAL enable_mergejoin = off`);
    const { rows } = await client.query<CandidateRow>({ text: candidatesSql(mapping), values: [mapping.system, mapping.entity], rowMode: 'array' });
    await client.query('COMMIT');
    const state: KnownEntity = { known: new Map(), erased: new Set() };
    const present = new Set<string>(); // a key known twice comes once per row
    for (const [has, known, ...row] of rows) {
      if (has) present.add(row[0]);
      if (known) remember(state, row);
    }
    return { present: [...present], state };
  } catch (err) {
    await client.query('ROLLBACK').catch((e: Error) => { broken = e; });
    throw err;
  } finally {
    client.release(broken);
  }
}
