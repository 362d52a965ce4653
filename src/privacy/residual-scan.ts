// Residual scan (compliance.md s.47 "Residual scan"): after an erasure, look in every text-like
// column of every table of the record, migration and audit schemas for the erased person's
// identifiers (id, PNC ID, CRO number, surname together with date of birth). Nothing may be found.
//
// Design
// - Coverage comes from the catalog (pg_class/pg_attribute), so a table or column added later
//   is scanned without a code change: base tables, partitioned parents and materialised views;
//   columns of string type (text, varchar, char, name, citext, domains over them), json, jsonb,
//   tsvector, xml and arrays of any of those (as text), and uuid columns (for the id only).
//   `date` columns are not read as DOBs: a person row holding a namesake's surname and DOB is
//   another person, not a residue of this one (option dateColumns reads DOB-named date columns).
// - The erasure is found by hashing the given id with each stored salt (tokens.ts). The id is
//   known in clear; PNC, CRO and surname+DOB are only known as salted hashes.
// - Two stages. In SQL, a prefilter keeps only the rows that could hold an identifier: a text
//   value containing the id (any case, with or without hyphens: strpos on the lower-cased value
//   with hyphens removed), a `digit/digit…letter` run (PNC/CRO shape) or a date shape; a uuid
//   equal to the id; (option dateColumns) a DOB-named date whose 1-byte DOB hint (HMAC in the
//   database, pgcrypto) matches. In Node, candidates are extracted from the surviving rows,
//   canonicalised and hashed (matcher.ts). Most rows never leave the server.
// - Large tables are split into page ranges (TID range scans) and all pieces run on a small
//   pool of connections, biggest first.
// - audit.event is append-only and outlives the data (s.62): a hit there cannot be removed and
//   is expected (every migrated audit entry about the person names their id, and the erasure
//   event itself names it as compliance.md requires). Those hits are listed separately in
//   `retainedInAuditLog` and do not fail the scan. Every other hit fails it.
import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import { connect, createPool } from '../db/pool.ts';
import { CutoverError } from '../core/problems.ts';
import { requireUrl, requireUuid } from './common.ts';
import { findTokens, type ErasureTokens, type IdentifierKind } from './tokens.ts';
import { IdentifierMatcher, type ColumnValue, type RowHit, type ValueType } from './matcher.ts';
import { scanFiles, type FileScanResult } from './file-scan.ts';

export interface ResidualScanOptions {
  url: string;
  /** Target id of the erased person. */
  person: string;
  /** Connections used in parallel (default 4). */
  concurrency?: number;
  /** Stop listing hits after this many (they are still counted; default 10 000). */
  maxListed?: number;
  /** Pages per piece when a table is split (default 16 384 = 128 MB). */
  pagesPerPiece?: number;
  /**
   * Also read `date` columns named like a DOB (`dob`, `birth`) as the date of a surname+DOB pair
   * (default false). Stricter, but a namesake — another person with the same surname and DOB,
   * 5,328 such pairs among 165,000 people at scale 100k — then fails the scan with a hit that no
   * erasure can remove.
   */
  dateColumns?: boolean;
}

export interface ResidualHit {
  table: string;
  column: string;
  /** Primary key values of the row (`ctid` when the table has no primary key). */
  key: Record<string, string | null>;
  kind: IdentifierKind;
  /** surname+dob found with the date in another column of the same row. */
  dobColumn?: string;
}

export interface RetainedHit {
  table: 'audit.event';
  column: string;
  seq: string;
  kind: IdentifierKind;
}

export interface ScannedTable {
  table: string;
  columns: string[];
  /** rows that passed the SQL prefilter and were examined in Node */
  rowsExamined: number;
  hits: number;
  ms: number;
}

export interface ResidualScanResult {
  ok: boolean;
  person: string;
  erasures: Array<{ erasureId: string; erasedAt: string | null; auditSeq: string | null }>;
  hits: ResidualHit[];
  hitCount: number;
  retainedInAuditLog: RetainedHit[];
  retainedCount: number;
  /** true when more hits were found than listed (maxListed). */
  truncated: boolean;
  coverage: { schemas: string[]; tables: number; columns: number; rowsExamined: number; perTable: ScannedTable[] };
  /** the stored results and the engineers' report folders known to the Cutover home (file-scan.ts) */
  files: FileScanResult;
  ms: number;
}

export const SCANNED_SCHEMAS = ['record', 'migration', 'audit'];
const RETAINED_TABLE = 'audit.event';
const DOB_COLUMN_RE = /dob|birth/i;

interface ColumnPlan {
  name: string;
  type: ValueType;
}

interface TablePlan {
  table: string;
  pages: number;
  keyCols: string[];
  columns: ColumnPlan[];
}

/** Read the catalog: every scanned table and its columns. */
export async function scanPlan(c: pg.Client | pg.PoolClient, schemas: string[] = SCANNED_SCHEMAS, dateColumns = false): Promise<TablePlan[]> {
  const { rows } = await c.query<{ tbl: string; pages: string; col: string; kind: string }>(
    `SELECT format('%I.%I', n.nspname, t.relname) AS tbl,
            (pg_relation_size(t.oid) / current_setting('block_size')::int)::text AS pages,
            a.attname::text AS col,
            CASE WHEN bt.typcategory = 'A' THEN 'text'
                 WHEN bt.typname IN ('json', 'jsonb') THEN 'json'
                 WHEN bt.typname = 'uuid' THEN 'uuid'
                 WHEN bt.typname = 'date' THEN 'date'
                 WHEN bt.typcategory = 'S' OR bt.typname IN ('tsvector', 'xml') THEN 'text'
            END AS kind
       FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
       JOIN pg_type ty ON ty.oid = a.atttypid
       JOIN pg_type bt ON bt.oid = CASE WHEN ty.typtype = 'd' THEN ty.typbasetype ELSE ty.oid END
      WHERE n.nspname = ANY($1::text[]) AND t.relkind IN ('r', 'p', 'm') AND NOT t.relispartition
      ORDER BY 1, a.attnum`,
    [schemas],
  );
  const { rows: pks } = await c.query<{ tbl: string; cols: string[] }>(
    `SELECT format('%I.%I', n.nspname, t.relname) AS tbl, array_agg(a.attname::text ORDER BY k.ord) AS cols
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE i.indisprimary AND n.nspname = ANY($1::text[])
      GROUP BY 1`,
    [schemas],
  );
  const pk = new Map(pks.map((r) => [r.tbl, r.cols]));
  const plans = new Map<string, TablePlan>();
  for (const r of rows) {
    let p = plans.get(r.tbl);
    if (!p) plans.set(r.tbl, (p = { table: r.tbl, pages: Number(r.pages), keyCols: pk.get(r.tbl) ?? [], columns: [] }));
    if (r.kind === null) continue;
    if (r.kind === 'date') {
      if (dateColumns && DOB_COLUMN_RE.test(r.col)) p.columns.push({ name: r.col, type: 'dob' });
      continue;
    }
    p.columns.push({ name: r.col, type: r.kind as ValueType });
  }
  return [...plans.values()].filter((p) => p.columns.length > 0);
}

const qi = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** A PostgreSQL ARE matching the PNC/CRO shape (`digit/digits…letter`) and the date shapes. */
export const SHAPE_PATTERN = '[0-9]/[0-9]{1,7}[A-Za-z]|[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{2}/[0-9]{2}/[0-9]{4}';

/**
 * The SQL prefilter of one text-like column: a PNC/CRO or date shape, or the id (any case,
 * hyphens anywhere or nowhere). A plain strpos on the lower-cased, hyphen-less value is several
 * times faster than folding the id into the regular expression as case-insensitive alternatives.
 */
export function textPrefilter(expr: string, hexParam: string, shapeParam: string): string {
  return `(${expr} ~ ${shapeParam} OR strpos(replace(lower(${expr}), '-', ''), ${hexParam}) > 0)`;
}

interface Piece {
  plan: TablePlan;
  row: RowShape;
  sql: string;
  values: unknown[];
  fromPage: number | null;
}

/** A scanned row as the array pieces() select: the key columns (ctid when there are none), then the plan's columns. */
interface RowShape {
  select: string[];
  /** the row's values, column by column, for the matcher */
  values(raw: ReadonlyArray<string | null>): ColumnValue[];
  /** the row's key (only read for a row that holds an identifier) */
  key(raw: ReadonlyArray<string | null>): Record<string, string | null>;
}

/** One definition of a scanned row: the SELECT list and the reading of the rows it returns. */
function rowShape(plan: TablePlan): RowShape {
  const keys = plan.keyCols.length ? plan.keyCols : ['ctid'];
  const n = keys.length;
  return {
    select: [...keys.map((k) => (plan.keyCols.length ? `${qi(k)}::text` : 'ctid::text')), ...plan.columns.map((col) => `${qi(col.name)}::text`)],
    values: (raw) => plan.columns.map((col, i) => ({ column: col.name, value: raw[n + i] ?? null, type: col.type })),
    key: (raw) => Object.fromEntries(keys.map((k, i) => [k, raw[i] ?? null])),
  };
}

function pieces(plan: TablePlan, id: string, tokens: ErasureTokens[], pagesPerPiece: number): Piece[] {
  const values: unknown[] = [];
  const param = (v: unknown, cast: string) => {
    values.push(v);
    return `$${values.length}::${cast}`;
  };
  let shape: string | null = null;
  let hex: string | null = null;
  let uuid: string | null = null;
  const conds: string[] = [];
  const row = rowShape(plan);
  const hinted = tokens.filter((t) => t.dobHints.length > 0);
  const saltParams = new Map<ErasureTokens, [string, string]>();
  for (const col of plan.columns) {
    const c = qi(col.name);
    if (col.type === 'uuid') conds.push(`${c} = ${(uuid ??= param(id, 'uuid'))}`);
    else if (col.type === 'dob') {
      for (const t of hinted) {
        let sp = saltParams.get(t);
        if (!sp) saltParams.set(t, (sp = [param(t.salt, 'bytea'), param(t.dobHints, 'int[]')]));
        conds.push(`get_byte(hmac(convert_to('dob:' || ${c}::text, 'UTF8'), ${sp[0]}, 'sha256'), 0) = ANY(${sp[1]})`);
      }
    } else {
      shape ??= param(SHAPE_PATTERN, 'text');
      hex ??= param(id.replace(/-/g, ''), 'text');
      conds.push(textPrefilter(`${c}::text`, hex, shape));
    }
  }
  if (conds.length === 0) return [];
  const base = `SELECT ${row.select.join(', ')} FROM ${plan.table} WHERE (${conds.join(' OR ')})`;
  if (plan.pages <= pagesPerPiece) return [{ plan, row, sql: base, values, fromPage: null }];
  const out: Piece[] = [];
  for (let from = 0; from < plan.pages; from += pagesPerPiece) {
    const last = from + pagesPerPiece >= plan.pages;
    // the last piece is open-ended: pages appended while scanning are still read
    const range = last ? `ctid >= '(${from},0)'::tid` : `ctid >= '(${from},0)'::tid AND ctid < '(${from + pagesPerPiece},0)'::tid`;
    out.push({ plan, row, sql: `${base} AND ${range}`, values, fromPage: from });
  }
  return out;
}

const TEXT_TYPES = { getTypeParser: () => (v: string) => v };

/** Stream one piece and hand each identifier found to onHit with its row's key; the table's counts and time in st. */
async function scanPiece(pool: pg.Pool, piece: Piece, matcher: IdentifierMatcher, st: ScannedTable, onHit: (key: Record<string, string | null>, hit: RowHit) => void): Promise<void> {
  const t0 = performance.now();
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const stream = new QueryStream(piece.sql, piece.values, { batchSize: 500, rowMode: 'array', types: TEXT_TYPES });
    client.query(stream);
    for await (const raw of stream as AsyncIterable<Array<string | null>>) {
      st.rowsExamined++;
      const found = matcher.matchRow(piece.row.values(raw));
      if (found.length === 0) continue;
      st.hits += found.length;
      const key = piece.row.key(raw);
      for (const h of found) onHit(key, h);
    }
  } catch (err) {
    broken = err as Error;
    throw new CutoverError(`residual scan of ${piece.plan.table} failed: ${(err as Error).message}`, 'the scan is read-only: fix the cause and run it again', { cause: err });
  } finally {
    client.release(broken);
    st.ms += Math.round(performance.now() - t0);
  }
}

/** The person's erasure tokens and the plan of every scanned table; a clear error when there is nothing to scan for. */
async function prepareScan(url: string, id: string, dateColumns: boolean): Promise<{ tokens: ErasureTokens[]; plans: TablePlan[] }> {
  const c = await connect(url);
  try {
    const tokens = await findTokens(c, id).catch((err) => {
      if ((err as { code?: string }).code === '42P01') {
        throw new CutoverError('migration.erasure_token does not exist', 'run `cutover db migrate` (migration 1700000000020_privacy-erasure-token)', { cause: err });
      }
      throw err;
    });
    if (tokens.length === 0) {
      const { rows } = await c.query('SELECT 1 FROM record.person WHERE id = $1', [id]);
      throw new CutoverError(
        rows.length ? `person ${id} has not been erased (it is still in record.person)` : `no erasure of ${id} is recorded in migration.erasure_token`,
        'erase the person first (cutover erase), then scan with the same target id',
      );
    }
    return { tokens, plans: await scanPlan(c, SCANNED_SCHEMAS, dateColumns) };
  } finally {
    await c.end();
  }
}

/** Scan the pieces, `concurrency` at a time, largest tables first; the first failure stops the others and is thrown. */
async function scanPieces(url: string, concurrency: number, work: Piece[], matcher: IdentifierMatcher, stats: Map<string, ScannedTable>, onHit: (piece: Piece, key: Record<string, string | null>, h: RowHit) => void): Promise<void> {
  const pool = createPool(url, concurrency);
  try {
    let next = 0;
    let failed = false;
    const worker = async () => {
      while (next < work.length && !failed) {
        const piece = work[next++]!;
        await scanPiece(pool, piece, matcher, stats.get(piece.plan.table)!, (key, h) => onHit(piece, key, h)).catch((err: unknown) => {
          failed = true;
          throw err;
        });
      }
    };
    const results = await Promise.allSettled(Array.from({ length: Math.min(concurrency, work.length) }, worker));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  } finally {
    await pool.end();
  }
}

export async function residualScan(opts: ResidualScanOptions): Promise<ResidualScanResult> {
  const started = performance.now();
  const url = requireUrl(opts.url);
  const id = requireUuid(opts.person, 'person');
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const maxListed = opts.maxListed ?? 10_000;
  const pagesPerPiece = Math.max(1, opts.pagesPerPiece ?? 16_384);
  const { tokens, plans } = await prepareScan(url, id, opts.dateColumns ?? false);

  const matcher = new IdentifierMatcher(id, tokens);
  const work = plans.flatMap((p) => pieces(p, id, tokens, pagesPerPiece)).sort((a, b) => b.plan.pages - a.plan.pages);
  const stats = new Map<string, ScannedTable>(plans.map((p) => [p.table, { table: p.table, columns: p.columns.map((x) => x.name), rowsExamined: 0, hits: 0, ms: 0 }]));
  const hits: ResidualHit[] = [];
  const retained: RetainedHit[] = [];
  let hitCount = 0;
  let retainedCount = 0;
  await scanPieces(url, concurrency, work, matcher, stats, (piece, key, h) => {
    if (piece.plan.table === RETAINED_TABLE) {
      retainedCount++;
      if (retained.length < maxListed) retained.push({ table: RETAINED_TABLE, column: h.column, seq: String(key['seq']), kind: h.kind });
    } else {
      hitCount++;
      if (hits.length < maxListed) hits.push({ table: piece.plan.table, column: h.column, key, kind: h.kind, ...(h.dobColumn ? { dobColumn: h.dobColumn } : {}) });
    }
  });

  const order = (a: { table: string }, b: { table: string }) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0);
  hits.sort(order);
  retained.sort((a, b) => Number(a.seq) - Number(b.seq));
  const perTable = [...stats.values()].sort(order);
  const files = scanFiles(matcher);
  return {
    ok: hitCount === 0 && files.resultsStore.hits.length === 0 && files.engineersReports.holding.length === 0,
    person: id,
    erasures: tokens.map((t) => ({ erasureId: t.erasureId, erasedAt: t.erasedAt, auditSeq: t.auditSeq })),
    hits,
    hitCount,
    retainedInAuditLog: retained,
    retainedCount,
    truncated: hits.length < hitCount || retained.length < retainedCount,
    coverage: {
      schemas: SCANNED_SCHEMAS,
      tables: perTable.length,
      columns: perTable.reduce((n, t) => n + t.columns.length, 0),
      rowsExamined: perTable.reduce((n, t) => n + t.rowsExamined, 0),
      perTable,
    },
    files,
    ms: Math.round(performance.now() - started),
  };
}
