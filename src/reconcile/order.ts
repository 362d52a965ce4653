// Key order shared by the two sides of the merge-join. The source streams in its own key order
// (sources/keyset.ts: text keys byte-wise, int keys numerically, composite keys column by column,
// JSON in file order); the target streams are ordered by SQL written here, and this file's
// comparator decides which side is behind. Both must agree exactly, so each key kind is written
// once: the SQL ORDER BY terms and the JS group key come from the same part kinds.
//
// Text compares by Unicode code point, which is UTF-8 byte order, which is `COLLATE "C"`.
import { crisTableOf, isIntType, keyColumns } from '../sources/keyset.ts';
import type { EntityInfo, SourceRecord } from '../sources/types.ts';

/** A group key part: text (code point order), an integer (null first), or an ordinal. */
export type KeyPart = string | bigint | number | null;
export type GroupKey = readonly KeyPart[];

/** How a part orders: `text` byte-wise, `int` numerically (then as text, so non-numbers order too), `ord` a file position. */
export type PartKind = 'text' | 'int' | 'ord';

/** Code point order (= UTF-8 byte order = COLLATE "C"); UTF-16 order differs only for surrogates. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1; // a supplementary character sorts after every BMP one
    return x - y;
  }
  return a.length - b.length;
}

export function comparePart(a: KeyPart, b: KeyPart): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'string' && typeof b === 'string') return compareText(a, b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a !== 'string' && typeof b !== 'string') return a < b ? -1 : a > b ? 1 : 0; // number and bigint
  throw new Error(`group key parts of different kinds: ${String(a)} / ${String(b)}`);
}

/** A group key as text for messages (bigint parts as digits). */
export const keyText = (k: GroupKey): string => JSON.stringify(k, (_, v) => (typeof v === 'bigint' ? String(v) : v));

export function compareKeys(a: GroupKey, b: GroupKey): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = comparePart(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

const INT_RE = /^-?[0-9]{1,18}$/;

/** The integer a key part denotes (a number when exact, else a bigint), or null (orders first, as `NULLS FIRST` in SQL). */
export function intPart(s: string | null): number | bigint | null {
  if (s === null || !INT_RE.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : BigInt(s);
}

const sqlInt = (e: string) => `(CASE WHEN ${e} ~ '^-?[0-9]{1,18}$' THEN (${e})::bigint END)`;

/**
 * The group key of one entity: part kinds, the ORDER BY of SQL part expressions, and the JS key
 * of part values (as the target returns them: text). A group is one source record, except for
 * composite keys, where it is every record sharing the key's leading columns (the referenced
 * records of a CRIS link table; the last column, the role, is compared inside the group).
 */
export class KeyScheme {
  constructor(readonly kind: EntityInfo['keyKind'], readonly parts: readonly PartKind[]) {}

  static of(system: string, info: EntityInfo): KeyScheme {
    if (info.keyKind === 'ordinal') return new KeyScheme('ordinal', ['ord']);
    if (info.keyKind === 'int') return new KeyScheme('int', ['int']);
    if (info.keyKind === 'text') return new KeyScheme('text', ['text']);
    if (system !== 'CRIS') throw new Error(`composite keys are known only for CRIS tables (${system} ${info.name})`);
    const cols = keyColumns(crisTableOf(info.name));
    return new KeyScheme('composite', cols.slice(0, Math.max(1, cols.length - 1)).map((c) => (isIntType(c) ? 'int' : 'text')));
  }

  /** ORDER BY terms for SQL expressions of the parts (text, or bigint for `ord`). */
  orderSql(exprs: readonly string[]): string {
    return this.parts.map((k, i) => {
      const e = exprs[i]!;
      if (k === 'ord') return `${e} NULLS FIRST`;
      if (k === 'int') return `${sqlInt(e)} NULLS FIRST, ${e} COLLATE "C" NULLS FIRST`;
      return `${e} COLLATE "C" NULLS FIRST`;
    }).join(', ');
  }

  /** SQL expressions of the parts of a lineage / control-table key (`key`) and its ordinal. */
  keyPartsSql(key: string, ordinal: string): string[] {
    if (this.kind === 'ordinal') return [ordinal];
    if (this.kind === 'composite') return this.parts.map((_, i) => `split_part(${key}, '|', ${i + 1})`);
    return [key];
  }

  /** The group key from part values as text (null: absent): the first `parts.length` values of a row. */
  groupKey(values: ReadonlyArray<string | null>): GroupKey {
    const parts = this.parts;
    if (parts.length === 1) {
      const v = values[0] ?? null;
      const k = parts[0];
      return k === 'ord' ? [v === null ? null : Number(v)] : k === 'int' ? [intPart(v), v] : [v];
    }
    const out: KeyPart[] = [];
    for (let i = 0; i < parts.length; i++) {
      const v = values[i] ?? null;
      const k = parts[i];
      if (k === 'ord') out.push(v === null ? null : Number(v));
      else if (k === 'int') out.push(intPart(v), v);
      else out.push(v);
    }
    return out;
  }

  /** Part values of a key as the source writes it (composite parts joined by `|`). */
  keyParts(key: string, ordinal: number): Array<string | null> {
    if (this.kind === 'ordinal') return [String(ordinal)];
    if (this.kind === 'composite') {
      const p = key.split('|');
      return this.parts.map((_, i) => p[i] ?? '');
    }
    return [key];
  }

  sourceKey(rec: SourceRecord): GroupKey {
    if (this.kind === 'ordinal') return [rec.ordinal];
    if (this.kind === 'text') return [rec.key];
    if (this.kind === 'int') return [intPart(rec.key), rec.key];
    return this.groupKey(this.keyParts(rec.key, rec.ordinal));
  }
}
