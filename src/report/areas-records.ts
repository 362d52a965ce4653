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
const DEFECT_KEYS = Object.keys(DEFECT_NAMES) as Array<keyof typeof DEFECT_NAMES>;

type Completeness = Areas['completeness'];
type Violation = Completeness['conservation']['violations'][number];

/** The run's counters summed over every step. */
function totalsOf(steps: StepT[]): Completeness['totals'] {
  const sum = (f: (typeof COUNTERS)[number]) => total(steps.map((s) => s[f]));
  return { read: sum('read'), loaded: sum('loaded'), quarantined: sum('quarantined'), excluded: sum('excluded'), superseded: sum('superseded'), orphans: sum('orphans') };
}

/**
 * Conservation, from the run's step counters and the reconciliation's own check on the target tables.
 * `sourceUnknown` names the steps the reconciliation could not balance for want of a source count.
 */
function conservationOf(run: Input<'run'>, steps: StepT[], r: ReconcileStored | null): { conservation: Completeness['conservation']; sourceUnknown: string[] } {
  const checked = r?.controlTotals.conservation ?? [];
  const violations: Violation[] = [
    ...steps.filter((s) => !s.conserved).map((s) => ({ pipeline: s.pipeline, step: s.step, read: s.read, accounted: s.loaded + s.quarantined + s.excluded + s.superseded })),
    ...checked.flatMap((c) => (!c.balanced && c.source !== null ? [{ pipeline: c.pipeline, step: `${c.step} (target tables)`, read: c.source, accounted: c.target.total }] : [])),
  ];
  // a step whose source count is not available is not balanced, but has no count to show as read
  const sourceUnknown = checked.filter((c) => !c.balanced && c.source === null).map((c) => c.step);
  // unknown while the run result cannot be read: the reconciliation's target tables stand in only for a run without step counters
  const known = run.unreadable === null && (run.result !== null || checked.length > 0);
  return { conservation: { ok: known ? violations.length === 0 && sourceUnknown.length === 0 : null, violations }, sourceUnknown };
}

type ReconcileTables = ReturnType<typeof tablesOf>;

/** Examples of records expected in the target and not there: per table, then source records with no outcome. */
function missingExamples(r: ReconcileStored | null, tables: ReconcileTables): KeyExampleT[] {
  return [
    ...tables.flatMap(({ name, system, t }) => t.missing.examples.map((x) => ({ system, entity: name, key: x.key, detail: x.reason }))),
    ...(r?.entities ?? []).flatMap((e) => e.outcomes.unaccounted.examples.map((x) => ({ system: e.system, entity: `${e.system} ${e.entity}`, key: x.key, detail: `no outcome recorded (expected ${x.expected})` }))),
  ].slice(0, MAX_EXAMPLES);
}

/** Examples of target rows with no live legacy record behind them: per table, then rows nothing accounts for. */
function unexpectedExamples(r: ReconcileStored | null, tables: ReconcileTables): KeyExampleT[] {
  return [
    ...tables.flatMap(({ name, system, t }) => t.unexpected.examples.map((x) => ({ system, entity: name, key: x.key, detail: x.reason }))),
    ...(r?.untraced ?? []).flatMap((u) => u.examples.map((x) => ({ system: null, entity: u.table, key: x, detail: u.reason }))),
  ].slice(0, MAX_EXAMPLES);
}

/** The reconciliation's tables as the area lists them: per entity and target table, per link, and the control totals. */
function reconciledRows(r: ReconcileStored | null, tables: ReconcileTables): Pick<Completeness, 'entities' | 'controlTotals' | 'links'> {
  return {
    entities: tables.map(({ name, t }) => ({
      entity: name, source: t.expected, target: t.target, missing: t.missing.count, unexpected: t.unexpected.count,
      // no fields compared: no mismatch count
      mismatched: t.fields.length ? total(t.fields.map((f) => f.mismatches)) : null,
    })),
    controlTotals: [
      ...(r?.controlTotals.manifest?.files ?? []).map((f) => ({ name: `manifest ${f.file}`, source: f.expectedRecords, target: f.actualRecords, ok: f.ok })),
      ...(r?.controlTotals.conservation ?? []).map((c) => ({ name: `${c.pipeline} ${c.step}`, source: c.source, target: c.target.total, ok: c.balanced })),
    ],
    links: (r?.links ?? []).map((l) => ({
      name: `${l.step} ${l.table}`, source: l.expected, target: l.target,
      missing: l.missing.count, unexpected: l.unexpected.count, orphans: l.orphaned, ok: l.ok,
    })),
  };
}

/** The reconciliation's own summary counters, as it gives them. */
function reconcileCountsOf(r: ReconcileStored | null): Record<string, number> {
  const counters: Record<string, number> = {};
  if (r) for (const [k, v] of Object.entries(r.summary)) if (typeof v === 'number') counters[k] = v;
  return counters;
}

/** What the completeness light is judged on. */
interface CompletenessFigures {
  run: Input<'run'>;
  reconcile: Input<'reconcile'>;
  steps: StepT[];
  read: number;
  violations: number;
  sourceUnknown: string[];
  missing: number | null;
  unexpected: number | null;
}

/** Counts of records that must be 0, and how the reason names them. */
const MUST_BE_ZERO: Array<{ count: (f: CompletenessFigures) => number | null; words: (n: number) => string }> = [
  { count: (f) => f.missing, words: (n) => `${plural(n, 'record')} missing from the target` },
  { count: (f) => f.unexpected, words: (n) => `${plural(n, 'unexpected record')} in the target` },
];

/** The counts of MUST_BE_ZERO that are not 0 (an unknown count is left to the not-run and unreadable criteria). */
function notZero(f: CompletenessFigures): string | null {
  const found = MUST_BE_ZERO.flatMap(({ count, words }) => {
    const n = count(f) ?? 0;
    return n > 0 ? [words(n)] : [];
  });
  return found.length ? found.join('; ') : null;
}

/** The reconciliation's defect counters above 0 (DEFECT_NAMES). */
function reconcileDefects(reconcile: Input<'reconcile'>): string | null {
  const r = reconcile.result;
  const defects = r ? DEFECT_KEYS.filter((k) => r.summary[k] > 0).map((k) => `${fmt(r.summary[k])} ${DEFECT_NAMES[k]}`) : [];
  return defects.length ? `reconciliation defects: ${defects.join(', ')}` : null;
}

/** The reconciliation failed on something other than field fidelity (which the fidelity area explains). */
function reconcileFailure(reconcile: Input<'reconcile'>): string | null {
  const r = reconcile.result;
  if (r === null || reconcile.ok !== false || r.summary.mismatchedFields + r.summary.profileDifferences > 0) return null;
  return `the reconciliation failed: ${r.problems[0] === undefined ? 'see the details' : scrubMessage(r.problems[0])}`;
}

/** Steps the run did not complete (a partial run). */
function incompleteSteps(steps: StepT[]): string | null {
  const incomplete = steps.filter((s) => s.complete === false).length;
  return incomplete > 0 ? `${plural(incomplete, 'step')} not complete (partial run)` : null;
}

/** The completeness criteria, in order: the first that finds something sets the light and the reason; none finds anything: green. */
const COMPLETENESS_CRITERIA: Array<{ light: Exclude<Light, 'green'>; finds: (f: CompletenessFigures) => string | null }> = [
  { light: 'grey', finds: (f) => (!f.run.present && !f.reconcile.present ? 'not run: no migration run and no reconciliation stored' : null) },
  { light: 'red', finds: (f) => unreadableOf(f.run, f.reconcile) },
  { light: 'red', finds: (f) => (f.violations > 0 ? `conservation broken in ${plural(f.violations, 'step')}: read ≠ loaded + quarantined + excluded + superseded` : null) },
  { light: 'red', finds: (f) => (f.sourceUnknown.length > 0 ? `conservation not shown for ${plural(f.sourceUnknown.length, 'step')}: the source count is not available (${f.sourceUnknown.join(', ')})` : null) },
  { light: 'red', finds: notZero },
  { light: 'red', finds: (f) => reconcileDefects(f.reconcile) },
  { light: 'red', finds: (f) => reconcileFailure(f.reconcile) },
  { light: 'amber', finds: (f) => (!f.reconcile.present ? `records conserved in ${plural(f.steps.length, 'step')}; reconciliation not run` : null) },
  { light: 'amber', finds: (f) => (!f.run.present ? 'reconciliation clean; the migration run result is not stored' : null) },
  { light: 'amber', finds: (f) => incompleteSteps(f.steps) },
];

/** The light and reason of the completeness area: the first criterion that finds something, else green. */
function judgeCompleteness(f: CompletenessFigures): { light: Light; reason: string } {
  for (const c of COMPLETENESS_CRITERIA) {
    const reason = c.finds(f);
    if (reason !== null) return { light: c.light, reason };
  }
  return { light: 'green', reason: `${fmt(f.read)} records read, every one accounted for; nothing missing or unexpected` };
}

export function completenessArea(run: Input<'run'>, reconcile: Input<'reconcile'>): Areas['completeness'] {
  const r = reconcile.result;
  const steps = stepsOf(run);
  const totals = totalsOf(steps);
  const tables = tablesOf(r);
  const { conservation, sourceUnknown } = conservationOf(run, steps, r);
  const missing = { count: r ? r.summary.missing : null, examples: missingExamples(r, tables) };
  const unexpected = { count: r ? r.summary.unexpected : null, examples: unexpectedExamples(r, tables) };
  const { light, reason } = judgeCompleteness({
    run, reconcile, steps, read: totals.read, violations: conservation.violations.length, sourceUnknown, missing: missing.count, unexpected: unexpected.count,
  });
  const { entities, controlTotals, links } = reconciledRows(r, tables);
  return {
    title: 'Data completeness', light, reason, inputs: ['run', 'reconcile'],
    conservation,
    runs: runsOf(run.result).map((x) => ({ pipeline: x.pipeline, runId: x.runId, status: x.status, source: x.source, startedAt: x.startedAt, endedAt: x.endedAt, seconds: x.seconds })),
    steps, totals, entities, controlTotals, links, missing, unexpected,
    untraced: (r?.untraced ?? []).map((u) => ({ table: u.table, reason: u.reason, count: u.count, examples: u.examples.slice(0, MAX_EXAMPLES) })),
    reconcileCounts: reconcileCountsOf(r),
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
