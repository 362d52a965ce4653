// Every difference the reconciliation finds, one line each, written as it is found (CSV, or JSON
// Lines when the file name ends in .jsonl / .ndjson): what kind, which source record, which target
// row, which fields. No values: they are in the source and the target. Memory stays flat however
// many differences there are: lines are buffered a few kilobytes at a time and written
// synchronously, so nothing accumulates while the merge-joins run.
import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';

export const DIFFERENCE_KINDS = ['missing', 'unexpected', 'mismatch', 'broken link', 'untraced'] as const;
export type DifferenceKind = (typeof DIFFERENCE_KINDS)[number];

export interface Difference {
  kind: DifferenceKind;
  /** CRIS or CRIMINT; null for an untraced row (nothing traces it to a source) */
  system: string | null;
  /** the legacy table or file (`NOMINAL`, `nominals.json`) */
  entity: string | null;
  /** the legacy key (lineage key for inline items: `N0001/addresses/0`; `a|b` for a link) */
  key: string | null;
  /** `record.person`, `record.event_person`, … */
  table: string | null;
  /** the target row's id when there is one */
  targetId: string | null;
  /** names of the fields that differ (mismatch), never their values */
  fields: string[];
  /** why, in words without values: `no lineage and no target row for this key`, `outcome` … */
  detail: string;
}

export interface DifferenceSink {
  write(d: Difference): void;
  /** lines written so far */
  readonly count: number;
}

export const DIFFERENCE_COLUMNS = ['kind', 'system', 'entity', 'key', 'table', 'target_id', 'fields', 'detail'] as const;

const csvCell = (v: string | null) => (v === null ? '' : /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function differenceLine(d: Difference, format: 'csv' | 'jsonl'): string {
  if (format === 'jsonl') return `${JSON.stringify({ kind: d.kind, system: d.system, entity: d.entity, key: d.key, table: d.table, targetId: d.targetId, fields: d.fields, detail: d.detail })}\n`;
  return `${[d.kind, d.system, d.entity, d.key, d.table, d.targetId, d.fields.join(' '), d.detail].map(csvCell).join(',')}\n`;
}

export function formatOf(file: string): 'csv' | 'jsonl' {
  return /\.(jsonl|ndjson)$/i.test(file) ? 'jsonl' : 'csv';
}

/** A file sink: `close()` flushes and closes; the CSV starts with its header line. */
export class DifferencesFile implements DifferenceSink {
  private readonly fd: number;
  private readonly format: 'csv' | 'jsonl';
  private buffer = '';
  count = 0;

  constructor(readonly file: string) {
    this.format = formatOf(file);
    this.fd = openSync(path.resolve(file), 'w');
    if (this.format === 'csv') this.buffer = `${DIFFERENCE_COLUMNS.join(',')}\n`;
  }

  write(d: Difference): void {
    this.buffer += differenceLine(d, this.format);
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
