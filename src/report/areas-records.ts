// Areas built from the run and reconcile results: data completeness, field fidelity, data quality.
import type { Areas, Light, StepT, KeyExampleT } from './schema.ts';
import { scrubMessage } from './board-safe.ts';
import { type Input, bool, count, display, examplesOf, isObj, list, num, str, sum, sumKnown, tally } from './read.ts';

export const MAX_EXAMPLES = 25;

/** The runs in a 'run' result: `{runs: RunResult[]}`, also a bare array or a single run. */
export function runsOf(result: unknown): unknown[] {
  if (Array.isArray(result)) return result;
  const runs = list(result, 'runs', 'results');
  if (runs.length) return runs;
  return isObj(result) && Array.isArray(result.steps) ? [result] : [];
}

/** Step counters over all runs, summed per pipeline and step (a resumed run adds to its predecessor). */
export function stepsOf(run: Input): StepT[] {
  if (!run.present) return [];
  const byKey = new Map<string, StepT>();
  for (const r of runsOf(run.result)) {
    const pipeline = str(r, 'pipeline', 'name') ?? '?';
    for (const s of list(r, 'steps')) {
      const step = str(s, 'step', 'name') ?? '?';
      const k = `${pipeline}\u0000${step}`;
      const cur = byKey.get(k);
      const c = {
        read: count(s, 'read', 'counts.read') ?? 0,
        loaded: count(s, 'loaded', 'counts.loaded') ?? 0,
        quarantined: count(s, 'quarantined', 'counts.quarantined') ?? 0,
        excluded: count(s, 'excluded', 'counts.excluded') ?? 0,
        superseded: count(s, 'superseded', 'counts.superseded') ?? 0,
        orphans: count(s, 'orphans', 'counts.orphans') ?? 0,
      };
      if (cur) {
        for (const f of Object.keys(c) as Array<keyof typeof c>) cur[f] += c[f];
        cur.seconds = (cur.seconds ?? 0) + (num(s, 'seconds') ?? 0);
        cur.complete = bool(s, 'complete') ?? cur.complete;
        cur.sourceCount = count(s, 'sourceCount') ?? cur.sourceCount;
      } else {
        byKey.set(k, {
          pipeline, step, entity: str(s, 'entity') ?? step, sourceCount: count(s, 'sourceCount'), ...c,
          complete: bool(s, 'complete'), seconds: num(s, 'seconds'), conserved: true,
        });
      }
    }
  }
  const steps = [...byKey.values()];
  for (const s of steps) s.conserved = s.read === s.loaded + s.quarantined + s.excluded + s.superseded;
  return steps;
}

function warningsOf(run: Input): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of runsOf(run.result)) {
    for (const s of list(r, 'steps')) {
      for (const { key, count: n } of tally(s, ['code'], 'warnings', 'warningsByCode')) out.set(key, (out.get(key) ?? 0) + n);
    }
  }
  return out;
}

const keyEx = (x: unknown, entity: string | null, system: string | null = null): KeyExampleT => ({
  system: str(x, 'system') ?? system,
  entity: str(x, 'entity') ?? entity,
  key: str(x, 'key', 'id', 'sourceKey') ?? display(x),
  detail: str(x, 'reason', 'message', 'expected') ?? null,
});

/** Reconcile tables: each entity's target tables (or the entity itself when it has no table list). */
function tablesOf(reconcile: Input): Array<{ name: string; system: string | null; t: unknown }> {
  const out: Array<{ name: string; system: string | null; t: unknown }> = [];
  for (const e of list(reconcile.result, 'entities')) {
    const system = str(e, 'system');
    const entity = str(e, 'entity', '_key') ?? '?';
    const tables = list(e, 'tables');
    if (tables.length === 0 && (count(e, 'missing') !== null || list(e, 'fields').length)) out.push({ name: `${system ? `${system} ` : ''}${entity}`, system, t: e });
    for (const t of tables) out.push({ name: `${system ? `${system} ` : ''}${entity} → ${str(t, 'table') ?? '?'}`, system, t });
  }
  return out;
}

export function completenessArea(run: Input, reconcile: Input): Areas['completeness'] {
  const steps = stepsOf(run);
  const totals = {
    read: sum(steps.map((s) => s.read)), loaded: sum(steps.map((s) => s.loaded)), quarantined: sum(steps.map((s) => s.quarantined)),
    excluded: sum(steps.map((s) => s.excluded)), superseded: sum(steps.map((s) => s.superseded)), orphans: sum(steps.map((s) => s.orphans)),
  };
  const violations = steps.filter((s) => !s.conserved).map((s) => ({ pipeline: s.pipeline, step: s.step, read: s.read, accounted: s.loaded + s.quarantined + s.excluded + s.superseded }));
  const r = reconcile.result;
  const conservationList = list(r, 'controlTotals.conservation', 'conservation');
  for (const c of conservationList) {
    if (bool(c, 'balanced', 'ok') === false) {
      violations.push({ pipeline: str(c, 'pipeline') ?? '?', step: `${str(c, 'step') ?? '?'} (target tables)`, read: count(c, 'source') ?? 0, accounted: count(c, 'target.total') ?? 0 });
    }
  }
  const tables = tablesOf(reconcile);
  const missingEx: KeyExampleT[] = [];
  const unexpectedEx: KeyExampleT[] = [];
  for (const { name, system, t } of tables) {
    for (const x of examplesOf(t, 'missing')) if (missingEx.length < MAX_EXAMPLES) missingEx.push(keyEx(x, name, system));
    for (const x of examplesOf(t, 'unexpected')) if (unexpectedEx.length < MAX_EXAMPLES) unexpectedEx.push(keyEx(x, name, system));
  }
  for (const u of list(r, 'untraced')) {
    for (const x of list(u, 'examples')) if (unexpectedEx.length < MAX_EXAMPLES) unexpectedEx.push({ system: null, entity: str(u, 'table'), key: display(x), detail: str(u, 'reason') });
  }
  for (const e of list(r, 'entities')) {
    const name = `${str(e, 'system') ?? ''} ${str(e, 'entity') ?? ''}`.trim();
    for (const x of examplesOf(e, 'outcomes.unaccounted')) if (missingEx.length < MAX_EXAMPLES) missingEx.push({ ...keyEx(x, name, str(e, 'system')), detail: `no outcome recorded (expected ${str(x, 'expected') ?? '?'})` });
  }
  const missingCount = reconcile.present
    ? num(r, 'summary.missing') ?? sumKnown([...tables.map((t) => count(t.t, 'missing')), ...list(r, 'entities').map((e) => count(e, 'outcomes.unaccounted'))])
    : null;
  const unexpectedCount = reconcile.present ? num(r, 'summary.unexpected') ?? sumKnown(tables.map((t) => count(t.t, 'unexpected'))) : null;

  const links = list(r, 'links').map((l) => ({
    name: `${str(l, 'step') ?? str(l, 'pipeline') ?? ''} ${str(l, 'table') ?? ''}`.trim() || '?',
    source: count(l, 'expected', 'source'), target: count(l, 'target', 'present'),
    missing: count(l, 'missing'), unexpected: count(l, 'unexpected'), orphans: count(l, 'orphaned', 'orphans'), ok: bool(l, 'ok'),
  }));
  const controlTotals = [
    ...list(r, 'controlTotals.manifest.files').map((f) => ({
      name: `manifest ${str(f, 'file', 'entity') ?? '?'}`, source: num(f, 'expectedRecords'), target: num(f, 'actualRecords'), ok: bool(f, 'ok'),
    })),
    ...conservationList.map((c) => ({ name: `${str(c, 'pipeline') ?? '?'} ${str(c, 'step', 'entity') ?? '?'}`, source: num(c, 'source'), target: num(c, 'target.total', 'target'), ok: bool(c, 'balanced', 'ok') })),
  ];
  const counters: Record<string, number> = {};
  const summaryObj = r && isObj(r) ? r.summary : null;
  if (isObj(summaryObj)) for (const [k, v] of Object.entries(summaryObj)) if (typeof v === 'number') counters[k] = v;

  const defects = Object.keys(DEFECT_NAMES).filter((k) => (counters[k] ?? 0) > 0).map((k) => [k, counters[k]!] as const);
  const fidelityExplains = (counters.mismatchedFields ?? 0) + (counters.profileDifferences ?? 0) > 0;
  let light: Light;
  let reason: string;
  const problems: string[] = [];
  if (!run.present && !reconcile.present) [light, reason] = ['grey', 'not run: no migration run and no reconciliation stored'];
  else if (violations.length) [light, reason] = ['red', `conservation broken in ${plural(violations.length, 'step')}: read ≠ loaded + quarantined + excluded + superseded`];
  else if ((missingCount ?? 0) > 0 || (unexpectedCount ?? 0) > 0) [light, reason] = ['red', [missingCount ? `${plural(missingCount, 'record')} missing from the target` : '', unexpectedCount ? `${plural(unexpectedCount, 'unexpected record')} in the target` : ''].filter(Boolean).join('; ')];
  else if (defects.length) [light, reason] = ['red', `reconciliation defects: ${defects.map(([k, n]) => `${fmt(n)} ${DEFECT_NAMES[k]}`).join(', ')}`];
  else if (reconcile.present && reconcile.ok === false && !fidelityExplains) [light, reason] = ['red', `the reconciliation failed: ${firstProblem(r) ?? 'see the details'}`];
  else if (!reconcile.present) [light, reason] = ['amber', `records conserved in ${plural(steps.length, 'step')}; reconciliation not run`];
  else if (!run.present) [light, reason] = ['amber', 'reconciliation clean; the migration run result is not stored'];
  else {
    const incomplete = steps.filter((s) => s.complete === false);
    if (incomplete.length) [light, reason] = ['amber', `${plural(incomplete.length, 'step')} not complete (partial run)`];
    else [light, reason] = ['green', `${fmt(totals.read)} records read, every one accounted for; nothing missing or unexpected`];
  }
  problems.push(...list(r, 'problems').map((p) => scrubMessage(display(p))).slice(0, 50)); // lines may quote values
  return {
    title: 'Data completeness', light, reason, inputs: ['run', 'reconcile'],
    conservation: { ok: run.present || conservationList.length ? violations.length === 0 : null, violations },
    runs: runsOf(run.result).map((x) => ({
      pipeline: str(x, 'pipeline') ?? '?', runId: str(x, 'runId'), status: str(x, 'status'), source: str(x, 'source'),
      startedAt: str(x, 'startedAt'), endedAt: str(x, 'endedAt'), seconds: num(x, 'seconds'),
    })),
    steps, totals,
    entities: tables.map(({ name, t }) => ({
      entity: name, source: count(t, 'expected', 'source'), target: count(t, 'target'),
      missing: count(t, 'missing'), unexpected: count(t, 'unexpected'), mismatched: sumKnown(list(t, 'fields').map((f) => count(f, 'mismatches', 'mismatched'))),
    })),
    controlTotals, links,
    missing: { count: missingCount, examples: missingEx },
    unexpected: { count: unexpectedCount, examples: unexpectedEx },
    untraced: list(r, 'untraced').map((u) => ({ table: str(u, 'table') ?? '?', reason: str(u, 'reason') ?? '', count: count(u, 'count') ?? 0, examples: list(u, 'examples').slice(0, MAX_EXAMPLES).map(display) })),
    reconcileCounts: counters,
    problems,
  };
}

/** Reconciliation counters that are completeness defects (field mismatches belong to fidelity). */
const DEFECT_NAMES: Record<string, string> = {
  lineageChanged: 'lineage changed',
  outcomeDefects: 'outcome defects',
  linkDefects: 'link defects',
  conservationFailures: 'conservation failures',
  controlTotalFailures: 'control total failures',
  errors: 'entities not compared (errors)',
};

function firstProblem(r: unknown): string | null {
  const p = list(r, 'problems')[0];
  return p === undefined ? null : scrubMessage(display(p));
}

export function fidelityArea(reconcile: Input): Areas['fidelity'] {
  const tables = tablesOf(reconcile);
  const fields: Areas['fidelity']['fields'] = [];
  const examples: Areas['fidelity']['examples'] = [];
  const profileDifferences: Areas['fidelity']['profileDifferences'] = [];
  for (const { name, t } of tables) {
    const compared = count(t, 'compared');
    for (const f of list(t, 'fields')) {
      const field = str(f, 'column', 'field', '_key') ?? '?';
      const mismatched = count(f, 'mismatches', 'mismatched') ?? 0;
      fields.push({ entity: name, field, compared, mismatched, rate: compared ? mismatched / compared : null });
      for (const x of list(f, 'examples')) {
        if (examples.length >= MAX_EXAMPLES * 4) break;
        examples.push({ entity: name, field, key: str(x, 'key', 'id') ?? '?' }); // the key and the field: values stay in the source and the target
      }
    }
    for (const p of list(t, 'profiles')) {
      const differs = list(p, 'differs').map(display);
      if (differs.length) profileDifferences.push({ entity: name, column: str(p, 'column') ?? '?', from: str(p, 'from'), differs });
    }
  }
  const r = reconcile.result;
  const mismatchedValues = reconcile.present ? num(r, 'summary.mismatchedFields') ?? sumKnown(fields.map((f) => f.mismatched)) : null;
  const compared = reconcile.present ? sumKnown(tables.map((t) => count(t.t, 'compared'))) : null;
  let light: Light;
  let reason: string;
  if (!reconcile.present) [light, reason] = ['grey', 'not run: no reconciliation stored'];
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

export function dataQualityArea(run: Input, reconcile: Input, retention: Input, maxQuarantineShare: number): Areas['dataQuality'] {
  const steps = stepsOf(run);
  let read = sum(steps.map((s) => s.read));
  let quarantined = sum(steps.map((s) => s.quarantined));
  if (steps.length === 0 && reconcile.present) {
    // no run counters (not run, or an "already complete" re-run): the reconciliation's outcome counts (from the target tables) stand in
    const outcomes = list(reconcile.result, 'entities').map((e) => ({ read: count(e, 'outcomes.read') ?? 0, q: count(e, 'outcomes.quarantined') ?? 0 }));
    read = sum(outcomes.map((o) => o.read));
    quarantined = sum(outcomes.map((o) => o.q));
  }
  const warnings = [...warningsOf(run)].map(([code, n]) => ({ code, count: n })).sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1));
  const warningTotal = sum(warnings.map((w) => w.count));
  const share = read > 0 ? quarantined / read : null;
  const quarantineByReason = new Map<string, number>();
  for (const r of runsOf(run.result)) {
    for (const s of list(r, 'steps')) for (const { key, count: n } of tally(s, ['reason', 'code'], 'quarantinedByReason', 'quarantineByReason')) quarantineByReason.set(key, (quarantineByReason.get(key) ?? 0) + n);
  }
  const orphanSteps = steps.filter((s) => s.orphans > 0).map((s) => ({ step: s.step, entity: s.entity, orphans: s.orphans }));
  const orphanTotal = sum(steps.map((s) => s.orphans));

  const ret = retention.result;
  const rows = Array.isArray(ret) ? ret : list(ret, 'groups', 'byGroup', 'perGroup', 'mopiGroups', 'backlog');
  const groups = rows.map((g) => ({
    group: str(g, 'group', 'mopiGroup', 'mopi_group', '_key') ?? '?',
    records: count(g, 'records', 'total', 'count'),
    overdue: count(g, 'overdue', 'pastReview', 'reviewOverdue', 'backlog', 'due') ?? 0,
  }));
  if (groups.length === 0) {
    // `{overdueByGroup: {"1": 1200}}`-style: counts only
    for (const t of tally(ret, ['group'], 'overdueByGroup', 'byGroup', 'backlog')) groups.push({ group: t.key, records: null, overdue: t.count });
  }
  const overdueTotal = retention.present ? num(ret, 'overdueTotal', 'overdue', 'totalOverdue') ?? sum(groups.map((g) => g.overdue)) : null;

  let light: Light;
  let reason: string;
  const bits: string[] = [];
  if (warningTotal) bits.push(`${plural(warningTotal, 'warning')} in ${plural(warnings.length, 'code')}`);
  if (orphanTotal) bits.push(`${plural(orphanTotal, 'orphan link')}`);
  if (overdueTotal) bits.push(`${plural(overdueTotal, 'record')} past MoPI review`);
  const shareText = share === null ? 'no records read' : `quarantine ${pct(share)}`;
  if (!run.present && !reconcile.present && !retention.present) [light, reason] = ['grey', 'not run: no migration run stored'];
  else if (share !== null && share > maxQuarantineShare) [light, reason] = ['red', `${shareText} of records, over the ${pct(maxQuarantineShare)} limit`];
  else if (bits.length || quarantined > 0) [light, reason] = ['amber', [shareText, ...bits].join('; ')];
  else if (!retention.present) [light, reason] = ['amber', `${shareText}; no warnings; retention backlog not run`];
  else [light, reason] = ['green', `${shareText}; no warnings, orphans or overdue reviews`];
  return {
    title: 'Data quality', light, reason, inputs: ['run', 'retention'],
    warnings, warningTotal,
    quarantine: { read, quarantined, share, threshold: maxQuarantineShare },
    quarantineByReason: [...quarantineByReason].map(([r, n]) => ({ reason: r, count: n })),
    orphans: { total: orphanTotal, bySteps: orphanSteps },
    retention: { ran: retention.present, asOf: str(ret, 'asOf', 'today', 'date'), overdueTotal, groups },
  };
}

export const fmt = (n: number): string => n.toLocaleString('en-GB');
export const plural = (n: number, one: string, many = `${one}s`): string => `${fmt(n)} ${n === 1 ? one : many}`;
export const pct = (x: number): string => {
  const p = x * 100;
  return `${p === 0 ? '0' : p < 0.01 ? '<0.01' : p < 10 ? p.toFixed(2).replace(/\.?0+$/, '') : p.toFixed(1).replace(/\.0$/, '')}%`;
};
