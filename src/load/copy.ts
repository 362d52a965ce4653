// COPY, not INSERT: rows are encoded into large text-format chunks (≥ 256 KB) before each
// write() — one write() per row is 40× slower — and writes wait for 'drain' (backpressure).
// One implementation serves the loader and the synthetic generator.
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';

const { from: copyFrom } = copyStreams;

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_G = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export const CHUNK_CHARS = 256 * 1024;

/** One field in COPY text format: NULL as `\N`; backslash, tab, LF and CR escaped; objects as JSON. */
export function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  let s: string;
  if (typeof v === 'string') s = v;
  else if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  else if (v instanceof Date) return v.toISOString();
  else if (typeof v === 'boolean') return v ? 't' : 'f';
  else if (Buffer.isBuffer(v)) return '\\\\x' + v.toString('hex');
  else s = JSON.stringify(v);
  if (s.includes('\u0000')) throw new Error('a NUL character cannot be written to PostgreSQL text');
  return SPECIAL.test(s) ? s.replace(SPECIAL_G, (c) => ESCAPES[c]!) : s;
}

/**
 * Stream rows into `table` (columns in the given order) with one COPY. `rows` is a (sync)
 * iterable, so nothing is materialised; `onRows` is called after every chunk with the running
 * row count. Returns the number of rows written.
 */
export async function copyRows(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly unknown[]>,
  onRows?: (n: number) => void,
): Promise<number> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  let failed: Error | null = null;
  stream.on('error', (e: Error) => (failed = e));
  let buf = '';
  let n = 0;
  const flush = async () => {
    if (failed) throw failed;
    const ok = stream.write(buf);
    buf = '';
    if (!ok) await once(stream, 'drain');
    onRows?.(n);
  };
  try {
    for (const r of rows) {
      let line = copyValue(r[0]);
      for (let k = 1; k < r.length; k++) line += `\t${copyValue(r[k])}`;
      buf += `${line}\n`;
      n++;
      if (buf.length >= CHUNK_CHARS) await flush();
    }
    if (buf.length > 0) await flush();
    stream.end();
    await finished(stream);
  } catch (err) {
    stream.destroy();
    throw failed ?? err;
  }
  return n;
}
