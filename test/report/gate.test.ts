import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSummary } from '../../src/report/summary.ts';
import {
  CRITERION_IDS, DEFAULT_GATE_CONFIG, GateConfigError, evaluateGate, gateLines, loadGateConfig, parseGateConfig,
} from '../../src/report/gate.ts';
import { ConfigError } from '../../src/core/problems.ts';
import * as F from './fixtures.ts';

const summarise = (r: F.Results) => buildSummary(r, { codeVersion: { version: '0.1.0', commit: 'abc1234' } });
const failing = (r: F.Results, config = {}) => evaluateGate(summarise(r), config).criteria.filter((c) => !c.ok).map((c) => c.id);

describe('evaluateGate', () => {
  it('clean: GO, every criterion met, one per id', () => {
    const gate = evaluateGate(summarise(F.cleanResults()));
    expect(gate.go).toBe(true);
    expect(gate.criteria.map((c) => c.id)).toEqual([...CRITERION_IDS]);
    expect(gate.criteria.every((c) => c.ok && !c.skipped)).toBe(true);
    expect(gate.config).toEqual({ maxQuarantineShare: 0.05, allowNotRun: [], allowDegraded: [], skip: [] });
    expect(gateLines(gate)[0]).toBe('gate: GO (12/12 criteria met)');
  });

  it('degraded: NO-GO naming the failing capabilities and the reconciliation', () => {
    const gate = evaluateGate(summarise(F.degradedResults()));
    expect(gate.go).toBe(false);
    const byId = Object.fromEntries(gate.criteria.map((c) => [c.id, c]));
    expect(byId['search-parity']).toMatchObject({ ok: false, actual: '16/20 at PARITY', reason: 'S02 LOST; S04, S07, S14 DEGRADED' });
    expect(byId['reconcile-clean']).toMatchObject({ ok: false, reason: '2 missing, 3 mismatched values' });
    expect(gate.criteria.filter((c) => !c.ok).map((c) => c.id)).toEqual(['reconcile-clean', 'search-parity']);
  });

  // Each single failure makes the gate NO-GO through exactly its own criterion.
  const single: Array<[string, (r: F.Results) => void, string[], RegExp]> = [
    ['a missing record', (r) => {
      const x = F.reconcileResult();
      x.ok = false;
      x.summary.missing = 1;
      r.reconcile = F.saved('reconcile', false, x);
    }, ['reconcile-clean'], /^1 missing$/],
    ['a mismatched field', (r) => {
      const x = F.reconcileResult();
      x.ok = false;
      x.summary.mismatchedFields = 4;
      r.reconcile = F.saved('reconcile', false, x);
    }, ['reconcile-clean'], /4 mismatched values/],
    ['one DEGRADED capability', (r) => { r.parity = F.saved('parity', false, F.parityResult({ S09: 'DEGRADED' })); }, ['search-parity'], /^S09 DEGRADED$/],
    ['one LOST capability', (r) => { r.parity = F.saved('parity', false, F.parityResult({ S20: 'LOST' })); }, ['search-parity'], /^S20 LOST$/],
    ['a capability not checked', (r) => {
      const p = F.parityResult();
      p.capabilities = p.capabilities.filter((c) => c.id !== 'S13');
      r.parity = F.saved('parity', true, p);
    }, ['search-parity'], /not checked: S13/],
    ['a broken chain', (r) => { r['audit-verify'] = F.saved('audit-verify', false, F.auditVerify(true)); }, ['audit-chain'], /seq 4711 \(changed\)/],
    ['a chain cut short of its anchor', (r) => {
      const v = F.auditVerify();
      const detail = 'anchor 550200:abc… (recorded 2024-05-01T10:00:00.000Z by report): the chain ends at seq 550123, short of the anchor: rows seq 550124–550200 are missing';
      const broken = { anchor: { seq: '550200', hash: 'ab', recordedAt: '2024-05-01T10:00:00.000Z', by: 'report' }, kind: 'truncated', found: null, range: '550124–550200', detail };
      r['audit-verify'] = F.saved('audit-verify', false, { ...v, ok: false, firstBroken: { seq: '550200', reason: 'truncated', detail }, anchors: { ...v.anchors, reached: false, broken: [broken] }, kept: null });
    }, ['audit-chain', 'audit-anchors'], /rows seq 550124–550200 are missing/],
    ['a verify result without an anchor comparison (an older version took it)', (r) => {
      const { anchors: _a, target: _t, ...old } = F.auditVerify();
      r['audit-verify'] = F.saved('audit-verify', true, old);
    }, ['results-readable', 'audit-chain', 'audit-anchors'], /the verify result cannot be read \(.*anchors: .*\): run `cutover audit verify` again/],
    ['missing audit entries', (r) => { r['audit-reconcile'] = F.saved('audit-reconcile', false, F.auditReconcile(5, 0)); }, ['audit-no-loss'], /^5 missing$/],
    ['altered audit entries', (r) => { r['audit-reconcile'] = F.saved('audit-reconcile', false, F.auditReconcile(0, 2)); }, ['audit-no-loss'], /^2 altered$/],
    ['a justification lost in migration', (r) => { r['audit-completeness'] = F.saved('audit-completeness', false, F.auditCompleteness(3)); }, ['audit-no-loss'], /3 lost in migration/],
    ['a residual-scan hit', (r) => { r['residual-scan'] = F.saved('residual-scan', false, F.residualScan(2), '2024-05-01T11:05:00.000Z'); }, ['residual-scan-clean'], /2 traces found in migration\.quarantine\.raw/],
    ['a residual scan older than the erasure', (r) => { r['residual-scan'] = F.saved('residual-scan', true, F.residualScan(), '2024-05-01T10:59:00.000Z'); }, ['residual-scan-clean'], /predates the erasure/],
    ['an erasure without a residual scan', (r) => { delete r['residual-scan']; }, ['results-present', 'residual-scan-clean'], /not run: residual-scan/],
    ['too many quarantined', (r) => {
      const run = F.runResult();
      run.runs[0]!.steps[0] = { ...run.runs[0]!.steps[0]!, quarantined: 45_000, loaded: 5000 - 810 };
      r.run = F.saved('run', true, run);
    }, ['quarantine-share'], /over the 5% limit/],
    ['an unbalanced step', (r) => {
      const run = F.runResult();
      run.runs[1]!.steps[0] = { ...run.runs[1]!.steps[0]!, loaded: 1 };
      r.run = F.saved('run', true, run);
    }, ['conservation'], /CRIMINT:nominals\.json: read 20,000/],
    ['a SAR that differs from legacy', (r) => { r.sar = F.saved('sar', false, F.sarResult(false)); }, ['sar-parity'], /1 missing/],
    ['a check not run', (r) => { delete r.retention; }, ['results-present'], /^not run: retention$/],
  ];
  for (const [what, mutate, ids, reason] of single) {
    it(`NO-GO on ${what}`, () => {
      const r = F.cleanResults();
      mutate(r);
      const gate = evaluateGate(summarise(r));
      expect(gate.go).toBe(false);
      const failed = gate.criteria.filter((c) => !c.ok);
      expect(failed.map((c) => c.id)).toEqual(ids);
      expect(failed.at(-1)!.reason).toMatch(reason);
    });
  }

  it('a check not run fails its criterion unless allowNotRun names it', () => {
    const r = F.cleanResults();
    delete r.parity;
    expect(failing(r)).toEqual(['results-present', 'search-parity']);
    const gate = evaluateGate(summarise(r), { allowNotRun: ['parity'] });
    expect(gate.go).toBe(true);
    expect(gate.criteria.find((c) => c.id === 'search-parity')!.reason).toBe('not run (allowed by allowNotRun): parity');
  });

  it('no erasure and no residual scan: the residual-scan criterion passes', () => {
    const r = F.cleanResults();
    delete r.erasure;
    delete r['residual-scan'];
    const gate = evaluateGate(summarise(r));
    expect(gate.go).toBe(true);
    expect(gate.criteria.find((c) => c.id === 'residual-scan-clean')!.reason).toBe('no erasure in this cutover');
  });

  it('allowDegraded accepts DEGRADED capabilities, never LOST; skip switches a criterion off', () => {
    const r = F.degradedResults();
    r.reconcile = F.cleanResults().reconcile;
    const gate = evaluateGate(summarise(r), { allowDegraded: ['S04', 'S07', 'S14'] });
    expect(gate.criteria.find((c) => c.id === 'search-parity')).toMatchObject({ ok: false, reason: 'S02 LOST' });
    const skipped = evaluateGate(summarise(r), { skip: ['search-parity'] });
    expect(skipped.go).toBe(true);
    expect(skipped.criteria.find((c) => c.id === 'search-parity')).toMatchObject({ ok: true, skipped: true });
  });

  it('an "already complete" re-run (no step counters): the reconciliation stands in for conservation and quarantine share', () => {
    const r = F.cleanResults();
    r.run = F.saved('run', true, { runs: [{ pipeline: 'cris', runId: null, status: 'already_complete', startedAt: '2024-05-02T08:00:00.000Z', endedAt: '2024-05-02T08:00:01.000Z', seconds: 1, source: 'x', steps: [] }] });
    const gate = evaluateGate(summarise(r));
    expect(gate.criteria.find((c) => c.id === 'conservation')).toMatchObject({ ok: true, reason: 'no step counters in the run result; the reconciliation finds all 1 steps balanced in the target tables' });
    expect(gate.criteria.find((c) => c.id === 'quarantine-share')).toMatchObject({ ok: true, actual: 0 });
    r.reconcile = undefined;
    expect(failing(r, { allowNotRun: ['reconcile'] })).toEqual(['conservation', 'quarantine-share']);
  });

  it('maxQuarantineShare moves the threshold', () => {
    const s = summarise(F.cleanResults());
    expect(evaluateGate(s, { maxQuarantineShare: 0 }).criteria.find((c) => c.id === 'quarantine-share')!.ok).toBe(false);
    expect(evaluateGate(s, { maxQuarantineShare: 0.001 }).go).toBe(true);
  });
});

describe('gate config', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gate-'));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const messages = (fn: () => unknown): string[] => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(GateConfigError);
      expect(err).toBeInstanceOf(ConfigError); // the CLI exits 2
      return (err as GateConfigError).issues;
    }
    throw new Error('expected a GateConfigError');
  };

  it('defaults are the strict thresholds', () => {
    expect(loadGateConfig()).toEqual(DEFAULT_GATE_CONFIG);
    expect(DEFAULT_GATE_CONFIG).toEqual({ maxQuarantineShare: 0.05, allowNotRun: [], allowDegraded: [], skip: [] });
    expect(loadGateConfig(file('ok.json', '{"maxQuarantineShare": 0.01, "allowNotRun": ["sar"]}'))).toEqual({ ...DEFAULT_GATE_CONFIG, maxQuarantineShare: 0.01, allowNotRun: ['sar'] });
  });

  it('wrong type, out of range, unknown key, bad list item: one clear line each', () => {
    expect(messages(() => parseGateConfig({ maxQuarantineShare: 'x' }, 'gate.json'))).toEqual(['gate.json: maxQuarantineShare must be a number between 0 and 1, got "x"']);
    expect(messages(() => parseGateConfig({ maxQuarantineShare: 1.5 }, 'gate.json'))).toEqual(['gate.json: maxQuarantineShare must be a number between 0 and 1, got 1.5']);
    expect(messages(() => parseGateConfig({ maxQuarantine: 0.1 }, 'gate.json'))).toEqual([
      'gate.json: unknown key "maxQuarantine" (did you mean "maxQuarantineShare"?); known keys: maxQuarantineShare, allowNotRun, allowDegraded, skip',
    ]);
    expect(messages(() => parseGateConfig({ allowNotRun: ['parit'] }, 'gate.json'))).toEqual([
      'gate.json: allowNotRun[0] must be one of run, reconcile, parity, audit-verify, audit-reconcile, audit-completeness, erasure, residual-scan, sar, retention, got "parit"',
    ]);
    expect(messages(() => parseGateConfig({ allowNotRun: 'parity' }, 'gate.json'))).toEqual(['gate.json: allowNotRun must be a list of check kinds, got "parity"']);
    expect(messages(() => parseGateConfig({ allowDegraded: ['S21'], skip: ['nope'] }, 'gate.json'))).toEqual([
      'gate.json: allowDegraded[0] must be a capability id S01–S20, got "S21"',
      'gate.json: skip[0] must be one of results-present, results-readable, results-current, conservation, reconcile-clean, search-parity, audit-chain, audit-anchors, audit-no-loss, residual-scan-clean, quarantine-share, sar-parity, got "nope"',
    ]);
    expect(messages(() => parseGateConfig([1], 'gate.json'))).toEqual(['gate.json: must be a JSON object, got [1]']);
  });

  it('files: not JSON, missing, and the path named in every line', () => {
    const bad = file('bad.json', '{"maxQuarantineShare": 0.1,');
    expect(messages(() => loadGateConfig(bad))[0]).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON: `));
    expect(messages(() => loadGateConfig(path.join(dir, 'none.json')))).toEqual([`${path.join(dir, 'none.json')}: no such file`]);
    const typo = file('gate.json', '{"maxQuarantineShare": "5%"}');
    expect(messages(() => loadGateConfig(typo))).toEqual([`${typo}: maxQuarantineShare must be a number between 0 and 1, got "5%"`]);
  });

  it('the error message joins the lines and says what to do', () => {
    try {
      parseGateConfig({ maxQuarantineShare: -1, extra: true }, 'gate.json');
    } catch (err) {
      expect((err as Error).message).toContain('gate.json: maxQuarantineShare must be a number between 0 and 1, got -1');
      expect((err as Error).message).toContain('gate.json: unknown key "extra"');
      expect((err as Error).message).toContain('→ fix the gate config');
    }
  });
});
