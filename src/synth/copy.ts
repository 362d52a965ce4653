// COPY … FROM STDIN in PostgreSQL text format. Rows are encoded into large string chunks
// (≥ 256 KB) before each write(), and writes wait for 'drain' (backpressure).
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_G = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One field in COPY text format: NULL as `\N`; backslash, tab, LF and CR escaped. */
export function copyField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  if (v.includes('\u0000')) throw new Error('a NUL character cannot be written to PostgreSQL text');
  return SPECIAL.test(v) ? v.replace(SPECIAL_G, (c) => ESCAPES[c]!) : v;
}

export const CHUNK_CHARS = 256 * 1024;

/**
 * Stream rows into `table` (columns in the given order) with one COPY. `rows` is a (sync)
 * iterable, so nothing is materialised; `onRows` is called after every chunk with the
 * running row count. Returns the number of rows written.
 */
export async function copyRows(
  client: pg.Client,
  table: string,
  columns: readonly string[],
  rows: Iterable<ReadonlyArray<string | number | null>>,
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
      let line = copyField(r[0]);
      for (let k = 1; k < r.length; k++) line += `\t${copyField(r[k])}`;
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
  if (failed) throw failed;
  return n;
}
