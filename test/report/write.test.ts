import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { writeReport, runGate, loadStoredResults, SummarySchema } from '../../src/report/index.ts';
import { saveResult, bindingOf, targetResultsDir } from '../../src/report/store.ts';
import type { TargetNow } from '../../src/report/target.ts';
import * as F from './fixtures.ts';
import { xmlProblems } from './helpers.ts';

// a target as readTarget gives it (the binding is judged against a real one in test/report/binding.test.ts)
const TARGET: TargetNow = { identity: { systemIdentifier: '7000000000000000001', database: 'fixture' }, id: '7000000000000000001-fixture', state: { epoch: 'e', changes: 3, lastChangeAt: null }, untracked: [], auditHead: null };
const BOUND = bindingOf(TARGET);

describe('writeReport', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'cutover-report-'));
    process.env.CUTOVER_RESULTS_DIR = path.join(home, 'results');
  });

  it('loads the stored results and writes index.html, summary.json, summary.md, junit.xml', () => {
    for (const [kind, stored] of Object.entries(F.cleanResults())) saveResult(BOUND, kind as never, stored!.ok, stored!.result);
    const out = path.join(home, 'report');
    const { summary, gate, files } = writeReport({ outDir: out, results: loadStoredResults(TARGET.id), provenance: { options: { crisUrl: 'mssql://sa:pw123456@h/db' } } });
    expect(gate.go).toBe(true);
    expect(Object.values(files).map((f) => path.basename(f)).sort()).toEqual(['index.html', 'junit.xml', 'summary.json', 'summary.md']);
    for (const f of Object.values(files)) expect(existsSync(f)).toBe(true);
    const json = JSON.parse(readFileSync(files.json, 'utf8'));
    expect(SummarySchema.safeParse(json).success).toBe(true);
    expect(json.gate.go).toBe(true);
    expect(json).toEqual(JSON.parse(JSON.stringify(summary)));
    expect(readFileSync(files.json, 'utf8')).not.toContain('pw123456');
    expect(xmlProblems(readFileSync(files.junit, 'utf8'))).toEqual([]);
    expect(readFileSync(files.markdown, 'utf8')).toContain('✅ GO');
    expect(readFileSync(files.html, 'utf8')).toContain('Cutover parity report: GO');
  });

  it('a stored file that cannot be parsed is a failed check, not "not run"', () => {
    for (const [kind, stored] of Object.entries(F.cleanResults())) saveResult(BOUND, kind as never, stored!.ok, stored!.result);
    writeFileSync(path.join(targetResultsDir(TARGET.id), 'parity.json'), '{"kind": "parity", "ok": tr');
    const results = loadStoredResults(TARGET.id);
    expect(results.parity).toBeTruthy();
    const { summary, gate } = runGate({ results });
    const parity = summary.checks.find((c) => c.kind === 'parity')!;
    expect(parity).toMatchObject({ present: true, ok: false });
    expect(parity.problems[0]).toMatch(/^the stored result cannot be read: /);
    expect(gate.go).toBe(false);
    expect(gate.criteria.find((c) => c.id === 'search-parity')!.ok).toBe(false);
  });

  it('a gate config path is read and validated', () => {
    for (const [kind, stored] of Object.entries(F.degradedResults())) saveResult(BOUND, kind as never, stored!.ok, stored!.result);
    const cfg = path.join(home, 'gate.json');
    writeFileSync(cfg, JSON.stringify({ allowDegraded: ['S04', 'S07', 'S14'], skip: ['reconcile-clean'] }));
    const { gate } = writeReport({ outDir: path.join(home, 'r2'), results: loadStoredResults(TARGET.id), gateConfig: cfg });
    expect(gate.criteria.filter((c) => !c.ok).map((c) => [c.id, c.reason])).toEqual([['search-parity', 'S02 LOST']]);
    writeFileSync(cfg, '{"maxQuarantineShare": "high"}');
    expect(() => writeReport({ outDir: path.join(home, 'r3'), results: loadStoredResults(TARGET.id), gateConfig: cfg })).toThrow(`${cfg}: maxQuarantineShare must be a number between 0 and 1, got "high"`);
  });
});
