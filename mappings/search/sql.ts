// Shared pieces of the SQL target search: the query runner, parameter helpers, SQL fragments.
// The search keys themselves are SQL functions of migration 1700000000010_search-indexes.
import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import type { CapabilityId } from '../../src/parity/types.ts';
import type { ParamsOf } from '../../src/parity/catalog.ts';
import { parseCrimintDob, dobPeriod } from '../../src/transform/dob.ts';

/** Anything that runs a parameterised query: a pool or a client. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/**
 * One capability's search as SQL: a query whose first column `id` is the record id. Every query
 * here returns each id once (a single table, UNION, or `distinct: true` for joins that can repeat
 * one), so no de-duplication is paid for: a JavaScript Set over 80,000 ids costs ~40 ms, a
 * DISTINCT sort ~30 ms.
 */
export interface IdsQuery {
  text: string;
  values: unknown[];
  distinct?: boolean;
}

/** One capability: validated params in, its query out (null: the params can find nothing). */
export type Impl<C extends CapabilityId> = (params: ParamsOf<C>) => IdsQuery | null;
export type Implementations = { [C in CapabilityId]?: Impl<C> };

/** The query of an Impl. */
export function ids(text: string, values: unknown[], opts: { distinct?: boolean } = {}): IdsQuery {
  return { text, values, ...opts };
}

/**
 * Run a search query; returns the ids as text (a set: no order, no duplicates). The ids travel
 * as one aggregated text value: 40,000 ids are then one row to decode, not 40,000 (several
 * times faster in node-postgres). Ids never hold a line break (uuids, and
 * `audit:<origin>:<legacy_audit_id>` with trimmed one-line legacy ids).
 */
export async function runIds(db: Queryable, q: IdsQuery | null): Promise<string[]> {
  if (q === null) return [];
  const agg = q.distinct ? 'string_agg(DISTINCT q.id::text, chr(10))' : 'string_agg(q.id::text, chr(10))';
  const r = await db.query<{ ids: string | null }>(`SELECT ${agg} AS ids FROM (${q.text}) AS q`, q.values);
  const all = r.rows[0]?.ids;
  return all ? all.split('\n') : [];
}

/**
 * The same ids as runIds, in pieces of at most `piece`, read through a cursor one piece at a
 * time: a wide answer (S14 for a common word: 170,000 ids at scale 200,000) is never held whole.
 * Each piece is still one aggregated text value. Stopping early closes the cursor.
 */
export async function* idPieces(pool: pg.Pool, q: IdsQuery | null, piece: number): AsyncGenerator<string[]> {
  if (q === null) return;
  const inner = q.distinct ? `SELECT DISTINCT d.id FROM (${q.text}) AS d` : q.text;
  const text = `SELECT string_agg(n.id::text, chr(10)) AS ids
                  FROM (SELECT i.id, row_number() OVER () - 1 AS k FROM (${inner}) AS i) AS n
                 GROUP BY n.k / ${Math.max(1, Math.floor(piece))}`;
  const client = await pool.connect();
  const stream = client.query(new QueryStream(text, q.values, { batchSize: 1, highWaterMark: 1 }));
  let done = false;
  try {
    for await (const row of stream as AsyncIterable<{ ids: string }>) yield row.ids.split('\n');
    done = true;
  } finally {
    if (!done) stream.destroy();
    // a cursor left open mid-way: the connection is not given back to the pool
    client.release(done ? undefined : true);
  }
}

/** Escape LIKE metacharacters (backslash is the default escape). */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A catalog wildcard pattern (`*` any run, `?` one character) as a LIKE pattern. */
export function wildcardToLike(pattern: string): string {
  return escapeLike(pattern).replace(/\*/g, '%').replace(/\?/g, '_');
}

/** Inclusive DOB period of an S04/S20 `dob` input (`dd/mm/yyyy`, `00/mm/yyyy`, `00/00/yyyy`). */
export function dobInputPeriod(dob: string): { from: string; to: string } {
  const d = parseCrimintDob(dob);
  const p = 'error' in d ? null : dobPeriod(d);
  if (p === null) throw new Error(`not a DOB: ${JSON.stringify(dob)}`); // unreachable after validation
  return p;
}

/** Column expressions of one name record (primary name or alias). */
export interface NameCols {
  surname: string;
  forenames: string;
  dob: string;
  precision: string;
}

/**
 * DOB matching against a stored DOB (first day of the period + precision): the stored period
 * overlaps the inclusive query period [from, to]. Because a stored partial DOB is the first day
 * of its month or year, "period ends on or after `from`" is "starts on or after the first day of
 * `from`'s month (year)", so each precision is one tight range on (dob_precision, date_of_birth).
 * `v` are the placeholders of dobOverlapValues(): from, to, first of from's month, 1 January of
 * from's year. An unknown DOB matches nothing.
 */
export function dobOverlapSql(c: Pick<NameCols, 'dob' | 'precision'>, v: [string, string, string, string]): string {
  const [f, t, fm, fy] = v;
  return `((${c.precision} = 'day' AND ${c.dob} BETWEEN ${f}::date AND ${t}::date)
        OR (${c.precision} = 'month' AND ${c.dob} BETWEEN ${fm}::date AND ${t}::date)
        OR (${c.precision} = 'year' AND ${c.dob} BETWEEN ${fy}::date AND ${t}::date))`;
}

/** The four values dobOverlapSql expects, from an inclusive period of `YYYY-MM-DD` dates. */
export function dobOverlapValues(period: { from: string; to: string }): [string, string, string, string] {
  return [period.from, period.to, `${period.from.slice(0, 7)}-01`, `${period.from.slice(0, 4)}-01-01`];
}

const PRIMARY: NameCols = { surname: 'p.surname', forenames: 'p.forenames', dob: 'p.date_of_birth', precision: 'p.dob_precision' };
const ALIAS_OWN: NameCols = { surname: 'n.surname', forenames: 'n.forenames', dob: 'n.date_of_birth', precision: 'n.dob_precision' };
const ALIAS_EFFECTIVE: NameCols = {
  surname: 'n.surname',
  forenames: 'n.forenames',
  dob: '(CASE WHEN n.date_of_birth IS NULL THEN p.date_of_birth ELSE n.date_of_birth END)',
  precision: '(CASE WHEN n.date_of_birth IS NULL THEN p.dob_precision ELSE n.dob_precision END)',
};

/**
 * Person ids matched on their name records (search-catalog "Names searched"): the primary name
 * (record.person) or any alias (record.person_name) meeting `cond` on its own. An alias without
 * a DOB of its own takes the person's DOB (`aliasDob: 'effective'`). For a condition on the DOB
 * alone, `aliasDob: 'own'` skips those aliases: they would only repeat the primary name's test,
 * and the alias's own (indexed) DOB column is then used. Restricted people are hidden unless
 * `includeRestricted` (S20).
 */
export function personsByNameRecord(
  cond: (c: NameCols) => string,
  opts: { includeRestricted?: boolean; aliasDob?: 'effective' | 'own' } = {},
): string {
  const hide = opts.includeRestricted ? '' : ' AND NOT p.restricted';
  const own = opts.aliasDob === 'own';
  // The alias's person is fetched row by row through its primary key (OFFSET 0 keeps the
  // planner from turning this into a hash join over every person when many aliases match).
  return `SELECT p.id FROM record.person p WHERE ${cond(PRIMARY)}${hide}
          UNION
          SELECT p.id FROM record.person_name n
           CROSS JOIN LATERAL (SELECT q.id, q.restricted, q.date_of_birth, q.dob_precision
                                 FROM record.person q WHERE q.id = n.person_id OFFSET 0) AS p
           WHERE ${cond(own ? ALIAS_OWN : ALIAS_EFFECTIVE)}${own ? ' AND n.date_of_birth IS NOT NULL' : ''}${hide}`;
}

/**
 * S04/S05: person ids with a name record whose own DOB overlaps the period (placeholders of
 * dobOverlapValues()). The same answer as personsByNameRecord(dobOverlapSql, { aliasDob: 'own' }),
 * in a form that reads far fewer rows: the primary DOBs as one range per precision (UNION ALL of
 * index-only scans on person_search_dob_idx, which INCLUDEs id and restricted; an OR of the
 * three is a bitmap scan of the heap), and the aliases only of people whose primary DOB does not
 * already match (so no set of tens of thousands of ids is de-duplicated; DISTINCT over the few
 * aliases left). Precisions are disjoint, so the branches never repeat a person.
 */
export function personsByDob(): string {
  const [f, t, fm, fy] = ['$1::date', '$2::date', '$3::date', '$4::date'];
  const ranges: Array<[string, string]> = [['day', f], ['month', fm], ['year', fy]];
  const primary = ranges.map(([precision, from]) =>
    `SELECT p.id FROM record.person p WHERE p.dob_precision = '${precision}' AND p.date_of_birth BETWEEN ${from} AND ${t} AND NOT p.restricted`);
  const overlaps = (c: Pick<NameCols, 'dob' | 'precision'>) => dobOverlapSql(c, ['$1', '$2', '$3', '$4']);
  const aliases = `SELECT DISTINCT p.id FROM record.person_name n
           CROSS JOIN LATERAL (SELECT q.id, q.restricted, q.date_of_birth, q.dob_precision
                                 FROM record.person q WHERE q.id = n.person_id OFFSET 0) AS p
           WHERE ${overlaps(ALIAS_OWN)} AND n.date_of_birth IS NOT NULL AND NOT p.restricted
             AND NOT coalesce(${overlaps(PRIMARY)}, false)`;
  return [...primary, `(${aliases})`].join('\n          UNION ALL\n          ');
}

/** Local (Europe/London) midnight of a `YYYY-MM-DD` parameter, as a timestamptz expression. */
export function localMidnight(param: string): string {
  return `(${param}::date::timestamp AT TIME ZONE 'Europe/London')`;
}
