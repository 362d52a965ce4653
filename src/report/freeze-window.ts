// The report's freeze-window section: the deltas applied after the latest full run (their size by
// kind and the time to apply them), how they were verified (reconcile --delta, the targeted
// parity), whether that verification came after the latest delta, and the verdicts. Built from the
// target's freeze-window record (src/delta/store.ts): counts and timings only.
import type { FreezeWindow } from '../delta/store.ts';
import type { FreezeWindowArea, Light } from './schema.ts';

const KIND_OF: Record<keyof Omit<FreezeWindowArea['changes'], 'removed'>, string[]> = {
  inserts: ['insert'], updates: ['update'], deletions: ['delete'], logicalDeletions: ['flip_deleted'], logicalUndeletions: ['flip_live'],
  quarantined: ['quarantined'], unquarantined: ['resolved'], dependents: ['dependent'], auditAppended: ['audit'],
};

/**
 * The section, or null when no delta was applied after the latest full run. `runChanges`: the
 * change-tracking count the latest full run's result was bound to (null: no run result).
 */
export function freezeWindowArea(fw: FreezeWindow, runChanges: number | null): FreezeWindowArea | null {
  const applied = fw.applied.filter((a) => runChanges === null || (a.binding.state?.changes ?? 0) > runChanges);
  if (!applied.length) return null;
  const deltas = applied.flatMap((a) => a.deltas);
  const byKind: Record<string, number> = {};
  for (const d of deltas) for (const [k, v] of Object.entries(d.changes)) byKind[k] = (byKind[k] ?? 0) + v;
  const sumOf = (kinds: string[]) => kinds.reduce((a, k) => a + (byKind[k] ?? 0), 0);
  const changes = {
    ...(Object.fromEntries(Object.entries(KIND_OF).map(([name, kinds]) => [name, sumOf(kinds)])) as Omit<FreezeWindowArea['changes'], 'removed'>),
    removed: deltas.reduce((a, d) => a + d.removed, 0),
  };
  const last = Math.max(...applied.map((a) => a.binding.state?.changes ?? 0));
  const v = fw.verify;
  const vCurrent = Boolean(v && (v.before?.changes ?? -1) >= last);
  const p = fw.parity;
  const pCurrent = Boolean(p && (p.binding.state?.changes ?? -1) >= last);
  const applySeconds = applied.reduce((a, x) => a + x.seconds, 0);
  const verifySeconds = (vCurrent ? v!.seconds : 0) + (pCurrent ? p!.seconds : 0);
  const partial = deltas.filter((d) => d.status !== 'completed');
  const total = Object.values(changes).reduce((a, b) => a + b, 0) - changes.removed;
  let light: Light = 'green';
  let reason: string;
  if (partial.length) {
    light = 'red';
    reason = `delta not finished: ${partial.map((d) => d.pipeline).join(', ')} (run \`cutover run --delta\` again)`;
  } else if (vCurrent && !v!.ok) {
    light = 'red';
    reason = `reconcile --delta found ${v!.defects} defect(s) in ${v!.keys} changed key(s)`;
  } else if (pCurrent && !p!.ok) {
    light = 'red';
    reason = `the targeted parity replay is not at parity (${p!.replayed} queries replayed)`;
  } else if (!vCurrent) {
    light = 'amber';
    reason = v ? 'reconcile --delta was taken before the latest delta: run it again' : 'the delta is not verified: run `cutover reconcile --delta`';
  } else {
    reason = `${total.toLocaleString('en-GB')} change(s) applied in ${applySeconds.toFixed(1)} s and verified in ${verifySeconds.toFixed(1)} s${pCurrent ? '' : ' (no targeted parity replay after it)'}`;
  }
  return {
    title: 'Freeze window', light, reason,
    deltas: deltas.map((d) => ({ pipeline: d.pipeline, runId: d.runId, status: d.status, endedAt: d.endedAt, seconds: d.seconds, changes: d.changes })),
    changes,
    applySeconds,
    verify: {
      ran: Boolean(v), current: vCurrent, ok: v ? v.ok : null, keys: v?.keys ?? null, defects: v?.defects ?? null, seconds: v?.seconds ?? null,
      carried: Boolean(v?.carried && vCurrent), reason: v?.carryReason ?? null,
    },
    parity: { ran: Boolean(p), current: pCurrent, ok: p ? p.ok : null, workload: p?.workload ?? null, replayed: p?.replayed ?? null, seconds: p?.seconds ?? null },
    verifySeconds,
    windowSeconds: applySeconds + verifySeconds,
  };
}

/** The section in summary.md. */
export function freezeWindowMarkdown(f: FreezeWindowArea | undefined, md: (v: unknown) => string): string[] {
  if (!f) return [];
  const c = f.changes;
  const verdict = (ran: boolean, current: boolean, ok: boolean | null) => (!ran ? 'not run' : !current ? 'taken before the latest delta' : ok ? 'clean' : '**DEFECTS**');
  return [
    '', `**Freeze window:** ${md(f.reason)}`, '',
    '| Measure | Value |', '|---|---|',
    `| Inserts / updates / deletions | ${c.inserts} / ${c.updates} / ${c.deletions} |`,
    `| Logical-deletion flips (deleted / undeleted) | ${c.logicalDeletions} / ${c.logicalUndeletions} |`,
    `| Quarantined / unquarantined | ${c.quarantined} / ${c.unquarantined} |`,
    `| Audit entries appended | ${c.auditAppended} |`,
    `| Records re-derived (links) / removed | ${c.dependents} / ${c.removed} |`,
    `| Time to apply | ${f.applySeconds.toFixed(1)} s |`,
    `| Time to verify | ${f.verifySeconds.toFixed(1)} s |`,
    `| reconcile --delta | ${verdict(f.verify.ran, f.verify.current, f.verify.ok)}${f.verify.keys !== null ? ` (${f.verify.keys} keys)` : ''} |`,
    `| Targeted parity | ${verdict(f.parity.ran, f.parity.current, f.parity.ok)}${f.parity.replayed !== null ? ` (${f.parity.replayed} of ${f.parity.workload} queries replayed)` : ''} |`,
  ];
}
