// Check results are kept as JSON files under .cutover/results/<target-id>/<kind>.json (the latest of
// each kind per target), so `cutover report` and `cutover gate` can assemble the results of the
// target they run against, and only those. Each result carries its binding: the target it was
// taken on, the target's change-tracking state then, the sources it read and the audit chain's
// head. Not in the target database: results carry worked examples, and erased data must not
// linger in the target's own tables.
import { mkdirSync, readFileSync, writeFileSync, existsSync, renameSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { boardSafe } from './board-safe.ts';
import { z } from 'zod';
import { AuditHeadSchema, SourceIdentitySchema, TargetIdentitySchema, TargetStateSchema, type AuditHead, type SourceIdentity, type TargetNow } from './target.ts';

import { RESULT_KINDS, type ResultKind } from './kinds.ts';
import { parseResult, type ResultOf } from './result-schemas.ts';

export { RESULT_KINDS, type ResultKind };

export const BindingSchema = z.strictObject({
  target: TargetIdentitySchema,
  targetId: z.string(),
  /** the target's change-tracking state when the result was taken (after the check's own writes); null: no tracking */
  state: TargetStateSchema.nullable(),
  /** the audit chain's head then (the last row of audit.event) */
  auditHead: AuditHeadSchema.nullable(),
  sources: z.array(SourceIdentitySchema),
  takenAt: z.string(),
});
export type Binding = z.output<typeof BindingSchema>;

export interface StoredResult<T = unknown> {
  kind: ResultKind;
  savedAt: string;
  ok: boolean;
  /** absent in results stored before results were bound to a target: such results count as not run */
  binding?: Binding;
  result: T;
}

export type StoredResults = Partial<Record<ResultKind, StoredResult | null>>;

/** The envelope every stored result has; its `result` is parsed with the kind's own schema (result-schemas.ts). */
const EnvelopeSchema = z.strictObject({
  kind: z.enum(RESULT_KINDS),
  savedAt: z.string(),
  ok: z.boolean(),
  binding: BindingSchema.optional(),
  result: z.unknown(),
});

/** A stored result that cannot be read as its kind: not JSON, not an envelope, or a result its schema rejects. */
export class UnreadableResultError extends Error {
  constructor(readonly kind: ResultKind, readonly file: string, readonly problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'UnreadableResultError';
  }
}

/** Parse a stored result of `kind` (a file's JSON) with its envelope and its kind's schema; throws UnreadableResultError. */
export function parseStored<K extends ResultKind>(kind: K, json: unknown, file = `${kind}.json`): StoredResult<ResultOf<K>> {
  const env = EnvelopeSchema.safeParse(json);
  if (!env.success) {
    const i = env.error.issues[0]!;
    throw new UnreadableResultError(kind, file, `not a stored result {kind, savedAt, ok, binding, result}: ${i.path.join('.') || '(the file)'}: ${i.message}`);
  }
  if (env.data.kind !== kind) throw new UnreadableResultError(kind, file, `holds a ${env.data.kind} result, not ${kind}`);
  const parsed = parseResult(kind, env.data.result);
  if (!parsed.ok) throw new UnreadableResultError(kind, file, parsed.problem);
  return { ...env.data, kind, result: parsed.data };
}

export function resultsDir(): string {
  return path.resolve(process.env.CUTOVER_RESULTS_DIR ?? path.join(process.env.CUTOVER_HOME ?? '.cutover', 'results'));
}

export function targetResultsDir(targetId: string): string {
  return path.join(resultsDir(), targetId);
}

/** The binding of a result taken now on `target` (its state as given: read before a read-only check, after a writing one). */
export function bindingOf(target: TargetNow, sources: SourceIdentity[] = []): Binding {
  return { target: target.identity, targetId: target.id, state: target.state, auditHead: target.auditHead, sources, takenAt: new Date().toISOString() };
}

function writeAtomic(file: string, text: string) {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file); // atomic: a reader never sees half a file
}

/**
 * Keep a check's result for its target. What is written is what a reader will parse: the
 * board-safe result as JSON, checked against its kind's schema first (a check whose result does not
 * fit its own schema is a defect, and is reported here rather than as an unreadable result later).
 */
export function saveResult<K extends ResultKind>(binding: Binding, kind: K, ok: boolean, result: unknown): StoredResult<ResultOf<K>> {
  const dir = targetResultsDir(binding.targetId);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${kind}.json`);
  // no personal data in the store: it feeds the board's report (src/report/board-safe.ts)
  const text = JSON.stringify({ kind, savedAt: new Date().toISOString(), ok, binding, result: boardSafe(kind, result) }, null, 2);
  let stored: StoredResult<ResultOf<K>>;
  try {
    stored = parseStored(kind, JSON.parse(text), file);
  } catch (err) {
    throw new Error(`internal: the ${kind} result does not fit its own schema, so it is not stored (${(err as UnreadableResultError).problem})`);
  }
  writeAtomic(file, text);
  return stored;
}

/** The stored result of one kind for one target, parsed with its schema; null when there is none. Throws UnreadableResultError. */
export function loadResult<K extends ResultKind>(kind: K, targetId: string): StoredResult<ResultOf<K>> | null {
  const file = path.join(targetResultsDir(targetId), `${kind}.json`);
  if (!existsSync(file)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UnreadableResultError(kind, file, `not JSON: ${(err as Error).message}`);
  }
  return parseStored(kind, json, file);
}

/**
 * The stored result of one kind for one target, or why it cannot be read (`unreadable`): for the
 * callers that go on without it (the report, a carry-forward, the next run's record). An I/O
 * failure is not a verdict on the result: it still throws.
 */
export function loadReadable<K extends ResultKind>(kind: K, targetId: string): { stored: StoredResult<ResultOf<K>> | null; unreadable: string | null } {
  try {
    return { stored: loadResult(kind, targetId), unreadable: null };
  } catch (err) {
    if (!(err instanceof UnreadableResultError)) throw err;
    return { stored: null, unreadable: err.message };
  }
}

/** Forget a target's current results (its rehearsal history stays). */
export function clearResults(targetId: string): void {
  for (const k of RESULT_KINDS) rmSync(path.join(targetResultsDir(targetId), `${k}.json`), { force: true });
}

/** Other targets that hold a result of this kind in the store (for "a result of another target is on file"). */
export function otherTargetsWith(kind: ResultKind, targetId: string): string[] {
  const root = resultsDir();
  if (!existsSync(root)) return [];
  const out: string[] = [];
  for (const d of readdirSync(root, { withFileTypes: true })) {
    if (d.isDirectory() && d.name !== targetId && existsSync(path.join(root, d.name, `${kind}.json`))) out.push(d.name);
  }
  if (existsSync(path.join(root, `${kind}.json`))) out.push('(unbound: stored by an older version)');
  return out;
}

/** The audit chain head a stored result recorded (for audit-chain anchors), or null. */
export function auditHeadOf(stored: Pick<StoredResult, 'binding'> | null | undefined): AuditHead | null {
  const head = stored?.binding?.auditHead;
  return head ? AuditHeadSchema.parse(head) : null;
}
