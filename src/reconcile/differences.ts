// Every difference the reconciliation finds, one line each, written as it is found (CSV, or JSON
// Lines when the file name ends in .jsonl / .ndjson): what kind, which source record, which target
// row, which fields. No values: they are in the source and the target. Memory stays flat however
// many differences there are: lines are buffered a few kilobytes at a time and written
// synchronously, so nothing accumulates while the merge-joins run.
import { LineFile } from '../report/line-file.ts';

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

/** A differences file: CSV with the columns below, or JSON Lines. */
export class DifferencesFile extends LineFile<Difference> implements DifferenceSink {
  constructor(file: string) {
    super(file, {
      columns: DIFFERENCE_COLUMNS,
      cells: (d) => [d.kind, d.system, d.entity, d.key, d.table, d.targetId, d.fields.join(' '), d.detail],
      json: (d) => ({ kind: d.kind, system: d.system, entity: d.entity, key: d.key, table: d.table, targetId: d.targetId, fields: d.fields, detail: d.detail }),
    });
  }
}
