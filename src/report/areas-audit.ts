// Areas built from the audit checks (chain verify, reconcile, completeness) and the deletion
// checks (exclusions of the run, erasure, residual scan), read as their schemas parse them
// (src/audit/stored.ts, src/privacy/stored.ts). A result not run or unreadable gives null counts.
import type { Areas, KeyExampleT, Light } from './schema.ts';
import { type Input, display } from './read.ts';
import { MAX_EXAMPLES, fmt, plural, stepsOf } from './areas-records.ts';
import { chainAnchors, type KeptAnchorLike } from './areas-anchors.ts';
import { ACTION_OPERATION } from '../audit/legacy-rules.ts';
import type { ResidualScanStored } from '../privacy/stored.ts';

export const OPERATIONS = ['collection', 'alteration', 'consultation', 'disclosure', 'combination', 'erasure'];

/** A `{count, examples}` finding of the audit reconciliation, each example's detail in words. */
function foundOf<X extends { system: string; key: string }>(f: { count: number; examples: X[] }, detail: (x: X) => string | null): KeyFound {
  return { count: f.count, examples: f.examples.slice(0, MAX_EXAMPLES).map((x): KeyExampleT => ({ system: x.system, entity: null, key: x.key, detail: detail(x) })) };
}
type KeyFound = Areas['auditHistory']['reconcile']['missing'];
const UNKNOWN: KeyFound = { count: null, examples: [] };

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

function reconcileOf(reconcile: Input<'audit-reconcile'>): Areas['auditHistory']['reconcile'] {
  const r = reconcile.result;
  if (r === null) {
    return {
      ran: reconcile.present, legacy: null, target: null,
      missing: UNKNOWN, duplicated: UNKNOWN, altered: UNKNOWN, extra: UNKNOWN, quarantined: UNKNOWN,
      alteredByField: [], byOperation: [], bySystemActionMonth: [],
    };
  }
  const cells = r.perSystemActionMonth;
  const byOp = new Map<string, { legacy: number; target: number }>();
  for (const c of cells) {
    const op = ACTION_OPERATION[c.action.toUpperCase()] ?? c.action.toLowerCase();
    const cur = byOp.get(op) ?? { legacy: 0, target: 0 };
    cur.legacy += c.legacy;
    cur.target += c.target;
    byOp.set(op, cur);
  }
  return {
    ran: reconcile.present,
    legacy: sum(r.totals.map((t) => t.legacy)),
    target: sum(r.totals.map((t) => t.target)),
    missing: foundOf(r.missing, (x) => x.reason),
    duplicated: foundOf(r.duplicated, (x) => `rows seq ${x.seqs.join(', ')}`),
    altered: foundOf(r.altered, (x) => `${x.field}: expected ${display(x.expected)}, got ${display(x.actual)}`),
    extra: foundOf(r.extra, (x) => `seq ${x.seq}`),
    quarantined: foundOf(r.quarantined, (x) => [x.code, x.field, x.message].filter(Boolean).join(': ')),
    alteredByField: Object.entries(r.altered.byField).map(([field, n]) => ({ field, count: n })),
    byOperation: [...byOp].map(([operation, x]) => ({ operation, ...x })).sort((a, b) => opOrder(a.operation) - opOrder(b.operation)),
    bySystemActionMonth: cells.filter((c) => c.legacy !== c.target).slice(0, 200).map(({ system, action, month, legacy, target }) => ({ system, action, month, legacy, target })),
  };
}

function completenessOf(completeness: Input<'audit-completeness'>): Areas['auditHistory']['completeness'] {
  const c = completeness.result;
  const gaps = (c ? c.gaps : []).map((g) => ({
    gap: g.gap, operation: g.operation,
    legacyMissing: g.legacyMissing, lostInMigration: g.lostInMigration, notFromLegacy: g.notFromLegacy,
    examples: g.examples.slice(0, MAX_EXAMPLES).map((x): KeyExampleT => ({ system: x.system, entity: null, key: x.key, detail: [x.kind, x.why].filter(Boolean).join(': ') })),
  }));
  return {
    ran: completeness.present,
    byOperation: (c ? c.byOperation : []).map(({ operation, count }) => ({ operation, count })).sort((a, b) => opOrder(a.operation) - opOrder(b.operation)),
    byOrigin: (c ? c.byOrigin : []).map(({ origin, count }) => ({ origin, count })),
    gaps,
    legacyMissing: c ? sum(gaps.map((g) => g.legacyMissing)) : null,
    lostInMigration: c ? sum(gaps.map((g) => g.lostInMigration)) : null,
    missingInTarget: c ? c.missingInTarget : null,
  };
}

export function auditArea(verify: Input<'audit-verify'>, reconcile: Input<'audit-reconcile'>, completeness: Input<'audit-completeness'>, kept: KeptAnchorLike[] = []): Areas['auditHistory'] {
  const v = verify.result;
  const fb = v?.firstBroken ?? null;
  const chain = {
    ran: verify.present,
    verified: v ? v.ok && verify.ok !== false && !fb : null,
    rows: v ? v.rows : null,
    firstBroken: fb ? { seq: fb.seq, reason: fb.reason, detail: fb.detail } : null,
    anchors: chainAnchors(verify, kept),
  };
  const rec = reconcileOf(reconcile);
  const comp = completenessOf(completeness);

  let light: Light;
  let reason: string;
  const unreadable = [verify, reconcile, completeness].filter((i) => i.unreadable !== null).map((i) => i.kind);
  const red: string[] = [];
  if (unreadable.length) red.push(`unreadable: ${unreadable.join(', ')}`);
  if (chain.verified === false) red.push(`hash chain broken at seq ${chain.firstBroken?.seq ?? '?'}${chain.firstBroken ? ` (${chain.firstBroken.reason})` : ''}`);
  else if (v && chain.anchors && !chain.anchors.reached) red.push(`hash chain short of its anchors: ${chain.anchors.problems[0]}`);
  if (rec.missing.count) red.push(`${fmt(rec.missing.count)} legacy entries missing`);
  if (rec.altered.count) red.push(`${fmt(rec.altered.count)} altered`);
  if (rec.duplicated.count) red.push(`${fmt(rec.duplicated.count)} duplicated`);
  if (comp.lostInMigration) red.push(`${fmt(comp.lostInMigration)} justification/actor/recipient values lost in migration`);
  const notRun = [!verify.present && 'chain verify', !reconcile.present && 'reconciliation', !completeness.present && 'completeness'].filter(Boolean);
  if (!verify.present && !reconcile.present && !completeness.present) [light, reason] = ['grey', 'not run: no audit check stored'];
  else if (red.length) [light, reason] = ['red', red.join('; ')];
  else if (rec.extra.count) [light, reason] = ['amber', `${fmt(rec.extra.count)} target entries with a legacy id that legacy does not have`];
  else if (reconcile.present && reconcile.ok === false) [light, reason] = ['red', 'the audit reconciliation failed; see the details'];
  else if (completeness.present && completeness.ok === false) [light, reason] = ['red', 'the audit completeness check failed; see the details'];
  else if (notRun.length || v === null) [light, reason] = ['amber', `not run: ${notRun.join(', ')}`];
  else {
    const lm = comp.legacyMissing;
    [light, reason] = ['green', `chain verifies over ${fmt(v.rows)} entries; every legacy entry migrated once, unaltered${lm ? `; ${fmt(lm)} gaps already missing in legacy` : ''}`];
  }
  return { title: 'Audit history', light, reason, inputs: ['audit-verify', 'audit-reconcile', 'audit-completeness'], chain, reconcile: rec, completeness: comp };
}

const opOrder = (op: string) => {
  const i = OPERATIONS.indexOf(op);
  return i < 0 ? OPERATIONS.length : i;
};

/** A residual-scan hit's row locator: `id=…, ctid=…`. */
const locator = (key: Record<string, string | null>): string => Object.entries(key).map(([a, b]) => `${a}=${display(b)}`).join(', ');

/** Traces outside the database (the results store, engineers' reports): the file, and which identifiers it holds. */
function fileTraces(s: ResidualScanStored) {
  const files = [...s.files.resultsStore.hits, ...s.files.engineersReports.holding.flatMap((h) => h.files)];
  return files.map((f) => ({ table: f.file, column: null, identifier: f.kinds.join(', '), row: null }));
}

export function deletionArea(run: Input<'run'>, erasure: Input<'erasure'>, residual: Input<'residual-scan'>): Areas['deletion'] {
  const steps = stepsOf(run);
  const excluded = {
    total: run.present ? sum(steps.map((s) => s.excluded)) : null,
    // the run counts exclusions per step; their reasons are in migration.exclusion, not in the run result
    byReason: [],
    bySteps: steps.filter((s) => s.excluded > 0).map((s) => ({ step: s.step, entity: s.entity, excluded: s.excluded })),
  };

  const e = erasure.result;
  const er = {
    done: erasure.present,
    ok: erasure.present ? erasure.ok : null,
    erasureId: e ? e.erasureId : null,
    erasedAt: e ? e.erasedAt : null,
    subjects: e ? [e.person] : [],
    removed: e ? Object.entries(e.removed).map(([table, rows]) => ({ table, rows })) : [],
    kept: e ? [{ what: 'events', count: e.kept.events }, { what: 'sharedLocations', count: e.kept.sharedLocations }, { what: 'sharedObjects', count: e.kept.sharedObjects }] : [],
    auditSeq: e ? e.auditSeq : null,
    auditEvents: e ? 1 : null, // an erasure writes one audit event, at auditSeq
  };

  const s = residual.result;
  const files = s ? fileTraces(s) : [];
  const traces = s ? [...s.hits.map((h) => ({ table: h.table, column: h.column, identifier: h.kind, row: locator(h.key) })), ...files] : [];
  // the database's hits (all counted, the first listed) and every file outside it holding the person's identifiers
  const hits = s ? s.hitCount + files.length : null;
  const scan = {
    ran: residual.present,
    ok: s ? residual.ok !== false && s.ok && hits === 0 : residual.present ? false : null,
    person: s ? s.person : null,
    hits,
    truncated: s ? s.truncated : null,
    coverage: s ? { schemas: s.coverage.schemas, tables: s.coverage.tables, columns: s.coverage.columns, rowsExamined: s.coverage.rowsExamined } : null,
    retainedInAuditLog: s ? s.retainedCount : null,
    examples: traces.slice(0, MAX_EXAMPLES),
  };

  let light: Light;
  let reason: string;
  const ex = excluded.total !== null ? `${plural(excluded.total, 'legacy-deleted or expired record')} not migrated` : 'exclusions unknown (no run stored)';
  if (!run.present && !erasure.present && !residual.present) [light, reason] = ['grey', 'not run: no migration run, erasure or residual scan stored'];
  else if (scan.ran && !scan.ok) [light, reason] = ['red', hits === null ? `the residual scan result cannot be read: ${residual.unreadable}` : `residual scan found ${plural(hits, 'trace')} of erased data`];
  else if (er.done && er.ok === false) [light, reason] = ['red', e ? 'the erasure failed' : `the erasure result cannot be read: ${erasure.unreadable}`];
  else if (er.done && !scan.ran) [light, reason] = ['amber', `erasure done, residual scan not run; ${ex}`];
  else if (!run.present) [light, reason] = ['amber', `${scan.ran ? 'residual scan clean' : 'no erasure'}; ${ex}`];
  else if (er.done) [light, reason] = ['green', `erasure of ${er.subjects.length === 1 ? 'person ' + er.subjects[0] : er.subjects.length ? plural(er.subjects.length, 'person', 'people') : 'the subject'} confirmed by a clean residual scan; ${ex}`];
  else [light, reason] = ['green', `${ex}${scan.ran ? '; residual scan clean' : '; no erasure in this cutover'}`];
  return { title: 'Deletion and erasure', light, reason, inputs: ['run', 'erasure', 'residual-scan'], excluded, erasure: er, residualScan: scan };
}
