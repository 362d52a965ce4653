// The freeze window's figures, kept beside the other check results (.cutover/results/delta.json):
// the latest delta of each pipeline and the latest `reconcile --delta`. The report's freeze-window
// section is read from here.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resultsDir } from '../report/store.ts';
import type { DeltaResult } from './run.ts';
import type { DeltaReconcileResult } from '../reconcile/delta.ts';

export interface FreezeWindowRecord {
  deltas: DeltaResult[];
  /** the latest `cutover reconcile --delta`, with when it was saved */
  verify: (DeltaReconcileResult & { savedAt: string }) | null;
}

const file = () => path.join(resultsDir(), 'delta.json');

export function loadFreezeWindow(): FreezeWindowRecord | null {
  const f = file();
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as FreezeWindowRecord) : null;
}

function save(r: FreezeWindowRecord) {
  mkdirSync(resultsDir(), { recursive: true });
  writeFileSync(`${file()}.tmp`, JSON.stringify(r, null, 2));
  renameSync(`${file()}.tmp`, file());
}

/** A new delta replaces its pipeline's previous one; the verification then predates it. */
export function rememberDeltas(results: DeltaResult[]) {
  const prev = loadFreezeWindow();
  const byName = new Map((prev?.deltas ?? []).map((r) => [r.pipeline, r]));
  for (const r of results) byName.set(r.pipeline, r);
  save({ deltas: [...byName.values()], verify: prev?.verify ?? null });
}

export function rememberDeltaVerify(v: DeltaReconcileResult) {
  const prev = loadFreezeWindow();
  save({ deltas: prev?.deltas ?? [], verify: { ...v, savedAt: new Date().toISOString() } });
}
