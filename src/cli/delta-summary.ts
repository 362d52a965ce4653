// What `cutover run --delta` prints and stores for the report's freeze-window section.
import { loadResult, saveResult } from '../report/store.ts';
import type { DeltaResult } from '../delta/index.ts';

export interface StoredDelta {
  deltas: DeltaResult[];
}

/** Keep the latest delta of each pipeline for the report (and the gate: checks taken before it are stale). */
export function rememberDelta(results: DeltaResult[]) {
  const prev = loadResult<StoredDelta>('delta')?.result.deltas ?? [];
  const byName = new Map(prev.map((r) => [r.pipeline, r]));
  for (const r of results) byName.set(r.pipeline, r);
  const deltas = [...byName.values()];
  saveResult('delta', deltas.every((r) => r.status === 'completed'), { deltas });
}

export function printDeltaSummary(results: DeltaResult[]) {
  for (const r of results) {
    console.log(`${r.pipeline}: delta ${r.status}${r.resumed ? ' (continued)' : ''} (run #${r.runId}) in ${r.seconds.toFixed(1)} s; ${r.removed} record(s) removed from the target`);
    for (const s of r.steps) {
      const kinds = Object.entries(s.changes).map(([k, v]) => `${k} ${v.toLocaleString('en-GB')}`).join(', ');
      console.log(`  ${s.step.padEnd(28)} ${kinds || 'no changes'}  (${s.seconds.toFixed(1)} s)`);
    }
  }
}
