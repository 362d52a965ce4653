// Typed results (issue 20), the run and reconcile kinds: a stored result whose count is renamed
// does not parse, so it is unreadable — named in the summary, failing the gate's results-readable
// criterion, and never read as conserved or clean (the lenient reader took the missing count for 0).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runGate, loadStoredResults, saveResult } from '../../src/report/index.ts';
import { loadResult } from '../../src/report/store.ts';
import * as F from './fixtures.ts';
import { TARGET, BOUND, storeClean, editStored, rename } from './stored-on-disk.ts';

const criterion = (g: ReturnType<typeof runGate>['gate'], id: string) => g.criteria.find((c) => c.id === id)!;

describe('typed run and reconcile results', () => {
  beforeEach(() => {
    process.env.CUTOVER_RESULTS_DIR = path.join(mkdtempSync(path.join(tmpdir(), 'cutover-typed-')), 'results');
  });

  it('the clean results, stored as the checks store them, parse and pass the gate', () => {
    storeClean();
    const { summary, gate } = runGate({ results: loadStoredResults(TARGET.id) });
    for (const k of ['run', 'reconcile', 'retention']) expect(summary.checks.find((c) => c.kind === k)).toMatchObject({ present: true, unreadable: null });
    expect(criterion(gate, 'results-readable').ok).toBe(true);
    expect(gate.go).toBe(true);
    expect(summary.areas.completeness.light).toBe('green');
    expect(summary.areas.dataQuality.retention).toMatchObject({ ran: true, overdueTotal: 1525, groups: [{ group: '1', records: 60000, overdue: 1200 }, { group: '2', records: 40000, overdue: 300 }, { group: '3', records: 20000, overdue: 25 }] });
  });

  it('a reconcile result with summary.missing renamed is unreadable, fails results-readable naming the field, and is not read as clean', () => {
    storeClean();
    editStored('reconcile', (r) => rename(r.summary, 'missing', 'missingRecords'));
    const { summary, gate } = runGate({ results: loadStoredResults(TARGET.id) });
    const check = summary.checks.find((c) => c.kind === 'reconcile')!;
    expect(check).toMatchObject({ present: true, ok: false });
    expect(check.unreadable).toMatch(/summary\.missing: Invalid input: expected number, received undefined/);
    const readable = criterion(gate, 'results-readable');
    expect(readable.ok).toBe(false);
    expect(readable.reason).toMatch(/^unreadable: reconcile \(.*summary\.missing\b/);
    expect(gate.go).toBe(false);
    // unknown is not clean: no count, and the areas built from it say why
    const c = summary.areas.completeness;
    expect([c.missing.count, c.unexpected.count, summary.areas.fidelity.mismatchedValues]).toEqual([null, null, null]);
    expect(c.light).toBe('red');
    expect(c.reason).toMatch(/the stored reconcile result cannot be read \(.*summary\.missing/);
    expect(summary.areas.fidelity.light).toBe('red');
    expect(criterion(gate, 'reconcile-clean').ok).toBe(false);
  });

  it("a run result with a step's quarantined renamed is unreadable, fails results-readable naming the field, and is not read as conserved", () => {
    storeClean();
    // CRIS:CRIME_NOMINAL quarantines nothing: read as 0, the step balanced and the gate said GO
    editStored('run', (r) => rename(r.runs[0].steps[4], 'quarantined', 'quarantinedRecords'));
    const { summary, gate } = runGate({ results: loadStoredResults(TARGET.id) });
    const check = summary.checks.find((c) => c.kind === 'run')!;
    expect(check).toMatchObject({ present: true, ok: false });
    expect(check.unreadable).toMatch(/runs\.0\.steps\.4\.quarantined: Invalid input: expected number, received undefined/);
    const readable = criterion(gate, 'results-readable');
    expect(readable.ok).toBe(false);
    expect(readable.reason).toMatch(/^unreadable: run \(.*runs\.0\.steps\.4\.quarantined\b/);
    expect(gate.go).toBe(false);
    const c = summary.areas.completeness;
    expect(c.steps).toEqual([]);
    expect(c.light).toBe('red');
    expect(c.reason).toMatch(/the stored run result cannot be read \(.*runs\.0\.steps\.4\.quarantined/);
    expect(summary.areas.dataQuality.light).toBe('red');
    expect(c.conservation.ok).toBeNull();
    expect(criterion(gate, 'conservation').ok).toBe(false);
  });

  it('a retention result with a group count renamed is unreadable (no guessed spelling, no overdue of 0)', () => {
    storeClean();
    editStored('retention', (r) => rename(r.groups[0], 'overdue', 'pastReview'));
    const { summary, gate } = runGate({ results: loadStoredResults(TARGET.id) });
    expect(summary.checks.find((c) => c.kind === 'retention')!.unreadable).toMatch(/groups\.0\.overdue/);
    expect(summary.areas.dataQuality.retention).toMatchObject({ overdueTotal: null, groups: [] });
    expect(summary.areas.dataQuality.light).toBe('red');
    expect(criterion(gate, 'results-readable').ok).toBe(false);
  });

  it('a reconciliation carried forward by reconcile --delta (its delta field) is stored and read back typed', () => {
    const full = F.reconcileResult();
    const delta = { fullOk: true, fullSavedAt: '2024-05-01T10:00:00.000Z', runs: ['7'], keys: 12, defects: 0, verifiedAt: '2024-05-02T10:00:00.000Z' };
    saveResult(BOUND, 'reconcile', true, { ...full, delta });
    const back = loadResult('reconcile', TARGET.id)!;
    expect(back.result.delta).toEqual(delta);
    expect(back.result.summary.missing).toBe(0);
    // examples keep the key only (board-safe), and still parse
    expect(() => saveResult(BOUND, 'reconcile', false, F.reconcileResult(true))).not.toThrow();
    expect(loadResult('reconcile', TARGET.id)!.result.entities[0]!.tables[0]!.fields[0]!.examples[0]).toEqual({ key: '100234' });
    // a carried result whose delta lacks a count does not fit its own schema: not stored
    const { keys: _k, ...noKeys } = delta;
    expect(() => saveResult(BOUND, 'reconcile', true, { ...full, delta: noKeys })).toThrow(/internal: the reconcile result does not fit its own schema.*delta\.keys/);
  });
});
