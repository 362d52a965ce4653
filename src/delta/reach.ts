// What the deltas since the latest full run can have changed in a search answer (`parity --delta`):
// the changed records (every key in migration.delta_change of a delta or keys run after the latest
// completed full run; a CRIS link-only key by both its ends), the records the target links to them
// (one hop), and the words of every value the target holds now for all of those. A search answer
// that changed has a changed or linked record in it on one side: in the legacy answer (the frozen
// legacy data), or in the target's, which can only find it through a value it holds.
import type pg from 'pg';
import { expectedTargetId } from '../parity/lineage.ts';
import { foldAccents } from '../transform/text.ts';

type Client = pg.Client | pg.PoolClient;

export interface DeltaReach {
  /** delta and keys runs covered (after the latest completed full run) */
  runs: string[];
  /** keys the runs changed */
  changedKeys: number;
  /** identities (`SYSTEM:ENTITY:KEY`) of the changed records, their link ends and the records linked to them */
  identities: Set<string>;
  /** changed people (identities), for the queries made about them */
  people: string[];
  /** words of the values the target holds for those records (searchWords) */
  words: Set<string>;
  /** those values whole, letters and digits only (for wildcard patterns) */
  values: Set<string>;
}

/** CRIS link-only entities: the two ends of a `cris_no|other|role` key. */
const LINK_ENDS: Record<string, [string, string]> = { CRIME_NOMINAL: ['CRIME_REPORT', 'NOMINAL'], CRIME_VEHICLE: ['CRIME_REPORT', 'VEHICLE'] };
const PEOPLE = new Set(['CRIS:NOMINAL', 'CRIMINT:nominals.json']);
/** Link tables and their two ends. */
const LINKS: [string, string, string][] = [
  ['record.event_person', 'event_id', 'person_id'], ['record.event_location', 'event_id', 'location_id'], ['record.event_object', 'event_id', 'object_id'],
  ['record.person_location', 'person_id', 'location_id'], ['record.person_object', 'person_id', 'object_id'],
];
/** Record tables whose values a search can find; person_name by its person. */
const VALUES: [string, string][] = [['record.person', 'id'], ['record.person_name', 'person_id'], ['record.location', 'id'], ['record.object', 'id'], ['record.event', 'id']];

/** A telephone number as S12 compares it: digits only, 0044…/44… read as 0…. */
const phoneForm = (digits: string) => digits.replace(/^(?:0044|44)(?=\d{9})/, '0');

/**
 * The words a value is made of, as the parity selection compares them: accents folded, upper
 * case, runs of letters or digits, leading zeros dropped (`0412345/19` = `412345/19`); numbers of
 * fewer than 3 digits and single letters are left out (a day or a month matches everything), and
 * the whole value with only its letters and digits (`SE1 9AB` → `SE19AB`, phone numbers as S12
 * reads them) is one word too.
 */
export function searchWords(v: unknown, into: Set<string> = new Set()): Set<string> {
  if (v === null || v === undefined || typeof v === 'boolean') return into;
  if (Array.isArray(v)) {
    for (const x of v) searchWords(x, into);
    return into;
  }
  if (typeof v === 'object') {
    for (const x of Object.values(v)) searchWords(x, into);
    return into;
  }
  const s = foldAccents(String(v)).toUpperCase();
  for (const w of s.match(/[\p{L}\p{N}]+/gu) ?? []) {
    const t = /^\d+$/.test(w) ? w.replace(/^0+(?=\d)/, '') : w;
    if (/^\d+$/.test(t) ? t.length >= 3 : t.length >= 2) into.add(t);
  }
  const whole = compact(s);
  if (whole.length >= 3) into.add(/^\d+$/.test(whole) ? phoneForm(whole) : whole);
  return into;
}

/** A value with only its letters and digits, upper case, accents folded. */
export const compact = (s: string) => foldAccents(s).toUpperCase().replace(/[^\p{L}\p{N}]+/gu, '');

const identityOf = (r: { source_system: string; source_entity: string; source_key: string }) => `${r.source_system}:${r.source_entity}:${r.source_key}`;

/** The reach of the deltas after the latest completed full run. */
export async function deltaReach(c: Client): Promise<DeltaReach> {
  const { rows: runs } = await c.query<{ run_id: string }>(`
    SELECT run_id::text FROM migration.run r
     WHERE (options->>'delta' = 'true' OR options ? 'keys')
       AND run_id > coalesce((SELECT max(run_id) FROM migration.run WHERE status = 'completed' AND coalesce(options->>'delta', '') <> 'true' AND NOT coalesce(options ? 'keys', false)), 0)
     ORDER BY run_id`);
  const runIds = runs.map((r) => r.run_id);
  const { rows: changed } = await c.query<{ source_system: string; source_entity: string; source_key: string }>(
    // a record only read at another position of a newer export (`moved`) holds what it held: no search can answer
    // differently (deltas no longer record them; those run before did)
    `SELECT DISTINCT source_system, source_entity, source_key FROM migration.delta_change WHERE run_id = ANY($1::bigint[]) AND kind <> 'moved'`, [runIds]);
  const identities = new Set<string>();
  const people = new Set<string>();
  const parents: { s: string[]; e: string[]; k: string[] } = { s: [], e: [], k: [] };
  for (const r of changed) {
    const ends = LINK_ENDS[r.source_entity];
    const parts = r.source_key.split('|');
    const own = ends && r.source_system === 'CRIS' && parts.length === 3 ? ends.map((e, i) => ({ ...r, source_entity: e, source_key: parts[i]! })) : [r];
    for (const x of own) {
      identities.add(identityOf(x));
      if (PEOPLE.has(`${x.source_system}:${x.source_entity}`)) people.add(identityOf(x));
      parents.s.push(x.source_system); parents.e.push(x.source_entity); parents.k.push(x.source_key);
    }
  }
  // target ids: the id each record is loaded as, and its inline items (CRIMINT addresses, vehicles, phones) through lineage
  const ids = new Set([...identities].map(expectedTargetId).filter((id) => !id.startsWith('audit:')));
  const { rows: inline } = await c.query<{ target_id: string; source_system: string; source_entity: string; source_key: string }>(`
    SELECT l.target_id::text, l.source_system, l.source_entity, l.source_key FROM migration.lineage l
      JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(s, e, key) ON l.source_system = k.s AND l.source_entity = k.e AND l.parent_key = k.key`,
  [parents.s, parents.e, parents.k]);
  for (const r of inline) {
    ids.add(r.target_id);
    identities.add(identityOf(r));
  }
  // one hop along the target's links
  const linked = new Set<string>();
  for (const [table, a, b] of LINKS) {
    const { rows } = await c.query<{ id: string }>(`SELECT ${b}::text AS id FROM ${table} WHERE ${a} = ANY($1::uuid[]) UNION SELECT ${a}::text FROM ${table} WHERE ${b} = ANY($1::uuid[])`, [[...ids]]);
    for (const r of rows) if (!ids.has(r.id)) linked.add(r.id);
  }
  const { rows: traced } = await c.query<{ source_system: string; source_entity: string; source_key: string }>(
    'SELECT source_system, source_entity, source_key FROM migration.lineage WHERE target_id = ANY($1::uuid[])', [[...linked]]);
  for (const r of traced) identities.add(identityOf(r));
  for (const id of linked) ids.add(id);
  // every value the target holds now for all of them
  const words = new Set<string>();
  const values = new Set<string>();
  for (const [table, key] of VALUES) {
    const { rows } = await c.query<{ j: Record<string, unknown> }>(`SELECT to_jsonb(t) - 'id' - '${key}' AS j FROM ${table} t WHERE ${key} = ANY($1::uuid[])`, [[...ids]]);
    for (const r of rows) {
      searchWords(r.j, words);
      for (const v of Object.values(r.j)) if (typeof v === 'string' && v.length < 64) values.add(compact(v));
    }
  }
  return { runs: runIds, changedKeys: changed.length, identities, people: [...people].sort(), words, values };
}
