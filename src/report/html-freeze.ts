// The freeze-window section of the board's report: how big the delta was, how long it took to
// apply and to verify, and the verdicts (the figures come from freeze-window.ts).
import type { FreezeWindowArea } from './schema.ts';
import { badge } from './html-areas.ts';
import { esc, n, table, when } from './html-util.ts';

const secs = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} s`);

function verdict(ran: boolean, current: boolean, ok: boolean | null): string {
  if (!ran) return '<strong>not run</strong>';
  if (!current) return '<strong class="bad">taken before the latest delta</strong>';
  return ok ? '<span class="fine"><span aria-hidden="true">✓</span> clean</span>' : '<strong class="bad"><span aria-hidden="true">✗</span> DEFECTS</strong>';
}

export function freezeWindowSection(f: FreezeWindowArea | undefined): string {
  if (!f) return '';
  const c = f.changes;
  const size: Array<[string, number]> = [
    ['Inserts', c.inserts], ['Updates', c.updates], ['Deletions (removed from the target, each logged)', c.deletions],
    ['Logical deletions (flag set)', c.logicalDeletions], ['Logical deletions undone (flag cleared)', c.logicalUndeletions],
    ['Quarantined (edited into an invalid state)', c.quarantined], ['Unquarantined (now valid, loaded)', c.unquarantined],
    ['Legacy audit entries appended', c.auditAppended], ['Records re-derived (a linked record changed)', c.dependents], ['Records removed from the target', c.removed],
  ];
  const sizeTable = table('Size of the delta by kind', [{ head: 'Kind', cell: (r) => esc(r[0]) }, { head: 'Records', cell: (r) => n(r[1]), num: true }], size);
  const deltas = table('Deltas applied after the full load', [
    { head: 'Pipeline', cell: (d) => esc(d.pipeline) }, { head: 'Run', cell: (d) => `#${esc(d.runId)}` }, { head: 'Status', cell: (d) => esc(d.status) },
    { head: 'Finished', cell: (d) => when(d.endedAt) }, { head: 'Seconds', cell: (d) => d.seconds.toFixed(1), num: true },
  ], f.deltas);
  const v = f.verify;
  const p = f.parity;
  return `<section class="area" aria-labelledby="area-freezeWindow"><h2 id="area-freezeWindow">${esc(f.title)} ${badge(f.light)}</h2>
<p class="reason">${esc(f.reason)}</p>
<p>Time to apply: <strong>${secs(f.applySeconds)}</strong>. Time to verify: <strong>${secs(f.verifySeconds)}</strong>. Freeze window (apply + verify): <strong>${secs(f.windowSeconds)}</strong>.</p>
<ul>
<li>Changed keys reconciled (<code>cutover reconcile --delta</code>): ${verdict(v.ran, v.current, v.ok)}${v.keys !== null ? `, ${n(v.keys)} keys, ${n(v.defects)} defects in ${secs(v.seconds)}` : ''}${v.current && v.reason ? `; ${esc(v.reason)}` : ''}.</li>
<li>Targeted search parity (<code>cutover parity --delta</code>): ${verdict(p.ran, p.current, p.ok)}${p.replayed !== null ? `, ${n(p.replayed)} of ${n(p.workload)} queries replayed in ${secs(p.seconds)}` : ''}.</li>
</ul>
${sizeTable}${deltas}</section>`;
}
