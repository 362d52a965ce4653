// CRIS read from its PostgreSQL stand-in (schema dbo, lower-case names). Keyset pagination in
// primary-key order; text keys in byte order (COLLATE "C") so both sides of a merge-join agree.
//
// Values come back as the pool's type parsers leave them (src/db/pool.ts): timestamp without
// time zone and date as text, bigint and numeric as text, char(n) padded as stored.
import { clientConfig } from '../db/connection.ts';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import '../db/pool.ts'; // registers the type parsers (timestamp/date/bigint/numeric → text)
import { crisKey, crisKeyOfParts, type CrisColumn, type CrisTable } from './cris-tables.ts';
import { OPEN_RANGE, boundParts, crisEntities, crisTableOf, isIntType, keyColumns, partitionCount, rangesFromUpperBounds } from './keyset.ts';
import type { EntityInfo, JsonRecord, KeyRange, Source, SourceRecord } from './types.ts';
import { CutoverError } from '../core/problems.ts';
import { maskUrl } from '../core/log.ts';

export interface PostgresSourceOptions {
  /** Rows per keyset page (default 5000). */
  pageSize?: number;
  /** Pool size (default 8: one client per concurrent read; reads beyond it wait for a client). */
  poolSize?: number;
}

const q = (id: string) => `"${id.replace(/"/g, '""')}"`;

/** Per key column: whether it needs `COLLATE "C"` to order byte-wise (false when it already does). */
export type CollateNeeds = boolean[];

function keyExpr(col: CrisColumn, collate: boolean, prefix = ''): string {
  return collate && !isIntType(col) ? `${prefix}${q(col.name)} COLLATE "C"` : prefix + q(col.name);
}

function paramCast(col: CrisColumn): string {
  if (col.type === 'int') return '::integer';
  if (col.type === 'bigint') return '::bigint';
  if (col.type.startsWith('char')) return '::bpchar';
  return '::text';
}

/**
 * A row as the JSON text that JSON.stringify gives for the record `read` yields (JsonRecord):
 * row_to_json over the columns in the same order, each column as the driver hands it over
 * (src/db/pool.ts): bigint, numeric, timestamp and date as text (the session's DateStyle ISO, as
 * the driver receives them), smallint and integer as numbers, booleans, char(n) with its padding.
 * PostgreSQL escapes strings as JSON.stringify does (`\"`, `\\`, `\b \f \n \r \t`, other
 * controls as lower-case `\u00xx`). `asText`: the columns sent as text.
 */
function jsonColumns(t: CrisTable, prefix: string, asText: ReadonlySet<string>): string {
  return t.columns.map((c) => (asText.has(c.name) ? `${prefix}${q(c.name)}::text AS ${q(c.name)}` : prefix + q(c.name))).join(', ');
}

/** Column types (pg_type names) whose JSON from the server equals the driver's value through JSON.stringify; true = cast to text first. */
const JSON_SAFE_TYPES: Record<string, boolean> = {
  int2: false, int4: false, bool: false, text: false, varchar: false, bpchar: false,
  int8: true, numeric: true, timestamp: true, date: true,
};

const COLUMN_TYPES_SQL = `SELECT a.attname AS name, t.typname AS type FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
  WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`;

/**
 * The page query: rows after the key `afterLen` parts long (0 = from the start), up to and
 * including the bound `upToLen` parts long (0 = open), in key order. Parameters: the after
 * parts, then the upTo parts, then the page size. `json` (the columns sent as text): each row as
 * its key columns, then its JSON text (readJson).
 */
export function pgPageSql(t: CrisTable, afterLen: number, upToLen: number, collate: CollateNeeds = keyColumns(t).map(() => true), json: ReadonlySet<string> | null = null): string {
  const cols = keyColumns(t);
  const prefix = json ? 's.' : '';
  const exprs = cols.map((c, i) => keyExpr(c, collate[i] ?? true, prefix));
  let n = 0;
  const cmp = (len: number, op: string) => {
    const left = exprs.slice(0, len);
    const right = cols.slice(0, len).map((c) => `$${++n}${paramCast(c)}`);
    return len === 1 ? `${left[0]} ${op} ${right[0]}` : `(${left.join(', ')}) ${op} (${right.join(', ')})`;
  };
  const where: string[] = [];
  if (afterLen) where.push(cmp(afterLen, '>'));
  if (upToLen) where.push(cmp(upToLen, '<='));
  const from = json
    ? `SELECT ${cols.map((c) => prefix + q(c.name)).join(', ')}, row_to_json(x)::text FROM dbo.${q(t.table)} s CROSS JOIN LATERAL (SELECT ${jsonColumns(t, prefix, json)}) x`
    : `SELECT ${t.columns.map((c) => q(c.name)).join(', ')} FROM dbo.${q(t.table)}`;
  return from +
    (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
    ` ORDER BY ${exprs.join(', ')} LIMIT $${++n}`;
}

/** Upper bounds of n buckets of equal row count over the first key column, in key order. */
export function pgPartitionSql(t: CrisTable, collate: CollateNeeds = keyColumns(t).map(() => true)): string {
  const k = keyExpr(keyColumns(t)[0]!, collate[0] ?? true);
  return `SELECT max(k)::text AS upto FROM (SELECT ${k} AS k, ntile($1) OVER (ORDER BY ${k}) AS tile FROM dbo.${q(t.table)}) s GROUP BY tile ORDER BY tile`;
}

// Whether each column already orders byte-wise: then COLLATE "C" is left out so the primary
// key index serves the ORDER BY (an explicit COLLATE "C" defeats the index even in a C database).
const BYTEWISE_SQL = `
SELECT a.attname AS name,
  coalesce(a.attcollation = 0 OR c.collname IN ('C', 'POSIX', 'ucs_basic')
    OR (c.collprovider = 'd' AND ((d.datlocprovider = 'c' AND d.datcollate IN ('C', 'POSIX'))
      OR (d.datlocprovider = 'b' AND to_jsonb(d)->>'datlocale' IN ('C', 'C.UTF-8')))), false) AS bytewise
FROM pg_attribute a LEFT JOIN pg_collation c ON c.oid = a.attcollation
CROSS JOIN pg_database d
WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped AND d.datname = current_database()`;

function pgAdvice(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === '42P01' || code === '3F000') return 'the CRIS stand-in tables are not in schema dbo of this database: run `cutover generate`, or check the URL';
  if (code === '42703') return 'a CRIS column is missing from the stand-in table: regenerate it from CRIS_TABLES';
  return 'check the URL, that the server is running, and the credentials';
}

const KEYS_PER_QUERY = 5000;

/** The legacy key (crisKey) in SQL: the key columns as text, right-trimmed, joined by `|`. */
function keyTextSql(t: CrisTable, prefix = ''): string {
  return t.key.map((k) => `rtrim(${prefix}${q(k)}::text)`).join(` || '|' || `);
}

/** What String.prototype.trimEnd removes (WhiteSpace and LineTerminator of ECMA-262), as a PostgreSQL E'' literal for rtrim. */
export const JS_TRAILING_SPACE = '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';
const JS_TRAILING_SPACE_SQL = `E'${[...JS_TRAILING_SPACE].map((ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}'`;

/** keyHashes' COPY: each row's key (crisKey) and the sha256 (hex) of the JSON text readJson renders for it. */
export function pgKeyHashSql(t: CrisTable, asText: ReadonlySet<string>): string {
  return `COPY (SELECT ${keyTextSql(t, 's.')}, encode(sha256(convert_to(row_to_json(x)::text, 'UTF8')), 'hex')` +
    ` FROM dbo.${q(t.table)} s CROSS JOIN LATERAL (SELECT ${jsonColumns(t, 's.', asText)}) x) TO STDOUT`;
}

/**
 * keysMentioning's query: the keys of the rows with a column whose value as text, without the
 * trailing white space String.prototype.trimEnd removes (what mentionsAny compares), is one of
 * `$1` (the array a constant of the plan: a hashed lookup).
 */
export function pgMentioningSql(t: CrisTable): string {
  return `SELECT ${keyTextSql(t)} AS key FROM dbo.${q(t.table)} WHERE ${t.columns.map((c) => `rtrim(${q(c.name)}::text, ${JS_TRAILING_SPACE_SQL}) = ANY($1::text[])`).join(' OR ')}`;
}

/**
 * The rows whose legacy key (crisKey: key columns as text, right-trimmed, joined by `|`) is one of
 * `$1`: an integer key by its index when every key is a whole number, otherwise by the key's text.
 */
export function pgKeysSql(t: CrisTable, keys: readonly string[]): string {
  const cols = t.columns.map((c) => q(c.name)).join(', ');
  const only = t.key.length === 1 ? t.columns.find((c) => c.name === t.key[0]) : undefined;
  const where = only && (only.type === 'int' || only.type === 'bigint') && keys.every((k) => /^-?\d{1,18}$/.test(k))
    ? `${q(only.name)} = ANY($1::${only.type === 'int' ? 'integer' : 'bigint'}[])`
    : `${keyTextSql(t)} = ANY($1::text[])`;
  return `SELECT ${cols} FROM dbo.${q(t.table)} WHERE ${where}`;
}

export class PostgresCrisSource implements Source {
  readonly system = 'CRIS' as const;
  readonly identity: string;
  /** Exposed for tests and diagnostics (totalCount, idleCount). */
  readonly pool: pg.Pool;
  private readonly pageSize: number;
  private readonly collation = new Map<string, Promise<CollateNeeds>>();
  private readonly casts = new Map<string, Promise<ReadonlySet<string> | null>>();
  private encoding: Promise<boolean> | null = null;
  private closed = false;

  constructor(url: string, options: PostgresSourceOptions = {}) {
    this.identity = maskUrl(url);
    this.pageSize = options.pageSize ?? 5000;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1) throw new CutoverError(`page size must be a positive integer, got ${this.pageSize}`);
    this.pool = new pg.Pool({
      ...clientConfig(url, { application_name: 'cutover-source', options: '-c DateStyle=ISO,YMD -c IntervalStyle=postgres' }),
      max: options.poolSize ?? 8,
    });
    this.pool.on('error', () => {}); // an idle client's error surfaces on its next query
  }

  entities(): EntityInfo[] {
    return crisEntities();
  }

  async count(entity: string): Promise<number> {
    const t = crisTableOf(entity);
    const { rows } = await this.query<{ n: string }>(t, `SELECT count(*) AS n FROM dbo.${q(t.table)}`, []);
    return Number(rows[0]!.n);
  }

  async partitions(entity: string, n: number): Promise<KeyRange[]> {
    const t = crisTableOf(entity);
    if (partitionCount(n) === 1) return [{ ...OPEN_RANGE }];
    const collate = await this.collateNeeds(t);
    const { rows } = await this.query<{ upto: string | null }>(t, pgPartitionSql(t, collate), [n]);
    return rangesFromUpperBounds(rows.map((r) => r.upto));
  }

  async *read(entity: string, range: KeyRange = OPEN_RANGE): AsyncGenerator<SourceRecord> {
    const t = crisTableOf(entity);
    let ordinal = 0;
    for await (const rows of this.pages<Record<string, unknown>>(t, range, null)) {
      for (const row of rows) yield { key: crisKey(t, row), ordinal: ordinal++, raw: row };
    }
  }

  /**
   * The entity in key order, each row as its JSON text rendered by the server (pgPageSql with
   * `json`). A table with a column of another type than JSON_SAFE_TYPES is read with `read` and
   * its records turned into text here.
   */
  async *readJson(entity: string): AsyncGenerator<JsonRecord> {
    const t = crisTableOf(entity);
    const asText = await this.jsonCasts(t);
    if (!asText) {
      for await (const r of this.read(entity)) yield { key: r.key, ordinal: r.ordinal, json: JSON.stringify(r.raw) };
      return;
    }
    const parts = t.key.length;
    let ordinal = 0;
    for await (const rows of this.pages<unknown[]>(t, OPEN_RANGE, asText)) {
      for (const row of rows) yield { key: crisKeyOfParts(row.slice(0, parts)), ordinal: ordinal++, json: row[parts] as string };
    }
  }

  /** The pages of a keyset read, each page's query sent while the one before is consumed. */
  private async *pages<R extends Record<string, unknown> | unknown[]>(t: CrisTable, range: KeyRange, json: ReadonlySet<string> | null): AsyncGenerator<R[]> {
    const after = range.after === null ? [] : boundParts(t, range.after);
    const upTo = range.upTo === null ? [] : boundParts(t, range.upTo);
    const collate = await this.collateNeeds(t);
    const client = await this.connect();
    const page = this.pageSize;
    let pending: Promise<pg.QueryResult<R>> | null = null;
    let failure: Error | undefined;
    let read = 0;
    // the key of a page's last row: the columns by name, or the first columns of an array row
    const keyOf = (row: R): unknown[] => (Array.isArray(row) ? row.slice(0, t.key.length) : t.key.map((k) => (row as Record<string, unknown>)[k]));
    const fetch = (afterValues: unknown[]) => {
      const p = client.query<R>({ text: pgPageSql(t, afterValues.length, upTo.length, collate, json), values: [...afterValues, ...upTo, page], ...(json ? { rowMode: 'array' as const } : {}) });
      p.catch(() => {}); // awaited below; a prefetch abandoned by an early break must not be unhandled
      return p;
    };
    try {
      pending = fetch(after);
      for (;;) {
        let rows: R[];
        try {
          rows = (await pending).rows;
        } catch (err) {
          failure = err as Error;
          throw new CutoverError(`reading ${t.entity} (dbo.${t.table}) from ${this.identity} failed after ${read} rows: ${(err as Error).message}`, pgAdvice(err), { cause: err });
        }
        pending = null;
        if (rows.length === page) pending = fetch(keyOf(rows[rows.length - 1]!)); // prefetch the next page while this one is consumed
        read += rows.length;
        yield rows;
        if (!pending) return;
      }
    } finally {
      if (pending) await pending.catch(() => {}); // never hand back a client with a query in flight
      client.release(failure);
    }
  }

  /** The records with these keys, in one query per 5,000 keys (the reconciliation of a delta's changed keys). */
  async *readKeys(entity: string, keys: readonly string[]): AsyncGenerator<SourceRecord> {
    const t = crisTableOf(entity);
    let ordinal = 0;
    for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
      const chunk = keys.slice(i, i + KEYS_PER_QUERY);
      const { rows } = await this.query<Record<string, unknown>>(t, pgKeysSql(t, chunk), [chunk]);
      for (const row of rows) yield { key: crisKey(t, row), ordinal: ordinal++, raw: row };
    }
  }

  /**
   * Every row's key and content hash, computed by the server (pgKeyHashSql), as COPY text; null
   * when the table has a column readJson cannot render, or the database is not UTF-8 (the hash is
   * of the UTF-8 text).
   */
  async keyHashes(entity: string): Promise<AsyncIterable<Uint8Array> | null> {
    const t = crisTableOf(entity);
    const asText = await this.jsonCasts(t);
    if (!asText || !(await this.utf8())) return null;
    const connect = () => this.connect();
    const identity = this.identity;
    // the connection is taken when the rows are first read, and given back when they end
    return (async function* rows() {
      const client = await connect();
      let failure: Error | undefined;
      let ended = false;
      try {
        for await (const chunk of client.query(copyTo(pgKeyHashSql(t, asText)))) yield chunk as Uint8Array;
        ended = true;
      } catch (err) {
        failure = err as Error;
        throw new CutoverError(`hashing ${t.entity} (dbo.${t.table}) at ${identity} failed: ${(err as Error).message}`, pgAdvice(err), { cause: err });
      } finally {
        // a COPY left unread cannot be taken back: that connection is closed, not reused
        client.release(failure ?? (ended ? undefined : new Error('COPY abandoned')));
      }
    })();
  }

  /** The keys of the rows that may mention one of `mentions` (pgMentioningSql); the white space it trims is Unicode's, so a database not in UTF-8 is refused. */
  async keysMentioning(entity: string, mentions: ReadonlySet<string>): Promise<string[]> {
    const t = crisTableOf(entity);
    if (!mentions.size) return [];
    if (!(await this.utf8())) throw new CutoverError(`looking for mentions in ${t.entity} at ${this.identity}: the database is not in UTF-8`, 'change detection reads every record of such a source (keyHashes gives null)');
    const { rows } = await this.query<{ key: string }>(t, pgMentioningSql(t), [[...mentions]]);
    return rows.map((r) => r.key);
  }

  /** Per key column of an entity: whether reads add COLLATE "C" (false when the column already orders byte-wise). */
  keyCollation(entity: string): Promise<CollateNeeds> {
    return this.collateNeeds(crisTableOf(entity));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (err) {
      throw new CutoverError(`cannot connect to ${this.identity}: ${(err as Error).message}`, pgAdvice(err), { cause: err });
    }
  }

  private async query<R extends pg.QueryResultRow>(t: CrisTable, text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    const client = await this.connect();
    let failure: Error | undefined;
    try {
      return await client.query<R>(text, values);
    } catch (err) {
      failure = err as Error;
      throw new CutoverError(`query on ${t.entity} (dbo.${t.table}) at ${this.identity} failed: ${(err as Error).message}`, pgAdvice(err), { cause: err });
    } finally {
      client.release(failure);
    }
  }

  /** The columns readJson sends as text, or null when a column's type has no JSON of the driver's value. */
  private jsonCasts(t: CrisTable): Promise<ReadonlySet<string> | null> {
    let p = this.casts.get(t.table);
    if (!p) {
      p = this.query<{ name: string; type: string }>(t, COLUMN_TYPES_SQL, [`dbo.${q(t.table)}`]).then(({ rows }) => {
        const types = new Map(rows.map((r) => [r.name, r.type]));
        const asText = new Set<string>();
        for (const c of t.columns) {
          const cast = JSON_SAFE_TYPES[types.get(c.name) ?? ''];
          if (cast === undefined) return null;
          if (cast) asText.add(c.name);
        }
        return asText;
      });
      p.catch(() => this.casts.delete(t.table)); // asked again next time; the read reports the cause
      this.casts.set(t.table, p);
    }
    return p;
  }

  /** Whether the database's encoding is UTF-8. */
  private utf8(): Promise<boolean> {
    this.encoding ??= this.pool.query<{ e: string }>('SELECT current_setting(\'server_encoding\') AS e').then(({ rows }) => rows[0]?.e === 'UTF8', () => {
      this.encoding = null;
      return false;
    });
    return this.encoding;
  }

  private collateNeeds(t: CrisTable): Promise<CollateNeeds> {
    let p = this.collation.get(t.table);
    if (!p) {
      p = this.query<{ name: string; bytewise: boolean }>(t, BYTEWISE_SQL, [`dbo.${q(t.table)}`])
        .then(({ rows }) => t.key.map((k) => !rows.find((r) => r.name === k)?.bytewise))
        .catch(() => {
          this.collation.delete(t.table); // cannot tell (connection, missing table): COLLATE "C" this time, ask again next time
          return t.key.map(() => true);
        });
      this.collation.set(t.table, p);
    }
    return p;
  }
}
