// Plain-text rendering of a ReconcileResult for the terminal (`cutover reconcile` without --json).
import type { ReconcileResult } from './types.ts';

const pad = (s: string | number, n: number) => String(s).padEnd(n);
const num = (n: number | null) => (n === null ? '?' : n.toLocaleString('en-GB'));

export function formatReconcile(r: ReconcileResult, maxProblems = 50): string {
  const out: string[] = [];
  out.push(`Reconciliation of ${r.pipelines.join(', ')}: ${r.ok ? 'PASSED' : 'FAILED'} in ${r.seconds.toFixed(1)} s`);
  const m = r.controlTotals.manifest;
  if (m) out.push(`  CRIMINT manifest: ${m.ok ? 'ok' : 'FAILED'}${m.files.length ? ` (${m.files.map((f) => `${f.file} ${num(f.actualRecords)}${f.ok ? '' : ' ✗'}`).join(', ')})` : ''}`);
  if (r.controlTotals.cris) out.push(`  CRIS rows now: ${r.controlTotals.cris.map((c) => `${c.entity} ${num(c.rows)}`).join(', ')}`);
  out.push('');
  out.push(`  ${pad('step', 28)}${pad('source', 11)}${pad('loaded', 11)}${pad('quar.', 8)}${pad('excl.', 8)}${pad('supers.', 9)}balance`);
  for (const c of r.controlTotals.conservation) {
    const t = c.target;
    out.push(`  ${pad(c.step, 28)}${pad(num(c.source), 11)}${pad(num(t.loaded), 11)}${pad(num(t.quarantined), 8)}${pad(num(t.excluded), 8)}${pad(num(t.superseded), 9)}${c.ok ? 'ok' : 'FAILED'}${t.erased ? `  (+ ${num(t.erased)} erased on the new platform)` : ''}${c.notes.length ? `  (${c.notes.join('; ')})` : ''}`);
  }
  out.push('');
  for (const e of r.entities) {
    const defects = e.tables.reduce((n, t) => n + t.missing.count + t.unexpected.count + t.lineageChanged.count + t.fields.reduce((a, f) => a + f.mismatches, 0), 0);
    out.push(`  ${pad(e.step, 28)}${e.ok ? 'ok    ' : 'FAILED'}  read ${num(e.outcomes.read)}, ${e.tables.map((t) => `${t.table} ${num(t.compared)}/${num(t.expected)}`).join(', ') || 'links only'}${defects ? `, ${defects} row defect(s)` : ''} (${e.seconds.toFixed(1)} s)`);
  }
  for (const l of r.links) {
    out.push(`  ${pad(`${l.step} → ${l.table.replace('record.', '')}`, 48)}${l.ok ? 'ok    ' : 'FAILED'}  ${num(l.present)} present, ${num(l.orphaned)} orphaned${l.erased ? `, ${num(l.erased)} erased` : ''} of ${num(l.expected)}`);
  }
  const s = r.summary;
  out.push('');
  out.push(`  missing ${s.missing}, unexpected ${s.unexpected}, mismatched fields ${s.mismatchedFields}, lineage changed ${s.lineageChanged}, ` +
    `outcome defects ${s.outcomeDefects}, link defects ${s.linkDefects}, profile differences ${s.profileDifferences}, ` +
    `conservation failures ${s.conservationFailures}, control total failures ${s.controlTotalFailures}, errors ${s.errors}`);
  if (r.problems.length) {
    out.push('');
    for (const p of r.problems.slice(0, maxProblems)) out.push(`  ✗ ${p}`);
    if (r.problems.length > maxProblems) out.push(`  … and ${r.problems.length - maxProblems} more (--json for all)`);
  }
  return out.join('\n');
}
