// Reading stored results for the report's area builders: each result parsed with its check's own
// schema (result-schemas.ts) into `Input<K>`. A result that does not parse is unreadable, and its
// area says so: nothing is guessed from it, and no count of it is read as 0.
import { z } from 'zod';
import type { ResultKind, StoredResult } from './store.ts';
import { parseResult, type ResultOf } from './result-schemas.ts';

/** The stored envelope `{kind, savedAt, ok, result}` (the binding is judged elsewhere: freshness.ts). */
const StoredEnvelopeSchema = z.looseObject({ kind: z.string(), savedAt: z.string(), ok: z.boolean(), result: z.unknown() });

/** What loadStoredResults passes on for a file that cannot be read. */
type UnreadableLike = { savedAt?: unknown; unreadable: string };

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
