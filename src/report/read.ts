// Lenient readers for stored results. The result shapes belong to other modules and may grow or
// shift a little; the report reads the subset it needs, tries the known spellings of a field, and
// records what it could not find instead of throwing. A field not found is null, never 0: the
// gate must not mistake "unknown" for "clean".
import { z } from 'zod';
import type { ResultKind, StoredResult } from './store.ts';
import { parseResult, type ResultOf } from './result-schemas.ts';

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The stored envelope `{kind, savedAt, ok, result}` (the binding is judged elsewhere: freshness.ts). */
const StoredEnvelopeSchema = z.looseObject({ kind: z.string(), savedAt: z.string(), ok: z.boolean(), result: z.unknown() });

/** What loadStoredResults passes on for a file that cannot be read. */
type UnreadableLike = { savedAt?: unknown; unreadable: string };

/** One path: `a.b.c`. */
function at(o: unknown, path: string): unknown {
  let cur: unknown = o;
  for (const part of path.split('.')) {
    if (!isObj(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

/** The first of the paths that holds a value (not undefined / null). */
export function pick(o: unknown, ...paths: string[]): unknown {
  for (const p of paths) {
    const v = at(o, p);
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

const toNum = (v: unknown): number | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  if (typeof v === 'bigint') return Number(v);
  return null;
};

/** A number at the first path that has one (numeric strings accepted). */
export function num(o: unknown, ...paths: string[]): number | null {
  for (const p of paths) {
    const n = toNum(at(o, p));
    if (n !== null) return n;
  }
  return null;
}

/** A count: a number, or `{count}`, or an array's length. Non-negative integer or null. */
export function count(o: unknown, ...paths: string[]): number | null {
  for (const p of paths) {
    const v = at(o, p);
    const n = toNum(v) ?? toNum(at(v, 'count')) ?? toNum(at(v, 'total')) ?? (Array.isArray(v) ? v.length : null);
    if (n !== null) return Math.max(0, Math.round(n));
  }
  return null;
}

export function str(o: unknown, ...paths: string[]): string | null {
  for (const p of paths) {
    const v = at(o, p);
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  }
  return null;
}

export function bool(o: unknown, ...paths: string[]): boolean | null {
  for (const p of paths) {
    const v = at(o, p);
    if (typeof v === 'boolean') return v;
  }
  return null;
}

/** An array at the first path that has one; a record of objects becomes its values with the key as `_key`. */
export function list(o: unknown, ...paths: string[]): unknown[] {
  for (const p of paths) {
    const v = at(o, p);
    if (Array.isArray(v)) return v;
    if (isObj(v) && Object.values(v).every((x) => isObj(x))) return Object.entries(v).map(([k, x]) => ({ _key: k, ...(x as Obj) }));
  }
  return [];
}

/** `{code: n}` or `[{code, count}]` → `[{key, count}]`. */
export function tally(o: unknown, keyNames: string[], ...paths: string[]): Array<{ key: string; count: number }> {
  for (const p of paths) {
    const v = at(o, p);
    if (Array.isArray(v)) {
      return v.flatMap((x) => {
        const key = str(x, ...keyNames, '_key');
        const c = count(x, 'count', 'n', 'value', 'total');
        return key !== null && c !== null ? [{ key, count: c }] : [];
      });
    }
    if (isObj(v)) {
      return Object.entries(v).flatMap(([key, x]) => {
        const c = toNum(x) ?? count(x, 'count', 'n', 'total');
        return c !== null ? [{ key, count: Math.max(0, Math.round(c)) }] : [];
      });
    }
  }
  return [];
}

/** The examples of a `{count, examples}` finding (or a bare array). */
export function examplesOf(o: unknown, path: string): unknown[] {
  const v = at(o, path);
  if (Array.isArray(v)) return v;
  return list(v, 'examples', 'items', 'sample');
}

/** A value for display in an example: strings as they are, everything else as JSON. */
export function display(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

export const sum = (xs: Array<number | null | undefined>): number => xs.reduce<number>((a, b) => a + (b ?? 0), 0);

/** Sum when at least one value is known, else null. */
export const sumKnown = (xs: Array<number | null | undefined>): number | null => (xs.some((x) => typeof x === 'number') ? sum(xs) : null);

export interface Input<K extends ResultKind = ResultKind> {
  kind: K;
  present: boolean;
  ok: boolean | null;
  savedAt: string | null;
  /** the result parsed with its kind's schema; null when not run or unreadable */
  result: ResultOf<K> | null;
  /** why the stored result cannot be read (not an envelope, or its schema rejects it); null when it can */
  unreadable: string | null;
  problems: string[];
}

/** One stored result (or its absence) for the area builders, parsed with its kind's schema. */
export function inputOf<K extends ResultKind>(kind: K, stored: StoredResult | UnreadableLike | null | undefined): Input<K> {
  if (stored === null || stored === undefined) return { kind, present: false, ok: null, savedAt: null, result: null, unreadable: null, problems: [] };
  const unreadable = (why: string): Input<K> => ({ kind, present: true, ok: false, savedAt: typeof stored.savedAt === 'string' && stored.savedAt ? stored.savedAt : null, result: null, unreadable: why, problems: [`the stored result cannot be read: ${why}`] });
  if ('unreadable' in stored && typeof stored.unreadable === 'string') return unreadable(stored.unreadable);
  const env = StoredEnvelopeSchema.safeParse(stored);
  if (!env.success) return unreadable('not a stored result {kind, savedAt, ok, result}');
  const parsed = parseResult(kind, env.data.result);
  if (!parsed.ok) return unreadable(parsed.problem);
  return { kind, present: true, ok: env.data.ok, savedAt: env.data.savedAt, result: parsed.data, unreadable: null, problems: [] };
}
