// The reconcile's own connections to the target: every value arrives as text (values.ts gives it
// its kind), instants render in UTC with ISO dates, and cursors stream with flat memory.
import { clientConfig } from '../db/connection.ts';
import pg from 'pg';
import QueryStream from 'pg-query-stream';

/**
 * Rows per cursor fetch. Small batches keep few rows alive between fetch and use: at 2000 a row
 * outlived two young-generation collections and was copied to the old generation (737 MB promoted
 * per run at scale 100,000); at 250, 318 MB, and reconcile ran about 10% faster.
 */
export const DEFAULT_BATCH_SIZE = 250;

/** Steps compared (and, by the plain read, streamed) at once. */
export const DEFAULT_CONCURRENCY = 2;

/** Every column as the server's text (no driver parsing: no Date, no float). */
export const TEXT_TYPES = { getTypeParser: () => (v: string) => v };

export function reconcilePool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({
    max,
    // no parallel query workers: the checks that run beside the merge-joins (untraced rows, the
    // runs' counters, the audit steps' counts) are never the critical path, and their workers took
    // the cores the merge-joins need (about 1 s of 13 at scale 100,000 on 2 cores)
    ...clientConfig(url, { application_name: 'cutover-reconcile', options: '-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=postgres -c extra_float_digits=3 -c max_parallel_workers_per_gather=0' }),
    types: TEXT_TYPES,
  });
  pool.on('error', () => {}); // an idle client's error surfaces on its next query
  return pool;
}

/**
 * Rows of a query as arrays of text (or null), a batch at a time, through a server-side cursor on
 * a client of its own. Rows are taken from the stream's buffer synchronously: one await per batch,
 * not per row.
 */
export async function* streamBatches(pool: pg.Pool, text: string, values: unknown[] = [], batchSize = DEFAULT_BATCH_SIZE): AsyncGenerator<Row[]> {
  const client = await pool.connect();
  const stream = new QueryStream(text, values, { batchSize, rowMode: 'array', types: TEXT_TYPES });
  let finished = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const signal = () => { const w = wake; wake = null; w?.(); };
  stream.on('readable', signal);
  stream.on('end', () => { finished = true; signal(); });
  stream.on('error', (err) => { failure = err; signal(); });
  try {
    client.query(stream);
    for (;;) {
      const batch: Row[] = [];
      let row: Row | null;
      while (batch.length < batchSize && (row = stream.read() as Row | null) !== null) batch.push(row);
      if (batch.length) yield batch;
      else {
        if (failure) throw failure;
        if (finished) break;
        await new Promise<void>((resolve) => { wake = resolve; });
      }
    }
  } finally {
    stream.destroy();
    // a cursor left open (early exit or error): do not hand the connection back to the pool
    client.release(finished && !failure ? undefined : failure ?? true);
  }
}

export type Row = Array<string | null>;

/** One query's rows as text. */
export async function queryRows<R extends Record<string, string | null>>(pool: pg.Pool, text: string, values: unknown[] = []): Promise<R[]> {
  return (await pool.query<R>(text, values)).rows;
}
