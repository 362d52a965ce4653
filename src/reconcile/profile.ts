// Field profiles: per column, null count, distinct count (HyperLogLog), min, max and, for text, a
// histogram of lengths. Computed with the same code on the expected side (raw source values
// through the declared field rules) and the target side (rows as stored), in flat memory.
import { HyperLogLog } from './hll.ts';
import { compareCanon, display, type Canon, type ValueKind } from './values.ts';

/** Length buckets: 1, 2–3, 4–7, … 16384 and longer (UTF-16 code units). */
const BUCKETS = 15;
export const LENGTH_BUCKETS: readonly string[] = Array.from({ length: BUCKETS }, (_, i) => {
  const lo = 2 ** i;
  return i === BUCKETS - 1 ? `${lo}+` : lo === 2 ** (i + 1) - 1 ? `${lo}` : `${lo}-${2 ** (i + 1) - 1}`;
});

export interface ProfileSummary {
  rows: number;
  nulls: number;
  distinct: number;
  min: string | number | boolean | null;
  max: string | number | boolean | null;
  /** text only: count per LENGTH_BUCKETS entry (empty buckets left out) */
  lengths: Record<string, number> | null;
}

export class Profile {
  private rows = 0;
  private nulls = 0;
  private readonly hll = new HyperLogLog();
  private min: Exclude<Canon, null> | null = null;
  private max: Exclude<Canon, null> | null = null;
  private readonly lengths: number[] | null;

  /** values of this kind order as plain text (compareCanon compares int and decimal numerically) */
  private readonly textOrder: boolean;

  constructor(readonly kind: ValueKind) {
    this.lengths = kind === 'text' ? new Array<number>(BUCKETS).fill(0) : null;
    this.textOrder = kind !== 'int' && kind !== 'decimal';
  }

  add(v: Canon): void {
    this.rows++;
    if (v === null) {
      this.nulls++;
      return;
    }
    this.hll.add(typeof v === 'boolean' ? String(v) : v);
    if (this.min === null || this.max === null) {
      this.min = v;
      this.max = v;
    } else if (typeof v === 'number' && typeof this.min === 'number' && typeof this.max === 'number') {
      if (v < this.min) this.min = v; // instants: no need for the general comparison
      else if (v > this.max) this.max = v;
    } else if (this.textOrder && typeof v === 'string' && typeof this.min === 'string' && typeof this.max === 'string') {
      if (v < this.min) this.min = v; // what compareCanon does for these kinds, without its checks
      else if (v > this.max) this.max = v;
    } else if (compareCanon(this.kind, v, this.min) < 0) this.min = v;
    else if (compareCanon(this.kind, v, this.max) > 0) this.max = v;
    if (this.lengths && typeof v === 'string') this.lengths[Math.min(BUCKETS - 1, 31 - Math.clz32(v.length))]!++;
  }

  summary(): ProfileSummary {
    let lengths: Record<string, number> | null = null;
    if (this.lengths) {
      lengths = {};
      this.lengths.forEach((n, i) => { if (n) lengths![LENGTH_BUCKETS[i]!] = n; });
    }
    return {
      rows: this.rows,
      nulls: this.nulls,
      distinct: this.hll.estimate(),
      min: this.min === null ? null : display(this.kind, this.min),
      max: this.max === null ? null : display(this.kind, this.max),
      lengths,
    };
  }
}

/** Which statistics differ between the expected and the target profile of a column. */
export function profileDifferences(expected: ProfileSummary, actual: ProfileSummary): string[] {
  const diffs: string[] = [];
  if (expected.rows !== actual.rows) diffs.push('rows');
  if (expected.nulls !== actual.nulls) diffs.push('nulls');
  if (expected.distinct !== actual.distinct) diffs.push('distinct');
  if (expected.min !== actual.min) diffs.push('min');
  if (expected.max !== actual.max) diffs.push('max');
  if (JSON.stringify(expected.lengths) !== JSON.stringify(actual.lengths)) diffs.push('lengths');
  return diffs;
}
