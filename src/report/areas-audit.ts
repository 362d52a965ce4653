// Areas built from the audit checks (chain verify, reconcile, completeness) and the deletion
// checks (exclusions of the run, erasure, residual scan).
import type { Areas, KeyExampleT, Light } from './schema.ts';
import { type Input, bool, count, display, examplesOf, isObj, list, str, sum, sumKnown, tally } from './read.ts';
import { fmt, plural } from './areas-records.ts';
import { chainAnchors, type KeptAnchorLike } from './areas-anchors.ts';
import { MAX_EXAMPLES, runsOf, stepsOf } from './areas-records.ts';

/** compliance.md: legacy ACTION → s.62 operation. */
export const ACTION_OPERATION: Record<string, string> = {
  CREATE: 'collection', UPDATE: 'alteration', VIEW: 'consultation', SEARCH: 'consultation',
  PRINT: 'disclosure', DISCLOSE: 'disclosure', LINK: 'combination', DELETE: 'erasure',
};
export const OPERATIONS = ['collection', 'alteration', 'consultation', 'disclosure', 'combination', 'erasure'];

const exOf = (x: unknown): KeyExampleT => {
  const field = isObj(x) && 'expected' in x ? str(x, 'field') : null;
  const code = str(x, 'code');
  const detail = code !== null
    ? [code, str(x, 'field'), str(x, 'message')].filter(Boolean).join(': ')
    : field !== null
    ? `${field}: expected ${display(isObj(x) ? x.expected : null)}, got ${display(isObj(x) ? x.actual : null)}`
    : str(x, 'reason', 'why', 'message', 'kind') ?? (isObj(x) && Array.isArray(x.seqs) ? `rows seq ${x.seqs.join(', ')}` : str(x, 'seq') !== null ? `seq ${str(x, 'seq')}` : null);
  return { system: str(x, 'system', 'origin'), entity: null, key: str(x, 'key', 'id', 'legacyAuditId') ?? display(x), detail };
};

const foundOf = (o: unknown, path: string, present: boolean) => ({
  count: present ? count(o, path) : null,
  examples: examplesOf(o, path).slice(0, MAX_EXAMPLES).map(exOf),
});

export function auditArea(verify: Input, reconcile: Input, completeness: Input, kept: KeptAnchorLike[] = []): Areas['auditHistory'] {
  const v = verify.result;
  const fb = isObj(v) ? v.firstBroken ?? v.firstBreak ?? null : null;
  const chain = {
    ran: verify.present,
    verified: verify.present ? (bool(v, 'ok') ?? verify.ok) && verify.ok !== false && !fb : null,
    rows: verify.present ? count(v, 'rows', 'checked') : null,
    firstBroken: fb ? { seq: str(fb, 'seq') ?? '?', reason: str(fb, 'reason') ?? '', detail: str(fb, 'detail', 'message') ?? display(fb) } : null,
    anchors: chainAnchors(verify, kept),
  };

  const r = reconcile.result;
  const cells = list(r, 'perSystemActionMonth', 'cells').map((c) => ({
    system: str(c, 'system') ?? '?', action: str(c, 'action') ?? '?', month: str(c, 'month') ?? '?',
    legacy: count(c, 'legacy') ?? 0, target: count(c, 'target') ?? 0,
  }));
  const byOp = new Map<string, { legacy: number; target: number }>();
  for (const c of cells) {
    const op = ACTION_OPERATION[c.action.toUpperCase()] ?? c.action.toLowerCase();
    const cur = byOp.get(op) ?? { legacy: 0, target: 0 };
    cur.legacy += c.legacy;
    cur.target += c.target;
    byOp.set(op, cur);
  }
  const totals = list(r, 'totals');
  const rec = {
    ran: reconcile.present,
    legacy: reconcile.present ? sumKnown(totals.map((t) => count(t, 'legacy'))) ?? (cells.length ? sum(cells.map((c) => c.legacy)) : null) : null,
    target: reconcile.present ? sumKnown(totals.map((t) => count(t, 'target'))) ?? (cells.length ? sum(cells.map((c) => c.target)) : null) : null,
    missing: foundOf(r, 'missing', reconcile.present),
    duplicated: foundOf(r, 'duplicated', reconcile.present),
    altered: foundOf(r, 'altered', reconcile.present),
    extra: foundOf(r, 'extra', reconcile.present),
    quarantined: foundOf(r, 'quarantined', reconcile.present),
    alteredByField: tally(r, ['field'], 'altered.byField').map(({ key, count: n }) => ({ field: key, count: n })),
    byOperation: [...byOp].map(([operation, x]) => ({ operation, ...x })).sort((a, b) => opOrder(a.operation) - opOrder(b.operation)),
    bySystemActionMonth: cells.filter((c) => c.legacy !== c.target).slice(0, 200),
  };

  const c = completeness.result;
  const gaps = list(c, 'gaps').map((g) => ({
    gap: str(g, 'gap') ?? '?', operation: str(g, 'operation') ?? '?',
    legacyMissing: count(g, 'legacyMissing') ?? 0, lostInMigration: count(g, 'lostInMigration') ?? 0, notFromLegacy: count(g, 'notFromLegacy'),
    examples: list(g, 'examples').slice(0, MAX_EXAMPLES).map((x) => ({
      system: str(x, 'system'), entity: null, key: str(x, 'key', 'id') ?? display(x),
      detail: [str(x, 'kind'), str(x, 'why')].filter(Boolean).join(': ') || null,
    })),
  }));
  const comp = {
    ran: completeness.present,
    byOperation: tally(c, ['operation'], 'byOperation').map(({ key, count: n }) => ({ operation: key, count: n })).sort((a, b) => opOrder(a.operation) - opOrder(b.operation)),
    byOrigin: tally(c, ['origin'], 'byOrigin').map(({ key, count: n }) => ({ origin: key, count: n })),
    gaps,
    legacyMissing: completeness.present ? sumKnown(gaps.map((g) => g.legacyMissing)) : null,
    lostInMigration: completeness.present ? count(c, 'lostInMigration') ?? sumKnown(gaps.map((g) => g.lostInMigration)) : null,
    missingInTarget: completeness.present ? count(c, 'missingInTarget') : null,
  };

  let light: Light;
  let reason: string;
  const red: string[] = [];
  if (chain.verified === false) red.push(`hash chain broken at seq ${chain.firstBroken?.seq ?? '?'}${chain.firstBroken ? ` (${chain.firstBroken.reason})` : ''}`);
  else if (chain.anchors && !chain.anchors.reached) red.push(`hash chain short of its anchors: ${chain.anchors.problems[0]}`);
  if ((rec.missing.count ?? 0) > 0) red.push(`${fmt(rec.missing.count!)} legacy entries missing`);
  if ((rec.altered.count ?? 0) > 0) red.push(`${fmt(rec.altered.count!)} altered`);
  if ((rec.duplicated.count ?? 0) > 0) red.push(`${fmt(rec.duplicated.count!)} duplicated`);
  if ((comp.lostInMigration ?? 0) > 0) red.push(`${fmt(comp.lostInMigration!)} justification/actor/recipient values lost in migration`);
  const notRun = [!verify.present && 'chain verify', !reconcile.present && 'reconciliation', !completeness.present && 'completeness'].filter(Boolean);
  if (!verify.present && !reconcile.present && !completeness.present) [light, reason] = ['grey', 'not run: no audit check stored'];
  else if (red.length) [light, reason] = ['red', red.join('; ')];
  else if ((rec.extra.count ?? 0) > 0) [light, reason] = ['amber', `${fmt(rec.extra.count!)} target entries with a legacy id that legacy does not have`];
  else if (reconcile.present && reconcile.ok === false) [light, reason] = ['red', 'the audit reconciliation failed; see the details'];
  else if (completeness.present && completeness.ok === false) [light, reason] = ['red', 'the audit completeness check failed; see the details'];
  else if (notRun.length) [light, reason] = ['amber', `not run: ${notRun.join(', ')}`];
  else {
    const lm = comp.legacyMissing ?? 0;
    [light, reason] = ['green', `chain verifies over ${fmt(chain.rows ?? 0)} entries; every legacy entry migrated once, unaltered${lm ? `; ${fmt(lm)} gaps already missing in legacy` : ''}`];
  }
  return { title: 'Audit history', light, reason, inputs: ['audit-verify', 'audit-reconcile', 'audit-completeness'], chain, reconcile: rec, completeness: comp };
}

const opOrder = (op: string) => {
  const i = OPERATIONS.indexOf(op);
  return i < 0 ? OPERATIONS.length : i;
};

export function deletionArea(run: Input, erasure: Input, residual: Input): Areas['deletion'] {
  const steps = stepsOf(run);
  const byReason = new Map<string, number>();
  for (const rr of runsOf(run.result)) {
    for (const s of list(rr, 'steps')) for (const { key, count: n } of tally(s, ['reason'], 'excludedByReason', 'exclusions')) byReason.set(key, (byReason.get(key) ?? 0) + n);
  }
  const excluded = {
    total: run.present ? sum(steps.map((s) => s.excluded)) : null,
    byReason: [...byReason].map(([reason, n]) => ({ reason, count: n })),
    bySteps: steps.filter((s) => s.excluded > 0).map((s) => ({ step: s.step, entity: s.entity, excluded: s.excluded })),
  };

  const e = erasure.result;
  const subjects = [
    ...list(e, 'erased', 'subjects', 'targets', 'personIds', 'people').map((x) => str(x, 'id', 'targetId', 'personId') ?? display(x)),
    ...[str(e, 'person', 'personId', 'targetId', 'target.id', 'person.id')].filter((x): x is string => x !== null),
  ];
  const auditSeq = str(e, 'auditSeq', 'audit.seq');
  const er = {
    done: erasure.present,
    ok: erasure.present ? erasure.ok : null,
    erasureId: str(e, 'erasureId', 'id'),
    erasedAt: str(e, 'erasedAt', 'at'),
    subjects: [...new Set(subjects)],
    removed: tally(e, ['table'], 'removed', 'deleted').map(({ key, count: n }) => ({ table: key, rows: n })),
    kept: tally(e, ['what'], 'kept').map(({ key, count: n }) => ({ what: key, count: n })),
    auditSeq,
    auditEvents: erasure.present ? count(e, 'auditEvents', 'auditEvent') ?? (auditSeq !== null ? 1 : null) : null,
  };

  const s = residual.result;
  const hitList = list(s, 'hits', 'findings');
  const hits = residual.present ? count(s, 'hitCount', 'hits', 'findings') : null;
  const locator = (k: unknown): string | null => (isObj(k) ? Object.entries(k).map(([a, b]) => `${a}=${display(b)}`).join(', ') : k === undefined || k === null ? null : display(k));
  const scan = {
    ran: residual.present,
    ok: residual.present ? (residual.ok !== false && bool(s, 'ok') !== false && hits !== null && hits === 0) : null,
    person: str(s, 'person', 'personId'),
    hits,
    truncated: bool(s, 'truncated'),
    coverage: isObj(s) && isObj(s.coverage)
      ? { schemas: list(s, 'coverage.schemas').map(display), tables: count(s, 'coverage.tables'), columns: count(s, 'coverage.columns'), rowsExamined: count(s, 'coverage.rowsExamined') }
      : null,
    retainedInAuditLog: residual.present ? count(s, 'retainedCount', 'retainedInAuditLog') : null,
    examples: hitList.slice(0, MAX_EXAMPLES).map((h) => ({
      table: [str(h, 'schema'), str(h, 'table')].filter(Boolean).join('.') || '?',
      column: str(h, 'column'),
      identifier: str(h, 'kind', 'identifier', 'matched', 'term'),
      row: locator(isObj(h) ? h.key ?? h.id ?? h.ctid ?? h.row ?? null : null),
    })),
  };

  let light: Light;
  let reason: string;
  const ex = excluded.total !== null ? `${plural(excluded.total, 'legacy-deleted or expired record')} not migrated` : 'exclusions unknown (no run stored)';
  if (!run.present && !erasure.present && !residual.present) [light, reason] = ['grey', 'not run: no migration run, erasure or residual scan stored'];
  else if (scan.ran && !scan.ok) [light, reason] = ['red', hits === null ? 'the residual scan result does not say how many traces it found' : `residual scan found ${plural(hits, 'trace')} of erased data`];
  else if (er.done && er.ok === false) [light, reason] = ['red', 'the erasure failed'];
  else if (er.done && !scan.ran) [light, reason] = ['amber', `erasure done, residual scan not run; ${ex}`];
  else if (!run.present) [light, reason] = ['amber', `${scan.ran ? 'residual scan clean' : 'no erasure'}; ${ex}`];
  else if (er.done) [light, reason] = ['green', `erasure of ${er.subjects.length === 1 ? 'person ' + er.subjects[0] : er.subjects.length ? plural(er.subjects.length, 'person', 'people') : 'the subject'} confirmed by a clean residual scan; ${ex}`];
  else [light, reason] = ['green', `${ex}${scan.ran ? '; residual scan clean' : '; no erasure in this cutover'}`];
  return { title: 'Deletion and erasure', light, reason, inputs: ['run', 'erasure', 'residual-scan'], excluded, erasure: er, residualScan: scan };
}
