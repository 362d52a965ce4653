// What `cutover run --delta` prints and stores for the report's freeze-window section.
import type { DeltaResult } from '../delta/index.ts';
import type { DeltaReconcileResult } from '../reconcile/delta.ts';
import type { DeltaVerify } from '../delta/store.ts';
import type { ParityDeltaResult } from '../delta/parity.ts';
import type { ParityResult } from '../parity/runner.ts';

export function printDeltaSummary(results: DeltaResult[]) {
  for (const r of results) {
    console.log(`${r.pipeline}: delta ${r.status}${r.resumed ? ' (continued)' : ''} (run #${r.runId}) in ${r.seconds.toFixed(1)} s; ${r.removed} record(s) removed from the target`);
    for (const s of r.steps) {
      const kinds = Object.entries(s.changes).map(([k, v]) => `${k} ${v.toLocaleString('en-GB')}`).join(', ');
      console.log(`  ${s.step.padEnd(28)} ${kinds || 'no changes'}  (${s.seconds.toFixed(1)} s)`);
    }
  }
}

export function printDeltaReconcile(r: DeltaReconcileResult, v?: DeltaVerify) {
  console.log(`reconcile --delta: ${r.ok ? 'clean' : 'DIFFERENCES'} — ${r.keys.toLocaleString('en-GB')} changed key(s) of ${r.runs.length} delta run(s) compared in ${r.seconds.toFixed(1)} s; control totals over every record`);
  for (const s of r.steps) {
    console.log(`  ${s.step.padEnd(28)} ${String(s.keys).padStart(7)} keys  ${s.compared.rows} rows  ${s.compared.links} links  ${s.ok ? 'ok' : `${s.defects} defect(s)`}`);
    for (const e of s.examples.slice(0, 5)) console.log(`      ${e.problem} ${e.key}: ${e.detail}`);
  }
  for (const c of r.conservation.filter((x) => !x.ok)) console.log(`  conservation ${c.step}: source ${c.source} ≠ target ${c.target.total}`);
  if (r.manifest && !r.manifest.ok) console.log(`  CRIMINT manifest does not match: ${r.manifest.error ?? r.manifest.files.filter((f) => !f.ok).map((f) => f.file).join(', ')}`);
  if (v) console.log(v.carried ? `  ${v.carryReason}: the reconcile result is current again` : `  the full reconciliation is not carried forward: ${v.carryReason}; run \`cutover reconcile\` for a current result`);
}

export function printDeltaParity(d: ParityDeltaResult, printParity: (r: ParityResult) => void) {
  const sel = d.parity.selection;
  console.log(`parity --delta: ${sel?.replayed ?? 0} of ${sel?.workload ?? 0} queries replayed (their answers can hold one of ${d.changedKeys.toLocaleString('en-GB')} changed key(s) of ${d.runs.length} delta run(s), or a record linked to one)`);
  printParity({ ...d.parity, capabilities: d.parity.capabilities.filter((c) => c.queries > 0) });
  console.log(d.carried ? `  ${d.carryReason}: the parity result is current again` : `  the full parity is not carried forward: ${d.carryReason}; run \`cutover parity\` for a current result`);
}
