// A findings file written as findings arrive: CSV (with a header line), or JSON Lines when the
// name ends in .jsonl / .ndjson. Lines are buffered 64 KB at a time and written synchronously, so
// memory stays flat however many there are. Used by `reconcile --differences` and
// `parity --differences`.
import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';

export type LineFormat = 'csv' | 'jsonl';

export function formatOf(file: string): LineFormat {
  return /\.(jsonl|ndjson)$/i.test(file) ? 'jsonl' : 'csv';
}

const csvCell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export interface LineShape<T> {
  /** CSV header, in cell order */
  columns: readonly string[];
  /** the CSV cells of one finding (lists joined with spaces) */
  cells(x: T): Array<string | number | null>;
  /** the JSON object of one finding */
  json(x: T): object;
}

export class LineFile<T> {
  private readonly fd: number;
  readonly format: LineFormat;
  readonly file: string;
  private buffer = '';
  count = 0;

  constructor(file: string, private readonly shape: LineShape<T>) {
    this.file = path.resolve(file);
    this.format = formatOf(file);
    this.fd = openSync(this.file, 'w');
    if (this.format === 'csv') this.buffer = `${shape.columns.join(',')}\n`;
  }

  write(x: T): void {
    this.buffer += this.format === 'jsonl' ? `${JSON.stringify(this.shape.json(x))}\n` : `${this.shape.cells(x).map(csvCell).join(',')}\n`;
    this.count++;
    if (this.buffer.length >= 64 * 1024) this.flush();
  }

  private flush(): void {
    if (this.buffer) writeSync(this.fd, this.buffer);
    this.buffer = '';
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
