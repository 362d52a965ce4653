// CRIS read live from SQL Server (database CRIS, schema dbo, upper-case names) with the mssql
// package (tedious driver). Keyset pagination in key order, text keys in binary collation so the
// order matches PostgreSQL's COLLATE "C". Rows stream with backpressure through
// request.toReadableStream() consumed as an async iterable (not the pause/resume events, which
// lose rows: node-mssql #789). Datetimes are converted to text in SQL and bigints cast to
// varchar, so the driver never shifts a wall-clock time or rounds a number.
import type sql from 'mssql';
import type { CrisTable } from './cris-tables.ts';
import { OPEN_RANGE, boundParts, crisEntities, crisTableOf, keyColumns, partitionCount, rangesFromUpperBounds } from './keyset.ts';
import { keyParams, mssqlConfigFromUrl, mssqlPageSql, mssqlPartitionSql, mssqlRowToRecord, mssqlTableName, type CollateNeeds } from './mssql-sql.ts';
import type { ChangeFeed, EntityInfo, KeyRange, Source, SourceRecord } from './types.ts';
import { CutoverError } from '../core/problems.ts';
import { maskUrl } from '../core/log.ts';

import { changeKey, mssqlChangesSql, mssqlTrackingVersionsSql, trackingUsable } from './mssql-ct.ts';
export { mssqlConfigFromUrl, mssqlPageSql, mssqlPartitionSql, mssqlRowToRecord, normaliseDatetimeText } from './mssql-sql.ts';

export interface MssqlSourceOptions {
  /** Rows per keyset page (default 5000). */
  pageSize?: number;
  /** Pool size (default 8: one connection per concurrent read). */
  poolSize?: number;
}

/**
 * The driver, loaded on the first connect: a process (or a reconcile worker) that never reads SQL
 * Server does not pay for loading it (about 0.2 s).
 */
let driver: typeof sql | null = null;
async function loadDriver(): Promise<typeof sql> {
  return (driver ??= (await import('mssql')).default);
}

function mssqlAdvice(err: unknown): string {
  const e = err as { code?: string; number?: number; originalError?: { number?: number } };
  const n = e.number ?? e.originalError?.number;
  if (n === 208) return 'the CRIS tables are not in schema dbo of this database: check the database name in the URL';
  if (n === 207) return 'a CRIS column is missing from the table: check the extract against legacy-data.md';
  if (e.code === 'ELOGIN') return 'check the user name and password in the URL';
  if (e.code === 'ESOCKET' || e.code === 'ETIMEOUT') return 'check the host and port, that SQL Server is running, and the encrypt/trustServerCertificate options';
  return 'check the URL, that SQL Server is running, and the credentials';
}

export class MssqlCrisSource implements Source {
  readonly system = 'CRIS' as const;
  readonly identity: string;
  private readonly config: sql.config;
  private readonly pageSize: number;
  private pool: sql.ConnectionPool | null = null;
  private connecting: Promise<sql.ConnectionPool> | null = null;
  private readonly collation = new Map<string, Promise<CollateNeeds>>();

  constructor(url: string, options: MssqlSourceOptions = {}) {
    this.identity = maskUrl(url);
    this.config = mssqlConfigFromUrl(url, { poolMax: options.poolSize });
    this.pageSize = options.pageSize ?? 5000;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1) throw new CutoverError(`page size must be a positive integer, got ${this.pageSize}`);
  }

  /** The connection pool once connected (for diagnostics and tests: size, available, borrowed). */
  get connectionPool(): sql.ConnectionPool | null {
    return this.pool;
  }

  entities(): EntityInfo[] {
    return crisEntities();
  }

  async count(entity: string): Promise<number> {
    const t = crisTableOf(entity);
    const rows = await this.query<{ n: string }>(t, `SELECT CAST(COUNT_BIG(*) AS varchar(20)) AS n FROM ${mssqlTableName(t)}`);
    return Number(rows[0]!.n);
  }

  async partitions(entity: string, n: number): Promise<KeyRange[]> {
    const t = crisTableOf(entity);
    if (partitionCount(n) === 1) return [{ ...OPEN_RANGE }];
    const collate = await this.collateNeeds(t);
    const rows = await this.query<{ upto: string | null }>(t, mssqlPartitionSql(t, collate), (r) => r.input('n', driver!.Int, n));
    return rangesFromUpperBounds(rows.map((r) => r.upto));
  }

  async *read(entity: string, range: KeyRange = OPEN_RANGE): AsyncGenerator<SourceRecord> {
    const t = crisTableOf(entity);
    let after = range.after === null ? [] : boundParts(t, range.after);
    const upTo = range.upTo === null ? [] : boundParts(t, range.upTo);
    const collate = await this.collateNeeds(t);
    const pool = await this.connect();
    let ordinal = 0;
    for (;;) {
      const q = mssqlPageSql(t, after.length, upTo.length, collate);
      const request = pool.request();
      const { Int, VarChar } = driver!; // loaded by connect()
      request.input('page', Int, this.pageSize);
      q.after.forEach((p, i) => request.input(p, VarChar(8000), after[i]));
      q.upTo.forEach((p, i) => request.input(p, VarChar(8000), upTo[i]));
      const stream = request.toReadableStream({ highWaterMark: Math.min(this.pageSize, 1000) });
      // in stream mode the promise always resolves (errors go to the stream): it settles when
      // the request is over and its connection is back in the pool
      const finished = request.query(q.text).catch(() => undefined);
      let rows = 0;
      let last: Record<string, unknown> | null = null;
      let complete = false;
      try {
        for await (const row of stream as AsyncIterable<Record<string, unknown>>) {
          const rec = mssqlRowToRecord(t, row, ordinal++);
          rows++;
          last = rec.raw;
          yield rec;
        }
        complete = true;
      } catch (err) {
        throw new CutoverError(`reading ${t.entity} (${mssqlTableName(t)}) from ${this.identity} failed after ${ordinal} rows: ${(err as Error).message}`, mssqlAdvice(err), { cause: err });
      } finally {
        if (!complete) {
          request.cancel(); // early break or failure: stop the server sending the rest of the page
          stream.destroy();
        }
        await finished;
      }
      if (rows < this.pageSize || !last) return;
      after = keyParams(t, last);
    }
  }

  /** CHANGE_TRACKING_CURRENT_VERSION(), or null when Change Tracking is off for the database. */
  async changeVersion(): Promise<string | null> {
    const t = crisTableOf('CRIME_REPORT');
    const rows = await this.query<{ current_version: string | null }>(t, mssqlTrackingVersionsSql(t)).catch(() => []);
    return rows[0]?.current_version ?? null;
  }

  /** Changes since `since` through CHANGETABLE(CHANGES …); null (compare everything) when the version is missing or no longer valid. */
  async changeFeed(entity: string, since: string | null): Promise<ChangeFeed | null> {
    const t = crisTableOf(entity);
    const [v] = await this.query<{ current_version: string | null; min_valid_version: string | null }>(t, mssqlTrackingVersionsSql(t));
    const versions = { current: v?.current_version ?? null, minValid: v?.min_valid_version ?? null };
    if (!trackingUsable(since, versions)) return null;
    const pool = await this.connect();
    const rows = await pool.request().input('since', driver!.VarChar(20), since).query<Record<string, unknown>>(mssqlChangesSql(t))
      .catch((err) => { throw new CutoverError(`reading the changes of ${t.entity} since version ${since} failed: ${(err as Error).message}`, mssqlAdvice(err), { cause: err }); });
    async function* changes() {
      let ordinal = 0;
      for (const row of rows.recordset) {
        const key = changeKey(t, row);
        const present = row[t.key[0]!.toUpperCase()] !== null && row[t.key[0]!.toUpperCase()] !== undefined;
        yield { key, record: present ? mssqlRowToRecord(t, row, ordinal++) : null };
      }
    }
    return { version: versions.current!, changes: changes() };
  }

  async close(): Promise<void> {
    const connecting = this.connecting;
    this.connecting = null;
    this.pool = null;
    if (connecting) await (await connecting.catch(() => null))?.close();
  }

  private connect(): Promise<sql.ConnectionPool> {
    if (!this.connecting) {
      this.connecting = loadDriver().then((d) => {
        const pool = new d.ConnectionPool(this.config);
        pool.on('error', () => {}); // surfaces on the next request
        return pool.connect();
      }).then(
        (p) => (this.pool = p),
        (err) => {
          this.connecting = null;
          throw new CutoverError(`cannot connect to ${this.identity}: ${(err as Error).message}`, mssqlAdvice(err), { cause: err });
        },
      );
    }
    return this.connecting;
  }

  private async query<R>(t: CrisTable, text: string, bind?: (r: sql.Request) => void): Promise<R[]> {
    const pool = await this.connect();
    try {
      const request = pool.request();
      bind?.(request);
      const result = await request.query<R>(text);
      return result.recordset;
    } catch (err) {
      throw new CutoverError(`query on ${t.entity} (${mssqlTableName(t)}) at ${this.identity} failed: ${(err as Error).message}`, mssqlAdvice(err), { cause: err });
    }
  }

  /** Text key columns already in a _BIN2 collation order byte-wise without COLLATE (and keep their index). */
  private collateNeeds(t: CrisTable): Promise<CollateNeeds> {
    let p = this.collation.get(t.table);
    if (!p) {
      p = this.query<{ name: string; collation_name: string | null }>(t,
        `SELECT c.name, c.collation_name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(@t)`,
        (r) => r.input('t', driver!.NVarChar(300), mssqlTableName(t)))
        .then((rows) => keyColumns(t).map((col) => {
          const found = rows.find((r) => r.name.toLowerCase() === col.name);
          return !(found?.collation_name && /_BIN2$/i.test(found.collation_name));
        }))
        .catch(() => {
          this.collation.delete(t.table);
          return keyColumns(t).map(() => true);
        });
      this.collation.set(t.table, p);
    }
    return p;
  }
}
