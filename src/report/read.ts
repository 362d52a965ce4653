// Lenient readers for stored results. The result shapes belong to other modules and may grow or
// shift a little; the report reads the subset it needs, tries the known spellings of a field, and
// records what it could not find instead of throwing. A field not found is null, never 0: the
// gate must not mistake "unknown" for "clean".
import { z } from 'zod';
import type { ResultKind, StoredResult } from './store.ts';

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The stored envelope `{kind, savedAt, ok, result}`; extra keys are kept. */
export const StoredEnvelopeSchema = z.looseObject({
  kind: z.string().optional(),
  savedAt: z.string().optional(),
  ok: z.boolean().optional(),
  result: z.unknown().optional(),
  /** set by loadStoredResults when the file cannot be parsed */
  unreadable: z.string().optional(),
});

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

export interface Input {
  kind: ResultKind;
  present: boolean;
  ok: boolean | null;
  savedAt: string | null;
  result: unknown;
  problems: string[];
}

/** Normalise one stored result (or its absence) for the area builders. */
export function inputOf(kind: ResultKind, stored: StoredResult | null | undefined): Input {
  if (stored === null || stored === undefined) return { kind, present: false, ok: null, savedAt: null, result: null, problems: [] };
  const env = StoredEnvelopeSchema.safeParse(stored);
  if (!env.success) return { kind, present: true, ok: false, savedAt: null, result: null, problems: ['the stored file is not a result envelope {kind, savedAt, ok, result}'] };
  const problems: string[] = [];
  if (typeof env.data.unreadable === 'string') return { kind, present: true, ok: false, savedAt: env.data.savedAt || null, result: null, problems: [`the stored result cannot be read: ${env.data.unreadable}`] };
  const ok = env.data.ok ?? bool(env.data.result, 'ok');
  if (ok === null) problems.push('no ok flag in the stored result');
  if (env.data.result === undefined || env.data.result === null) problems.push('the stored result is empty');
  return { kind, present: true, ok: ok ?? false, savedAt: env.data.savedAt ?? null, result: env.data.result ?? null, problems };
}
