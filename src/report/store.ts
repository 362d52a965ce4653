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

export function saveResult<T>(binding: Binding, kind: ResultKind, ok: boolean, result: T): StoredResult<T> {
  const dir = targetResultsDir(binding.targetId);
  mkdirSync(dir, { recursive: true });
  // no personal data in the store: it feeds the board's report (src/report/board-safe.ts)
  const stored: StoredResult<T> = { kind, savedAt: new Date().toISOString(), ok, binding, result: boardSafe(kind, result) };
  writeAtomic(path.join(dir, `${kind}.json`), JSON.stringify(stored, null, 2));
  return stored;
}

/** The stored result of one kind for one target, as JSON (throws when the file is not JSON). */
export function loadResult<T = unknown>(kind: ResultKind, targetId: string): StoredResult<T> | null {
  const file = path.join(targetResultsDir(targetId), `${kind}.json`);
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as StoredResult<T>;
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
