// The pure half of the SQL Server source: URL → config, the page and partition SQL, and
// row → SourceRecord. No connection here, so all of it is unit-tested without a server.
import type sql from 'mssql';
import { crisKey, type CrisColumn, type CrisTable } from './cris-tables.ts';
import { isIntType, keyColumns } from './keyset.ts';
import type { SourceRecord } from './types.ts';
import { ConfigError } from '../core/problems.ts';
import { maskUrl } from '../core/log.ts';

/** Byte-wise order on SQL Server: matches PostgreSQL's COLLATE "C" for the ASCII keys CRIS has. */
export const BINARY_COLLATION = 'Latin1_General_BIN2';

export interface MssqlUrlOptions {
  /** Pool size (default 8: one connection per concurrent read). */
  poolMax?: number;
}

const BOOL: Record<string, boolean> = { true: true, false: false, yes: true, no: false, '1': true, '0': false };
const KNOWN = ['encrypt', 'trustServerCertificate', 'instanceName', 'connectTimeout', 'requestTimeout', 'appName', 'domain'];

/**
 * Parse `mssql://user:pass@host:port/CRIS?encrypt=false&trustServerCertificate=true` (or
 * `sqlserver://…`) into an mssql config. The database defaults to CRIS, the port to 1433.
 * `useUTC: false` so a datetime the driver did see would stay wall-clock; the source never lets
 * it see one (datetimes are converted to text in SQL).
 */
export function mssqlConfigFromUrl(url: string, options: MssqlUrlOptions = {}): sql.config {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConfigError(`not a valid SQL Server URL: ${maskUrl(url)}`, 'use mssql://user:password@host:1433/CRIS?encrypt=false&trustServerCertificate=true');
  }
  if (u.protocol !== 'mssql:' && u.protocol !== 'sqlserver:') {
    throw new ConfigError(`not a SQL Server URL (${u.protocol}): ${maskUrl(url)}`, 'use mssql://user:password@host:1433/CRIS');
  }
  if (!u.hostname) throw new ConfigError(`SQL Server URL has no host: ${maskUrl(url)}`, 'use mssql://user:password@host:1433/CRIS');
  const params = u.searchParams;
  for (const key of params.keys()) {
    if (!KNOWN.includes(key)) throw new ConfigError(`unknown SQL Server URL option '${key}' in ${maskUrl(url)}`, `known options: ${KNOWN.join(', ')}`);
  }
  const bool = (key: string, dflt: boolean): boolean => {
    const v = params.get(key);
    if (v === null) return dflt;
    const b = BOOL[v.toLowerCase()];
    if (b === undefined) throw new ConfigError(`SQL Server URL option ${key}=${v} is not a boolean`, 'use true or false');
    return b;
  };
  const int = (key: string, dflt: number): number => {
    const v = params.get(key);
    if (v === null) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new ConfigError(`SQL Server URL option ${key}=${v} is not a whole number of milliseconds`);
    return n;
  };
  const database = decodeURIComponent(u.pathname.replace(/^\/+/, '').replace(/\/+$/, '')) || 'CRIS';
  const instanceName = params.get('instanceName') ?? undefined;
  if (instanceName && u.port) throw new ConfigError(`SQL Server URL gives both a port and instanceName: ${maskUrl(url)}`, 'give one of them');
  const config: sql.config = {
    server: decodeURIComponent(u.hostname),
    database,
    user: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    connectionTimeout: int('connectTimeout', 30_000),
    requestTimeout: int('requestTimeout', 600_000),
    pool: { max: options.poolMax ?? 8, min: 0, idleTimeoutMillis: 30_000 },
    options: {
      encrypt: bool('encrypt', true),
      trustServerCertificate: bool('trustServerCertificate', false),
      useUTC: false,
      appName: params.get('appName') ?? 'cutover',
      ...(instanceName ? { instanceName } : {}),
    },
  };
  if (params.get('domain')) config.domain = params.get('domain')!;
  if (!instanceName) config.port = u.port ? Number(u.port) : 1433;
  return config;
}

const br = (id: string) => `[${id.replace(/]/g, ']]')}]`;
export const mssqlTableName = (t: CrisTable) => `${br('dbo')}.${br(t.table.toUpperCase())}`;

/** The select-list expression of a column: datetimes as wall-clock text, bigints as text. */
export function mssqlSelectExpr(col: CrisColumn): string {
  const name = br(col.name.toUpperCase());
  if (col.type === 'datetime') return `CONVERT(varchar(23), t.${name}, 121) AS ${name}`;
  if (col.type === 'bigint') return `CAST(t.${name} AS varchar(20)) AS ${name}`;
  return `t.${name} AS ${name}`;
}

/** Per key column: whether it needs COLLATE Latin1_General_BIN2 (false when it already has it). */
export type CollateNeeds = boolean[];

// Qualified with the table alias so ORDER BY and WHERE see the column, never the select-list alias
// of the same name (a bigint CAST to varchar would otherwise sort as text).
function keyExpr(col: CrisColumn, collate: boolean): string {
  const name = `t.${br(col.name.toUpperCase())}`;
  return collate && !isIntType(col) ? `${name} COLLATE ${BINARY_COLLATION}` : name;
}

/** Key parameters travel as varchar and are cast in SQL: no JS number ever holds a bigint. */
function paramExpr(col: CrisColumn, name: string): string {
  if (col.type === 'int') return `CAST(@${name} AS int)`;
  if (col.type === 'bigint') return `CAST(@${name} AS bigint)`;
  return `@${name}`;
}

/** `(k1, k2, …) > (@a0, @a1, …)` spelled out: SQL Server has no row-value comparison. */
function tupleCompare(exprs: string[], params: string[], strict: '>' | '<', inclusive: boolean): string {
  const terms: string[] = [];
  for (let i = 0; i < exprs.length; i++) {
    const eq = exprs.slice(0, i).map((e, j) => `${e} = ${params[j]}`);
    const last = i === exprs.length - 1;
    const op = last && inclusive ? `${strict}=` : strict;
    terms.push([...eq, `${exprs[i]} ${op} ${params[i]}`].join(' AND '));
  }
  if (terms.length === 1) return terms[0]!;
  // the redundant bound on the first column lets the optimizer seek
  return `${exprs[0]} ${strict}= ${params[0]} AND (${terms.map((x) => `(${x})`).join(' OR ')})`;
}

export interface PageQuery {
  text: string;
  /** Parameter names in order: after parts (a0…), then upTo parts (u0…); plus `page`. */
  after: string[];
  upTo: string[];
}

/**
 * The page query of a table: `SELECT TOP (@page) … WHERE key > after AND key <= upTo ORDER BY key`,
 * text keys in binary collation. `afterLen`/`upToLen` = number of key parts bound (0 = open).
 */
export function mssqlPageSql(t: CrisTable, afterLen: number, upToLen: number, collate: CollateNeeds = keyColumns(t).map(() => true)): PageQuery {
  const cols = keyColumns(t);
  const exprs = cols.map((c, i) => keyExpr(c, collate[i] ?? true));
  const after = cols.slice(0, afterLen).map((_, i) => `a${i}`);
  const upTo = cols.slice(0, upToLen).map((_, i) => `u${i}`);
  const where: string[] = [];
  if (afterLen) where.push(`(${tupleCompare(exprs.slice(0, afterLen), after.map((p, i) => paramExpr(cols[i]!, p)), '>', false)})`);
  if (upToLen) where.push(`(${tupleCompare(exprs.slice(0, upToLen), upTo.map((p, i) => paramExpr(cols[i]!, p)), '<', true)})`);
  const text = `SELECT TOP (@page) ${t.columns.map(mssqlSelectExpr).join(', ')} FROM ${mssqlTableName(t)} AS t` +
    (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
    ` ORDER BY ${exprs.join(', ')}`;
  return { text, after, upTo };
}

/** Upper bounds of @n buckets of equal row count over the first key column, in key order. */
export function mssqlPartitionSql(t: CrisTable, collate: CollateNeeds = keyColumns(t).map(() => true)): string {
  const k = keyExpr(keyColumns(t)[0]!, collate[0] ?? true);
  return `SELECT CAST(MAX(s.k) AS varchar(100)) AS upto FROM (SELECT ${k} AS k, NTILE(@n) OVER (ORDER BY ${k}) AS tile FROM ${mssqlTableName(t)} AS t) AS s GROUP BY s.tile ORDER BY s.tile`;
}

/** `2019-10-27 01:30:00.000` → `2019-10-27 01:30:00`; `…:00.120` → `…:00.12` (PostgreSQL's rendering of a timestamp). */
export function normaliseDatetimeText(v: string): string {
  const m = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(?:\.(\d+))?$/.exec(v);
  if (!m) return v;
  const frac = (m[2] ?? '').replace(/0+$/, '');
  return frac ? `${m[1]}.${frac}` : m[1]!;
}

/** A row as the driver gives it (upper-case names) → a SourceRecord with lower-case names, like the postgres source's. */
export function mssqlRowToRecord(t: CrisTable, row: Record<string, unknown>, ordinal: number): SourceRecord {
  const raw: Record<string, unknown> = {};
  for (const col of t.columns) {
    const upper = col.name.toUpperCase();
    let v = upper in row ? row[upper] : row[col.name];
    if (v === undefined) v = null;
    if (col.type === 'datetime' && typeof v === 'string') v = normaliseDatetimeText(v);
    raw[col.name] = v;
  }
  return { key: crisKey(t, raw), ordinal, raw };
}

/** The key of a raw row as page parameters (varchar; cast back in SQL). */
export function keyParams(t: CrisTable, raw: Record<string, unknown>): string[] {
  return t.key.map((k) => String(raw[k]));
}
