// One JSON array streamed to a file: records are serialised into ≥ 256 KB chunks, each chunk
// is hashed (SHA-256) and written with backpressure. The file is never built in memory.
import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

export interface FileTotals {
  records: number;
  sha256: string;
  bytes: number;
}

export const JSON_CHUNK_CHARS = 256 * 1024;

export class JsonArrayWriter {
  private readonly out: WriteStream;
  private readonly hash = createHash('sha256');
  private buf = '[\n';
  private records = 0;
  private bytes = 0;
  private failed: Error | null = null;

  constructor(readonly path: string) {
    this.out = createWriteStream(path);
    this.out.on('error', (e) => (this.failed = e));
  }

  get count(): number {
    return this.records;
  }

  /** Append one record. Await it: it waits when the disk is behind. */
  async add(record: unknown): Promise<void> {
    this.buf += (this.records === 0 ? '' : ',\n') + JSON.stringify(record);
    this.records++;
    if (this.buf.length >= JSON_CHUNK_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.failed) throw this.failed;
    const chunk = Buffer.from(this.buf, 'utf8');
    this.buf = '';
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  async close(): Promise<FileTotals> {
    this.buf += this.records === 0 ? ']\n' : '\n]\n';
    await this.flush();
    this.out.end();
    await finished(this.out);
    return { records: this.records, sha256: this.hash.digest('hex'), bytes: this.bytes };
  }

  /** Abandon the file (on error). */
  destroy(): void {
    this.out.destroy();
  }
}
