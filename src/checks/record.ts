// How a check keeps its result bound to the target (src/report/store.ts, issue 14). A read-only
// check reads the target's state before it reads anything, so a change committed while it runs
// leaves it stale; a check or action that writes (a run, an erasure, a subject-access answer
// logged as a disclosure) is bound to the state after its own writes.
import { readTarget, sourceIdentities } from '../report/target.ts';
import { bindingOf, saveResult, type ResultKind, type StoredResult } from '../report/store.ts';
import type { ResultOf } from '../report/result-schemas.ts';

export interface CheckRecorder {
  /** keep a read-only check's result, bound to the state before it ran */
  save<K extends ResultKind>(kind: K, ok: boolean, result: unknown): StoredResult<ResultOf<K>>;
  /** keep the result of a check or action that wrote to the target, bound to the state after its writes */
  saveAfterWrite<K extends ResultKind>(kind: K, ok: boolean, result: unknown): Promise<StoredResult<ResultOf<K>>>;
}

export interface CheckSources { crisUrl?: string; crimintDir?: string }

/** Call before the check reads anything. `sources`: the legacy sources the check reads (recorded, passwords masked). */
export async function beginCheck(databaseUrl: string, sources: CheckSources = {}): Promise<CheckRecorder> {
  const before = await readTarget(databaseUrl);
  const read = sourceIdentities(sources);
  return {
    save: (kind, ok, result) => saveResult(bindingOf(before, read), kind, ok, result),
    saveAfterWrite: async (kind, ok, result) => saveResult(bindingOf(await readTarget(databaseUrl), read), kind, ok, result),
  };
}
