// Key handling shared by the SQL sources (postgres, mssql): key kinds, range bounds and
// partition boundaries. Pure functions, no driver code.
//
// Range bounds are key strings as `crisKey()` writes them. For a composite key a bound may be
// the full key (`0412345/19|17|VI`) or a prefix of it (`0412345/19`): a prefix bound compares
// on its own columns only, so `upTo: 'X'` takes every key whose first column is ≤ 'X' and
// `after: 'X'` every key whose first column is > 'X'. `partitions()` returns prefix bounds on
// the first key column; a checkpoint is a full key. Both work in the same KeyRange.
import { CRIS_TABLES, type CrisColumn, type CrisTable } from './cris-tables.ts';
import type { EntityInfo, KeyRange } from './types.ts';
import { ConfigError } from '../core/problems.ts';

export const OPEN_RANGE: KeyRange = Object.freeze({ after: null, upTo: null });

/** The CRIS table of an entity, or a ConfigError that lists the valid names. */
export function crisTableOf(entity: string): CrisTable {
  const t = CRIS_TABLES.find((x) => x.entity === entity);
  if (!t) throw new ConfigError(`unknown CRIS entity '${entity}'`, `use one of ${CRIS_TABLES.map((x) => x.entity).join(', ')}`);
  return t;
}

export function keyColumns(t: CrisTable): CrisColumn[] {
  return t.key.map((k) => {
    const col = t.columns.find((c) => c.name === k);
    if (!col) throw new Error(`key column ${k} of ${t.table} is not among its columns`);
    return col;
  });
}

export function isIntType(col: CrisColumn): boolean {
  return col.type === 'int' || col.type === 'bigint';
}

export function keyKindOf(t: CrisTable): EntityInfo['keyKind'] {
  if (t.key.length > 1) return 'composite';
  return isIntType(keyColumns(t)[0]!) ? 'int' : 'text';
}

export function crisEntities(): EntityInfo[] {
  return CRIS_TABLES.map((t) => ({ name: t.entity, keyKind: keyKindOf(t) }));
}

const INT_RE = /^-?\d+$/;

/**
 * The key parts of a range bound: one part for a single-column key; for a composite key the
 * `|`-separated parts, possibly fewer than the key has (a prefix bound).
 */
export function boundParts(t: CrisTable, bound: string): string[] {
  const cols = keyColumns(t);
  const parts = cols.length === 1 ? [bound] : bound.split('|');
  if (parts.length > cols.length) {
    throw new ConfigError(`key bound '${bound}' of ${t.entity} has ${parts.length} parts; the key (${t.key.join(', ')}) has ${cols.length}`,
      'pass a key as the source wrote it, or a prefix of it');
  }
  parts.forEach((p, i) => {
    if (isIntType(cols[i]!) && !INT_RE.test(p)) {
      throw new ConfigError(`key bound '${bound}' of ${t.entity}: '${p}' is not an integer (${t.key[i]})`, 'pass a key as the source wrote it');
    }
  });
  return parts;
}

/** Validate a partition count. */
export function partitionCount(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`partition count must be a positive integer, got ${n}`);
  return n;
}

/**
 * Key ranges from the upper bounds of ntile buckets (in key order, may repeat when a composite
 * key's first column spans buckets). The last bucket is left open so the ranges cover every
 * key, including keys written after the partitioning query. Always at least one range.
 */
export function rangesFromUpperBounds(uppers: Array<string | null>): KeyRange[] {
  const bounds: string[] = [];
  for (const u of uppers.slice(0, -1)) {
    if (u === null) continue;
    if (bounds.length && bounds[bounds.length - 1] === u) continue;
    bounds.push(u);
  }
  const ranges: KeyRange[] = [];
  let after: string | null = null;
  for (const b of bounds) {
    ranges.push({ after, upTo: b });
    after = b;
  }
  ranges.push({ after, upTo: null });
  return ranges;
}
