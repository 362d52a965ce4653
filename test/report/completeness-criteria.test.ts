// The data-completeness area's light: each criterion on its own, and which one speaks when several
// find something (the first in COMPLETENESS_CRITERIA, areas-records.ts). Built from the fixtures with
// one thing changed at a time, as the stored results would give it.
import { describe, expect, it } from 'vitest';
import { buildSummary } from '../../src/report/summary.ts';
import * as F from './fixtures.ts';

type Stored = Record<string, any>;
const clean = (): Stored => JSON.parse(JSON.stringify(F.cleanResults()));
const completeness = (r: Stored) => buildSummary(r as F.Results, { codeVersion: { version: '0.1.0', commit: 'abc1234' } }).areas.completeness;

/** Edits of the clean results, each making one criterion find something. */
const unbalanceStep = (r: Stored) => { r.run.result.runs[0].steps[1].loaded -= 3; };
const unknownSource = (r: Stored) => { Object.assign(r.reconcile.result.controlTotals.conservation[0], { balanced: false, source: null }); };
const missingRecords = (r: Stored) => { r.reconcile.result.summary.missing = 4; };
const linkDefect = (r: Stored) => { r.reconcile.result.summary.linkDefects = 2; };
const reconcileFailed = (r: Stored) => { r.reconcile.ok = false; r.reconcile.result.problems = ['CRIS:NOMINAL control total: "Smith" differs']; };
const partialRun = (r: Stored) => { r.run.result.runs[1].steps[2].complete = false; };
const runUnreadable = (r: Stored) => { delete r.run.result.runs[0].steps[0].read; };

const with_ = (...edits: Array<(r: Stored) => void>) => { const r = clean(); for (const e of edits) e(r); return r; };

describe('data completeness light', () => {
  it.each([
    ['every step balanced, nothing missing', with_(), 'green', '817,000 records read, every one accounted for; nothing missing or unexpected'],
    ['neither check stored', {}, 'grey', 'not run: no migration run and no reconciliation stored'],
    ['a step does not balance', with_(unbalanceStep), 'red', 'conservation broken in 1 step: read ≠ loaded + quarantined + excluded + superseded'],
    ['a step the reconciliation cannot balance for want of a source count', with_(unknownSource), 'red', 'conservation not shown for 1 step: the source count is not available (CRIS:NOMINAL)'],
    ['records missing and unexpected', with_(missingRecords, (r) => { r.reconcile.result.summary.unexpected = 1; }), 'red', '4 records missing from the target; 1 unexpected record in the target'],
    ['unexpected records only', with_((r) => { r.reconcile.result.summary.unexpected = 2; }), 'red', '2 unexpected records in the target'],
    ['reconciliation defect counters', with_(linkDefect, (r) => { r.reconcile.result.summary.errors = 1; }), 'red', 'reconciliation defects: 2 link defects, 1 entities not compared (errors)'],
    ['the reconciliation failed, its first problem scrubbed of quoted values', with_(reconcileFailed), 'red', 'the reconciliation failed: CRIS:NOMINAL control total: "…" differs'],
    ['the reconciliation failed with no problem line', with_((r) => { r.reconcile.ok = false; }), 'red', 'the reconciliation failed: see the details'],
    ['the reconciliation failed on field values only: fidelity explains it', with_((r) => { r.reconcile.ok = false; r.reconcile.result.summary.mismatchedFields = 3; }), 'green', '817,000 records read, every one accounted for; nothing missing or unexpected'],
    ['no reconciliation', with_((r) => { delete r.reconcile; }), 'amber', 'records conserved in 9 steps; reconciliation not run'],
    ['no run result', with_((r) => { delete r.run; }), 'amber', 'reconciliation clean; the migration run result is not stored'],
    ['a step not complete', with_(partialRun), 'amber', '1 step not complete (partial run)'],
  ])('%s', (_what, results, light, reason) => {
    expect(completeness(results)).toMatchObject({ light, reason });
  });

  it.each([
    ['unreadable over a broken step', with_(runUnreadable, unknownSource, missingRecords), 'red', /^the stored run result cannot be read \(.*runs\.0\.steps\.0\.read/],
    ['a broken step over an unknown source count', with_(unbalanceStep, unknownSource), 'red', /^conservation broken in 1 step/],
    ['an unknown source count over missing records', with_(unknownSource, missingRecords), 'red', /^conservation not shown for 1 step/],
    ['missing records over defect counters', with_(missingRecords, linkDefect), 'red', /^4 records missing from the target$/],
    ['defect counters over the failure itself', with_(linkDefect, reconcileFailed), 'red', /^reconciliation defects: 2 link defects$/],
    ['the failure over a missing run result', with_(reconcileFailed, (r) => { delete r.run; }), 'red', /^the reconciliation failed:/],
    ['no reconciliation over a partial run', with_(partialRun, (r) => { delete r.reconcile; }), 'amber', /^records conserved in 9 steps; reconciliation not run$/],
  ])('the first criterion found speaks: %s', (_what, results, light, reason) => {
    const c = completeness(results);
    expect(c.light).toBe(light);
    expect(c.reason).toMatch(reason);
  });

  it('conservation is unknown, not balanced, while the run result cannot be read', () => {
    expect(completeness(with_()).conservation).toEqual({ ok: true, violations: [] });
    expect(completeness(with_(runUnreadable)).conservation).toEqual({ ok: null, violations: [] });
    expect(completeness({}).conservation.ok).toBeNull();
    // without a run result, the reconciliation's own check on the target tables stands in
    const targetTables = with_((r) => { delete r.run; Object.assign(r.reconcile.result.controlTotals.conservation[0], { balanced: false, target: { ...r.reconcile.result.controlTotals.conservation[0].target, total: 49990 } }); });
    expect(completeness(targetTables).conservation).toEqual({ ok: false, violations: [{ pipeline: 'cris', step: 'CRIS:NOMINAL (target tables)', read: 50000, accounted: 49990 }] });
    expect(completeness(with_(unbalanceStep)).conservation.violations).toEqual([{ pipeline: 'cris', step: 'CRIS:ADDRESS', read: 30000, accounted: 29997 }]);
  });

  it('missing examples: each table\'s first, then records with no outcome, 25 at most', () => {
    const r = with_(missingRecords, (x) => {
      const rr = x.reconcile.result;
      rr.entities[1].outcomes.unaccounted = { count: 2, examples: [{ key: 'O1', expected: 'loaded' }, { key: 'O2', expected: 'quarantined' }] };
      rr.entities[0].tables[0].missing = { count: 30, examples: Array.from({ length: 24 }, (_, i) => ({ key: `M${i}`, reason: 'not there' })) };
    });
    const ex = completeness(r).missing.examples;
    expect(ex).toHaveLength(25);
    expect(ex[0]).toEqual({ system: 'CRIS', entity: 'CRIS NOMINAL → record.person', key: 'M0', detail: 'not there' });
    expect(ex[24]).toEqual({ system: 'CRIS', entity: 'CRIS ADDRESS', key: 'O1', detail: 'no outcome recorded (expected loaded)' });
  });

  it('unexpected examples: each table\'s first, then target rows nothing accounts for', () => {
    const r = with_((x) => {
      x.reconcile.result.entities[2].tables[1].unexpected = { count: 1, examples: [{ key: 'U1', id: null, reason: 'no lineage' }] };
      x.reconcile.result.untraced = [{ table: 'record.person', reason: 'no lineage row', count: 40, examples: Array.from({ length: 30 }, (_, i) => `T${i}`) }];
    });
    const c = completeness(r);
    expect(c.unexpected.examples).toHaveLength(25);
    expect(c.unexpected.examples.slice(0, 2)).toEqual([
      { system: 'CRIMINT', entity: 'CRIMINT nominals.json → record.person_name', key: 'U1', detail: 'no lineage' },
      { system: null, entity: 'record.person', key: 'T0', detail: 'no lineage row' },
    ]);
    expect(c.untraced[0]!.examples).toHaveLength(25);
  });
});
