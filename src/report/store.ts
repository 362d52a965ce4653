// Check results are kept as JSON files under .cutover/results/ (the latest of each kind), so
// `cutover report` and `cutover gate` can assemble them. Not in the target database: results
// carry worked examples, and erased data must not linger in the target's own tables.
import { mkdirSync, readFileSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import { boardSafe } from './board-safe.ts';

import { RESULT_KINDS, type ResultKind } from './kinds.ts';

export { RESULT_KINDS, type ResultKind };

export interface StoredResult<T = unknown> {
  kind: ResultKind;
  savedAt: string;
  ok: boolean;
  result: T;
}

export function resultsDir(): string {
  return path.resolve(process.env.CUTOVER_RESULTS_DIR ?? path.join(process.env.CUTOVER_HOME ?? '.cutover', 'results'));
}

export function saveResult<T>(kind: ResultKind, ok: boolean, result: T): StoredResult<T> {
  const dir = resultsDir();
  mkdirSync(dir, { recursive: true });
  // no personal data in the store: it feeds the board's report (src/report/board-safe.ts)
  const stored: StoredResult<T> = { kind, savedAt: new Date().toISOString(), ok, result: boardSafe(kind, result) };
  const file = path.join(dir, `${kind}.json`);
  writeFileSync(`${file}.tmp`, JSON.stringify(stored, null, 2));
  renameSync(`${file}.tmp`, file); // atomic: a reader never sees half a file
  return stored;
}

export function loadResult<T = unknown>(kind: ResultKind): StoredResult<T> | null {
  const file = path.join(resultsDir(), `${kind}.json`);
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as StoredResult<T>;
}

export function loadAllResults(): Partial<Record<ResultKind, StoredResult>> {
  const out: Partial<Record<ResultKind, StoredResult>> = {};
  for (const k of RESULT_KINDS) {
    const r = loadResult(k);
    if (r) out[k] = r;
  }
  return out;
}
