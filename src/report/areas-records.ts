// Areas built from the run and reconcile results: data completeness, field fidelity, data quality.
// They read the results as their schemas parse them (src/pipeline/stored.ts, src/reconcile/stored.ts,
// retention.ts): a result that does not parse is unreadable, and an area never reads it as clean.
import type { Areas, Light, StepT, KeyExampleT } from './schema.ts';
import { scrubMessage } from './board-safe.ts';
import type { Input } from './read.ts';
import type { RunStored, StoredRun } from '../pipeline/stored.ts';
import type { ReconcileStored, ReconcileStoredTable } from '../reconcile/stored.ts';
import type { ReconcileSummary } from '../reconcile/types.ts';

export const MAX_EXAMPLES = 25;

const total = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

/** The runs of a parsed 'run' result (none when not run or unreadable). */
export function runsOf(result: RunStored | null): StoredRun[] {
  return result?.runs ?? [];
}

const COUNTERS = ['read', 'loaded', 'quarantined', 'excluded', 'superseded', 'orphans'] as const;

/** Step counters over all runs, summed per pipeline and step (a resumed run adds to its predecessor). */
export function stepsOf(run: Input<'run'>): StepT[] {
  const byKey = new Map<string, StepT & { seconds: number }>();
  for (const r of runsOf(run.result)) {
    for (const s of r.steps) {
      const k = `${r.pipeline}\u0000${s.step}`;
      const cur = byKey.get(k);
      if (cur) {
        for (const f of COUNTERS) cur[f] += s[f];
        cur.seconds += s.seconds;
        cur.complete = s.complete;
        cur.sourceCount = s.sourceCount ?? cur.sourceCount;
      } else {
        byKey.set(k, {
          pipeline: r.pipeline, step: s.step, entity: s.entity, sourceCount: s.sourceCount,
          read: s.read, loaded: s.loaded, quarantined: s.quarantined, excluded: s.excluded, superseded: s.superseded, orphans: s.orphans,
          complete: s.complete, seconds: s.seconds, conserved: true,
        });
      }
    }
  }
  const steps = [...byKey.values()];
  for (const s of steps) s.conserved = s.read === s.loaded + s.quarantined + s.excluded + s.superseded;
  return steps;
}

function warningsOf(run: Input<'run'>): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of runsOf(run.result)) {
    for (const s of r.steps) for (const [code, n] of Object.entries(s.warnings)) out.set(code, (out.get(code) ?? 0) + n);
  }
  return out;
}

/** Reconcile tables: each entity's target tables, named `SYSTEM entity → table`. */
function tablesOf(r: ReconcileStored | null): Array<{ name: string; system: string; t: ReconcileStoredTable }> {
  return (r?.entities ?? []).flatMap((e) => e.tables.map((t) => ({ name: `${e.system} ${e.entity} → ${t.table}`, system: e.system, t })));
}

/** Why a stored input cannot be read, for an area's reason; null when every one can. */
function unreadableOf(...inputs: Input[]): string | null {
  const bad = inputs.filter((i) => i.unreadable !== null);
  if (bad.length === 0) return null;
  const kinds = bad.map((i) => i.kind);
  const named = kinds.length > 1 ? `${kinds.slice(0, -1).join(', ')} and ${kinds[kinds.length - 1]} results` : `${kinds[0]} result`;
  return `the stored ${named} cannot be read (${bad.map((i) => i.unreadable).join('; ')})`;
}

/** Reconciliation counters that are completeness defects (field mismatches belong to fidelity). */
const DEFECT_NAMES = {
  lineageChanged: 'lineage changed',
  outcomeDefects: 'outcome defects',
  linkDefects: 'link defects',
  conservationFailures: 'conservation failures',
  controlTotalFailures: 'control total failures',
  errors: 'entities not compared (errors)',
} as const satisfies Partial<Record<keyof ReconcileSummary, string>>;

export function completenessArea(run: Input<'run'>, reconcile: Input<'reconcile'>): Areas['completeness'] {
  const steps = stepsOf(run);
  const totals = {
    read: total(steps.map((s) => s.read)), loaded: total(steps.map((s) => s.loaded)), quarantined: total(steps.map((s) => s.quarantined)),
    excluded: total(steps.map((s) => s.excluded)), superseded: total(steps.map((s) => s.superseded)), orphans: total(steps.map((s) => s.orphans)),
  };
  const violations = steps.filter((s) => !s.conserved).map((s) => ({ pipeline: s.pipeline, step: s.step, read: s.read, accounted: s.loaded + s.quarantined + s.excluded + s.superseded }));
  const r = reconcile.result;
  const conservationList = r?.controlTotals.conservation ?? [];
  // a step whose source count is not available is not balanced, but has no count to show as read
  const sourceUnknown = conservationList.filter((c) => !c.balanced && c.source === null);
  for (const c of conservationList) {
    if (!c.balanced && c.source !== null) violations.push({ pipeline: c.pipeline, step: `${c.step} (target tables)`, read: c.source, accounted: c.target.total });
  }
  const tables = tablesOf(r);
  const missingEx: KeyExampleT[] = [];
  const unexpectedEx: KeyExampleT[] = [];
  const room = (xs: KeyExampleT[]) => xs.length < MAX_EXAMPLES;
  for (const { name, system, t } of tables) {
    for (const x of t.missing.examples) if (room(missingEx)) missingEx.push({ system, entity: name, key: x.key, detail: x.reason });
    for (const x of t.unexpected.examples) if (room(unexpectedEx)) unexpectedEx.push({ system, entity: name, key: x.key, detail: x.reason });
  }
  for (const u of r?.untraced ?? []) {
    for (const x of u.examples) if (room(unexpectedEx)) unexpectedEx.push({ system: null, entity: u.table, key: x, detail: u.reason });
  }
  for (const e of r?.entities ?? []) {
    for (const x of e.outcomes.unaccounted.examples) if (room(missingEx)) missingEx.push({ system: e.system, entity: `${e.system} ${e.entity}`, key: x.key, detail: `no outcome recorded (expected ${x.expected})` });
  }
  const missingCount = r ? r.summary.missing : null;
  const unexpectedCount = r ? r.summary.unexpected : null;

  const links = (r?.links ?? []).map((l) => ({
    name: `${l.step} ${l.table}`, source: l.expected, target: l.target,
    missing: l.missing.count, unexpected: l.unexpected.count, orphans: l.orphaned, ok: l.ok,
  }));
  const controlTotals = [
    ...(r?.controlTotals.manifest?.files ?? []).map((f) => ({ name: `manifest ${f.file}`, source: f.expectedRecords, target: f.actualRecords, ok: f.ok })),
    ...conservationList.map((c) => ({ name: `${c.pipeline} ${c.step}`, source: c.source, target: c.target.total, ok: c.balanced })),
  ];
  // the reconciliation's own summary counters, as it gives them
  const counters: Record<string, number> = {};
  if (r) for (const [k, v] of Object.entries(r.summary)) if (typeof v === 'number') counters[k] = v;

  const defects = r ? (Object.keys(DEFECT_NAMES) as Array<keyof typeof DEFECT_NAMES>).filter((k) => r.summary[k] > 0).map((k) => [k, r.summary[k]] as const) : [];
  const fidelityExplains = r !== null && r.summary.mismatchedFields + r.summary.profileDifferences > 0;
  const unreadable = unreadableOf(run, reconcile);
  let light: Light;
  let reason: string;
  if (!run.present && !reconcile.present) [light, reason] = ['grey', 'not run: no migration run and no reconciliation stored'];
  else if (unreadable) [light, reason] = ['red', unreadable];
  else if (violations.length) [light, reason] = ['red', `conservation broken in ${plural(violations.length, 'step')}: read ≠ loaded + quarantined + excluded + superseded`];
  else if (sourceUnknown.length) [light, reason] = ['red', `conservation not shown for ${plural(sourceUnknown.length, 'step')}: the source count is not available (${sourceUnknown.map((c) => c.step).join(', ')})`];
  else if ((missingCount ?? 0) > 0 || (unexpectedCount ?? 0) > 0) [light, reason] = ['red', [missingCount ? `${plural(missingCount, 'record')} missing from the target` : '', unexpectedCount ? `${plural(unexpectedCount, 'unexpected record')} in the target` : ''].filter(Boolean).join('; ')];
  else if (defects.length) [light, reason] = ['red', `reconciliation defects: ${defects.map(([k, n]) => `${fmt(n)} ${DEFECT_NAMES[k]}`).join(', ')}`];
  else if (r && reconcile.ok === false && !fidelityExplains) [light, reason] = ['red', `the reconciliation failed: ${r.problems[0] === undefined ? 'see the details' : scrubMessage(r.problems[0])}`];
  else if (!reconcile.present) [light, reason] = ['amber', `records conserved in ${plural(steps.length, 'step')}; reconciliation not run`];
  else if (!run.present) [light, reason] = ['amber', 'reconciliation clean; the migration run result is not stored'];
  else {
    const incomplete = steps.filter((s) => s.complete === false);
    if (incomplete.length) [light, reason] = ['amber', `${plural(incomplete.length, 'step')} not complete (partial run)`];
    else [light, reason] = ['green', `${fmt(totals.read)} records read, every one accounted for; nothing missing or unexpected`];
  }
  // unknown while the run result cannot be read: the reconciliation's target tables stand in only for a run without step counters
  const conservationKnown = run.unreadable === null && (run.result !== null || conservationList.length > 0);
  return {
    title: 'Data completeness', light, reason, inputs: ['run', 'reconcile'],
    conservation: { ok: conservationKnown ? violations.length === 0 && sourceUnknown.length === 0 : null, violations },
    runs: runsOf(run.result).map((x) => ({ pipeline: x.pipeline, runId: x.runId, status: x.status, source: x.source, startedAt: x.startedAt, endedAt: x.endedAt, seconds: x.seconds })),
    steps, totals,
    entities: tables.map(({ name, t }) => ({
      entity: name, source: t.expected, target: t.target, missing: t.missing.count, unexpected: t.unexpected.count,
      // no fields compared: no mismatch count
      mismatched: t.fields.length ? total(t.fields.map((f) => f.mismatches)) : null,
    })),
    controlTotals, links,
    missing: { count: missingCount, examples: missingEx },
    unexpected: { count: unexpectedCount, examples: unexpectedEx },
    untraced: (r?.untraced ?? []).map((u) => ({ table: u.table, reason: u.reason, count: u.count, examples: u.examples.slice(0, MAX_EXAMPLES) })),
    reconcileCounts: counters,
    problems: (r?.problems ?? []).slice(0, 50).map((p) => scrubMessage(p)), // lines may quote values
  };
}

export function fidelityArea(reconcile: Input<'reconcile'>): Areas['fidelity'] {
  const r = reconcile.result;
  const tables = tablesOf(r);
  const fields: Areas['fidelity']['fields'] = [];
  const examples: Areas['fidelity']['examples'] = [];
  const profileDifferences: Areas['fidelity']['profileDifferences'] = [];
  for (const { name, t } of tables) {
    for (const f of t.fields) {
      fields.push({ entity: name, field: f.column, compared: t.compared, mismatched: f.mismatches, rate: t.compared ? f.mismatches / t.compared : null });
      for (const x of f.examples) {
        if (examples.length >= MAX_EXAMPLES * 4) break;
        examples.push({ entity: name, field: f.column, key: x.key }); // the key and the field: values stay in the source and the target
      }
    }
    for (const p of t.profiles) if (p.differs.length) profileDifferences.push({ entity: name, column: p.column, from: p.from, differs: p.differs });
  }
  const mismatchedValues = r ? r.summary.mismatchedFields : null;
  const compared = r ? total(tables.map(({ t }) => t.compared)) : null;
  const unreadable = unreadableOf(reconcile);
  let light: Light;
  let reason: string;
  if (!reconcile.present) [light, reason] = ['grey', 'not run: no reconciliation stored'];
  else if (unreadable) [light, reason] = ['red', unreadable];
  else if ((mismatchedValues ?? 0) > 0) {
    const worst = [...fields].sort((a, b) => b.mismatched - a.mismatched)[0];
    [light, reason] = ['red', `${plural(mismatchedValues!, 'field value')} ${mismatchedValues === 1 ? 'differs' : 'differ'}${worst ? `; most in ${worst.entity}.${worst.field} (${fmt(worst.mismatched)})` : ''}`];
  } else if (fields.length === 0) [light, reason] = ['amber', 'the reconciliation compared no fields'];
  else if (profileDifferences.length) [light, reason] = ['amber', `every compared value matches; ${plural(profileDifferences.length, 'column profile')} differ`];
  else [light, reason] = ['green', `${fmt(compared ?? 0)} records compared on ${fields.length} fields; every value matches`];
  return {
    title: 'Field fidelity', light, reason, inputs: ['reconcile'],
    compared, mismatchedRecords: null, mismatchedValues, fields, examples, profileDifferences,
  };
}

/** A MoPI group as the report names it (records with no group are counted too). */
const groupName = (group: number | null): string => (group === null ? 'none' : String(group));

export function dataQualityArea(run: Input<'run'>, reconcile: Input<'reconcile'>, retention: Input<'retention'>, maxQuarantineShare: number): Areas['dataQuality'] {
  const steps = stepsOf(run);
  let read = total(steps.map((s) => s.read));
  let quarantined = total(steps.map((s) => s.quarantined));
  if (steps.length === 0 && reconcile.result) {
    // no run counters (not run, or an "already complete" re-run): the reconciliation's outcome counts (from the target tables) stand in
    read = total(reconcile.result.entities.map((e) => e.outcomes.read));
    quarantined = total(reconcile.result.entities.map((e) => e.outcomes.quarantined));
  }
  const warnings = [...warningsOf(run)].map(([code, n]) => ({ code, count: n })).sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1));
  const warningTotal = total(warnings.map((w) => w.count));
  const share = read > 0 ? quarantined / read : null;
  const orphanSteps = steps.filter((s) => s.orphans > 0).map((s) => ({ step: s.step, entity: s.entity, orphans: s.orphans }));
  const orphanTotal = total(steps.map((s) => s.orphans));

  const ret = retention.result;
  const groups = (ret?.groups ?? []).map((g) => ({ group: groupName(g.group), records: g.records, overdue: g.overdue }));
  const overdueTotal = ret ? ret.overdueTotal : null;

  const unreadable = unreadableOf(run, reconcile, retention);
  let light: Light;
  let reason: string;
  const bits: string[] = [];
  if (warningTotal) bits.push(`${plural(warningTotal, 'warning')} in ${plural(warnings.length, 'code')}`);
  if (orphanTotal) bits.push(`${plural(orphanTotal, 'orphan link')}`);
  if (overdueTotal) bits.push(`${plural(overdueTotal, 'record')} past MoPI review`);
  const shareText = share === null ? 'no records read' : `quarantine ${pct(share)}`;
  if (!run.present && !reconcile.present && !retention.present) [light, reason] = ['grey', 'not run: no migration run stored'];
  else if (unreadable) [light, reason] = ['red', unreadable];
  else if (share !== null && share > maxQuarantineShare) [light, reason] = ['red', `${shareText} of records, over the ${pct(maxQuarantineShare)} limit`];
  else if (bits.length || quarantined > 0) [light, reason] = ['amber', [shareText, ...bits].join('; ')];
  else if (!retention.present) [light, reason] = ['amber', `${shareText}; no warnings; retention backlog not run`];
  else [light, reason] = ['green', `${shareText}; no warnings, orphans or overdue reviews`];
  return {
    title: 'Data quality', light, reason, inputs: ['run', 'retention'],
    warnings, warningTotal,
    quarantine: { read, quarantined, share, threshold: maxQuarantineShare },
    // the run result counts quarantined records per step, not per reason
    quarantineByReason: [],
    orphans: { total: orphanTotal, bySteps: orphanSteps },
    retention: { ran: retention.present, asOf: ret?.asOf ?? null, overdueTotal, groups },
  };
}

export const fmt = (n: number): string => n.toLocaleString('en-GB');
export const plural = (n: number, one: string, many = `${one}s`): string => `${fmt(n)} ${n === 1 ? one : many}`;
export const pct = (x: number): string => {
  const p = x * 100;
  return `${p === 0 ? '0' : p < 0.01 ? '<0.01' : p < 10 ? p.toFixed(2).replace(/\.?0+$/, '') : p.toFixed(1).replace(/\.0$/, '')}%`;
};
